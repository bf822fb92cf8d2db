"""The demo market written for a date range and pulled into a store, as tests and
benchmarks use it."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from pathlib import Path

from generator.config import Config, load_config
from generator.pull import archive_sessions, pull_day, write_demo_archive
from generator.store import Store

REPO = Path(__file__).resolve().parents[1]
Demo = tuple[Config, Store, list[date]]


def pulled_demo(root: Path, start: date, end: date) -> Demo:
    """Write the demo market's archive for start..end under root and pull every session."""
    config = dataclasses.replace(load_config(REPO / "brief.toml"), root=root,
                                 data_dir=root / "data", docs_dir=root / "site_src",
                                 site_dir=root / "site", source="demo")
    write_demo_archive(config, config.demo.seed, start, end)
    store = Store(config.data_dir)
    days = archive_sessions(config)
    for day in days:
        pull_day(config, store, day, datetime.combine(end, datetime.min.time(), UTC))
    return config, store, days
