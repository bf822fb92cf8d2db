"""Shared fixtures and options for the test suite."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from demo_store import Demo, pulled_demo


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add --snapshot-update, which rewrites golden files instead of comparing with them."""
    parser.addoption(
        "--snapshot-update",
        action="store_true",
        default=False,
        help="rewrite golden files under tests/golden/ instead of comparing with them",
    )


@pytest.fixture
def snapshot_update(request: pytest.FixtureRequest) -> bool:
    """Return whether this run rewrites golden files."""
    return bool(request.config.getoption("--snapshot-update"))


@pytest.fixture
def golden(snapshot_update: bool) -> Callable[[Path, str], None]:
    """Return a checker that compares text with a golden file, or rewrites it on update."""

    def check(path: Path, actual: str) -> None:
        if snapshot_update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8", newline="\n")
            return
        assert path.is_file(), f"{path} is missing; run pytest --snapshot-update to create it"
        expected = path.read_text(encoding="utf-8")
        assert actual == expected, f"{path} differs; run pytest --snapshot-update if intended"

    return check


@pytest.fixture(scope="session")
def demo_market(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """The demo market from 1 January to 21 March 2025 (55 sessions), pulled into a store.

    Shared by every test module: tests read it and write only outside its store.
    """
    return pulled_demo(tmp_path_factory.mktemp("demo-market"), date(2025, 1, 1),
                       date(2025, 3, 21))

