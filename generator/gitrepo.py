"""Git plumbing for the archive of record and the site branch, run in the project's clone.

Contract: the project's HEAD, index, work tree and branches are never touched. Branches of
the remote are fetched into a private ref namespace (`refs/market-brief/`), trees are built
with private index files (GIT_INDEX_FILE) over the store, docs and site folders, and commits
are pushed by their sha. Running in the project's own repository means a remote name
(`origin`) resolves with its URL and credentials exactly as `git push origin` would, which
is how a GitHub Actions checkout authenticates. The clock is never read: commit dates come
from the caller.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from generator.errors import DeployError

DEFAULT_NAME = "market-brief"
DEFAULT_EMAIL = "market-brief@users.noreply.github.com"
PRIVATE_REFS = "refs/market-brief"
# Settings a user's global config could set that would change what is stored or committed;
# and ctime left out of git's check for changed files: a site build's files are hard links
# to the previous build's (a new link changes a file's ctime, not its bytes), so git tells a
# changed file by its mtime, size and inode and does not read the whole site every day.
SAFE_CONFIG = ("-c", "core.autocrlf=false", "-c", "core.safecrlf=false",
               "-c", "commit.gpgsign=false", "-c", "core.excludesFile=",
               "-c", "core.attributesFile=", "-c", "core.hooksPath=/dev/null",
               "-c", "core.trustctime=false")
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
# Variables that say how to reach and authenticate to a remote; every other GIT_* is dropped.
_KEPT = ("GIT_SSH", "GIT_SSH_COMMAND", "GIT_ASKPASS", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM")


@dataclass(frozen=True)
class TreeEntry:
    """One line of `git ls-tree`: mode, type, object id and path."""

    mode: str
    kind: str
    sha: str
    path: str


class GitRepo:
    """A git repository used through plumbing commands with a controlled environment."""

    def __init__(self, git_dir: Path, root: Path,
                 identity: tuple[str, str] = (DEFAULT_NAME, DEFAULT_EMAIL)) -> None:
        self.git_dir = git_dir
        self.root = root  # where a relative remote path is resolved from
        self.identity = identity

    @classmethod
    def of_project(cls, root: Path) -> GitRepo | None:
        """Return the repository of the clone holding `root`, or None if it is not a clone."""
        found = _run(["git", "-C", str(root), "rev-parse", "--absolute-git-dir"])
        if found.returncode != 0:
            return None
        name = _run(["git", "-C", str(root), "config", "--get", "user.name"]).stdout.strip()
        email = _run(["git", "-C", str(root), "config", "--get", "user.email"]).stdout.strip()
        return cls(Path(found.stdout.strip()), root,
                   (name or DEFAULT_NAME, email or DEFAULT_EMAIL))

    @property
    def state_dir(self) -> Path:
        """Return the folder holding this project's private index files."""
        return self.git_dir / "market-brief"

    def index(self, name: str, work_tree: Path) -> Path:
        """Return the private index file of a work tree (one per folder, so two configs in
        one clone never share an index)."""
        key = hashlib.sha1(str(work_tree.absolute()).encode()).hexdigest()[:12]
        return self.state_dir / f"{name}-{key}.index"

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold this clone's publish lock for a block (released when the process ends, even
        by kill -9); the locks a killed run left on private index files and private refs
        (only a publish writes them, under this lock) are removed first."""
        self.state_dir.mkdir(parents=True, exist_ok=True)
        path = self.state_dir / "publish.lock"
        with path.open("w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise DeployError(f"another publish is running in this clone ({path} is "
                                  "locked); wait for it to end, then run again") from None
            refs = self.git_dir / PRIVATE_REFS
            for stale in [*self.state_dir.glob("*.index.lock"), *refs.rglob("*.lock")]:
                stale.unlink()
            yield

    def run(self, *args: str, work_tree: Path | None = None, index: Path | None = None,
            stdin: str | None = None, env: Mapping[str, str] | None = None,
            hint: str = "check the git installation and the folders it works on") -> str:
        """Run a git command; return its stdout, or raise DeployError with git's reason."""
        extra = {"GIT_DIR": str(self.git_dir), **(env or {})}
        if work_tree is not None:
            extra["GIT_WORK_TREE"] = str(work_tree)
        if index is not None:
            index.parent.mkdir(parents=True, exist_ok=True)
            extra["GIT_INDEX_FILE"] = str(index)
        result = _run(["git", *SAFE_CONFIG, *args], env={**_base_env(), **extra},
                      stdin=stdin, cwd=work_tree or self.root)
        if result.returncode != 0:
            raise DeployError(f"git {args[0]} failed: {_reason(result)}; {hint}")
        return result.stdout

    def rev(self, ref: str) -> str | None:
        """Return the object a ref or revision names, or None when it does not exist."""
        result = _run(["git", *SAFE_CONFIG, "rev-parse", "--verify", "--quiet", ref],
                      env={**_base_env(), "GIT_DIR": str(self.git_dir)})
        return result.stdout.strip() or None if result.returncode == 0 else None

    def remote_heads(self, remote: str) -> dict[str, str]:
        """Return the remote's branches (name -> sha)."""
        out = self.run("ls-remote", "--heads", "--", remote,
                       hint=f"check that {remote} exists and that you may read it")
        heads = {}
        for line in out.splitlines():
            sha, _, ref = line.partition("\t")
            if ref.startswith("refs/heads/"):
                heads[ref.removeprefix("refs/heads/")] = sha
        return heads

    def fetch(self, remote: str, refspecs: Sequence[str]) -> None:
        """Fetch the tips of some branches (no history) from a remote."""
        if refspecs:
            self.run("fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "--depth=1",
                     "--", remote, *refspecs,
                     hint=f"check that {remote} exists and that you may read it")

    def push(self, remote: str, sha: str, branch: str, *, lease: str | None = None,
             force: bool = False) -> None:
        """Update a remote branch to `sha`: a fast-forward, or a forced update guarded by a
        lease (the branch must still be at `lease`; "" means it must not exist)."""
        options = ["--quiet", "--no-verify"]
        if force:
            options.append(f"--force-with-lease=refs/heads/{branch}:{lease or ''}")
        self.run("push", *options, "--", remote, f"{sha}:refs/heads/{branch}",
                 hint=f"check that you may push to {remote}, and that no other publish is "
                      "running; then run `invoke publish` again")

    def update_ref(self, ref: str, sha: str) -> None:
        """Point a private ref at an object."""
        self.run("update-ref", ref, sha)

    def tree(self, rev: str) -> str:
        """Return the tree id of a commit or tree-ish (`commit:path` works)."""
        return self.run("rev-parse", "--verify", f"{rev}^{{tree}}").strip()

    def ls_tree(self, tree: str, path: str | None = None) -> list[TreeEntry]:
        """Return the entries of a tree, recursively (files only), optionally under a path."""
        args = ["ls-tree", "-r", "-z", tree]
        if path:
            args += ["--", path]
        entries = []
        for record in self.run(*args).split("\0"):
            if record:
                meta, _, name = record.partition("\t")
                mode, kind, sha = meta.split()
                entries.append(TreeEntry(mode, kind, sha, name))
        return entries

    def stage(self, work_tree: Path, index: Path, pathspecs: Iterable[str]) -> str:
        """Make a private index hold exactly the files under `pathspecs`; return its tree."""
        work_tree.mkdir(parents=True, exist_ok=True)
        self.run("add", "--all", "--force", "--", *pathspecs, work_tree=work_tree, index=index)
        return self.run("write-tree", index=index).strip()

    def checkout(self, tree: str, work_tree: Path, index: Path,
                 base: str | None = None) -> None:
        """Make the files of `tree` the work tree's, through a private index.

        With `base` (the tree the work tree was last in step with) only what changed from
        base to tree is written, and local changes to other files are kept; otherwise, or
        when a local change collides with the new tree, every file of the tree is written
        over the local one. Files the index held and the tree does not are removed; files
        the index never held are left alone.
        """
        work_tree.mkdir(parents=True, exist_ok=True)
        if base is not None:
            try:
                self.run("read-tree", "-m", "-u", base, tree, work_tree=work_tree, index=index)
                return
            except DeployError:
                pass
        self.run("read-tree", "--reset", "-u", tree, work_tree=work_tree, index=index)

    def untracked(self, work_tree: Path, index: Path, pathspecs: Iterable[str]) -> list[str]:
        """Return the files under `pathspecs` that the private index does not hold."""
        out = self.run("ls-files", "-z", "--others", "--", *pathspecs,
                       work_tree=work_tree, index=index)
        return [p for p in out.split("\0") if p]

    def mktree(self, entries: Iterable[TreeEntry]) -> str:
        """Write a tree of the given top-level entries; return its id."""
        lines = "".join(f"{e.mode} {e.kind} {e.sha}\t{e.path}\n" for e in entries)
        return self.run("mktree", stdin=lines).strip()

    def blob(self, text: str) -> str:
        """Write a blob holding `text`; return its id."""
        return self.run("hash-object", "-w", "--stdin", stdin=text).strip()

    def commit(self, tree: str, parents: Sequence[str], message: str, when: datetime) -> str:
        """Write a commit of `tree` dated `when` by the project's identity; return its id."""
        if when.tzinfo is None:
            raise ValueError("a commit needs a timezone-aware date")
        stamp = f"{int(when.timestamp())} {when.strftime('%z')}"
        name, email = self.identity
        env = {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": stamp,
               "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email,
               "GIT_COMMITTER_DATE": stamp}
        args = ["commit-tree", tree]
        for parent in parents:
            args += ["-p", parent]
        return self.run(*args, stdin=message, env=env).strip()

    def message(self, commit: str) -> str:
        """Return a commit's message."""
        return self.run("log", "-1", "--format=%B", commit)


def _base_env() -> dict[str, str]:
    """Return the environment without git variables that could redirect a command."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("GIT_") or k in _KEPT}
    env["GIT_TERMINAL_PROMPT"] = "0"
    return env


def _reason(result: subprocess.CompletedProcess[str]) -> str:
    """Return git's own reasons for failing (every fatal, error and rejected line), in one
    line."""
    lines = [ln.strip() for ln in (result.stderr or result.stdout).splitlines() if ln.strip()]
    useful = [ln for ln in lines if ln.startswith(("fatal:", "error:", "!"))] or lines[-1:]
    reasons = [ln.removeprefix("fatal: ").removeprefix("error: ") for ln in useful]
    return "; ".join(dict.fromkeys(reasons)) or f"exit status {result.returncode}"


def _run(cmd: list[str], *, env: Mapping[str, str] | None = None, stdin: str | None = None,
         cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run a command without a terminal prompt; raise DeployError if git is missing."""
    try:
        return subprocess.run(cmd, env=dict(env) if env is not None else _base_env(),
                              input=stdin, cwd=cwd, check=False, capture_output=True,
                              text=True)
    except FileNotFoundError as exc:
        raise DeployError("git was not found; install git and make sure it is on PATH") from exc
