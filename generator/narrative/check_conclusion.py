"""Consistency rules for the divergence paragraph and the conclusion: the
equal-weighted return against the index, and whether the move was narrow or broad."""

from __future__ import annotations

import re

from generator import columns as C
from generator.narrative import numbers as N
from generator.narrative import wording as W
from generator.narrative.check_index import breadth_counts, flat, index_word
from generator.narrative.check_rules import (
    INT,
    PCT,
    Facts,
    Rules,
    count,
    direction,
    same,
)

RULES = Rules()
_rule = RULES.rule


# Divergence and the conclusion.

@_rule(rf"returned (?P<mean>{PCT}|0\.00%), the median (?P<median>{PCT}|0\.00%)"
       rf"(?:, against (?P<index>{PCT}|0\.00%) for the index(?:: the average stock "
       r"(?P<word>outpaced|lagged) the index by (?P<gap>\d+\.\d\d) percentage points)?)?")
def _equal_weight(m: re.Match[str], f: Facts) -> list[str]:
    stats, move = f.sd.stats, f.sd.move
    if stats.mean_pct is None or stats.median_pct is None:
        return ["an equal-weighted return is printed but none traded"]
    out = same(m["mean"], N.signed_pct(stats.mean_pct), "the equal-weighted mean") + same(
        m["median"], N.signed_pct(stats.median_pct), "the median return")
    if f.sd.members is not None:
        members = f.sd.members
        kept = members.loc[~members[C.SYMBOL].astype(str).isin(f.held), C.RETURN_PCT].dropna()
        if len(kept):
            out += same(m["mean"], N.signed_pct(float(kept.mean())),
                         "the mean of the traded constituents without unconfirmed flagged "
                         "moves")
    if m["index"]:
        if move is None:
            return [*out, "an index return is printed but there is none"]
        out += same(m["index"], N.signed_pct(move.change_pct), "the index return")
        gap = stats.mean_pct - move.change_pct
        if m["word"]:
            out += direction(m["word"], gap, "the mean minus the index return")
            out += same(m["gap"], f"{abs(gap):.2f}", "the gap in percentage points")
        elif abs(gap) >= W.DIVERGENCE_PP:
            out.append(f"leaves out a gap of {gap:+.2f} pp, which the rules say to state")
    return out


@_rule(rf"The move was narrow: the index (?P<verb>\w+) (?P<pct>{PCT})")
def _narrow(m: re.Match[str], f: Facts) -> list[str]:
    return check_shape(f, "narrow") + index_word(m["verb"], m["pct"], f)


@_rule(r"The move was broad")
def _broad(m: re.Match[str], f: Facts) -> list[str]:
    return check_shape(f, "broad")


@_rule(rf"The (?P<index>[^.]+?) (?P<verb>{'|'.join(W.UP_VERBS + W.DOWN_VERBS)}) "
       rf"(?P<pct>{PCT})(?P<rest>.*?\((?P<a>{INT}) up, (?P<d>{INT}) down\): a "
       r"(?P<shape>narrow|broad) move)?")
def _conclusion(m: re.Match[str], f: Facts) -> list[str]:
    out = index_word(m["verb"], m["pct"], f)
    if m["rest"]:
        b = f.sd.breadth
        out += count(m["a"], b.advances, "advances") + count(m["d"], b.declines, "declines")
        out += check_shape(f, m["shape"])
    return out


@_rule(rf"(?:was|were) (?P<word>weak|mixed|strong|none) \((?P<a>{INT}) up, (?P<d>{INT}) down\)")
def _conclusion_mixed(m: re.Match[str], f: Facts) -> list[str]:
    return breadth_counts(m, f)


@_rule(rf"barely moved (?P<pct>{PCT}|0\.00%)")
def _barely(m: re.Match[str], f: Facts) -> list[str]:
    return flat(m, f, "barely moved")


def check_shape(f: Facts, shape: str) -> list[str]:
    """Return a problem unless the printed participation shape (narrow, broad, ...) is the
    one the index move, the equal-weighted mean and breadth give."""
    move, b = f.sd.move, f.sd.breadth
    actual = W.participation(move.change_pct if move else None, f.sd.stats.mean_pct,
                             b.advances, b.declines)
    return [] if actual == shape else [f"calls the move {shape} but by the rules it is "
                                       f"{actual or 'neither narrow nor broad'}"]
