"""One run at a time in a project: the lock, its message and a dead run's lock."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from generator.runlock import LOCK_NAME, BusyError, project_lock

IST = timezone(timedelta(hours=5, minutes=30))
AT = datetime(2026, 12, 2, 19, 30, 5, tzinfo=IST)
HOLD = """
import sys, time
from datetime import datetime
from pathlib import Path
from generator.runlock import project_lock
with project_lock(Path(sys.argv[1]), "publish", datetime.fromisoformat(sys.argv[2])):
    print("held", flush=True)
    time.sleep(60)
"""


def test_a_second_run_is_refused_naming_the_first(tmp_path: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path), AT.isoformat()],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(BusyError) as caught, project_lock(tmp_path, "render", AT):
            pass
        assert str(caught.value) == (
            f"another publish is running since 19:30, pid {holder.pid}; wait for it to end, "
            "then run again")
    finally:
        holder.kill()
        holder.wait()


def test_the_lock_of_a_killed_run_is_taken_over(tmp_path: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path), AT.isoformat()],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    holder.kill()  # SIGKILL: no clean-up runs
    holder.wait()
    assert (tmp_path / LOCK_NAME).read_text().startswith("publish ")

    with project_lock(tmp_path, "build", AT + timedelta(hours=1)):
        assert (tmp_path / LOCK_NAME).read_text() == \
            f"build {os.getpid()} 2026-12-02T20:30:05+05:30\n"


def test_the_lock_is_released_after_the_block(tmp_path: Path) -> None:
    with project_lock(tmp_path, "pull", AT):
        pass
    with project_lock(tmp_path, "pull", AT):
        pass
