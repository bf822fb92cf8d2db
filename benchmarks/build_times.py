"""Wall time and peak memory of the demo build (60 sessions) and render + build (250 sessions).

Each scenario runs in a fresh child process in a temp project, so its peak memory is its own.
The build runs from a small process of its own: a child forked from the large render
process would report the parent's pages as its peak, so mkdocs' and Pagefind's peak
(ru_maxrss of the build's children) is measured there.
Usage: python benchmarks/build_times.py [--scenario demo60|render250]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
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
    text = text.replace('name = "nse"', 'name = "demo"')
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


def _children_peak() -> int:
    """Return the largest peak RSS (MiB) of this process's finished children so far."""
    return round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


def _build(config_path: Path) -> dict[str, int]:
    """Build the site of a project in this (small) process; return its children's peak."""
    build_site(load_config(config_path), MKDOCS_YML)
    return {"peak_rss_mib_build": _children_peak()}


def _build_in_child(config: Config, root: Path) -> int:
    """Build the site from a fresh small process; return the build's peak RSS in MiB."""
    out = subprocess.run([sys.executable, __file__, "--build", str(root / "brief.toml")],
                         check=True, capture_output=True, text=True).stdout
    return int(json.loads(out.strip().splitlines()[-1])["peak_rss_mib_build"])


def run_scenario(name: str) -> dict[str, object]:
    """Run one scenario in this process and return its figures."""
    sessions = {"demo60": 60, "render250": 250}[name]
    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as tmp:
        config = _project(Path(tmp), sessions)
        if name == "demo60":
            started = time.perf_counter()
            days = _demo_build(config)
            worker_peak = _children_peak()
            build_peak = _build_in_child(config, Path(tmp))
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
            render_days(config, store, days)
            worker_peak = _children_peak()
            build_peak = _build_in_child(config, Path(tmp))
            elapsed = time.perf_counter() - started
        briefs = len(list((config.docs_dir / "briefs").glob("*/*/*/*.md"))) - len(days)
        pages = len(list(config.site_dir.rglob("*.html")))
    return {
        "scenario": name,
        "sessions": len(days),
        "briefs": briefs,
        "html_pages": pages,
        "wall_s": round(elapsed, 1),
        "peak_rss_mib_python": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "peak_rss_mib_worker": worker_peak,
        "peak_rss_mib_build": build_peak,
    }


def main() -> None:
    """Run each scenario in its own process and print a table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenario", choices=["demo60", "render250"])
    parser.add_argument("--build", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        print(json.dumps(_build(args.build)))
        return
    if args.scenario:
        print(json.dumps(run_scenario(args.scenario)))
        return
    print(f"{'scenario':<10} {'sessions':>8} {'briefs':>6} {'pages':>6} {'wall s':>7} "
          f"{'peak MiB: render':>17} {'chart worker':>13} {'build':>6}")
    for name in ("demo60", "render250"):
        out = subprocess.run([sys.executable, __file__, "--scenario", name], check=True,
                             capture_output=True, text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        print(f"{r['scenario']:<10} {r['sessions']:>8} {r['briefs']:>6} {r['html_pages']:>6} "
              f"{r['wall_s']:>7} {r['peak_rss_mib_python']:>17} {r['peak_rss_mib_worker']:>13} "
              f"{r['peak_rss_mib_build']:>6}")


if __name__ == "__main__":
    main()
