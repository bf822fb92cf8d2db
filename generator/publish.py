"""The daily job: bring the archive of record in, catch up every unpublished session, render,
build, then save the archive and deploy the site, in that order.

The same function runs on a maintainer's clone and on a fresh scheduled runner: nothing but
the code is needed locally, since the archive branch on the remote holds every file the
site is made from (`generator.record`). Save first, show second: the archive is pushed
before the site, so the site never shows a brief whose data is not saved; a run killed in
between is completed by the next one. Files pulled are saved even when a later step fails,
and a session the exchange has not published yet is caught up by the next run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from generator import catchup, corrections
from generator.archive import write_archive
from generator.charts import SvgBatch
from generator.config import Config, check_remote
from generator.deploy import built_from, deploy_site, site_tree
from generator.errors import DeployError, GeneratorError, SourceError
from generator.fileio import remove_partial_writes
from generator.gitrepo import PRIVATE_REFS, GitRepo
from generator.pages import BRIEFS, brief_days, day_dir
from generator.pipeline import find_corrections, render_days
from generator.pull import (
    archive_sessions,
    latest_session,
    pull_day,
    source_calendar,
    source_for,
    write_demo_archive,
)
from generator.record import Record, Trees
from generator.render_many import render_many
from generator.site import build_site
from generator.snapshot import equity_days
from generator.store import Store

REMOTE_REFS = f"{PRIVATE_REFS}/remote"  # the remote's branch tips as last fetched or pushed

Say = Callable[[str], None]


class PublishError(GeneratorError):
    """Publishing cannot go on; the message says what to run."""


@dataclass(frozen=True)
class PublishRequest:
    """What a publish should do. `today` is the day it is at the exchange (from the clock,
    read by the task layer); the other dates are the maintainer's options."""

    today: date
    day: date | None = None
    since: date | None = None
    remote: str | None = None
    deploy: bool = True
    allow_shrink: bool = False
    rebuild: bool = False


@dataclass(frozen=True)
class PublishReport:
    """What a publish did."""

    target: date
    published: tuple[date, ...]
    corrected: tuple[date, ...]
    briefs: int
    archive: str | None = None
    site: str | None = None
    site_dir: Path | None = None
    notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Live:
    """The remote's archive and site branch tips (None where the branch does not exist)."""

    archive: str | None = None
    site: str | None = None


@dataclass(frozen=True)
class _Archive:
    """The clone's repository, the record kept in step with the remote, and the remote's
    tips and trees as fetched (all None when publishing works on local files only)."""

    repo: GitRepo | None
    record: Record | None
    live: Live
    base: Trees


@dataclass(frozen=True)
class _Outcome:
    """What the local part of a publish produced, before anything is pushed."""

    corrected: tuple[date, ...]
    trees: Trees | None
    commit: str | None
    site_dir: Path | None


def publish(config: Config, mkdocs_yml: Path, request: PublishRequest, when: datetime,
            say: Say = lambda _: None) -> PublishReport:
    """Publish every session from the last published one up to the requested day (one
    publish at a time in a clone)."""
    # Temp files of writes a killed run cut short (the task holds the project's lock, so
    # none is being written now): removed, never archived.
    for folder in (config.data_dir, config.docs_dir):
        remove_partial_writes(folder)
    repo = GitRepo.of_project(config.root)
    if repo is None and request.deploy:
        raise DeployError(f"{config.root} is not a git clone: publish keeps the archive of "
                          "record in git; clone the project with git and publish from there")
    if repo is None:
        return _publish(config, mkdocs_yml, request, when, say, None)
    with repo.exclusive():
        return _publish(config, mkdocs_yml, request, when, say, repo)


def _publish(config: Config, mkdocs_yml: Path, request: PublishRequest, when: datetime,
             say: Say, repo: GitRepo | None) -> PublishReport:
    remote = check_remote(request.remote, "--remote") if request.remote else config.remote
    notes: list[str] = []
    archive = _open_archive(config, repo, request, remote, notes, say)
    published = brief_days(config.docs_dir)
    if not published and request.since is None:
        raise PublishError(f"nothing is published yet in {config.docs_dir}: start with "
                           "`invoke publish --since YYYY-MM-DD` (the first session to publish)")
    store = Store(config.data_dir)
    source = source_for(config)
    calendar = source_calendar(source)
    target = request.day or latest_session(config, request.today, source)
    todo = catchup.sessions_to_publish(calendar, published, request.since, target)
    recent = published[len(published) - config.recheck_sessions:] if published else []
    revised = set() if request.rebuild else catchup.check_again(
        config, store, source, recent, when, notes, say)
    ready, failure = catchup.pull_sessions(config, store, source, todo, when, say)

    changed = set(revised)
    if archive.record is not None and archive.live.archive is not None:
        changed |= archive.record.changed_days(archive.base.store,
                                               archive.record.stage().store)
    fix_from = None if request.rebuild or not published else \
        min((d for d in changed if d <= published[-1]), default=None)
    try:
        outcome = _produce(config, mkdocs_yml, store, archive, request, published, ready,
                           fix_from, when, say)
    except GeneratorError:
        if archive.record is not None and request.deploy and ready:
            _save_pulled(archive, remote, config, ready, when, say)
        raise
    site_commit = _push(config, archive, outcome, remote, request, when, say)
    if failure is not None:
        missing, cause = failure
        before = "the sessions before it were published; " if ready else ""
        raise SourceError(f"{missing} could not be pulled: {cause} ({before}the next `invoke "
                          f"publish` catches {missing} up)")
    briefs = sum(1 for page in (config.docs_dir / BRIEFS).glob("*/*/*/*.md")
                 if page.name != "index.md")
    return PublishReport(target, tuple(ready), outcome.corrected, briefs, outcome.commit,
                         site_commit, outcome.site_dir, tuple(notes))


def _open_archive(config: Config, repo: GitRepo | None, request: PublishRequest,
                  remote: str, notes: list[str], say: Say) -> _Archive:
    """Fetch the remote's tips and bring the local folders in step with its archive."""
    if repo is None:
        return _Archive(None, None, Live(), Trees("", ""))
    try:
        live = fetch_live(repo, remote, config)
    except DeployError as exc:
        if request.deploy:
            raise
        notes.append(f"{remote} could not be read ({exc}); built from this machine's files "
                     "only")
        return _Archive(repo, None, Live(), Trees("", ""))
    if live.archive is None and not request.deploy:
        # A dry run beside a remote with no archive works on the local files as they are.
        return _Archive(repo, None, live, Trees("", ""))
    if live.archive is None and request.since is None:
        raise PublishError(f"{remote} has no {config.archive_branch!r} branch yet: start the "
                           "archive with `invoke publish --since YYYY-MM-DD` (the first "
                           "session to publish)")
    record = Record(repo, config)
    say(f"archive: {'in step with' if live.archive else 'starting on'} {remote}")
    record.restore(live.archive)
    return _Archive(repo, record, live, record.trees(live.archive))


def _produce(config: Config, mkdocs_yml: Path, store: Store, archive: _Archive,
             request: PublishRequest, published: list[date], ready: list[date],
             fix_from: date | None, when: datetime, say: Say) -> _Outcome:
    """Correct, render and build locally; write the archive commit (not pushed yet)."""
    fixes: dict[date, list[corrections.Correction]] = {}
    if fix_from is not None:
        say(f"checking the published briefs from {fix_from} against their data")
        fixes = find_corrections(config, store, [d for d in published if d >= fix_from],
                                 when.date())
        for day, found in fixes.items():
            corrections.add(config.docs_dir / day_dir(day), found)
    days = sorted(set(ready) | set(fixes) | (set(published) if request.rebuild else set()))
    if days:
        render_many(config, store, days, say)
    record, live = archive.record, archive.live
    trees = record.stage() if record is not None else None
    commit = None
    if record is not None and trees is not None and request.deploy:
        _refuse_smaller_archive(record, archive.base, trees, request.allow_shrink)
        commit = record.commit(live.archive, trees,
                               _message(ready, sorted(fixes), request.rebuild), when)
    head = commit or live.archive
    current = (request.deploy and not days and head is not None and archive.repo is not None
               and built_from(archive.repo, live.site) == head)
    site_dir = None
    if not current:
        if not days:
            with SvgBatch() as batch:
                write_archive(config, store, batch)
        say("building the site")
        site_dir = build_site(config, mkdocs_yml)
    return _Outcome(tuple(sorted(fixes)), trees, commit, site_dir)


def _push(config: Config, archive: _Archive, outcome: _Outcome, remote: str,
          request: PublishRequest, when: datetime, say: Say) -> str | None:
    """Push the archive commit, then the site; return the site commit, if one was pushed."""
    repo = archive.repo
    if not request.deploy or repo is None or archive.record is None:
        return None
    if outcome.commit is not None:
        say(f"saving the archive to {remote} ({config.archive_branch})")
        repo.push(remote, outcome.commit, config.archive_branch)
        repo.update_ref(f"{REMOTE_REFS}/{config.archive_branch}", outcome.commit)
        repo.update_ref(archive.record.synced, outcome.commit)
    if outcome.site_dir is None:
        return None
    say(f"deploying the site to {remote} ({config.branch})")
    last = brief_days(config.docs_dir)[-1]
    site_commit = deploy_site(
        repo, site_tree(repo, outcome.site_dir), remote=remote, branch=config.branch,
        live=archive.live.site, archive=outcome.commit or archive.live.archive,
        message=f"Publish the briefs up to {last.isoformat()}", when=when,
        allow_shrink=request.allow_shrink)
    if site_commit is not None:
        repo.update_ref(f"{REMOTE_REFS}/{config.branch}", site_commit)
    return site_commit


def fetch_live(repo: GitRepo, remote: str, config: Config) -> Live:
    """Fetch the tips of the remote's archive and site branches into private refs."""
    heads = repo.remote_heads(remote)
    specs = []
    for branch in (config.archive_branch, config.branch):
        ref = f"{REMOTE_REFS}/{branch}"
        sha = heads.get(branch)
        if sha is None:
            if repo.rev(ref):
                repo.run("update-ref", "-d", ref)
        elif repo.rev(ref) != sha:
            specs.append(f"+refs/heads/{branch}:{ref}")
    repo.fetch(remote, specs)
    return Live(heads.get(config.archive_branch), heads.get(config.branch))


def _refuse_smaller_archive(record: Record, base: Trees, trees: Trees,
                            allow_shrink: bool) -> None:
    """Refuse an archive commit holding fewer briefs than the one it follows."""
    new, old = len(record.briefs(trees.published)), len(record.briefs(base.published))
    if new < old and not allow_shrink:
        raise DeployError(f"the archive would hold {new} briefs where it holds {old}: "
                          "refusing to publish fewer; pass --allow-shrink to do it anyway")


def _save_pulled(archive: _Archive, remote: str, config: Config, days: Sequence[date],
                 when: datetime, say: Say) -> None:
    """Push the raw files of sessions pulled in a run that failed later, so they are not
    pulled again (or lost) and the next run publishes them."""
    record = archive.record
    assert record is not None
    try:
        index = record.repo.index("pulled", record.data_dir)
        index.unlink(missing_ok=True)
        record.repo.run("read-tree", archive.base.store, index=index)
        record.repo.run("add", "--force", "--",
                        *[f":(glob)raw/*/{d.isoformat()}/**" for d in days],
                        work_tree=record.data_dir, index=index)
        store = record.repo.run("write-tree", index=index).strip()
        days_text = ", ".join(d.isoformat() for d in days)
        commit = record.commit(archive.live.archive, Trees(store, archive.base.published),
                               f"Keep the files pulled for {days_text} (not yet published)",
                               when)
        if commit is not None:
            record.repo.push(remote, commit, config.archive_branch)
            say(f"saved the files pulled for {days_text} to {remote}")
    except GeneratorError as exc:
        say(f"the files pulled could not be saved to {remote}: {exc}")


def _message(published: Sequence[date], corrected: Sequence[date], rebuild: bool) -> str:
    """Return the archive commit's subject."""
    parts = []
    if rebuild:
        parts.append("Rebuild every brief")
    if published:
        span = published[0].isoformat() if len(published) == 1 else \
            f"{published[0].isoformat()} to {published[-1].isoformat()}"
        parts.append(f"Publish {span}")
    if corrected:
        parts.append("correct " + ", ".join(d.isoformat() for d in corrected))
    text = "; ".join(parts) or "Update the store"
    return text[0].upper() + text[1:] + "\n"


@dataclass(frozen=True)
class DemoReport:
    """What a demo run built."""

    days: tuple[date, ...]
    briefs: int
    charts_rendered: int
    charts_reused: int
    site_dir: Path


def run_demo(config: Config, mkdocs_yml: Path, seed: int | None, start: date | None,
             end: date | None, received_at: datetime, say: Say = lambda _: None) -> DemoReport:
    """Simulate the demo market, pull every session, render every brief, build the site."""
    first, last = start or config.demo.start, end or config.demo.end
    say(f"simulating the demo market from {first} to {last}")
    write_demo_archive(config, config.demo.seed if seed is None else seed, first, last)
    store = Store(config.data_dir)
    sessions = [d for d in archive_sessions(config) if first <= d <= last]
    for index, day in enumerate(sessions, start=1):
        pull_day(config, store, day, received_at)
        if index % 10 == 0 or index == len(sessions):
            say(f"pulled {index}/{len(sessions)} sessions")
    days = [d for d in equity_days(store, config.exchange) if first <= d <= last]
    say(f"rendering {len(days)} sessions (charts take most of the time)")
    report = render_days(config, store, days, only=True)
    say("building the site")
    site = build_site(config, mkdocs_yml)
    return DemoReport(tuple(days), report.briefs, report.charts_rendered, report.charts_reused,
                      site)
