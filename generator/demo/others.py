"""Non-company rows of the bhavcopy: ETFs, gold bonds, G-secs, T-bills and corporate debt."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from generator.demo.isin import isin_check_digit
from generator.demo.names import INDUSTRIES, make_word

_SECTORS = tuple(INDUSTRIES)
_ALNUM = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
# ETF product: symbol suffix, label, price, beta, size load, sector, gold load, drift, idio vol.
_PRODUCTS: tuple[tuple[str, str, float, float, float, str, float, float, float], ...] = (
    ("NIFTY", "NIFTY 50 ETF", 250.0, 1.0, -1.0, "", 0.0, 0.0, 0.0006),
    ("NEXT50", "NIFTY NEXT 50 ETF", 65.0, 1.05, -0.6, "", 0.0, 0.0, 0.0008),
    ("MID150", "MIDCAP 150 ETF", 20.0, 1.1, 0.0, "", 0.0, 0.0, 0.0008),
    ("SML250", "SMALLCAP 250 ETF", 17.0, 1.2, 0.5, "", 0.0, 0.0, 0.001),
    ("GOLD", "GOLD ETF", 68.0, 0.0, 0.0, "", 1.0, 0.0, 0.0005),
    ("SILVER", "SILVER ETF", 92.0, 0.1, 0.0, "", 1.3, 0.0, 0.008),
    ("LIQUID", "LIQUID ETF", 1000.0, 0.0, 0.0, "", 0.0, 0.00025, 0.00002),
    ("BANK", "BANK ETF", 510.0, 1.0, -1.0, "Financial Services", 0.0, 0.0, 0.0008),
    ("IT", "IT ETF", 41.0, 0.8, -1.0, "Information Technology", 0.0, 0.0, 0.0008),
    ("PHARMA", "PHARMA ETF", 22.0, 0.7, -0.8, "Healthcare", 0.0, 0.0, 0.0008),
    ("AUTO", "AUTO ETF", 24.0, 1.0, -0.9, "Automobile and Auto Components", 0.0, 0.0, 0.0008),
    ("PSUBNK", "PSU BANK ETF", 70.0, 1.2, -0.5, "Financial Services", 0.0, 0.0, 0.001),
    ("INFRA", "INFRA ETF", 95.0, 1.0, -0.6, "Construction", 0.0, 0.0, 0.0008),
    ("CONSUM", "CONSUMPTION ETF", 110.0, 0.8, -0.8, "Fast Moving Consumer Goods", 0.0, 0.0, 0.0008),
    ("ENERGY", "ENERGY ETF", 36.0, 1.0, -0.8, "Power", 0.0, 0.0, 0.0008),
    ("MOM30", "MOMENTUM 30 ETF", 58.0, 1.1, -0.3, "", 0.0, 0.0, 0.0012),
)
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def etf_rows(rng: np.random.Generator) -> list[dict[str, Any]]:
    """Return about 150 ETFs in series EQ with `INF` ISINs, grouped by fictional fund house."""
    rows: list[dict[str, Any]] = []
    amcs: set[str] = set()
    while len(amcs) < 19:
        amcs.add(make_word(rng).upper()[: int(rng.integers(3, 5))])
    codes = rng.choice(900, size=len(amcs), replace=False) + 100
    for amc, number in zip(sorted(amcs), codes, strict=True):
        code = f"{number}{rng.choice(list('ABCDEFGHJKLMNPRSTU'))}"
        picks = rng.choice(len(_PRODUCTS), size=8, replace=False)
        styled = rng.random() < 0.6
        for serial, idx in enumerate(sorted(int(i) for i in picks)):
            suffix, label, price, beta, size, sector, gold, drift, idio = _PRODUCTS[idx]
            symbol = f"{amc}{suffix}"
            name = f"{amc}AMC - {symbol}" if styled else f"{amc} MF {label}"
            body = f"INF{code}01{_ALNUM[serial // 10 + 10]}{_ALNUM[serial % 10 + 10]}"
            rows.append(
                _plain(
                    symbol,
                    "EQ",
                    "etf",
                    name[:25].rstrip(),
                    body + isin_check_digit(body),
                    round(price * float(np.exp(rng.normal(0, 0.15))), 2),
                    turnover=2e7 * float(np.exp(rng.normal(0, 1.2))),
                    ticket=12000.0,
                    trade_prob=float(np.clip(1 - rng.exponential(0.02), 0.85, 1.0)),
                    beta=beta,
                    size_load=size,
                    gold_load=gold,
                    drift=drift,
                    idio_vol=idio,
                    sector=_SECTORS.index(sector) if sector else -1,
                    band=0.2,
                )
            )
    return rows


def debt_rows(rng: np.random.Generator, companies: pd.DataFrame) -> list[dict[str, Any]]:
    """Return gold bonds, G-secs, T-bills, corporate NCDs and series-less debt rows."""
    rows = _gold_bonds(rng) + _gsecs(rng)
    finance = companies[
        (companies["industry"] == "Financial Services")
        & (companies["rank"] > 0)
        & (companies["rank"] <= 600)
    ]
    issuers = finance.sample(n=8, random_state=rng).to_dict("records")
    twin = str(companies.attrs["bond_twin"])
    twin_row = companies[companies["symbol"] == twin].iloc[0]
    serials: set[str] = set()
    for i in range(31):
        issuer = twin_row if i == 0 else issuers[i % len(issuers)]
        abbrev = "".join(ch for ch in str(issuer["symbol"]) if ch.isalpha())[:4]
        coupon = round(float(rng.uniform(7.5, 10.8)), 2)
        year = int(rng.integers(26, 36))
        while True:
            serial = "".join(rng.choice(list(_ALNUM), size=2))
            kind_code = "08" if rng.random() < 0.3 else "07"
            body = f"INE{str(issuer['isin'])[3:7]}{kind_code}{serial}"
            if body not in serials:
                serials.add(body)
                break
        cstr = f"{coupon:.2f}".rstrip("0").rstrip(".").replace(".", "")
        if i == 0:
            symbol, name, series = twin, "UNSECURED NCD", "N3"
        elif i <= 3:
            symbol, series = f"{abbrev}{int(rng.integers(10, 29))}{year}", ""
            name = f"{abbrev} 0% 20{year} SR {_ROMAN[int(rng.integers(0, 4))]}"
        else:
            symbol, series = f"{cstr}{abbrev}{year}", f"N{int(rng.integers(1, 10))}"
            name = str(
                rng.choice(
                    [
                        f"{coupon:.2f}% UNSECURED NCD",
                        f"SEC RE NCD {coupon:.2f}% SR {_ROMAN[i % 6]}",
                        f"{abbrev} {coupon:.2f}% SR {_ROMAN[i % 5]}",
                    ]
                )
            )
        rows.append(
            _plain(
                symbol,
                series,
                "debt" if series == "" else "bond",
                name[:25],
                body + isin_check_digit(body),
                round(float(rng.uniform(980, 1150)), 2),
                turnover=6e4 * float(np.exp(rng.normal(0, 1.0))),
                ticket=25000.0,
                trade_prob=1.0 if i in (1, 2) else 0.45,
                idio_vol=0.003,
                band=0.2,
            )
        )
    return rows


def _gold_bonds(rng: np.random.Generator) -> list[dict[str, Any]]:
    """Return ten sovereign gold bonds (series GB) maturing 2033-2035."""
    rows: list[dict[str, Any]] = []
    numbers = rng.choice(900, size=10, replace=False) + 100
    for i in range(10):
        year, tranche = 33 + i // 4, _ROMAN[i % 10]
        month = _MONTHS[(i * 5 + 1) % 12]
        body = f"IN0020{year - 8}{int(numbers[i])}"
        rows.append(
            _plain(
                f"SGB{month}{year}{tranche}"[:10],
                "GB",
                "gold",
                f"2.50%GOLDBONDS20{year}SR-{tranche}",
                body + isin_check_digit(body),
                round(7900 * float(np.exp(rng.normal(0, 0.02))), 2),
                turnover=3e6 * float(np.exp(rng.normal(0, 0.6))),
                ticket=40000.0,
                trade_prob=0.92,
                gold_load=1.0,
                idio_vol=0.003,
                band=0.2,
            )
        )
    return rows


def _gsecs(rng: np.random.Generator) -> list[dict[str, Any]]:
    """Return six G-secs (GS) and four T-bills (TB)."""
    rows: list[dict[str, Any]] = []
    numbers = rng.choice(290, size=6, replace=False) + 10
    for i in range(6):
        coupon = round(float(rng.uniform(6.0, 7.9)), 2)
        year = int(rng.integers(2031, 2065))
        code = "GR" if rng.random() < 0.5 else "GS"
        body = f"IN00{int(rng.integers(2019, 2025))}{int(numbers[i]):03d}"
        rows.append(
            _plain(
                f"{coupon:.2f}".replace(".", "").rstrip("0") + f"{code}{year}",
                "GS",
                "gsec",
                f"GOI LOAN   {coupon:.2f}% {year}",
                body + isin_check_digit(body),
                round(float(rng.uniform(95, 103)), 2),
                turnover=1e6 * float(np.exp(rng.normal(0, 1))),
                ticket=150000.0,
                trade_prob=0.7,
                idio_vol=0.002,
                band=0.2,
            )
        )
    serials = rng.choice(90, size=4, replace=False) + 10
    for i in range(4):
        tenor = ("91D", "182D", "364D", "364D")[i]
        dd, mm, yy = int(rng.integers(1, 29)), int(rng.integers(1, 13)), 27 + i // 2
        body = f"IN0020{yy - 1}{rng.choice(list('XYZ'))}{int(serials[i])}"
        rows.append(
            _plain(
                f"{tenor}{dd:02d}{mm:02d}{yy}",
                "TB",
                "tbill",
                f"GOI TBILL {tenor}-{dd:02d}/{mm:02d}/{yy}",
                body + isin_check_digit(body),
                round(float(rng.uniform(93, 97)), 2),
                turnover=2e6 * float(np.exp(rng.normal(0, 1))),
                ticket=1e6,
                trade_prob=0.55,
                drift=0.00004,
                idio_vol=0.0002,
                band=0.2,
                lot=100,
            )
        )
    return rows


def _plain(
    symbol: str, series: str, kind: str, name: str, isin: str, price: float, **params: Any
) -> dict[str, Any]:
    """Return an instrument row with the defaults of a non-company security."""
    row: dict[str, Any] = {
        "symbol": symbol,
        "series": series,
        "kind": kind,
        "name": name,
        "bhav_name": name,
        "industry": "",
        "basic_industry": "",
        "isin": isin,
        "rank": 0,
        "price0": price,
        "shares": 0,
        "band": 0.2,
        "trade_prob": 1.0,
        "stale_prob": 0.0,
        "beta": 0.0,
        "size_load": 0.0,
        "sector": -1,
        "idio_vol": 0.001,
        "turnover": 1e6,
        "ticket": 10000.0,
        "lot": 1,
        "sector_load": 1.0,
        "gold_load": 0.0,
        "drift": 0.0,
    }
    row.update(params)
    return row


def dedupe_symbols(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Make (symbol, series) pairs unique by appending a letter where two collide."""
    seen: set[tuple[str, str]] = set()
    for row in rows:
        key = (str(row["symbol"]), str(row["series"]))
        letter = 0
        while key in seen:
            key = (f"{row['symbol']}{'ABCDEFGH'[letter]}", key[1])
            letter += 1
        row["symbol"] = key[0]
        seen.add(key)
    return rows
