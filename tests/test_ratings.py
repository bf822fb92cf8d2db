"""Ratings feed: the import format, rating changes per day, and the demo provider's files."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from generator import columns as C
from generator.demo import DemoMarket, simulate_market
from generator.demo.ratings import PROVIDER_NAME, plan_ratings, render_ratings
from generator.errors import FormatError
from generator.sources import ratings

DAY = date(2025, 1, 6)
PATH = "ratings_20250106.csv"
GOOD = (
    "date,isin,rating,provider\n"
    "2025-01-06,INE002A01018,Buy,Acme Research\n"
    "2025-01-06,INE009A01021,strong buy,Acme Research\n"
    "2025-01-03,INE009A01021, HOLD ,Other Desk\n"
    "2025-01-06,INE002A01018,Strong  Sell,Other Desk\n"
)


def _rejected(text: str, expected_date: date | None = DAY) -> FormatError:
    with pytest.raises(FormatError) as caught:
        ratings.parse(text.encode(), PATH, expected_date)
    return caught.value


# File names


def test_ratings_file_name_round_trips() -> None:
    assert ratings.file_name(DAY) == "ratings_20250106.csv"
    assert ratings.date_from_name("ratings_20250106.csv") == DAY
    assert ratings.date_from_name("RATINGS_20250106.CSV") == DAY


@pytest.mark.parametrize(
    "name", ["ratings_20251306.csv", "ratings_2025010.csv", "rating_20250106.csv", "x.csv"]
)
def test_ratings_date_from_name_refuses_other_names(name: str) -> None:
    assert ratings.date_from_name(name) is None


# Parsing


def test_ratings_parse_types_and_normalises_the_scale() -> None:
    frame = ratings.parse(GOOD.encode(), PATH, DAY)
    assert list(frame.columns) == [C.TRADE_DATE, C.ISIN, "rating", "provider"]
    assert str(frame[C.TRADE_DATE].dtype) == "datetime64[ns]"
    assert frame[C.TRADE_DATE].tolist() == [pd.Timestamp(d) for d in
                                            ("2025-01-06", "2025-01-06", "2025-01-03",
                                             "2025-01-06")]
    assert frame[C.ISIN].dtype == "string"
    assert frame["provider"].dtype == "string"
    assert frame["rating"].tolist() == ["Buy", "Strong Buy", "Hold", "Strong Sell"]
    assert isinstance(frame["rating"].dtype, pd.CategoricalDtype)
    assert frame["rating"].cat.ordered
    assert list(frame["rating"].cat.categories) == list(ratings.SCALE)
    assert frame["rating"].iloc[1] > frame["rating"].iloc[0]
    assert frame["provider"].tolist() == ["Acme Research"] * 2 + ["Other Desk"] * 2


def test_ratings_parse_accepts_bom_crlf_and_no_expected_date() -> None:
    raw = ("\ufeff" + GOOD.replace("\n", "\r\n")).encode()
    frame = ratings.parse(raw, PATH)
    assert len(frame) == 4
    assert frame.equals(ratings.parse(GOOD.encode(), PATH, DAY))


def test_ratings_parse_header_only_is_a_day_without_events() -> None:
    frame = ratings.parse(b"date,isin,rating,provider\n", PATH, DAY)
    assert frame.empty
    assert frame.dtypes.equals(ratings.parse(GOOD.encode(), PATH, DAY).dtypes)


REJECTIONS = [
    ("date,isin,provider\n2025-01-06,INE002A01018,A\n", 1, "rating",
     "column 'rating' is missing from the header"),
    ("date,isin,rating,provider,target\n2025-01-06,INE002A01018,Buy,A,10\n", 1, "target",
     "unexpected column 'target' in the header"),
    ("date,isin,rating,provider\n2025-01-06,INE002A01018,Buy,A\n2025-02-30,INE009A01021,Buy,A\n",
     3, "date", "'2025-02-30' is not a date like %Y-%m-%d"),
    ("date,isin,rating,provider\n06-01-2025,INE002A01018,Buy,A\n", 2, "date",
     "'06-01-2025' is not a date like %Y-%m-%d"),
    ("date,isin,rating,provider\n,INE002A01018,Buy,A\n", 2, "date",
     "'' is not a date like %Y-%m-%d"),
    ("date,isin,rating,provider\n2025-01-06,INE002A0101,Buy,A\n", 2, "isin",
     "ISIN 'INE002A0101' is not 12 letters and digits"),
    ("date,isin,rating,provider\n2025-01-06,INE002A01018,Buy,A\n2025-01-06,,Buy,A\n", 3, "isin",
     "ISIN '' is not 12 letters and digits"),
    ("date,isin,rating,provider\n2025-01-06,INE002-01018,Buy,A\n", 2, "isin",
     "ISIN 'INE002-01018' is not 12 letters and digits"),
    ("date,isin,rating,provider\n2025-01-06,INE002A01018,Outperform,A\n", 2, "rating",
     "rating 'Outperform' is not on the scale"),
    ("date,isin,rating,provider\n2025-01-06,INE002A01018,,A\n", 2, "rating",
     "rating '' is not on the scale"),
    ("date,isin,rating,provider\n2025-01-06,INE002A01018,Buy,A\n2025-01-06,INE009A01021,Buy, \n",
     3, "provider", "the value is empty"),
    ("date,isin,rating,provider\n2025-01-06,INE002A01018,Buy,A\n2025-01-06,INE009A01021,Buy,A\n"
     "2025-01-06,INE002A01018,sell,A\n", 4, "isin",
     "ISIN INE002A01018 is rated twice on one date by one provider"),
    ("date,isin,rating,provider\n2025-01-06,INE002A01018,Buy,A\n2025-01-07,INE009A01021,Buy,A\n",
     3, "date", "rating dated 2025-01-07 is after the file's date 2025-01-06"),
]


@pytest.mark.parametrize(("text", "row", "field", "problem"), REJECTIONS)
def test_ratings_parse_rejects_naming_file_row_and_field(
    text: str, row: int, field: str, problem: str
) -> None:
    error = _rejected(text)
    assert error.path == PATH
    assert error.row == row
    assert error.field == field
    assert error.problem == problem
    assert str(error).startswith(f"{PATH}, row {row}, field {field!r}: {problem}; ")


def test_ratings_parse_unknown_rating_message_lists_the_scale() -> None:
    error = _rejected("date,isin,rating,provider\n2025-01-06,INE002A01018,Neutral,A\n")
    assert str(error) == (
        "ratings_20250106.csv, row 2, field 'rating': rating 'Neutral' is not on the scale; "
        "use one of Strong Sell, Sell, Hold, Buy, Strong Buy (any letter case)"
    )


def test_ratings_parse_same_key_from_two_providers_or_days_is_accepted() -> None:
    text = (
        "date,isin,rating,provider\n"
        "2025-01-06,INE002A01018,Buy,A\n"
        "2025-01-06,INE002A01018,Sell,B\n"
        "2025-01-03,INE002A01018,Hold,A\n"
    )
    assert len(ratings.parse(text.encode(), PATH, DAY)) == 3


def test_ratings_parse_rejects_a_short_row_and_an_empty_file() -> None:
    short = _rejected("date,isin,rating,provider\n2025-01-06,INE002A01018,Buy\n")
    assert (short.path, short.row) == (PATH, 2)
    empty = _rejected("")
    assert empty.path == PATH


# Rating changes

MEMBERS = pd.DataFrame(
    {
        C.ISIN: ["INE00000A011", "INE00000B011", "INE00000C011", "INE00000D011",
                 "INE00000E011"],
        C.SYMBOL: ["AAA", "BBB", "CCC", "DDD", "EEE"],
        C.NAME: ["Alpha Ltd", "Beta Ltd", "Gamma Ltd", "Delta Ltd", "Epsilon Ltd"],
    }
)
FEEDS = {
    date(2025, 1, 2): [
        ("INE00000A011", "Hold", "P1"),
        ("INE00000B011", "Buy", "P1"),
        ("INE00000C011", "Sell", "P1"),
        ("INE00000D011", "Hold", "P1"),
        ("INE00000A011", "Buy", "P2"),
        ("INE00000X011", "Hold", "P1"),
    ],
    date(2025, 1, 3): [("INE00000A011", "Sell", "P1")],
    DAY: [
        ("INE00000A011", "Strong Buy", "P1"),  # Sell (Jan 3, not Hold of Jan 2) -> +3
        ("INE00000A011", "buy", "P2"),  # P2 re-affirms Buy: not a change
        ("INE00000B011", "Hold", "P1"),  # Buy -> Hold: -1
        ("INE00000C011", "Buy", "P1"),  # Sell -> Buy: +2
        ("INE00000D011", "Strong Sell", "P1"),  # Hold -> Strong Sell: -2
        ("INE00000E011", "Hold", "P1"),  # first rating: initiation
        ("INE00000B011", "Sell", "P2"),  # P2's first rating of B: initiation
        ("INE00000X011", "Strong Buy", "P1"),  # not a member
    ],
    date(2025, 1, 7): [("INE00000A011", "Hold", "P1")],  # later: ignored
}


def _history() -> pd.DataFrame:
    frames = []
    for day, rows in FEEDS.items():
        text = "date,isin,rating,provider\n" + "".join(
            f"{day:%Y-%m-%d},{isin},{rating},{provider}\n" for isin, rating, provider in rows
        )
        frames.append(ratings.parse(text.encode(), ratings.file_name(day), day))
    return pd.concat(frames, ignore_index=True)


EXPECTED_CHANGES = [
    ("AAA", "Alpha Ltd", "INE00000A011", "P1", "Sell", "Strong Buy", 3, False),
    ("CCC", "Gamma Ltd", "INE00000C011", "P1", "Sell", "Buy", 2, False),
    ("DDD", "Delta Ltd", "INE00000D011", "P1", "Hold", "Strong Sell", -2, False),
    ("BBB", "Beta Ltd", "INE00000B011", "P1", "Buy", "Hold", -1, False),
    ("BBB", "Beta Ltd", "INE00000B011", "P2", None, "Sell", 0, True),
    ("EEE", "Epsilon Ltd", "INE00000E011", "P1", None, "Hold", 0, True),
]


def test_rating_changes_hand_worked_day() -> None:
    changes = ratings.rating_changes(_history(), DAY, MEMBERS)
    assert list(changes.columns) == list(ratings.CHANGE_COLUMNS)
    assert [tuple(row) for row in changes.itertuples(index=False)] == EXPECTED_CHANGES
    assert changes["steps"].dtype == "int64"
    assert changes["initiated"].dtype == bool


def test_rating_changes_do_not_depend_on_row_order() -> None:
    shuffled = _history().sample(frac=1.0, random_state=7)
    changes = ratings.rating_changes(shuffled, DAY, MEMBERS.iloc[::-1])
    assert [tuple(row) for row in changes.itertuples(index=False)] == EXPECTED_CHANGES


def test_rating_changes_on_a_day_without_ratings_is_empty() -> None:
    changes = ratings.rating_changes(_history(), date(2025, 1, 8), MEMBERS)
    assert changes.empty
    assert list(changes.columns) == list(ratings.CHANGE_COLUMNS)
    empty = ratings.rating_changes(ratings.empty(), DAY, MEMBERS)
    assert empty.empty


# Demo provider

START, END = date(2025, 1, 1), date(2025, 2, 7)


@pytest.fixture(scope="module")
def market() -> DemoMarket:
    return simulate_market(20250101, START, END)


def test_demo_ratings_parse_and_open_with_everyone_rated(market: DemoMarket) -> None:
    first = market.trading_days[0]
    frame = ratings.parse(render_ratings(market, first), ratings.file_name(first), first)
    companies = market.companies
    assert sorted(frame[C.ISIN].tolist()) == sorted(companies["isin"].tolist())
    assert set(frame["provider"]) == {PROVIDER_NAME}
    assert frame["rating"].isna().sum() == 0


def test_demo_ratings_daily_files_are_small_and_valid(market: DemoMarket) -> None:
    for day in market.trading_days[1:]:
        raw = render_ratings(market, day)
        frame = ratings.parse(raw, ratings.file_name(day), day)
        assert 10 <= len(frame) <= 120
        assert set(frame[C.TRADE_DATE]) == {pd.Timestamp(day)}
        assert raw.endswith(b"\n") and b"\r" not in raw


def test_demo_ratings_are_deterministic(market: DemoMarket) -> None:
    day = market.trading_days[7]
    again = simulate_market(20250101, START, END)
    assert render_ratings(market, day) == render_ratings(again, day)
    assert plan_ratings(market).equals(plan_ratings(again))
    other = simulate_market(20250102, START, END)
    assert render_ratings(market, day) != render_ratings(other, day)


def test_demo_ratings_reject_a_day_without_a_session(market: DemoMarket) -> None:
    with pytest.raises(ValueError, match="not a session"):
        render_ratings(market, date(2025, 1, 4))


def test_demo_ratings_move_both_ways_with_recent_returns(market: DemoMarket) -> None:
    days = market.trading_days[:21]
    history = pd.concat(
        [ratings.parse(render_ratings(market, d), ratings.file_name(d), d) for d in days],
        ignore_index=True,
    )
    members = market.companies[[C.ISIN, C.SYMBOL, C.NAME]]
    changes = pd.concat(
        [ratings.rating_changes(history, d, members).assign(day=d) for d in days[1:]],
        ignore_index=True,
    )
    assert (changes["steps"] > 0).sum() > 50
    assert (changes["steps"] < 0).sum() > 50
    assert not changes["initiated"].any()
    position = {d: t for t, d in enumerate(market.trading_days)}
    firms = market.instruments[market.instruments["kind"] == "company"]
    column = dict(zip(firms["isin"], firms.index, strict=True))
    mark = market.prices.mark
    moved = [
        float(mark[position[d] - 1, column[isin]] / mark[max(position[d] - 11, 0), column[isin]])
        for d, isin in zip(changes["day"], changes[C.ISIN], strict=True)
    ]
    before = np.array(moved)
    up = changes["steps"].to_numpy() > 0
    assert before[up].mean() > before[~up].mean()
