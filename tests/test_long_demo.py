"""The demo market over more than 300 sessions: every brief passes the consistency checker,
and each part of the brief that depends on data appears on some days and is left out on
the days without that data (no filler)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from demo_store import Demo, pulled_demo

from generator.narrative.check import check_brief
from generator.narrative.render import render_brief
from generator.pipeline import compute_days

START, END = date(2024, 8, 1), date(2025, 10, 31)
# What marks each optional part of a brief, and the first session (0-based) it may appear.
PARTS = {
    "trend labels section": (r"^## Trend labels$", 1),
    "rating changes section": (r"^## Rating changes$", 0),
    "implications section": (r"^## What it implies$", 0),
    "winning or losing run": (r"sessions in a row", 3),
    "one-month return": (r"\(about one month\)", 21),
    "close record": (r"Its close was the (highest|lowest)", 19),
    "A/D percentile": (r"\(percentile \d+\)", 19),
    "breadth record": (r"It was the (weakest|strongest) breadth", 19),
    "above 50-session average": (r"above the 50-session average", 49),
    "above 200-session average": (r"above the 200-session average", 199),
    "52-week highs and lows": (r"\(52-week\) closing highs", 249),
    "A/D line": (r"the A/D line \(the running total", 21),
    "McClellan oscillator": (r"McClellan oscillator stood at", 38),
    "narrow move": (r"The move was narrow", 1),
    "long-term trend condition": (r"Most constituents are (above|below) their 200", 199),
    "highs against lows condition": (r"-session (highs|lows) outnumber", 249),
    "extreme breadth condition": (r"Breadth is at an extreme", 19),
    "momentum condition": (r"Breadth momentum disagrees", 38),
    "labels condition": (r"Technical labels (improved|worsened)", 1),
}


@pytest.fixture(scope="module")
def long_demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    return pulled_demo(Path(tmp_path_factory.mktemp("long-demo")), START, END)


def test_over_300_sessions_each_part_comes_and_goes_and_every_brief_checks(
    long_demo: Demo,
) -> None:
    config, store, days = long_demo
    assert len(days) >= 300
    computed, _ = compute_days(config, store, days)
    seen: Counter[str] = Counter()
    first: dict[str, int] = {}
    briefs = 0
    for position, (market, seg_days) in enumerate(computed):
        for sd in seg_days:
            text = render_brief(sd, {}, market.sources, "../../../../methodology.md")
            assert check_brief(text, sd) == [], (sd.day, sd.segment.key)
            briefs += 1
            for part, (pattern, _) in PARTS.items():
                if re.search(pattern, text, re.M):
                    seen[part] += 1
                    first.setdefault(part, position)
    assert briefs == 4 * len(days)
    for part, (_, earliest) in PARTS.items():
        assert 0 < seen[part] < briefs, (part, seen[part], briefs)
        assert first[part] >= earliest, (part, first[part])
