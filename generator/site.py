"""Build the MkDocs site strictly into a temp folder, then swap it into place."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from generator.config import Config
from generator.errors import GeneratorError

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class BuildError(GeneratorError):
    """MkDocs refused to build the site."""


def build_site(config: Config, mkdocs_yml: Path) -> Path:
    """Run `mkdocs build --strict`; the old site stays in place unless the build succeeds."""
    if not (config.docs_dir / "index.md").is_file():
        raise BuildError(f"{config.docs_dir} has no index.md; run `invoke render` first")
    target = config.site_dir
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=target.parent))
    # The config's docs dir wins over mkdocs.yml's: a child config inherits everything else.
    child = staging.with_suffix(".yml")
    child.write_text(
        f"INHERIT: {json.dumps(str(mkdocs_yml.resolve()))}\n"
        f"docs_dir: {json.dumps(str(config.docs_dir.resolve()))}\n",
        encoding="utf-8",
    )
    try:
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict",
             "--config-file", str(child), "--site-dir", str(staging)],
            capture_output=True, text=True, check=False, cwd=config.root,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"},
        )
        if result.returncode != 0:
            output = _ANSI.sub("", result.stderr + result.stdout)
            lines = [ln for ln in output.splitlines() if ln.strip()]
            detail = next((ln for ln in lines if ln.startswith(("WARNING", "ERROR"))),
                          lines[-1] if lines else "no output")
            raise BuildError(f"mkdocs build --strict failed: {detail.strip()}; the previous "
                             "site is unchanged")
        old = target.with_name(f".{target.name}-old")
        if old.exists():
            shutil.rmtree(old)
        if target.exists():
            target.rename(old)
        staging.rename(target)
        if old.exists():
            shutil.rmtree(old)
    finally:
        child.unlink(missing_ok=True)
        if staging.exists():
            shutil.rmtree(staging)
    return target
