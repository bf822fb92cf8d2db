"""Escaping of data strings for each sink, and stock slugs as file names and URLs."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import markdown  # type: ignore[import-untyped]
import pytest
import yaml

from generator.escape import clean_text, drop_invisible, escape_md, escape_meta, escape_yaml
from generator.links import RESERVED, stock_path, stock_slug

HOSTILE = (
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(2)>',
    "</title><script>alert(3)</script>",
    "[x](javascript:alert(4)) ![y](z){ onerror=alert(5) }",
    "{: onclick=alert(6) } {{ config }} {% raw %}",
    "<!-- ]]> &amp; &lt;b&gt; &#60; 'single' \"double\" `tick` a|b\\|c",
    "# heading\n- item\n1. one\n> quote\n!!! danger \"x\"",
    "Evil\u202eCorp\u200b\u200d\ufeff\u2066x\u2069",
    "line\r\nbreak\u2028sep\u0085nel\x07bell\x00nul",
    "=1+2",
    "株式会社 شركة",
)
INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


def _render(text: str) -> str:
    rendered: str = markdown.markdown(text, extensions=["attr_list", "md_in_html", "tables",
                                                        "admonition"])
    return rendered


def _text(rendered: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", rendered))


@pytest.mark.parametrize("text", HOSTILE)
def test_clean_text_drops_invisible_and_control_characters(text: str) -> None:
    cleaned = clean_text(text)
    assert not INVISIBLE.search(cleaned)
    assert not re.search("[\x00-\x1f\x7f-\x9f\u2028\u2029]", cleaned)


def test_clean_text_turns_line_breaks_into_spaces() -> None:
    assert clean_text("a\r\nb\nc\u2028d\u2029e\x85f\tg") == "a  b c d e f g"
    assert clean_text("Bell\x07 Ltd\x00") == "Bell Ltd"
    assert clean_text("A\u202eB\u200bC\U000e0041D") == "ABCD"
    assert clean_text("شركة 株式会社 Ünï") == "شركة 株式会社 Ünï"


def test_drop_invisible_keeps_line_breaks() -> None:
    assert drop_invisible("\u200b=cmd\r\n\u202ex") == "=cmd\r\nx"


@pytest.mark.parametrize("text", HOSTILE)
def test_escape_md_renders_as_the_cleaned_text_and_no_tag(text: str) -> None:
    rendered = _render(escape_md(text))
    parser = _Tags()
    parser.feed(rendered)
    assert parser.tags == ["p"], rendered
    assert _text(rendered).strip() == clean_text(text).strip()


@pytest.mark.parametrize("text", HOSTILE)
def test_escape_md_keeps_a_table_row_whole(text: str) -> None:
    table = f"| A | B |\n|---|---|\n| {escape_md(text)} | x |\n"
    rendered = _render(table)
    assert rendered.count("<td>") == 2, rendered


@pytest.mark.parametrize("text", HOSTILE)
def test_escape_yaml_loads_back_as_the_cleaned_text(text: str) -> None:
    assert yaml.safe_load(f"title: {escape_yaml(text)}\n") == {"title": clean_text(text)}


@pytest.mark.parametrize("text", HOSTILE)
def test_escape_meta_loads_as_html_that_shows_the_cleaned_text(text: str) -> None:
    value = yaml.safe_load(f"title: {escape_meta(text)}\n")["title"]
    assert not re.search(r"[<>\"']", value)
    assert html.unescape(value) == clean_text(text)


@pytest.mark.parametrize(("symbol", "slug"), [
    ("RELIANCE", "reliance"), ("M&M", "m-and-m"), ("BAJAJ-AUTO", "bajaj-auto"),
    ("J&KBANK", "j-and-kbank"), ("3MINDIA", "3mindia"), (" M&M ", "m-and-m"),
])
def test_stock_slug_reads_as_the_symbol(symbol: str, slug: str) -> None:
    assert stock_slug(symbol) == slug
    assert stock_path(symbol) == f"stocks/{slug}.md"


SYMBOLS = ("M&M", "MM", "m&m", "M-AND-M", "M-M", "M_M", "M.M", "M--M", "-M", "M-", "..M",
           "abc", "ABC", "Abc", "CON", "con", "NUL", "AUX", "PRN", "COM1", "LPT9", "INDEX",
           "index", "A&B", "A-AND-B", "AND", "AND&B", "X.HTML", ".HTACCESS", "1E5", "NA",
           "-.-", "&", "", "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345")


def test_stock_slugs_are_distinct_and_safe_file_names() -> None:
    slugs = [stock_slug(s) for s in SYMBOLS]
    assert len(set(slugs)) == len(slugs), dict(zip(SYMBOLS, slugs, strict=True))
    for symbol, slug in zip(SYMBOLS, slugs, strict=True):
        assert re.fullmatch(r"[a-z0-9]+(-{1,2}[a-z0-9]+)*", slug), (symbol, slug)
        assert slug not in RESERVED, (symbol, slug)
        assert len(slug) <= 60


def test_stock_slug_of_an_unusual_symbol_has_a_hash() -> None:
    assert re.fullmatch(r"abc--[0-9a-f]{10}", stock_slug("abc"))
    assert re.fullmatch(r"con--[0-9a-f]{10}", stock_slug("CON"))
    assert re.fullmatch(r"stock--[0-9a-f]{10}", stock_slug("-.-"))
    assert stock_slug("ABC") == "abc"
