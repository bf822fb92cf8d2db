"""Results announcements due among a segment's constituents."""

from __future__ import annotations

from datetime import date

import pandas as pd

from generator import columns as C
from generator.calendar import TradingCalendar


def upcoming_results(
    meetings: pd.DataFrame,
    members: pd.DataFrame,
    day: date,
    calendar: TradingCalendar,
    sessions: int,
) -> pd.DataFrame:
    """Return results meetings of constituents in the `sessions` sessions after `day`.

    Matching is by ISIN. One row per company and date, sorted by date then name.
    """
    horizon = calendar.next_sessions(day, sessions)[-1]
    due = meetings.loc[
        meetings["is_results"].astype(bool)
        & meetings[C.ISIN].isin(members[C.ISIN])
        & (meetings[C.MEETING_DATE] > pd.Timestamp(day))
        & (meetings[C.MEETING_DATE] <= pd.Timestamp(horizon))
    ]
    names = members.set_index(C.ISIN)[C.NAME]
    out = pd.DataFrame(
        {
            C.SYMBOL: due[C.SYMBOL],
            C.NAME: due[C.ISIN].map(names),
            C.MEETING_DATE: due[C.MEETING_DATE],
        }
    ).drop_duplicates()
    return out.sort_values([C.MEETING_DATE, C.NAME], kind="stable").reset_index(drop=True)
