"""Write the demo market into an archive folder laid out like the exchange's downloads."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from generator.demo.formats import (
    bhavcopy_name,
    index_close_name,
    meetings_name,
    render_bhavcopy,
    render_board_meetings,
    render_constituents,
    render_holidays,
    render_index_close,
)
from generator.demo.market import CONSTITUENT_FILES, DemoMarket


def archive_files(market: DemoMarket) -> Iterator[tuple[Path, bytes]]:
    """Yield (path relative to the archive folder, file bytes) for every file of the archive."""
    yield Path("holidays.json"), render_holidays(market)
    for name in CONSTITUENT_FILES:
        yield Path("constituents", name), render_constituents(market, name)
    for day in market.trading_days:
        yield Path("equities", bhavcopy_name(day)), render_bhavcopy(market, day)
        yield Path("indices", index_close_name(day)), render_index_close(market, day)
        yield Path("board_meetings", meetings_name(day)), render_board_meetings(market, day)


def write_archive(market: DemoMarket, archive_dir: Path) -> list[Path]:
    """Write every archive file (atomically, skipping identical ones); return all their paths."""
    paths: list[Path] = []
    for relative, data in archive_files(market):
        path = archive_dir / relative
        write_if_changed(path, data)
        paths.append(path)
    return sorted(paths)


def write_if_changed(path: Path, data: bytes) -> bool:
    """Replace `path` with `data` through a temporary file unless it already holds them."""
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        Path(temp_name).replace(path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return True
