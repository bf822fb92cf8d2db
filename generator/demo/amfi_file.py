"""The demo market's AMFI average market capitalisation list (xlsx), one per half-year.

The companies are ranked as the demo ranks them; categories follow SEBI's bands. The
workbook is re-zipped with fixed timestamps so the same market gives the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime, timedelta

from openpyxl import Workbook

from generator.demo.market import DemoMarket
from generator.narrative.numbers import MONTHS
from generator.sources import amfi

PUBLICATION_LAG = timedelta(days=10)  # the list appears this long after the half-year ends
HEADER = (
    "Sr. No.", "Company name", "ISIN", "BSE Symbol",
    "BSE 6 month Avg Total Market Cap in (Rs. Crs.)", "NSE Symbol",
    "NSE 6 month Avg Total Market Cap (Rs. Crs.)", "MSEI Symbol",
    "MSEI 6 month Avg Total Market Cap in (Rs Crs.)", "Average of All Exchanges (Rs. Cr.)",
    "Categorization as per SEBI Circular dated Oct 6, 2017",
)
_CRORE = 1e7
_FIXED_TIME = (2000, 1, 1, 0, 0, 0)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def published_periods(start: date, end: date) -> list[date]:
    """Return the half-year ends whose list is in force on some day from start to end."""
    first = amfi.period_ends_before(start - PUBLICATION_LAG)[0]
    periods = [first]
    while True:
        following = amfi.period_ends_before(periods[-1] + timedelta(days=200))[0]
        if following == periods[-1] or following + PUBLICATION_LAG > end:
            return periods
        periods.append(following)


def render_amfi_list(market: DemoMarket, period_end: date) -> bytes:
    """Return the AMFI list of the half-year ending `period_end`."""
    firms = market.companies
    book = Workbook()
    book.remove(book.worksheets[0])
    sheet = book.create_sheet("FINAL")
    ended = f"{period_end.day} {MONTHS[period_end.month - 1]} {period_end.year}"
    sheet.append([f"Average Market Capitalization of listed companies during the six months "
                  f"ended {ended}"])
    sheet.append(list(HEADER))
    caps = (firms["shares"].to_numpy(float) * firms["price0"].to_numpy(float) / _CRORE).round(2)
    rows = zip(firms["name"].astype(str), firms["isin"].astype(str), firms["symbol"].astype(str),
               caps.tolist(), strict=True)
    for number, (name, isin, symbol, cap) in enumerate(rows, start=1):
        sheet.append([number, name, isin, symbol, cap, symbol, cap, "-", "-", cap,
                      amfi.category_for_rank(number)])
    stamp = datetime.combine(period_end, datetime.min.time())
    book.properties.created = stamp
    book.properties.modified = stamp
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip(buffer.getvalue(), stamp)


def _fixed_zip(data: bytes, stamp: datetime) -> bytes:
    """Return the zip with the clock taken out: openpyxl stamps the save time on every member
    and as the workbook's modified time."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            body = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _MODIFIED.sub(f"\\g<1>{stamp:%Y-%m-%dT%H:%M:%SZ}\\g<2>".encode(), body)
            target.writestr(fixed, body)
    return out.getvalue()
