"""Table column alignment said once per table (generator.site.table_align)."""

from __future__ import annotations

import re
from pathlib import Path

import markdown

from generator.site.table_align import MAX_COLUMNS, stylesheet_rules

REPO = Path(__file__).resolve().parent.parent
EXTENSIONS = ["attr_list", "md_in_html", "tables", "generator.site.table_align"]


def _html(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS)


def test_aligned_columns_are_named_on_the_table_and_cells_carry_no_style() -> None:
    html = _html("| Symbol | Close | Change | Note |\n|---|--:|:-:|:--|\n"
                 "| A | 1.00 | +1% | x |\n| B | 2.00 | −1% | y |\n")
    assert "style=" not in html
    table = re.search(r"<table[^>]*>", html)
    assert table is not None
    assert table.group(0) == '<table data-center="3" data-left="4" data-right="2">'
    assert html.count("<td>") == 8 and html.count("<th>") == 4


def test_a_table_inside_details_is_handled_and_plain_tables_are_untouched() -> None:
    text = ('<details markdown>\n<summary>Data</summary>\n\n| A | B |\n|---|--:|\n| x | 1 |\n'
            "\n</details>\n\n| C | D |\n|---|---|\n| y | z |\n")
    html = _html(text)
    assert '<table data-right="2">' in html
    assert "<table>" in html  # no alignment: nothing added
    assert "style=" not in html


def test_a_table_wider_than_the_stylesheet_keeps_its_cell_styles() -> None:
    columns = MAX_COLUMNS + 1
    text = ("|" + "|".join(f" c{n} " for n in range(columns)) + "|\n"
            + "|" + "|".join("--:" for _ in range(columns)) + "|\n"
            + "|" + "|".join(" 1 " for _ in range(columns)) + "|\n")
    html = _html(text)
    assert html.count('style="text-align: right;"') == 2 * columns
    assert "data-right" not in html


def test_the_stylesheet_has_a_rule_for_every_column_and_alignment() -> None:
    css = (REPO / "site_src" / "stylesheets" / "extra.css").read_text(encoding="utf-8")
    assert stylesheet_rules() in css
    assert "generator.site.table_align" in (REPO / "mkdocs.yml").read_text(encoding="utf-8")
