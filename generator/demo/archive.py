"""Write the demo market into an archive folder laid out like the exchange's downloads."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from generator.demo.formats import (
    render_bhavcopy,
    render_board_meetings,
    render_constituents,
    render_holidays,
    render_index_close,
)
from generator.demo.market import CONSTITUENT_FILES, DemoMarket
from generator.fileio import write_bytes_atomic
from generator.sources import nse_board_meetings, nse_indices, nse_udiff


def archive_files(market: DemoMarket) -> Iterator[tuple[Path, bytes]]:
    """Yield (path relative to the archive folder, file bytes) for every file of the archive."""
    yield Path("holidays.json"), render_holidays(market)
    for name in CONSTITUENT_FILES:
        yield Path("constituents", name), render_constituents(market, name)
    for day in market.trading_days:
        yield Path("equities", nse_udiff.file_name(day)), render_bhavcopy(market, day)
        yield Path("indices", nse_indices.file_name(day)), render_index_close(market, day)
        yield (Path("board_meetings", nse_board_meetings.file_name(day)),
               render_board_meetings(market, day))


def write_archive(market: DemoMarket, archive_dir: Path) -> list[Path]:
    """Write every archive file (atomically, skipping identical ones); return all their paths."""
    paths: list[Path] = []
    for relative, data in archive_files(market):
        path = archive_dir / relative
        write_bytes_atomic(path, data)
        paths.append(path)
    return sorted(paths)
