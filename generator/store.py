"""The only reader and writer of the data dir: raw files as received, sidecars, Parquet tables.

Layout:
  raw/<kind>/<YYYY-MM-DD>/<name>              the file exactly as received
  raw/<kind>/<YYYY-MM-DD>/<name>.meta.json    sidecar: source, received_at, sha256, bytes
  raw/<kind>/<YYYY-MM-DD>/.revisions/         earlier contents replaced by a changed file
  tables/<kind>/<YYYY-MM-DD>/<name>.parquet   normalised table, rebuilt when the raw sha changes
  derived/<name>/<YYYY-MM-DD>.csv             tables computed over many days (trend labels),
                                              one file per session
  pulling/<YYYY-MM-DD>                        a pull of that day began and has not finished
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar

import pandas as pd

from generator.columns import TRADE_DATE
from generator.errors import GeneratorError
from generator.fileio import temp_file, write_bytes_atomic, write_text_atomic

T = TypeVar("T")

META_SUFFIX = ".meta.json"
PULLING = "pulling"
TABLE_FORMAT = 2  # raise when a parser's output changes, so cached tables are rebuilt

Parser = Callable[[bytes, str], pd.DataFrame]


@dataclass(frozen=True)
class StoredFile:
    """A raw file in the store with its provenance."""

    kind: str
    day: date
    name: str
    path: Path
    source: str
    sha256: str


def sha256_hex(data: bytes) -> str:
    """Return the SHA-256 of data as hex."""
    return hashlib.sha256(data).hexdigest()


class Store:
    """Raw exchange files and their normalised tables under one data dir."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def raw_path(self, kind: str, day: date, name: str) -> Path:
        """Return where a raw file of this kind and day is kept."""
        return self.root / "raw" / kind / day.isoformat() / name

    def put_raw(
        self, kind: str, day: date, name: str, data: bytes, *, source: str, received_at: datetime
    ) -> str:
        """Keep a raw file with its sidecar; return "new", "same" or "revised".

        The sidecar is written before the file, so a stored file always has one; a sidecar
        that does not describe its file (a write killed in between) is written again.
        """
        path = self.raw_path(kind, day, name)
        digest = sha256_hex(data)
        meta_path = Path(f"{path}{META_SUFFIX}")
        old = path.read_bytes() if path.is_file() else None
        meta = json.dumps({
            "name": name,
            "kind": kind,
            "day": day.isoformat(),
            "source": source,
            "received_at": received_at.isoformat(timespec="seconds"),
            "sha256": digest,
            "bytes": len(data),
        }, indent=2) + "\n"
        if old == data:
            if self._meta(path).get("sha256") != digest:
                write_text_atomic(meta_path, meta)
            return "same"
        if old is not None:
            keep = path.parent / ".revisions" / f"{sha256_hex(old)[:12]}-{name}"
            write_bytes_atomic(keep, old)
            if self._meta(path).get("sha256") == sha256_hex(old):
                write_bytes_atomic(Path(f"{keep}{META_SUFFIX}"), meta_path.read_bytes())
        write_text_atomic(meta_path, meta)
        write_bytes_atomic(path, data)
        return "new" if old is None else "revised"

    def files(self, kind: str, day: date) -> list[StoredFile]:
        """Return the raw files of a kind and day, sorted by name."""
        folder = self.root / "raw" / kind / day.isoformat()
        if not folder.is_dir():
            return []
        found = []
        for path in sorted(folder.iterdir()):
            if not path.is_file() or path.name.endswith(META_SUFFIX) or path.name.startswith("."):
                continue
            meta = self._meta(path)
            found.append(
                StoredFile(kind, day, path.name, path, str(meta.get("source", "unknown")),
                           str(meta.get("sha256") or sha256_hex(path.read_bytes())))
            )
        return found

    def file(self, kind: str, day: date, name: str) -> StoredFile | None:
        """Return one raw file, or None if the store does not hold it."""
        return next((f for f in self.files(kind, day) if f.name == name), None)

    def days(self, kind: str) -> list[date]:
        """Return the days for which raw files of this kind are stored."""
        folder = self.root / "raw" / kind
        if not folder.is_dir():
            return []
        return sorted(date.fromisoformat(p.name) for p in folder.iterdir()
                      if p.is_dir() and any(_is_raw(f) for f in p.iterdir()))

    @contextmanager
    def pulling(self, day: date) -> Iterator[None]:
        """Mark `day` as being pulled while a block stores its files; the mark stays if the
        block does not finish, so a pull killed midway is known (`interrupted`)."""
        mark = self.root / PULLING / day.isoformat()
        mark.parent.mkdir(parents=True, exist_ok=True)
        mark.touch()
        yield
        mark.unlink(missing_ok=True)

    def interrupted(self) -> set[date]:
        """Return the days whose pull began and did not finish: their files may be partial."""
        folder = self.root / PULLING
        return {date.fromisoformat(p.name) for p in folder.iterdir()} if folder.is_dir() \
            else set()

    def latest_day(self, kind: str, on_or_before: date) -> date | None:
        """Return the newest stored day of a kind not after `on_or_before`."""
        earlier = [d for d in self.days(kind) if d <= on_or_before]
        return earlier[-1] if earlier else None

    def table(self, stored: StoredFile, parse: Parser) -> pd.DataFrame:
        """Return the normalised table of a raw file, parsing it only when it changed."""
        folder = self.root / "tables" / stored.kind / stored.day.isoformat()
        cache = folder / f"{stored.name}.parquet"
        stamp = Path(f"{cache}.sha256")
        raw = stored.path.read_bytes()
        digest = f"{TABLE_FORMAT}:{sha256_hex(raw)}"
        if cache.is_file() and stamp.is_file() and stamp.read_text().strip() == digest:
            return pd.read_parquet(cache)
        frame = parse(raw, str(stored.path))
        _write_parquet(cache, frame)
        write_text_atomic(stamp, digest + "\n")
        return frame

    def put_derived(self, name: str, frame: pd.DataFrame) -> list[Path]:
        """Keep a table computed from the raw files (e.g. trend labels) as one CSV per
        session, `derived/<name>/<YYYY-MM-DD>.csv`: the rows of a session replace that
        session's file and other sessions stay as they are. Return the files written."""
        written = []
        dates = pd.DatetimeIndex(pd.to_datetime(frame[TRADE_DATE]))
        for stamp in sorted(dates.unique()):
            rows = frame.loc[dates == stamp].drop(columns=TRADE_DATE)
            path = self.root / "derived" / name / f"{stamp.date().isoformat()}.csv"
            body = rows.sort_values(list(rows.columns))
            if write_text_atomic(path, body.to_csv(index=False, lineterminator="\n")):
                written.append(path)
        return written

    def derived(self, name: str, column: str | None = None,
                values: Collection[str] = ()) -> pd.DataFrame | None:
        """Return a table written by put_derived with its session column, or None; with
        `column`, only the rows whose `column` is one of `values`.

        Ten years are 2,500 files: each year's files are read once into one Parquet file
        under tables/memo/ (a cache, like every table there), kept while none of that
        year's files changed (names, sizes and times), so a day reads the current year's
        files and one Parquet file per earlier year, filtered as it is read.
        """
        folder = self.root / "derived" / name
        files = sorted(folder.glob("*.csv")) if folder.is_dir() else []
        if not files:
            return None
        by_year: dict[str, list[Path]] = {}
        for path in files:
            by_year.setdefault(path.stem[:4], []).append(path)
        frames = []
        for year, paths in by_year.items():
            def read(paths: list[Path] = paths) -> pd.DataFrame:
                return pd.concat([pd.read_csv(path).assign(**{TRADE_DATE: pd.Timestamp(path.stem)})
                                  for path in paths], ignore_index=True)

            frames.append(self.memo(f"derived/{name}/{year}", files_key(paths), read,
                                    None if column is None else (column, values)))
        return pd.concat(frames, ignore_index=True)

    def memo(self, name: str, key: str, build: Callable[[], pd.DataFrame],
             where: tuple[str, Collection[str]] | None = None) -> pd.DataFrame:
        """Return a frame computed from stored files, kept in tables/memo/<name>.parquet
        while `key` (`files_key` of those files) is unchanged; built again otherwise. With
        `where` (column, values), only those rows are read."""
        cache = self.root / "tables" / "memo" / f"{name}.parquet"
        stamp = Path(f"{cache}.stamp")
        if not (cache.is_file() and stamp.is_file()
                and stamp.read_text(encoding="utf-8").strip() == key):
            _write_parquet(cache, build())
            write_text_atomic(stamp, key + "\n")
        if where is None:
            return pd.read_parquet(cache)
        return pd.read_parquet(cache, filters=[(where[0], "in", list(where[1]))])

    def memo_object(self, name: str, key: str, build: Callable[[], T]) -> T:
        """Return an object computed from files, kept pickled in tables/memo/<name>.pickle
        while `key` is unchanged; built again otherwise. Only objects this project pickled
        itself are read back (the memo folder is a cache no one else writes)."""
        cache = self.root / "tables" / "memo" / f"{name}.pickle"
        stamp = Path(f"{cache}.stamp")
        if cache.is_file() and stamp.is_file() and \
                stamp.read_text(encoding="utf-8").strip() == key:
            try:
                value: T = pickle.loads(cache.read_bytes())  # our own cache (see above)
                return value
            except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError,
                    ValueError):
                pass  # written by another version of the code: built again below
        value = build()
        write_bytes_atomic(cache, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        write_text_atomic(stamp, key + "\n")
        return value

    def _meta(self, path: Path) -> dict[str, object]:
        meta_path = Path(f"{path}{META_SUFFIX}")
        if not meta_path.is_file():
            return {}
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            raise GeneratorError(f"{meta_path}: sidecar is not valid JSON; delete it and pull the "
                                 "day again") from None
        return meta if isinstance(meta, dict) else {}


def files_key(paths: Iterable[Path], extra: str = "", root: Path | None = None) -> str:
    """Return a key that changes when any of the files changes (name, size, time) or
    another is added or removed: what `Store.memo` keeps its frames by. With `root`, a
    file is named by its path under root (for files of one name in many folders)."""
    lines = [extra]
    for p in paths:
        stat = p.stat()
        lines.append(f"{p.relative_to(root) if root else p.name} {stat.st_size} "
                     f"{stat.st_mtime_ns}")
    return sha256_hex("\n".join(lines).encode("utf-8"))


def _write_parquet(path: Path, frame: pd.DataFrame) -> None:
    """Write a Parquet file atomically (temp file in the same folder, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_path = temp_file(path)
    os.close(fd)
    try:
        frame.to_parquet(tmp_path, index=False)
        tmp_path.replace(path)
    finally:
        tmp_path.unlink(missing_ok=True)


def _is_raw(path: Path) -> bool:
    """Return whether a path in a day's folder is a stored file (not a sidecar or temp)."""
    return path.is_file() and not path.name.startswith(".") and \
        not path.name.endswith(META_SUFFIX)
