"""The demo market end to end through the real tasks: demo, publish to a bare repo."""

from __future__ import annotations

from pathlib import Path

import pytest
from site_project import REPO, copy_static_pages, tree_bytes
from test_cli import invoke

START, END = "2025-01-01", "2025-01-17"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo")
    text = (REPO / "brief.toml").read_text(encoding="utf-8")
    (root / "brief.toml").write_text(
        text.replace("start = 2025-01-01", f"start = {START}").replace(
            "end = 2025-04-11", f"end = {END}"), encoding="utf-8")
    copy_static_pages(root / "site_src")
    result = invoke("demo", "--config", str(root / "brief.toml"))
    assert result.returncode == 0, result.stderr
    assert "site built in" in result.stdout
    return root


def test_demo_builds_every_session_and_segment(project: Path) -> None:
    briefs = sorted((project / "site_src/briefs").glob("*/*/*/*.md"))
    days = {p.parent for p in briefs}
    assert len(days) >= 10
    assert len(briefs) == len(days) * 5  # four segment briefs and the day page
    assert (project / "site/index.html").is_file()
    home = (project / "site_src/index.md").read_text()
    assert "Latest: Friday 17 January 2025" in home


def test_demo_again_leaves_site_src_byte_identical(project: Path) -> None:
    before = tree_bytes(project / "site_src")
    result = invoke("demo", "--config", str(project / "brief.toml"))
    assert result.returncode == 0, result.stderr
    assert tree_bytes(project / "site_src") == before


def test_pull_on_a_holiday_says_so(project: Path) -> None:
    result = invoke("pull", "--config", str(project / "brief.toml"), "--demo",
                    "--date", "2025-01-18")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "error: 2025-01-18 is not a trading day (weekend or exchange holiday); "
        "choose a trading day"
    )


def test_backfill_skips_stored_days_and_resumes_the_missing_one(project: Path) -> None:
    import shutil

    shutil.rmtree(project / "data/raw/equities/2025-01-16")  # as if interrupted there
    # A pull of 2025-01-15 that began and never finished (killed after its bhavcopy).
    (project / "data/pulling").mkdir()
    (project / "data/pulling/2025-01-15").touch()
    result = invoke("backfill", "--config", str(project / "brief.toml"), "--demo",
                    "--start", "2025-01-13", "--end", "2025-01-19")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines() == [
        "[####................] 1/5 2025-01-13 already stored",
        "[########............] 2/5 2025-01-14 already stored",
        "[############........] 3/5 2025-01-15 pulled",
        "[################....] 4/5 2025-01-16 pulled",
        "[####################] 5/5 2025-01-17 already stored",
    ]
    assert not any((project / "data/pulling").iterdir())


def test_every_stock_page_row_links_a_brief_that_names_the_stock(project: Path) -> None:
    """A stock page claims a brief only where the brief's text names the stock (a label
    change behind "and N more" or a results meeting past the listed ones does not)."""
    import re

    import yaml

    from generator.escape import escape_md

    docs = project / "site_src"
    pages = sorted((docs / "stocks").glob("*.md"))
    rows = 0
    for page in pages:
        if page.name == "index.md":
            continue
        text = page.read_text(encoding="utf-8")
        symbol = escape_md(str(yaml.safe_load(text.split("---\n", 2)[1])["stock"]))
        for link, roles in re.findall(r"^\| \[[^]]+\]\(([^)]+\.md)\) \| [^|]+ \| (.+) \|$",
                                      text, re.M):
            brief = (page.parent / link).resolve().read_text(encoding="utf-8")
            body = brief.split("---\n", 2)[2]
            assert f"({symbol})" in body or f"| {symbol} |" in body, (page.name, link)
            rank = re.search(r"(Top|\d+(?:st|nd|rd|th)-biggest) (gainer|loser)", roles)
            if rank:
                table = re.findall(rf"^\| {rank[2].title()} \| (\S+) \|", body, re.M)
                place = 1 if rank[1] == "Top" else int(re.match(r"\d+", rank[1])[0])
                assert table[place - 1] == symbol, (page.name, link, roles)
            rows += 1
    assert len(pages) > 50 and rows > len(pages)
