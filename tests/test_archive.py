"""The archive-wide files a render writes: stock pages, feeds, data downloads, the index."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
import scenario
import yaml
from site_project import REPO, STATIC_PAGES, tree_bytes

from generator.charts import export
from generator.links import stock_path
from generator.pipeline import render_days
from generator.stock_pages import StockRecord, stock_records

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def rendered(tmp_path: Path) -> scenario.Scenario:
    crafted = scenario.build(tmp_path)
    render_days(crafted.config, crafted.store, [scenario.DAY])
    return crafted


def _front(path: Path) -> dict[str, object]:
    return dict(yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1]))


def test_every_named_stock_has_a_page_linked_from_the_brief(rendered: scenario.Scenario) -> None:
    docs = rendered.config.docs_dir
    brief = docs / "briefs/2026/02/12/small.md"
    named = _front(brief)["stocks"]
    assert isinstance(named, list)
    symbols = [symbol for symbol, _ in named]
    assert symbols[:2] == ["ABCO", "UP0377"]  # the top gainer first, in the brief's order
    for symbol, slug in named:
        page = docs / stock_path(symbol)
        assert page.name == f"{slug}.md"
        assert _front(page)["stock"] == symbol
    hostile = (docs / stock_path("ABCO")).read_text(encoding="utf-8")
    assert "Top gainer, +12.99%" in hostile
    assert "<Co>" not in hostile.split("---\n", 2)[2]
    listing = (docs / "stocks/index.md").read_text(encoding="utf-8")
    assert listing.count("](") >= 2 * len(symbols)


def test_stock_pages_of_stocks_no_longer_named_are_removed(rendered: scenario.Scenario) -> None:
    stale = rendered.config.docs_dir / "stocks/gone.md"
    stale.write_text("old", encoding="utf-8")
    render_days(rendered.config, rendered.store, [scenario.DAY])
    assert not stale.exists()
    assert (rendered.config.docs_dir / stock_path("ABCO")).is_file()


def test_feeds_list_the_briefs_with_absolute_links(rendered: scenario.Scenario) -> None:
    docs = rendered.config.docs_dir
    site_url = rendered.config.site_url
    root = ET.fromstring((docs / "feeds/all.xml").read_bytes())
    links = [e.find(f"{ATOM}link").get("href") for e in root.iter(f"{ATOM}entry")]
    assert links == [f"{site_url}briefs/2026/02/12/large/", f"{site_url}briefs/2026/02/12/small/"]
    small = ET.fromstring((docs / "feeds/small.xml").read_bytes())
    assert len(list(small.iter(f"{ATOM}entry"))) == 1
    assert "feeds/small.xml" in (docs / "segments/small.md").read_text(encoding="utf-8")


def test_each_brief_has_its_data_beside_it_and_in_the_index(rendered: scenario.Scenario) -> None:
    docs = rendered.config.docs_dir
    assert [p.name for p in (docs / "briefs/2026/02/12").glob("*.csv.zip")] == [
        "constituents.csv.zip"]
    with zipfile.ZipFile(docs / "briefs/2026/02/12/constituents.csv.zip") as archive:
        assert archive.namelist() == ["large-2026-02-12.csv", "small-2026-02-12.csv"]
        text = archive.read("small-2026-02-12.csv").decode("utf-8")
    assert not (docs / "briefs/2026/02/12/small.csv").exists()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1200
    abco = next(r for r in rows if r["symbol"] == "ABCO")
    assert abco["name"] == scenario.HOSTILE and abco["mover"] == "gainer"
    summary = json.loads((docs / "briefs/2026/02/12/small.json").read_text(encoding="utf-8"))
    assert summary["advances"] == 378 and summary["declines"] == 816
    catalogue = json.loads((docs / "briefs/index.json").read_text(encoding="utf-8"))
    assert [y["index"] for y in catalogue["years"]] == ["briefs/2026/index.json"]
    assert catalogue["years"][0]["briefs"] == 2 and len(catalogue["latest"]) == 2
    index = json.loads((docs / "briefs/2026/index.json").read_text(encoding="utf-8"))
    entries = {(b["date"], b["segment"]) for b in index["briefs"]}
    assert entries == {("2026-02-12", "large"), ("2026-02-12", "small")}
    assert catalogue["latest"] == index["briefs"]
    brief = (docs / "briefs/2026/02/12/small.md").read_text(encoding="utf-8")
    assert ("[Constituents (CSV, zipped with the day's other segments)](constituents.csv.zip)"
            in brief and "(small.json)" in brief)


def test_charts_rendered_in_worker_processes_give_the_same_docs(
        rendered: scenario.Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A long render hands SVGs to worker processes (`SvgBatch`); the docs must not depend
    on which process drew them."""
    monkeypatch.setattr(export, "INLINE_RENDERS", 0)
    (tmp_path / "workers").mkdir()
    workers = scenario.build(tmp_path / "workers")
    report = render_days(workers.config, workers.store, [scenario.DAY])
    assert report.charts_rendered > 0
    assert tree_bytes(workers.config.docs_dir) == tree_bytes(rendered.config.docs_dir)


def test_every_file_a_render_writes_is_ignored_by_git(rendered: scenario.Scenario) -> None:
    """Generated pages stay out of the repository: each one a render writes, at its place
    under the repo's site_src/, is matched by .gitignore (hand-written pages are not)."""
    docs = rendered.config.docs_dir
    written = [p.relative_to(docs).as_posix() for p in sorted(docs.rglob("*")) if p.is_file()]
    assert len(written) > 50
    paths = "\n".join(f"site_src/{path}" for path in written + list(STATIC_PAGES))
    result = subprocess.run(["git", "check-ignore", "--no-index", "--verbose",
                             "--non-matching", "--stdin"], input=paths, cwd=REPO,
                            capture_output=True, text=True, check=False)
    assert result.returncode in (0, 1), result.stderr
    not_ignored = {line.split("\t")[1] for line in result.stdout.splitlines()
                   if line.startswith("::")}
    assert not_ignored == {f"site_src/{page}" for page in STATIC_PAGES}


def test_a_day_writes_only_the_stock_pages_of_its_stocks_and_they_match_a_whole_write(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A day's render rewrites the pages of the stocks its briefs name; every other page
    is left as it was, and the folder is byte for byte what writing every page gives."""
    import shutil
    from datetime import date

    from demo_store import pulled_demo

    from generator import archive

    config, store, days = pulled_demo(tmp_path / "p", date(2025, 1, 1), date(2025, 1, 8))
    render_days(config, store, days[:-1], only=True)
    written: list[str] = []
    real = archive.stock_page

    def spy(record: StockRecord, *args: object) -> str:
        written.append(record.symbol)
        return real(record, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(archive, "stock_page", spy)
    render_days(config, store, days[-1:])
    by_day = archive.read_summaries(config)
    named = {r.symbol for r in stock_records({days[-1]: by_day[days[-1]]})}
    assert sorted(written) == sorted(named)
    assert len(named) < len(stock_records(by_day))  # some pages were left alone

    incremental = tree_bytes(config.docs_dir / "stocks")
    shutil.rmtree(config.docs_dir / "stocks")
    archive.write_stock_pages(config, store, by_day)
    assert tree_bytes(config.docs_dir / "stocks") == incremental


def test_segment_pages_list_recent_briefs_and_link_a_page_per_year(tmp_path: Path) -> None:
    """A segment's page lists its newest briefs and links one page per year; a closed year
    gets its own charts and is left alone by later days, the current year's page grows."""
    from datetime import date

    from demo_store import pulled_demo

    from generator import archive

    config, store, days = pulled_demo(tmp_path / "p", date(2024, 12, 27), date(2025, 1, 3))
    render_days(config, store, days[:-1], only=True)
    docs = config.docs_dir
    main = (docs / "segments/small.md").read_text(encoding="utf-8")
    assert "[2025](small/2025.md)" in main and "[2024](small/2024.md)" in main
    closed = docs / "segments/small/2024.md"
    text = closed.read_text(encoding="utf-8")
    assert "2024-index.svg" in text
    assert text.count("| [") == 3  # 27, 30 and 31 December
    assert "2025-index.svg" not in (docs / "segments/small/2025.md").read_text("utf-8")
    frozen = closed.stat().st_mtime_ns, (docs / "segments/small/2024-index.svg").stat().st_ino

    render_days(config, store, days[-1:])
    assert (closed.stat().st_mtime_ns,
            (docs / "segments/small/2024-index.svg").stat().st_ino) == frozen
    current = (docs / "segments/small/2025.md").read_text(encoding="utf-8")
    assert current.count("| [") == len([d for d in days if d.year == 2025])
    # The rolling charts change daily with their page, which carries them: no chart files.
    main = (docs / "segments/small.md").read_text(encoding="utf-8")
    assert main.count("data-spec-inline=") == 2
    assert main.count("](data:image/svg+xml;base64,") == 2
    assert not [p.name for p in (docs / "segments").iterdir() if p.is_file()
                and not p.name.endswith(".md")]
    # A page written again with the same sessions keeps its drawings, without a render.
    archive_pages = archive.write_archive(config, store, None, days[-1:])
    assert (docs / "segments/small.md").read_text(encoding="utf-8") == main
    assert archive_pages == 0


def test_summaries_are_read_from_their_memo_until_a_file_changes(
        rendered: scenario.Scenario) -> None:
    """read_summaries keeps a year's summaries pickled while its files are unchanged; a
    rewritten, added or removed summary, or a damaged memo, is read from the files again."""
    import dataclasses
    import os
    import shutil

    from generator import archive

    config = rendered.config
    first = dict(archive.read_summaries(config))  # reads every year: writes the memo
    memo = config.data_dir / "tables/memo/summaries" / f"{scenario.DAY:%Y}.pickle"
    assert memo.is_file()
    assert archive.read_summaries(config) == first
    day = config.docs_dir / f"briefs/{scenario.DAY:%Y/%m/%d}"
    small = day / "small.json"
    summary = archive.BriefSummary.from_path(small)
    stat = small.stat()
    small.write_text(dataclasses.replace(summary, headline="Another headline").to_json(),
                     encoding="utf-8")
    os.utime(small, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same time, other size
    again = archive.read_summaries(config)
    assert [s.headline for s in again[scenario.DAY] if s.segment == "small"] == [
        "Another headline"]
    memo.write_bytes(b"not a pickle")
    assert archive.read_summaries(config) == again
    copy = day.parent / f"{scenario.DAY.day + 1:02d}"
    shutil.copytree(day, copy)
    later = scenario.DAY.replace(day=scenario.DAY.day + 1).isoformat()
    for path in copy.glob("*.json"):
        path.write_text(path.read_text(encoding="utf-8").replace(
            f'"day":"{scenario.DAY.isoformat()}"', f'"day":"{later}"'), encoding="utf-8")
    assert len(archive.read_summaries(config)) == 2
    shutil.rmtree(copy)
    assert archive.read_summaries(config) == again
