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
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import pandas as pd

from generator import columns as C
from generator.errors import DataCheckError
from generator.escape import clean_text
from generator.metrics.breadth_depth import HIGH_LOW_SESSIONS, BreadthDepth
from generator.metrics.context import MONTH_SESSIONS
from generator.metrics.plausibility import is_extreme
from generator.metrics.segment import SegmentDay
from generator.narrative import implications as I
from generator.narrative import numbers as N
from generator.narrative import wording as W

PCT = r"[+\u2212]?\d[\d,]*\.\d\d%"
INT = r"\d[\d,]*"
WORDNUM = r"(?:\d[\d,]*|" + "|".join(W.COUNT_WORDS) + ")"
FIGURE = re.compile(r"[+\u2212]?\d[\d,]*(?:\.\d+)?")
DATE = re.compile(r"(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) )?"
                  r"\d{1,2} (?:" + "|".join(m[:3] + f"(?:{m[3:]})?" for m in N.MONTHS)
                  + r") \d{4}")
STOCK = "\u27e8{}\u27e9"  # a named stock, after `Name (SYMBOL)` is replaced by its symbol
STOCK_RE = r"\u27e8(?P<sym>[^\u27e9]+)\u27e9"


@dataclass(frozen=True)
class Problem:
    """One disagreement: the sentence, the figure or word at fault, and what the data says."""

    sentence: str
    figure: str
    message: str

    def __str__(self) -> str:
        return f'in "{self.sentence}": {self.figure!r} {self.message}'


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
    facts = _Facts(sd)
    body, table_rows = _prose(text)
    problems = [p for row in table_rows for p in _check_table_row(row, facts)]
    for sentence in _sentences(_name_stocks(body, facts)):
        problems += _check_sentence(sentence, facts)
    return problems


# --- what the text is checked against -------------------------------------------------


@dataclass
class _Facts:
    """The data of one brief, in the forms the rules compare with."""

    sd: SegmentDay
    stocks: dict[str, str] = field(default_factory=dict)  # symbol -> name
    dates: set[date] = field(default_factory=set)
    names: list[str] = field(default_factory=list)  # index and segment names, longest first

    def __post_init__(self) -> None:
        sd = self.sd
        frames = [sd.gainers, sd.losers, sd.results]
        frames += [f for f in (sd.trend_changes, sd.rating_changes) if f is not None]
        for frame in frames:
            for sym, name in zip(frame[C.SYMBOL], frame[C.NAME], strict=True):
                self.stocks[str(sym)] = clean_text(str(name))
        seg = sd.segment
        self.names = sorted({seg.label, seg.index} | {r.label for r in sd.ranking},
                            key=len, reverse=True)
        self.dates = {sd.day, sd.results_until}
        self.dates |= {d.date() for d in sd.results[C.MEETING_DATE]} if len(sd.results) else set()
        closes = sd.context.closes if sd.context is not None else pd.Series(dtype=float)
        self.dates |= {pd.Timestamp(d).date() for d in closes.index}

    @property
    def depth(self) -> BreadthDepth | None:
        """Return the segment's deeper breadth, or None without a panel."""
        return self.sd.context.depth if self.sd.context else None

    @cached_property
    def ratios(self) -> list[float]:
        """Return the A/D ratios of the sessions on record, oldest first (NaN: no ratio)."""
        depth = self.depth
        if depth is None:
            return []
        out = []
        for adv, dec in zip(depth.advance_decline.table["advances"],
                            depth.advance_decline.table["declines"], strict=True):
            out.append(adv / dec if dec else (math.inf if adv else math.nan))
        return out

    @cached_property
    def closes(self) -> list[float]:
        """Return the segment index's closes on record, oldest first (NaN: unknown)."""
        c = self.sd.context
        return [] if c is None else [float(v) for v in c.closes]

    @cached_property
    def held(self) -> set[str]:
        """Return the symbols whose move the plausibility rules flag and no one confirmed."""
        members = self.sd.members
        if members is None:
            return {f.symbol for f in self.sd.flags if not f.confirmed}
        confirmed = {f.symbol for f in self.sd.flags if f.confirmed}
        return {str(sym) for sym, ret in zip(members[C.SYMBOL], members[C.RETURN_PCT],
                                             strict=True)
                if is_extreme(float(ret)) and str(sym) not in confirmed}

    def change(self, symbol: str, column: str) -> pd.DataFrame:
        """Return the rows of a stock in the trend or rating changes."""
        frame = self.sd.trend_changes if column == "trend" else self.sd.rating_changes
        if frame is None:
            return pd.DataFrame()
        return frame.loc[frame[C.SYMBOL] == symbol]


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


def _name_stocks(body: str, facts: _Facts) -> str:
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


# --- the rules ---------------------------------------------------------------------------


Check = Callable[[re.Match[str], _Facts], list[str]]
# (pattern, check, claims): a claiming rule accounts for the figures it matched, and a
# later claiming rule does not read them again; a sentence-wide rule claims nothing. Rules
# apply in the order they are defined, so a longer sentence shape comes before the
# shorter shapes it contains ("from the constituents: ... breadth weak" before "breadth
# weak").
_RULES: list[tuple[re.Pattern[str], Check, bool]] = []


def _rule(pattern: str, claims: bool = True) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        _RULES.append((re.compile(pattern), check, claims))
        return check
    return register


def _check_sentence(sentence: str, facts: _Facts) -> list[Problem]:
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
        if _parse_date(match.group(0)) not in facts.dates:
            problems.append(Problem(sentence, match.group(0), "is not a date of the data"))
    for match in FIGURE.finditer(sentence):
        if not any(covered[match.start():match.end()]):
            problems.append(Problem(sentence, match.group(0), "is not traced to a metric"))
    return problems


def _parse_date(text: str) -> date | None:
    parts = text.split()[-3:]
    month = next(i for i, m in enumerate(N.MONTHS, 1) if m.startswith(parts[1][:3]))
    try:
        return date(int(parts[2]), month, int(parts[0]))
    except ValueError:
        return None


def _num(text: str) -> float:
    """Return a printed figure as a number: "−1,234.5%" -> -1234.5."""
    text = text.replace(",", "").replace("%", "").replace(N.MINUS, "-").replace("+", "")
    if text in W.COUNT_WORDS:
        return float(W.COUNT_WORDS.index(text))
    return float(text)


def _same(printed: str, expected: str, what: str) -> list[str]:
    return [] if printed == expected else [f"should be {expected!r} ({what})"]


def _count(printed: str, value: int, what: str) -> list[str]:
    return [] if _num(printed) == value else [f"should be {value:,} ({what})"]


def _direction(word: str, value: float, what: str) -> list[str]:
    if word in W.UP_VERBS + W.UP_NOUNS + ("up", "risen", "rose", "above", "outpaced"):
        wanted = 1
    elif word in W.DOWN_VERBS + W.DOWN_NOUNS + ("down", "fallen", "fell", "below", "lagged"):
        wanted = -1
    else:
        return [f"is not a direction word the checker knows ({what})"]
    if value * wanted > 0:
        return []
    return [f"says {'up' if wanted > 0 else 'down'} but {what} is {value:+.4f}"]


# Index move, rank and benchmarks.

@_rule(rf"(?P<verb>\w+)(?P<sharp> sharply)? (?P<pct>{PCT}) to (?P<close>[\d,]+\.\d\d)")
def _index_move(m: re.Match[str], f: _Facts) -> list[str]:
    move = f.sd.move
    if move is None:
        return ["an index move is printed but the index has none today"]
    out = _direction(m["verb"], move.change_pct, "the index return")
    out += _same(m["pct"], N.abs_pct(move.change_pct), "the index return")
    out += _same(m["close"], N.level(move.close), "the index close")
    if bool(m["sharp"]) != W.is_sharp(move.change_pct):
        out.append(f"'sharply' is for moves of {W.SHARP_PCT}% or more")
    return out


@_rule(rf"was little changed \((?P<pct>{PCT}|0\.00%)\) to (?P<close>[\d,]+\.\d\d)")
def _index_flat(m: re.Match[str], f: _Facts) -> list[str]:
    out = _flat(m, f, "little changed")
    if f.sd.move is None:
        return out
    return out + _same(m["close"], N.level(f.sd.move.close), "the index close")


def _flat(m: re.Match[str], f: _Facts, words: str) -> list[str]:
    """Check a little-changed move: inside the band, and its signed figure."""
    move = f.sd.move
    if move is None or W.direction(move.change_pct) != "flat":
        return [f"'{words}' is for moves inside the little-changed band"]
    return _same(m["pct"], N.signed_pct(move.change_pct), "the index return")


@_rule(rf"from the constituents: (?P<a>{INT}) up, (?P<d>{INT}) down, breadth (?P<word>\w+)")
def _conclusion_no_index(m: re.Match[str], f: _Facts) -> list[str]:
    return _breadth_counts(m, f)


def _breadth_counts(m: re.Match[str], f: _Facts) -> list[str]:
    """Check a breadth word and the "N up, M down" beside it."""
    b = f.sd.breadth
    return (_same(m["word"], W.breadth_word(b.advances, b.declines), "the breadth word")
            + _count(m["a"], b.advances, "advances") + _count(m["d"], b.declines, "declines"))


@_rule(r"the (?P<ord>[\w-]+) of the (?P<n>\w+) segments today")
def _rank(m: re.Match[str], f: _Facts) -> list[str]:
    return _rank_check(f, m["ord"], m["n"])


@_rule(r"(?P<ord>best|weakest) of (?P<n>\w+) segments")
def _rank_headline(m: re.Match[str], f: _Facts) -> list[str]:
    return _rank_check(f, m["ord"], m["n"])


def _rank_check(f: _Facts, word: str, n: str) -> list[str]:
    segs = [r for r in f.sd.ranking if r.kind == "segment"]
    mine = next((r.change_pct for r in segs if r.label == f.sd.segment.label), None)
    if mine is None:
        return ["a rank is printed but the segment has no move"]
    rank = 1 + sum(1 for r in segs if r.change_pct > mine)
    out = _count(n, len(segs), "segments with a move today")
    expected = W.ordinal(rank) if word != "weakest" else "weakest"
    if word == "weakest" and rank != len(segs):
        return [*out, f"is a false superlative: the segment ranked {rank} of {len(segs)}"]
    if word != "weakest" and word != expected:
        return [*out, f"should be {expected!r}: the segment ranked {rank} of {len(segs)}"]
    return out


@_rule(r"(?P<side>ahead of|behind|level with) (?P<list>(?:the [^()]+? \([^)]*\)"
       r"(?:, | and )?)+)")
def _benchmarks(m: re.Match[str], f: _Facts) -> list[str]:
    move = f.sd.move
    if move is None:
        return ["benchmarks are compared but the index has no move"]
    out = []
    moves = {r.label: r.change_pct for r in f.sd.ranking if r.kind == "benchmark"}
    for label, pct in re.findall(rf"the (.+?) \(({PCT}|0\.00%)\)", m["list"]):
        if label not in moves:
            out.append(f"names {label!r}, which is not a benchmark")
            continue
        out += _same(pct, N.signed_pct(moves[label]), f"the {label} return")
        theirs, mine = round(moves[label], 2), round(move.change_pct, 2)
        holds = {"ahead of": theirs < mine, "behind": theirs > mine,
                 "level with": theirs == mine}[m["side"]]
        if not holds:
            out.append(f"says {m['side']} the {label} but the returns are {mine:+.2f}% "
                       f"and {theirs:+.2f}%")
    return out


@_rule(rf"Over five sessions the index is (?P<word>up|down|unchanged)(?: (?P<pct>{PCT}))?")
def _window(m: re.Match[str], f: _Facts) -> list[str]:
    move = f.sd.move
    if move is None or move.window_pct is None:
        return ["a five-session return is printed but there is none"]
    if m["word"] == "unchanged":
        return [] if move.window_pct == 0 else ["the five-session return is not zero"]
    return _direction(m["word"], move.window_pct, "the five-session return") + _same(
        m["pct"] or "", N.abs_pct(move.window_pct), "the five-session return")


@_rule(rf"Five-session return: (?P<pct>{PCT}|0\.00%)")
def _window_short(m: re.Match[str], f: _Facts) -> list[str]:
    move = f.sd.move
    if move is None or move.window_pct is None:
        return ["a five-session return is printed but there is none"]
    return _same(m["pct"], N.signed_pct(move.window_pct), "the five-session return")


@_rule(rf"Only (?P<n>{INT}) earlier sessions? (?:are|is) on record, so the multi-session "
       rf"figure covers (?P<w>\w+) sessions? instead of five: (?P<pct>{PCT}|0\.00%)")
def _window_partial(m: re.Match[str], f: _Facts) -> list[str]:
    move = f.sd.move
    if move is None or move.window_pct is None:
        return ["a multi-session return is printed but there is none"]
    return (_count(m["n"], move.window_sessions, "earlier sessions on record")
            + _count(m["w"], move.window_sessions, "sessions covered")
            + _same(m["pct"], N.signed_pct(move.window_pct), "the multi-session return"))


# The index against its own history, re-derived from its closes.

@_rule(rf"It has (?P<verb>risen|fallen) for (?P<n>{WORDNUM}) sessions in a row, "
       rf"(?P<pct>{PCT}) since the close of (?P<date>{DATE.pattern})")
def _streak(m: re.Match[str], f: _Facts) -> list[str]:
    closes, dates = f.closes, list(f.sd.context.closes.index) if f.sd.context else []
    n = int(_num(m["n"]))
    if len(closes) <= n or any(math.isnan(c) for c in closes[-n - 1:]):
        return [f"a run of {n} sessions needs {n + 1} known closes"]
    sign = 1 if m["verb"] == "risen" else -1
    run = [(closes[-i] - closes[-i - 1]) * sign > 0 for i in range(1, n + 1)]
    if not all(run):
        way = "up" if sign > 0 else "down"
        return [f"is a false run: the index did not close {way} on each of the last {n} "
                "sessions"]
    if (len(closes) > n + 1 and not math.isnan(closes[-n - 2])
            and (closes[-n - 1] - closes[-n - 2]) * sign > 0):
        return [f"understates the run: it is longer than {n} sessions"]
    out = _same(m["pct"], N.signed_pct((closes[-1] / closes[-n - 1] - 1) * 100),
                "the run's return")
    if _parse_date(m["date"]) != pd.Timestamp(dates[-n - 1]).date():
        out.append(f"the run starts after {pd.Timestamp(dates[-n - 1]).date()}")
    return out


@_rule(rf"Over the past (?P<n>{INT}) sessions \(about one month\) the index has returned "
       rf"(?P<pct>{PCT}|0\.00%)")
def _month(m: re.Match[str], f: _Facts) -> list[str]:
    closes, n = f.closes, int(_num(m["n"]))
    if n != MONTH_SESSIONS or len(closes) <= n:
        return [f"a {n}-session return needs {n + 1} closes"]
    return _same(m["pct"], N.signed_pct((closes[-1] / closes[-1 - n] - 1) * 100),
                 "the one-month return")


@_rule(rf"(?:Its close|It) was the (?P<word>highest|lowest|weakest|strongest) "
       rf"(?P<what>breadth )?(?:in (?P<n>{INT}) sessions|of the (?P<all>{INT}) sessions on "
       r"record)")
def _record(m: re.Match[str], f: _Facts) -> list[str]:
    series = f.ratios if m["what"] else f.closes
    high = m["word"] in ("highest", "strongest")
    claimed = int(_num(m["n"] or m["all"]))
    if not series or math.isnan(series[-1]):
        return ["a record is claimed for a figure the data does not have today"]
    today, beaten, reached_start = series[-1], 0, True
    for value in reversed(series[:-1]):
        if math.isnan(value):
            continue
        if (value < today) if high else (value > today):
            beaten += 1
            continue
        reached_start = False
        break
    if claimed != beaten + 1:
        return [f"is a false superlative: today is the {m['word']} in {beaten + 1} sessions "
                f"with a value, not {claimed}"]
    if bool(m["all"]) != reached_start:
        return ["'on record' must be said exactly when no earlier session is as extreme"]
    return []


# Breadth.

@_rule(rf"Of the (?P<n>{INT}) constituents, (?P<a>{INT}) advanced, (?P<d>{INT}) declined, "
       rf"(?P<u>{INT}) (?:was|were) unchanged and (?P<x>{INT}) did not trade")
def _counts(m: re.Match[str], f: _Facts) -> list[str]:
    b = f.sd.breadth
    out = (_count(m["n"], b.constituents, "constituents") + _count(m["a"], b.advances,
           "advances") + _count(m["d"], b.declines, "declines") + _count(m["u"], b.unchanged,
           "unchanged") + _count(m["x"], b.not_traded, "not traded"))
    parts = sum(_num(m[k]) for k in "adux")
    if parts != _num(m["n"]):
        out.append(f"the counts add up to {parts:,.0f}, not the {m['n']} constituents printed")
    return out


@_rule(r"The advance/decline ratio was (?P<r>\d+\.\d\d): breadth was (?P<word>\w+)")
def _ratio(m: re.Match[str], f: _Facts) -> list[str]:
    return _ratio_check(m["r"], m["word"], f)


@_rule(r"breadth (?P<word>weak|mixed|strong)(?: \(A/D (?P<r>\d+\.\d\d)\))?")
def _ratio_headline(m: re.Match[str], f: _Facts) -> list[str]:
    return _ratio_check(m["r"], m["word"], f)


def _ratio_check(printed: str | None, word: str, f: _Facts) -> list[str]:
    b = f.sd.breadth
    out = _same(word, W.breadth_word(b.advances, b.declines), "the breadth word")
    if printed is not None:
        if not b.declines:
            return [*out, "a ratio is printed but nothing declined"]
        out += _same(printed, N.ratio(b.advances / b.declines),
                     f"advances / declines = {b.advances} / {b.declines}")
    return out


@_rule(r"No constituent declined, so the advance/decline ratio is not defined; breadth was "
       r"strong")
def _no_declines(m: re.Match[str], f: _Facts) -> list[str]:
    b = f.sd.breadth
    return [] if b.declines == 0 and b.advances else ["constituents did decline"]


@_rule(rf"at or above that of (?P<k>{INT}) of the last (?P<r>{INT}) sessions with a ratio "
       r"\(percentile (?P<p>\d+)\)")
def _percentile(m: re.Match[str], f: _Facts) -> list[str]:
    window = f.sd.context.breadth.window if f.sd.context and f.sd.context.breadth else 0
    rated = [v for v in f.ratios[-window:] if not math.isnan(v)] if window else []
    if not rated:
        return ["a percentile is printed but no A/D history is on record"]
    k = sum(1 for v in rated if v <= f.ratios[-1])
    out = _count(m["k"], k, "sessions at or below today's ratio")
    out += _count(m["r"], len(rated), "sessions with a ratio in the window")
    return out + _same(m["p"], f"{100 * k / len(rated):.0f}", "the percentile")


@_rule(rf"(?P<a>{INT}) of (?P<c>{INT}) \((?P<p>\d+)%\) above the (?P<w>\d+)-session average")
def _above(m: re.Match[str], f: _Facts) -> list[str]:
    depth = f.depth
    if depth is None:
        return ["averages are printed but there is no panel"]
    figure = {a.window: a for a in (depth.above_short, depth.above_long)}.get(int(m["w"]))
    if figure is None:
        return [f"there is no {m['w']}-session average figure"]
    out = _count(m["a"], figure.above, "members above") + _count(m["c"], figure.counted,
                                                                  "members counted")
    return out + _same(m["p"], f"{100 * _num(m['a']) / max(_num(m['c']), 1):.0f}",
                       "the share printed beside it")


@_rule(rf"New (?P<w>\d+)-session \(52-week\) closing highs: (?P<h>{INT}); new lows: "
       rf"(?P<l>{INT}), among the (?P<c>{INT}) constituents")
def _highs_lows(m: re.Match[str], f: _Facts) -> list[str]:
    depth = f.depth
    if depth is None:
        return ["highs and lows are printed but there is no panel"]
    hl = depth.highs_lows
    return (_count(m["w"], hl.window, "window") + _count(m["h"], hl.highs, "new highs")
            + _count(m["l"], hl.lows, "new lows") + _count(m["c"], hl.counted, "counted"))


@_rule(rf"Over the past (?P<n>{INT}) sessions the A/D line \(the running total of advances "
       rf"minus declines\) (?P<way>rose|fell|was unchanged)(?: by (?P<v>{INT}))?")
def _ad_line(m: re.Match[str], f: _Facts) -> list[str]:
    depth = f.depth
    if depth is None:
        return ["the A/D line is printed but there is no panel"]
    table, n = depth.advance_decline.table, int(_num(m["n"]))
    net = int((table["advances"].iloc[-n:] - table["declines"].iloc[-n:]).sum())
    word = "rose" if net > 0 else "fell" if net < 0 else "was unchanged"
    out = _same(m["way"], word, f"net advances over {n} sessions = {net}")
    return out + ([] if not net else _count(m["v"] or "0", abs(net), "the A/D line change"))


@_rule(r"McClellan oscillator stood at (?P<v>[+\u2212]?\d+\.\d) \((?P<side>above|below|at) "
       r"zero")
def _mcclellan(m: re.Match[str], f: _Facts) -> list[str]:
    depth = f.depth
    osc = depth.advance_decline.mcclellan if depth else None
    if osc is None:
        return ["an oscillator value is printed but there is none"]
    out = [] if abs(_num(m["v"]) - osc) < 0.05 + 1e-9 else [f"should be {osc:+.1f}"]
    side = "above" if osc > 0 else "below" if osc < 0 else "at"
    return out + _same(m["side"], side, "the oscillator's sign")


# Divergence and the conclusion.

@_rule(rf"returned (?P<mean>{PCT}|0\.00%), the median (?P<median>{PCT}|0\.00%)"
       rf"(?:, against (?P<index>{PCT}|0\.00%) for the index(?:: the average stock "
       r"(?P<word>outpaced|lagged) the index by (?P<gap>\d+\.\d\d) percentage points)?)?")
def _equal_weight(m: re.Match[str], f: _Facts) -> list[str]:
    stats, move = f.sd.stats, f.sd.move
    if stats.mean_pct is None or stats.median_pct is None:
        return ["an equal-weighted return is printed but none traded"]
    out = _same(m["mean"], N.signed_pct(stats.mean_pct), "the equal-weighted mean") + _same(
        m["median"], N.signed_pct(stats.median_pct), "the median return")
    if f.sd.members is not None:
        members = f.sd.members
        kept = members.loc[~members[C.SYMBOL].astype(str).isin(f.held), C.RETURN_PCT].dropna()
        if len(kept):
            out += _same(m["mean"], N.signed_pct(float(kept.mean())),
                         "the mean of the traded constituents without unconfirmed flagged "
                         "moves")
    if m["index"]:
        if move is None:
            return [*out, "an index return is printed but there is none"]
        out += _same(m["index"], N.signed_pct(move.change_pct), "the index return")
        gap = stats.mean_pct - move.change_pct
        if m["word"]:
            out += _direction(m["word"], gap, "the mean minus the index return")
            out += _same(m["gap"], f"{abs(gap):.2f}", "the gap in percentage points")
        elif abs(gap) >= W.DIVERGENCE_PP:
            out.append(f"leaves out a gap of {gap:+.2f} pp, which the rules say to state")
    return out


@_rule(rf"The move was narrow: the index (?P<verb>\w+) (?P<pct>{PCT})")
def _narrow(m: re.Match[str], f: _Facts) -> list[str]:
    return _shape(f, "narrow") + _index_word(m["verb"], m["pct"], f)


@_rule(r"The move was broad")
def _broad(m: re.Match[str], f: _Facts) -> list[str]:
    return _shape(f, "broad")


@_rule(rf"The (?P<index>[^.]+?) (?P<verb>{'|'.join(W.UP_VERBS + W.DOWN_VERBS)}) "
       rf"(?P<pct>{PCT})(?P<rest>.*?\((?P<a>{INT}) up, (?P<d>{INT}) down\): a "
       r"(?P<shape>narrow|broad) move)?")
def _conclusion(m: re.Match[str], f: _Facts) -> list[str]:
    out = _index_word(m["verb"], m["pct"], f)
    if m["rest"]:
        b = f.sd.breadth
        out += _count(m["a"], b.advances, "advances") + _count(m["d"], b.declines, "declines")
        out += _shape(f, m["shape"])
    return out


@_rule(rf"(?:was|were) (?P<word>weak|mixed|strong|none) \((?P<a>{INT}) up, (?P<d>{INT}) down\)")
def _conclusion_mixed(m: re.Match[str], f: _Facts) -> list[str]:
    return _breadth_counts(m, f)


@_rule(rf"barely moved (?P<pct>{PCT}|0\.00%)")
def _barely(m: re.Match[str], f: _Facts) -> list[str]:
    return _flat(m, f, "barely moved")


def _shape(f: _Facts, shape: str) -> list[str]:
    move, b = f.sd.move, f.sd.breadth
    actual = W.participation(move.change_pct if move else None, f.sd.stats.mean_pct,
                             b.advances, b.declines)
    return [] if actual == shape else [f"calls the move {shape} but by the rules it is "
                                       f"{actual or 'neither narrow nor broad'}"]


def _index_word(verb: str, pct: str, f: _Facts) -> list[str]:
    move = f.sd.move
    if move is None:
        return ["an index move is printed but the index has none today"]
    return _direction(verb, move.change_pct, "the index return") + _same(
        pct, N.abs_pct(move.change_pct), "the index return")


# Headline, movers, results, labels, ratings.

@_rule(rf"^(?P<label>.+?) (?P<noun>{'|'.join(W.UP_NOUNS + W.DOWN_NOUNS)}) (?P<pct>{PCT})")
def _headline(m: re.Match[str], f: _Facts) -> list[str]:
    return _index_word(m["noun"], m["pct"], f)


@_rule(rf"little changed (?P<pct>{PCT}|0\.00%)[,;]")
def _headline_flat(m: re.Match[str], f: _Facts) -> list[str]:
    return _flat(m, f, "little changed")


@_rule(rf"(?P<n>{INT}) constituents · ")
def _header(m: re.Match[str], f: _Facts) -> list[str]:
    return _count(m["n"], f.sd.breadth.constituents, "constituents")


@_rule(rf"(?:index close missing; )?(?P<a>{INT}) of (?P<n>{INT}) advanced")
def _headline_missing(m: re.Match[str], f: _Facts) -> list[str]:
    b = f.sd.breadth
    return _count(m["a"], b.advances, "advances") + _count(m["n"], b.constituents,
                                                           "constituents")


@_rule(rf"Top (?P<side>gainer|loser): {STOCK_RE} (?P<pct>{PCT})")
def _top(m: re.Match[str], f: _Facts) -> list[str]:
    frame = f.sd.gainers if m["side"] == "gainer" else f.sd.losers
    if frame.empty:
        return [f"names a top {m['side']} but none moved that way"]
    top = frame.iloc[0]
    return _same(m["sym"], str(top[C.SYMBOL]), f"the top {m['side']}") + _same(
        m["pct"], N.signed_pct(float(top[C.RETURN_PCT])), f"{top[C.SYMBOL]}'s return") + (
        _unconfirmed(m["sym"], f))


def _unconfirmed(symbol: str, f: _Facts) -> list[str]:
    """Return a problem when a named mover's move is flagged and not confirmed."""
    if symbol not in f.held:
        return []
    return [f"{symbol}'s move is flagged by the plausibility rules and not confirmed; it "
            "belongs under data issues, not among the movers"]


@_rule(rf"(?P<n>(?i:{WORDNUM})) flagged moves? (?:is|are) left out of the "
       r"(?:movers|mean and median)")
def _held(m: re.Match[str], f: _Facts) -> list[str]:
    return _count(m["n"].lower(), len(f.held), "flagged moves not confirmed")


@_rule(rf"(?P<n>{WORDNUM}) constituents? (?:have|has) a results board meeting in the next "
       rf"(?P<h>{WORDNUM}) sessions")
def _results(m: re.Match[str], f: _Facts) -> list[str]:
    return (_count(m["n"].lower(), len(f.sd.results), "constituents with results due")
            + _count(m["h"], f.sd.results_horizon, "the results horizon"))


@_rule(rf"No constituent has a results board meeting scheduled in the next (?P<h>{WORDNUM}) "
       "sessions")
def _no_results(m: re.Match[str], f: _Facts) -> list[str]:
    return _count(m["h"], f.sd.results_horizon, "the results horizon") + (
        [] if f.sd.results.empty else ["results are due"])


@_rule(rf"^(?P<date>{DATE.pattern}): {STOCK_RE}$")
def _result_row(m: re.Match[str], f: _Facts) -> list[str]:
    rows = f.sd.results.loc[f.sd.results[C.SYMBOL] == m["sym"]]
    day = _parse_date(m["date"])
    if rows.empty or day not in {d.date() for d in rows[C.MEETING_DATE]}:
        return [f"{m['sym']} has no results meeting on {day}"]
    return []


@_rule(rf"The technical trend label of (?P<n>{WORDNUM}) constituents? changed today: "
       rf"(?P<u>{INT}) upgraded, (?P<d>{INT}) downgraded")
def _trend_counts(m: re.Match[str], f: _Facts) -> list[str]:
    changes = f.sd.trend_changes
    if changes is None:
        return ["label changes are printed but no labels exist"]
    up, down = int((changes["steps"] > 0).sum()), int((changes["steps"] < 0).sum())
    out = _count(m["n"], len(changes), "label changes") + _count(m["u"], up, "upgrades")
    out += _count(m["d"], down, "downgrades")
    if _num(m["u"]) + _num(m["d"]) != _num(m["n"]):
        out.append("the upgrades and downgrades do not add up to the changes printed")
    return out


@_rule(rf"{STOCK_RE} (?:(?P<old>[A-Z][a-z]+(?: [A-Z][a-z]+)?) \u2192 )?"
       r"(?P<new>[A-Z][a-z]+(?: [A-Z][a-z]+)?)")
def _label_change(m: re.Match[str], f: _Facts) -> list[str]:
    for kind in ("trend", "rating"):
        for row in f.change(m["sym"], kind).to_dict("records"):
            old, new = row.get("from"), row.get("to")
            if str(new) == m["new"] and (m["old"] is None or str(old) == m["old"]):
                return []
    return [f"{m['sym']} has no change to {m['new']} in the data"]


@_rule(rf"and (?P<n>{INT}) more")
def _more(m: re.Match[str], f: _Facts) -> list[str]:
    return []  # the bullet's total is checked by _bullet_totals on the whole sentence


@_rule(r"^(?P<group>Upgraded|Downgraded|Initiated): (?P<body>.*)$", claims=False)
def _bullet_totals(m: re.Match[str], f: _Facts) -> list[str]:
    listed = len(re.findall(STOCK_RE, m["body"]))
    more = re.search(rf"; and (?P<n>{INT}) more", m["body"])
    total = listed + (int(_num(more["n"])) if more else 0)
    candidates = set()
    for frame in (f.sd.trend_changes, f.sd.rating_changes):
        if frame is None or frame.empty:
            continue
        if m["group"] == "Initiated":
            if "initiated" in frame:
                candidates |= {int(v) for v in frame.groupby("provider")["initiated"].sum()}
            continue
        part = frame.loc[frame["steps"] > 0] if m["group"] == "Upgraded" else frame.loc[
            frame["steps"] < 0]
        if "provider" in frame:
            candidates |= {len(p) for _, p in part.groupby("provider")}
        else:
            candidates.add(len(part))
    return [] if total in candidates else [f"lists {total} in all, which matches no group "
                                           "in the data"]


# The implications, one rule per condition sentence (figures re-read from the data).

@_rule(rf"the equal-weighted return was (?P<mean>{PCT}|0\.00%) against (?P<index>{PCT}|0\.00%) "
       "for the index")
def _implied_narrow(m: re.Match[str], f: _Facts) -> list[str]:
    stats, move = f.sd.stats, f.sd.move
    if move is None or stats.mean_pct is None:
        return ["the narrow-move condition needs an index move and a mean"]
    return (_shape(f, "narrow") + _same(m["mean"], N.signed_pct(stats.mean_pct), "the mean")
            + _same(m["index"], N.signed_pct(move.change_pct), "the index return"))


@_rule(r"Most constituents are (?P<side>above|below) their (?P<w>\d+)-session average "
       r"\((?:only )?(?P<p>\d+)%")
def _implied_trend(m: re.Match[str], f: _Facts) -> list[str]:
    depth = f.depth
    pct = depth.above_long.pct if depth else None
    if pct is None:
        return ["the long-trend condition needs the share above the long average"]
    holds = pct >= W.MOST_ABOVE_PCT if m["side"] == "above" else pct <= W.FEW_ABOVE_PCT
    out = [] if holds else [f"does not hold: {pct:.1f}% are above"]
    return out + _same(m["p"], f"{pct:.0f}", "the share above")


@_rule(rf"New (?P<w>\d+)-session (?P<side>lows|highs) outnumber new (?:highs|lows) "
       rf"\((?P<a>{INT}) to (?P<b>{INT})\)")
def _implied_highs(m: re.Match[str], f: _Facts) -> list[str]:
    depth = f.depth
    if depth is None:
        return ["the highs/lows condition needs a panel"]
    hl = depth.highs_lows
    mine, other = (hl.lows, hl.highs) if m["side"] == "lows" else (hl.highs, hl.lows)
    out = _count(m["w"], HIGH_LOW_SESSIONS, "window")
    out += _count(m["a"], mine, m["side"]) + _count(m["b"], other, "the other side")
    if not (mine >= I.HIGHS_LOWS_MIN and mine >= I.HIGHS_LOWS_FACTOR * other):
        out.append("does not hold by the published rule")
    return out


@_rule(rf"in the (?P<side>lowest|highest) (?P<p>\d+)% of the last (?P<r>{INT}) sessions")
def _implied_extreme(m: re.Match[str], f: _Facts) -> list[str]:
    b = f.sd.context.breadth if f.sd.context else None
    if b is None or b.percentile is None:
        return ["the extreme-breadth condition needs a percentile"]
    out = _count(m["p"], int(W.EXTREME_PERCENTILE), "the published threshold")
    out += _count(m["r"], b.rated, "sessions with a ratio")
    holds = (b.percentile <= W.EXTREME_PERCENTILE if m["side"] == "lowest"
             else b.percentile >= 100 - W.EXTREME_PERCENTILE)
    return out + ([] if holds else [f"does not hold: the percentile is {b.percentile:.1f}"])


@_rule(rf"the McClellan oscillator is (?P<side>above|below) zero while the index is "
       rf"(?P<way>up|down) (?P<pct>{PCT}) over five sessions")
def _implied_momentum(m: re.Match[str], f: _Facts) -> list[str]:
    depth = f.depth
    osc = depth.advance_decline.mcclellan if depth else None
    move = f.sd.move
    if osc is None or move is None or move.window_pct is None:
        return ["the momentum condition needs the oscillator and a five-session return"]
    out = _direction(m["side"], osc, "the oscillator")
    out += _direction(m["way"], move.window_pct, "the five-session return")
    return out + _same(m["pct"], N.abs_pct(move.window_pct), "the five-session return")


@_rule(rf"Results are due from (?P<n>{WORDNUM}) constituents? in the next (?P<h>{WORDNUM}) "
       "sessions")
def _implied_results(m: re.Match[str], f: _Facts) -> list[str]:
    return (_count(m["n"], len(f.sd.results), "constituents with results due")
            + _count(m["h"], f.sd.results_horizon, "the results horizon"))


@_rule(rf"\((?P<a>{INT}) (?P<first>upgrade|downgrade)s?, (?P<b>{INT}) (?:up|down)grades?\)")
def _implied_labels(m: re.Match[str], f: _Facts) -> list[str]:
    changes = f.sd.trend_changes
    if changes is None:
        return ["the label condition needs label changes"]
    up, down = int((changes["steps"] > 0).sum()), int((changes["steps"] < 0).sum())
    first, second = (up, down) if m["first"] == "upgrade" else (down, up)
    out = _count(m["a"], first, m["first"]) + _count(m["b"], second, "the other side")
    if not (first >= I.LABELS_MIN and first >= 2 * second):
        out.append("does not hold by the published rule")
    return out


# The movers table.

def _check_table_row(cells: list[str], f: _Facts) -> list[Problem]:
    """Check a movers-table row: its stock, close and return against the data."""
    if cells[:1] == [""] or cells[0] not in ("Gainer", "Loser"):
        return []
    sentence = " | ".join(cells)
    if len(cells) != 5:
        return [Problem(sentence, sentence, "is not a movers row of five cells")]
    side, symbol, name, close, change = cells
    frame = f.sd.gainers if side == "Gainer" else f.sd.losers
    rows = frame.loc[frame[C.SYMBOL] == symbol]
    if rows.empty:
        return [Problem(sentence, symbol, f"is not among the top {side.lower()}s")]
    row = rows.iloc[0]
    out = _same(name, clean_text(str(row[C.NAME])), "the company name") + _same(
        close, N.level(float(row[C.CLOSE])), "the close") + _same(
        change, N.signed_pct(float(row[C.RETURN_PCT])), "the return") + _unconfirmed(
        symbol, f)
    return [Problem(sentence, sentence, m) for m in out]
