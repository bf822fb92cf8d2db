"""How fast the archive of record grows: bytes per session and per year, NSE profile.

Publishes the demo market (the NSE profile of brief.toml: NSE's UDiFF bhavcopy, index
closes, board meetings, constituent lists, plus the demo's ratings feed) to a local bare
remote as the schedule would: a bootstrap of `--first` sessions, then one publish per
session for `--daily` more. It then packs the archive branch as a full clone would fetch it
and measures, per session added by the daily publishes:

- the whole archive (raw files, trend labels, published briefs and charts, history);
- the part not shared with the site branch (git stores a file once: the charts, figures
  and CSVs the archive keeps are the same blobs as the deployed site's);
- the raw exchange files alone, with the demo's bhavcopy replaced by real NSE UDiFF files
  when ../shared/real-data is present (a real day has ~3,200 rows against the demo's
  ~2,500, so the demo understates the raw part).

Usage: python benchmarks/archive_size.py [--first 55] [--daily 10]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from site_project import MKDOCS_YML, copy_static_pages  # noqa: E402

from generator.config import Config, load_config  # noqa: E402
from generator.publish import PublishRequest, publish  # noqa: E402
from generator.pull import archive_sessions  # noqa: E402

IST = timezone(timedelta(hours=5, minutes=30))
SESSIONS_PER_YEAR = 250  # NSE trades about 248-250 sessions a year
REAL_UDIFF = REPO.parent / "shared/real-data/nse-udiff-cm__arun12341234-nse_server"


def _git(*args: str | Path) -> str:
    return subprocess.run(["git", *map(str, args)], check=True, capture_output=True,
                          text=True).stdout


def _objects(remote: Path, *revs: str) -> dict[str, bytes]:
    """Return the objects reachable from `revs`: id -> its rev-list line (id and path)."""
    out = subprocess.run(["git", "--git-dir", str(remote), "rev-list", "--objects", *revs],
                         check=True, capture_output=True).stdout
    return {line.split(b" ", 1)[0].decode(): line for line in out.splitlines() if line}


def _pack_bytes(remote: Path, objects: dict[str, bytes]) -> int:
    """Return the size of a pack of these objects (deltas and zlib, as git stores them)."""
    if not objects:
        return 0
    pack = subprocess.run(["git", "--git-dir", str(remote), "pack-objects", "--stdout",
                           "--quiet", "--window=10", "--depth=50"],
                          input=b"\n".join(objects.values()) + b"\n", check=True,
                          capture_output=True).stdout
    return len(pack)


def _sizes(remote: Path) -> tuple[int, int]:
    """Return the packed size of the archive branch with its history, and of the part of it
    the site branch does not hold (git keeps an object once, whichever branches hold it)."""
    archive = _objects(remote, "archive")
    site = _objects(remote, "gh-pages")
    own = {k: v for k, v in archive.items() if k not in site}
    return _pack_bytes(remote, archive), _pack_bytes(remote, own)


def _project(root: Path) -> Config:
    text = (REPO / "brief.toml").read_text(encoding="utf-8")
    text, count = re.subn(r'(?m)^name = "[a-z]+"', 'name = "demo"', text, count=1)
    if count != 1:
        raise SystemExit("brief.toml has no [source] name line to point at the demo market")
    text = text.replace('remote = "origin"', 'remote = "R.git"')
    (root / "brief.toml").write_text(text, encoding="utf-8")
    copy_static_pages(root / "site_src")
    _git("init", "--quiet", root)
    _git("init", "--quiet", "--bare", root / "R.git")
    return load_config(root / "brief.toml")


PARTS = (("raw exchange files", b" store/raw/"), ("trend labels", b" store/derived/"),
         ("brief Markdown", b".md"), ("charts, figures, CSVs", b" published/"))


def _parts(remote: Path) -> dict[str, int]:
    """Return the packed size of each part of the archive's files, history included."""
    objects = _objects(remote, "archive")
    sizes = {}
    for name, mark in PARTS:
        mine = {k: v for k, v in objects.items()
                if mark in v and (mark == b".md") == v.endswith(b".md")}
        sizes[name] = _pack_bytes(remote, mine)
    return sizes


def _raw_equities(remote: Path) -> tuple[int, int]:
    """Return the number of bhavcopies on the archive branch and their zlib-compressed
    bytes (as git stores a blob)."""
    names = [p for p in _git("--git-dir", remote, "ls-tree", "-r", "--name-only",
                             "archive", "store/raw/equities").splitlines()
             if p.endswith(".csv")]
    total = sum(len(zlib.compress(subprocess.run(
        ["git", "--git-dir", str(remote), "show", f"archive:{p}"], check=True,
        capture_output=True).stdout)) for p in names)
    return len(names), total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first", type=int, default=55,
                        help="sessions of the bootstrap (trend labels start after about 50)")
    parser.add_argument("--daily", type=int, default=10, help="sessions published one a day")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="archive-size-") as tmp:
        root = Path(tmp)
        config = _project(root)
        remote = root / "R.git"
        sessions = archive_sessions(config)[: args.first + args.daily]
        when = datetime(2025, 12, 31, 19, 30, tzinfo=IST)
        started = time.monotonic()
        publish(config, MKDOCS_YML, PublishRequest(
            today=sessions[args.first - 1], since=sessions[0]), when)
        before, before_own = _sizes(remote)
        parts_before = _parts(remote)
        print(f"bootstrap: {args.first} sessions in {time.monotonic() - started:.0f} s",
              flush=True)
        for day in sessions[args.first:]:
            report = publish(config, MKDOCS_YML, PublishRequest(today=day), when)
            print(f"published {day}: archive {report.archive and report.archive[:12]}, "
                  f"{time.monotonic() - started:.0f} s", flush=True)
        elapsed = time.monotonic() - started
        after, after_own = _sizes(remote)
        parts = {k: (v - parts_before[k]) / args.daily for k, v in _parts(remote).items()}
        tip_only = _pack_bytes(remote, _objects(remote, "--no-walk", "archive"))
        count, demo_raw = _raw_equities(remote)

    per = (after - before) / args.daily
    own = (after_own - before_own) / args.daily
    print(f"published {args.first} + {args.daily} sessions of the demo market in "
          f"{elapsed:.0f} s; archive branch packed: {after / 1e6:.1f} MB "
          f"({tip_only / 1e6:.1f} MB for its newest commit alone, what a fresh runner "
          "fetches)")
    print(f"per session: {per / 1e3:.0f} KB in all, of which {own / 1e3:.0f} KB not held by "
          f"the site branch too; by part: " + ", ".join(f"{k} {v / 1e3:.0f} KB"
                                                          for k, v in parts.items())
          + f"; the demo's bhavcopy alone {demo_raw / count / 1e3:.0f} KB")
    if REAL_UDIFF.is_dir():
        real = [len(zlib.compress(p.read_bytes())) for p in sorted(REAL_UDIFF.glob("*.csv"))]
        real_raw = sum(real) / len(real)
        per += real_raw - demo_raw / count
        print(f"real NSE UDiFF bhavcopy ({len(real)} days in ../shared/real-data): "
              f"{real_raw / 1e3:.0f} KB a session; per session with it: {per / 1e3:.0f} KB")
    print(f"archive growth, NSE profile: {per / 1e3:.0f} KB per session, "
          f"{per * SESSIONS_PER_YEAR / 1e6:.0f} MB per year")


if __name__ == "__main__":
    main()
