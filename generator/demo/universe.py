"""Listed instruments of the demo exchange: companies plus the non-company rows real files carry."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from generator.demo.isin import isin_check_digit
from generator.demo.names import (
    HOSTILE_NAME,
    HOSTILE_SYMBOL,
    INDUSTRIES,
    basic_industry,
    make_company_names,
    pick_industries,
)
from generator.demo.others import debt_rows, dedupe_symbols, etf_rows

EQ_COMPANIES = 1900
BE_COMPANIES = 60
BZ_COMPANIES = 5
SME_COMPANIES = 40
SECTORS: tuple[str, ...] = tuple(INDUSTRIES)

# Market cap (₹ crore) at a few ranks; ranks in between are interpolated in log-log space.
_CAP_ANCHORS = (
    (1, 1.5e6),
    (10, 4.5e5),
    (50, 1.4e5),
    (100, 7.0e4),
    (250, 3.0e4),
    (500, 1.1e4),
    (750, 5.0e3),
    (1000, 2.8e3),
    (1500, 1.0e3),
    (EQ_COMPANIES, 3.5e2),
)
_SME_LOTS = (400, 600, 800, 1000, 1200, 1600, 2000, 3000, 4000)
_CRORE = 1e7


def build_universe(seed: int) -> pd.DataFrame:
    """Return one row per instrument and series, with its simulation parameters."""
    rng = np.random.default_rng([seed, 1])
    codes = _IssuerCodes(rng)
    companies = _companies(rng, codes)
    rows: list[dict[str, Any]] = [
        {str(key): value for key, value in record.items()}
        for record in companies.to_dict("records")
    ]
    taken = set(companies["symbol"]) | set(companies["name"])
    rows.extend(_trade_to_trade(rng, codes, taken))
    rows.extend(etf_rows(rng))
    rows.extend(debt_rows(rng, companies))
    rows.append(_block_row(rng, companies))
    frame = pd.DataFrame(dedupe_symbols(rows))
    frame["fin_id"] = _fin_ids(rng, len(frame))
    for col, default in (("sector_load", 1.0), ("gold_load", 0.0), ("drift", 0.0)):
        frame[col] = frame[col].fillna(default) if col in frame else default
    frame["sector"] = frame["sector"].fillna(-1).astype(int)
    frame["rank"] = frame["rank"].fillna(0).astype(int)
    return frame.reset_index(drop=True)


class _IssuerCodes:
    """Hand out unique 4-character issuer codes such as `117A` or `0D0U`."""

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng
        self._used: set[str] = set()

    def take(self) -> str:
        """Return a fresh issuer code."""
        letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
        while True:
            if self._rng.random() < 0.8:
                code = f"{int(self._rng.integers(0, 1000)):03d}{self._rng.choice(list(letters))}"
            else:
                alnum = "0123456789" + letters
                code = "0" + "".join(str(self._rng.choice(list(alnum))) for _ in range(3))
            if code not in self._used:
                self._used.add(code)
                return code


def equity_isin(rng: np.random.Generator, issuer: str) -> str:
    """Return an equity ISIN `INE` + issuer + `01` + serial + check digit."""
    serial = "01" if rng.random() < 0.6 else str(rng.choice(["02", "10", "12", "16", "18", "22"]))
    body = f"INE{issuer}01{serial}"
    return body + isin_check_digit(body)


def _companies(rng: np.random.Generator, codes: _IssuerCodes) -> pd.DataFrame:
    """Return the EQ-series companies ranked by market cap (rank 1 = largest)."""
    ranks = np.arange(1, EQ_COMPANIES + 1)
    log_r = np.log([r for r, _ in _CAP_ANCHORS])
    log_c = np.log([c for _, c in _CAP_ANCHORS])
    caps = np.exp(np.interp(np.log(ranks), log_r, log_c) + rng.normal(0, 0.08, ranks.size))
    caps = np.sort(caps)[::-1]
    industries = pick_industries(rng, EQ_COMPANIES)
    named = make_company_names(rng, industries, {HOSTILE_SYMBOL})
    hostile_rank = int(rng.integers(260, 491))
    rows: list[dict[str, Any]] = []
    for i, (industry, (name, bhav, symbol)) in enumerate(zip(industries, named, strict=True)):
        rank = i + 1
        if rank == hostile_rank:
            name, bhav, symbol = HOSTILE_NAME, HOSTILE_NAME.upper(), HOSTILE_SYMBOL
        cap = float(caps[i])
        price = float(
            np.clip(np.exp(rng.normal(np.log(450 if rank <= 500 else 160), 1.0)), 4.0, 45000.0)
        )
        price = round(price, 1)
        rows.append(
            _stock(rng, codes, name, bhav, symbol, "EQ", "company", industry, cap, price, rank=rank)
        )
    frame = pd.DataFrame(rows)
    _name_bond_twin(rng, frame)
    return frame


def _stock(
    rng: np.random.Generator,
    codes: _IssuerCodes,
    name: str,
    bhav: str,
    symbol: str,
    series: str,
    kind: str,
    industry: str,
    cap: float,
    price: float,
    rank: int = 0,
) -> dict[str, Any]:
    """Return the parameters of one listed share."""
    log_cap = np.log(cap)
    idio = float(np.interp(log_cap, [np.log(3e3), np.log(1e5)], [0.03, 0.012]))
    if rank == 0:
        idio = 0.032
    if rank and rank <= 250:
        band_p, trade_p, stale_p = (0.8, 0.2, 0.0), 1.0, 0.0
    elif rank and rank <= 500:
        band_p, trade_p, stale_p = (0.55, 0.35, 0.1), 0.997, 0.002
    elif rank and rank <= 750:
        band_p, stale_p = (0.35, 0.45, 0.2), 0.012
        trade_p = float(np.clip(1 - rng.exponential(0.018), 0.88, 1.0))
    elif rank:
        band_p, stale_p = (0.3, 0.45, 0.25), 0.02
        trade_p = float(np.clip(1 - rng.exponential(0.07), 0.5, 1.0))
    else:
        band_p, stale_p, trade_p = (0.0, 0.0, 1.0), 0.03, 0.9
    band = float(rng.choice([0.2, 0.1, 0.05], p=band_p))
    size = float(np.clip((np.log(2e4) - log_cap) / np.log(10), -1.5, 1.5))
    turnover = cap * _CRORE * 0.0015 * float(np.exp(rng.normal(0, 0.5)))
    return {
        "symbol": symbol,
        "series": series,
        "kind": kind,
        "name": name,
        "bhav_name": bhav,
        "industry": industry,
        "basic_industry": basic_industry(rng, industry),
        "isin": equity_isin(rng, codes.take()),
        "rank": rank,
        "price0": price,
        "shares": round(cap * _CRORE / price),
        "band": band,
        "trade_prob": trade_p,
        "stale_prob": stale_p,
        "beta": float(np.clip(rng.normal(1.0 + 0.08 * size, 0.25), 0.4, 1.8)),
        "size_load": size,
        "sector": SECTORS.index(industry),
        "idio_vol": idio,
        "turnover": turnover,
        "ticket": 6000 * float(np.exp(rng.normal(0, 0.5))) + 1.5 * price,
        "lot": 1,
    }


def _name_bond_twin(rng: np.random.Generator, frame: pd.DataFrame) -> None:
    """Give one mid-ranked finance company an `X&YFIN` symbol; a bond will share it."""
    pool = frame.index[
        (frame["industry"] == "Financial Services")
        & frame["rank"].between(120, 400)
        & (frame["symbol"] != HOSTILE_SYMBOL)
    ]
    at = int(rng.choice(pool))
    words = [w for w in str(frame.at[at, "name"]).split() if w[0].isalpha()]
    symbol = f"{words[0][0]}&{words[1][0]}FIN".upper()
    if symbol in set(frame["symbol"]):
        symbol = f"{words[0][:2]}&{words[1][0]}FIN".upper()
    frame.at[at, "symbol"] = symbol
    frame.attrs["bond_twin"] = symbol


def _trade_to_trade(
    rng: np.random.Generator, codes: _IssuerCodes, taken: set[str]
) -> list[dict[str, Any]]:
    """Return BE and BZ (trade-to-trade) shares and SME (SM/ST) shares."""
    count = BE_COMPANIES + BZ_COMPANIES + SME_COMPANIES
    industries = pick_industries(rng, count)
    named = make_company_names(rng, industries, taken)
    rows: list[dict[str, Any]] = []
    for i, (industry, (name, bhav, symbol)) in enumerate(zip(industries, named, strict=True)):
        if i < BE_COMPANIES:
            series, kind, price = "BE", "be", float(np.exp(rng.normal(np.log(60), 1.0)))
        elif i < BE_COMPANIES + BZ_COMPANIES:
            series, kind, price = "BZ", "bz", float(rng.uniform(1.2, 6.0))
        else:
            series = "SM" if rng.random() < 0.8 else "ST"
            kind, price = "sme", float(np.exp(rng.normal(np.log(120), 0.8)))
        price = round(max(price, 1.2), 1)
        cap = float(np.exp(rng.normal(np.log(400), 0.8)))
        row = _stock(rng, codes, name, bhav, symbol, series, kind, industry, cap, price)
        if kind == "sme":
            lot = int(rng.choice(_SME_LOTS))
            row.update(
                lot=lot,
                trade_prob=0.6,
                stale_prob=0.15,
                ticket=lot * price * 1.5,
                band=float(rng.choice([0.05, 0.1, 0.2])),
                idio_vol=0.035,
            )
        elif kind == "bz":
            row.update(trade_prob=0.8)
        rows.append(row)
    return rows


def _block_row(rng: np.random.Generator, companies: pd.DataFrame) -> dict[str, Any]:
    """Return the block-deal (`BL`) twin of one large company: same symbol and ISIN."""
    pick = companies[companies["rank"].between(30, 150)].iloc[int(rng.integers(0, 100))]
    row = dict(pick)
    row.update(
        series="BL",
        kind="block",
        rank=0,
        trade_prob=0.15,
        stale_prob=0.0,
        lot=999999999,
        parent=str(pick["symbol"]),
    )
    return row


def _fin_ids(rng: np.random.Generator, count: int) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Return unique exchange instrument ids: older ones small, newer ones above 750000."""
    picks = rng.choice(50000, size=count, replace=False).astype(np.int64) + 1
    return np.where(picks > 36000, picks - 36000 + 750000, picks)
