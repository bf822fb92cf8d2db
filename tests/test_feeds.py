"""Atom feeds of the briefs: structure, order, limit, escaping and determinism."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pytest
import scenario

from generator.feeds import FEED_ALL, atom_feed, dated_at, entry_summary, feed_path
from generator.pipeline import compute_days
from generator.summary import BriefSummary, summarise

SITE = "https://example.org/market-briefs/"
A = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
HOSTILE = 'A&B <script>"Co"'
FORMULA = "=cmd|' /C calc'!A0"


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> list[BriefSummary]:
    """The summaries of the crafted seed day: large caps, then small caps."""
    crafted = scenario.build(tmp_path_factory.mktemp("seed"))
    computed, _ = compute_days(crafted.config, crafted.store, [scenario.DAY])
    return [summarise(sd) for _, seg_days in computed for sd in seg_days]


def _mover(symbol: str, name: str, return_pct: float) -> dict[str, object]:
    return {"symbol": symbol, "name": name, "close": 100.0, "prev_close": 90.0,
            "return_pct": return_pct}


def _summary(day: date, segment: str = "small", **changes: object) -> BriefSummary:
    base = BriefSummary(
        day=day.isoformat(), segment=segment, label=f"{segment.title()} caps",
        index=f"Index {segment}", headline=f"{segment.title()} caps rise 1.00%",
        index_close=12345.6, change_pct=1.0, window_pct=-2.5, window_sessions=5,
        advances=120, declines=80, unchanged=3, not_traded=0, ad_ratio=1.5, mean_pct=0.4,
        median_pct=0.3, gainers=[_mover("HOST", HOSTILE, 9.5)],
        losers=[_mover("FORM", FORMULA, -7.25)], results_due=[],
    )
    return dataclasses.replace(base, **changes)


def _archive(days: int) -> list[BriefSummary]:
    """Return `days` sessions of two segments each, oldest first."""
    start = date(2025, 1, 1)
    return [_summary(start + timedelta(days=i), seg) for i in range(days)
            for seg in ("mid", "small")]


def _feed(summaries: list[BriefSummary], **kwargs: object) -> ET.Element:
    data = atom_feed(summaries, title="Market Briefs: all segments", feed_path=FEED_ALL,
                     site_url=SITE, **kwargs)
    return ET.fromstring(data)


def _links(element: ET.Element) -> list[dict[str, str]]:
    return [dict(link.attrib) for link in element.findall(f"{A}link")]


def test_feed_path_names_the_segment() -> None:
    assert FEED_ALL == "feeds/all.xml"
    assert feed_path("small") == "feeds/small.xml"


def test_atom_feed_head_has_id_links_and_fixed_generator() -> None:
    root = _feed(_archive(3))
    assert root.tag == f"{A}feed"
    assert root.get(XML_LANG) == "en"
    assert root.findtext(f"{A}id") == SITE + "feeds/all.xml"
    assert root.findtext(f"{A}title") == "Market Briefs: all segments"
    assert root.findtext(f"{A}updated") == "2025-01-03T18:00:00+05:30"
    assert root.findtext(f"{A}author/{A}name") == "Market Briefs"
    assert _links(root) == [
        {"href": SITE + "feeds/all.xml", "rel": "self", "type": "application/atom+xml"},
        {"href": SITE, "rel": "alternate", "type": "text/html"},
    ]
    generator = root.find(f"{A}generator")
    assert generator is not None
    assert (generator.text, generator.attrib) == ("market-brief", {})


def test_atom_feed_entries_newest_first_with_brief_links() -> None:
    root = _feed(_archive(3))
    entries = root.findall(f"{A}entry")
    ids = [e.findtext(f"{A}id") for e in entries]
    assert ids == [SITE + f"briefs/2025/01/{d:02d}/{seg}/"
                   for d in (3, 2, 1) for seg in ("mid", "small")]
    first = entries[0]
    assert _links(first) == [{"href": SITE + "briefs/2025/01/03/mid/"}]  # rel: alternate
    assert first.findtext(f"{A}title") == "Mid caps, 3 Jan 2025: Mid caps rise 1.00%"
    assert first.findtext(f"{A}updated") == "2025-01-03T18:00:00+05:30"
    assert first.findtext(f"{A}published") == "2025-01-03T18:00:00+05:30"
    category = first.find(f"{A}category")
    assert category is not None
    assert category.attrib == {"term": "mid", "label": "Mid caps"}


def test_atom_feed_keeps_the_newest_limit_briefs() -> None:
    root = _feed(_archive(30), limit=5)
    ids = [e.findtext(f"{A}id") for e in root.findall(f"{A}entry")]
    assert ids == [SITE + "briefs/2025/01/30/mid/", SITE + "briefs/2025/01/30/small/",
                   SITE + "briefs/2025/01/29/mid/", SITE + "briefs/2025/01/29/small/",
                   SITE + "briefs/2025/01/28/mid/"]
    assert len(_feed(_archive(30)).findall(f"{A}entry")) == 50  # default limit
    assert root.findtext(f"{A}updated") == "2025-01-30T18:00:00+05:30"


def test_atom_feed_order_does_not_depend_on_input_day_order() -> None:
    archive = _archive(4)
    shuffled = archive[4:] + archive[:4]  # days moved, each day's segment order kept
    kwargs = {"title": "t", "feed_path": FEED_ALL, "site_url": SITE}
    assert atom_feed(archive, **kwargs) == atom_feed(shuffled, **kwargs)


def test_atom_feed_escapes_hostile_text() -> None:
    summary = _summary(date(2025, 1, 2), label="Small <b>caps</b> & co",
                       headline='Small caps rise 1.00% <script>alert("x")</script>')
    data = atom_feed([summary], title='Briefs & "feeds" <all>', feed_path=FEED_ALL,
                     site_url=SITE)
    assert b"<script>" not in data
    assert b"&lt;script&gt;" in data
    root = ET.fromstring(data)
    assert root.findtext(f"{A}title") == 'Briefs & "feeds" <all>'
    entry = root.find(f"{A}entry")
    assert entry is not None
    assert entry.findtext(f"{A}title") == (
        'Small <b>caps</b> & co, 2 Jan 2025: Small caps rise 1.00% <script>alert("x")</script>')
    text = entry.findtext(f"{A}summary") or ""
    assert f"Top gainer: {HOSTILE} (HOST), +9.50%." in text
    assert f"Top loser: {FORMULA} (FORM), \u22127.25%." in text
    category = entry.find(f"{A}category")
    assert category is not None
    assert category.get("label") == "Small <b>caps</b> & co"


def test_atom_feed_drops_characters_xml_cannot_hold() -> None:
    summary = _summary(date(2025, 1, 2), gainers=[_mover("CTL", "Bell\x07 \x0bLtd\x00", 3.0)])
    root = ET.fromstring(atom_feed([summary], title="t\x1b", feed_path=FEED_ALL,
                                   site_url=SITE))
    assert root.findtext(f"{A}title") == "t"
    assert "Top gainer: Bell Ltd (CTL), +3.00%." in (root.findtext(f"{A}entry/{A}summary")
                                                      or "")


def test_atom_feed_is_byte_identical_across_calls() -> None:
    archive = _archive(10)
    first = atom_feed(archive, title="t", feed_path=feed_path("small"), site_url=SITE)
    assert first == atom_feed(list(archive), title="t", feed_path=feed_path("small"),
                              site_url=SITE)
    assert b"python-feedgen" not in first
    assert b"version=" not in first.split(b"?>", 1)[1]  # no library version in the feed
    assert first.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<feed ")


def test_entry_summary_of_the_seed_brief(seed: list[BriefSummary]) -> None:
    large, small = seed
    assert entry_summary(small) == (
        "BSE SmallCap closed at 10,195.00, +2.52% on the day and +1.95% over 5 sessions. "
        "378 advanced, 816 declined, 4 unchanged, 2 did not trade (A/D ratio 0.46). "
        "Top gainer: A&B <Co> *Ltd* | x (ABCO), +12.99%. "
        "Top loser: Stallwart India Ltd (STALL), \u221216.78%.")
    assert entry_summary(large) == (
        "BSE LargeCap closed at 9,200.00, +0.39% on the day and +2.22% over 5 sessions. "
        "20 advanced, 0 declined, 0 unchanged. Top gainer: Bigco 0 Ltd (BIG0), +0.50%.")


def test_entry_summary_without_an_index_move() -> None:
    summary = _summary(date(2025, 1, 2), index_close=None, change_pct=None, window_pct=None,
                       window_sessions=0, gainers=[], losers=[], ad_ratio=None, declines=0)
    assert entry_summary(summary) == (
        "The Index small move is not reported. 120 advanced, 0 declined, 3 unchanged.")


def test_atom_feed_of_the_seed_day(seed: list[BriefSummary], tmp_path: Path) -> None:
    data = atom_feed(seed, title="Small caps", feed_path=feed_path("small"), site_url=SITE)
    root = ET.fromstring(data)
    entries = root.findall(f"{A}entry")
    assert [e.findtext(f"{A}id") for e in entries] == [
        SITE + "briefs/2026/02/12/large/", SITE + "briefs/2026/02/12/small/"]
    assert entries[1].findtext(f"{A}title") == (
        "Small caps, 12 Feb 2026: Small caps rise 2.52%, best of two segments; breadth weak "
        "(A/D 0.46)")
    assert b"A&amp;B &lt;Co&gt; *Ltd* | x" in data
    path = tmp_path / "small.xml"
    path.write_bytes(data)
    assert ET.parse(path).getroot().findtext(f"{A}id") == SITE + "feeds/small.xml"


def test_atom_feed_empty_needs_a_date() -> None:
    root = _feed([], empty_updated=date(2025, 3, 21))
    assert root.findall(f"{A}entry") == []
    assert root.findtext(f"{A}updated") == "2025-03-21T18:00:00+05:30"
    with pytest.raises(ValueError) as caught:
        _feed([])
    assert str(caught.value) == (
        "the feed feeds/all.xml has no briefs, so its date cannot be read from them; pass "
        "empty_updated (the newest brief's day of the site)")


def test_atom_feed_ignores_empty_updated_when_it_has_briefs() -> None:
    root = _feed(_archive(2), empty_updated=date(2030, 1, 1))
    assert root.findtext(f"{A}updated") == "2025-01-02T18:00:00+05:30"


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"site_url": "https://example.org"},
     "site_url must be an absolute http(s) URL ending with '/', like "
     "'https://example.org/market-briefs/'; got 'https://example.org'"),
    ({"limit": 0}, "limit must be at least 1, got 0"),
    ({"feed_path": "/feeds/all.xml"},
     "feed_path must be site-relative, like 'feeds/all.xml'; got '/feeds/all.xml'"),
])
def test_atom_feed_rejects_bad_arguments(kwargs: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {"title": "t", "feed_path": FEED_ALL, "site_url": SITE}
    arguments.update(kwargs)
    with pytest.raises(ValueError) as caught:
        atom_feed(_archive(1), **arguments)
    assert str(caught.value) == message


def test_atom_feed_rejects_a_brief_twice() -> None:
    brief = _summary(date(2025, 1, 2))
    with pytest.raises(ValueError, match="two summaries of the 'small' brief of 2025-01-02"):
        _feed([brief, brief])


def test_dated_at_is_the_evening_of_the_session_in_india() -> None:
    when = dated_at(date(2025, 1, 17))
    assert when.isoformat() == "2025-01-17T18:00:00+05:30"
    assert when.utcoffset() == timedelta(hours=5, minutes=30)
