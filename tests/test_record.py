"""The archive of record with real git: what it holds, and how local folders follow it."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from publish_project import REPO, git
from site_project import tree_bytes

from generator.config import Config, load_config
from generator.gitrepo import GitRepo
from generator.record import Record

WHEN = datetime(2025, 3, 7, 19, 30, tzinfo=timezone(timedelta(hours=5, minutes=30)))
RAW = "raw/equities/2025-03-07/BhavCopy_NSE_CM_0_0_0_20250307_F_0000.csv"


@pytest.fixture(autouse=True)
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make git ignore the machine's global and system config."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def project(root: Path) -> tuple[Config, Record]:
    """Return a project clone at root with its config and record."""
    root.mkdir(parents=True)
    git("-C", root, "init", "--quiet")
    repo = GitRepo.of_project(root)
    assert repo is not None
    config = dataclasses.replace(load_config(REPO / "brief.toml"), root=root,
                                 data_dir=root / "data", docs_dir=root / "site_src")
    return config, Record(repo, config)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def fill(config: Config) -> None:
    """Write a store and published briefs of two sessions, and files that stay local."""
    data, docs = config.data_dir, config.docs_dir
    write(data / RAW, "close,100\n")
    write(data / f"{RAW}.meta.json", '{"sha256": "x"}\n')
    write(data / "raw/indices/2025-03-06/ind_close_all_06032025.csv", "index\n")
    write(data / "derived/trend_labels/2025-03-07.csv", "isin,score,label\n")
    write(data / "tables/equities/2025-03-07/x.parquet", "cache")  # a cache: not archived
    write(data / "derived/trend_labels.parquet", "old layout")  # not archived either
    for day in ("06", "07"):
        folder = docs / f"briefs/2025/03/{day}"
        write(folder / "small.md", f"# small {day}\n")
        write(folder / "small.json", "{}\n")
        write(folder / "small-returns.svg", "<svg/>\n")
        write(folder / "index.md", "day page\n")  # rebuilt from the briefs: not archived
    write(docs / "index.md", "home\n")


def test_archive_holds_the_store_and_published_briefs_only(tmp_path: Path) -> None:
    config, record = project(tmp_path / "a")
    fill(config)
    commit = record.commit(None, record.stage(), "Publish\n", WHEN)
    assert commit is not None
    files = git("-C", tmp_path / "a", "ls-tree", "-r", "--name-only", commit).splitlines()
    assert files == [
        "README.md",
        "published/briefs/2025/03/06/small-returns.svg",
        "published/briefs/2025/03/06/small.json",
        "published/briefs/2025/03/06/small.md",
        "published/briefs/2025/03/07/small-returns.svg",
        "published/briefs/2025/03/07/small.json",
        "published/briefs/2025/03/07/small.md",
        "store/derived/trend_labels/2025-03-07.csv",
        "store/raw/equities/2025-03-07/BhavCopy_NSE_CM_0_0_0_20250307_F_0000.csv",
        "store/raw/equities/2025-03-07/BhavCopy_NSE_CM_0_0_0_20250307_F_0000.csv.meta.json",
        "store/raw/indices/2025-03-06/ind_close_all_06032025.csv",
    ]
    assert record.published_days(record.trees(commit).published) == [date(2025, 3, 6),
                                                                      date(2025, 3, 7)]
    assert record.commit(commit, record.stage(), "Again\n", WHEN) is None


def test_restore_on_a_fresh_clone_writes_every_archived_file(tmp_path: Path) -> None:
    config, record = project(tmp_path / "a")
    fill(config)
    commit = record.commit(None, record.stage(), "Publish\n", WHEN)
    assert commit is not None
    fresh, other = project(tmp_path / "b")
    git("-C", tmp_path / "b", "fetch", "--quiet", tmp_path / "a", f"{commit}:refs/x")

    other.restore(commit)

    assert tree_bytes(fresh.data_dir / "raw") == tree_bytes(config.data_dir / "raw")
    assert tree_bytes(fresh.data_dir / "derived") == {
        k: v for k, v in tree_bytes(config.data_dir / "derived").items()
        if not k.endswith(".parquet")}
    published = {k: v for k, v in tree_bytes(config.docs_dir / "briefs").items()
                 if not k.endswith("index.md")}
    assert tree_bytes(fresh.docs_dir / "briefs") == published
    assert other.repo.rev(other.synced) == commit


def test_restore_keeps_local_store_files_and_drops_unpublished_briefs(tmp_path: Path) -> None:
    config, record = project(tmp_path / "a")
    fill(config)
    commit = record.commit(None, record.stage(), "Publish\n", WHEN)
    assert commit is not None
    record.restore(commit)
    data, docs = config.data_dir, config.docs_dir
    write(data / "raw/equities/2025-03-10/new.csv", "pulled, not yet published\n")
    write(data / RAW, "close,101\n")  # a re-issued file, not yet published
    (data / "raw/indices/2025-03-06/ind_close_all_06032025.csv").unlink()  # lost locally
    write(docs / "briefs/2025/03/10/small.md", "rendered, not published\n")
    write(docs / "briefs/2025/03/10/index.md", "its day page\n")
    write(docs / "briefs/2025/03/07/small.md", "edited by hand\n")
    write(docs / "briefs/2025/03/07/stray.svg", "<svg/>\n")

    record.restore(commit)

    assert (data / "raw/equities/2025-03-10/new.csv").is_file()
    assert (data / RAW).read_text() == "close,101\n"
    assert (data / "raw/indices/2025-03-06/ind_close_all_06032025.csv").read_text() == "index\n"
    assert not (docs / "briefs/2025/03/10").exists()
    assert (docs / "briefs/2025/03/07/small.md").read_text() == "# small 07\n"
    assert not (docs / "briefs/2025/03/07/stray.svg").exists()
    assert (docs / "briefs/2025/03/07/index.md").is_file()
    assert record.changed_days(record.trees(commit).store, record.stage().store) == {
        date(2025, 3, 7), date(2025, 3, 10)}


def test_restore_takes_the_archive_files_when_another_clone_published(tmp_path: Path) -> None:
    config, record = project(tmp_path / "a")
    fill(config)
    first = record.commit(None, record.stage(), "Publish\n", WHEN)
    assert first is not None
    record.restore(first)
    other_config, other = project(tmp_path / "b")
    git("-C", tmp_path / "b", "fetch", "--quiet", tmp_path / "a", f"{first}:refs/x")
    other.restore(first)
    write(other_config.data_dir / RAW, "close,102\n")
    write(other_config.docs_dir / "briefs/2025/03/10/small.md", "# small 10\n")
    second = other.commit(first, other.stage(), "Publish 10\n", WHEN)
    assert second is not None
    git("-C", tmp_path / "a", "fetch", "--quiet", tmp_path / "b", f"{second}:refs/x")

    record.restore(second)

    assert (config.data_dir / RAW).read_text() == "close,102\n"
    assert (config.docs_dir / "briefs/2025/03/10/small.md").read_text() == "# small 10\n"
    assert record.repo.rev(record.synced) == second


def test_changed_days_ignores_sidecars(tmp_path: Path) -> None:
    config, record = project(tmp_path / "a")
    fill(config)
    before = record.stage().store
    write(config.data_dir / f"{RAW}.meta.json", '{"sha256": "y"}\n')
    assert record.changed_days(before, record.stage().store) == set()
