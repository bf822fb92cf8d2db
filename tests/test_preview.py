"""The preview server answers like GitHub Pages: the site at its path, 404.html elsewhere."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from generator.preview import base_path, serving


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "about").mkdir()
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("home", encoding="utf-8")
    (tmp_path / "about" / "index.html").write_text("about", encoding="utf-8")
    (tmp_path / "assets" / "site.css").write_text("body {}", encoding="utf-8")
    (tmp_path / "404.html").write_text("<h1>404 - Not found</h1>", encoding="utf-8")
    return tmp_path


def _serving(site: Path, address: str) -> Iterator[httpx.Client]:
    with serving(site, address) as base:
        host = base.removesuffix(base_path(address))  # the tests ask for whole paths
        with httpx.Client(base_url=host, timeout=5) as client:
            yield client


@pytest.fixture
def project_site(site: Path) -> Iterator[httpx.Client]:
    yield from _serving(site, "https://example.github.io/market-briefs/")


def test_base_path_is_the_path_of_the_address() -> None:
    assert base_path("https://example.github.io/market-briefs/") == "/market-briefs/"
    assert base_path("https://briefs.example.com/") == "/"
    assert base_path("https://briefs.example.com") == "/"


def test_site_is_served_under_the_path_of_its_address(project_site: httpx.Client) -> None:
    assert project_site.get("/market-briefs/").text == "home"
    assert project_site.get("/market-briefs/about/").text == "about"
    css = project_site.get("/market-briefs/assets/site.css?v=1")
    assert (css.status_code, css.text) == (200, "body {}")
    assert "text/css" in css.headers["content-type"]


def test_root_and_folders_without_a_slash_redirect(project_site: httpx.Client) -> None:
    for path, target in (("/", "/market-briefs/"), ("/market-briefs", "/market-briefs/"),
                         ("/market-briefs/about", "/market-briefs/about/")):
        response = project_site.get(path)
        assert response.is_redirect and response.headers["location"] == target, path


@pytest.mark.parametrize("path", ["/market-briefs/no-such/", "/market-briefs/nope.html",
                                  "/about/", "/market-briefs/assets/"])
def test_missing_addresses_get_the_404_page(project_site: httpx.Client, path: str) -> None:
    response = project_site.get(path)
    assert response.status_code == 404
    assert response.text == "<h1>404 - Not found</h1>"  # never a folder listing
    assert project_site.head(path).status_code == 404


def test_a_site_at_the_root_of_its_host(site: Path) -> None:
    for client in _serving(site, "https://briefs.example.com/"):
        assert client.get("/").text == "home"
        assert client.get("/about/").text == "about"
        assert client.get("/market-briefs/").status_code == 404
