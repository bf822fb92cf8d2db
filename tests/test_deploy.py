"""The site branch with real git against a local bare repository."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from publish_project import git

from generator.deploy import (
    ShrinkError,
    built_from,
    count_briefs,
    deploy_site,
    site_tree,
)
from generator.errors import DeployError
from generator.gitrepo import DEFAULT_EMAIL, DEFAULT_NAME, GitRepo

IST = timezone(timedelta(hours=5, minutes=30))
WHEN = datetime(2024, 5, 10, 19, 0, 0, tzinfo=IST)


@pytest.fixture(autouse=True)
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make git ignore the machine's global and system config and identity."""
    empty = tmp_path / "gitconfig"
    empty.write_text("", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(tmp_path))


@pytest.fixture
def bare(tmp_path: Path) -> Path:
    """Create an empty bare repository to push to."""
    path = tmp_path / "pages.git"
    git("init", "--quiet", "--bare", path)
    return path


@pytest.fixture
def project(tmp_path: Path) -> GitRepo:
    """Create a project clone with one commit on main."""
    path = tmp_path / "project"
    path.mkdir()
    git("-C", path, "init", "--quiet", "--initial-branch=main")
    (path / "README.md").write_text("project\n", encoding="utf-8")
    git("-C", path, "add", "README.md")
    git("-C", path, "-c", "user.name=dev", "-c", "user.email=dev@e.com", "commit", "-qm", "start")
    repo = GitRepo.of_project(path)
    assert repo is not None
    return repo


def make_site(root: Path, days: int) -> Path:
    """Write a small built site with two briefs on each of `days` sessions."""
    (root / "index.html").parent.mkdir(parents=True, exist_ok=True)
    (root / "index.html").write_text("<h1>Market briefs</h1>\n", encoding="utf-8")
    for day in range(1, days + 1):
        for seg in ("large", "small"):
            page = root / f"briefs/2025/03/{day:02d}/{seg}/index.html"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(f"<p>{seg} {day}</p>\n", encoding="utf-8")
        (root / f"briefs/2025/03/{day:02d}/index.html").write_text("day\n", encoding="utf-8")
    return root


def deploy(repo: GitRepo, site: Path, bare: Path, live: str | None, *,
           archive: str | None = "a" * 40, when: datetime = WHEN,
           allow_shrink: bool = False) -> str | None:
    return deploy_site(repo, site_tree(repo, site), remote=str(bare), branch="gh-pages",
                       live=live, archive=archive, message="Publish", when=when,
                       allow_shrink=allow_shrink)


def test_site_tree_holds_the_site_and_nojekyll(project: GitRepo, tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", 2)
    tree = site_tree(project, site)
    names = {e.path for e in project.ls_tree(tree)}
    assert names == {".nojekyll", "index.html", "briefs/2025/03/01/index.html",
                     "briefs/2025/03/01/large/index.html", "briefs/2025/03/01/small/index.html",
                     "briefs/2025/03/02/index.html", "briefs/2025/03/02/large/index.html",
                     "briefs/2025/03/02/small/index.html"}
    assert count_briefs(project, tree) == 4  # day pages are not briefs


def test_deploy_site_pushes_one_commit_naming_its_archive(
    project: GitRepo, bare: Path, tmp_path: Path
) -> None:
    site = make_site(tmp_path / "site", 2)
    sha = deploy(project, site, bare, None)

    assert git("--git-dir", bare, "rev-parse", "gh-pages") == sha
    assert git("--git-dir", bare, "rev-list", "--count", "gh-pages") == "1"
    assert git("--git-dir", bare, "show", "gh-pages:briefs/2025/03/02/small/index.html") == \
        "<p>small 2</p>"
    assert git("--git-dir", bare, "log", "-1", "--format=%B", "gh-pages") == \
        f"Publish\n\nArchive: {'a' * 40}"
    assert built_from(project, sha) == "a" * 40


def test_deploy_site_dates_and_signs_with_the_project_identity(
    project: GitRepo, bare: Path, tmp_path: Path
) -> None:
    deploy(project, make_site(tmp_path / "site", 1), bare, None)
    log = git("--git-dir", bare, "log", "-1", "--format=%aI%n%cI%n%an <%ae>", "gh-pages")
    assert log.splitlines() == [WHEN.isoformat(), WHEN.isoformat(),
                                f"{DEFAULT_NAME} <{DEFAULT_EMAIL}>"]


def test_deploy_site_again_with_the_same_site_pushes_nothing(
    project: GitRepo, bare: Path, tmp_path: Path
) -> None:
    site = make_site(tmp_path / "site", 2)
    first = deploy(project, site, bare, None)
    assert deploy(project, site, bare, first, when=WHEN + timedelta(days=1)) is None
    assert git("--git-dir", bare, "rev-parse", "gh-pages") == first


def test_deploy_site_replaces_the_single_commit(
    project: GitRepo, bare: Path, tmp_path: Path
) -> None:
    first = deploy(project, make_site(tmp_path / "one", 1), bare, None)
    second = deploy(project, make_site(tmp_path / "two", 2), bare, first,
                    when=WHEN + timedelta(days=1))
    assert second not in (None, first)
    assert git("--git-dir", bare, "rev-list", "--count", "gh-pages") == "1"
    assert git("--git-dir", bare, "rev-parse", "gh-pages") == second


def test_deploy_site_refuses_a_smaller_site_with_both_counts(
    project: GitRepo, bare: Path, tmp_path: Path
) -> None:
    live = deploy(project, make_site(tmp_path / "big", 3), bare, None)
    small = make_site(tmp_path / "small", 2)
    with pytest.raises(ShrinkError) as caught:
        deploy(project, small, bare, live)
    assert str(caught.value) == (
        f"the new site holds 4 briefs and the live one on {bare} (gh-pages) 6: refusing to "
        "deploy a smaller site; find out why briefs are missing, or pass --allow-shrink to "
        "deploy it anyway")
    assert git("--git-dir", bare, "rev-parse", "gh-pages") == live

    shrunk = deploy(project, small, bare, live, allow_shrink=True)
    assert git("--git-dir", bare, "rev-parse", "gh-pages") == shrunk


def test_deploy_site_does_not_overwrite_a_site_it_has_not_seen(
    project: GitRepo, bare: Path, tmp_path: Path
) -> None:
    seen = deploy(project, make_site(tmp_path / "one", 1), bare, None)
    other = deploy(project, make_site(tmp_path / "two", 2), bare, seen,
                   when=WHEN + timedelta(hours=1))
    with pytest.raises(DeployError) as caught:
        deploy(project, make_site(tmp_path / "three", 3), bare, seen,
               when=WHEN + timedelta(hours=2))
    message = str(caught.value)
    assert message.startswith("git push failed: ! [rejected] ")
    assert "(stale info)" in message  # git's own reason, not only its last words
    assert "no other publish is running" in message
    assert git("--git-dir", bare, "rev-parse", "gh-pages") == other


def test_deploy_leaves_the_project_untouched(project: GitRepo, bare: Path,
                                             tmp_path: Path) -> None:
    root = project.root
    (root / "draft.md").write_text("unsaved\n", encoding="utf-8")
    before = [git("-C", root, "rev-parse", "HEAD"), git("-C", root, "status", "--porcelain"),
              git("-C", root, "branch", "--list", "--all")]

    deploy(project, make_site(tmp_path / "site", 1), bare, None)

    after = [git("-C", root, "rev-parse", "HEAD"), git("-C", root, "status", "--porcelain"),
             git("-C", root, "branch", "--list", "--all")]
    assert after == before


def test_site_tree_rejects_a_site_without_index(project: GitRepo, tmp_path: Path) -> None:
    with pytest.raises(DeployError) as caught:
        site_tree(project, tmp_path / "nowhere")
    assert str(caught.value) == f"{tmp_path / 'nowhere'} has no index.html; run `invoke build` " \
        "first"


def test_push_to_a_missing_remote_says_what_to_check(project: GitRepo, tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", 1)
    with pytest.raises(DeployError) as caught:
        deploy(project, site, tmp_path / "absent.git", None)
    message = str(caught.value)
    assert message.startswith("git push failed: ")
    assert "\n" not in message
    assert message.endswith("then run `invoke publish` again")


def test_a_remote_that_looks_like_an_option_is_a_remote(project: GitRepo, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    with pytest.raises(DeployError):
        project.remote_heads(f"--upload-pack=touch {marker}")
    assert not marker.exists()
