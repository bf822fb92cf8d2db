"""Corrections: what changed from what to what, the note a brief shows, and its record."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
import scenario

from generator.config import Config
from generator.corrections import (
    Change,
    Correction,
    add,
    compare,
    figure_changes,
    file_changes,
    read,
    sentence_changes,
)
from generator.metrics.segment import SegmentDay, compute_day
from generator.narrative.check import check_brief, prose_sentences
from generator.narrative.notes import correction_note
from generator.narrative.render import render_brief
from generator.pages import corrections_page
from generator.snapshot import MarketDay, load_day, load_history, load_ratings
from generator.summary import BriefSummary, summarise

ON = date(2026, 2, 13)


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Config, MarketDay, SegmentDay]:
    """The crafted seed day's small-cap segment, with the files it was computed from."""
    crafted = scenario.build(tmp_path_factory.mktemp("seed"))
    market = load_day(crafted.store, crafted.config, scenario.DAY)
    days = compute_day(crafted.config, market, load_history(crafted.store, scenario.DAY),
                       scenario.trend_changes(crafted.small),
                       load_ratings(crafted.store, scenario.DAY))
    return crafted.config, market, next(sd for sd in days if sd.segment.key == "small")


@pytest.fixture
def summary(seed: tuple[Config, MarketDay, SegmentDay]) -> BriefSummary:
    _, market, small = seed
    return summarise(small, market.sources)


def test_summary_records_the_files_it_was_computed_from(summary: BriefSummary,
                                                        seed: tuple[Config, MarketDay,
                                                                    SegmentDay]) -> None:
    _, market, _ = seed
    assert summary.sources == [{"kind": f.kind, "day": f.day.isoformat(), "name": f.name,
                                "sha256": f.sha256} for f in market.sources]
    assert {s["kind"] for s in summary.sources} >= {"equities", "indices", "constituents"}


def test_figure_changes_are_printed_as_the_brief_prints_them(summary: BriefSummary) -> None:
    gainer = {**summary.gainers[0], "symbol": "NEWCO", "return_pct": 20.5}
    later = dataclasses.replace(summary, advances=summary.advances + 1,
                                declines=summary.declines - 1, ad_ratio=0.4651,
                                index_close=None, gainers=[gainer, *summary.gainers[1:]])
    changes = figure_changes(summary, later)
    assert [c.what for c in changes] == ["index close", "advances", "declines", "A/D ratio",
                                         "top gainers"]
    assert changes[0] == Change("index close", "10,195.00", "missing")
    assert changes[1] == Change("advances", "378", "379")
    assert changes[3] == Change("A/D ratio", "0.46", "0.47")
    # A change too small to show as printed is no change.
    assert figure_changes(summary, dataclasses.replace(summary, ad_ratio=0.4640)) == []
    # A list names the stocks that left it, joined it or changed in it.
    assert changes[4] == Change("top gainers", "ABCO +12.99%", "NEWCO +20.50%")
    assert figure_changes(summary, summary) == []


def test_list_changes_name_only_the_stocks_that_changed(summary: BriefSummary) -> None:
    first, second, *rest = summary.losers
    moved = {**second, "return_pct": second["return_pct"] - 1}
    later = dataclasses.replace(summary, losers=[first, moved, *rest])
    (change,) = figure_changes(summary, later)
    assert change.what == "top losers"
    assert change.before.count(" ") == 1 and change.before.startswith(second["symbol"])
    assert change.after.startswith(second["symbol"] + " \u2212")
    reordered = dataclasses.replace(summary, losers=[second, first, *rest])
    assert figure_changes(summary, reordered)[0].before.startswith(first["symbol"] + ", ")


def test_file_changes_name_reissued_added_and_removed_files(summary: BriefSummary) -> None:
    first, *rest = summary.sources
    later = dataclasses.replace(summary, sources=[
        {**first, "sha256": "f" * 64}, *rest[:-1], {**rest[-1], "name": "added.csv"}])
    changes = file_changes(summary, later)
    assert Change(first["name"], first["sha256"][:12], "f" * 12) in changes
    assert Change(rest[-1]["name"], rest[-1]["sha256"][:12], "none") in changes
    assert Change("added.csv", "none", rest[-1]["sha256"][:12]) in changes
    # A brief published before its sources were recorded has nothing to compare.
    assert file_changes(dataclasses.replace(summary, sources=[]), later) == []


def test_sentence_changes_pair_replaced_sentences() -> None:
    old = ["A rose 1%.", "B fell.", "C held.", "Gone."]
    new = ["A rose 2%.", "B fell.", "C held.", "New one."]
    assert sentence_changes(old, new) == [Change("sentence", "A rose 1%.", "A rose 2%."),
                                          Change("sentence", "Gone.", "New one.")]
    assert sentence_changes(old, old[:3]) == [Change("sentence", "Gone.", "")]


def test_compare_returns_nothing_for_an_unchanged_brief(summary: BriefSummary) -> None:
    assert compare(summary, summary, ["x."], ["x."], ON) is None
    found = compare(summary, dataclasses.replace(summary, declines=1), ["x."], ["y."], ON)
    assert found is not None and found.published == "2026-02-13" and found.segment == "small"


def _hostile_correction() -> Correction:
    return Correction("2026-02-13", "small",
                      (Change("Bhav<script>alert(1)</script>.csv", "a" * 12, "b" * 12),),
                      (Change("top gainers", 'X"><img src=x onerror=alert(1)> +1.00%',
                              "Y +2.00%"),),
                      (Change("sentence", "Top gainer: A&B <Co> *Ltd* | x (ABCO) +12.99%.",
                              ""),))


def test_a_note_escapes_every_data_string() -> None:
    note = correction_note(_hostile_correction())
    assert note.startswith('<div class="brief-correction" markdown>')
    for raw in ("<script>", "<img", "<Co>", "*Ltd*", '">'):
        assert raw not in note
    assert "**Corrected on Friday 13 February 2026.**" in note
    assert "Removed: “" in note


def test_a_brief_with_a_correction_note_passes_the_checker(
    seed: tuple[Config, MarketDay, SegmentDay]
) -> None:
    _, market, small = seed
    stale = Correction("2026-02-13", "small", (), (Change("advances", "999", "378"),),
                       (Change("sentence", "Of the 1,200 constituents, 999 advanced.", ""),))
    text = render_brief(small, {}, market.sources, "../../../methodology.md", "",
                        [stale])
    assert "advances 999 → 378" in text
    assert check_brief(text, small) == []
    plain = render_brief(small, {}, market.sources, "../../../methodology.md", "")
    assert prose_sentences(text) == prose_sentences(plain)


def test_corrections_are_recorded_once_and_read_back(tmp_path: Path) -> None:
    first = _hostile_correction()
    second = dataclasses.replace(first, segment="large")
    add(tmp_path, [first])
    add(tmp_path, [first, second])  # a run repeated after a failure records it once
    assert read(tmp_path) == [first, second]
    assert read(tmp_path / "nowhere") == []


def test_corrections_page_lists_every_correction_newest_first(
    seed: tuple[Config, MarketDay, SegmentDay]
) -> None:
    config = seed[0]
    older = Correction("2026-02-13", "small", (Change("f.csv", "a", "b"),),
                       (Change("advances", "1", "2"),), ())
    newer = Correction("2026-02-20", "small", (), (), (Change("sentence", "a", "b"),))
    page = corrections_page(config, [(date(2026, 2, 12), older), (date(2026, 2, 12), newer)])
    rows = [line for line in page.splitlines() if "Feb 2026 | [" in line]
    assert rows == [
        "| 20 Feb 2026 | [Small caps, 12 Feb 2026](briefs/2026/02/12/small.md) | an earlier "
        "session's data corrected | 1 sentence |",
        "| 13 Feb 2026 | [Small caps, 12 Feb 2026](briefs/2026/02/12/small.md) | f.csv "
        "re-issued | advances 1 → 2 |",
    ]
    assert "No brief has been corrected." in corrections_page(config, [])
