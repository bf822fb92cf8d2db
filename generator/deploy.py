"""Push the built site to a publishing branch as a single orphan commit.

Contract: the project's own work tree, index and branches are never touched; the commit is
built in a throwaway repository and force-pushed, so the branch always holds exactly one
commit whose tree is the site (plus `.nojekyll`). The clock is never read: dates come from
the caller.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path

from generator.errors import DeployError

DEFAULT_NAME = "market-brief"
DEFAULT_EMAIL = "market-brief@users.noreply.github.com"
# Settings that a user's global config could set and that would change or break the commit.
SAFE_CONFIG = ("-c", "core.autocrlf=false", "-c", "commit.gpgsign=false")


def deploy_site(
    site_dir: Path,
    *,
    remote: str,
    branch: str,
    message: str,
    when: datetime,
    project_dir: Path,
) -> str:
    """Push the site to `branch` of `remote` as one commit with no history; return its sha."""
    if when.tzinfo is None:
        raise ValueError("deploy_site needs a timezone-aware `when`")
    if not (site_dir / "index.html").is_file():
        raise DeployError(f"{site_dir} has no index.html; run `invoke build` first")
    url = _resolve_remote(remote, project_dir)
    date = f"{int(when.timestamp())} {when.strftime('%z')}"
    name = _project_config("user.name", project_dir) or DEFAULT_NAME
    email = _project_config("user.email", project_dir) or DEFAULT_EMAIL
    env = {
        **os.environ,
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
        "GIT_COMMITTER_DATE": date,
    }
    with tempfile.TemporaryDirectory(prefix="market-brief-deploy-") as tmp:
        work = Path(tmp) / "site"
        shutil.copytree(site_dir, work, ignore=shutil.ignore_patterns(".git"))
        (work / ".nojekyll").write_text("", encoding="utf-8")
        _git(["init", "--quiet"], work, env)
        _git(["add", "--all", "--force"], work, env)
        _git(["commit", "--quiet", "--no-verify", "--message", message], work, env)
        sha = _git(["rev-parse", "HEAD"], work, env)
        _git(
            ["push", "--quiet", "--force", url, f"HEAD:refs/heads/{branch}"],
            work,
            env,
            hint=f"check that {url} exists and that you may push to it",
        )
    return sha


def _resolve_remote(remote: str, project_dir: Path) -> str:
    """Return the push URL for a remote name, URL or directory path."""
    if "/" not in remote and ":" not in remote:
        result = _run(["git", "-C", str(project_dir), "remote", "get-url", remote])
        if result.returncode == 0:
            return _absolute_if_local(result.stdout.strip(), project_dir)
        if not (project_dir / remote).is_dir():
            raise DeployError(
                f"git remote {remote!r} is not set up in {project_dir}; add it with "
                f"`git remote add {remote} URL` or set `remote` in the config file"
            )
    return _absolute_if_local(remote, project_dir)


def _absolute_if_local(url: str, project_dir: Path) -> str:
    """Turn a local directory path (relative to the project) into an absolute one."""
    path = project_dir / url
    return str(path.resolve()) if path.is_dir() else url


def _project_config(key: str, project_dir: Path) -> str:
    """Return a git config value as seen from the project, or "" when unset."""
    return _run(["git", "-C", str(project_dir), "config", "--get", key]).stdout.strip()


def _git(
    args: list[str],
    cwd: Path,
    env: dict[str, str],
    *,
    hint: str = "check the git installation and the site folder",
) -> str:
    """Run a git command in `cwd`; return its stdout or raise DeployError with git's last words."""
    result = _run(["git", *SAFE_CONFIG, *args], cwd=cwd, env=env)
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines()
        last = lines[-1] if lines else f"exit status {result.returncode}"
        raise DeployError(f"git {args[0]} failed: {last}; {hint}")
    return result.stdout.strip()


def _run(
    cmd: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a command without a terminal prompt; raise DeployError if git is missing."""
    if env is None:
        env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    try:
        return subprocess.run(cmd, cwd=cwd, env=env, check=False, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise DeployError("git was not found; install git and make sure it is on PATH") from exc
