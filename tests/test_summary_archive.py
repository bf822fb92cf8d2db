"""The archive's summaries read lazily: days and segments from file names, a year's
summaries only when asked for, and what is derived per year kept in the memo."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from generator.config import Config, load_config
from generator.summary import BriefSummary
from generator.summary_archive import Summaries, read_summaries

REPO = Path(__file__).resolve().parent.parent


def _summary(day: date, segment: str) -> BriefSummary:
    return BriefSummary(
        day=day.isoformat(), segment=segment, label=f"{segment.title()} caps", index="Index",
        headline=f"{segment} on {day}", index_close=100.0, change_pct=1.0, window_pct=2.0,
        window_sessions=5, advances=3, declines=1, unchanged=0, not_traded=0, ad_ratio=3.0,
        mean_pct=1.0, median_pct=1.0, gainers=[], losers=[], results_due=[])


@pytest.fixture
def archive(tmp_path: Path) -> Config:
    """Three days over two years; segments written in other than their configured order."""
    config = dataclasses.replace(load_config(REPO / "brief.toml"), root=tmp_path,
                                 data_dir=tmp_path / "data", docs_dir=tmp_path / "site_src",
                                 site_dir=tmp_path / "site")
    days = {date(2023, 12, 28): ("micro", "small"), date(2024, 1, 2): ("small", "large"),
            date(2024, 1, 3): ("small",)}
    for day, keys in days.items():
        folder = config.docs_dir / f"briefs/{day:%Y/%m/%d}"
        folder.mkdir(parents=True)
        for key in keys:
            (folder / f"{key}.json").write_text(_summary(day, key).to_json(), encoding="utf-8")
        (folder / "index.md").write_text("# day\n", encoding="utf-8")
    (config.docs_dir / "briefs/2024/index.json").write_text("{}", encoding="utf-8")
    (config.docs_dir / "briefs/2024/01/notes").mkdir()
    return config


def test_days_and_segments_come_from_file_names_without_reading_a_summary(
        archive: Config) -> None:
    summaries = read_summaries(archive)
    assert summaries.days == [date(2023, 12, 28), date(2024, 1, 2), date(2024, 1, 3)]
    assert summaries.years == [2023, 2024]
    # In the configured segment order, whatever order the files were written in.
    assert summaries.segments(date(2023, 12, 28)) == ("small", "micro")
    assert summaries.segments(date(2024, 1, 2)) == ("large", "small")
    assert summaries.segments(date(2020, 1, 1)) == ()
    assert not (archive.data_dir / "tables/memo/summaries").exists()  # nothing read yet
    assert [s.headline for s in summaries[date(2024, 1, 2)]] == [
        "large on 2024-01-02", "small on 2024-01-02"]
    memo = archive.data_dir / "tables/memo/summaries"
    assert sorted(p.name for p in memo.glob("*.pickle")) == ["2024.pickle"]  # one year read
    with pytest.raises(KeyError):
        summaries[date(2024, 1, 4)]


def test_a_year_derived_value_is_kept_until_one_of_its_summaries_changes(
        archive: Config) -> None:
    calls: list[int] = []

    def count(by_day: dict[date, list[BriefSummary]]) -> int:
        calls.append(1)
        return sum(len(found) for found in by_day.values())

    assert read_summaries(archive).per_year("count", 2024, count) == 3
    again = read_summaries(archive)
    assert again.per_year("count", 2024, count) == 3 and len(calls) == 1
    path = archive.docs_dir / "briefs/2024/01/03/large.json"
    path.write_text(_summary(date(2024, 1, 3), "large").to_json(), encoding="utf-8")
    changed = read_summaries(archive)
    assert changed.segments(date(2024, 1, 3)) == ("large", "small")
    assert changed.per_year("count", 2024, count) == 4 and len(calls) == 2
    assert changed.per_year("count", 2023, count) == 2 and len(calls) == 3


def test_in_memory_summaries_behave_as_the_files_do(archive: Config) -> None:
    read = read_summaries(archive)
    held = Summaries.of(dict(read))
    assert held == read and list(held) == read.days
    assert held.segments(date(2024, 1, 2)) == read.segments(date(2024, 1, 2))
    assert held.per_year("n", 2023, len) == 1
