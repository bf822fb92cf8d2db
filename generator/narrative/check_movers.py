"""Consistency rules for the headline, the movers (prose and table), results due,
and trend and rating label changes."""

from __future__ import annotations

import re

from generator import columns as C
from generator.escape import clean_text
from generator.narrative import numbers as N
from generator.narrative import wording as W
from generator.narrative.check_index import flat, index_word
from generator.narrative.check_rules import (
    DATE,
    INT,
    PCT,
    STOCK_RE,
    WORDNUM,
    Facts,
    Problem,
    Rules,
    count,
    num,
    parse_date,
    same,
)

RULES = Rules()
_rule = RULES.rule


# Headline, movers, results, labels, ratings.

@_rule(rf"^(?P<label>.+?) (?P<noun>{'|'.join(W.UP_NOUNS + W.DOWN_NOUNS)}) (?P<pct>{PCT})")
def _headline(m: re.Match[str], f: Facts) -> list[str]:
    return index_word(m["noun"], m["pct"], f)


@_rule(rf"little changed (?P<pct>{PCT}|0\.00%)[,;]")
def _headline_flat(m: re.Match[str], f: Facts) -> list[str]:
    return flat(m, f, "little changed")


@_rule(rf"(?P<n>{INT}) constituents · ")
def _header(m: re.Match[str], f: Facts) -> list[str]:
    return count(m["n"], f.sd.breadth.constituents, "constituents")


@_rule(rf"(?:index close missing; )?(?P<a>{INT}) of (?P<n>{INT}) advanced")
def _headline_missing(m: re.Match[str], f: Facts) -> list[str]:
    b = f.sd.breadth
    return count(m["a"], b.advances, "advances") + count(m["n"], b.constituents,
                                                           "constituents")


@_rule(rf"Top (?P<side>gainer|loser): {STOCK_RE} (?P<pct>{PCT})")
def _top(m: re.Match[str], f: Facts) -> list[str]:
    frame = f.sd.gainers if m["side"] == "gainer" else f.sd.losers
    if frame.empty:
        return [f"names a top {m['side']} but none moved that way"]
    top = frame.iloc[0]
    return same(m["sym"], str(top[C.SYMBOL]), f"the top {m['side']}") + same(
        m["pct"], N.signed_pct(float(top[C.RETURN_PCT])), f"{top[C.SYMBOL]}'s return") + (
        unconfirmed(m["sym"], f))


def unconfirmed(symbol: str, f: Facts) -> list[str]:
    """Return a problem when a named mover's move is flagged and not confirmed."""
    if symbol not in f.held:
        return []
    return [f"{symbol}'s move is flagged by the plausibility rules and not confirmed; it "
            "belongs under data issues, not among the movers"]


@_rule(rf"(?P<n>(?i:{WORDNUM})) flagged moves? (?:is|are) left out of the "
       r"(?:movers|mean and median)")
def _held(m: re.Match[str], f: Facts) -> list[str]:
    return count(m["n"].lower(), len(f.held), "flagged moves not confirmed")


@_rule(rf"(?P<n>{WORDNUM}) constituents? (?:have|has) a results board meeting in the next "
       rf"(?P<h>{WORDNUM}) sessions")
def _results(m: re.Match[str], f: Facts) -> list[str]:
    return (count(m["n"].lower(), len(f.sd.results), "constituents with results due")
            + count(m["h"], f.sd.results_horizon, "the results horizon"))


@_rule(rf"No constituent has a results board meeting scheduled in the next (?P<h>{WORDNUM}) "
       "sessions")
def _no_results(m: re.Match[str], f: Facts) -> list[str]:
    return count(m["h"], f.sd.results_horizon, "the results horizon") + (
        [] if f.sd.results.empty else ["results are due"])


@_rule(rf"; the (?P<n>{WORDNUM}) soonest:?$")
def _results_listed(m: re.Match[str], f: Facts) -> list[str]:
    return count(m["n"], min(len(f.sd.results), f.sd.results_cap), "results listed")


@_rule(rf"^and (?P<n>{INT}) more; the constituents file lists them all")
def _results_more(m: re.Match[str], f: Facts) -> list[str]:
    return count(m["n"], max(len(f.sd.results) - f.sd.results_cap, 0), "results not listed")


@_rule(rf"^(?P<date>{DATE.pattern}): {STOCK_RE}$")
def _result_row(m: re.Match[str], f: Facts) -> list[str]:
    rows = f.sd.results.loc[f.sd.results[C.SYMBOL] == m["sym"]]
    day = parse_date(m["date"])
    if rows.empty or day not in {d.date() for d in rows[C.MEETING_DATE]}:
        return [f"{m['sym']} has no results meeting on {day}"]
    return []


@_rule(rf"The technical trend label of (?P<n>{WORDNUM}) constituents? changed today: "
       rf"(?P<u>{INT}) upgraded, (?P<d>{INT}) downgraded")
def _trend_counts(m: re.Match[str], f: Facts) -> list[str]:
    changes = f.sd.trend_changes
    if changes is None:
        return ["label changes are printed but no labels exist"]
    up, down = int((changes["steps"] > 0).sum()), int((changes["steps"] < 0).sum())
    out = count(m["n"], len(changes), "label changes") + count(m["u"], up, "upgrades")
    out += count(m["d"], down, "downgrades")
    if num(m["u"]) + num(m["d"]) != num(m["n"]):
        out.append("the upgrades and downgrades do not add up to the changes printed")
    return out


@_rule(rf"{STOCK_RE} (?:(?P<old>[A-Z][a-z]+(?: [A-Z][a-z]+)?) \u2192 )?"
       r"(?P<new>[A-Z][a-z]+(?: [A-Z][a-z]+)?)")
def _label_change(m: re.Match[str], f: Facts) -> list[str]:
    for kind in ("trend", "rating"):
        for row in f.change(m["sym"], kind).to_dict("records"):
            old, new = row.get("from"), row.get("to")
            if str(new) == m["new"] and (m["old"] is None or str(old) == m["old"]):
                return []
    return [f"{m['sym']} has no change to {m['new']} in the data"]


@_rule(rf"and (?P<n>{INT}) more")
def _more(m: re.Match[str], f: Facts) -> list[str]:
    return []  # the bullet's total is checked by _bullet_totals on the whole sentence


@_rule(r"^(?P<group>Upgraded|Downgraded|Initiated): (?P<body>.*)$", claims=False)
def _bullet_totals(m: re.Match[str], f: Facts) -> list[str]:
    listed = len(re.findall(STOCK_RE, m["body"]))
    more = re.search(rf"; and (?P<n>{INT}) more", m["body"])
    total = listed + (int(num(more["n"])) if more else 0)
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


# The movers table.

def check_table_row(cells: list[str], f: Facts) -> list[Problem]:
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
    out = same(name, clean_text(str(row[C.NAME])), "the company name") + same(
        close, N.level(float(row[C.CLOSE])), "the close") + same(
        change, N.signed_pct(float(row[C.RETURN_PCT])), "the return") + unconfirmed(
        symbol, f)
    return [Problem(sentence, sentence, m) for m in out]
