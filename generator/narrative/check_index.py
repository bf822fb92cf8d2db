"""Consistency rules for the index: its move, rank and benchmarks, its five-session
return, and its runs and records re-derived from its closes."""

from __future__ import annotations

import math
import re

import pandas as pd

from generator.metrics.context import MONTH_SESSIONS
from generator.narrative import numbers as N
from generator.narrative import wording as W
from generator.narrative.check_rules import (
    DATE,
    INT,
    PCT,
    WORDNUM,
    Facts,
    Rules,
    count,
    direction,
    num,
    parse_date,
    same,
)

RULES = Rules()
_rule = RULES.rule


# Index move, rank and benchmarks.

@_rule(rf"(?P<verb>\w+)(?P<sharp> sharply)? (?P<pct>{PCT}) to (?P<close>[\d,]+\.\d\d)")
def _index_move(m: re.Match[str], f: Facts) -> list[str]:
    move = f.sd.move
    if move is None:
        return ["an index move is printed but the index has none today"]
    out = direction(m["verb"], move.change_pct, "the index return")
    out += same(m["pct"], N.abs_pct(move.change_pct), "the index return")
    out += same(m["close"], N.level(move.close), "the index close")
    if bool(m["sharp"]) != W.is_sharp(move.change_pct):
        out.append(f"'sharply' is for moves of {W.SHARP_PCT}% or more")
    return out


@_rule(rf"was little changed \((?P<pct>{PCT}|0\.00%)\) to (?P<close>[\d,]+\.\d\d)")
def _index_flat(m: re.Match[str], f: Facts) -> list[str]:
    out = flat(m, f, "little changed")
    if f.sd.move is None:
        return out
    return out + same(m["close"], N.level(f.sd.move.close), "the index close")


def flat(m: re.Match[str], f: Facts, words: str) -> list[str]:
    """Check a little-changed move: inside the band, and its signed figure."""
    move = f.sd.move
    if move is None or W.direction(move.change_pct) != "flat":
        return [f"'{words}' is for moves inside the little-changed band"]
    return same(m["pct"], N.signed_pct(move.change_pct), "the index return")


@_rule(rf"from the constituents: (?P<a>{INT}) up, (?P<d>{INT}) down, breadth (?P<word>\w+)")
def _conclusion_no_index(m: re.Match[str], f: Facts) -> list[str]:
    return breadth_counts(m, f)


def breadth_counts(m: re.Match[str], f: Facts) -> list[str]:
    """Check a breadth word and the "N up, M down" beside it."""
    b = f.sd.breadth
    return (same(m["word"], W.breadth_word(b.advances, b.declines), "the breadth word")
            + count(m["a"], b.advances, "advances") + count(m["d"], b.declines, "declines"))


@_rule(r"the (?P<ord>[\w-]+) of the (?P<n>\w+) segments today")
def _rank(m: re.Match[str], f: Facts) -> list[str]:
    return _rank_check(f, m["ord"], m["n"])


@_rule(r"(?P<ord>best|weakest) of (?P<n>\w+) segments")
def _rank_headline(m: re.Match[str], f: Facts) -> list[str]:
    return _rank_check(f, m["ord"], m["n"])


def _rank_check(f: Facts, word: str, n: str) -> list[str]:
    segs = [r for r in f.sd.ranking if r.kind == "segment"]
    mine = next((r.change_pct for r in segs if r.label == f.sd.segment.label), None)
    if mine is None:
        return ["a rank is printed but the segment has no move"]
    rank = 1 + sum(1 for r in segs if r.change_pct > mine)
    out = count(n, len(segs), "segments with a move today")
    expected = W.ordinal(rank) if word != "weakest" else "weakest"
    if word == "weakest" and rank != len(segs):
        return [*out, f"is a false superlative: the segment ranked {rank} of {len(segs)}"]
    if word != "weakest" and word != expected:
        return [*out, f"should be {expected!r}: the segment ranked {rank} of {len(segs)}"]
    return out


@_rule(r"(?P<side>ahead of|behind|level with) (?P<list>(?:the [^()]+? \([^)]*\)"
       r"(?:, | and )?)+)")
def _benchmarks(m: re.Match[str], f: Facts) -> list[str]:
    move = f.sd.move
    if move is None:
        return ["benchmarks are compared but the index has no move"]
    out = []
    moves = {r.label: r.change_pct for r in f.sd.ranking if r.kind == "benchmark"}
    for label, pct in re.findall(rf"the (.+?) \(({PCT}|0\.00%)\)", m["list"]):
        if label not in moves:
            out.append(f"names {label!r}, which is not a benchmark")
            continue
        out += same(pct, N.signed_pct(moves[label]), f"the {label} return")
        theirs, mine = round(moves[label], 2), round(move.change_pct, 2)
        holds = {"ahead of": theirs < mine, "behind": theirs > mine,
                 "level with": theirs == mine}[m["side"]]
        if not holds:
            out.append(f"says {m['side']} the {label} but the returns are {mine:+.2f}% "
                       f"and {theirs:+.2f}%")
    return out


@_rule(rf"Over five sessions the index is (?P<word>up|down|unchanged)(?: (?P<pct>{PCT}))?")
def _window(m: re.Match[str], f: Facts) -> list[str]:
    move = f.sd.move
    if move is None or move.window_pct is None:
        return ["a five-session return is printed but there is none"]
    if m["word"] == "unchanged":
        return [] if move.window_pct == 0 else ["the five-session return is not zero"]
    return direction(m["word"], move.window_pct, "the five-session return") + same(
        m["pct"] or "", N.abs_pct(move.window_pct), "the five-session return")


@_rule(rf"Five-session return: (?P<pct>{PCT}|0\.00%)")
def _window_short(m: re.Match[str], f: Facts) -> list[str]:
    move = f.sd.move
    if move is None or move.window_pct is None:
        return ["a five-session return is printed but there is none"]
    return same(m["pct"], N.signed_pct(move.window_pct), "the five-session return")


@_rule(rf"Only (?P<n>{INT}) earlier sessions? (?:are|is) on record, so the multi-session "
       rf"figure covers (?P<w>\w+) sessions? instead of five: (?P<pct>{PCT}|0\.00%)")
def _window_partial(m: re.Match[str], f: Facts) -> list[str]:
    move = f.sd.move
    if move is None or move.window_pct is None:
        return ["a multi-session return is printed but there is none"]
    return (count(m["n"], move.window_sessions, "earlier sessions on record")
            + count(m["w"], move.window_sessions, "sessions covered")
            + same(m["pct"], N.signed_pct(move.window_pct), "the multi-session return"))

def index_word(verb: str, pct: str, f: Facts) -> list[str]:
    """Check a direction word and the index return printed beside it."""
    move = f.sd.move
    if move is None:
        return ["an index move is printed but the index has none today"]
    return direction(verb, move.change_pct, "the index return") + same(
        pct, N.abs_pct(move.change_pct), "the index return")


# The index against its own history, re-derived from its closes.

@_rule(rf"It has (?P<verb>risen|fallen) for (?P<n>{WORDNUM}) sessions in a row, "
       rf"(?P<pct>{PCT}) since the close of (?P<date>{DATE.pattern})")
def _streak(m: re.Match[str], f: Facts) -> list[str]:
    closes, dates = f.closes, list(f.sd.context.closes.index) if f.sd.context else []
    n = int(num(m["n"]))
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
    out = same(m["pct"], N.signed_pct((closes[-1] / closes[-n - 1] - 1) * 100),
                "the run's return")
    if parse_date(m["date"]) != pd.Timestamp(dates[-n - 1]).date():
        out.append(f"the run starts after {pd.Timestamp(dates[-n - 1]).date()}")
    return out


@_rule(rf"Over the past (?P<n>{INT}) sessions \(about one month\) the index has returned "
       rf"(?P<pct>{PCT}|0\.00%)")
def _month(m: re.Match[str], f: Facts) -> list[str]:
    closes, n = f.closes, int(num(m["n"]))
    if n != MONTH_SESSIONS or len(closes) <= n:
        return [f"a {n}-session return needs {n + 1} closes"]
    return same(m["pct"], N.signed_pct((closes[-1] / closes[-1 - n] - 1) * 100),
                 "the one-month return")


@_rule(rf"(?:Its close|It) was the (?P<word>highest|lowest|weakest|strongest) "
       rf"(?P<what>breadth )?(?:in (?P<n>{INT}) sessions|of the (?P<all>{INT}) sessions on "
       r"record)")
def _record(m: re.Match[str], f: Facts) -> list[str]:
    series = f.ratios if m["what"] else f.closes
    high = m["word"] in ("highest", "strongest")
    claimed = int(num(m["n"] or m["all"]))
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
