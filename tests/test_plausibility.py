"""Extreme but possible moves: flagged under data issues, kept out of the movers and the
equal-weighted figures until a maintainer confirms them in the config."""

from __future__ import annotations

import dataclasses
import math
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from crafted import (
    Stock,
    config_for,
    constituents_bytes,
    holidays_bytes,
    index_bytes,
    isin,
    put,
    udiff_bytes,
)
from hypothesis import given
from hypothesis import strategies as st

from generator import columns as C
from generator.brief_charts import chart_frames
from generator.config import Config, load_config, parse_config
from generator.errors import ConfigError
from generator.metrics import plausibility as P
from generator.metrics.movers import constituent_stats, top_movers
from generator.metrics.segment import SegmentDay
from generator.narrative import render
from generator.narrative.check import check_brief
from generator.pages import methodology_page
from generator.pipeline import compute_days, render_days
from generator.store import Store

DAYS = [date(2026, 2, 10), date(2026, 2, 11), date(2026, 2, 12)]
DAY = DAYS[-1]
BRIEF = "briefs/2026/02/12/small.md"


def _stocks(jump_close: float) -> list[Stock]:
    """Return JUMP (previous close 100) and eight ordinary movers: +1..+4% and −1..−4%."""
    stocks = [Stock(isin(1), "JUMP", "Jumpco Ltd", 100.0, jump_close)]
    stocks += [Stock(isin(10 + i), f"UP{i}", f"Riser {i} Ltd", 100.0, 101.0 + i)
               for i in range(4)]
    stocks += [Stock(isin(20 + i), f"DN{i}", f"Faller {i} Ltd", 100.0, 99.0 - i)
               for i in range(4)]
    return stocks


def _build(root: Path, jump_close: float, checks: str = "") -> Config:
    """Write a one-segment store whose last day has JUMP closing at `jump_close`."""
    config = config_for(
        root,
        [{"key": "small", "label": "Small caps", "index": "BSE SmallCap",
          "constituents": "small.csv"}],
        [{"label": "Nifty 50", "index": "Nifty 50"}],
    )
    if checks:
        path = root / "brief.toml"
        path.write_text(path.read_text(encoding="utf-8") + f"\n[checks]\n{checks}\n",
                        encoding="utf-8")
        config = load_config(path)
    store = Store(config.data_dir)
    stocks = _stocks(jump_close)
    put(store, "holidays", DAYS[0], "holidays.json", holidays_bytes())
    put(store, "constituents", DAYS[0], "small.csv", constituents_bytes(stocks))
    for i, day in enumerate(DAYS):
        rows = [("BSE SmallCap", 10000.0 + 50 * i, 9990.0 + 50 * i),
                ("Nifty 50", 25000.0 + 70 * i, 24950.0 + 70 * i)]
        put(store, "indices", day, f"ind_close_all_{day:%d%m%Y}.csv", index_bytes(day, rows))
    put(store, "equities", DAY, f"BhavCopy_NSE_CM_0_0_0_{DAY:%Y%m%d}_F_0000.csv",
        udiff_bytes(DAY, stocks))
    return config


def _day(config: Config) -> SegmentDay:
    computed, _ = compute_days(config, Store(config.data_dir), [DAY])
    return computed[0][1][0]


def _brief(config: Config) -> str:
    render_days(config, Store(config.data_dir), [DAY])  # checks every brief before writing
    return (config.docs_dir / BRIEF).read_text(encoding="utf-8")


def _section(text: str, title: str) -> str:
    return text.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0].split("\n---\n", 1)[0]


def test_plausibility_rules_on_returns() -> None:
    assert not P.is_extreme(39.0)
    assert not P.is_extreme(-20.0)  # 4/5 is not a listed ratio
    assert not P.is_extreme(math.nan)
    assert P.is_extreme(40.01) and P.is_extreme(-40.01) and P.is_extreme(math.inf)
    assert P.split_ratio(-80.0) == (1, 5)
    assert P.split_ratio(-33.4) == (2, 3)  # a 1:2 bonus, inside ±40% but flagged
    assert P.is_extreme(-33.4)
    assert P.split_ratio(100.5) == (2, 1)  # the reciprocal of 1/2
    assert P.split_ratio(-30.0) is None


@given(st.lists(st.one_of(st.just(math.nan), st.floats(-95.0, 1000.0)), min_size=1,
                max_size=30))
def test_plausibility_held_moves_are_never_movers_nor_in_the_stats(
        returns: list[float]) -> None:
    members = pd.DataFrame({
        C.SYMBOL: [f"S{i:02d}" for i in range(len(returns))],
        C.NAME: [f"Co {i}" for i in range(len(returns))],
        C.CLOSE: [100.0 * (1 + r / 100) for r in returns],
        C.PREV_CLOSE: 100.0,
        C.RETURN_PCT: returns,
    })
    flags = P.flag_moves(members, DAY)
    held = P.unconfirmed(members, flags)
    gainers, losers = top_movers(members.loc[~held], 30)
    named = set(gainers[C.SYMBOL]) | set(losers[C.SYMBOL])
    assert not named & {f.symbol for f in flags}
    stats = constituent_stats(members, leave_out=held)
    traded = sum(1 for r in returns if not math.isnan(r))
    assert stats.traded + stats.left_out == traded
    assert stats.left_out == len(flags)


def test_plausibility_big_gain_is_flagged_not_headlined(tmp_path: Path) -> None:
    config = _build(tmp_path, 400.0)  # +300%
    sd = _day(config)
    assert "JUMP" not in set(sd.gainers[C.SYMBOL])
    assert sd.gainers[C.SYMBOL].iloc[0] == "UP3"
    assert sd.breadth.advances == 5  # the flagged move still counts in breadth
    assert (sd.stats.traded, sd.stats.left_out) == (8, 1)
    assert sd.stats.mean_pct == pytest.approx(0.0)
    distribution = chart_frames(sd)["distribution"]  # its median line is the brief's median
    assert "JUMP" not in set(distribution[C.SYMBOL]) and len(distribution) == 8
    assert [(f.symbol, f.beyond_limit, f.ratio, f.confirmed) for f in sd.flags] == [
        ("JUMP", True, (4, 1), False)]  # 4/1: the reciprocal of 1/4 matches too
    text = _brief(config)
    assert check_brief(text, sd) == []
    movers = _section(text, "Movers")
    assert "Top gainer: Riser 3 Ltd (UP3) +4.00%." in movers
    assert "JUMP" not in movers
    assert "One flagged move is left out of the movers until confirmed" in movers
    assert "One flagged move is left out of the mean and median" in _section(text, "Divergence")
    issues = _section(text, "Data issues")
    assert "Jumpco Ltd (JUMP) closed at 400.00 against a previous close of 100.00" in issues
    assert "+300.00%" in issues and "beyond \u00b140% in one session" in issues
    assert "may be a corporate action (split, bonus, rights)" in issues
    assert "or a data error" in issues
    with zipfile.ZipFile(config.docs_dir / "briefs/2026/02/12/constituents.csv.zip") as archive:
        csv = archive.read("small-2026-02-12.csv").decode("utf-8")
    jump = next(line for line in csv.splitlines() if ",JUMP," in line)
    assert ",gainer," not in jump


def test_plausibility_split_like_drop_is_flagged(tmp_path: Path) -> None:
    config = _build(tmp_path, 20.0)  # −80%: close ÷ previous close = 1/5
    sd = _day(config)
    assert "JUMP" not in set(sd.losers[C.SYMBOL])
    assert sd.losers[C.SYMBOL].iloc[0] == "DN3"
    assert sd.breadth.declines == 5
    assert [(f.symbol, f.ratio) for f in sd.flags] == [("JUMP", (1, 5))]
    text = _brief(config)
    assert check_brief(text, sd) == []
    assert "JUMP" not in _section(text, "Movers")
    issues = _section(text, "Data issues")
    assert "Jumpco Ltd (JUMP)" in issues and "\u221280.00%" in issues
    assert "near 1/5, a common split or bonus ratio" in issues
    assert "may be a corporate action" in issues


def test_plausibility_move_of_39_pct_is_not_flagged(tmp_path: Path) -> None:
    config = _build(tmp_path, 139.0)
    sd = _day(config)
    assert sd.flags == ()
    assert sd.gainers[C.SYMBOL].iloc[0] == "JUMP"
    text = _brief(config)
    assert "Top gainer: Jumpco Ltd (JUMP) +39.00%." in text
    assert "flagged" not in text


def test_plausibility_confirmed_move_is_a_normal_mover(tmp_path: Path) -> None:
    config = _build(tmp_path, 400.0, 'confirmed_moves = ["2026-02-12 JUMP"]')
    assert config.checks.confirmed_moves == frozenset({(DAY, "JUMP")})
    sd = _day(config)
    assert sd.gainers[C.SYMBOL].iloc[0] == "JUMP"
    assert (sd.stats.traded, sd.stats.left_out) == (9, 0)
    assert "JUMP" in set(chart_frames(sd)["distribution"][C.SYMBOL])
    text = _brief(config)
    assert check_brief(text, sd) == []
    assert "Top gainer: Jumpco Ltd (JUMP) +300.00%." in text
    assert "left out of the" not in text
    issues = _section(text, "Data issues")
    assert "A maintainer confirmed this move in the config" in issues
    assert "may be a corporate action" not in issues


def test_plausibility_confirmation_of_another_day_does_not_apply(tmp_path: Path) -> None:
    config = _build(tmp_path, 400.0, 'confirmed_moves = ["2026-02-11 JUMP"]')
    assert "JUMP" not in set(_day(config).gainers[C.SYMBOL])


def test_plausibility_checker_catches_a_flagged_mover_in_the_brief(tmp_path: Path) -> None:
    config = _build(tmp_path, 400.0)
    sd = _day(config)
    assert sd.members is not None
    gainers, losers = top_movers(sd.members, 5)  # the flag ignored
    wrong = dataclasses.replace(sd, gainers=gainers, losers=losers)
    text = render.render_brief(wrong, {}, [], "../../../../methodology.md")
    problems = check_brief(text, wrong)  # the checker re-derives the flags from the members
    assert any("JUMP's move is flagged by the plausibility rules" in p.message
               for p in problems)


@pytest.mark.parametrize("entry", ["14-03-2025 RELIANCE", "2025-03-14", "2025-02-30 TCS",
                                   "2025-03-14  TCS", "2025-03-14 tcs", 20250314])
def test_plausibility_malformed_confirmed_move_is_a_config_error(entry: object) -> None:
    raw = {"segments": [{"key": "s", "label": "S", "index": "I", "constituents": "c.csv"}],
           "checks": {"confirmed_moves": [entry]}}
    with pytest.raises(ConfigError) as caught:
        parse_config(raw, root=Path(), origin="brief.toml")
    assert str(caught.value) == (
        f"brief.toml: [checks] confirmed_moves entry {entry!r} must be 'YYYY-MM-DD SYMBOL' "
        "(a trading day and the symbol as in the bhavcopy), like '2025-03-14 RELIANCE'")
    assert "\n" not in str(caught.value)


def test_plausibility_methodology_shows_the_thresholds(tmp_path: Path) -> None:
    page = methodology_page(_build(tmp_path, 100.0))
    section = page.split("## Plausibility checks\n", 1)[1].split("\n## ", 1)[0]
    assert "the session return is beyond \u00b140%" in section
    assert "within 2% (relative)" in section
    assert "1/10, 1/5, 1/4, 1/3, 2/5, 1/2, 3/5, 2/3" in section
    assert 'confirmed_moves = ["2025-03-14 SYMBOL"]' in section
    assert "above 10,000,000" in section
    assert "may be a corporate action (split, bonus, rights) or a data error" in section


def test_plausibility_confirmed_moves_must_be_a_list() -> None:
    raw = {"segments": [{"key": "s", "label": "S", "index": "I", "constituents": "c.csv"}],
           "checks": {"confirmed_moves": "2025-03-14 TCS"}}
    with pytest.raises(ConfigError) as caught:
        parse_config(raw, root=Path(), origin="brief.toml")
    assert str(caught.value) == ("brief.toml: [checks] confirmed_moves must be a list of "
                                 "'YYYY-MM-DD SYMBOL' strings, got '2025-03-14 TCS'")
