"""What a reader downloads, and what building costs, for a demo archive of 2,500 briefs.

Builds the demo market for 625 sessions after 20 sessions of history (four segments: 2,500
briefs), renders it in chunks of sessions as daily publishing would, builds the site
(MkDocs, then the Pagefind index) and then measures, on the built site served on
127.0.0.1 and read by headless Chromium:

- bytes to load one brief: its HTML and every chart image, raw and gzip-compressed, with
  the theme's CSS, JavaScript and fonts counted apart (cached across pages);
- bytes to run one search for a stock symbol on the search page: every Pagefind file
  the browser fetched (engine, index chunks, result fragments), split by kind;
- wall time of the render and of the build, and the render's peak memory (the build's is
  measured on its own, under `/usr/bin/time -v`, as a child of this process would report
  this process's size).

Usage: python benchmarks/reader_bytes.py [--sessions 625] [--chunk 125] [--root DIR]
With --root, the project folder is kept and a second run reuses its store and renders.
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import sys
import time
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from tempfile import mkdtemp

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "tests" / "browser"))

from demo_store import pulled_demo  # noqa: E402
from site_project import MKDOCS_YML, copy_static_pages  # noqa: E402

from generator.pipeline import render_days, stored_sessions  # noqa: E402
from generator.preview import serving  # noqa: E402
from generator.site import build_site  # noqa: E402
from generator.store import Store  # noqa: E402

START = date(2024, 7, 8)
HISTORY = 20


class _Refs(HTMLParser):
    """Collect a page's images, stylesheets and scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.images: list[str] = []
        self.assets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "img" and a.get("src"):
            self.images.append(str(a["src"]))
        elif tag == "script" and a.get("src"):
            self.assets.append(str(a["src"]))
        elif tag == "link" and a.get("rel") == "stylesheet" and a.get("href"):
            self.assets.append(str(a["href"]))


def _sizes(paths: list[Path]) -> tuple[int, int]:
    raw = sum(p.stat().st_size for p in paths)
    zipped = sum(len(gzip.compress(p.read_bytes(), 6, mtime=0)) for p in paths)
    return raw, zipped


def brief_bytes(site: Path, page: Path) -> dict[str, tuple[int, int]]:
    """Return (raw, gzip) bytes of a brief's HTML, its images and its theme assets."""
    refs = _Refs()
    refs.feed(page.read_text(encoding="utf-8"))
    folder = page.parent

    def local(url: str) -> Path:
        return (folder / url.split("?")[0].split("#")[0]).resolve()

    images = [local(u) for u in refs.images]
    assets = [local(u) for u in refs.assets if "://" not in u]
    return {"html": _sizes([page]), "images": _sizes(images), "theme": _sizes(assets),
            "count_images": (len(images), len(images))}


def search_bytes(site: Path, address: str, query: str) -> dict[str, int]:
    """Return bytes the browser fetched from the search bundles (pagefind/ and the brief
    bundles under pagefind-briefs/) on the search page, by kind: what the page load
    fetches, then what typing one query fetches."""
    from browsing import CHROMIUM_FLAGS
    from playwright.sync_api import Response, sync_playwright

    fetched: list[tuple[str, str, int]] = []
    phase = ["page load (search UI)"]

    def record(response: Response) -> None:
        if "/pagefind/" in response.url or "/pagefind-briefs/" in response.url:
            fetched.append((phase[0], response.url, len(response.body())))

    with serving(site, address) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium",
                                     args=list(CHROMIUM_FLAGS))
        page = browser.new_page()
        page.on("response", record)
        page.goto(base + "search/", wait_until="networkidle")
        phase[0] = "search"
        page.fill(".pagefind-ui__search-input", query)
        page.wait_for_selector(".pagefind-ui__result-link", timeout=30_000)
        page.wait_for_load_state("networkidle")
        browser.close()
    kinds: dict[str, int] = {}
    for when, url, size in fetched:
        name = url.rsplit("/", 1)[-1]
        kind = (when if when != "search" else
                "search: index chunks" if "/index/" in url else
                "search: result fragments" if "/fragment/" in url else
                "search: filters and meta" if "/filter/" in url or name.endswith("pf_meta") else
                "search: engine (js, wasm)")
        kinds[kind] = kinds.get(kind, 0) + size
    return kinds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=625)
    parser.add_argument("--chunk", type=int, default=125)
    parser.add_argument("--root", type=Path)
    args = parser.parse_args()
    root = args.root or Path(mkdtemp(prefix="reader-bytes-"))
    end = START + timedelta(days=int((args.sessions + HISTORY) * 7 / 5 * 1.06) + 10)
    t0 = time.perf_counter()
    config, store, _ = pulled_demo(root, START, end)
    copy_static_pages(config.docs_dir)
    days = stored_sessions(store, config.exchange)[HISTORY:HISTORY + args.sessions]
    pulled = time.perf_counter() - t0
    print(f"demo market: {len(days)} sessions to render ({days[0]} to {days[-1]}), "
          f"pulled in {pulled:.0f} s", flush=True)
    t0 = time.perf_counter()
    briefs = 0
    for i in range(0, len(days), args.chunk):
        report = render_days(config, Store(config.data_dir), days[i:i + args.chunk])
        briefs += report.briefs
        print(f"  rendered {days[i]}..{days[min(i + args.chunk, len(days)) - 1]}: "
              f"{report.briefs} briefs, {report.charts_rendered} charts "
              f"({time.perf_counter() - t0:.0f} s so far)", flush=True)
    render_s = time.perf_counter() - t0
    render_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    site = build_site(config, MKDOCS_YML)
    build_s = time.perf_counter() - t0
    pages = sum(1 for _ in site.rglob("*.html"))
    index_files = [p for bundle in ("pagefind", "pagefind-briefs")
                   for p in (site / bundle).rglob("*") if p.is_file()]
    last = days[-1]
    brief = site / f"briefs/{last:%Y/%m/%d}/small/index.html"
    summary = json.loads((config.docs_dir / f"briefs/{last:%Y/%m/%d}/small.json").read_text())
    symbol = summary["gainers"][0]["symbol"]
    loads = brief_bytes(site, brief)
    searched = search_bytes(site, config.site_url, symbol)
    print()
    print(f"archive: {briefs} briefs, {pages} HTML pages; site {root / 'site'}")
    print(f"render (pages, charts, feeds, stock pages): {render_s:.0f} s, "
          f"peak RSS {render_rss:,.0f} MiB")
    # A child forked from this large process reports the parent's RSS as its own peak, so
    # the build's memory is measured on its own: `/usr/bin/time -v python -m invoke build`.
    print(f"build (mkdocs --strict + pagefind): {build_s:.0f} s")
    print(f"\nbytes to load the brief {brief.relative_to(site)} (raw / gzip):")
    for key in ("html", "images"):
        raw, zipped = loads[key]
        print(f"  {key:<8} {raw:>10,} / {zipped:>9,}")
    raw = loads["html"][0] + loads["images"][0]
    zipped = loads["html"][1] + loads["images"][1]
    print(f"  {'total':<8} {raw:>10,} / {zipped:>9,}  ({loads['count_images'][0]} charts)")
    print(f"  theme assets apart (cached): {loads['theme'][0]:,} / {loads['theme'][1]:,}")
    print(f"\nbytes fetched to search for {symbol!r} (uncompressed):")
    for kind, size in searched.items():
        print(f"  {kind:<26} {size:>10,}")
    print(f"  {'total':<26} {sum(searched.values()):>10,}")
    print(f"  whole Pagefind index on disk: {sum(p.stat().st_size for p in index_files):,} "
          f"bytes in {len(index_files)} files (never fetched whole)")


if __name__ == "__main__":
    main()
