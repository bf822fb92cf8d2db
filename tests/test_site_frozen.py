"""Docs folders unchanged since the previous build are frozen: not listed, outputs kept."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest

from generator.pages import brief_days, newest_brief_day
from generator.site.build import same_in_spare
from generator.site.frozen import FrozenFiles, walk_docs


def _tree(root: Path) -> None:
    for rel in ("index.md", "about.md", "briefs/2024/01/02/small.md",
                "briefs/2024/01/02/small.svg", "briefs/2024/01/03/small.md",
                "briefs/2025/01/02/index.md", "briefs/2025/01/02/small.md",
                "briefs/2025/01/03/small.md", "stocks/abc.md", "stocks/xyz.md"):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# {rel}\n", encoding="utf-8")


def _mark_after(root: Path) -> int:
    """Return a file-system time later than the ctime of everything under root (the time a
    build would record as its start)."""
    newest = max(p.stat().st_ctime_ns for p in [root, *root.rglob("*")])
    marker = root.parent / "marker"
    while True:
        marker.write_bytes(b"")
        began = marker.stat().st_ctime_ns
        if began > newest:
            return began
        time.sleep(0.005)


def test_nothing_changed_freezes_every_top_folder_and_lists_only_root_files(
        tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    _tree(docs)
    walk = walk_docs(str(docs), _mark_after(docs))
    assert walk.files == ["index.md", "about.md"]
    assert walk.frozen == {"briefs", "stocks"}


def test_a_folder_with_any_change_is_listed_and_its_unchanged_subfolders_frozen(
        tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    _tree(docs)
    since = _mark_after(docs)
    # An edit in place (no rename: the folder's own times do not move), a new file and a
    # removal, each in a different folder.
    with (docs / "briefs/2025/01/02/small.md").open("a", encoding="utf-8") as page:
        page.write("edited by hand\n")
    (docs / "briefs/2025/01/03/mid.md").write_text("# new\n", encoding="utf-8")
    (docs / "stocks/xyz.md").unlink()
    walk = walk_docs(str(docs), since)
    assert walk.frozen == {"briefs/2024"}
    # MkDocs' order: a folder's index first, then its files, then its subfolders in turn.
    assert walk.files == ["index.md", "about.md", "briefs/2025/01/02/index.md",
                          "briefs/2025/01/02/small.md", "briefs/2025/01/03/mid.md",
                          "briefs/2025/01/03/small.md", "stocks/abc.md"]


def test_a_change_of_mode_alone_unfreezes_its_folder(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    _tree(docs)
    since = _mark_after(docs)
    (docs / "briefs/2024/01/03/small.md").chmod(0o600)
    walk = walk_docs(str(docs), since)
    assert walk.frozen == {"briefs/2024/01/02", "briefs/2025", "stocks"}
    assert "briefs/2024/01/03/small.md" in walk.files


def test_with_no_time_before_everything_nothing_is_frozen(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    _tree(docs)
    walk = walk_docs(str(docs), 0)
    assert walk.frozen == set()
    assert len(walk.files) == 10


@pytest.mark.parametrize(("uri", "asked"), [
    ("briefs/2024/01/02/small.md", True),  # in a frozen folder: made on demand
    ("briefs/2024/01/02/gone.md", True),  # there too (make finds no file: None)
    ("briefs/20240/x.md", False),  # a name that only starts like a frozen folder
    ("stocks/abc.md", False),  # not frozen and not listed
])
def test_frozen_files_resolve_a_link_into_a_frozen_folder_only(uri: str, asked: bool) -> None:
    calls: list[str] = []

    def make(path: str) -> None:
        calls.append(path)

    files = FrozenFiles([], {"briefs/2024"}, make)  # type: ignore[arg-type]
    assert files.get_file_from_path(uri) is None
    files.get_file_from_path(uri)  # asked once, remembered
    assert calls == ([uri] if asked else [])


def test_newest_brief_day_looks_only_at_the_newest_folders_and_agrees_with_all_days(
        tmp_path: Path) -> None:
    """The build's date (SOURCE_DATE_EPOCH) comes from the newest day with a brief: a day
    folder holding only its day page, or a folder that is not a date, does not count."""
    docs = tmp_path / "docs"
    assert newest_brief_day(docs) is None
    for rel in ("briefs/2024/12/31/small.md", "briefs/2025/01/02/small.md",
                "briefs/2025/01/10/mid.md", "briefs/2025/01/13/index.md",
                "briefs/2025/1x/01/small.md", "briefs/2025/02/notes.md"):
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text("# x\n", encoding="utf-8")
    assert newest_brief_day(docs) == brief_days(docs)[-1] == date(2025, 1, 10)


def test_the_spare_is_not_synced_where_a_page_beside_a_frozen_folder_writes(
        tmp_path: Path) -> None:
    """`segments/small.md` becomes `segments/small/index.html`: the site folder of the
    frozen docs folder `segments/small` also holds a page that changes, so it is synced."""
    docs = tmp_path / "docs"
    for rel in ("index.md", "segments/small.md", "segments/small/2024.md",
                "segments/mid/2024.md", "briefs/2024/01/02/small.md"):
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text("# x\n", encoding="utf-8")
    began = _mark_after(docs)
    (docs / "segments/small.md").write_text("# changed\n", encoding="utf-8")
    assert walk_docs(str(docs), began).frozen == {"segments/small", "segments/mid", "briefs"}
    # Frozen briefs: their search bundles too (indexed only when a page is built); the
    # newest year's briefs are in one bundle per month.
    assert same_in_spare(docs, began) == {"segments/mid", "briefs", "pagefind-briefs/2024-01"}
    assert same_in_spare(docs, None) == set()
    # A new year: the year before is one bundle (the spare's month bundles are replaced).
    (docs / "briefs/2025/01/02").mkdir(parents=True)
    (docs / "briefs/2025/01/02/small.md").write_text("# x\n", encoding="utf-8")
    assert same_in_spare(docs, began) == {"segments/mid", "briefs/2024", "pagefind-briefs/2024"}
    # A new month: the newest year's earlier month is frozen, and so is its bundle; a frozen
    # day of an unfrozen month says nothing of the month's bundle.
    began = _mark_after(docs)
    (docs / "briefs/2025/01/03").mkdir(parents=True)
    (docs / "briefs/2025/01/03/small.md").write_text("# x\n", encoding="utf-8")
    (docs / "briefs/2025/02/03").mkdir(parents=True)
    (docs / "briefs/2025/02/03/small.md").write_text("# x\n", encoding="utf-8")
    assert same_in_spare(docs, began) == {
        "segments", "briefs/2024", "briefs/2025/01/02", "pagefind-briefs/2024"}
    began = _mark_after(docs)
    (docs / "briefs/2025/02/04").mkdir(parents=True)
    (docs / "briefs/2025/02/04/small.md").write_text("# x\n", encoding="utf-8")
    assert same_in_spare(docs, began) == {
        "segments", "briefs/2024", "briefs/2025/01", "briefs/2025/02/03",
        "pagefind-briefs/2024", "pagefind-briefs/2025-01"}
