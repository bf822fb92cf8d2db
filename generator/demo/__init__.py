"""A deterministic simulated exchange that writes NSE's own file formats into an archive."""

from __future__ import annotations

from generator.demo.archive import write_archive
from generator.demo.market import (
    DEFAULT_END,
    DEFAULT_SEED,
    DEFAULT_START,
    DemoMarket,
    simulate_market,
)

__all__ = [
    "DEFAULT_END",
    "DEFAULT_SEED",
    "DEFAULT_START",
    "DemoMarket",
    "simulate_market",
    "write_archive",
]
