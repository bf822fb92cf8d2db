"""A Markdown extension: table column alignment said once per table, not once per cell.

Python-Markdown's tables write `style="text-align: right;"` on every cell of an aligned
column: 27 bytes a cell, a fifth of a brief page's bytes (its chart data tables are mostly
figures). This treeprocessor moves each aligned column's number into an attribute of its
table (`data-right="2 3"`, likewise `data-center`, `data-left`) and drops the cell styles;
`stylesheets/extra.css` aligns the columns from those attributes. A table keeps no class, so
Material styles it as before.

Used from mkdocs.yml as `generator.site.table_align`.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree import ElementTree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

ALIGNMENTS = ("left", "center", "right")
# Columns the stylesheet can align (its rules are written for these numbers).
MAX_COLUMNS = 12
_STYLE = re.compile(r"^text-align: (left|center|right);$")


def _column_alignments(table: ElementTree.Element) -> dict[int, str]:
    """Return {column number from 1: alignment} as the header row's cells say."""
    found: dict[int, str] = {}
    for row in table.iter("tr"):
        for number, cell in enumerate(row, start=1):
            match = _STYLE.match(cell.get("style", ""))
            if match:
                found[number] = match.group(1)
        break
    return found


class TableAlignTreeprocessor(Treeprocessor):  # type: ignore[misc]
    """Put the alignment of each table's columns on the table; strip it from the cells."""

    def run(self, root: ElementTree.Element) -> None:
        for table in root.iter("table"):
            aligned = _column_alignments(table)
            if not aligned or max(aligned) > MAX_COLUMNS:
                continue  # the stylesheet has no rule for it: cells keep their styles
            for row in table.iter("tr"):
                for number, cell in enumerate(row, start=1):
                    match = _STYLE.match(cell.get("style", ""))
                    if match and aligned.get(number) == match.group(1):
                        del cell.attrib["style"]
            for alignment in ALIGNMENTS:
                numbers = [str(n) for n, a in sorted(aligned.items()) if a == alignment]
                if numbers:
                    table.set(f"data-{alignment}", " ".join(numbers))


class TableAlignExtension(Extension):  # type: ignore[misc]
    """Register the treeprocessor after everything else has built the tree."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.treeprocessors.register(TableAlignTreeprocessor(md), "table_align", 0)


def makeExtension(**kwargs: Any) -> TableAlignExtension:  # noqa: N802 (Markdown's hook)
    """Return the extension (Python-Markdown loads an extension by this name)."""
    return TableAlignExtension(**kwargs)


def stylesheet_rules() -> str:
    """Return the CSS that aligns the columns the attributes name (in extra.css)."""
    return "\n".join(
        f'.md-typeset table[data-{a}~="{n}"] tr > :is(td, th):nth-child({n}) {{ text-align: {a}; }}'
        for a in ALIGNMENTS
        for n in range(1, MAX_COLUMNS + 1)
    )
