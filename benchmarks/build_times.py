"""Wall time and peak memory of the demo build (60 sessions) and render + build (250 sessions).

The 250 sessions are rendered as `invoke render` and `invoke publish --rebuild` render many:
in chunks of 60 by worker processes (`generator.render_many`), whose peaks are sampled as
below; `all processes` is the most the render and its descendants held at once (the sum
of their VmRSS, sampled every 0.2 s). The 250 sessions are then rendered
again, as after a template change, with every chart cached.

Each scenario runs in a fresh child process in a temp project, so its peak memory is its own.
The peaks of the processes it starts (chart workers while rendering; mkdocs and Pagefind
while building) are sampled from /proc (`DescendantPeaks`), not read from ru_maxrss, which
counts a forked child's pages shared with its large parent.
Usage: python benchmarks/build_times.py [--scenario demo60|render250]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from site_project import MKDOCS_YML, copy_static_pages  # noqa: E402

from generator.calendar import TradingCalendar  # noqa: E402
from generator.config import Config, load_config  # noqa: E402
from generator.demo import simulate_market, write_archive  # noqa: E402
from generator.pipeline import render_days  # noqa: E402
from generator.pull import archive_sessions, demo_archive, pull_day  # noqa: E402
from generator.render_many import render_many  # noqa: E402
from generator.site import build_site  # noqa: E402
from generator.sources import nse_holidays  # noqa: E402
from generator.store import Store  # noqa: E402

START = date(2025, 1, 1)
RECEIVED = datetime(2025, 12, 31, 19, 0, tzinfo=timezone(timedelta(hours=5, minutes=30)))


def _end_for(config: Config, sessions: int) -> date:
    """Return the end date that gives the demo market `sessions` sessions from START."""
    archive = demo_archive(config)
    write_archive(simulate_market(config.demo.seed, START, START + timedelta(days=500)), archive)
    raw = (archive / nse_holidays.FILE_NAME).read_bytes()
    calendar = TradingCalendar.from_holidays(nse_holidays.parse(raw, "holidays.json"))
    days = calendar.sessions(START, START + timedelta(days=500))
    shutil.rmtree(archive)
    return days[sessions - 1]


def _project(root: Path, sessions: int) -> Config:
    text = (REPO / "brief.toml").read_text(encoding="utf-8")
    # The demo market, never the exchanges: a benchmark reaches no network.
    text, count = re.subn(r'(?m)^name = "[a-z]+"', 'name = "demo"', text, count=1)
    if count != 1:
        raise SystemExit("brief.toml has no [source] name line to point at the demo market")
    (root / "brief.toml").write_text(text, encoding="utf-8")
    copy_static_pages(root / "site_src")
    config = load_config(root / "brief.toml")
    end = _end_for(config, sessions)
    text = text.replace("end = 2025-04-11", f"end = {end.isoformat()}")
    (root / "brief.toml").write_text(text, encoding="utf-8")
    return load_config(root / "brief.toml")


def _demo_build(config: Config) -> list[date]:
    settings = config.demo
    write_archive(simulate_market(settings.seed, settings.start, settings.end),
                  demo_archive(config))
    store = Store(config.data_dir)
    days = archive_sessions(config)
    for day in days:
        pull_day(config, store, day, RECEIVED)
    render_days(config, store, days)
    return days


class DescendantPeaks:
    """Sample the peak RSS (VmHWM) of this process's descendants from /proc while running.

    ru_maxrss cannot tell a child's own size: a child forked from a large process (a
    spawned chart worker, mkdocs, Pagefind) keeps the pages it shared with its parent as
    its peak, even after exec. VmHWM belongs to the process's own address space, so a
    sample taken while it lives reads its real peak.
    """

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.peaks: dict[int, int] = {}
        self.together = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> DescendantPeaks:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mib(self) -> int:
        return round(max(self.peaks.values(), default=0) / 1024)

    @property
    def together_mib(self) -> int:
        """The most memory this process and its descendants held at one sample (VmRSS)."""
        return round(self.together / 1024)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            together = _status_kib(os.getpid(), "VmRSS:")
            for pid in _descendants(os.getpid()):
                kib = _hwm_kib(pid)
                if kib:
                    self.peaks[pid] = max(self.peaks.get(pid, 0), kib)
                together += _status_kib(pid, "VmRSS:")
            self.together = max(self.together, together)


def _descendants(root: int) -> set[int]:
    """Return the pids of every process below `root`, from /proc/*/stat."""
    parent: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parent[int(stat.parent.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {root}
    while frontier:
        frontier = {pid for pid, ppid in parent.items() if ppid in frontier} - found
        found |= frontier
    return found


def _hwm_kib(pid: int) -> int:
    """Return a process's VmHWM in KiB (0 when it is gone)."""
    return _status_kib(pid, "VmHWM:")


def _status_kib(pid: int, field: str) -> int:
    """Return a KiB field of a process's /proc status (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_scenario(name: str) -> dict[str, object]:
    """Run one scenario in this process and return its figures."""
    sessions = {"demo60": 60, "render250": 250}[name]
    rerender = None
    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as tmp:
        config = _project(Path(tmp), sessions)
        if name == "demo60":
            started = time.perf_counter()
            with DescendantPeaks() as workers:
                days = _demo_build(config)
            with DescendantPeaks() as build:
                build_site(config, MKDOCS_YML)
            elapsed = time.perf_counter() - started
        else:
            settings = config.demo
            write_archive(simulate_market(settings.seed, settings.start, settings.end),
                          demo_archive(config))
            store = Store(config.data_dir)
            days = archive_sessions(config)
            for day in days:
                pull_day(config, store, day, RECEIVED)
            started = time.perf_counter()
            with DescendantPeaks() as workers:
                render_many(config, store, days)
            with DescendantPeaks() as build:
                build_site(config, MKDOCS_YML)
            elapsed = time.perf_counter() - started
            # The same sessions rendered again, as after a template change: the charts are
            # on disk and in the chart memo, so no chart is built or drawn.
            again = time.perf_counter()
            render_many(config, store, days)
            rerender = time.perf_counter() - again
        briefs = len(list((config.docs_dir / "briefs").glob("*/*/*/*.md"))) - len(days)
        pages = len(list(config.site_dir.rglob("*.html")))
    return {
        "scenario": name,
        "sessions": len(days),
        "briefs": briefs,
        "html_pages": pages,
        "wall_s": round(elapsed, 1),
        "peak_rss_mib_python": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "peak_rss_mib_worker": workers.peak_mib,
        "peak_rss_mib_all": workers.together_mib,
        "peak_rss_mib_build": build.peak_mib,
        "rerender_s": None if rerender is None else round(rerender, 1),
    }


def main() -> None:
    """Run each scenario in its own process and print a table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenario", choices=["demo60", "render250"])
    args = parser.parse_args()
    if args.scenario:
        print(json.dumps(run_scenario(args.scenario)))
        return
    print(f"{'scenario':<10} {'sessions':>8} {'briefs':>6} {'pages':>6} {'wall s':>7} "
          f"{'peak MiB: render':>17} {'a worker':>9} {'all processes':>14} {'build':>6}")
    for name in ("demo60", "render250"):
        out = subprocess.run([sys.executable, __file__, "--scenario", name], check=True,
                             capture_output=True, text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        print(f"{r['scenario']:<10} {r['sessions']:>8} {r['briefs']:>6} {r['html_pages']:>6} "
              f"{r['wall_s']:>7} {r['peak_rss_mib_python']:>17} {r['peak_rss_mib_worker']:>9} "
              f"{r['peak_rss_mib_all']:>14} {r['peak_rss_mib_build']:>6}")
        if r["rerender_s"] is not None:
            print(f"{r['scenario']}: rendered again (charts cached) in {r['rerender_s']} s, "
                  f"{r['rerender_s'] / r['sessions']:.2f} s a session")


if __name__ == "__main__":
    main()
