"""Render many sessions (a backfill, a rebuild of the archive): in chunks of bounded size,
in worker processes side by side, then the archive-wide pages once.

A chunk is rendered as a day's publish renders it (`render_days` without the hub pages):
its sessions computed and checked before any of its files are written, so a chunk that
fails writes nothing. Memory is bounded by the chunk, not the archive. Workers are
spawned processes (the parent runs vl-convert's and Arrow's threads), each with its own
`Store` on the same folder: chunks write different day folders, per-session derived files
and per-brief memo entries, and the caches they share are built from files no chunk
writes, so they come out the same whoever writes them first. Each worker draws its charts
itself (one SVG process per worker), so a cold rebuild does not start a pool per chunk.
The pages are byte for byte those of one process rendering the chunks in turn (a test
compares them).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import date
from multiprocessing import get_context
from pathlib import Path

from generator.archive import write_archive
from generator.charts import SvgBatch
from generator.config import Config
from generator.pipeline import RenderReport, render_days
from generator.store import Store

RENDER_CHUNK = 60  # sessions rendered at a time in a long run (bounds memory)
# Sessions a worker renders at a time: workers hold their chunks side by side, and two
# workers on chunks of 60 sessions with their parent held 1.56 GiB at once (build_times).
WORKER_CHUNK = 30
MAX_WORKERS = 4

Say = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


def render_many(config: Config, store: Store, days: list[date], say: Say = _quiet, *,
                chunk: int = RENDER_CHUNK, workers: int | None = None) -> RenderReport:
    """Render `days` in chunks of at most `chunk` sessions (WORKER_CHUNK with workers), up
    to `workers` at a time (default: the machine's cores, at most MAX_WORKERS), then the
    archive-wide pages. The chunks are of equal size and their number a multiple of the
    workers, so no worker waits out a round alone."""
    if len(days) <= chunk:
        say(f"rendering {len(days)} session(s)")
        return render_days(config, store, days)
    count = workers if workers is not None else min(os.cpu_count() or 1, MAX_WORKERS)
    if count > 1:
        chunk = min(chunk, WORKER_CHUNK)
    parts = -(-len(days) // chunk)
    if count > 1:
        parts = -(-parts // count) * count  # a multiple of the workers: no round half idle
    size = -(-len(days) // parts)
    chunks = [days[first:first + size] for first in range(0, len(days), size)]
    count = min(count, len(chunks))
    reports: list[RenderReport] = []
    done = 0

    def finished(part: list[date], report: RenderReport) -> None:
        nonlocal done
        reports.append(report)
        done += len(part)
        say(f"rendered {part[0]} to {part[-1]} ({done}/{len(days)})")

    if count < 2:
        for part in chunks:
            finished(part, render_days(config, store, part, hubs=False))
    else:
        say(f"rendering {len(days)} sessions in {len(chunks)} chunks, {count} at a time")
        pool = ProcessPoolExecutor(count, mp_context=get_context("spawn"))
        try:
            futures: list[Future[RenderReport]] = [
                pool.submit(_render_chunk, config, store.root, part) for part in chunks]
            for part, future in zip(chunks, futures, strict=True):
                finished(part, future.result())
        finally:
            # On a failure the chunks not started are dropped; running ones end first.
            pool.shutdown(wait=True, cancel_futures=True)
    with SvgBatch() as batch:
        hubs = write_archive(config, store, batch, days)
    return RenderReport(tuple(days), sum(r.briefs for r in reports),
                        sum(r.charts_rendered for r in reports) + hubs,
                        sum(r.charts_reused for r in reports))


def _render_chunk(config: Config, root: Path, days: list[date]) -> RenderReport:
    """Render one chunk in a worker process (see the module's docstring)."""
    return render_days(config, Store(root), days, hubs=False, svg_workers=1)
