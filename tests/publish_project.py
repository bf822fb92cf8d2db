"""Fresh clones of the project sharing one bare remote, as a maintainer and the scheduled
workflow publish from them: real git, a local bare repository as the remote."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# The demo market's range in the clones (shorter than the default: faster to simulate), and
# fewer named stocks per brief (fewer stock pages to draw on a fresh clone).
CONFIG_EDITS = (("start = 2025-01-01", "start = 2025-02-03"),
                ("end = 2025-04-11", "end = 2025-03-14"),
                ("top_movers = 5 ", "top_movers = 2 "),
                ("trend_changes = 5 ", "trend_changes = 1 "))


def git(*args: str | Path, cwd: Path | None = None) -> str:
    """Run git; return its stripped stdout, failing the test with git's stderr."""
    result = subprocess.run(["git", *map(str, args)], cwd=cwd, capture_output=True, text=True,
                            check=False, env=git_env())
    assert result.returncode == 0, f"git {args}: {result.stderr}"
    return result.stdout.strip()


def git_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Return an environment where git ignores the machine's own config and identity."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    empty = Path(os.environ.get("PUBLISH_TEST_GITCONFIG", os.devnull))
    env.update({"GIT_CONFIG_GLOBAL": str(empty), "GIT_CONFIG_NOSYSTEM": "1",
                "GIT_TERMINAL_PROMPT": "0", **(extra or {})})
    return env


def code_remote(root: Path, edits: tuple[tuple[str, str], ...] = CONFIG_EDITS,
                source: str | None = None) -> Path:
    """Create `root/R.git`, a bare repository whose `main` holds the project's code as it is
    in this work tree (committed or not), with the config edited for a short demo market."""
    code = root / "code"
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=REPO, capture_output=True, text=True, check=True).stdout
    for name in filter(None, listed.split("\0")):
        if (REPO / name).is_file():
            (code / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, code / name)
    config = code / "brief.toml"
    text = config.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, f"brief.toml no longer holds {old!r}"
        text = text.replace(old, new)
    if source is not None:
        text = text.replace('name = "exchanges"', f'name = "{source}"')
    config.write_text(text, encoding="utf-8")
    bare = root / "R.git"
    git("init", "--quiet", "--bare", "--initial-branch=main", bare)
    git("init", "--quiet", "--initial-branch=main", code)
    git("-C", code, "add", "--all")
    git("-C", code, "-c", "user.name=dev", "-c", "user.email=dev@example.com", "commit",
        "--quiet", "--message", "The project's code")
    git("-C", code, "push", "--quiet", bare, "main")
    shutil.rmtree(code)
    return bare


def clone(remote: Path, dest: Path) -> Path:
    """Clone the remote's main into `dest`, as a maintainer or a runner would."""
    git("clone", "--quiet", remote, dest)
    return dest


def run_task(project: Path, *args: str, env: Mapping[str, str] | None = None,
             ) -> subprocess.CompletedProcess[str]:
    """Run `invoke ARGS` in a clone, with its own tasks.py and code."""
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=project,
                          capture_output=True, text=True, check=False, env=git_env(env))


def branch_files(remote: Path, branch: str, under: str = "") -> list[str]:
    """Return the paths of every file on a branch of the remote (optionally under a folder)."""
    out = git("--git-dir", remote, "ls-tree", "-r", "--name-only", branch,
              *([under] if under else []))
    return out.splitlines()


def tip(remote: Path, branch: str) -> str | None:
    """Return a branch's commit on the remote, or None if it does not exist."""
    result = subprocess.run(["git", "--git-dir", str(remote), "rev-parse", "--verify", "--quiet",
                             f"refs/heads/{branch}"], capture_output=True, text=True,
                            check=False, env=git_env())
    return result.stdout.strip() or None


def site_briefs(remote: Path) -> list[str]:
    """Return the brief pages of the deployed site (briefs/YYYY/MM/DD/<segment>/index.html)."""
    return sorted(p for p in branch_files(remote, "gh-pages", "briefs")
                  if p.count("/") == 5 and p.endswith("/index.html"))
