"""Column names of the normalised tables, defined once."""

from __future__ import annotations

# Shared
TRADE_DATE = "trade_date"
ISIN = "isin"
SYMBOL = "symbol"
SERIES = "series"
NAME = "name"

# Equity bhavcopy (one row per instrument and series)
INSTRUMENT = "instrument_type"
INSTRUMENT_ID = "instrument_id"  # FinInstrmId: NSE's token, BSE's scrip code
OPEN = "open"
HIGH = "high"
LOW = "low"
CLOSE = "close"
LAST = "last"
PREV_CLOSE = "prev_close"
VOLUME = "volume"
TURNOVER_INR = "turnover_inr"
TRADES = "trades"

# Index closes (one row per index)
INDEX_NAME = "index_name"
POINTS_CHANGE = "points_change"
CHANGE_PCT = "change_pct"

# Constituent lists
INDUSTRY = "industry"

# Board meetings / results calendar
MEETING_DATE = "meeting_date"
PURPOSE = "purpose"

# Derived
RETURN_PCT = "return_pct"
