"""Maintainer tasks: `invoke --list` shows them, `invoke --help TASK` their options."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar

from invoke import Context, Exit, task

from generator.config import Config, load_config
from generator.errors import GeneratorError

ROOT = Path(__file__).resolve().parent
MKDOCS_YML = ROOT / "mkdocs.yml"
IST = timezone(timedelta(hours=5, minutes=30), "IST")
CONFIG_HELP = "settings file (default: brief.toml beside tasks.py)"
DEMO_HELP = "use the built-in demo market instead of the configured source"

F = TypeVar("F", bound=Callable[..., Any])


def user_errors(func: F) -> F:
    """Turn a GeneratorError into one line on stderr and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except GeneratorError as exc:
            raise Exit(f"error: {exc}", code=1) from None

    return wrapper  # type: ignore[return-value]


def _config(path: str | None, demo: bool = False) -> Config:
    config = load_config(Path(path) if path else ROOT / "brief.toml")
    return dataclasses.replace(config, source="demo") if demo else config


def _date(value: str | None, option: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise GeneratorError(f"--{option} {value!r} is not a date like 2025-01-31") from None


def _say(line: str) -> None:
    """Print a progress line at once (long tasks report as they go)."""
    print(line, flush=True)


def _now() -> datetime:
    """Return the current time in India; the only place that reads the clock."""
    return datetime.now(IST).replace(microsecond=0)


@contextmanager
def _locked(cfg: Config, name: str) -> Iterator[datetime]:
    """Hold the project's lock while a task writes (one run at a time); yield the time."""
    from generator.runlock import project_lock

    now = _now()
    with project_lock(cfg.root, name, now):
        yield now


@task(help={"config": CONFIG_HELP, "seed": "random seed (default from the config)",
            "start": "first day YYYY-MM-DD (default from the config)",
            "end": "last day YYYY-MM-DD (default from the config)"})
@user_errors
def demo(c: Context, config: str | None = None, seed: int | None = None,
         start: str | None = None, end: str | None = None) -> None:
    """Simulate the demo market, pull every session, render all briefs and build the site."""
    from generator.publish import run_demo

    cfg = _config(config, demo=True)
    with _locked(cfg, "demo") as now:
        report = run_demo(cfg, MKDOCS_YML, seed, _date(start, "start"), _date(end, "end"),
                          now, _say)
    print(f"demo market: {len(report.days)} sessions, {report.briefs} briefs "
          f"({report.charts_rendered} charts rendered, {report.charts_reused} reused)")
    print(f"site built in {report.site_dir}/ — run `invoke serve` to view it")


@task(help={"config": CONFIG_HELP,
            "date": "trading day YYYY-MM-DD (default: the latest session up to today)",
            "from_dir": "import a folder of downloaded exchange files instead of fetching",
            "list_date": "with --from-dir: the date constituent lists are in force from "
                         "(default: the first imported session)",
            "demo": DEMO_HELP})
@user_errors
def pull(c: Context, config: str | None = None, date: str | None = None,
         from_dir: str | None = None, list_date: str | None = None,
         demo: bool = False) -> None:
    """Bring one trading day's exchange files from the configured source into the store."""
    from generator.importer import import_dir
    from generator.pull import pull_day
    from generator.store import Store

    cfg = _config(config, demo)
    with _locked(cfg, "pull") as now:
        if from_dir:
            imported = import_dir(Store(cfg.data_dir), Path(from_dir), now,
                                  _date(list_date, "list-date"))
            for origin, status in sorted(imported.stored.items()):
                print(f"{status:8} {origin}")
            for origin, why in sorted(imported.skipped.items()):
                print(f"skipped  {origin}: {why}")
            print(f"imported {len(imported.stored)} files, {len(imported.sessions)} sessions")
            return
        day = _date(date, "date") or _latest_session(cfg, now.date())
        report = pull_day(cfg, Store(cfg.data_dir), day, now)
    for name, status in sorted(report.statuses.items()):
        print(f"{status:8} {name}")
    print(f"pulled {day}")


@task(help={"config": CONFIG_HELP, "start": "first day YYYY-MM-DD", "end": "last day YYYY-MM-DD",
            "demo": DEMO_HELP})
@user_errors
def backfill(c: Context, start: str, end: str, config: str | None = None,
             demo: bool = False) -> None:
    """Pull every missing session in a date range, skipping holidays and stored days."""
    from generator.pull import BackfillStep
    from generator.pull import backfill as run_backfill
    from generator.store import Store

    first, last = _date(start, "start"), _date(end, "end")
    if first is None or last is None:
        raise GeneratorError("--start and --end are both needed, like 2025-01-01")

    def show(step: BackfillStep) -> None:
        done = round(20 * step.index / step.total)
        print(f"[{'#' * done}{'.' * (20 - done)}] {step.index}/{step.total} {step.day} "
              f"{step.outcome}", flush=True)

    cfg = _config(config, demo)
    with _locked(cfg, "backfill") as now:
        run_backfill(cfg, Store(cfg.data_dir), first, last, now, show)


@task(help={"config": CONFIG_HELP, "date": "render one session YYYY-MM-DD",
            "start": "first session of a range", "end": "last session of a range"})
@user_errors
def render(c: Context, config: str | None = None, date: str | None = None,
           start: str | None = None, end: str | None = None) -> None:
    """Compute metrics, write briefs and charts for a date or range (default: all stored)."""
    from generator.pipeline import select_days
    from generator.render_many import render_many
    from generator.store import Store

    cfg = _config(config)
    one = _date(date, "date")
    store = Store(cfg.data_dir)
    with _locked(cfg, "render"):
        days = select_days(store, one or _date(start, "start"), one or _date(end, "end"),
                           cfg.exchange)
        report = render_many(cfg, store, days, _say)
    print(f"rendered {report.briefs} briefs for {len(days)} sessions "
          f"({days[0]} to {days[-1]}); charts: {report.charts_rendered} rendered, "
          f"{report.charts_reused} unchanged")


@task(help={"config": CONFIG_HELP,
            "full": "build every page again (after a theme or template change; a changed "
                    "mkdocs.yml, overrides/ or tool version is detected by itself)"})
@user_errors
def build(c: Context, config: str | None = None, full: bool = False) -> None:
    """Build the site with `mkdocs build --strict`: only the pages that changed, or --full."""
    from generator.site import build_site

    cfg = _config(config)
    with _locked(cfg, "build"):
        site = build_site(cfg, MKDOCS_YML, full=full)
    print(f"site built in {site}/")


@task(help={"port": "port on 127.0.0.1 (default 8000)", "config": CONFIG_HELP})
@user_errors
def serve(c: Context, port: int = 8000, config: str | None = None) -> None:
    """Serve the built site on 127.0.0.1 at its address's path, as GitHub Pages would."""
    from generator.preview import base_path, preview_server

    cfg = _config(config)
    site = cfg.site_dir
    if not (site / "index.html").is_file():
        raise GeneratorError(f"{site} has no built site; run `invoke build` (or `invoke demo`)")
    with preview_server(site, cfg.site_url, port) as httpd:
        print(f"serving {site}/ on http://127.0.0.1:{httpd.server_port}"
              f"{base_path(cfg.site_url)} (Ctrl-C stops)", flush=True)
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            print("stopped")


@task(help={"config": CONFIG_HELP,
            "date": "last session to publish YYYY-MM-DD (default: the latest up to today)",
            "since": "publish every unpublished session from this day YYYY-MM-DD; needed "
                     "for the first publish to an empty remote",
            "remote": "git remote name or URL holding the archive and the site "
                      "(default from the config)",
            "no_deploy": "catch up, render and build only; push nothing",
            "allow_shrink": "deploy even if the site or archive holds fewer briefs than now",
            "rebuild": "render every published session again (after a template change)",
            "demo": DEMO_HELP})
@user_errors
def publish(c: Context, config: str | None = None, date: str | None = None,
            since: str | None = None, remote: str | None = None, no_deploy: bool = False,
            allow_shrink: bool = False, rebuild: bool = False, demo: bool = False) -> None:
    """Catch up every unpublished session to the latest, render, build, save the archive
    and deploy the site."""
    from generator.publish import PublishRequest
    from generator.publish import publish as run_publish

    cfg = _config(config, demo)
    with _locked(cfg, "publish") as now:
        request = PublishRequest(today=now.date(), day=_date(date, "date"),
                                 since=_date(since, "since"), remote=remote,
                                 deploy=not no_deploy, allow_shrink=allow_shrink,
                                 rebuild=rebuild)
        report = run_publish(cfg, MKDOCS_YML, request, now, _say)
    for note in report.notes:
        print(f"note: {note}")
    news = [f"published {len(report.published)} session(s)"
            + (f" ({report.published[0]} to {report.published[-1]})" if report.published
               else "")]
    if report.corrected:
        news.append("corrected " + ", ".join(d.isoformat() for d in report.corrected))
    print(f"{'; '.join(news)}; the archive holds {report.briefs} briefs up to {report.target}")
    if no_deploy:
        print(f"site built in {report.site_dir}/ — run `invoke serve` to view it")
        return
    remote_name = remote or cfg.remote
    print(f"archive: {'saved ' + report.archive[:12] if report.archive else 'unchanged'}; "
          f"site: {'deployed ' + report.site[:12] if report.site else 'unchanged'} "
          f"({cfg.archive_branch} and {cfg.branch} on {remote_name})")


@task(help={"args": "extra pytest arguments, e.g. '-k breadth'"})
def test(c: Context, args: str = "") -> None:
    """Run the test suite."""
    c.run(f"python -m pytest {args}", pty=False)


@task(help={"config": CONFIG_HELP})
@user_errors
def check(c: Context, config: str | None = None) -> None:
    """Check every published brief's text against its data recomputed from the store."""
    from generator.pipeline import check_archive
    from generator.store import Store

    cfg = _config(config)
    checked, found = check_archive(cfg, Store(cfg.data_dir))
    for page, problems in found:
        print(f"{page}:")
        for problem in problems:
            print(f"  - {problem}")
    print(f"checked {checked} briefs in {cfg.docs_dir}: "
          + (f"{len(found)} disagree with their data" if found else "all agree with their data"))
    if found:
        raise SystemExit(1)


@task(help={"config": CONFIG_HELP})
def verify(c: Context, config: str | None = None) -> None:
    """Lint, type-check, test and build the site strictly."""
    c.run("python -m ruff check generator tests tasks.py benchmarks", pty=False)
    c.run("python -m mypy", pty=False)
    c.run("python -m pytest", pty=False)
    build(c, config=config)


def _latest_session(cfg: Config, today: date) -> date:
    """Return the newest session up to `today` that the configured source publishes."""
    from generator.pull import latest_session

    return latest_session(cfg, today)
