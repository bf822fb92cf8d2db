"""A real `mkdocs build --strict` of a small archive, and what readers get from it."""

from __future__ import annotations

import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import scenario
from site_project import MKDOCS_YML, copy_static_pages, tree_bytes

from generator.pipeline import render_days
from generator.site import BuildError, build_site
from generator.site.frozen import walk_docs


class _Text(HTMLParser):
    """Collect the visible text and the tags of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []
        self.images: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "img":
            self.images.append(dict(attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(path: Path) -> _Text:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture
def built(tmp_path: Path) -> scenario.Scenario:
    crafted = scenario.build(tmp_path)
    copy_static_pages(crafted.config.docs_dir)
    render_days(crafted.config, crafted.store, [scenario.DAY])
    build_site(crafted.config, MKDOCS_YML)
    return crafted


def test_build_site_strict_writes_every_page(built: scenario.Scenario) -> None:
    site = built.config.site_dir
    for page in ("index.html", "briefs/2026/02/12/index.html", "briefs/2026/02/12/small/index.html",
                 "archive/index.html", "archive/2026-02/index.html", "segments/small/index.html",
                 "methodology/index.html", "tags/index.html", "about/index.html"):
        assert (site / page).is_file(), page
    assert (site / "briefs/2026/02/12/small-history.svg").read_text().startswith("<svg")


def test_build_site_renders_hostile_names_literally(built: scenario.Scenario) -> None:
    page = _parse(built.config.site_dir / "briefs/2026/02/12/small/index.html")
    text = "".join(page.text)
    assert scenario.HOSTILE in text
    assert "co" not in page.tags  # no <Co> element was created


def test_build_site_charts_have_alt_text_and_stay_out_of_search(built: scenario.Scenario) -> None:
    page = _parse(built.config.site_dir / "briefs/2026/02/12/small/index.html")
    charts = [img for img in page.images if (img.get("src") or "").endswith(".svg")]
    assert len(charts) == 3
    assert all(len(img.get("alt") or "") > 40 for img in charts)
    html = (built.config.site_dir / "briefs/2026/02/12/small/index.html").read_text()
    assert len(re.findall(r'<div class="chart"[^>]*data-spec=', html)) == 3
    assert html.count('data-pagefind-ignore="all"') == 4  # three charts and the sources
    assert "data-pagefind-body" in html


def test_built_pages_carry_no_indentation_and_no_per_cell_alignment(
        built: scenario.Scenario) -> None:
    """Every page is written without the whitespace a browser collapses and with each
    table's alignment said once on the table (generator.site.compact_html, table_align)."""
    site = built.config.site_dir
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        html = path.read_text(encoding="utf-8")
        if path.name == "404.html":
            continue  # the theme writes it, not a page MkDocs renders
        outside = re.sub(r"<(pre|script|style|textarea)\b.*?</\1>", "", html, flags=re.S)
        assert not re.search(r"\n[ \t]", outside), f"{path}: an indented line"
        assert "text-align" not in html, f"{path}: alignment on a cell"
    brief = (site / "briefs/2026/02/12/small/index.html").read_text(encoding="utf-8")
    assert "<table data-right=" in brief


def test_build_site_indexes_briefs_stocks_and_segments_for_search(
    built: scenario.Scenario,
) -> None:
    """Stock and segment pages are in pagefind/, the newest year's briefs in a bundle per
    month, listed in pagefind-briefs/bundles.json for the search page to merge."""
    site = built.config.site_dir

    def indexed(bundle: str) -> int:
        entry = json.loads((site / bundle / "pagefind-entry.json").read_text())
        return sum(lang["page_count"] for lang in entry["languages"].values())

    searchable = [p for p in site.rglob("index.html") if "data-pagefind-body" in p.read_text()]
    kinds = {p.relative_to(site).parts[0] for p in searchable}
    assert kinds == {"briefs", "stocks", "segments"}
    briefs = [p for p in searchable if p.relative_to(site).parts[0] == "briefs"]
    months = sorted({"-".join(p.relative_to(site).parts[1:3]) for p in briefs}, reverse=True)
    assert months[-1] == "2026-02"
    assert json.loads((site / "pagefind-briefs/bundles.json").read_text()) == months
    assert sum(indexed(f"pagefind-briefs/{month}") for month in months) == len(briefs)
    assert indexed("pagefind") == len(searchable) - len(briefs)
    assert not (site / "search/search_index.json").exists()  # Material's index is not built


def test_build_site_keeps_previous_site_when_strict_build_fails(
    built: scenario.Scenario,
) -> None:
    before = tree_bytes(built.config.site_dir)
    broken = built.config.docs_dir / "about.md"
    broken.write_text(broken.read_text() + "\n[gone](no-such-page.md)\n")
    with pytest.raises(BuildError, match=r"no-such-page\.md"):
        build_site(built.config, MKDOCS_YML)
    assert tree_bytes(built.config.site_dir) == before


def test_generated_pages_put_no_character_references_in_code_spans(
    built: scenario.Scenario,
) -> None:
    import re

    for page in built.config.docs_dir.rglob("*.md"):
        for span in re.findall(r"`[^`\n]*`", page.read_text(encoding="utf-8")):
            assert "&#" not in span, (page, span)


def test_build_site_twice_gives_a_byte_identical_site(built: scenario.Scenario) -> None:
    first = tree_bytes(built.config.site_dir)
    second = tree_bytes(build_site(built.config, MKDOCS_YML))
    # Pagefind's search index included: its filter and meta files are put in order.
    assert sorted(k for k in set(first) | set(second) if first.get(k) != second.get(k)) == []
    assert {k for k in first if k.startswith("pagefind/filter/")}  # filters were built


def test_sitemap_lists_every_page_at_the_site_address_with_its_brief_date(
        built: scenario.Scenario) -> None:
    """sitemap.xml is an index of one sitemap per year of briefs, one of the hub pages and
    one of the stock pages; together they list every page, each with its own date."""
    import gzip

    base, site = built.config.site_url, built.config.site_dir
    index = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode() == index
    files = re.findall(r"<sitemap><loc>([^<]+)</loc></sitemap>", index)
    assert files == [f"{base}sitemaps/{name}.xml" for name in ("2026", "pages", "stocks")]
    entries: dict[str, str] = {}
    for url in files:
        text = (site / url.removeprefix(base)).read_text(encoding="utf-8")
        entries.update(re.findall(r"<loc>([^<]+)</loc><lastmod>([^<]+)</lastmod>", text))
    assert entries[f"{base}briefs/2026/02/12/small/"] == "2026-02-12"
    assert entries[f"{base}briefs/2026/02/12/"] == "2026-02-12"
    assert entries[f"{base}archive/2026-02/"] == "2026-02-12"
    # Pages without a date of their own carry the newest brief's day, not the build's.
    assert entries[base] == "2026-02-12"
    assert entries[f"{base}stocks/"] == "2026-02-12"
    stocks = [url for url in entries
              if url.startswith(f"{base}stocks/") and url != f"{base}stocks/"]
    assert stocks and all(entries[url] == "2026-02-12" for url in stocks)
    built_pages = {p.parent.relative_to(site).as_posix() for p in site.rglob("index.html")}
    listed = {url.removeprefix(base).rstrip("/") or "." for url in entries}
    assert built_pages - listed == set()  # every page is in a sitemap
    brief = (built.config.site_dir / "briefs/2026/02/12/small/index.html").read_text("utf-8")
    assert f'<link rel="canonical" href="{base}briefs/2026/02/12/small/">' in brief


def test_404_page_links_work_under_the_site_path(built: scenario.Scenario) -> None:
    """GitHub Pages serves 404.html for any missing address, so its links cannot be relative;
    they start with the path of the site address (a project site lives under /<repo>/)."""
    path = urlsplit(built.config.site_url).path
    assert path != "/"
    page = (built.config.site_dir / "404.html").read_text(encoding="utf-8")
    links = re.findall(r'(?:href|src)="([^"#:]+)"', page)
    assert links and all(link.startswith(path) for link in links), links


def _beside(site: Path) -> list[str]:
    """Return the build folders (and leftovers) beside the site link; not its stamp."""
    return sorted(p.name for p in site.parent.iterdir()
                  if p.name.startswith(f".{site.name}") and p.name != f".{site.name}.stamp")


def _inodes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*")
            if p.is_file()}


def test_a_new_day_builds_only_its_pages_and_gives_the_site_a_full_build_gives(
        tmp_path: Path) -> None:
    """An incremental build writes the new day's pages, the hubs that changed and the
    search bundles of their periods; every other file is the previous build's (a hard
    link, same inode), and the result is byte for byte what a whole build gives."""
    from demo_store import pulled_demo

    config, store, days = pulled_demo(tmp_path, date(2024, 12, 27), date(2025, 1, 3))
    copy_static_pages(config.docs_dir)
    render_days(config, store, days[:-1], only=True)
    build_site(config, MKDOCS_YML, full=True)
    before = _inodes(config.site_dir.resolve())
    before_bytes = tree_bytes(config.site_dir.resolve())
    old_briefs = {k for k in before if k.startswith(f"briefs/{days[0]:%Y/%m/%d}/")}

    render_days(config, store, days[-1:])
    incremental = tree_bytes(build_site(config, MKDOCS_YML))
    after = _inodes(config.site_dir.resolve())
    kept = {k for k in before if after.get(k) == before[k]}
    assert old_briefs and old_briefs <= kept  # the earlier day's pages were not rebuilt
    assert f"briefs/{days[-1]:%Y/%m/%d}/small/index.html" in after
    assert "index.html" not in kept
    assert "pagefind-briefs/2025-01/pagefind-entry.json" not in kept  # the new day's month
    assert "pagefind-briefs/2024/pagefind-entry.json" in kept  # a closed year: kept
    # Stock and segment pages are searched by their lines that do not change with each
    # brief: the new day rewrote some of them, yet no search fragment of theirs changed.
    rewritten = {k for k in before if k.startswith(("stocks/", "segments/"))
                 and k.endswith(".html") and before_bytes[k] != incremental.get(k)}
    assert rewritten
    fragments = {k: v for k, v in before_bytes.items() if k.startswith("pagefind/fragment/")}
    assert fragments and all(incremental.get(k) == v for k, v in fragments.items())

    full = tree_bytes(build_site(config, MKDOCS_YML, full=True))
    assert sorted(k for k in set(full) | set(incremental)
                  if full.get(k) != incremental.get(k)) == []


def test_a_build_starts_from_the_spare_and_gives_what_a_whole_build_gives(
        built: scenario.Scenario) -> None:
    """The build before the live one is kept as a spare: the next build renames it, brings
    it level with the live build (only files written or removed since are touched) and
    builds into it. A page added, one changed and one removed, twice over: the result is
    byte for byte a whole build, and no file is shared wrongly with the live build."""
    config = built.config
    site, docs = config.site_dir, config.docs_dir
    notes = docs / "briefs/2026/02/12/notes.md"
    # A page that writes into the site folder of a docs folder that stays unchanged
    # (segments/x.md -> segments/x/index.html beside segments/x/YYYY.md).
    segment = next(p for p in sorted((docs / "segments").glob("*.md"))
                   if p.with_suffix("").is_dir())
    original = segment.read_text(encoding="utf-8")
    for round_ in range(3):
        notes.write_text(f"# Notes {round_}\n", encoding="utf-8")
        segment.write_text(f"{original}\nRound {round_}.\n", encoding="utf-8")
        extra = docs / f"briefs/2026/02/12/extra-{round_}.md"
        extra.write_text(f"# Extra {round_}\n", encoding="utf-8")
        (docs / f"briefs/2026/02/12/extra-{round_ - 1}.md").unlink(missing_ok=True)
        spare = site.parent / ".site-spare"
        adopted = spare.stat().st_ino if spare.is_dir() else None
        live_before = tree_bytes(site.resolve())
        build_site(config, MKDOCS_YML)
        if adopted is not None:
            assert site.resolve().stat().st_ino == adopted  # built in the spare
        assert tree_bytes(spare) == live_before  # the previous build, untouched
        incremental = tree_bytes(site.resolve())
        assert f"briefs/2026/02/12/extra-{round_}/index.html" in incremental
        assert f"briefs/2026/02/12/extra-{round_ - 1}/index.html" not in incremental
        assert f"Notes {round_}" in incremental[
            "briefs/2026/02/12/notes/index.html"].decode("utf-8")
        assert f"Round {round_}." in incremental[
            f"segments/{segment.stem}/index.html"].decode("utf-8")
        assert adopted is not None or round_ == 0
    live = site.resolve()
    inodes = {p.stat().st_ino for p in live.rglob("*") if p.is_file()}
    shared = [p for p in spare.rglob("*") if p.is_file() and p.stat().st_ino in inodes]
    assert shared  # unchanged files are links to the same bytes ...
    assert all(p.read_bytes() == (live / p.relative_to(spare)).read_bytes() for p in shared)
    page = "briefs/2026/02/12/notes/index.html"  # ... a page written again is not
    assert not (live / page).samefile(spare / page)
    whole = tree_bytes(build_site(config, MKDOCS_YML, full=True))
    assert whole == incremental


def test_an_incremental_build_removes_pages_whose_source_is_gone(
        built: scenario.Scenario) -> None:
    config = built.config
    extra = config.docs_dir / "briefs/2026/02/12/notes.md"
    extra.write_text("# Notes\n", encoding="utf-8")
    build_site(config, MKDOCS_YML)
    assert (config.site_dir / "briefs/2026/02/12/notes/index.html").is_file()
    extra.unlink()
    build_site(config, MKDOCS_YML)
    assert not (config.site_dir / "briefs/2026/02/12/notes").exists()


def test_a_failed_incremental_build_never_writes_through_to_the_live_site(
        built: scenario.Scenario) -> None:
    """The new build's folder shares its files with the live one (hard links); what MkDocs
    rewrites is unlinked first, so a build that fails leaves every live byte as it was."""
    config = built.config
    before = tree_bytes(config.site_dir)
    home = config.docs_dir / "index.md"
    home.write_text(home.read_text(encoding="utf-8") + "\nChanged.\n", encoding="utf-8")
    about = config.docs_dir / "about.md"
    about.write_text(about.read_text() + "\n[gone](no-such-page.md)\n", encoding="utf-8")
    with pytest.raises(BuildError, match=r"no-such-page\.md"):
        build_site(config, MKDOCS_YML)
    assert tree_bytes(config.site_dir) == before


def test_a_theme_change_builds_every_page_again(built: scenario.Scenario,
                                                tmp_path: Path) -> None:
    """The build's stamp covers mkdocs.yml, the overrides and the tool versions: change
    the theme and the next build is whole (no page keeps its old look)."""
    import shutil

    project = tmp_path / "project"
    shutil.copytree(MKDOCS_YML.parent / "overrides", project / "overrides")
    yml = project / "mkdocs.yml"
    shutil.copy(MKDOCS_YML, yml)
    build_site(built.config, yml)
    first = _inodes(built.config.site_dir.resolve())
    build_site(built.config, yml)
    assert _inodes(built.config.site_dir.resolve())["briefs/2026/02/12/small/index.html"] == \
        first["briefs/2026/02/12/small/index.html"]
    main = project / "overrides/main.html"
    main.write_text(main.read_text(encoding="utf-8").replace(
        "{% block content %}", "{% block content %}<p>theme v2</p>"), encoding="utf-8")
    build_site(built.config, yml)
    page = built.config.site_dir / "briefs/2026/02/12/small/index.html"
    assert "theme v2" in page.read_text(encoding="utf-8")


def test_the_site_is_a_link_switched_to_each_new_build(built: scenario.Scenario) -> None:
    site = built.config.site_dir
    first = site.resolve()
    assert site.is_symlink() and first.name.startswith(".site-")
    assert first.stat().st_mode & 0o777 == 0o755
    assert _beside(site) == [first.name]

    build_site(built.config, MKDOCS_YML)

    # The previous build is kept as the spare the next build starts from, and no other.
    assert site.resolve() != first and not first.exists()
    assert _beside(site) == sorted([site.resolve().name, ".site-spare"])
    build_site(built.config, MKDOCS_YML)
    assert _beside(site) == sorted([site.resolve().name, ".site-spare"])


def test_the_site_never_disappears_while_it_is_rebuilt(built: scenario.Scenario) -> None:
    import threading

    index = built.config.site_dir / "index.html"
    missing: list[int] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            if not index.is_file():
                missing.append(1)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for _ in range(2):
            build_site(built.config, MKDOCS_YML)
    finally:
        stop.set()
        watcher.join()
    assert missing == []


def test_a_killed_build_leaves_nothing_the_next_build_keeps(built: scenario.Scenario) -> None:
    site = built.config.site_dir
    live = site.resolve()
    (site.parent / ".site-killed").mkdir()
    (site.parent / ".site-killed/index.html").write_text("half", encoding="utf-8")
    (site.parent / ".site-killed.yml").write_text("INHERIT: x\n", encoding="utf-8")
    (site.parent / ".site-link").symlink_to(".site-killed")

    build_site(built.config, MKDOCS_YML)

    assert _beside(site) == sorted([site.resolve().name, ".site-spare"])
    assert not live.exists()  # it became the spare


def test_a_site_folder_of_an_older_version_becomes_the_link(built: scenario.Scenario) -> None:
    import shutil

    site = built.config.site_dir
    build = site.resolve()
    site.unlink()
    shutil.copytree(build, site)  # a real folder, as older versions built it
    shutil.rmtree(build)

    build_site(built.config, MKDOCS_YML)

    assert site.is_symlink() and (site / "index.html").is_file()
    assert _beside(site) == [site.resolve().name]


def test_unchanged_folders_are_frozen_yet_an_edit_by_hand_and_links_into_them_are_seen(
        built: scenario.Scenario) -> None:
    """A build records when it began; the next one leaves out the docs folders unchanged
    since (`generator.site.frozen`), keeping their outputs. An edit in place is seen, a
    link into a frozen folder resolves and a broken one still fails the build, and the
    site is byte for byte what a whole build gives."""
    config = built.config
    site, docs = config.site_dir, config.docs_dir
    build_site(config, MKDOCS_YML)
    stamp = json.loads(site.with_name(f".{site.name}.stamp").read_text(encoding="utf-8"))
    walk = walk_docs(str(docs), stamp["began"])
    assert "briefs" in walk.frozen and not any(f.startswith("briefs/") for f in walk.files)

    page = docs / "briefs/2026/02/12/small.md"
    with page.open("a", encoding="utf-8") as text:  # in place: the folder's times stay
        text.write("\nEdited by hand.\n")
    build_site(config, MKDOCS_YML)
    built_page = site / "briefs/2026/02/12/small/index.html"
    assert "Edited by hand." in built_page.read_text(encoding="utf-8")

    about = docs / "about.md"
    kept = about.read_text(encoding="utf-8")
    about.write_text(kept + "\n[A brief](briefs/2026/02/12/small.md)\n", encoding="utf-8")
    build_site(config, MKDOCS_YML)
    stamp = json.loads(site.with_name(f".{site.name}.stamp").read_text(encoding="utf-8"))
    assert "briefs" in walk_docs(str(docs), stamp["began"]).frozen
    assert 'href="../briefs/2026/02/12/small/"' in (site / "about/index.html").read_text(
        encoding="utf-8")
    about.write_text(kept + "\n[Gone](briefs/2026/02/12/gone.md)\n", encoding="utf-8")
    with pytest.raises(BuildError, match=r"gone\.md"):
        build_site(config, MKDOCS_YML)
    about.write_text(kept, encoding="utf-8")
    incremental = tree_bytes(build_site(config, MKDOCS_YML))
    assert incremental == tree_bytes(build_site(config, MKDOCS_YML, full=True))
