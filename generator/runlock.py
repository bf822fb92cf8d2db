"""One run at a time in a project: the tasks that write the store, the docs or the site
(pull, backfill, render, build, publish, demo) hold a lock on the project while they run.

The lock is an advisory `flock` on `<project>/.market-brief.lock`: the system releases it
when its process ends, however it ends, so a lock left by a killed run is simply taken
over. The file says which task holds it, since when and in which process, for the message
a second run gives.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from generator.errors import GeneratorError

LOCK_NAME = ".market-brief.lock"


class BusyError(GeneratorError):
    """Another run holds the project's lock."""


@contextmanager
def project_lock(root: Path, task: str, started: datetime) -> Iterator[None]:
    """Hold the project's lock for a block, or raise BusyError naming the run holding it."""
    path = root / LOCK_NAME
    root.mkdir(parents=True, exist_ok=True)
    with path.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            raise BusyError(_busy(handle.read(), path)) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{task} {os.getpid()} {started.isoformat(timespec='seconds')}\n")
        handle.flush()
        yield


def _busy(holder: str, path: Path) -> str:
    """Return the one-line message for a lock another run holds."""
    parts = holder.split()
    try:
        task, pid, since = parts[0], int(parts[1]), datetime.fromisoformat(parts[2])
    except (IndexError, ValueError):
        return f"another run holds {path}; wait for it to end, then run again"
    return (f"another {task} is running since {since:%H:%M}, pid {pid}; wait for it to end, "
            "then run again")
