"""Consistency rules for the implications: one rule per condition sentence, its
figures re-read from the data and the condition re-tested by the published rule."""

from __future__ import annotations

import re

from generator.metrics.breadth_depth import HIGH_LOW_SESSIONS
from generator.narrative import implications as I
from generator.narrative import numbers as N
from generator.narrative import wording as W
from generator.narrative.check_conclusion import check_shape
from generator.narrative.check_rules import (
    INT,
    PCT,
    WORDNUM,
    Facts,
    Rules,
    count,
    direction,
    same,
)

RULES = Rules()
_rule = RULES.rule


# The implications, one rule per condition sentence (figures re-read from the data).

@_rule(rf"the equal-weighted return was (?P<mean>{PCT}|0\.00%) against (?P<index>{PCT}|0\.00%) "
       "for the index")
def _implied_narrow(m: re.Match[str], f: Facts) -> list[str]:
    stats, move = f.sd.stats, f.sd.move
    if move is None or stats.mean_pct is None:
        return ["the narrow-move condition needs an index move and a mean"]
    return (check_shape(f, "narrow") + same(m["mean"], N.signed_pct(stats.mean_pct), "the mean")
            + same(m["index"], N.signed_pct(move.change_pct), "the index return"))


@_rule(r"Most constituents are (?P<side>above|below) their (?P<w>\d+)-session average "
       r"\((?:only )?(?P<p>\d+)%")
def _implied_trend(m: re.Match[str], f: Facts) -> list[str]:
    depth = f.depth
    pct = depth.above_long.pct if depth else None
    if pct is None:
        return ["the long-trend condition needs the share above the long average"]
    holds = pct >= W.MOST_ABOVE_PCT if m["side"] == "above" else pct <= W.FEW_ABOVE_PCT
    out = [] if holds else [f"does not hold: {pct:.1f}% are above"]
    return out + same(m["p"], f"{pct:.0f}", "the share above")


@_rule(rf"New (?P<w>\d+)-session (?P<side>lows|highs) outnumber new (?:highs|lows) "
       rf"\((?P<a>{INT}) to (?P<b>{INT})\)")
def _implied_highs(m: re.Match[str], f: Facts) -> list[str]:
    depth = f.depth
    if depth is None:
        return ["the highs/lows condition needs a panel"]
    hl = depth.highs_lows
    mine, other = (hl.lows, hl.highs) if m["side"] == "lows" else (hl.highs, hl.lows)
    out = count(m["w"], HIGH_LOW_SESSIONS, "window")
    out += count(m["a"], mine, m["side"]) + count(m["b"], other, "the other side")
    if not (mine >= I.HIGHS_LOWS_MIN and mine >= I.HIGHS_LOWS_FACTOR * other):
        out.append("does not hold by the published rule")
    return out


@_rule(rf"in the (?P<side>lowest|highest) (?P<p>\d+)% of the last (?P<r>{INT}) sessions")
def _implied_extreme(m: re.Match[str], f: Facts) -> list[str]:
    b = f.sd.context.breadth if f.sd.context else None
    if b is None or b.percentile is None:
        return ["the extreme-breadth condition needs a percentile"]
    out = count(m["p"], int(W.EXTREME_PERCENTILE), "the published threshold")
    out += count(m["r"], b.rated, "sessions with a ratio")
    holds = (b.percentile <= W.EXTREME_PERCENTILE if m["side"] == "lowest"
             else b.percentile >= 100 - W.EXTREME_PERCENTILE)
    return out + ([] if holds else [f"does not hold: the percentile is {b.percentile:.1f}"])


@_rule(rf"the McClellan oscillator is (?P<side>above|below) zero while the index is "
       rf"(?P<way>up|down) (?P<pct>{PCT}) over five sessions")
def _implied_momentum(m: re.Match[str], f: Facts) -> list[str]:
    depth = f.depth
    osc = depth.advance_decline.mcclellan if depth else None
    move = f.sd.move
    if osc is None or move is None or move.window_pct is None:
        return ["the momentum condition needs the oscillator and a five-session return"]
    out = direction(m["side"], osc, "the oscillator")
    out += direction(m["way"], move.window_pct, "the five-session return")
    return out + same(m["pct"], N.abs_pct(move.window_pct), "the five-session return")


@_rule(rf"Results are due from (?P<n>{WORDNUM}) constituents? in the next (?P<h>{WORDNUM}) "
       "sessions")
def _implied_results(m: re.Match[str], f: Facts) -> list[str]:
    return (count(m["n"], len(f.sd.results), "constituents with results due")
            + count(m["h"], f.sd.results_horizon, "the results horizon"))


@_rule(rf"\((?P<a>{INT}) (?P<first>upgrade|downgrade)s?, (?P<b>{INT}) (?:up|down)grades?\)")
def _implied_labels(m: re.Match[str], f: Facts) -> list[str]:
    changes = f.sd.trend_changes
    if changes is None:
        return ["the label condition needs label changes"]
    up, down = int((changes["steps"] > 0).sum()), int((changes["steps"] < 0).sum())
    first, second = (up, down) if m["first"] == "upgrade" else (down, up)
    out = count(m["a"], first, m["first"]) + count(m["b"], second, "the other side")
    if not (first >= I.LABELS_MIN and first >= 2 * second):
        out.append("does not hold by the published rule")
    return out
