"""Trend labels: properties of the score and labels, and the method on shaped series."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import columns as C
from generator.metrics import trend as T

NAN = float("nan")
VOTE = st.sampled_from([-1.0, 0.0, 1.0, NAN])
LABEL = st.sampled_from((*T.LABELS, None))
ISIN = st.text(alphabet="ABC0123", min_size=1, max_size=4).map(lambda s: f"INE{s}")
SLOW = settings(max_examples=25, deadline=None)


def _votes_frame(votes: list[float]) -> dict[str, pd.DataFrame]:
    """Return one stock's votes on one session, one rule per vote."""
    day = pd.DatetimeIndex([pd.Timestamp("2025-03-03")])
    return {f"r{k}": pd.DataFrame({"INE1": [v]}, index=day) for k, v in enumerate(votes)}


def _label(votes: list[float]) -> str | None:
    value = T.labels(T.scores(_votes_frame(votes))).iloc[0, 0]
    return None if value is None else str(value)


def _market(*series: np.ndarray, start: str = "2024-01-01") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return closes and constant volumes for stocks with the given close series."""
    index = pd.bdate_range(start, periods=len(series[0]))
    closes = pd.DataFrame({f"INE{k:09d}": s for k, s in enumerate(series)}, index=index)
    return closes, pd.DataFrame(1000.0, index=index, columns=closes.columns)


def _last_labels(closes: pd.DataFrame, volumes: pd.DataFrame) -> pd.Series:
    return T.labels(T.scores(T.votes(closes, volumes))).iloc[-1]


# --- Score and labels -------------------------------------------------------------------


@given(st.lists(st.lists(VOTE, min_size=len(T.RULES), max_size=len(T.RULES)),
                min_size=1, max_size=6))
def test_scores_are_bounded_and_need_min_votes(stocks: list[list[float]]) -> None:
    day = pd.DatetimeIndex([pd.Timestamp("2025-03-03")])
    votes = {
        rule.name: pd.DataFrame([[s[k] for s in stocks]], index=day,
                                columns=[f"INE{j}" for j in range(len(stocks))])
        for k, rule in enumerate(T.RULES)
    }
    score = T.scores(votes).iloc[0]
    for j, s in enumerate(stocks):
        present = [v for v in s if not math.isnan(v)]
        if len(present) < T.MIN_VOTES:
            assert math.isnan(score.iloc[j])
        else:
            assert -1.0 <= score.iloc[j] <= 1.0
            assert score.iloc[j] == pytest.approx(sum(present) / len(present))


@given(st.lists(VOTE, min_size=len(T.RULES), max_size=len(T.RULES)), st.data())
def test_label_is_monotone_in_the_votes(votes: list[float], data: st.DataObject) -> None:
    raisable = [k for k, v in enumerate(votes) if v in (-1.0, 0.0)]
    if not raisable:
        return
    k = data.draw(st.sampled_from(raisable))
    higher = [*votes]
    higher[k] += 1.0
    before, after = _label(votes), _label(higher)
    assert (before is None) == (after is None)
    if before is not None and after is not None:
        assert T.LABELS.index(after) >= T.LABELS.index(before)


@given(st.integers(T.MIN_VOTES, len(T.RULES)))
def test_unanimous_votes_give_the_extreme_labels(count: int) -> None:
    missing = [NAN] * (len(T.RULES) - count)
    assert _label([1.0] * count + missing) == "Bullish"
    assert _label([-1.0] * count + missing) == "Bearish"


@given(st.lists(st.sampled_from([-1.0, 0.0, 1.0]), max_size=T.MIN_VOTES - 1))
def test_too_few_votes_give_no_label(present: list[float]) -> None:
    assert _label(present + [NAN] * (len(T.RULES) - len(present))) is None


@given(st.floats(-1.0, 1.0))
def test_every_score_has_one_band_and_labels_mirror(score: float) -> None:
    holders = [band.label for band in T.THRESHOLDS if band.contains(score)]
    assert holders == [T.label_for(score)]
    mirrored = T.LABELS[len(T.LABELS) - 1 - T.LABELS.index(T.label_for(score))]
    assert T.label_for(-score) == mirrored
    frame = pd.DataFrame({"INE1": [score]}, index=pd.DatetimeIndex(["2025-03-03"]))
    assert T.labels(frame).iloc[0, 0] == T.label_for(score)


def test_thresholds_as_published() -> None:
    assert T.LABELS == ("Bearish", "Mildly Bearish", "Sideways", "Mildly Bullish", "Bullish")
    assert [b.condition for b in T.THRESHOLDS] == [
        "-1 ≤ score ≤ -0.6",
        "-0.6 < score ≤ -0.2",
        "-0.2 < score < 0.2",
        "0.2 ≤ score < 0.6",
        "0.6 ≤ score ≤ 1",
    ]
    assert [T.label_for(s) for s in (-0.6, -0.2, 0.2, 0.6)] == [
        "Bearish", "Mildly Bearish", "Mildly Bullish", "Bullish"]


def test_label_for_rejects_missing_and_out_of_range_scores() -> None:
    with pytest.raises(ValueError, match="too few votes"):
        T.label_for(NAN)
    with pytest.raises(ValueError, match=r"outside \[-1, 1\]"):
        T.label_for(1.5)


def test_rules_are_complete_for_the_methodology_page() -> None:
    names = [rule.name for rule in T.RULES]
    assert len(set(names)) == len(names)
    for rule in T.RULES:
        assert rule.timeframe in ("daily", "weekly", "monthly")
        assert rule.indicator and rule.bullish and rule.bearish
        assert rule.min_bars >= 1
    assert len(T.RULES) >= T.MIN_VOTES


@SLOW
@given(st.integers(0, 2**32 - 1))
def test_each_rules_min_bars_is_its_warm_up(seed: int) -> None:
    rng = np.random.default_rng(seed)
    closes, volumes = _market(100 * np.exp(np.cumsum(rng.normal(0, 0.02, 260))))
    for rule in T.RULES:
        vote = rule.vote(closes, volumes).iloc[:, 0]
        assert vote.iloc[: rule.min_bars - 1].isna().all(), rule.name
        assert vote.iloc[rule.min_bars - 1:].notna().all(), rule.name
        assert set(vote.dropna().unique()) <= {-1.0, 0.0, 1.0}


# --- Label changes ----------------------------------------------------------------------


@given(st.dictionaries(ISIN, st.tuples(LABEL, LABEL), max_size=12))
def test_label_changes_lists_changes_strongest_first(pairs: dict[str, tuple]) -> None:
    prev = pd.Series({isin: p[0] for isin, p in pairs.items()}, dtype=object)
    today = pd.Series({isin: p[1] for isin, p in pairs.items()}, dtype=object)
    changes = T.label_changes(prev, today)
    assert list(changes.columns) == [C.ISIN, T.FROM_LABEL, T.TO_LABEL, T.STEPS]
    expected = {isin for isin, (a, b) in pairs.items() if a and b and a != b}
    assert set(changes[C.ISIN]) == expected
    for row in changes.itertuples(index=False):
        isin, before, after, steps = row
        assert (before, after) == pairs[isin]
        assert steps == T.LABELS.index(after) - T.LABELS.index(before) != 0
    keys = [(-abs(s), i) for i, s in zip(changes[C.ISIN], changes[T.STEPS], strict=True)]
    assert keys == sorted(keys)


def test_label_changes_hand_computed() -> None:
    prev = pd.Series({"INE3": "Bearish", "INE1": "Sideways", "INE2": "Bullish",
                      "INE4": "Sideways", "INE5": None})
    today = pd.Series({"INE3": "Mildly Bullish", "INE1": "Mildly Bearish",
                       "INE2": "Mildly Bullish", "INE4": "Sideways", "INE5": "Bullish"})
    changes = T.label_changes(prev, today)
    assert changes.to_dict("records") == [
        {"isin": "INE3", "from": "Bearish", "to": "Mildly Bullish", "steps": 3},
        {"isin": "INE1", "from": "Sideways", "to": "Mildly Bearish", "steps": -1},
        {"isin": "INE2", "from": "Bullish", "to": "Mildly Bullish", "steps": -1},
    ]


def test_label_changes_rejects_unknown_labels() -> None:
    with pytest.raises(ValueError, match=r"unknown label\(s\) \['Up'\]"):
        T.label_changes(pd.Series({"INE1": "Up"}), pd.Series({"INE1": "Bullish"}))


# --- The method on shaped series --------------------------------------------------------


@SLOW
@given(
    st.floats(0.0005, 0.01), st.integers(300, 420), st.floats(1.0, 5000.0),
    st.integers(0, 30), st.booleans(),
)
def test_steady_trends_end_bullish_and_bearish(
    rate: float, sessions: int, price: float, offset: int, compound: bool
) -> None:
    t = np.arange(sessions)
    if compound:
        up, down = price * (1 + rate) ** t, price * (1 - rate) ** t
    else:
        step = min(rate, 0.8 / sessions)
        up, down = price * (1 + step * t), price * (1 - step * t)
    start = (pd.Timestamp("2023-01-02") + pd.Timedelta(days=offset)).strftime("%Y-%m-%d")
    labels = _last_labels(*_market(up, down, start=start))
    assert labels.tolist() == ["Bullish", "Bearish"]


def test_unchanged_closes_are_sideways_with_every_vote_neutral() -> None:
    closes, volumes = _market(np.full(320, 123.45))
    votes = T.votes(closes, volumes)
    assert all(v.iloc[-1, 0] == 0.0 for v in votes.values())
    assert _last_labels(closes, volumes).tolist() == ["Sideways"]


@SLOW
@given(st.integers(0, 2**32 - 1), st.floats(0.001, 0.05))
def test_flat_noisy_series_is_sideways_or_mildly_on_average(seed: int, noise: float) -> None:
    rng = np.random.default_rng(seed)
    closes, volumes = _market(*(100 * (1 + noise * rng.normal(size=320)) for _ in range(4)))
    recent = T.scores(T.votes(closes, volumes)).iloc[-60:]
    for col in recent:
        assert T.label_for(float(recent[col].mean())) in T.LABELS[1:4]
        assert (recent[col].abs() >= 0.6).mean() < 0.5


# --- Timing and gaps --------------------------------------------------------------------


@SLOW
@given(st.integers(0, 2**32 - 1), st.integers(200, 299))
def test_votes_on_a_day_use_only_data_up_to_that_day(seed: int, day: int) -> None:
    rng = np.random.default_rng(seed)
    closes, volumes = _market(*(100 * np.exp(np.cumsum(rng.normal(0, 0.02, 300)))
                                for _ in range(3)))
    closes.iloc[rng.integers(0, 300, 20), 1] = NAN
    full = T.votes(closes, volumes)
    cut = T.votes(closes.iloc[: day + 1], volumes.iloc[: day + 1])
    for name in full:
        pd.testing.assert_series_equal(cut[name].iloc[-1], full[name].iloc[day], rtol=1e-9)


def test_weekly_rules_read_completed_weeks_only() -> None:
    rng = np.random.default_rng(5)
    closes, volumes = _market(100 * np.exp(np.cumsum(rng.normal(0, 0.03, 330))))
    votes = T.votes(closes, volumes)
    weekly = [r.name for r in T.RULES if r.timeframe == "weekly"]
    for name in weekly:
        vote = votes[name].iloc[:, 0].dropna()
        changed = vote.index[1:][vote.to_numpy()[1:] != vote.to_numpy()[:-1]]
        assert changed.size > 0
        assert all(d.day_of_week == 4 for d in changed), name


def test_a_stock_that_did_not_trade_today_has_no_label() -> None:
    rng = np.random.default_rng(9)
    closes, volumes = _market(*(100 * np.exp(np.cumsum(rng.normal(0.001, 0.01, 320)))
                                for _ in range(2)))
    closes.iloc[-1, 1] = NAN
    labels = _last_labels(closes, volumes)
    assert labels.iloc[0] in T.LABELS
    assert labels.iloc[1] is None
    votes = T.votes(closes, volumes)
    daily = [r.name for r in T.RULES if r.timeframe == "daily"]
    assert all(math.isnan(votes[name].iloc[-1, 1]) for name in daily)


def test_a_young_stock_has_no_label_until_it_has_enough_votes() -> None:
    rng = np.random.default_rng(4)
    young = 100 * np.exp(np.cumsum(rng.normal(0.002, 0.01, 320)))
    young[:280] = NAN  # listed 40 sessions ago: MACD, RSI, Bollinger and OBV only
    closes, volumes = _market(young)
    counts = pd.DataFrame({k: v.iloc[:, 0] for k, v in T.votes(closes, volumes).items()})
    assert counts.iloc[-1].notna().sum() == 4 < T.MIN_VOTES
    assert _last_labels(closes, volumes).iloc[0] is None


def test_votes_reject_misaligned_volumes() -> None:
    closes, volumes = _market(np.full(30, 10.0))
    with pytest.raises(ValueError, match="same dates and ISINs"):
        T.votes(closes, volumes.iloc[1:])


def test_an_empty_universe_gives_empty_frames() -> None:
    index = pd.bdate_range("2024-01-01", periods=60)
    closes = pd.DataFrame(index=index, columns=pd.Index([], dtype=str), dtype=float)
    votes = T.votes(closes, closes)
    assert set(votes) == {rule.name for rule in T.RULES}
    assert T.labels(T.scores(votes)).shape == (60, 0)
    assert T.label_changes(pd.Series(dtype=object), pd.Series(dtype=object)).empty
