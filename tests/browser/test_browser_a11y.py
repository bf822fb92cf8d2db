"""axe-core on the built pages in Chromium: no serious or critical accessibility violation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from browsing import Tab, describe_violations, no_stock_link_message, run_axe, stock_links
from served_site import BuiltSite

BLOCKING = ("serious", "critical")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", ["home", "brief", "segment", "stock"])
def test_axe_finds_no_serious_violation(
    kind: str, scheme: str, open_tab: Callable[..., Tab], built_site: BuiltSite,
    axe_script: Path,
) -> None:
    # The theme follows the reader's system setting: "dark" shows Material's slate scheme.
    tab = open_tab(color_scheme=scheme)
    brief = built_site.brief_url_path(built_site.latest, "small")
    tab.open({"home": "", "brief": brief, "stock": brief,
              "segment": f"segments/{built_site.segments[0]}/"}[kind])
    if kind == "stock":
        links = stock_links(tab.page)
        assert links, no_stock_link_message(tab)
        tab.open(links[0][0])
    violations = run_axe(tab, axe_script)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, (f"axe on {tab.path} ({scheme}): {len(blocking)} serious or critical of "
                          f"{len(violations)} violations:\n{describe_violations(violations)}")
