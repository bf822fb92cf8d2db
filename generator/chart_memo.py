"""A memo of which data each brief's charts were drawn from, so a rebuild skips building them.

A brief's charts are drawn again only when their spec changes (`charts.export_charts`
compares it with the spec bundle beside the SVGs), but building the specs with Altair is
itself most of a brief's render once the SVGs are cached: about 0.7 s a brief, an hour and a
half over ten years of briefs. The specs are a pure function of the chart frames, a few
parameters (segment label, index name, the brief's window), the chart code and the library
versions; this memo keeps, per brief, a key of all of those and a digest of the spec bundle
written from them. When the key is the same, the bundle still has those bytes and every SVG
is there, the brief's charts are exactly what building them again would write, so nothing is
built.

The memo lives in the store's cache folder (`tables/memo/charts/`, never archived): losing it
costs one rebuild of the specs, never a wrong chart.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pandas as pd

from generator.fileio import write_text_atomic

# Under the store's root: the cache folder of the store's own memos.
CHART_MEMO = Path("tables", "memo", "charts")
_PACKAGE = Path(__file__).resolve().parent
# The code a brief chart's spec depends on, besides its frames.
_CODE = ("charts/*.py", "brief_charts.py", "columns.py", "escape.py", "chart_memo.py")
_LIBRARIES = ("altair", "vl-convert-python", "pandas", "numpy")
_FORMAT = 1


@cache
def code_fingerprint() -> str:
    """Return a digest of the chart code and the versions of the libraries it runs on."""
    digest = hashlib.sha256(f"chart-memo {_FORMAT}\n".encode())
    for pattern in _CODE:
        for path in sorted(_PACKAGE.glob(pattern)):
            digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    for name in _LIBRARIES:
        try:
            found = version(name)
        except PackageNotFoundError:
            found = "-"
        digest.update(f"{name}=={found}\n".encode())
    return digest.hexdigest()


def _canonical(values: pd.Series) -> tuple[str, pd.Series]:
    """Return a column's kind and its values in one representation per kind.

    The same data reaches a chart as datetime64[s], [ms] or [ns], or as one of pandas'
    string dtypes, depending on whether a table was just parsed or read back from its
    Parquet cache; the chart is the same, so the key must be.
    """
    series = values.reset_index(drop=True)
    types = pd.api.types
    try:
        if types.is_datetime64_any_dtype(series.dtype):
            zone = getattr(series.dtype, "tz", None)
            if zone is not None:
                series = series.dt.tz_convert("UTC").dt.tz_localize(None)
            return f"datetime {zone}", series.astype("datetime64[ns]")
        if types.is_bool_dtype(series.dtype):
            return "bool", series.astype(object)
        if types.is_integer_dtype(series.dtype):
            return "int", series.astype(object)
        if types.is_float_dtype(series.dtype):
            return "float", series.astype("float64")
        if types.is_string_dtype(series.dtype) or series.dtype == object:
            return "text", series.astype(object).where(series.notna(), None)
    except (TypeError, ValueError):
        pass
    return str(series.dtype), series


def frames_key(frames: Mapping[str, pd.DataFrame], params: Iterable[object]) -> str | None:
    """Return the key of charts drawn from `frames` with `params`: names, columns, kinds,
    index and every value of each frame (in one representation per kind, see
    `_canonical`), the parameters' reprs and the code fingerprint; None when a frame holds
    values pandas cannot hash (then there is no memo)."""
    digest = hashlib.sha256(code_fingerprint().encode())
    for name in sorted(frames):
        frame = frames[name]
        index_kind, index = _canonical(pd.Series(frame.index))
        columns = [_canonical(frame.iloc[:, position]) for position in range(frame.shape[1])]
        digest.update(json.dumps([name, [str(c) for c in frame.columns], index_kind,
                                  [kind for kind, _ in columns], list(frame.shape)]).encode())
        try:
            for values in (index, *(values for _, values in columns)):
                digest.update(pd.util.hash_pandas_object(values, index=False)
                              .to_numpy().tobytes())
        except TypeError:
            return None
    digest.update(repr(tuple(params)).encode())
    return digest.hexdigest()


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


class ChartMemo:
    """Per brief (its folder under `docs` and file stem): the key its charts were drawn from,
    the kinds drawn and the digest of their spec bundle."""

    def __init__(self, root: Path, docs: Path) -> None:
        self.root = root
        self.docs = docs

    def _entry(self, folder: Path, stem: str) -> Path | None:
        try:
            relative = folder.relative_to(self.docs)
        except ValueError:
            return None
        return self.root / relative / f"{stem}.json"

    def holds(self, folder: Path, stem: str, key: str, kinds: list[str], bundle: Path,
              svgs: Iterable[Path]) -> bool:
        """Return True when the charts in `folder` were drawn from `key`, their bundle is
        unchanged since and every SVG is there."""
        entry = self._entry(folder, stem)
        if entry is None or not entry.is_file():
            return False
        try:
            held = json.loads(entry.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return (isinstance(held, dict) and held.get("key") == key
                and held.get("kinds") == kinds and held.get("bundle") == _digest(bundle)
                and all(path.is_file() for path in svgs))

    def record(self, folder: Path, stem: str, key: str, kinds: list[str],
               bundle: Path) -> None:
        """Note that the charts in `folder` are drawn from `key` (call it once the bundle and
        SVGs are written)."""
        entry = self._entry(folder, stem)
        digest = _digest(bundle)
        if entry is None or digest is None:
            return
        write_text_atomic(entry, json.dumps({"key": key, "kinds": kinds, "bundle": digest},
                                            sort_keys=True) + "\n")
