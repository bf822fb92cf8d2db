"""Index history is read from one cached frame per year, and follows every stored change."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import scenario
from crafted import index_bytes, put

from generator import columns as C
from generator.snapshot import load_history


def _close(history: pd.DataFrame, name: str, day: object) -> float:
    rows = history.loc[(history[C.INDEX_NAME] == name)
                       & (pd.to_datetime(history[C.TRADE_DATE]) == pd.Timestamp(day))]
    return float(rows[C.CLOSE].iloc[0])


def test_history_is_cached_per_year_and_sees_a_reissued_file(tmp_path: Path) -> None:
    crafted = scenario.build(tmp_path)
    store = crafted.store
    first = load_history(store, scenario.DAY)
    cache = tmp_path / "data/tables/memo/index_history/2026.parquet"
    assert cache.is_file()
    built = cache.stat().st_mtime_ns
    again = load_history(store, scenario.DAY)
    assert cache.stat().st_mtime_ns == built  # read, not built again
    pd.testing.assert_frame_equal(first.index_closes, again.index_closes)
    assert again.sessions == tuple(scenario.DAYS)

    # An earlier day's history stops at that day, from the same cached year.
    earlier = load_history(store, scenario.DAYS[2])
    last = pd.to_datetime(earlier.index_closes[C.TRADE_DATE]).max()
    assert last == pd.Timestamp(scenario.DAYS[2])

    # The exchange re-issues 10 Feb's file with another Sensex close.
    day = scenario.DAYS[3]
    put(store, "indices", day, f"ind_close_all_{day:%d%m%Y}.csv", index_bytes(day, [
        ("BSE SmallCap", scenario.SMALL_CLOSES[3], scenario.SMALL_CLOSES[2]),
        ("BSE Sensex", 81234.5, 80400.0)]))
    revised = load_history(store, scenario.DAY)
    assert _close(revised.index_closes, "BSE Sensex", day) == 81234.5
    assert _close(first.index_closes, "BSE Sensex", day) != 81234.5
