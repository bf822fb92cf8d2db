"""The consistency checker: a brief's text against the data it was written from.

`check_brief` reads the Markdown a brief would publish, not the values the templates were
given, so a template that prints the wrong figure or the wrong word is caught:

- every figure in the prose, headline and movers table must be claimed by one of the
  sentence shapes below and equal, as printed, the metric that shape names; a figure no
  shape claims is itself a problem ("not traced to a metric");
- direction words agree with signs ("rose" only for a positive return), and counts agree
  with each other and with the ratios printed beside them;
- superlatives, rankings, runs and percentiles ("weakest breadth in 23 sessions",
  "best of four segments") are re-derived here with plain loops from the series the
  segment's context carries, independently of `metrics.context`.

Moves the plausibility rules flag (`metrics.plausibility`) are re-derived here from every
constituent's return: one not confirmed in the config must not be named as a mover nor be
in the equal-weighted mean and median, and the count of flagged moves printed must match.

Charts (their text alternatives and data tables are written from the chart frames), the
data-issue notes, correction notes (they quote earlier figures) and the source
list are not read.

This module reads the brief and applies the rules; the rules themselves are in the topic
modules `check_index` (the index move, rank, benchmarks and history), `check_breadth`,
`check_conclusion` (divergence and the conclusion), `check_movers` (headline, movers,
results and labels) and `check_implications`, with what they share in `check_rules`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from generator.errors import DataCheckError
from generator.metrics.segment import SegmentDay
from generator.narrative import (
    check_breadth,
    check_conclusion,
    check_implications,
    check_index,
    check_movers,
)
from generator.narrative.check_movers import check_table_row
from generator.narrative.check_rules import (
    DATE,
    FIGURE,
    STOCK,
    Facts,
    Problem,
    Rule,
    parse_date,
)

__all__ = ["InconsistentBriefError", "Problem", "check_brief", "prose_sentences", "verify"]


class InconsistentBriefError(DataCheckError):
    """A brief's text disagrees with its data; it is not published."""

    def __init__(self, found: list[tuple[str, list[Problem]]]) -> None:
        self.found = found
        lines = "\n".join(f"{where}:\n" + "\n".join(f"  - {p}" for p in problems)
                          for where, problems in found)
        super().__init__(f"{len(found)} brief(s) disagree with their data, so nothing is "
                         f"published:\n{lines}\nFix the template or the wording function "
                         "that wrote these sentences (generator/narrative/).")


def verify(text: str, sd: SegmentDay, where: str) -> None:
    """Raise InconsistentBriefError naming every problem `check_brief` finds."""
    problems = check_brief(text, sd)
    if problems:
        raise InconsistentBriefError([(where, problems)])


def check_brief(text: str, sd: SegmentDay) -> list[Problem]:
    """Return every disagreement between a brief's Markdown and its segment's data."""
    facts = Facts(sd)
    body, table_rows = _prose(text)
    problems = [p for row in table_rows for p in check_table_row(row, facts)]
    for sentence in _sentences(_name_stocks(body, facts)):
        problems += _check_sentence(sentence, facts)
    return problems


# --- reading the Markdown ---------------------------------------------------------------


_CHART = re.compile(r'<div class="chart".*?</details>\s*</div>', re.S)
_SOURCES = re.compile(r'<div class="brief-sources".*?</div>', re.S)
_CORRECTION = re.compile(r'<div class="brief-correction".*?</div>\n', re.S)
_ISSUES = re.compile(r"^## Data issues\n.*?(?=^---$|^## |\Z)", re.S | re.M)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_FRONT = re.compile(r"\A---\n.*?\n---\n", re.S)


def _prose(text: str) -> tuple[str, list[list[str]]]:
    """Return the brief's prose (markup and unchecked parts removed) and its table rows."""
    text = _FRONT.sub("", text)
    text = _CHART.sub("", text)
    text = _SOURCES.sub("", text)
    text = _CORRECTION.sub("", text)
    text = _ISSUES.sub("", text)
    lines, rows = [], []
    for line in text.splitlines():
        if line.startswith("|"):
            cells = [html.unescape(c.strip()) for c in line.strip().strip("|").split("|")]
            if not all(set(c) <= set("-: ") for c in cells):
                rows.append(cells)
            continue
        if line.strip() == "---":
            continue
        lines.append(line)
    body = _LINK.sub(r"\1", "\n".join(lines))
    return html.unescape(body.replace("**", "").replace("*", "")), rows


def prose_sentences(text: str) -> list[str]:
    """Return the sentences and table rows a reader reads as a brief's content: charts,
    correction notes, sources and data issues left out."""
    body, rows = _prose(text)
    return [*_sentences(body), *(" | ".join(row) for row in rows)]


def _name_stocks(body: str, facts: Facts) -> str:
    """Replace every `Name (SYMBOL)` the data knows by a placeholder holding the symbol."""
    for sym, name in sorted(facts.stocks.items(), key=lambda kv: -len(kv[1])):
        body = body.replace(f"{name} ({sym})", STOCK.format(sym))
    return body


def _sentences(body: str) -> Iterator[str]:
    """Yield the prose's sentences: lines split after a full stop."""
    for line in body.splitlines():
        line = line.strip().lstrip("#- ").strip()
        if not line:
            continue
        yield from (s for s in re.split(r"(?<=\.)\s+(?=[A-Z\u27e8])", line) if s)


# --- applying the rules ------------------------------------------------------------------


# Rules apply in this order (see `check_rules.Rules`): a longer sentence shape comes before
# the shorter shapes it contains, across topics too ("from the constituents: ... breadth
# weak", a `check_index` rule, before `check_breadth`'s "breadth weak").
_RULES: list[Rule] = [*check_index.RULES, *check_breadth.RULES, *check_conclusion.RULES,
                      *check_movers.RULES, *check_implications.RULES]


def _check_sentence(sentence: str, facts: Facts) -> list[Problem]:
    """Apply every rule to a sentence and report figures no rule claimed."""
    problems = []
    claimed = [False] * len(sentence)  # matched by a claiming rule
    covered = [False] * len(sentence)  # a figure here is accounted for
    for name in facts.names:
        for match in re.finditer(re.escape(name), sentence):
            covered[match.start():match.end()] = [True] * (match.end() - match.start())
    for pattern, check, claims in _RULES:
        for match in pattern.finditer(sentence):
            span = range(match.start(), match.end())
            if claims:
                if any(claimed[i] for i in span):
                    continue
                for i in span:
                    claimed[i] = covered[i] = True
            problems += [Problem(sentence, match.group(0), m) for m in check(match, facts)]
    for match in DATE.finditer(sentence):
        span = range(match.start(), match.end())
        if any(covered[i] for i in span):
            continue
        for i in span:
            covered[i] = True
        if parse_date(match.group(0)) not in facts.dates:
            problems.append(Problem(sentence, match.group(0), "is not a date of the data"))
    for match in FIGURE.finditer(sentence):
        if not any(covered[match.start():match.end()]):
            problems.append(Problem(sentence, match.group(0), "is not traced to a metric"))
    return problems
