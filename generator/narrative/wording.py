"""Thresholds that turn figures into words, kept in one place and published on the site."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from generator.metrics import plausibility as P
from generator.metrics.breadth_depth import NARROW_GAP_PP, NARROW_MIN_MOVE_PCT, narrow_move
from generator.metrics.plausibility import FlaggedMove
from generator.narrative import numbers as N

# A move smaller than this (in %) is "little changed".
FLAT_PCT = 0.05
# A move at least this large (in %) is "sharp".
SHARP_PCT = 2.0
# Breadth: A/D ratio below WEAK is weak, above STRONG is strong, in between mixed.
BREADTH_WEAK_BELOW = 0.8
BREADTH_STRONG_ABOVE = 1.25
# Gap (percentage points) between the equal-weighted mean and the index that is worth a line.
DIVERGENCE_PP = 1.0

# History is mentioned only when it reaches back at least this many sessions.
NOTABLE_SESSIONS = 20
# A winning or losing run is mentioned from this many sessions.
STREAK_SESSIONS = 3
# An A/D ratio at or below this percentile of the window is an extreme (and at or above
# 100 minus it).
EXTREME_PERCENTILE = 10.0
# Shares of constituents above their 200-session average that count as most / few.
MOST_ABOVE_PCT = 60.0
FEW_ABOVE_PCT = 40.0

# Words that may stand for the index's direction; the one used is chosen from the date
# (see `pick`), and every one of them means the same thing.
UP_VERBS = ("rose", "gained", "climbed")
DOWN_VERBS = ("fell", "dropped", "retreated")
UP_NOUNS = ("rise", "gain", "climb")
DOWN_NOUNS = ("fall", "drop", "slide")

ORDINALS = ("best", "second-best", "third-best", "fourth-best", "fifth-best", "sixth-best")
COUNT_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


@dataclass(frozen=True)
class Threshold:
    """A published wording rule: the word, and the condition on the data."""

    word: str
    rule: str


RULES = (
    Threshold("rose / fell", f"the index return is at least {FLAT_PCT:.2f}% up / down"),
    Threshold("little changed", f"the index moved less than {FLAT_PCT:.2f}% either way"),
    Threshold("sharply", f"the index moved {SHARP_PCT:.2f}% or more"),
    Threshold("weak breadth", f"A/D ratio below {BREADTH_WEAK_BELOW:.2f}"),
    Threshold("mixed breadth", f"A/D ratio from {BREADTH_WEAK_BELOW:.2f} to "
                               f"{BREADTH_STRONG_ABOVE:.2f}"),
    Threshold("strong breadth", f"A/D ratio above {BREADTH_STRONG_ABOVE:.2f}, or advances "
                                "with no declines"),
    Threshold("narrow", f"the index moved at least {NARROW_MIN_MOVE_PCT:.2f}% and the "
                        "equal-weighted mean return of its constituents moved the other way "
                        "or not at all, or trailed the index in its direction by at least "
                        f"{NARROW_GAP_PP:.2f} percentage points"),
    Threshold("broad", f"the index moved at least {NARROW_MIN_MOVE_PCT:.2f}%, the move was not "
                       "narrow, and breadth was strong (up) or weak (down)"),
    Threshold("in N sessions / on record", "today's figure is beyond every earlier one of the "
                                           "last N sessions (only said from "
                                           f"{NOTABLE_SESSIONS} sessions on)"),
    Threshold("in a row", f"the index closed up (down) on each of the last N sessions, N at "
                          f"least {STREAK_SESSIONS}"),
    Threshold("lagged / outpaced", f"the equal-weighted mean return differs from the index "
                                   f"return by at least {DIVERGENCE_PP:.2f} percentage points"),
)


def direction(change_pct: float) -> str:
    """Return "up", "down" or "flat" for an index return."""
    if abs(change_pct) < FLAT_PCT:
        return "flat"
    return "up" if change_pct > 0 else "down"


def is_sharp(change_pct: float) -> bool:
    """Return True when a move counts as sharp."""
    return abs(change_pct) >= SHARP_PCT


def breadth_word(advances: int, declines: int) -> str:
    """Return "weak", "mixed", "strong", or "none" when nothing moved."""
    if declines == 0:
        return "strong" if advances else "none"
    ratio = advances / declines
    if ratio < BREADTH_WEAK_BELOW:
        return "weak"
    if ratio > BREADTH_STRONG_ABOVE:
        return "strong"
    return "mixed"


def participation(change_pct: float | None, mean_pct: float | None, advances: int,
                  declines: int) -> str:
    """Return "narrow", "broad" or "" for how the constituents joined the index's move.

    Narrow is `breadth_depth.narrow_move` on the index return and the constituents'
    equal-weighted mean return; see RULES for broad.
    """
    if change_pct is None or mean_pct is None or abs(change_pct) < NARROW_MIN_MOVE_PCT:
        return ""
    if narrow_move(change_pct, mean_pct):
        return "narrow"
    word = breadth_word(advances, declines)
    if (change_pct > 0 and word == "strong") or (change_pct < 0 and word == "weak"):
        return "broad"
    return ""


def ordinal(rank: int) -> str:
    """Return "best", "second-best", ... for a rank."""
    return ORDINALS[rank - 1] if rank <= len(ORDINALS) else f"number {rank}"


def count_word(number: int) -> str:
    """Return small counts as words ("four segments"), larger ones as digits."""
    return COUNT_WORDS[number] if 0 <= number < len(COUNT_WORDS) else str(number)


def pick(options: Sequence[str], *key: object) -> str:
    """Return one of `options`, chosen from `key` (a date, a segment, a slot) by hash.

    The choice is the same for the same key on every run and machine (not Python's
    salted hash), and varies from day to day.
    """
    digest = hashlib.sha256("|".join(str(k) for k in key).encode("utf-8")).digest()
    return options[int.from_bytes(digest[:4], "big") % len(options)]


def index_verb(change_pct: float, *key: object) -> str:
    """Return a past-tense verb for the index's move ("rose", "fell", ...; chosen by key)."""
    return pick(UP_VERBS if change_pct > 0 else DOWN_VERBS, "verb", *key)


def flagged_move(flag: FlaggedMove) -> str:
    """Return the data-issue note on a move the plausibility rules flag.

    It names the stock, gives the prices the return is computed from and the rule that
    flagged it, and says whether the move is held back or was confirmed in the config.
    """
    reasons = []
    if flag.beyond_limit:
        reasons.append(f"beyond \u00b1{P.EXTREME_RETURN_PCT:.0f}% in one session")
    if flag.ratio is not None:
        num, den = flag.ratio
        kind = ("a common split or bonus ratio" if num < den
                else "a common split or bonus ratio inverted")
        reasons.append(f"close \u00f7 previous close near {num}/{den}, {kind}")
    text = (f"{flag.name} ({flag.symbol}) closed at {N.level(flag.close)} against a previous "
            f"close of {N.level(flag.prev_close)}, {N.signed_pct(flag.return_pct)} "
            f"({' and '.join(reasons)}).")
    if flag.confirmed:
        return (f"{text} A maintainer confirmed this move in the config ([checks] "
                "confirmed_moves), so it is reported as a normal move.")
    return (f"{text} It may be a corporate action (split, bonus, rights) the exchange's "
            "previous close was not adjusted for, or a data error: until it is confirmed it "
            "counts in breadth but is left out of the movers and of the equal-weighted mean "
            "and median.")
