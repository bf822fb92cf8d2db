"""Deploy with real git against a local bare repository; check the publishing workflow."""

from __future__ import annotations

import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.deploy import DEFAULT_EMAIL, DEFAULT_NAME, deploy_site
from generator.errors import DeployError

IST = timezone(timedelta(hours=5, minutes=30))
WHEN = datetime(2024, 5, 10, 19, 0, 0, tzinfo=IST)
WORKFLOW = Path(__file__).resolve().parents[1] / ".github" / "workflows" / "publish.yml"


def git(*args: str | Path) -> str:
    """Run git and return its stripped stdout, failing the test on error."""
    result = subprocess.run(["git", *map(str, args)], check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture(autouse=True)
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make git ignore the machine's global and system config and identity."""
    empty = tmp_path / "gitconfig"
    empty.write_text("", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(tmp_path))
    for who in ("AUTHOR", "COMMITTER"):
        for part in ("NAME", "EMAIL", "DATE"):
            monkeypatch.delenv(f"GIT_{who}_{part}", raising=False)


@pytest.fixture
def bare(tmp_path: Path) -> Path:
    """Create an empty bare repository to push to."""
    path = tmp_path / "pages.git"
    git("init", "--quiet", "--bare", path)
    return path


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """Create a small built site."""
    path = tmp_path / "site"
    (path / "briefs").mkdir(parents=True)
    (path / "index.html").write_text("<h1>Market brief</h1>\n", encoding="utf-8")
    (path / "briefs" / "2024-05-10.html").write_text("<p>Nifty up</p>\n", encoding="utf-8")
    (path / "old.html").write_text("<p>old</p>\n", encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Create a project repository with one commit and no remote."""
    path = tmp_path / "project"
    path.mkdir()
    git("-C", path, "init", "--quiet")
    (path / "README.md").write_text("project\n", encoding="utf-8")
    git("-C", path, "add", "README.md")
    git("-C", path, "-c", "user.name=dev", "-c", "user.email=dev@e.com", "commit", "-qm", "start")
    return path


def deploy(site: Path, remote: str | Path, project: Path, when: datetime = WHEN) -> str:
    """Deploy `site` to gh-pages of `remote` with fixed test values."""
    return deploy_site(
        site,
        remote=str(remote),
        branch="gh-pages",
        message="Publish",
        when=when,
        project_dir=project,
    )


def test_deploy_site_pushes_one_commit_with_site_at_root(
    site: Path, bare: Path, tmp_path: Path
) -> None:
    sha = deploy(site, bare, tmp_path)

    assert git("--git-dir", bare, "rev-list", "--count", "gh-pages") == "1"
    assert git("--git-dir", bare, "rev-parse", "gh-pages") == sha
    root = git("--git-dir", bare, "ls-tree", "--name-only", "gh-pages").splitlines()
    assert sorted(root) == [".nojekyll", "briefs", "index.html", "old.html"]
    for name in ("index.html", "briefs/2024-05-10.html", "old.html"):
        shown = git("--git-dir", bare, "show", f"gh-pages:{name}")
        assert shown == (site / name).read_text(encoding="utf-8").strip()
    assert git("--git-dir", bare, "show", "gh-pages:.nojekyll") == ""


def test_deploy_site_replaces_history_on_second_deploy(
    site: Path, bare: Path, tmp_path: Path
) -> None:
    first = deploy(site, bare, tmp_path)
    (site / "index.html").write_text("<h1>Market brief, day two</h1>\n", encoding="utf-8")
    (site / "old.html").unlink()

    second = deploy(site, bare, tmp_path, when=WHEN + timedelta(days=1))

    assert second != first
    assert git("--git-dir", bare, "rev-list", "--count", "gh-pages") == "1"
    assert git("--git-dir", bare, "rev-parse", "gh-pages") == second
    assert git("--git-dir", bare, "show", "gh-pages:index.html") == (
        "<h1>Market brief, day two</h1>"
    )
    files = git("--git-dir", bare, "ls-tree", "-r", "--name-only", "gh-pages").splitlines()
    assert sorted(files) == [".nojekyll", "briefs/2024-05-10.html", "index.html"]


def test_deploy_site_resolves_remote_name_without_touching_project(
    site: Path, bare: Path, project: Path
) -> None:
    git("-C", project, "remote", "add", "origin", bare)
    (project / "draft.md").write_text("unsaved\n", encoding="utf-8")
    before = [
        git("-C", project, "rev-parse", "HEAD"),
        git("-C", project, "symbolic-ref", "HEAD"),
        git("-C", project, "status", "--porcelain"),
        git("-C", project, "for-each-ref"),
    ]

    sha = deploy(site, "origin", project)

    assert git("--git-dir", bare, "rev-parse", "gh-pages") == sha
    after = [
        git("-C", project, "rev-parse", "HEAD"),
        git("-C", project, "symbolic-ref", "HEAD"),
        git("-C", project, "status", "--porcelain"),
        git("-C", project, "for-each-ref"),
    ]
    assert after == before
    assert "gh-pages" not in git("-C", project, "branch", "--list", "--all")
    assert sorted(p.name for p in project.iterdir()) == [".git", "README.md", "draft.md"]


def test_deploy_site_resolves_relative_remote_url_against_project(
    site: Path, bare: Path, project: Path
) -> None:
    git("-C", project, "remote", "add", "origin", "../pages.git")

    sha = deploy(site, "origin", project)

    assert git("--git-dir", bare, "rev-parse", "gh-pages") == sha


def test_deploy_site_rejects_unknown_remote_name(site: Path, project: Path) -> None:
    with pytest.raises(DeployError) as excinfo:
        deploy(site, "origin", project)

    assert str(excinfo.value) == (
        f"git remote 'origin' is not set up in {project}; add it with "
        "`git remote add origin URL` or set `remote` in the config file"
    )


def test_deploy_site_rejects_missing_site_dir(bare: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"

    with pytest.raises(DeployError) as excinfo:
        deploy(missing, bare, tmp_path)

    assert str(excinfo.value) == f"{missing} has no index.html; run `invoke build` first"


def test_deploy_site_rejects_site_without_index(site: Path, bare: Path, tmp_path: Path) -> None:
    (site / "index.html").unlink()

    with pytest.raises(DeployError) as excinfo:
        deploy(site, bare, tmp_path)

    assert str(excinfo.value) == f"{site} has no index.html; run `invoke build` first"


def test_deploy_site_reports_failed_push(site: Path, tmp_path: Path) -> None:
    not_a_repo = tmp_path / "empty"
    not_a_repo.mkdir()

    with pytest.raises(DeployError) as excinfo:
        deploy(site, not_a_repo, tmp_path)

    message = str(excinfo.value)
    assert message.startswith("git push failed: ")
    assert message.endswith(f"; check that {not_a_repo} exists and that you may push to it")


def test_deploy_site_dates_commit_with_when(site: Path, bare: Path, tmp_path: Path) -> None:
    deploy(site, bare, tmp_path)

    dates = git("--git-dir", bare, "log", "-1", "--format=%aI%n%cI", "gh-pages")
    assert dates.splitlines() == [WHEN.isoformat(), WHEN.isoformat()]


def test_deploy_site_uses_default_identity_without_git_config(
    site: Path, bare: Path, project: Path
) -> None:
    deploy(site, bare, project)

    who = git("--git-dir", bare, "log", "-1", "--format=%an <%ae>%n%cn <%ce>", "gh-pages")
    assert who.splitlines() == [f"{DEFAULT_NAME} <{DEFAULT_EMAIL}>"] * 2


def test_deploy_site_uses_project_identity_when_configured(
    site: Path, bare: Path, project: Path
) -> None:
    git("-C", project, "config", "user.name", "Asha")
    git("-C", project, "config", "user.email", "asha@example.com")

    deploy(site, bare, project)

    who = git("--git-dir", bare, "log", "-1", "--format=%an <%ae>%n%cn <%ce>", "gh-pages")
    assert who.splitlines() == ["Asha <asha@example.com>"] * 2


def test_publish_workflow_runs_on_weekdays_and_deploys_pages() -> None:
    workflow: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    # PyYAML reads the key `on` as the boolean True.
    triggers: dict[str, Any] = workflow["on"] if "on" in workflow else workflow[True]

    crons = [entry["cron"] for entry in triggers["schedule"]]
    assert crons == ["30 13 * * 1-5"]
    assert "workflow_dispatch" in triggers
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    uses = {step["uses"].split("@")[0] for step in steps if "uses" in step}
    assert {"actions/upload-pages-artifact", "actions/deploy-pages"} <= uses
    runs = [step["run"] for step in steps if "run" in step]
    assert any("invoke publish --no-deploy" in run for run in runs)
    assert workflow["jobs"]["deploy"]["needs"] == "build"
