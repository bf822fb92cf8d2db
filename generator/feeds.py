"""Atom feeds of the briefs: one of every brief and one per segment.

A feed is built from brief summaries only and is deterministic: the same summaries give
byte-identical bytes. Nothing reads the clock. Each entry is dated at the session's date,
18:00 India Standard Time (+05:30), after the close, when the exchange files behind the
brief are out; the feed's `updated` is its newest entry's. A re-rendered brief therefore
keeps its date. The generator element names the project without a version, so the output
does not change when feedgen is upgraded.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta, timezone

from feedgen.feed import FeedGenerator

from generator.downloads import brief_url, check_site_url, sort_newest_first
from generator.escape import clean_text
from generator.narrative import numbers as N
from generator.summary import BriefSummary

FEEDS = "feeds"
FEED_ALL = f"{FEEDS}/all.xml"
FEED_LIMIT = 50
GENERATOR = "market-brief"
AUTHOR = "Market Briefs"
LANGUAGE = "en"
IST = timezone(timedelta(hours=5, minutes=30), "IST")
SESSION_TIME = time(18, 0)
# Characters XML 1.0 cannot hold (lxml refuses them); they are dropped from feed text
# (clean_text drops all but the noncharacters already).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def feed_path(segment_key: str) -> str:
    """Return the docs-relative path of a segment's feed: feeds/<key>.xml."""
    return f"{FEEDS}/{segment_key}.xml"


def dated_at(day: date) -> datetime:
    """Return the time a session's briefs are dated at in feeds: 18:00 IST that day."""
    return datetime.combine(day, SESSION_TIME, tzinfo=IST)


def entry_title(summary: BriefSummary) -> str:
    """Return a feed entry's title: segment, date and the brief's headline."""
    return f"{summary.label}, {N.short_date(summary.date)}: {summary.headline}"


def entry_summary(summary: BriefSummary) -> str:
    """Return a brief's key figures as a few plain-text sentences."""
    s = summary
    if s.change_pct is None:
        move = f"The {s.index} move is not reported."
    else:
        close = f" closed at {N.level(s.index_close)}," if s.index_close is not None else ""
        window = (f" and {N.signed_pct(s.window_pct)} over {s.window_sessions} sessions"
                  if s.window_pct is not None else "")
        move = f"{s.index}{close} {N.signed_pct(s.change_pct)} on the day{window}."
    idle = f", {N.count(s.not_traded)} did not trade" if s.not_traded else ""
    ratio = f" (A/D ratio {N.ratio(s.ad_ratio)})" if s.ad_ratio is not None else ""
    breadth = (f"{N.count(s.advances)} advanced, {N.count(s.declines)} declined, "
               f"{N.count(s.unchanged)} unchanged{idle}{ratio}.")
    sentences = [move, breadth]
    for role, movers in (("gainer", s.gainers), ("loser", s.losers)):
        if movers and movers[0].get("return_pct") is not None:
            top = movers[0]
            sentences.append(f"Top {role}: {top['name']} ({top['symbol']}), "
                             f"{N.signed_pct(top['return_pct'])}.")
    return " ".join(sentences)


def atom_feed(
    summaries: Sequence[BriefSummary],
    *,
    title: str,
    feed_path: str,
    site_url: str,
    limit: int = FEED_LIMIT,
    empty_updated: date | None = None,
    author: str = AUTHOR,
) -> bytes:
    """Return an Atom feed (UTF-8 XML) of the newest `limit` briefs, newest first.

    `feed_path` is the feed's site-relative path (FEED_ALL or feed_path(key)) and
    `site_url` the site's absolute URL ending with "/". Briefs of one day keep their order
    in `summaries`. With no summaries the feed has no entries and is dated at
    `empty_updated` (18:00 IST), which must then be given: pass the newest brief's day of
    the whole archive, so the feed's date does not move between runs.
    """
    check_site_url(site_url)
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    if not feed_path or feed_path.startswith("/"):
        raise ValueError(f"feed_path must be site-relative, like {FEED_ALL!r}; got "
                         f"{feed_path!r}")
    entries = sort_newest_first(summaries)[:limit]
    if entries:
        updated = dated_at(entries[0].date)
    elif empty_updated is not None:
        updated = dated_at(empty_updated)
    else:
        raise ValueError(f"the feed {feed_path} has no briefs, so its date cannot be read "
                         "from them; pass empty_updated (the newest brief's day of the site)")
    feed = FeedGenerator()
    feed.id(site_url + feed_path)
    feed.title(_xml_text(title))
    feed.updated(updated)
    feed.author({"name": _xml_text(author)})
    feed.link(href=site_url + feed_path, rel="self", type="application/atom+xml")
    feed.link(href=site_url, rel="alternate", type="text/html")
    feed.language(LANGUAGE)
    feed.generator(GENERATOR)
    for s in entries:
        url = site_url + brief_url(s.date, s.segment)
        when = dated_at(s.date)
        entry = feed.add_entry(order="append")
        entry.id(url)
        entry.title(_xml_text(entry_title(s)))
        # feedgen 1.0 drops an entry link's rel and type; a link without rel is the
        # alternate (RFC 4287, 4.2.7.2), so only href is given.
        entry.link(href=url)
        entry.updated(when)
        entry.published(when)
        entry.summary(_xml_text(entry_summary(s)))
        entry.category(term=s.segment, label=_xml_text(s.label))
    data: bytes = feed.atom_str(pretty=True)
    return data


def _xml_text(text: str) -> str:
    """Return plain text for an Atom text construct (type text: feedgen escapes it as XML),
    without the controls and bidirectional or zero-width marks `clean_text` drops."""
    return _NOT_XML.sub("", clean_text(text))
