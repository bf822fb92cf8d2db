"""The store keeps raw files exactly as received, with provenance, and caches tables."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from generator.config import check_remote, load_config, parse_config
from generator.errors import ConfigError
from generator.sources import nse_holidays
from generator.store import Store

DAY = date(2025, 1, 2)
WHEN = datetime(2025, 1, 2, 19, 0, tzinfo=UTC)


def test_put_raw_keeps_bytes_and_sidecar(tmp_path: Path) -> None:
    store = Store(tmp_path)
    assert store.put_raw("equities", DAY, "f.csv", b"a,b\n1,2\n", source="demo",
                         received_at=WHEN) == "new"
    path = store.raw_path("equities", DAY, "f.csv")
    assert path.read_bytes() == b"a,b\n1,2\n"
    meta = json.loads(Path(f"{path}.meta.json").read_text())
    assert meta == {"name": "f.csv", "kind": "equities", "day": "2025-01-02", "source": "demo",
                    "received_at": "2025-01-02T19:00:00+00:00",
                    "sha256": hashlib.sha256(b"a,b\n1,2\n").hexdigest(), "bytes": 8}
    assert store.put_raw("equities", DAY, "f.csv", b"a,b\n1,2\n", source="demo",
                         received_at=WHEN) == "same"
    assert [f.name for f in store.files("equities", DAY)] == ["f.csv"]
    assert store.days("equities") == [DAY]


def test_put_raw_keeps_the_old_version_of_a_changed_file(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.put_raw("equities", DAY, "f.csv", b"old\n", source="demo", received_at=WHEN)
    assert store.put_raw("equities", DAY, "f.csv", b"new\n", source="demo",
                         received_at=WHEN) == "revised"
    kept = list((store.raw_path("equities", DAY, "f.csv").parent / ".revisions").iterdir())
    assert sorted(p.read_bytes() for p in kept if not p.name.endswith(".json")) == [b"old\n"]


def test_table_is_parsed_again_only_when_the_raw_file_changes(tmp_path: Path) -> None:
    store = Store(tmp_path)
    calls: list[str] = []

    def parse(raw: bytes, path: str) -> object:
        calls.append(path)
        import pandas as pd

        return pd.DataFrame({"day": [d.isoformat() for d in nse_holidays.parse(raw, path)]})

    data = b'{"CM": [{"tradingDate": "26-Jan-2025"}]}'
    store.put_raw("holidays", DAY, "holidays.json", data, source="demo", received_at=WHEN)
    stored = store.files("holidays", DAY)[0]
    first = store.table(stored, parse)  # type: ignore[arg-type]
    again = store.table(stored, parse)  # type: ignore[arg-type]
    assert list(first["day"]) == list(again["day"]) == ["2025-01-26"]
    assert len(calls) == 1
    store.put_raw("holidays", DAY, "holidays.json", data.replace(b"26", b"27"),
                  source="demo", received_at=WHEN)
    assert list(store.table(stored, parse)["day"]) == ["2025-01-27"]  # type: ignore[arg-type]
    assert len(calls) == 2


def test_config_errors_say_what_to_fix(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "missing.toml")
    with pytest.raises(ConfigError) as excinfo:
        parse_config({"segments": [{"key": "a", "label": "A", "index": "I"}]}, root=tmp_path)
    assert str(excinfo.value) == (
        "config: segment #1 needs either 'constituents' (a list file name) or 'amfi_ranks' "
        "(e.g. [251, 500]), not both or neither")
    with pytest.raises(ConfigError, match="no \\[\\[segments\\]\\] defined"):
        parse_config({}, root=tmp_path)


@pytest.mark.parametrize(("key", "value"), [("branch", "--force"), ("branch", "a..b"),
                                            ("archive_branch", "x.lock"), ("remote", "-u"),
                                            ("remote", "ext::sh -c id"), ("remote", "a\tb")])
def test_deploy_settings_that_git_would_misread_are_refused(
    tmp_path: Path, key: str, value: str,
) -> None:
    segments = [{"key": "a", "label": "A", "index": "I", "constituents": "a.csv"}]
    with pytest.raises(ConfigError, match=f"\\[deploy\\] {key} must be"):
        parse_config({"segments": segments, "deploy": {key: value}}, root=tmp_path)


@pytest.mark.parametrize("remote", ["origin", "/srv/git/site.git", "git@github.com:a/b.git",
                                    "https://github.com/a/b.git", "../R.git"])
def test_ordinary_remotes_are_accepted(remote: str) -> None:
    assert check_remote(remote, "--remote") == remote


def test_derived_tables_are_kept_one_file_per_session(tmp_path: Path) -> None:
    import pandas as pd

    store = Store(tmp_path)
    first = pd.DataFrame({"trade_date": pd.to_datetime(["2025-03-03", "2025-03-03",
                                                        "2025-03-04"]),
                          "isin": ["INE2", "INE1", "INE1"], "label": ["a", "b", "c"]})
    assert [p.name for p in store.put_derived("t", first)] == ["2025-03-03.csv",
                                                                "2025-03-04.csv"]
    later = pd.DataFrame({"trade_date": pd.to_datetime(["2025-03-04", "2025-03-05"]),
                          "isin": ["INE1", "INE1"], "label": ["C", "d"]})
    written = store.put_derived("t", later)
    folder = tmp_path / "derived" / "t"
    assert sorted(p.name for p in folder.iterdir()) == ["2025-03-03.csv", "2025-03-04.csv",
                                                        "2025-03-05.csv"]  # no temp file left
    assert (folder / "2025-03-03.csv").read_text() == "isin,label\nINE1,b\nINE2,a\n"
    assert [p.name for p in written] == ["2025-03-04.csv", "2025-03-05.csv"]
    assert store.put_derived("t", later) == []  # the same rows: nothing rewritten
    table = store.derived("t")
    assert table is not None
    assert table.to_dict("list") == {
        "isin": ["INE1", "INE2", "INE1", "INE1"], "label": ["b", "a", "C", "d"],
        "trade_date": list(pd.to_datetime(["2025-03-03", "2025-03-03", "2025-03-04",
                                           "2025-03-05"]))}



def test_derived_tables_read_a_year_at_once_and_follow_every_change(tmp_path: Path) -> None:
    """Each year's session files are read once into a cached Parquet file; a change to any
    of them (a session rendered again) is seen at the next read, and a filter by column
    returns only the rows asked for."""
    import os

    import pandas as pd

    store = Store(tmp_path)
    days = pd.to_datetime(["2024-12-30", "2024-12-31", "2025-01-01"])
    frame = pd.DataFrame({"trade_date": days.repeat(2), "isin": ["INE1", "INE2"] * 3,
                          "label": list("abcdef")})
    store.put_derived("t", frame)
    whole = store.derived("t")
    assert whole is not None and len(whole) == 6
    assert sorted(p.name for p in (tmp_path / "tables/memo/derived/t").glob("*.parquet")) == [
        "2024.parquet", "2025.parquet"]
    only = store.derived("t", "isin", ["INE2"])
    assert only is not None and only["label"].tolist() == ["b", "d", "f"]
    cached = (tmp_path / "tables/memo/derived/t/2024.parquet").stat().st_mtime_ns
    assert store.derived("t") is not None
    assert (tmp_path / "tables/memo/derived/t/2024.parquet").stat().st_mtime_ns == cached

    changed = pd.DataFrame({"trade_date": pd.to_datetime(["2024-12-31"]), "isin": ["INE2"],
                            "label": ["X"]})
    store.put_derived("t", changed)
    path = tmp_path / "derived/t/2024-12-31.csv"
    os.utime(path, ns=(cached + 1, cached + 1))  # even within one clock tick
    again = store.derived("t", "isin", ["INE2"])
    assert again is not None and again["label"].tolist() == ["b", "X", "f"]
