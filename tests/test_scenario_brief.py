"""The seed brief's day, crafted as exchange files, rendered end to end."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import scenario

from generator.metrics.segment import SegmentDay, compute_day
from generator.pipeline import render_days
from generator.snapshot import load_day, load_history

GOLDEN = Path(__file__).parent / "golden" / "brief_small_2026-02-12.md"


@pytest.fixture
def crafted(tmp_path: Path) -> scenario.Scenario:
    return scenario.build(tmp_path)


def _small(crafted: scenario.Scenario) -> SegmentDay:
    market = load_day(crafted.store, crafted.config, scenario.DAY)
    history = load_history(crafted.store, scenario.DAY)
    return next(sd for sd in compute_day(crafted.config, market, history)
                if sd.segment.key == "small")


def test_scenario_metrics_match_the_crafted_day(crafted: scenario.Scenario) -> None:
    sd = _small(crafted)
    assert sd.breadth.constituents == 1200
    assert (sd.breadth.advances, sd.breadth.declines) == (378, 816)
    assert (sd.breadth.unchanged, sd.breadth.not_traded) == (4, 2)
    assert sd.move is not None
    assert round(sd.move.change_pct, 2) == 2.52
    assert round(sd.move.window_pct or 0, 2) == 1.95
    assert sd.move.window_sessions == 5
    assert sd.segment_rank == 1
    assert round(sd.gainers["return_pct"].iloc[0], 2) == 12.99
    assert round(sd.losers["return_pct"].iloc[0], 2) == -16.78
    assert list(sd.results["symbol"]) == ["UP0005", "DN0222"]


def test_scenario_brief_states_every_figure(crafted: scenario.Scenario) -> None:
    render_days(crafted.config, crafted.store, [scenario.DAY])
    text = (crafted.config.docs_dir / "briefs/2026/02/12/small.md").read_text()
    for figure in ("378", "816", "0.46", "2.52%", "1.95%", "+12.99%", "\u221216.78%"):
        assert figure in text, figure
    assert "breadth was weak" in text
    assert "best of the two segments" in text
    assert "narrow" in text
    assert "A&#38;B &#60;Co&#62; &#42;Ltd&#42; &#124; x" in text
    assert "Not investment advice" in text


def test_scenario_brief_matches_golden(
    crafted: scenario.Scenario, golden: Callable[[Path, str], None]
) -> None:
    render_days(crafted.config, crafted.store, [scenario.DAY])
    golden(GOLDEN, (crafted.config.docs_dir / "briefs/2026/02/12/small.md").read_text())
