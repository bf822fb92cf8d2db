"""Thresholds that turn figures into words, kept in one place and published on the site."""

from __future__ import annotations

from dataclasses import dataclass

# A move smaller than this (in %) is "little changed".
FLAT_PCT = 0.05
# A move at least this large (in %) is "sharp".
SHARP_PCT = 2.0
# Breadth: A/D ratio below WEAK is weak, above STRONG is strong, in between mixed.
BREADTH_WEAK_BELOW = 0.8
BREADTH_STRONG_ABOVE = 1.25
# Gap (percentage points) between the equal-weighted mean and the index that is worth a line.
DIVERGENCE_PP = 1.0

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
    Threshold("narrow", "the index rose while more constituents declined than advanced, or "
                        "fell while more advanced than declined"),
    Threshold("broad", "the index and the majority of its moving constituents went the same way "
                       "with strong (up) or weak (down) breadth"),
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


def participation(change_pct: float | None, advances: int, declines: int) -> str:
    """Return "narrow", "broad" or "" for how the constituents joined the index's move."""
    if change_pct is None:
        return ""
    move = direction(change_pct)
    word = breadth_word(advances, declines)
    if (move == "up" and declines > advances) or (move == "down" and advances > declines):
        return "narrow"
    if (move == "up" and word == "strong") or (move == "down" and word == "weak"):
        return "broad"
    return ""


def ordinal(rank: int) -> str:
    """Return "best", "second-best", ... for a rank."""
    return ORDINALS[rank - 1] if rank <= len(ORDINALS) else f"number {rank}"


def count_word(number: int) -> str:
    """Return small counts as words ("four segments"), larger ones as digits."""
    return COUNT_WORDS[number] if 0 <= number < len(COUNT_WORDS) else str(number)
