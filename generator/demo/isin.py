"""ISIN check digits (ISO 6166): letters become numbers, then the Luhn sum."""

from __future__ import annotations

import re

_ISIN = re.compile(r"[A-Z]{2}[A-Z0-9]{9}[0-9]")
_BODY = re.compile(r"[A-Z]{2}[A-Z0-9]{9}")


def isin_check_digit(body: str) -> str:
    """Return the check digit of an 11-character ISIN body such as `INE002A0101`."""
    if not _BODY.fullmatch(body):
        raise ValueError(f"not an ISIN body (2 letters + 9 letters/digits): {body!r}")
    digits = "".join(str(int(ch, 36)) for ch in body)
    total = 0
    for pos, ch in enumerate(reversed(digits)):
        value = int(ch)
        if pos % 2 == 0:
            value *= 2
            value = value - 9 if value > 9 else value
        total += value
    return str((10 - total % 10) % 10)


def is_valid_isin(isin: str) -> bool:
    """Tell whether `isin` is well formed and its last digit is the right check digit."""
    if not _ISIN.fullmatch(isin):
        return False
    return isin_check_digit(isin[:11]) == isin[11]
