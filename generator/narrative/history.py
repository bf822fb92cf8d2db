"""Sentences that set a segment's day against its own history.

Each function returns the sentences its data supports, and none when the data is missing
or not notable by the thresholds in `wording`: a brief leaves a claim out rather than
filling it with a weaker one. The consistency checker (`narrative.check`) re-reads every
figure these sentences print from the series in `SegmentContext`.
"""

from __future__ import annotations

from generator.metrics import context as ctx
from generator.metrics.breadth_depth import HIGH_LOW_SESSIONS
from generator.metrics.segment import SegmentDay
from generator.narrative import numbers as N
from generator.narrative import wording as W

MONTH = ctx.MONTH_SESSIONS


def index_history(sd: SegmentDay) -> list[str]:
    """Return the index's run, one-month return and closing records, as sentences."""
    c = sd.context
    if c is None or sd.move is None:
        return []
    out = []
    s = c.streak
    if (s is not None and s.direction != 0 and not s.open_ended
            and s.sessions >= W.STREAK_SESSIONS and s.change_pct is not None
            and s.base_day is not None):
        verb = "risen" if s.direction > 0 else "fallen"
        out.append(f"It has {verb} for {W.count_word(s.sessions)} sessions in a row, "
                   f"{N.signed_pct(s.change_pct)} since the close of "
                   f"{N.short_date(s.base_day.date())}.")
    if c.month is not None:
        out.append(f"Over the past {MONTH} sessions (about one month) the index has returned "
                   f"{N.signed_pct(c.month.return_pct)}.")
    if c.records is not None:
        out += _records("Its close was the {} {}.", c.records.high, c.records.low,
                        ("highest", "lowest"))
    return out


def breadth_history(sd: SegmentDay) -> list[str]:
    """Return today's A/D ratio against the segment's last sessions, as sentences."""
    c = sd.context
    b = c.breadth if c is not None else None
    if b is None or b.ratio is None or b.percentile is None:
        return []
    out = []
    if b.rated >= W.NOTABLE_SESSIONS:
        out.append(f"Today's A/D ratio was at or above that of {N.count(b.at_or_below)} of "
                   f"the last {N.count(b.rated)} sessions with a ratio (percentile "
                   f"{b.percentile:.0f}).")
    return out + _records("It was the {} breadth {}.", b.weakest, b.strongest,
                          ("weakest", "strongest"))


def depth(sd: SegmentDay) -> list[str]:
    """Return the shares above their averages, 52-week highs and lows and the A/D line."""
    c = sd.context
    d = c.depth if c is not None else None
    if d is None:
        return []
    out = []
    parts = [f"{N.count(a.above)} of {N.count(a.counted)} ({a.pct:.0f}%) above the "
             f"{a.window}-session average"
             for a in (d.above_short, d.above_long) if a.counted and a.pct is not None]
    if parts:
        out.append("Constituents that closed above their moving average: "
                   + "; ".join(parts) + ".")
    hl = d.highs_lows
    if hl.counted:
        out.append(f"New {HIGH_LOW_SESSIONS}-session (52-week) closing highs: "
                   f"{N.count(hl.highs)}; new lows: {N.count(hl.lows)}, among the "
                   f"{N.count(hl.counted)} constituents listed for the whole period.")
    table = d.advance_decline.table
    if len(table) > MONTH:
        net = int(table["net"].iloc[-MONTH:].sum())
        way = "rose" if net > 0 else "fell" if net < 0 else "was unchanged"
        size = f" by {N.count(abs(net))}" if net else ""
        out.append(f"Over the past {MONTH} sessions the A/D line (the running total of "
                   f"advances minus declines) {way}{size}.")
    osc = d.advance_decline.mcclellan
    if osc is not None:
        side = ("above zero: net advances are running above their longer average"
                if osc > 0 else "below zero: net advances are running below their longer "
                "average" if osc < 0 else "at zero")
        out.append(f"The McClellan oscillator stood at {N.signed(osc, 1)} ({side}).")
    return out


def _records(sentence: str, first: ctx.Extreme | None, second: ctx.Extreme | None,
             words: tuple[str, str]) -> list[str]:
    """Return the sentence for each notable extreme, filled with its word and span."""
    pairs = ((first, words[0]), (second, words[1]))
    return [sentence.format(word, span) for extreme, word in pairs if (span := _span(extreme))]


def _span(extreme: ctx.Extreme | None) -> str:
    """Return "in N sessions" or "of the N sessions on record", or "" when not notable."""
    if extreme is None:
        return ""
    sessions = extreme.beaten + 1
    if sessions < W.NOTABLE_SESSIONS:
        return ""
    if extreme.sessions_back is None:
        return f"of the {N.count(sessions)} sessions on record"
    return f"in {N.count(sessions)} sessions"

