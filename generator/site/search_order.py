"""Pagefind's index in a fixed order, so identical pages give a byte-identical site.

Pagefind 1.x writes its filter files and its metadata with the filters and their values in
hash-map order, which changes from run to run (the words, pages and fragments come out in a
fixed order). Each of those files is gzip of `pagefind_dcd` followed by CBOR. This pass
sorts them, writes them again (gzip without a timestamp) under names made from their
content, as Pagefind names its files, and points the metadata and `pagefind-entry.json` at
the new names. Nothing else changes: a search loads the same data.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import cbor2

from generator.errors import GeneratorError

SIGNATURE = b"pagefind_dcd"
ENTRY = "pagefind-entry.json"
_FILTERS = 3  # position of [[name, file hash], ...] in the metadata


class SearchIndexError(GeneratorError):
    """Pagefind wrote an index this pass does not know how to order."""


def order_index(folder: Path) -> None:
    """Rewrite the filter and metadata files of a Pagefind index folder in a fixed order."""
    entry_path = folder / ENTRY
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language in entry["languages"].values():
        meta_path = folder / f"pagefind.{language['hash']}.pf_meta"
        meta = _load(meta_path)
        if not (isinstance(meta, list) and len(meta) > _FILTERS
                and all(isinstance(f, list) and len(f) == 2 for f in meta[_FILTERS])):
            raise SearchIndexError(
                f"{meta_path}: Pagefind {entry.get('version')} writes metadata this build "
                "cannot put in order; use the Pagefind version in pyproject.toml or update "
                "generator/search_order.py")
        filters = []
        for name, old in meta[_FILTERS]:
            path = folder / "filter" / f"{old}.pf_filter"
            values = _load(path)
            values[1] = sorted(values[1], key=lambda value: str(value[0]))
            filters.append([name, _write(folder / "filter", "", ".pf_filter", old, values, 7)])
            if filters[-1][1] != old:
                path.unlink()
        meta[_FILTERS] = sorted(filters)
        new = _write(folder, "pagefind.", ".pf_meta", language["hash"], meta, 10)
        if new != language["hash"]:
            meta_path.unlink()
        language["hash"] = new
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                          encoding="utf-8")


def _load(path: Path) -> Any:
    """Return the CBOR value of a Pagefind data file."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise SearchIndexError(f"{path}: not a Pagefind data file; rebuild the site")
    return cbor2.loads(data[len(SIGNATURE):])


def _write(folder: Path, prefix: str, suffix: str, old: str, value: Any, digits: int) -> str:
    """Write a Pagefind data file named by its content; return its hash (language_hex)."""
    body = gzip.compress(SIGNATURE + cbor2.dumps(value), mtime=0)
    language = old.rsplit("_", 1)[0]
    name = f"{language}_{hashlib.sha256(body).hexdigest()[:digits]}"
    (folder / f"{prefix}{name}{suffix}").write_bytes(body)
    return name
