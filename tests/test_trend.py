"""Trend labels: properties of the score and labels, and the method on shaped series."""

from __future__ import annotations

import math
from fractions import Fraction

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


def _grid_votes(grid: list[list[list[float]]]) -> dict[str, pd.DataFrame]:
    """Return votes from grid[session][stock][rule], sessions on consecutive weekdays."""
    days = pd.bdate_range("2025-03-03", periods=len(grid))
    stocks = [f"INE{j}" for j in range(len(grid[0]))]
    rules = len(grid[0][0])
    return {f"r{k}": pd.DataFrame([[cell[k] for cell in row] for row in grid], index=days,
                                  columns=stocks, dtype=float)
            for k in range(rules)}


def _reference_scores(votes: dict[str, pd.DataFrame]) -> list[list[float]]:
    """Return the scores by the method's words, with loops and exact fractions."""
    grids = [frame.to_numpy(dtype=float).tolist() for frame in votes.values()]
    sessions, stocks = len(grids[0]), len(grids[0][0])
    raw: list[list[Fraction | None]] = []
    for t in range(sessions):
        row: list[Fraction | None] = []
        for j in range(stocks):
            present = [int(g[t][j]) for g in grids if not math.isnan(g[t][j])]
            row.append(Fraction(sum(present), len(present))
                       if len(present) >= T.MIN_VOTES else None)
        raw.append(row)
    out = [[NAN] * stocks for _ in range(sessions)]
    for t in range(sessions):
        for j in range(stocks):
            if raw[t][j] is None:
                continue
            window = []
            for u in range(max(0, t - T.SMOOTH_SESSIONS + 1), t + 1):
                value = raw[u][j]
                if value is not None:
                    window.append(value)
            out[t][j] = float(sum(window, Fraction(0)) / len(window))
    return out


def _assert_scores_equal(actual: pd.DataFrame, expected: list[list[float]]) -> None:
    values: list[list[float]] = actual.to_numpy(dtype=float).tolist()
    for t, row in enumerate(expected):
        for j, value in enumerate(row):
            got = values[t][j]
            if math.isnan(value):
                assert math.isnan(got), (t, j)
            else:
                assert got == value, (t, j)


def _change_rate(labels: pd.DataFrame) -> float:
    """Return label changes per stock per 100 sessions over consecutive labelled sessions."""
    values = labels.to_numpy(dtype=object)
    both = pd.notna(values[1:]) & pd.notna(values[:-1])
    return 100.0 * float((both & (values[1:] != values[:-1])).sum()) / float(both.sum())


def _noise(kind: str, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return 300 sessions of 300 flat stocks: random walks or noise about a level."""
    rng = np.random.default_rng(seed)
    steps = rng.normal(0.0, 0.02, (300, 300))
    prices = 100 * np.exp(np.cumsum(steps, axis=0)) if kind == "walk" else 100 * (1 + steps)
    closes, _ = _market(*prices.T)
    volumes = pd.DataFrame(rng.integers(1_000, 100_000, closes.shape).astype(float),
                           index=closes.index, columns=closes.columns)
    return closes, volumes


# --- Score and labels -------------------------------------------------------------------


@given(st.lists(st.lists(VOTE, min_size=len(T.RULES), max_size=len(T.RULES)),
                min_size=1, max_size=6))
def test_raw_scores_are_bounded_and_need_min_votes(stocks: list[list[float]]) -> None:
    votes = _grid_votes([stocks])
    score = T.scores(votes, sessions=1).iloc[0]
    assert T.scores(votes).iloc[0].equals(score)  # a first session has only its raw score
    for j, s in enumerate(stocks):
        present = [v for v in s if not math.isnan(v)]
        if len(present) < T.MIN_VOTES:
            assert math.isnan(score.iloc[j])
        else:
            assert -1.0 <= score.iloc[j] <= 1.0
            assert score.iloc[j] == pytest.approx(sum(present) / len(present))


@given(st.integers(1, 9), st.integers(1, 3), st.data())
def test_scores_are_bounded_window_means_of_raw_scores(sessions: int, stocks: int,
                                                       data: st.DataObject) -> None:
    rules = len(T.RULES)
    cells = data.draw(st.lists(VOTE, min_size=sessions * stocks * rules,
                               max_size=sessions * stocks * rules))
    grid = [[cells[(t * stocks + j) * rules:(t * stocks + j + 1) * rules] for j in range(stocks)]
            for t in range(sessions)]
    votes = _grid_votes(grid)
    score = T.scores(votes)
    _assert_scores_equal(score, _reference_scores(votes))
    present = score.stack().dropna()
    assert ((present >= -1.0) & (present <= 1.0)).all()
    assert score.isna().equals(T.scores(votes, sessions=1).isna())


@given(st.integers(2, 14), st.data())
def test_a_score_reads_only_the_last_sessions(sessions: int, data: st.DataObject) -> None:
    cells = data.draw(st.lists(VOTE, min_size=sessions * len(T.RULES),
                               max_size=sessions * len(T.RULES)))
    start = data.draw(st.integers(1, sessions - 1))
    votes = _grid_votes([[cells[t * len(T.RULES):(t + 1) * len(T.RULES)]]
                         for t in range(sessions)])
    full = T.scores(votes)
    late = T.scores({name: frame.iloc[start:] for name, frame in votes.items()})
    settled = start + T.SMOOTH_SESSIONS - 1  # the first session whose window is all loaded
    pd.testing.assert_frame_equal(late.iloc[settled - start:], full.iloc[settled:])


def test_scores_smooth_a_crafted_history_as_written() -> None:
    # One string per session and stock: a vote per rule, "." for no vote.
    history = [
        ("+++00.", "-----."),
        ("+-....", "+0000."),  # A: 2 votes, no raw score
        ("++++0-", "---00."),
        ("0-----", "......"),  # B: did not trade
        ("+0+0+0", "+++00-"),
        ("......", "++++++"),  # A: did not trade
        ("+++++0", "0000-."),
        ("-0000+", "--++00"),
        ("++0+.+", "-+-+-+"),
    ]
    sign = {"+": 1.0, "-": -1.0, "0": 0.0, ".": NAN}
    votes = _grid_votes([[[sign[c] for c in cell] for cell in row] for row in history])
    score = T.scores(votes)
    _assert_scores_equal(score, _reference_scores(votes))
    assert T.SMOOTH_SESSIONS == 5
    # A on session 7: raw scores 1/2, -5/6, 1/2 and 5/6 on sessions 3, 4, 5 and 7
    assert score.iat[6, 0] == pytest.approx((1 / 2 - 5 / 6 + 1 / 2 + 5 / 6) / 4)
    assert score.isna().to_numpy()[[1, 3], [0, 1]].all()  # A, B without a raw score
    assert T.labels(score).iloc[5].tolist() == [None, "Mildly Bullish"]


def test_a_mean_on_a_cut_is_on_the_cut() -> None:
    # Raw scores 1/5 then -3/5 average to -1/5 exactly; summed in floats they give
    # -0.19999999999999998, which would read Sideways.
    votes = _grid_votes([[[1.0, 0.0, 0.0, 0.0, 0.0]], [[-1.0, -1.0, -1.0, 0.0, 0.0]]])
    assert (0.2 + -0.6) / 2 > -0.2
    assert T.scores(votes).iat[1, 0] == -0.2
    assert T.labels(T.scores(votes)).iat[1, 0] == "Mildly Bearish"


def test_scores_reject_a_window_shorter_than_one_session() -> None:
    with pytest.raises(ValueError, match=r"sessions \(0\) and min_votes \(5\) must be 1"):
        T.scores(_votes_frame([1.0] * 5), sessions=0)


@given(st.integers(1, 7), st.data())
def test_labels_are_monotone_in_the_votes(sessions: int, data: st.DataObject) -> None:
    size = sessions * len(T.RULES)
    cells = data.draw(st.lists(VOTE, min_size=size, max_size=size))
    raisable = [k for k, v in enumerate(cells) if v in (-1.0, 0.0)]
    if not raisable:
        return
    k = data.draw(st.sampled_from(raisable))
    higher = [*cells]
    higher[k] += 1.0

    def labelled(flat: list[float]) -> list[str | None]:
        grid = [[flat[t * len(T.RULES):(t + 1) * len(T.RULES)]] for t in range(sessions)]
        return T.labels(T.scores(_grid_votes(grid))).iloc[:, 0].tolist()

    for before, after in zip(labelled(cells), labelled(higher), strict=True):
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


def test_labels_change_rarely_on_flat_noise() -> None:
    # benchmarks/label_noise.py, 2,000 stocks: random walks 14.4 changes per stock per 100
    # sessions (raw score: 26.8); noise about a level 25.2 (raw: 70.2), with 2.5% of
    # stock-days Bullish or Bearish (raw: 25.2%).
    walk = T.votes(*_noise("walk", 3))
    assert _change_rate(T.labels(T.scores(walk))) < 16.0
    assert _change_rate(T.labels(T.scores(walk, sessions=1))) > 22.0
    level = T.labels(T.scores(T.votes(*_noise("level", 3)))).iloc[49:]
    assert _change_rate(level) < 28.0
    assert level.stack().isin(["Bullish", "Bearish"]).mean() < 0.04


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
