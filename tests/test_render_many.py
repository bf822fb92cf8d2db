"""Many sessions rendered in chunks by worker processes: the same pages as one process
rendering them, and a failure in a worker reaching the caller as itself."""

from __future__ import annotations

import dataclasses
import pickle
from datetime import date
from pathlib import Path

import pytest
from demo_store import Demo
from site_project import tree_bytes

from generator.errors import DataCheckError, FormatError
from generator.narrative.check import InconsistentBriefError
from generator.narrative.check_rules import Problem
from generator.pages import day_dir
from generator.pipeline import render_days
from generator.render_many import render_many


def test_chunks_in_workers_write_what_one_process_writes(
    demo_market: Demo, tmp_path: Path
) -> None:
    config, store, days = demo_market
    chosen = days[-4:]
    one = dataclasses.replace(config, docs_dir=tmp_path / "one")
    many = dataclasses.replace(config, docs_dir=tmp_path / "many")
    said: list[str] = []
    report = render_many(many, store, chosen, said.append, chunk=2, workers=2)
    single = render_days(one, store, chosen)
    assert (report.briefs, report.days) == (single.briefs, single.days) == (16, tuple(chosen))
    assert said == ["rendering 4 sessions in 2 chunks, 2 at a time",
                    f"rendered {chosen[0]} to {chosen[1]} (2/4)",
                    f"rendered {chosen[2]} to {chosen[3]} (4/4)"]
    written = tree_bytes(many.docs_dir)
    assert any(name.endswith("small-prices.svg") for name in written)
    assert written == tree_bytes(one.docs_dir)


def test_a_failing_chunk_raises_its_own_error_and_writes_nothing(
    demo_market: Demo, tmp_path: Path
) -> None:
    config, store, days = demo_market
    config = dataclasses.replace(config, docs_dir=tmp_path / "docs")
    saturday = date(2025, 3, 22)
    with pytest.raises(DataCheckError, match="run `invoke pull --date 2025-03-22`"):
        render_many(config, store, [days[-2], saturday, days[-1]], chunk=2, workers=2)
    # The chunk of days[-2] and the Saturday is checked whole before it writes anything.
    assert not (config.docs_dir / day_dir(days[-2])).exists()


def test_errors_cross_processes_as_themselves() -> None:
    """A worker's error is pickled to the parent: its type, message and fields survive,
    whatever arguments its __init__ takes."""
    found = FormatError("bhav.csv", "not a number", row=7, field="CLOSE", hint="fix it")
    back = pickle.loads(pickle.dumps(found))
    assert type(back) is FormatError and str(back) == str(found)
    assert (back.path, back.row, back.field) == ("bhav.csv", 7, "CLOSE")
    wrong = InconsistentBriefError([("briefs/x.md", [Problem("s", "t", "u")])])
    back = pickle.loads(pickle.dumps(wrong))
    assert type(back) is InconsistentBriefError and str(back) == str(wrong)
    assert back.found == wrong.found
