"""Advances, declines, unchanged and not traded among a segment's constituents."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from generator import columns as C
from generator.metrics.universe import TRADED


@dataclass(frozen=True)
class Breadth:
    """Counts of a segment's constituents by the direction of their close."""

    advances: int
    declines: int
    unchanged: int
    not_traded: int

    @property
    def constituents(self) -> int:
        """Return the number of constituents counted."""
        return self.advances + self.declines + self.unchanged + self.not_traded

    @property
    def ad_ratio(self) -> float | None:
        """Return advances / declines, or None when nothing declined."""
        return ad_ratio(self.advances, self.declines)


def ad_ratio(advances: int, declines: int) -> float | None:
    """Return the advance/decline ratio; None when there were no declines.

    With zero declines the ratio is undefined (division by zero), not infinite: the brief
    then says that no constituent declined instead of printing a ratio.
    """
    return advances / declines if declines else None


def compute_breadth(members: pd.DataFrame) -> Breadth:
    """Count advances (close above previous close), declines, unchanged and not traded."""
    traded = members[TRADED].astype(bool)
    close = members[C.CLOSE]
    prev = members[C.PREV_CLOSE]
    return Breadth(
        advances=int((traded & (close > prev)).sum()),
        declines=int((traded & (close < prev)).sum()),
        unchanged=int((traded & (close == prev)).sum()),
        not_traded=int((~traded).sum()),
    )
