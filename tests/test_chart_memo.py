"""The chart memo: a brief whose chart data, code and files are unchanged is not built again,
and anything that would change what building writes makes it build."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pandas as pd
import pytest
import scenario
from site_project import tree_bytes

from generator import charts
from generator.brief_charts import write_brief_charts
from generator.chart_memo import ChartMemo, frames_key
from generator.charts import SvgBatch
from generator.metrics.segment import SegmentDay
from generator.pipeline import compute_days, render_days
from generator.store import Store


@pytest.fixture
def small(tmp_path: Path) -> SegmentDay:
    """The crafted seed day's small caps."""
    root = tmp_path / "crafted"
    root.mkdir()
    built = scenario.build(root)
    (_, days), = compute_days(built.config, built.store, [scenario.DAY])[0]
    return next(sd for sd in days if sd.segment.key == "small")


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def brief_folder(tmp_path: Path) -> tuple[Path, ChartMemo]:
    """Return a brief's folder under a docs dir, and a chart memo for that docs dir."""
    docs = tmp_path / "docs"
    return docs / "briefs" / "2025" / "01" / "02", ChartMemo(tmp_path / "memo", docs)


def no_altair(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make building any brief chart spec fail, to show a memo hit builds none."""
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("a chart spec was built")

    for name in ("index_history_chart", "segment_breadth_chart",
                 "distribution_chart", "price_panels_chart"):
        monkeypatch.setattr(charts, name, refuse)


def test_a_memo_hit_builds_nothing_and_gives_the_same_embeds(
    small: SegmentDay, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, memo = brief_folder(tmp_path)
    with SvgBatch() as batch:
        first = write_brief_charts(small, folder, "small", batch, memo)
    assert (tmp_path / "memo" / "briefs" / "2025" / "01" / "02" / "small.json").is_file()
    written = files(folder)
    with monkeypatch.context() as patched:
        no_altair(patched)
        again = write_brief_charts(small, folder, "small", None, memo)
    assert again.embeds == first.embeds
    assert (again.rendered, again.reused) == (0, len(first.embeds))
    assert files(folder) == written
    # Without the memo the same charts are built and compared: the same embeds and files.
    plain = write_brief_charts(small, folder, "small")
    assert plain.embeds == first.embeds and files(folder) == written


def test_a_changed_bundle_missing_svg_or_other_data_builds_again(
    small: SegmentDay, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, memo = brief_folder(tmp_path)
    first = write_brief_charts(small, folder, "small", None, memo)
    written = files(folder)

    (folder / "small-distribution.svg").unlink()
    again = write_brief_charts(small, folder, "small", None, memo)
    assert again.rendered == 1 and files(folder) == written

    bundle = folder / "small.charts.json.gz"
    bundle.write_bytes(b"not gzip")
    again = write_brief_charts(small, folder, "small", None, memo)
    assert again.rendered == len(first.embeds) and files(folder) == written

    # Other data (a different index close) is another key: built again, never the memo's.
    moved = dataclasses.replace(small, history=small.history.assign(
        close=small.history["close"] * 1.01))
    with monkeypatch.context() as patched:
        no_altair(patched)
        with pytest.raises(AssertionError, match="a chart spec was built"):
            write_brief_charts(moved, folder, "small", None, memo)


def test_the_key_covers_values_columns_types_and_parameters() -> None:
    frame = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    key = frames_key({"f": frame}, ("Small", 5))
    assert key == frames_key({"f": frame.copy()}, ("Small", 5))
    assert key != frames_key({"f": frame.assign(a=[1, 3])}, ("Small", 5))
    assert key != frames_key({"f": frame.astype({"a": float})}, ("Small", 5))
    assert key != frames_key({"f": frame.rename(columns={"b": "c"})}, ("Small", 5))
    assert key != frames_key({"g": frame}, ("Small", 5))
    assert key != frames_key({"f": frame}, ("Small", 6))
    assert frames_key({"f": pd.DataFrame({"a": [[1], [2]]})}, ()) is None


def test_the_key_is_the_same_for_the_same_data_in_another_representation() -> None:
    """A table just parsed and the same table read back from its Parquet cache differ in
    datetime unit and string dtype; the charts do not, so neither does the key."""
    days = pd.to_datetime(["2025-01-02", "2025-01-03"])
    fresh = pd.DataFrame({"date": days.astype("datetime64[s]"),
                          "symbol": pd.Series(["A&B", None], dtype="string"), "n": [1, 2]},
                         index=days.astype("datetime64[s]"))
    cached = pd.DataFrame({"date": days.astype("datetime64[ms]"),
                           "symbol": pd.Series(["A&B", None], dtype=object), "n": [1, 2]},
                          index=days.astype("datetime64[ns]"))
    assert frames_key({"f": fresh}, ()) == frames_key({"f": cached}, ())
    later = cached.assign(date=cached["date"] + pd.Timedelta(days=1))
    assert frames_key({"f": later}, ()) != frames_key({"f": cached}, ())


def test_a_second_render_of_the_archive_builds_no_chart_spec(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The day's briefs rendered from freshly parsed files, then again from the store's
    cached tables (another process's view): the second render builds no brief chart."""
    built = scenario.build(tmp_path)
    for table in (built.config.data_dir / "tables").glob("*"):
        shutil.rmtree(table)  # every file parsed afresh by the first render
    first = render_days(built.config, built.store, [scenario.DAY], hubs=False)
    assert first.charts_rendered > 0
    pages = tree_bytes(built.config.docs_dir)
    with monkeypatch.context() as patched:
        no_altair(patched)
        again = render_days(built.config, Store(built.config.data_dir), [scenario.DAY],
                            hubs=False)
    assert (again.charts_rendered, again.briefs) == (0, first.briefs)
    assert tree_bytes(built.config.docs_dir) == pages
