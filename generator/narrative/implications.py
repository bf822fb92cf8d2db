"""What a day implies, stated as conditions the data shows (never as advice).

Each `Condition` is a published rule and the sentence it produces when it holds; a brief's
"What it implies" section lists the conditions that hold and is left out when none does.
The methodology page prints `CONDITIONS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from generator.metrics.breadth_depth import HIGH_LOW_SESSIONS, NARROW_MIN_MOVE_PCT, SMA_LONG
from generator.metrics.segment import WINDOW_SESSIONS, SegmentDay
from generator.narrative import numbers as N
from generator.narrative import wording as W

# New highs (lows) outnumber lows (highs) when they are at least this many and at least
# HIGHS_LOWS_FACTOR times the other side.
HIGHS_LOWS_MIN = 3
HIGHS_LOWS_FACTOR = 2
# Label changes lean one way when that side has at least this many and twice the other.
LABELS_MIN = 5


@dataclass(frozen=True)
class Condition:
    """A condition a brief may state: its name, its rule in words, and its sentence."""

    name: str
    rule: str
    sentence: Callable[[SegmentDay], str | None]


def _narrow(sd: SegmentDay) -> str | None:
    if sd.move is None or sd.stats.mean_pct is None:
        return None
    b = sd.breadth
    if W.participation(sd.move.change_pct, sd.stats.mean_pct, b.advances, b.declines) != "narrow":
        return None
    noun = "rise" if sd.move.change_pct > 0 else "fall"
    return (f"The index's {noun} was carried by few constituents: the equal-weighted return "
            f"was {N.signed_pct(sd.stats.mean_pct)} against "
            f"{N.signed_pct(sd.move.change_pct)} for the index.")


def _long_trend(sd: SegmentDay) -> str | None:
    depth = sd.context.depth if sd.context else None
    if depth is None or depth.above_long.pct is None:
        return None
    pct = depth.above_long.pct
    if pct >= W.MOST_ABOVE_PCT:
        return (f"Most constituents are above their {SMA_LONG}-session average ({pct:.0f}%): "
                "the typical stock is in a long-term uptrend.")
    if pct <= W.FEW_ABOVE_PCT:
        return (f"Most constituents are below their {SMA_LONG}-session average (only "
                f"{pct:.0f}% above): the typical stock is in a long-term downtrend.")
    return None


def _highs_lows(sd: SegmentDay) -> str | None:
    depth = sd.context.depth if sd.context else None
    if depth is None or not depth.highs_lows.counted:
        return None
    highs, lows = depth.highs_lows.highs, depth.highs_lows.lows
    if lows >= HIGHS_LOWS_MIN and lows >= HIGHS_LOWS_FACTOR * highs:
        return (f"New {HIGH_LOW_SESSIONS}-session lows outnumber new highs "
                f"({N.count(lows)} to {N.count(highs)}).")
    if highs >= HIGHS_LOWS_MIN and highs >= HIGHS_LOWS_FACTOR * lows:
        return (f"New {HIGH_LOW_SESSIONS}-session highs outnumber new lows "
                f"({N.count(highs)} to {N.count(lows)}).")
    return None


def _breadth_extreme(sd: SegmentDay) -> str | None:
    b = sd.context.breadth if sd.context else None
    if b is None or b.percentile is None or b.rated < W.NOTABLE_SESSIONS:
        return None
    if b.percentile <= W.EXTREME_PERCENTILE:
        return (f"Breadth is at an extreme for this segment: today's A/D ratio is in the "
                f"lowest {W.EXTREME_PERCENTILE:.0f}% of the last {N.count(b.rated)} sessions.")
    if b.percentile >= 100.0 - W.EXTREME_PERCENTILE:
        return (f"Breadth is at an extreme for this segment: today's A/D ratio is in the "
                f"highest {W.EXTREME_PERCENTILE:.0f}% of the last {N.count(b.rated)} sessions.")
    return None


def _momentum(sd: SegmentDay) -> str | None:
    depth = sd.context.depth if sd.context else None
    move = sd.move
    if (depth is None or move is None or move.window_pct is None
            or move.window_sessions != WINDOW_SESSIONS):
        return None
    osc = depth.advance_decline.mcclellan
    if osc is None or abs(move.window_pct) < NARROW_MIN_MOVE_PCT:
        return None
    if osc < 0 < move.window_pct or move.window_pct < 0 < osc:
        side = "below" if osc < 0 else "above"
        way = "up" if move.window_pct > 0 else "down"
        return (f"Breadth momentum disagrees with the index: the McClellan oscillator is "
                f"{side} zero while the index is {way} {N.abs_pct(move.window_pct)} over five "
                "sessions.")
    return None


def _results(sd: SegmentDay) -> str | None:
    count = len(sd.results)
    if not count:
        return None
    who = "constituent" if count == 1 else "constituents"
    return (f"Results are due from {W.count_word(count)} {who} in the next "
            f"{W.count_word(sd.results_horizon)} sessions.")


def _labels(sd: SegmentDay) -> str | None:
    changes = sd.trend_changes
    if changes is None or changes.empty:
        return None
    up = int((changes["steps"] > 0).sum())
    down = int((changes["steps"] < 0).sum())
    ups, downs = _plural(up, "upgrade"), _plural(down, "downgrade")
    if up >= LABELS_MIN and up >= 2 * down:
        return f"Technical labels improved more than they worsened ({ups}, {downs})."
    if down >= LABELS_MIN and down >= 2 * up:
        return f"Technical labels worsened more than they improved ({downs}, {ups})."
    return None


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


CONDITIONS = (
    Condition("Narrow move", "the move was narrow (see the wording rules)", _narrow),
    Condition("Long-term trend of the typical stock",
              f"at least {W.MOST_ABOVE_PCT:.0f}% (or at most {W.FEW_ABOVE_PCT:.0f}%) of the "
              f"constituents with the history closed above their {SMA_LONG}-session average",
              _long_trend),
    Condition("New highs against new lows",
              f"one side has at least {HIGHS_LOWS_MIN} stocks and at least "
              f"{HIGHS_LOWS_FACTOR} times the other", _highs_lows),
    Condition("Extreme breadth",
              f"today's A/D ratio is in the lowest (highest) {W.EXTREME_PERCENTILE:.0f}% of "
              f"at least {W.NOTABLE_SESSIONS} recent sessions", _breadth_extreme),
    Condition("Breadth momentum against the index",
              "the McClellan oscillator and the five-session index return have opposite "
              f"signs, the return being at least {NARROW_MIN_MOVE_PCT:.2f}% either way",
              _momentum),
    Condition("Results ahead", "at least one constituent has a results board meeting in "
              "the results horizon", _results),
    Condition("Labels leaning one way",
              f"one direction of trend-label change has at least {LABELS_MIN} stocks and "
              "twice the other", _labels),
)


def implications(sd: SegmentDay) -> list[str]:
    """Return the sentences of the conditions that hold on the day, in `CONDITIONS` order."""
    return [text for c in CONDITIONS if (text := c.sentence(sd)) is not None]
