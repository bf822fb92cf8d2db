"""Every link, image, stylesheet and script of the built site resolves over HTTP."""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import unquote, urldefrag

import httpx
from served_site import BuiltSite, Page, internal_target, read_page

SHOWN_PAGES = 5


def test_crawl_finds_no_broken_internal_link(built_site: BuiltSite, site_url: str) -> None:
    pages = {page.url: page for page in (read_page(built_site.site_dir, path, site_url)
                                          for path in sorted(built_site.site_dir.rglob("*.html")))}
    found_on: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for page in pages.values():
        for tag, link in page.links:
            target = internal_target(page.url, link, site_url)
            if target is not None:
                found_on[target].append((page.url.removeprefix(site_url) or "(home)", tag, link))
    with httpx.Client(timeout=10, follow_redirects=True) as client:
        status = {url: client.get(url).status_code
                  for url in sorted({urldefrag(target)[0] for target in found_on})}
    broken = []
    for target, sources in sorted(found_on.items()):
        url, fragment = urldefrag(target)
        problem = _problem(status[url], pages.get(url), unquote(fragment))
        if problem:
            (_, tag, link), where = sources[0], sorted({page for page, _, _ in sources})
            more = f" (+{len(where) - SHOWN_PAGES} more)" if len(where) > SHOWN_PAGES else ""
            broken.append(f"/{target.removeprefix(site_url)}: {problem}; linked as <{tag}> "
                          f"{link!r} from {len(where)} page(s): "
                          f"{', '.join(where[:SHOWN_PAGES])}{more}")
    briefs = len(built_site.days) * len(built_site.segments)
    assert len(pages) > briefs and len(status) > briefs, (len(pages), len(status))
    assert not broken, f"{len(broken)} broken internal links:\n" + "\n".join(broken)


def _problem(status: int, target: Page | None, fragment: str) -> str | None:
    """Return what is wrong with a link's target, or None."""
    if status != 200:
        return f"HTTP {status}"
    if fragment and target is not None and fragment not in target.ids:
        return f"no element with id {fragment!r} on the target page"
    return None
