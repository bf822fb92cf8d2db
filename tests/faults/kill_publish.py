"""Fault test (issue 13): kill -9 `invoke publish --demo --no-deploy` at random points.

A project clone with a local bare remote is bootstrapped with one published session; each
trial starts from a fresh copy of it, starts a publish of the next session in its own
process group and kills the whole group after a seeded random delay drawn across the run's
measured duration (anchored to the progress line that starts each phase). After each kill
`site/` must be the old site or the new one, whole; a rerun must then finish on its own
(taking over the stale locks) and leave `site_src/` and `site/` byte-identical to an
uninterrupted run, with no build leftovers beside `site`.

    python tests/faults/kill_publish.py --trials 20 --seed 1

The last line is the summary; on a failure the reason follows on stderr and the exit
status is 1.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from publish_project import CONFIG_EDITS, clone, code_remote, git_env

FIRST, TARGET = "2025-03-03", "2025-03-04"  # bootstrapped session; the session each run adds
REQUIRED = ("index.html", "404.html", "sitemap.xml", "pagefind/pagefind.js")
# The phases of a run, each from the progress line that starts it (None: the process start)
# to the next: start-up and restore (git), re-checking and pulling sessions, rendering
# briefs, charts and hub pages then staging them (git add), building (mkdocs, pagefind,
# switching site/).
PHASES = (("start / restore", None), ("check again / pull", "archive:"),
          ("render / stage", "rendering"), ("build", "building the site"))
END = "published"
SPAN = 0.97  # share of each phase's reference length the kills are drawn over
# Children whose presence in the process group names the step more exactly.
TOOLS = ("pagefind", "mkdocs", "git")


STARTED: list[subprocess.Popen[str]] = []  # every publish started (each leads its group)


class TrialError(Exception):
    """A trial found a partial site, a failed or different rerun, or leftovers."""


@dataclass
class Run:
    """A publish process with its progress lines (seconds since start, line)."""

    proc: subprocess.Popen[str]
    started: float
    lines: list[tuple[float, str]] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)
    readers: list[threading.Thread] = field(default_factory=list)

    def drain(self) -> None:
        """Wait until the run's output is read to its end."""
        for reader in self.readers:
            reader.join(timeout=10)

    def phase(self) -> str:
        """Return the phase the run is in, by the last progress line it printed."""
        name = PHASES[0][0]
        for _, line in self.lines:
            name = next((n for n, prefix in PHASES if prefix and line.startswith(prefix)), name)
            if line.startswith(END):
                name = "finishing"
        return name

    def wait_for(self, prefix: str | None, limit: float) -> float | None:
        """Wait until the run prints a line starting with `prefix` (None: at once); return
        when it did (seconds since the start), or None if the run ended first."""
        while prefix is not None:
            at = next((t for t, line in self.lines if line.startswith(prefix)), None)
            if at is not None:
                return at
            if self.proc.poll() is not None or time.monotonic() - self.started > limit:
                return None
            time.sleep(0.01)
        return 0.0


@dataclass(frozen=True)
class Kill:
    """Where a trial kills: `offset` seconds after the line that starts a phase."""

    phase: str
    anchor: str | None
    offset: float


def kill_plan(lines: list[tuple[float, str]], duration: float, trials: int,
              rng: random.Random) -> list[Kill]:
    """Spread the kills over the phases in turn; within a phase, the k-th of its n kills
    falls at a seeded random point of the k-th n-th of the phase's reference length.

    Anchoring each kill to the line that starts its phase keeps short phases (pulling a
    session, Pagefind) hit when a loaded machine stretches the run.
    """
    starts = [0.0] + [next(t for t, line in lines if line.startswith(prefix))
                      for _, prefix in PHASES[1:] if prefix]
    ends = [*starts[1:], next((t for t, line in lines if line.startswith(END)), duration)]
    plan = []
    for number in range(trials):
        which = number % len(PHASES)
        count = len(range(which, trials, len(PHASES)))
        length = (ends[which] - starts[which]) * SPAN
        name, anchor = PHASES[which]
        plan.append(Kill(name, anchor,
                         (number // len(PHASES) + rng.random()) * length / count))
    rng.shuffle(plan)
    return plan


def small_config_edits() -> tuple[tuple[str, str], ...]:
    """Return publish_project's config edits plus two segments instead of four (shorter)."""
    text = (Path(__file__).resolve().parents[2] / "brief.toml").read_text(encoding="utf-8")
    start = text.index('[[segments]]\nkey = "small"')
    return (*CONFIG_EDITS, (text[start:text.index("# Benchmarks", start)], ""))


def start_publish(project: Path, remote: Path) -> Run:
    """Start `invoke publish --demo --no-deploy` in its own process group."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "invoke", "publish", "--demo", "--no-deploy", "--date", TARGET,
         "--remote", str(remote)],
        cwd=project, env=git_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True)
    STARTED.append(proc)
    run = Run(proc, time.monotonic())

    def read_lines() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            run.lines.append((time.monotonic() - run.started, line.rstrip()))

    def read_errors() -> None:
        assert proc.stderr is not None
        run.stderr.extend(line.rstrip() for line in proc.stderr)

    run.readers = [threading.Thread(target=f, daemon=True) for f in (read_lines, read_errors)]
    for reader in run.readers:
        reader.start()
    return run


def finish(run: Run, limit: float) -> float:
    """Wait for a run to end; return its duration, or raise TrialError if it failed."""
    try:
        run.proc.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        os.killpg(run.proc.pid, signal.SIGKILL)
        run.proc.wait()
        raise TrialError(f"the publish did not end within {limit:.0f} s") from None
    took = time.monotonic() - run.started
    run.drain()
    if run.proc.returncode != 0:
        reason = next((ln for ln in reversed(run.stderr) if ln.strip()), "no output")
        raise TrialError(f"the publish exited {run.proc.returncode}: {reason}")
    return took


def group_tools(pgid: int) -> str:
    """Return the tools running in a process group (pagefind, mkdocs, git <command>)."""
    found: list[str] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[2]) != pgid:
            continue
        words = [w.decode(errors="replace") for w in argv if w]
        for tool in TOOLS:
            if any(Path(w).name == tool or w == tool for w in words):
                if tool == "git":
                    command = next((w for w in words[1:] if not w.startswith("-")
                                    and "=" not in w), "")
                    found.append(f"git {command}".strip())
                else:
                    found.append(tool)
                break
    return ", ".join(sorted(set(found)))


def tree_hashes(root: Path) -> dict[str, str]:
    """Return the SHA-256 of every file under a folder (following a top-level link)."""
    base = root.resolve()
    out: dict[str, str] = {}
    for path in sorted(base.rglob("*")):
        rel = path.relative_to(base).as_posix()
        if path.is_symlink():
            out[rel] = "link:" + str(path.readlink())
        elif path.is_file():
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def difference(got: dict[str, str], want: dict[str, str]) -> str:
    """Return the first few paths in which two trees differ, in one line."""
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want))
    changed = sorted(p for p in set(want) & set(got) if want[p] != got[p])
    parts = [f"{label} {', '.join(paths[:3])}{' …' if len(paths) > 3 else ''}"
             for label, paths in (("missing", missing), ("extra", extra), ("changed", changed))
             if paths]
    return "; ".join(parts) or "no difference"


def check_site(project: Path, old: dict[str, str], new: dict[str, str]) -> str:
    """Return "old" or "new": which whole site `site/` is; raise TrialError otherwise."""
    site = project / "site"
    if not site.is_dir():
        raise TrialError("site/ is missing after the kill")
    for name in REQUIRED:
        if not (site / name).is_file():
            raise TrialError(f"site/{name} is missing after the kill")
    pages = [p for p in old if p.endswith(".html") and not (site / p).is_file()]
    if pages:
        raise TrialError(f"site/ lost pages of the previous site: {', '.join(pages[:3])}")
    got = tree_hashes(site)
    if got == old:
        return "old"
    if got == new:
        return "new"
    raise TrialError(f"site/ is neither the old nor the new site: {difference(got, new)}")


def leftovers(project: Path) -> list[str]:
    """Return the build folders and temp files beside `site` other than the live build, its
    stamp (`.site.stamp`, which must name the live build) and the spare (`.site-spare`,
    the build before, a folder that is not the live one)."""
    live = (project / "site").resolve()
    stamp = project / ".site.stamp"
    spare = project / ".site-spare"
    found = sorted(p.name for p in project.glob(".site*")
                   if p.resolve() != live and p != stamp
                   and not (p == spare and p.is_dir() and not p.is_symlink()))
    if not stamp.is_file() or json.loads(stamp.read_text(encoding="utf-8")).get(
            "build") != live.name:
        found.append(".site.stamp (missing or naming another build)")
    return found


def bootstrap(root: Path) -> tuple[Path, Path]:
    """Make the remote and a clone that has published one session; return both."""
    remote = code_remote(root, small_config_edits())
    project = clone(remote, root / "base")
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "publish", "--demo", "--since", FIRST, "--date", FIRST,
         "--remote", str(remote)], cwd=project, env=git_env(), capture_output=True, text=True,
        check=False)
    if result.returncode != 0:
        raise TrialError(f"the bootstrap publish failed: {result.stderr.strip()}")
    return remote, project


def copy_project(base: Path, dest: Path) -> Path:
    """Return a copy of the bootstrapped clone (links kept as links)."""
    return Path(shutil.copytree(base, dest, symlinks=True))


def kill_publish(base: Path, project: Path, remote: Path, kill: Kill,
                 limit: float) -> tuple[str, str]:
    """Copy the project, start a publish in it and kill its process group at the planned
    point; a run that ends before that point is tried again with the offset halved (at most
    twice). Return how the kill went, in words, and the phase it hit."""
    offset, retries = kill.offset, 2
    while True:
        copy_project(base, project)
        run = start_publish(project, remote)
        anchored = run.wait_for(kill.anchor, limit)
        if anchored is not None:
            time.sleep(max(0.0, anchored + offset - (time.monotonic() - run.started)))
        tools = group_tools(run.proc.pid)
        at = time.monotonic() - run.started
        ended = run.proc.poll() is not None
        if not ended:
            os.killpg(run.proc.pid, signal.SIGKILL)
        run.proc.wait()
        run.drain()
        if ended and retries:
            shutil.rmtree(project)
            offset, retries = offset / 2, retries - 1
            continue
        phase = "none (the run had ended)" if ended else run.phase()
        return (f"aimed at {kill.phase} +{offset:.2f} s, killed at {at:5.2f} s in {phase}"
                f"{f' ({tools})' if tools else ''}"), phase


def main() -> int:
    """Run the trials; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20, help="kills to try (default 20)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the kill delays")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    # Stopped from outside (`timeout` in CI): end with the publishes still running.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="kill-publish-"))
    failures: list[str] = []
    present = identical = 0
    try:
        began = time.monotonic()
        remote, base = bootstrap(work)
        old_site = tree_hashes(base / "site")
        ref = copy_project(base, work / "reference")
        run = start_publish(ref, remote)
        duration = finish(run, 900)
        ref_src, ref_site = tree_hashes(ref / "site_src"), tree_hashes(ref / "site")
        marks = ", ".join(f"{name} {at:.1f}" for at, line in run.lines
                          for name, prefix in PHASES if prefix and line.startswith(prefix))
        print(f"reference run: {duration:.1f} s (from the start: {marks}); {len(ref_site)} "
              f"site files, {len(ref_src)} site_src files; set-up "
              f"{time.monotonic() - began:.0f} s", flush=True)
        shutil.rmtree(ref)
        limit = max(120.0, 10 * duration)
        plan = kill_plan(run.lines, duration, args.trials, rng)
        phases: Counter[str] = Counter()
        for number, kill in enumerate(plan, start=1):
            project = work / f"trial-{number}"
            try:
                hit, phase = kill_publish(base, project, remote, kill, limit)
                phases[phase] += 1
                which = check_site(project, old_site, ref_site)
                present += 1
                took = finish(start_publish(project, remote), limit)
                src = tree_hashes(project / "site_src")
                if src != ref_src:
                    raise TrialError("site_src/ differs after the rerun: "
                                     f"{difference(src, ref_src)}")
                site = tree_hashes(project / "site")
                if site != ref_site:
                    raise TrialError("site/ differs after the rerun: "
                                     f"{difference(site, ref_site)}")
                if stale := leftovers(project):
                    raise TrialError(f"left beside site/: {', '.join(stale)}")
                identical += 1
                print(f"trial {number:2}: {hit}; site after the kill: {which}; rerun "
                      f"{took:.1f} s: identical", flush=True)
                shutil.rmtree(project)
            except TrialError as exc:
                failures.append(f"trial {number} ({kill.phase} +{kill.offset:.2f} s): {exc}")
                print(f"trial {number:2}: FAILED: {exc} (kept in {project})", flush=True)
        print("phases hit: " + ", ".join(f"{name} {count}" for name, count in
                                         sorted(phases.items())), flush=True)
    except TrialError as exc:
        failures.append(str(exc))
    finally:
        for proc in STARTED:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
        if not failures and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"kill -9 trials: {args.trials}, site present after each: {present}, "
          f"reruns identical: {identical}", flush=True)
    if failures:
        print(f"error: {failures[0]} (work folder {work})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
