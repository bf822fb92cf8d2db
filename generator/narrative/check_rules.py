"""What the consistency checker compares a brief with, and how its rules compare.

`check.py` reads a brief and applies the rules; the topic modules (`check_index`,
`check_breadth`, `check_conclusion`, `check_movers`, `check_implications`) define them with
the patterns, `Facts` and comparison helpers here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import pandas as pd

from generator import columns as C
from generator.escape import clean_text
from generator.metrics.breadth_depth import BreadthDepth
from generator.metrics.plausibility import is_extreme
from generator.metrics.segment import SegmentDay
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


# --- what the text is checked against -------------------------------------------------


@dataclass
class Facts:
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




# --- the rules ---------------------------------------------------------------------------


Check = Callable[[re.Match[str], Facts], list[str]]
# (pattern, check, claims): a claiming rule accounts for the figures it matched, and a
# later claiming rule does not read them again; a sentence-wide rule claims nothing. Rules
# apply in the order they are defined, so a longer sentence shape comes before the
# shorter shapes it contains ("from the constituents: ... breadth weak" before "breadth
# weak"). Each topic module keeps its rules in a `Rules`, and `check.py` applies the
# topic modules' rules in a fixed order.
Rule = tuple[re.Pattern[str], Check, bool]


class Rules:
    """A topic module's rules, in the order they are defined."""

    def __init__(self) -> None:
        self.defined: list[Rule] = []

    def rule(self, pattern: str, claims: bool = True) -> Callable[[Check], Check]:
        """Return a decorator that adds a check, with its pattern, to these rules."""
        def register(check: Check) -> Check:
            self.defined.append((re.compile(pattern), check, claims))
            return check
        return register

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.defined)


# --- comparing a printed figure or word with the data ----------------------------------


def parse_date(text: str) -> date | None:
    """Return the date a printed "Friday 17 January 2025"-style phrase names, or None."""
    parts = text.split()[-3:]
    month = next(i for i, m in enumerate(N.MONTHS, 1) if m.startswith(parts[1][:3]))
    try:
        return date(int(parts[2]), month, int(parts[0]))
    except ValueError:
        return None


def num(text: str) -> float:
    """Return a printed figure as a number: "−1,234.5%" -> -1234.5."""
    text = text.replace(",", "").replace("%", "").replace(N.MINUS, "-").replace("+", "")
    if text in W.COUNT_WORDS:
        return float(W.COUNT_WORDS.index(text))
    return float(text)


def same(printed: str, expected: str, what: str) -> list[str]:
    """Return a problem unless the printed text is exactly the expected one."""
    return [] if printed == expected else [f"should be {expected!r} ({what})"]


def count(printed: str, value: int, what: str) -> list[str]:
    """Return a problem unless the printed count (digits or a word) equals `value`."""
    return [] if num(printed) == value else [f"should be {value:,} ({what})"]


def direction(word: str, value: float, what: str) -> list[str]:
    """Return a problem unless the direction word agrees with the sign of `value`."""
    if word in W.UP_VERBS + W.UP_NOUNS + ("up", "risen", "rose", "above", "outpaced"):
        wanted = 1
    elif word in W.DOWN_VERBS + W.DOWN_NOUNS + ("down", "fallen", "fell", "below", "lagged"):
        wanted = -1
    else:
        return [f"is not a direction word the checker knows ({what})"]
    if value * wanted > 0:
        return []
    return [f"says {'up' if wanted > 0 else 'down'} but {what} is {value:+.4f}"]
