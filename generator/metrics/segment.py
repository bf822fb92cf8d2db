"""Every metric of one segment on one session, computed from a loaded market day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from generator import columns as C
from generator.config import Config, Segment
from generator.metrics.breadth import Breadth, compute_breadth
from generator.metrics.movers import ConstituentStats, constituent_stats, top_movers
from generator.metrics.results import upcoming_results
from generator.metrics.returns import IndexMove, Ranked, index_move, rank_moves
from generator.metrics.universe import adjusted_prices, company_shares, segment_members
from generator.snapshot import MarketDay, MarketHistory

WINDOW_SESSIONS = 5


@dataclass(frozen=True)
class SegmentDay:
    """The figures a segment's brief is written from."""

    day: date
    segment: Segment
    move: IndexMove | None
    ranking: tuple[Ranked, ...]
    breadth: Breadth
    stats: ConstituentStats
    gainers: pd.DataFrame
    losers: pd.DataFrame
    results: pd.DataFrame
    results_until: date
    results_horizon: int
    history: pd.DataFrame
    issues: tuple[str, ...]

    @property
    def segment_rank(self) -> int | None:
        """Return the segment's rank among the segments only (1 = best), if it has an index."""
        segs = [r for r in self.ranking if r.kind == "segment"]
        mine = next((r for r in segs if r.label == self.segment.label), None)
        if mine is None:
            return None
        return 1 + sum(1 for r in segs if r.change_pct > mine.change_pct)

    @property
    def segments_ranked(self) -> int:
        """Return how many segments have an index move today."""
        return sum(1 for r in self.ranking if r.kind == "segment")


def compute_day(config: Config, market: MarketDay, history: MarketHistory) -> list[SegmentDay]:
    """Return the metrics of every configured segment for the market day."""
    day = market.day
    moves: dict[str, IndexMove | None] = {}
    named = [(seg.label, "segment", seg.index) for seg in config.segments] + [
        (b.label, "benchmark", b.index) for b in config.benchmarks
    ]
    for label, _, index_name in named:
        moves[label] = _move(index_name, market, history)
    ranking = tuple(
        rank_moves([(label, kind, m.change_pct) for label, kind, _ in named
                    if (m := moves[label]) is not None])
    )
    shares = company_shares(market.equities)
    adjusted = (adjusted_prices(shares, market.previous) if market.previous is not None
                else shares.iloc[0:0])
    horizon = config.brief.results_horizon_sessions
    out = []
    for seg in config.segments:
        members = segment_members(
            market.constituents[seg.constituents],
            company_shares(market.equities, sme=True) if seg.sme else shares,
        )
        suspect = members[C.ISIN].isin(adjusted[C.ISIN])
        gainers, losers = top_movers(members.loc[~suspect], config.brief.top_movers)
        closes = history.closes(seg.index)
        recent = closes.loc[closes.index <= pd.Timestamp(day)].tail(config.brief.history_sessions)
        issues = list(market.issues)
        if suspect.any():
            symbols = ", ".join(sorted(members.loc[suspect, C.SYMBOL].astype(str)))
            issues.append(
                f"{int(suspect.sum())} constituent(s) have a previous close that differs from "
                f"the prior session's close (a corporate action?): {symbols}. Their returns "
                "count in breadth but are left out of the movers."
            )
        if moves[seg.label] is None:
            issues.append(f"The {seg.index} close is missing for {day}; the index move is not "
                          "reported.")
        out.append(
            SegmentDay(
                day=day,
                segment=seg,
                move=moves[seg.label],
                ranking=ranking,
                breadth=compute_breadth(members),
                stats=constituent_stats(members),
                gainers=gainers,
                losers=losers,
                results=upcoming_results(market.meetings, members, day, history.calendar,
                                         horizon),
                results_until=history.calendar.next_sessions(day, horizon)[-1],
                results_horizon=horizon,
                history=recent.rename(C.CLOSE).reset_index(),
                issues=tuple(dict.fromkeys(issues)),
            )
        )
    return out


def _move(index_name: str, market: MarketDay, history: MarketHistory) -> IndexMove | None:
    """Return an index's move on the market day, or None when the day has no close for it."""
    rows = market.indices.loc[market.indices[C.INDEX_NAME].str.casefold() == index_name.casefold()]
    if rows.empty or pd.isna(rows[C.CLOSE].iloc[0]):
        return None
    points = rows[C.POINTS_CHANGE].iloc[0]
    if pd.isna(points):
        return None
    closes = history.closes(index_name)
    return index_move(index_name, closes, float(points), market.day, history.calendar,
                      WINDOW_SESSIONS)
