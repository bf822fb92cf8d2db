"""`invoke publish` from fresh clones sharing only a bare remote: the archive of record,
catch-up, save-first order, corrections and guarded deploys. Real git, the real tasks, the
demo market; nothing mocked."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from publish_project import (
    branch_files,
    clone,
    code_remote,
    git,
    git_env,
    run_task,
    site_briefs,
    tip,
)

from generator.config import load_config
from generator.gitrepo import GitRepo
from generator.pull import write_demo_archive
from generator.store import Store

SEGMENTS = ("large", "mid", "small", "micro")
FIRST_WEEK = ("03", "04", "05", "06", "07")
BHAVCOPY = "BhavCopy_NSE_CM_0_0_0_{:%Y%m%d}_F_0000.csv"


@dataclass(frozen=True)
class Published:
    """A remote after clone A's bootstrap and clone B's catch-up, with what they printed."""

    root: Path
    remote: Path
    a_out: str
    b_out: str


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    root = tmp_path_factory.mktemp("publish")
    remote = code_remote(root)
    # Record the bytes each push brings (the objects git received, before it keeps them).
    hook = remote / "hooks" / "pre-receive"
    hook.write_text('#!/bin/sh\nwhile read old new ref; do\n  echo "$ref $(du -sb '
                    '"$GIT_QUARANTINE_PATH" | cut -f1)" >> "$GIT_DIR/received.log"\ndone\n',
                    encoding="utf-8")
    hook.chmod(0o755)
    a = clone(remote, root / "A")
    first = run_task(a, "publish", "--demo", "--since", "2025-03-03", "--date", "2025-03-07",
                     "--remote", str(remote))
    assert first.returncode == 0, first.stderr
    b = clone(remote, root / "B")
    second = run_task(b, "publish", "--demo", "--date", "2025-03-11", "--remote", str(remote))
    assert second.returncode == 0, second.stderr
    hook.unlink()
    return Published(root, remote, first.stdout, second.stdout)


def _day(day: str) -> date:
    """Return a day of March 2025."""
    return date(2025, 3, int(day))


def copy_remote(published: Published, tmp_path: Path) -> Path:
    """Return a copy of the published remote that a test may change."""
    return Path(shutil.copytree(published.remote, tmp_path / "R.git", symlinks=True))


def expected_briefs(days: list[str]) -> list[str]:
    return sorted(f"briefs/2025/03/{d}/{seg}/index.html" for d in days for seg in SEGMENTS)


def test_three_fresh_clones_share_one_archive(published: Published, tmp_path: Path) -> None:
    remote = published.remote
    assert site_briefs(remote) == expected_briefs([*FIRST_WEEK, "10", "11"])
    assert "[1/2] 2025-03-10: pulled" in published.b_out  # B caught 10 March up
    archive = branch_files(remote, "archive")
    for day in [*FIRST_WEEK, "10", "11"]:
        assert f"store/raw/equities/2025-03-{day}/{BHAVCOPY.format(_day(day))}" in archive
        assert f"store/raw/indices/2025-03-{day}/ind_close_all_{day}032025.csv" in archive
        assert f"published/briefs/2025/03/{day}/constituents.csv.zip" in archive
        for seg in SEGMENTS:
            for suffix in (".md", ".json", "-distribution.svg", ".charts.json.gz"):
                assert f"published/briefs/2025/03/{day}/{seg}{suffix}" in archive
    assert not any(p.startswith("store/tables/") for p in archive)
    assert git("--git-dir", remote, "log", "--format=%s", "archive").splitlines() == [
        "Publish 2025-03-10 to 2025-03-11", "Publish 2025-03-03 to 2025-03-07"]
    assert git("--git-dir", remote, "rev-list", "--count", "gh-pages") == "1"
    # B's pushes carried only what the remote lacked, not the whole site again.
    pushes = [line.split() for line in (remote / "received.log").read_text().splitlines()]
    assert [ref for ref, _ in pushes] == ["refs/heads/archive", "refs/heads/gh-pages"] * 2
    first_site, second_site = int(pushes[1][1]), int(pushes[3][1])
    assert second_site < first_site / 4, pushes

    mine = copy_remote(published, tmp_path)
    before = (tip(mine, "archive"), tip(mine, "gh-pages"))
    c = clone(mine, tmp_path / "C")
    again = run_task(c, "publish", "--demo", "--date", "2025-03-11", "--remote", str(mine))
    assert again.returncode == 0, again.stderr
    assert (tip(mine, "archive"), tip(mine, "gh-pages")) == before
    assert "archive: unchanged; site: unchanged" in again.stdout


def test_one_publish_at_a_time_in_a_clone(tmp_path: Path) -> None:
    remote = code_remote(tmp_path)
    project = clone(remote, tmp_path / "P")
    repo = GitRepo.of_project(project)
    assert repo is not None
    with repo.exclusive():
        result = run_task(project, "publish", "--demo", "--since", "2025-03-07", "--remote",
                          str(remote))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"error: another publish is running in this clone ({repo.state_dir / 'publish.lock'} "
        "is locked); wait for it to end, then run again")


def test_two_publishes_at_once_one_refuses_and_nothing_breaks(tmp_path: Path) -> None:
    remote = code_remote(tmp_path)
    project = clone(remote, tmp_path / "P")
    args = ("publish", "--demo", "--since", "2025-03-13", "--date", "2025-03-14", "--remote",
            str(remote))
    first = subprocess.Popen([sys.executable, "-m", "invoke", *args], cwd=project,
                             env=git_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    lock = project / ".market-brief.lock"
    deadline = time.monotonic() + 120
    while not (lock.is_file() and lock.read_text().startswith(f"publish {first.pid} ")):
        assert first.poll() is None and time.monotonic() < deadline, "the lock was not taken"
        time.sleep(0.05)

    second = run_task(project, *args)
    _, err = first.communicate(timeout=900)

    assert second.returncode == 1
    assert re.fullmatch(rf"error: another publish is running since \d\d:\d\d, pid {first.pid}; "
                        "wait for it to end, then run again", second.stderr.strip())
    assert first.returncode == 0, err
    assert site_briefs(remote) == sorted(f"briefs/2025/03/{d}/{seg}/index.html"
                                         for d in ("13", "14") for seg in SEGMENTS)
    again = run_task(project, *args)
    assert again.returncode == 0, again.stderr
    assert "archive: unchanged; site: unchanged" in again.stdout


def test_an_empty_remote_needs_since(tmp_path: Path) -> None:
    remote = code_remote(tmp_path)
    project = clone(remote, tmp_path / "P")
    result = run_task(project, "publish", "--demo", "--date", "2025-03-07", "--remote",
                      str(remote))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"error: {remote} has no 'archive' branch yet: start the archive with `invoke publish "
        "--since YYYY-MM-DD` (the first session to publish)")
    assert tip(remote, "archive") is None and tip(remote, "gh-pages") is None


def test_a_remote_that_reads_as_an_option_or_runs_a_command_is_refused(
    tmp_path: Path,
) -> None:
    remote = code_remote(tmp_path)
    project = clone(remote, tmp_path / "P")
    marker = tmp_path / "ran"
    for bad in (f"--upload-pack=touch {marker}", f"ext::sh -c touch% {marker}", "a\nb"):
        result = run_task(project, "publish", "--demo", "--since", "2025-03-03", "--date",
                          "2025-03-07", f"--remote={bad}")
        assert result.returncode == 1, result.stderr
        assert result.stderr.strip() == (
            f"error: --remote must be a git remote's name, URL or path, like 'origin', "
            f"got {bad!r}")
    assert not marker.exists()
    assert tip(remote, "archive") is None
    assert not (project / "site_src" / "2025").exists()


def test_a_run_killed_between_the_two_pushes_is_completed_by_the_next(
    published: Published, tmp_path: Path
) -> None:
    remote = copy_remote(published, tmp_path)
    marker = tmp_path / "archive-pushed"
    hook = remote / "hooks" / "post-receive"
    # After the archive branch is updated, hold the push open so the publish can be killed
    # before it deploys the site.
    hook.write_text('#!/bin/sh\nwhile read old new ref; do\n'
                    '  if [ "$ref" = refs/heads/archive ]; then touch "$ARCHIVE_PUSHED"; '
                    'sleep 300; fi\ndone\n', encoding="utf-8")
    hook.chmod(0o755)
    site_before = tip(remote, "gh-pages")
    project = clone(remote, tmp_path / "K")
    run = subprocess.Popen(
        [sys.executable, "-m", "invoke", "publish", "--demo", "--date", "2025-03-12",
         "--remote", str(remote)], cwd=project, env=git_env({"ARCHIVE_PUSHED": str(marker)}),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 600
    while not marker.exists():
        assert run.poll() is None, f"publish ended before the archive push: {run.stderr}"
        assert time.monotonic() < deadline, "the archive was never pushed"
        time.sleep(0.2)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    hook.unlink()
    archive_after_kill = tip(remote, "archive")
    assert "published/briefs/2025/03/12/small.md" in branch_files(remote, "archive")
    assert tip(remote, "gh-pages") == site_before
    # A run killed while it staged files leaves git's lock on a private index behind.
    repo = GitRepo.of_project(project)
    assert repo is not None
    stale = repo.index("published", project / "site_src")
    Path(f"{stale}.lock").write_text("", encoding="utf-8")

    result = run_task(project, "publish", "--demo", "--date", "2025-03-12", "--remote",
                      str(remote))

    assert result.returncode == 0, result.stderr
    assert tip(remote, "archive") == archive_after_kill  # nothing more to save
    assert site_briefs(remote) == expected_briefs([*FIRST_WEEK, "10", "11", "12"])


class Killed(BaseException):
    """A process killed where it stands: nothing after it runs."""


def test_a_session_whose_pull_was_killed_midway_is_pulled_again(
    published: Published, tmp_path: Path
) -> None:
    remote = copy_remote(published, tmp_path)
    project = clone(remote, tmp_path / "P")
    config = dataclasses.replace(load_config(project / "brief.toml"), source="demo")
    archive = write_demo_archive(config, config.demo.seed, config.demo.start, config.demo.end)
    # A pull of 12 March killed after it stored the equity file, before the index closes.
    store, day = Store(config.data_dir), _day("12")
    name = BHAVCOPY.format(day)
    with pytest.raises(Killed), store.pulling(day):
        store.put_raw("equities", day, name, (archive / "equities" / name).read_bytes(),
                      source="demo", received_at=datetime(2025, 3, 12, 19, tzinfo=UTC))
        raise Killed

    result = run_task(project, "publish", "--demo", "--date", "2025-03-12", "--remote",
                      str(remote))

    assert result.returncode == 0, result.stderr
    assert "[1/1] 2025-03-12: pulled" in result.stdout
    assert "store/raw/indices/2025-03-12/ind_close_all_12032025.csv" in \
        branch_files(remote, "archive")
    assert site_briefs(remote) == expected_briefs([*FIRST_WEEK, "10", "11", "12"])
    assert not (config.data_dir / "pulling").exists() or \
        not any((config.data_dir / "pulling").iterdir())


def test_a_publish_clears_the_temp_files_and_ref_locks_a_killed_run_left(
    published: Published, tmp_path: Path
) -> None:
    remote = copy_remote(published, tmp_path)
    tips = (tip(remote, "archive"), tip(remote, "gh-pages"))
    project = clone(remote, tmp_path / "T")
    repo = GitRepo.of_project(project)
    assert repo is not None
    # Writes killed before their rename, in the store and in the docs, and a killed
    # `git update-ref` of the ref the local folders were last in step with.
    partial = [project / "data/raw/equities/2025-03-11" / f".{BHAVCOPY.format(_day('11'))}"
               ".k2j4h5g6.tmp",
               project / "data/derived/trend_labels/.2025-03-11.csv.a1b2c3d4.tmp",
               project / "site_src/stocks/.index.md.x9y8z7w6.tmp"]
    key = repo.index("store", project / "data").stem.split("-")[-1]
    partial.append(repo.git_dir / "refs/market-brief/synced" / f"{key}.lock")
    for path in partial:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("half", encoding="utf-8")

    result = run_task(project, "publish", "--demo", "--date", "2025-03-11", "--remote",
                      str(remote))

    assert result.returncode == 0, result.stderr
    assert "archive: unchanged; site: unchanged" in result.stdout
    assert (tip(remote, "archive"), tip(remote, "gh-pages")) == tips
    assert [p for p in partial if p.exists()] == []


def _reissue(project: Path, day: str, symbol: str, factor: float) -> None:
    """Change one stock's close in the demo exchange's file of a day (a re-issued file)."""
    path = project / "data/demo-archive/equities" / BHAVCOPY.format(_day(day))
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    head = rows[0]
    col = {name: head.index(name) for name in ("TckrSymb", "SctySrs", "ClsPric", "LastPric",
                                               "PrvsClsgPric", "LwPric", "HghPric")}
    for row in rows[1:]:
        if row[col["TckrSymb"]] == symbol and row[col["SctySrs"]] == "EQ":
            close = round(float(row[col["PrvsClsgPric"]]) * factor, 2)
            row[col["ClsPric"]] = row[col["LastPric"]] = f"{close:.2f}"
            row[col["LwPric"]] = f"{min(float(row[col['LwPric']]), close):.2f}"
            row[col["HghPric"]] = f"{max(float(row[col['HghPric']]), close):.2f}"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def test_a_reissued_file_corrects_the_published_briefs(
    published: Published, tmp_path: Path
) -> None:
    remote = copy_remote(published, tmp_path)
    project = clone(remote, tmp_path / "X")
    first = run_task(project, "publish", "--demo", "--date", "2025-03-11", "--remote",
                     str(remote))
    assert first.returncode == 0, first.stderr
    summary = json.loads((project / "site_src/briefs/2025/03/11/small.json").read_text())
    gainer = summary["gainers"][0]["symbol"]
    _reissue(project, "11", gainer, 0.95)  # the top gainer becomes a 5% loser

    result = run_task(project, "publish", "--demo", "--date", "2025-03-11", "--remote",
                      str(remote))

    assert result.returncode == 0, result.stderr
    assert "corrected 2025-03-11" in result.stdout
    brief = (project / "site_src/briefs/2025/03/11/small.md").read_text()
    note = brief.split('<div class="brief-correction" markdown>', 1)[1].split("</div>", 1)[0]
    assert "**Corrected on " in note
    assert f"{BHAVCOPY.format(_day('11'))}".replace("_", "&#95;") + " was re-issued" in note
    assert f"advances {summary['advances']} → {summary['advances'] - 1}" in note
    assert "Sentences before this correction" in note
    page = git("--git-dir", remote, "show", "gh-pages:briefs/2025/03/11/small/index.html")
    assert "Corrected on" in page
    listing = git("--git-dir", remote, "show", "gh-pages:corrections/index.html")
    assert "../briefs/2025/03/11/small/" in listing
    # The archive keeps the brief as first published, and the file as first received.
    history = git("--git-dir", remote, "log", "--format=%s", "archive", "--",
                  "published/briefs/2025/03/11/small.md").splitlines()
    assert history == ["Correct 2025-03-11", "Publish 2025-03-10 to 2025-03-11"]
    first_version = git("--git-dir", remote, "show",
                        "archive~1:published/briefs/2025/03/11/small.md")
    assert "Corrected on" not in first_version
    assert any(".revisions/" in p for p in branch_files(remote, "archive",
                                                        "store/raw/equities/2025-03-11"))
    check = run_task(project, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "all agree with their data" in check.stdout


def test_a_smaller_site_is_not_deployed_unless_allowed(
    published: Published, tmp_path: Path
) -> None:
    remote = copy_remote(published, tmp_path)
    # Someone pushed an archive that lost a published day.
    index = tmp_path / "index"
    env = git_env({"GIT_INDEX_FILE": str(index)})
    for args in (["read-tree", "archive"],
                 ["rm", "--cached", "-r", "--quiet", "published/briefs/2025/03/03"]):
        subprocess.run(["git", "--git-dir", str(remote), *args], env=env, check=True)
    tree = subprocess.run(["git", "--git-dir", str(remote), "write-tree"], env=env, check=True,
                          capture_output=True, text=True).stdout.strip()
    lost = git("--git-dir", remote, "-c", "user.name=x", "-c", "user.email=x@x", "commit-tree",
               tree, "-p", "archive", "-m", "Lose a day")
    git("--git-dir", remote, "update-ref", "refs/heads/archive", lost)
    site_before = tip(remote, "gh-pages")
    project = clone(remote, tmp_path / "Z")

    refused = run_task(project, "publish", "--demo", "--date", "2025-03-11", "--remote",
                       str(remote))

    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        f"error: the new site holds 24 briefs and the live one on {remote} (gh-pages) 28: "
        "refusing to deploy a smaller site; find out why briefs are missing, or pass "
        "--allow-shrink to deploy it anyway")
    assert tip(remote, "gh-pages") == site_before

    allowed = run_task(project, "publish", "--demo", "--date", "2025-03-11", "--remote",
                       str(remote), "--allow-shrink")
    assert allowed.returncode == 0, allowed.stderr
    assert site_briefs(remote) == expected_briefs(["04", "05", "06", "07", "10", "11"])


def test_a_session_not_yet_published_is_caught_up_by_the_next_run(
    published: Published, tmp_path: Path
) -> None:
    remote = copy_remote(published, tmp_path)
    project = clone(remote, tmp_path / "L")
    assert run_task(project, "publish", "--demo", "--date", "2025-03-11", "--remote",
                    str(remote)).returncode == 0
    late = project / "data/demo-archive/equities" / BHAVCOPY.format(_day("13"))
    kept = late.read_bytes()
    late.unlink()  # the exchange has not published 13 March yet

    result = run_task(project, "publish", "--demo", "--date", "2025-03-13", "--remote",
                      str(remote))

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: 2025-03-13 could not be pulled: ")
    assert lines[0].endswith("(the sessions before it were published; the next `invoke "
                             "publish` catches 2025-03-13 up)")
    assert site_briefs(remote) == expected_briefs([*FIRST_WEEK, "10", "11", "12"])

    late.write_bytes(kept)
    again = run_task(project, "publish", "--demo", "--date", "2025-03-13", "--remote",
                     str(remote))
    assert again.returncode == 0, again.stderr
    assert site_briefs(remote) == expected_briefs([*FIRST_WEEK, "10", "11", "12", "13"])


def test_files_pulled_before_a_failure_are_saved(published: Published, tmp_path: Path) -> None:
    remote = copy_remote(published, tmp_path)
    project = clone(remote, tmp_path / "F")
    mkdocs = project / "mkdocs.yml"
    good = mkdocs.read_text(encoding="utf-8")
    mkdocs.write_text(good.replace("  - About: about.md", "  - About: about.md\n"
                                   "  - Missing: missing.md"), encoding="utf-8")
    site_before, archive_before = tip(remote, "gh-pages"), tip(remote, "archive")

    failed = run_task(project, "publish", "--demo", "--date", "2025-03-12", "--remote",
                      str(remote))

    assert failed.returncode == 1
    assert failed.stderr.startswith("error: mkdocs build --strict failed: ")
    assert tip(remote, "gh-pages") == site_before
    assert tip(remote, "archive") != archive_before
    archive = branch_files(remote, "archive")
    assert f"store/raw/equities/2025-03-12/{BHAVCOPY.format(_day('12'))}" in archive
    assert not any(p.startswith("published/briefs/2025/03/12/") for p in archive)

    fresh = clone(remote, tmp_path / "G")
    result = run_task(fresh, "publish", "--demo", "--date", "2025-03-12", "--remote",
                      str(remote))
    assert result.returncode == 0, result.stderr
    assert "2025-03-12: pulled" not in result.stdout  # restored from the archive instead
    assert site_briefs(remote) == expected_briefs([*FIRST_WEEK, "10", "11", "12"])


def test_rebuild_renders_every_published_brief_again(published: Published,
                                                      tmp_path: Path) -> None:
    remote = copy_remote(published, tmp_path)
    project = clone(remote, tmp_path / "W")
    template = project / "generator/narrative/templates/brief.md.j2"
    footer = "*Generated automatically from exchange data. Not investment advice.*"
    text = template.read_text(encoding="utf-8")
    assert footer in text
    template.write_text(text.replace(footer, footer.replace("data.", "data (rebuilt).")),
                        encoding="utf-8")

    result = run_task(project, "publish", "--demo", "--date", "2025-03-11", "--remote",
                      str(remote), "--rebuild")

    assert result.returncode == 0, result.stderr
    assert git("--git-dir", remote, "log", "-1", "--format=%s", "archive") == \
        "Rebuild every brief"
    changed = git("--git-dir", remote, "diff", "--name-only", "archive~1", "archive")
    # Only the Markdown changed: figures, CSVs, charts and labels come out byte-identical.
    assert changed.splitlines() == sorted(
        f"published/briefs/2025/03/{d}/{seg}.md" for d in [*FIRST_WEEK, "10", "11"]
        for seg in SEGMENTS)
    page = git("--git-dir", remote, "show", "gh-pages:briefs/2025/03/04/mid/index.html")
    assert "exchange data (rebuilt)" in page


def test_a_dry_run_on_a_fresh_clone_builds_the_whole_archive(published: Published,
                                                              tmp_path: Path) -> None:
    remote = copy_remote(published, tmp_path)
    tips = (tip(remote, "archive"), tip(remote, "gh-pages"))
    project = clone(remote, tmp_path / "N")

    result = run_task(project, "publish", "--demo", "--no-deploy", "--date", "2025-03-12",
                      "--remote", str(remote))

    assert result.returncode == 0, result.stderr
    built = sorted(str(p.relative_to(project / "site"))
                   for p in (project / "site/briefs").glob("*/*/*/*/index.html"))
    assert built == expected_briefs([*FIRST_WEEK, "10", "11", "12"])
    assert (tip(remote, "archive"), tip(remote, "gh-pages")) == tips  # nothing pushed
