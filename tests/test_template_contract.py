"""Templates can't forget to escape: every value a page template prints goes through an
escaping or formatting filter, or is on a short list of values the generator builds itself
(Markdown it escaped already, links, numbers, settings). A new `{{ stock.name }}` fails here.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from jinja2 import nodes

from generator.narrative.render import environment

ROOT = Path(__file__).resolve().parents[1]

# Filters whose output is safe for a Markdown page: they escape (md, meta, yaml) or format a
# number or a date. `join` and `capitalize` pass their input through: it is checked instead.
SAFE_FILTERS = {"md", "meta", "yaml", "signed_pct", "abs_pct", "abs_pp", "level", "ratio",
                "count", "count_word", "ordinal", "long_date", "short_date"}
PASS_THROUGH = {"join", "capitalize"}

# Unfiltered values: sentences and lists the narrative builds with escape_md, links and chart
# embeds the generator makes from slugs and dates, numbers and settings from the config.
BUILT = {
    # links and embeds (paths from generator.links; alt text escaped in charts.embed)
    "link", "brief_link", "day_link", "feed_link", "latest_link", "following_link",
    "previous_link", "segment_link", "methodology_link", "brief_links", "price_chart",
    "charts", "charts.breadth", "charts.distribution", "charts.history",
    "charts.prices", "search_link",
    # sentences and words built in generator.narrative (names inside escaped with escape_md)
    "benchmark_sentence", "breadth_word", "conclusion", "gap_word", "implications_lead",
    "line", "note", "verb", "group", "title",
    # numbers, dates, keys and hashes the generator computes or the config sets
    "year", "count", "price_sessions", "seg.key", "s.segment", "day.isoformat()",
    "move.window_sessions", "src.sha256",
}
# The methodology page prints only the project's own constants and settings, no exchange data.
SETTINGS_ONLY = {"methodology.md.j2"}


def _path(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_path(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        arg = node.arg.value if isinstance(node.arg, nodes.Const) else "?"
        return f"{_path(node.node)}[{arg}]"
    if isinstance(node, nodes.Call):
        return f"{_path(node.node)}()"
    return type(node).__name__


def unfiltered(node: nodes.Node) -> list[str]:
    """Return the values an output expression prints without a safe filter."""
    if isinstance(node, nodes.Const | nodes.TemplateData):
        return []
    if isinstance(node, nodes.Filter):
        if node.name in SAFE_FILTERS:
            return []
        if node.name in PASS_THROUGH and node.node is not None:
            return unfiltered(node.node)
        if (node.name == "map" and node.args and isinstance(node.args[0], nodes.Const)
                and node.args[0].value in SAFE_FILTERS):
            return []
        return [f"| {node.name}"]
    if isinstance(node, nodes.CondExpr):
        return unfiltered(node.expr1) + (unfiltered(node.expr2) if node.expr2 else [])
    if isinstance(node, nodes.Concat | nodes.Add):
        parts = node.nodes if isinstance(node, nodes.Concat) else [node.left, node.right]
        return [p for part in parts for p in unfiltered(part)]
    return [_path(node)]


def _allowed(path: str) -> bool:
    base = path.split("[", 1)[0].removesuffix("()")
    return path in BUILT or base in BUILT


@pytest.mark.parametrize("name", environment().list_templates())
def test_every_value_a_page_template_prints_is_escaped_or_built(name: str) -> None:
    env = environment()
    source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
    found = [(out.lineno, p) for out in env.parse(source).find_all(nodes.Output)
             for n in out.nodes for p in unfiltered(n)] if name not in SETTINGS_ONLY else []
    bad = [f"{name}:{line}: {path}" for line, path in found if not _allowed(path)]
    assert bad == [], ("print data through | md (| meta in front matter), or add a value the "
                       f"generator builds itself to BUILT: {bad}")


def test_the_contract_catches_a_raw_name() -> None:
    ast = jinja2.Environment().parse(
        "{{ stock.name }} {{ stock.name | md }} {{ n | count }} {{ r | map('md') | join }} "
        "{{ r | join }} {{ 'n/a' if x else stock.isin }}")
    assert [p for out in ast.find_all(nodes.Output) for n in out.nodes
            for p in unfiltered(n) if not _allowed(p)] == ["stock.name", "r", "stock.isin"]


def test_theme_overrides_escape_every_page_value() -> None:
    """overrides/*.html print page values with | e, but for the front-matter values that
    generator.escape.escape_meta made HTML already (title, description, tags)."""
    env = jinja2.Environment()
    for path in sorted((ROOT / "overrides").rglob("*.html")):
        ast = env.parse(path.read_text(encoding="utf-8"))
        for out in ast.find_all(nodes.Output):
            for node in out.nodes:
                for value in unfiltered(node):
                    assert not value.startswith(("page.meta", "symbol", "slug")) \
                        or value in {"page.meta.tags[0]", "page.meta.date"}, (path, value)
