"""What a failed site build says: one error type, and the line of tool output that says why."""

from __future__ import annotations

import re
import subprocess

from generator.errors import GeneratorError

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class BuildError(GeneratorError):
    """MkDocs or Pagefind refused to build the site."""


def first_problem(result: subprocess.CompletedProcess[str]) -> str:
    """Return the first warning or error line a tool printed (else its last line)."""
    output = _ANSI.sub("", result.stderr + result.stdout)
    lines = [ln for ln in output.splitlines() if ln.strip()]
    detail = next((ln for ln in lines if ln.lstrip().startswith(("WARNING", "ERROR", "Error"))),
                  lines[-1] if lines else "no output")
    return detail.strip()
