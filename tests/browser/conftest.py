"""Fixtures for the browser tests: the demo site built once, served on 127.0.0.1, and
Debian's Chromium driven by Playwright.

Without /usr/bin/chromium the browser tests skip, except under CI (CI=true), where they
fail: CI installs it (.ci/run), so a missing browser there is a broken set-up.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from browsing import CHROMIUM_FLAGS, DESKTOP, Tab, console_report
from playwright.sync_api import Browser, sync_playwright
from served_site import BuiltSite, build_demo_site

from generator.preview import serving

HERE = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The demo site of 3 sessions (a store of its own, Dec 2024–Jan 2025), built strictly."""
    return build_demo_site(tmp_path_factory.mktemp("browser-site"))


@pytest.fixture(scope="session")
def site_url(built_site: BuiltSite) -> Iterator[str]:
    """The base URL of the built site, served over HTTP on a free port of 127.0.0.1."""
    with serving(built_site.site_dir, built_site.address) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, started once for the session."""
    if not CHROMIUM.is_file():
        reason = (f"{CHROMIUM} not found; install Debian's chromium "
                  "(apt-get install chromium) to run the browser tests")
        if _in_ci():
            pytest.fail(f"CI=true but {reason}", pytrace=False)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=list(CHROMIUM_FLAGS))
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """The axe-core script from tests/browser/node_modules, installed by `npm ci`."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} not found; run `npm ci --no-audit --no-fund` in {HERE} "
                    "(.ci/run does)", pytrace=False)
    return AXE


@pytest.fixture
def open_tab(browser: Browser, site_url: str) -> Iterator[Callable[..., Tab]]:
    """Return a factory of tabs (new context options as keywords, desktop size by default).

    After the test, a console error or an uncaught exception on any page a tab showed is an
    error of the test.
    """
    tabs: list[Tab] = []

    def open_one(**options: Any) -> Tab:
        context = browser.new_context(**{"viewport": DESKTOP, **options})
        context.set_default_timeout(15_000)
        tab = Tab(context.new_page(), site_url)
        tabs.append(tab)
        return tab

    yield open_one
    errors = [error for tab in tabs for error in tab.console_errors]
    for tab in tabs:
        tab.page.context.close()
    if errors:
        pytest.fail(f"console errors on visited pages:\n{console_report(errors)}", pytrace=False)


@pytest.fixture
def tab(open_tab: Callable[..., Tab]) -> Tab:
    """A desktop-sized tab (1280×900) on the served site."""
    return open_tab()
