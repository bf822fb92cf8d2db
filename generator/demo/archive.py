"""Write the demo market into an archive folder laid out like the exchange's downloads."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from generator.demo.amfi_file import published_periods, render_amfi_list
from generator.demo.bse_files import (
    BSE_INDICES,
    bse_index_levels,
    render_bse_bhavcopy,
    render_bse_index,
    render_bse_results,
)
from generator.demo.formats import (
    render_bhavcopy,
    render_board_meetings,
    render_constituents,
    render_holidays,
    render_index_close,
)
from generator.demo.market import CONSTITUENT_FILES, DemoMarket
from generator.demo.ratings import render_ratings
from generator.fileio import write_bytes_atomic
from generator.sources import (
    amfi,
    bse_indices,
    bse_results,
    bse_udiff,
    nse_board_meetings,
    nse_indices,
    nse_udiff,
    ratings,
)


def archive_files(market: DemoMarket) -> Iterator[tuple[Path, bytes]]:
    """Yield (path relative to the archive folder, file bytes) for every file of the archive.

    NSE's and BSE's files of every session, a fictional provider's ratings feed, the
    constituent lists, the AMFI lists in force over the range, and the holiday list.
    """
    yield Path("holidays.json"), render_holidays(market)
    for name in CONSTITUENT_FILES:
        yield Path("constituents", name), render_constituents(market, name)
    for period in published_periods(market.start, market.end):
        yield Path("amfi", amfi.file_name(period)), render_amfi_list(market, period)
    bse_levels = bse_index_levels(market)
    for day in market.trading_days:
        yield Path("equities", nse_udiff.file_name(day)), render_bhavcopy(market, day)
        yield Path("equities", bse_udiff.file_name(day)), render_bse_bhavcopy(market, day)
        yield Path("indices", nse_indices.file_name(day)), render_index_close(market, day)
        for name, (code, *_) in BSE_INDICES.items():
            yield (Path("indices", bse_indices.file_name(code, day)),
                   render_bse_index(bse_levels, name, day))
        yield (Path("board_meetings", nse_board_meetings.file_name(day)),
               render_board_meetings(market, day))
        yield (Path("board_meetings", bse_results.file_name(day)),
               render_bse_results(market, day))
        yield Path("ratings", ratings.file_name(day)), render_ratings(market, day)


def write_archive(market: DemoMarket, archive_dir: Path) -> list[Path]:
    """Write every archive file (atomically, skipping identical ones); return all their paths."""
    paths: list[Path] = []
    for relative, data in archive_files(market):
        path = archive_dir / relative
        write_bytes_atomic(path, data)
        paths.append(path)
    return sorted(paths)
