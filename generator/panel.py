"""Each company's history across stored sessions, as wide frames (sessions x ISIN).

The per-stock metrics that need history (trend labels, deeper breadth) read these frames;
they are loaded once per render from the stored equity tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from generator import columns as C
from generator.config import Config
from generator.metrics import trend
from generator.metrics.universe import company_shares
from generator.snapshot import day_equities, equity_days
from generator.store import Store

LOOKBACK_SESSIONS = 300  # sessions of history loaded before the first day rendered


@dataclass(frozen=True)
class Panel:
    """Closes, published previous closes and volumes of company shares, by session."""

    closes: pd.DataFrame
    prev_closes: pd.DataFrame
    volumes: pd.DataFrame

    @property
    def sessions(self) -> pd.DatetimeIndex:
        """Return the sessions the panel covers."""
        return pd.DatetimeIndex(self.closes.index)


@dataclass(frozen=True)
class TrendHistory:
    """Every company's trend score and label on every session of a panel."""

    scores: pd.DataFrame
    labels: pd.DataFrame

    def changes(self, day: date) -> pd.DataFrame:
        """Return the label changes from the session before `day` to `day` (may be empty)."""
        stamp = pd.Timestamp(day)
        position = int(self.labels.index.get_indexer(pd.DatetimeIndex([stamp]))[0])
        if position <= 0:
            return trend.label_changes(pd.Series(dtype=object), pd.Series(dtype=object))
        return trend.label_changes(self.labels.iloc[position - 1], self.labels.iloc[position])

    def long(self) -> pd.DataFrame:
        """Return the history as rows of (trade_date, isin, score, label), labelled only."""
        labels = self.labels.to_numpy(dtype=object)
        rows, cols = np.nonzero(pd.notna(labels))
        out = pd.DataFrame({
            C.TRADE_DATE: self.labels.index[rows],
            C.ISIN: self.labels.columns[cols].astype(str),
            "score": self.scores.to_numpy(dtype=np.float64)[rows, cols],
            "label": labels[rows, cols],
        })
        return out.astype({C.ISIN: "string", "label": "string"})


def load_panel(store: Store, config: Config, first: date, last: date,
               lookback: int = LOOKBACK_SESSIONS) -> Panel:
    """Return the panel from `lookback` sessions before `first` up to `last`."""
    long = _shares(store, config, _sessions(store, config, first, last, lookback))
    traded = long.loc[long[C.VOLUME] > 0]
    sessions = pd.DatetimeIndex(sorted(long[C.TRADE_DATE].unique()))

    def wide(column: str) -> pd.DataFrame:
        table = traded.pivot(index=C.TRADE_DATE, columns=C.ISIN, values=column)
        return table.reindex(sessions).astype("float64")

    closes = wide(C.CLOSE)
    return Panel(closes, wide(C.PREV_CLOSE).reindex(columns=closes.columns),
                 wide(C.VOLUME).reindex(columns=closes.columns))


def recent_closes(store: Store, config: Config, first: date, last: date,
                  lookback: int) -> tuple[pd.DataFrame, dict[str, str]]:
    """Return the closes from `lookback` sessions before `first` up to `last` (sessions x
    ISIN, NaN where a company did not trade) and each symbol's ISIN, the latest winning."""
    long = _shares(store, config, _sessions(store, config, first, last, lookback))
    traded = long.loc[long[C.VOLUME] > 0]
    closes = traded.pivot(index=C.TRADE_DATE, columns=C.ISIN, values=C.CLOSE)
    closes = closes.reindex(pd.DatetimeIndex(sorted(long[C.TRADE_DATE].unique())))
    isins = dict(zip(long[C.SYMBOL].astype(str), long[C.ISIN].astype(str), strict=True))
    return closes.astype("float64"), isins


def _sessions(store: Store, config: Config, first: date, last: date,
              lookback: int) -> list[date]:
    """Return the stored sessions from `lookback` sessions before `first` up to `last`."""
    days = [d for d in equity_days(store, config.exchange) if d <= last]
    start = max(0, next((i for i, d in enumerate(days) if d >= first), len(days)) - lookback)
    return days[start:]


def _shares(store: Store, config: Config, days: list[date]) -> pd.DataFrame:
    """Return the company shares of the given sessions as one long frame."""
    rows = []
    for day in days:
        shares = company_shares(day_equities(store, config, day), sme=True,
                                exchange=config.exchange)
        rows.append(shares[[C.TRADE_DATE, C.ISIN, C.SYMBOL, C.CLOSE, C.PREV_CLOSE, C.VOLUME]])
    return pd.concat(rows, ignore_index=True)


def trend_history(panel: Panel) -> TrendHistory:
    """Return every company's trend score and label over the panel."""
    scores = trend.scores(trend.votes(panel.closes, panel.volumes))
    return TrendHistory(scores, trend.labels(scores))
