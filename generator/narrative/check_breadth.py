"""Consistency rules for breadth: the counts, the advance/decline ratio and its
percentile, the averages, new highs and lows, the A/D line and the McClellan oscillator."""

from __future__ import annotations

import math
import re

from generator.narrative import numbers as N
from generator.narrative import wording as W
from generator.narrative.check_rules import (
    INT,
    Facts,
    Rules,
    count,
    num,
    same,
)

RULES = Rules()
_rule = RULES.rule


# Breadth.

@_rule(rf"Of the (?P<n>{INT}) constituents, (?P<a>{INT}) advanced, (?P<d>{INT}) declined, "
       rf"(?P<u>{INT}) (?:was|were) unchanged and (?P<x>{INT}) did not trade")
def _counts(m: re.Match[str], f: Facts) -> list[str]:
    b = f.sd.breadth
    out = (count(m["n"], b.constituents, "constituents") + count(m["a"], b.advances,
           "advances") + count(m["d"], b.declines, "declines") + count(m["u"], b.unchanged,
           "unchanged") + count(m["x"], b.not_traded, "not traded"))
    parts = sum(num(m[k]) for k in "adux")
    if parts != num(m["n"]):
        out.append(f"the counts add up to {parts:,.0f}, not the {m['n']} constituents printed")
    return out


@_rule(r"The advance/decline ratio was (?P<r>\d+\.\d\d): breadth was (?P<word>\w+)")
def _ratio(m: re.Match[str], f: Facts) -> list[str]:
    return _ratio_check(m["r"], m["word"], f)


@_rule(r"breadth (?P<word>weak|mixed|strong)(?: \(A/D (?P<r>\d+\.\d\d)\))?")
def _ratio_headline(m: re.Match[str], f: Facts) -> list[str]:
    return _ratio_check(m["r"], m["word"], f)


def _ratio_check(printed: str | None, word: str, f: Facts) -> list[str]:
    b = f.sd.breadth
    out = same(word, W.breadth_word(b.advances, b.declines), "the breadth word")
    if printed is not None:
        if not b.declines:
            return [*out, "a ratio is printed but nothing declined"]
        out += same(printed, N.ratio(b.advances / b.declines),
                     f"advances / declines = {b.advances} / {b.declines}")
    return out


@_rule(r"No constituent declined, so the advance/decline ratio is not defined; breadth was "
       r"strong")
def _no_declines(m: re.Match[str], f: Facts) -> list[str]:
    b = f.sd.breadth
    return [] if b.declines == 0 and b.advances else ["constituents did decline"]


@_rule(rf"at or above that of (?P<k>{INT}) of the last (?P<r>{INT}) sessions with a ratio "
       r"\(percentile (?P<p>\d+)\)")
def _percentile(m: re.Match[str], f: Facts) -> list[str]:
    window = f.sd.context.breadth.window if f.sd.context and f.sd.context.breadth else 0
    rated = [v for v in f.ratios[-window:] if not math.isnan(v)] if window else []
    if not rated:
        return ["a percentile is printed but no A/D history is on record"]
    k = sum(1 for v in rated if v <= f.ratios[-1])
    out = count(m["k"], k, "sessions at or below today's ratio")
    out += count(m["r"], len(rated), "sessions with a ratio in the window")
    return out + same(m["p"], f"{100 * k / len(rated):.0f}", "the percentile")


@_rule(rf"(?P<a>{INT}) of (?P<c>{INT}) \((?P<p>\d+)%\) above the (?P<w>\d+)-session average")
def _above(m: re.Match[str], f: Facts) -> list[str]:
    depth = f.depth
    if depth is None:
        return ["averages are printed but there is no panel"]
    figure = {a.window: a for a in (depth.above_short, depth.above_long)}.get(int(m["w"]))
    if figure is None:
        return [f"there is no {m['w']}-session average figure"]
    out = count(m["a"], figure.above, "members above") + count(m["c"], figure.counted,
                                                                  "members counted")
    return out + same(m["p"], f"{100 * num(m['a']) / max(num(m['c']), 1):.0f}",
                       "the share printed beside it")


@_rule(rf"New (?P<w>\d+)-session \(52-week\) closing highs: (?P<h>{INT}); new lows: "
       rf"(?P<l>{INT}), among the (?P<c>{INT}) constituents")
def _highs_lows(m: re.Match[str], f: Facts) -> list[str]:
    depth = f.depth
    if depth is None:
        return ["highs and lows are printed but there is no panel"]
    hl = depth.highs_lows
    return (count(m["w"], hl.window, "window") + count(m["h"], hl.highs, "new highs")
            + count(m["l"], hl.lows, "new lows") + count(m["c"], hl.counted, "counted"))


@_rule(rf"Over the past (?P<n>{INT}) sessions the A/D line \(the running total of advances "
       rf"minus declines\) (?P<way>rose|fell|was unchanged)(?: by (?P<v>{INT}))?")
def _ad_line(m: re.Match[str], f: Facts) -> list[str]:
    depth = f.depth
    if depth is None:
        return ["the A/D line is printed but there is no panel"]
    table, n = depth.advance_decline.table, int(num(m["n"]))
    net = int((table["advances"].iloc[-n:] - table["declines"].iloc[-n:]).sum())
    word = "rose" if net > 0 else "fell" if net < 0 else "was unchanged"
    out = same(m["way"], word, f"net advances over {n} sessions = {net}")
    return out + ([] if not net else count(m["v"] or "0", abs(net), "the A/D line change"))


@_rule(r"McClellan oscillator stood at (?P<v>[+\u2212]?\d+\.\d) \((?P<side>above|below|at) "
       r"zero")
def _mcclellan(m: re.Match[str], f: Facts) -> list[str]:
    depth = f.depth
    osc = depth.advance_decline.mcclellan if depth else None
    if osc is None:
        return ["an oscillator value is printed but there is none"]
    out = [] if abs(num(m["v"]) - osc) < 0.05 + 1e-9 else [f"should be {osc:+.1f}"]
    side = "above" if osc > 0 else "below" if osc < 0 else "at"
    return out + same(m["side"], side, "the oscillator's sign")
