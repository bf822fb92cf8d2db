"""Which equity bhavcopy layout a day has: chosen by date, confirmed by the file's header.

NSE switched to UDiFF on 2024-07-08. A file whose header is not the layout its date calls
for is rejected; there is never a silent fallback to the other layout.
"""

from __future__ import annotations

from datetime import date
from types import ModuleType

import pandas as pd

from generator.errors import FormatError
from generator.sources import nse_cm_bhav, nse_udiff
from generator.sources.text import decode_text

LAYOUTS: dict[str, ModuleType] = {"UDiFF": nse_udiff, "cm bhavcopy": nse_cm_bhav}


def layout_name(day: date) -> str:
    """Return the name of the layout NSE published on `day`."""
    return "UDiFF" if day >= nse_cm_bhav.UDIFF_FROM else "cm bhavcopy"


def file_name(day: date) -> str:
    """Return the exchange's file name of the day's equity bhavcopy."""
    return str(LAYOUTS[layout_name(day)].file_name(day))


def header_layout(raw: bytes, path: str) -> str | None:
    """Return the layout whose header the file has, or None."""
    first = decode_text(raw, path).split("\n", 1)[0].strip()
    found = tuple(h.strip() for h in first.split(","))
    return next((name for name, mod in LAYOUTS.items() if found == mod.HEADER), None)


def check_layout(found: str | None, day: date, path: str) -> None:
    """Refuse a file whose layout is not the one NSE published on `day`."""
    expected = layout_name(day)
    if found is not None and found != expected:
        raise FormatError(
            path, f"the file has the {found} layout, but {day} was published as {expected}",
            row=1, hint="fetch the file the exchange published for that day",
        )


def parse(raw: bytes, path: str, day: date) -> pd.DataFrame:
    """Parse the day's bhavcopy with the layout its date calls for."""
    check_layout(header_layout(raw, path), day, path)
    expected = layout_name(day)
    result: pd.DataFrame = LAYOUTS[expected].parse(raw, path, day)
    return result
