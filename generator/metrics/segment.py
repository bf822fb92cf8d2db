"""Every metric of one segment on one session, computed from a loaded market day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from generator import columns as C
from generator.config import Config, Segment
from generator.metrics import context as ctx
from generator.metrics.breadth import Breadth, compute_breadth
from generator.metrics.breadth_depth import BreadthDepth, compute_breadth_depth
from generator.metrics.movers import ConstituentStats, constituent_stats, top_movers
from generator.metrics.plausibility import FlaggedMove, flag_moves, unconfirmed
from generator.metrics.results import upcoming_results
from generator.metrics.returns import IndexMove, Ranked, index_move, rank_moves
from generator.metrics.universe import adjusted_prices, company_shares, segment_members
from generator.panel import Panel
from generator.snapshot import MarketDay, MarketHistory
from generator.sources import ratings

WINDOW_SESSIONS = 5
# Sessions of daily advances and declines behind the A/D line, McClellan and the A/D
# percentile. Fixed, so a day's figures do not depend on how much history was loaded.
AD_SESSIONS = ctx.PERCENTILE_SESSIONS
# Sessions of closes kept for the price charts of the stocks a brief names (about a month).
PRICE_SESSIONS = 22


@dataclass(frozen=True, eq=False)
class SegmentContext:
    """The segment's day against its own history.

    `depth` and `breadth` need every member's history (a panel); they are None without
    one. `closes` is the segment index's close series up to the day, which the streak,
    the one-month return and the records are read from (and a checker can re-read).
    """

    closes: pd.Series
    depth: BreadthDepth | None = None
    breadth: ctx.BreadthContext | None = None
    streak: ctx.Streak | None = None
    month: ctx.PeriodReturn | None = None
    records: ctx.CloseRecords | None = None


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
    trend_changes: pd.DataFrame | None = None  # symbol, name, from, to, steps; None: no labels
    trend_cap: int = 5  # changes listed per direction
    results_cap: int = 10  # results meetings listed, soonest first
    rating_changes: pd.DataFrame | None = None  # None: no ratings feed stored
    context: SegmentContext | None = None
    # Every constituent's row for the day (isin, symbol, name, industry, series, close,
    # prev_close, volume, traded, return_pct; return NaN when it did not trade).
    members: pd.DataFrame | None = None
    # Closes of the named movers (gainers, then losers) over the last PRICE_SESSIONS
    # sessions up to the day: sessions x symbol, NaN where a stock did not trade. None
    # without a panel.
    prices: pd.DataFrame | None = None
    # Moves the plausibility rules flag, by symbol: unconfirmed ones count in breadth but
    # are left out of the movers and of `stats` (see `metrics.plausibility`).
    flags: tuple[FlaggedMove, ...] = ()

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


def compute_day(config: Config, market: MarketDay, history: MarketHistory,
                changes: pd.DataFrame | None = None,
                feed: pd.DataFrame | None = None,
                panel: Panel | None = None) -> list[SegmentDay]:
    """Return the metrics of every configured segment for the market day.

    `changes` are the day's trend-label changes of every company (isin, from, to, steps),
    or None when no labels were computed; `feed` is the stored ratings history (ratings
    after the day are not read), or None when no ratings feed is stored; `panel` holds
    every company's closes up to at least the day, or None to leave out the figures that
    need them (averages, 52-week highs and lows, A/D line and its context).
    """
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
    exchange = config.exchange
    shares = company_shares(market.equities, exchange=exchange)
    adjusted = (adjusted_prices(shares, market.previous, exchange)
                if market.previous is not None else shares.iloc[0:0])
    horizon = config.brief.results_horizon_sessions
    out = []
    for seg in config.segments:
        members = segment_members(
            market.constituents[seg.members_key],
            company_shares(market.equities, sme=True, exchange=exchange) if seg.sme else shares,
        )
        suspect = members[C.ISIN].isin(adjusted[C.ISIN])
        flags = flag_moves(members, day, config.checks.confirmed_moves)
        held = unconfirmed(members, flags)
        gainers, losers = top_movers(members.loc[~(suspect | held)], config.brief.top_movers)
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
            issues.append(_missing_move(seg.index, market, history))
        out.append(
            SegmentDay(
                day=day,
                segment=seg,
                move=moves[seg.label],
                ranking=ranking,
                breadth=compute_breadth(members),
                stats=constituent_stats(members, leave_out=held),
                gainers=gainers,
                losers=losers,
                results=upcoming_results(market.meetings, members, day, history.calendar,
                                         horizon),
                results_until=history.calendar.next_sessions(day, horizon)[-1],
                results_horizon=horizon,
                history=recent.rename(C.CLOSE).reset_index(),
                issues=tuple(dict.fromkeys(issues)),
                trend_changes=None if changes is None else _member_changes(changes, members),
                trend_cap=config.brief.trend_changes,
                results_cap=config.brief.results_listed,
                rating_changes=(None if feed is None
                                else ratings.rating_changes(feed, day, members)),
                context=segment_context(_on_sessions(closes, history, day), day,
                                        members[C.ISIN], panel),
                members=members.reset_index(drop=True),
                prices=named_prices(members, [gainers, losers], day, panel),
                flags=flags,
            )
        )
    return out


def segment_context(closes: pd.Series, day: date, members: pd.Series,
                    panel: Panel | None) -> SegmentContext:
    """Return the segment's history figures on `day` (see `SegmentContext`).

    `closes` are the segment index's closes up to `day`, one per trading session.
    """
    on_day = pd.Timestamp(day) in closes.index and not pd.isna(closes.iloc[-1])
    depth = breadth = None
    if panel is not None and pd.Timestamp(day) in panel.closes.index:
        depth = compute_breadth_depth(panel.closes, panel.prev_closes, members.astype(str),
                                      closes, day, AD_SESSIONS)
        table = depth.advance_decline.table
        breadth = ctx.breadth_context(table["advances"], table["declines"], day)
    return SegmentContext(
        closes=closes,
        depth=depth,
        breadth=breadth,
        streak=ctx.streak(closes, day) if on_day else None,
        month=ctx.period_return(closes, day) if on_day else None,
        records=ctx.close_records(closes, day) if on_day else None,
    )


def named_prices(members: pd.DataFrame, named: list[pd.DataFrame], day: date,
                 panel: Panel | None) -> pd.DataFrame | None:
    """Return the closes of the named stocks over the last PRICE_SESSIONS sessions to `day`.

    Columns are symbols in the order named (duplicates once); None without a panel or
    when the panel does not reach the day.
    """
    if panel is None or pd.Timestamp(day) not in panel.closes.index:
        return None
    symbols = list(dict.fromkeys(s for frame in named for s in frame[C.SYMBOL].astype(str)))
    by_symbol = dict(zip(members[C.SYMBOL].astype(str), members[C.ISIN].astype(str),
                         strict=True))
    isins = [by_symbol[s] for s in symbols]
    recent = panel.closes.loc[panel.closes.index <= pd.Timestamp(day)].tail(PRICE_SESSIONS)
    table = recent.reindex(columns=isins)
    table.columns = pd.Index(symbols, name=C.SYMBOL)
    table.index.name = C.TRADE_DATE
    return table


def _on_sessions(closes: pd.Series, history: MarketHistory, day: date) -> pd.Series:
    """Return the closes up to `day` on every trading session since the first (NaN: none).

    A session without a close is kept as NaN, so "N sessions" counts trading sessions and
    a run or a record never reaches across a session whose close is unknown.
    """
    known = closes.loc[closes.index <= pd.Timestamp(day)]
    if known.empty:
        return known
    sessions = history.calendar.sessions(known.index[0].date(), day)
    return known.reindex(pd.DatetimeIndex([pd.Timestamp(d) for d in sessions]))


def _member_changes(changes: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """Return the label changes of the segment's members, with symbol and name, in order."""
    names = members[[C.ISIN, C.SYMBOL, C.NAME]]
    return changes.merge(names, on=C.ISIN, how="inner", sort=False).reset_index(drop=True)


def _missing_move(index_name: str, market: MarketDay, history: MarketHistory) -> str:
    """Return why an index's move cannot be reported for the market day."""
    if _close_row(index_name, market).empty:
        return (f"The {index_name} close is missing for {market.day}; the index move is not "
                "reported.")
    prior = history.calendar.previous_session(market.day)
    return (f"The {index_name} close of the previous session ({prior}) is not stored, so its "
            "move is not reported; pull that session to complete the series.")


def _close_row(index_name: str, market: MarketDay) -> pd.DataFrame:
    """Return the market day's row of an index with a close (empty if it has none)."""
    rows = market.indices.loc[market.indices[C.INDEX_NAME].str.casefold() == index_name.casefold()]
    return rows.loc[rows[C.CLOSE].notna()]


def _move(index_name: str, market: MarketDay, history: MarketHistory) -> IndexMove | None:
    """Return an index's move on the market day, or None when it cannot be computed.

    The points change is the exchange's where the file has one (NSE); BSE's index history
    has none, so the previous session's stored close is used, and without that close
    there is no move.
    """
    rows = _close_row(index_name, market)
    if rows.empty:
        return None
    closes = history.closes(index_name)
    points = rows[C.POINTS_CHANGE].iloc[0]
    if pd.isna(points):
        prior = pd.Timestamp(history.calendar.previous_session(market.day))
        if prior not in closes.index:
            return None
        points = float(rows[C.CLOSE].iloc[0]) - float(closes.loc[prior])
    return index_move(index_name, closes, float(points), market.day, history.calendar,
                      WINDOW_SESSIONS)
