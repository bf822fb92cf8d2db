"""Write a segment's brief as Markdown from its metrics and the Jinja2 templates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

import jinja2
import pandas as pd

from generator import columns as C
from generator.escape import escape_md, escape_meta, escape_yaml
from generator.links import stock_slug
from generator.metrics.plausibility import published_rules
from generator.metrics.segment import WINDOW_SESSIONS, SegmentDay
from generator.narrative import history as H
from generator.narrative import numbers as N
from generator.narrative import wording as W
from generator.narrative.implications import implications
from generator.narrative.notes import correction_note
from generator.store import StoredFile

if TYPE_CHECKING:
    from generator.corrections import Correction

IMPLICATIONS_LEADS = (
    "Conditions the figures show (a reading of the data, not advice):",
    "What the data shows, stated as conditions (not advice):",
    "The figures point to these conditions (not advice):",
)


@cache
def environment() -> jinja2.Environment:
    """Return the Jinja2 environment with the brief filters."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator.narrative", "templates"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters.update(
        md=escape_md,
        yaml=escape_yaml,
        meta=escape_meta,
        signed_pct=N.signed_pct,
        abs_pct=N.abs_pct,
        abs_pp=lambda v: f"{abs(v):.2f} percentage points",
        level=N.level,
        ratio=N.ratio,
        count=N.count,
        count_word=W.count_word,
        ordinal=W.ordinal,
        long_date=N.long_date,
        short_date=lambda d: N.short_date(d.date() if isinstance(d, pd.Timestamp) else d),
    )
    env.globals["plausibility"] = published_rules()
    return env


def headline(sd: SegmentDay) -> str:
    """Return the brief's headline: the move, its rank and the breadth in one line."""
    label = sd.segment.label
    b = sd.breadth
    word = W.breadth_word(b.advances, b.declines)
    breadth = f"breadth {word}" + (f" (A/D {N.ratio(b.ad_ratio)})" if b.ad_ratio else "")
    if sd.move is None:
        return f"{label}: index close missing; {b.advances} of {b.constituents} advanced"
    move = sd.move.change_pct
    d = W.direction(move)
    nouns = W.UP_NOUNS if d == "up" else W.DOWN_NOUNS
    verb = "little changed" if d == "flat" else W.pick(nouns, "headline", sd.day,
                                                         sd.segment.key)
    figure = N.signed_pct(move) if verb == "little changed" else N.abs_pct(move)
    rank = sd.segment_rank
    place = ""
    if rank == 1 and sd.segments_ranked > 1:
        place = f", best of {W.count_word(sd.segments_ranked)} segments"
    elif rank == sd.segments_ranked and sd.segments_ranked > 1:
        place = f", weakest of {W.count_word(sd.segments_ranked)} segments"
    return f"{label} {verb} {figure}{place}; {breadth}"


def benchmark_sentence(sd: SegmentDay) -> str:
    """Return how the segment's index did against each benchmark today."""
    if sd.move is None:
        return ""
    mine = sd.move.change_pct
    ahead, behind, level = [], [], []
    for entry in sd.ranking:
        if entry.kind != "benchmark":
            continue
        text = f"the {escape_md(entry.label)} ({N.signed_pct(entry.change_pct)})"
        if round(entry.change_pct, 2) < round(mine, 2):
            ahead.append(text)
        elif round(entry.change_pct, 2) > round(mine, 2):
            behind.append(text)
        else:
            level.append(text)
    parts = []
    if ahead:
        parts.append("ahead of " + _join(ahead))
    if behind:
        parts.append("behind " + _join(behind))
    if level:
        parts.append("level with " + _join(level))
    return f"It finished {', and '.join(parts)}." if parts else ""


def conclusion(sd: SegmentDay) -> str:
    """Return a short factual summary that restates the day's main figures."""
    b = sd.breadth
    counts = f"{N.count(b.advances)} up, {N.count(b.declines)} down"
    word = W.breadth_word(b.advances, b.declines)
    if sd.move is None:
        return (f"Without an index close, the day is read from the constituents: {counts}, "
                f"breadth {word}.")
    move = sd.move.change_pct
    d = W.direction(move)
    verb = "barely moved" if d == "flat" else W.index_verb(move, "end", sd.day, sd.segment.key)
    size = N.abs_pct(move) if d != "flat" else N.signed_pct(move)
    text = f"The {escape_md(sd.segment.index)} {verb} {size}"
    shape = W.participation(move, sd.stats.mean_pct, b.advances, b.declines)
    if shape == "narrow":
        text += f", but the typical constituent did not follow ({counts}): a narrow move."
    elif shape == "broad":
        text += f" with breadth behind it ({counts}): a broad move."
    else:
        text += f"; breadth was {word} ({counts})."
    if sd.move.window_pct is not None and sd.move.window_sessions == WINDOW_SESSIONS:
        text += f" Five-session return: {N.signed_pct(sd.move.window_pct)}."
    return text


def render_brief(
    sd: SegmentDay,
    charts: Mapping[str, str],
    sources: Sequence[StoredFile],
    methodology_link: str,
    feed_link: str = "",
    corrections: Sequence[Correction] = (),
) -> str:
    """Return the brief's Markdown page, front matter included.

    The page links its data files (the day's `constituents.csv.zip`, `<segment>.json` beside
    it) and, when given, the segment's feed; correction notes come first, newest first.
    """
    b = sd.breadth
    gap = None
    gap_word = ""
    if sd.move is not None and sd.stats.mean_pct is not None:
        gap = sd.stats.mean_pct - sd.move.change_pct
        if abs(gap) >= W.DIVERGENCE_PP:
            gap_word = "outpaced" if gap > 0 else "lagged"
    context: dict[str, Any] = {
        "title": f"{sd.segment.label}, {N.short_date(sd.day)}",
        "headline": headline(sd),
        "day": sd.day,
        "seg": sd.segment,
        "move": sd.move,
        "dir": W.direction(sd.move.change_pct) if sd.move else None,
        "verb": W.index_verb(sd.move.change_pct, "index", sd.day, sd.segment.key)
        if sd.move else "",
        "index_history": H.index_history(sd),
        "breadth_history": H.breadth_history(sd),
        "depth": H.depth(sd),
        "implications": implications(sd),
        "implications_lead": W.pick(IMPLICATIONS_LEADS, "implies", sd.day, sd.segment.key),
        "sharp": bool(sd.move and W.is_sharp(sd.move.change_pct)),
        "seg_rank": sd.segment_rank if sd.segments_ranked > 1 else None,
        "segments_ranked": sd.segments_ranked,
        "benchmarks": any(r.kind == "benchmark" for r in sd.ranking),
        "benchmark_sentence": benchmark_sentence(sd),
        "window": WINDOW_SESSIONS,
        "breadth": b,
        "breadth_word": W.breadth_word(b.advances, b.declines),
        "participation": W.participation(
            sd.move.change_pct if sd.move else None, sd.stats.mean_pct, b.advances,
            b.declines),
        "stats": sd.stats,
        "gap": gap,
        "gap_word": gap_word,
        "gainers": _records(sd.gainers),
        "losers": _records(sd.losers),
        "results": _records(sd.results.head(sd.results_cap)),
        "results_total": len(sd.results),
        "results_until": sd.results_until,
        "horizon": sd.results_horizon,
        "trend": _trend(sd),
        "ratings": _ratings(sd),
        "conclusion": conclusion(sd),
        "issues": [*sd.issues, *(W.flagged_move(f) for f in sd.flags)],
        "held": sum(1 for f in sd.flags if not f.confirmed),
        "charts": _Charts(charts),
        "sources": [
            {"name": s.name, "source": "demo market" if s.source == "demo" else s.source,
             "sha256": s.sha256}
            for s in sources
        ],
        "methodology_link": methodology_link,
        "feed_link": feed_link,
        "notes": [correction_note(c) for c in reversed(corrections)],
    }
    context["stocks"] = _named_stocks(context)
    return environment().get_template("brief.md.j2").render(context)


def _named_stocks(context: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Return (symbol, page slug) of every stock the brief names, in the order it names them."""
    return [(symbol, stock_slug(symbol)) for symbol in _named(context)]


def _named(context: Mapping[str, Any]) -> list[str]:
    rows = [*context["gainers"], *context["losers"]]
    if trend := context["trend"]:
        rows += [*trend["up"], *trend["down"]]
    if ratings := context["ratings"]:
        rows += [row for provider in ratings["providers"]
                 for _, group, _ in provider["groups"] for row in group]
    rows += context["results"]
    return list(dict.fromkeys(str(row[C.SYMBOL]) for row in rows))


def named_symbols(sd: SegmentDay) -> list[str]:
    """Return every symbol the brief's text names, in the order it names them: movers,
    the listed trend-label and rating changes (not those behind "and N more"), results."""
    return _named({"gainers": _records(sd.gainers), "losers": _records(sd.losers),
                   "trend": _trend(sd), "ratings": _ratings(sd),
                   "results": _records(sd.results.head(sd.results_cap))})


def _trend(sd: SegmentDay) -> dict[str, Any] | None:
    """Return the trend-label section's figures, or None when the section is left out."""
    changes = sd.trend_changes
    if changes is None or changes.empty:
        return None
    up = changes.loc[changes["steps"] > 0]
    down = changes.loc[changes["steps"] < 0]
    cap = sd.trend_cap
    return {"count": len(changes), "up": _records(up.head(cap)), "down": _records(down.head(cap)),
            "up_total": len(up), "down_total": len(down)}


def _ratings(sd: SegmentDay) -> dict[str, Any] | None:
    """Return the rating-change section's figures by provider, or None to leave it out."""
    changes = sd.rating_changes
    if changes is None or changes.empty:
        return None
    cap = sd.trend_cap
    providers = []
    for provider, rows in changes.groupby("provider", sort=True):
        up = rows.loc[rows["steps"] > 0]
        down = rows.loc[rows["steps"] < 0]
        new = rows.loc[rows["initiated"]]
        providers.append({
            "name": provider,
            "groups": [(title, _records(part.head(cap)), len(part))
                       for title, part in (("Upgraded", up), ("Downgraded", down),
                                           ("Initiated", new)) if len(part)],
        })
    return {"providers": providers}


class _Charts(dict[str, str]):
    """Chart embeds by kind; a missing chart renders as nothing."""

    def __getattr__(self, name: str) -> str:
        return self.get(name, "")


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    rows = [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]
    for row in rows:
        if C.MEETING_DATE in row:
            row[C.MEETING_DATE] = row[C.MEETING_DATE].date()
    return rows


def _join(items: Sequence[str]) -> str:
    """Join phrases as "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
