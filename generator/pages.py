"""Where pages live in the docs dir, and the index pages built from brief summaries."""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from generator.config import Config, Segment
from generator.corrections import Correction
from generator.metrics import breadth_depth as bd
from generator.metrics import context as ctx
from generator.metrics import trend
from generator.metrics.segment import AD_SESSIONS, WINDOW_SESSIONS
from generator.metrics.universe import COMPANY_ISIN_PREFIX, COMPANY_SERIES, SME_SERIES
from generator.narrative import numbers as N
from generator.narrative import wording as W
from generator.narrative.implications import CONDITIONS
from generator.narrative.render import environment
from generator.narrative.wording import RULES
from generator.summary import BriefSummary

if TYPE_CHECKING:
    from generator.summary_archive import Summaries

BRIEFS = "briefs"
RECENT_DAYS = 10


def day_dir(day: date) -> str:
    """Return the docs-relative folder of a day's pages: briefs/YYYY/MM/DD."""
    return f"{BRIEFS}/{day:%Y/%m/%d}"


def folder_day(folder: Path, docs_dir: Path) -> date | None:
    """Return the session of a docs folder briefs/YYYY/MM/DD, or None if it is not one."""
    try:
        year, month, day = folder.relative_to(docs_dir / BRIEFS).parts
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def brief_days(docs_dir: Path) -> list[date]:
    """Return the sessions with at least one brief in the docs dir, oldest first."""
    root = docs_dir / BRIEFS
    pages = root.glob("[0-9]*/[0-9]*/[0-9]*/*.md") if root.is_dir() else []
    return sorted({day for page in pages if page.name != "index.md"
                   and (day := folder_day(page.parent, docs_dir)) is not None})


def newest_brief_day(docs_dir: Path) -> date | None:
    """Return the newest session with a brief in the docs dir (None if none), looking only
    into the newest year, month and day folders until one holds a brief."""
    root = docs_dir / BRIEFS

    def newest_first(folder: Path) -> list[Path]:
        if not folder.is_dir():
            return []
        return sorted((p for p in folder.iterdir() if p.is_dir() and p.name.isdigit()),
                      key=lambda p: int(p.name), reverse=True)

    for year in newest_first(root):
        for month in newest_first(year):
            for day in newest_first(month):
                found = folder_day(day, docs_dir)
                if found is not None and any(
                        p.suffix == ".md" and p.name != "index.md" for p in day.iterdir()):
                    return found
    return None


def brief_path(day: date, segment_key: str) -> str:
    """Return the docs-relative path of a brief."""
    return f"{day_dir(day)}/{segment_key}.md"


def day_path(day: date) -> str:
    """Return the docs-relative path of a day's page."""
    return f"{day_dir(day)}/index.md"


def relative(from_page: str, to_page: str) -> str:
    """Return the link from one docs-relative page to another."""
    return posixpath.relpath(to_page, posixpath.dirname(from_page))


def day_page(
    day: date, summaries: Sequence[BriefSummary], previous: date | None, following: date | None
) -> str:
    """Return the Markdown of a day's page linking its segment briefs."""
    here = day_path(day)
    return environment().get_template("day.md.j2").render(
        title=f"Briefs, {N.short_date(day)}",
        description=" ".join(f"{s.headline}." for s in summaries),
        day=day,
        summaries=summaries,
        previous=previous,
        following=following,
        previous_link=relative(here, day_path(previous)) if previous else "",
        following_link=relative(here, day_path(following)) if following else "",
    )


def home_page(config: Config, by_day: Summaries) -> str:
    """Return the home page: the latest day's briefs and links to recent days."""
    days = sorted(by_day)
    latest = days[-1] if days else None
    summaries = by_day[latest] if latest else []
    return environment().get_template("home.md.j2").render(
        description="Daily factual briefs on India's large, mid, small and micro caps.",
        segment_labels=", ".join(s.label for s in config.segments),
        latest=latest,
        summaries=summaries,
        brief_links={s.segment: brief_path(s.date, s.segment) for s in summaries},
        day_link=day_path(latest) if latest else "",
        recent=[(d, day_path(d)) for d in reversed(days[-RECENT_DAYS - 1 : -1])],
    )


def month_path(day: date) -> str:
    """Return the docs-relative path of the archive page of a day's month."""
    return f"archive/{day:%Y-%m}.md"


def month_pages(by_day: Summaries, months: Collection[str] | None = None) -> dict[str, str]:
    """Return archive/YYYY-MM.md pages, one per month with briefs (only `months`, paths
    as `month_path` gives them, when given)."""
    grouped: dict[str, list[date]] = defaultdict(list)
    for day in by_day:
        grouped[month_path(day)].append(day)
    pages = {}
    for here, days in grouped.items():
        if months is not None and here not in months:
            continue
        rows = [
            (day, relative(here, day_path(day)),
             [(s, relative(here, brief_path(day, s.segment))) for s in by_day[day]])
            for day in reversed(days)
        ]
        pages[here] = environment().get_template("month.md.j2").render(
            title=N.month_name(days[0].year, days[0].month), days=rows
        )
    return pages


def archive_page(config: Config, by_day: Summaries) -> str:
    """Return archive/index.md: months by year and the segment archives."""
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for day in by_day:
        counts[(day.year, day.month)] += 1
    years: dict[int, list[tuple[str, str, int]]] = defaultdict(list)
    for (year, month) in sorted(counts, reverse=True):
        years[year].append((N.month_name(year, month), f"{year:04d}-{month:02d}.md",
                            counts[(year, month)]))
    per_segment: dict[str, int] = defaultdict(int)
    for day in by_day:
        for key in by_day.segments(day):
            per_segment[key] += 1
    return environment().get_template("archive.md.j2").render(
        years=sorted(years.items(), reverse=True),
        segments=[(seg, f"../segments/{seg.key}.md", per_segment[seg.key])
                  for seg in config.segments],
    )


# Newest briefs listed on a segment's page; the rest are on its year pages.
SEGMENT_RECENT = 22


def segment_year_path(key: str, year: int) -> str:
    """Return the docs-relative path of a segment's page for one year."""
    return f"segments/{key}/{year}.md"


def _segment_rows(here: str, key: str, by_day: Mapping[date, Sequence[BriefSummary]],
                  days: Sequence[date]) -> list[tuple[BriefSummary, str]]:
    return [(s, relative(here, brief_path(day, s.segment)))
            for day in sorted(days, reverse=True) for s in by_day[day] if s.segment == key]


def segment_page(segment: Segment, by_day: Summaries,
                 charts: Mapping[str, str], feed: str) -> str:
    """Return segments/<key>.md: the latest brief, charts of the recent sessions, the newest
    briefs and a link to each year's page. `charts` are embeds by kind (index, breadth);
    `feed` is the segment feed's path. Its size does not grow with the archive."""
    here = f"segments/{segment.key}.md"
    rows = _segment_rows(here, segment.key, by_day, sorted(by_day)[-SEGMENT_RECENT:])
    counts: dict[int, int] = defaultdict(int)
    for day in by_day:
        counts[day.year] += segment.key in by_day.segments(day)
    years = [(year, counts[year], relative(here, segment_year_path(segment.key, year)))
             for year in sorted(counts, reverse=True) if counts[year]]
    return environment().get_template("segment.md.j2").render(
        seg=segment, rows=rows, charts=charts, feed_link=relative(here, feed),
        sessions=sum(counts.values()), years=years)


def segment_year_page(segment: Segment, year: int, by_day: Summaries,
                      charts: Mapping[str, str]) -> str:
    """Return segments/<key>/<year>.md: every brief of the segment that year, newest first,
    with the year's charts once the year is closed (`charts` empty before)."""
    here = segment_year_path(segment.key, year)
    rows = _segment_rows(here, segment.key, by_day, list(by_day.year(year)))
    return environment().get_template("segment_year.md.j2").render(
        seg=segment, year=year, rows=rows, charts=charts,
        segment_link=relative(here, f"segments/{segment.key}.md"))


CORRECTIONS_PAGE = "corrections.md"
TAGS_PAGE = "tags.md"


def tags_page(config: Config) -> str:
    """Return tags.md: each segment's tag, linking its segment's page, and the stock list."""
    return environment().get_template("tags.md.j2").render(
        segments=[(seg, relative(TAGS_PAGE, f"segments/{seg.key}.md"))
                  for seg in config.segments])


def corrections_page(config: Config,
                     found: Sequence[tuple[date, Correction]]) -> str:
    """Return the corrections page: every correction (of the brief of a session), newest
    first."""
    labels = {seg.key: seg.label for seg in config.segments}
    rows = []
    for day, c in sorted(found, key=lambda item: (item[1].published, item[0], item[1].segment),
                         reverse=True):
        if c.files:
            cause = "; ".join(f"{f.what} {'added' if f.before == 'none' else 're-issued'}"
                              for f in c.files)
        else:
            cause = "an earlier session's data corrected"
        shown = [f"{f.what} {f.before} → {f.after}" for f in c.figures[:3]]
        if len(c.figures) > 3:
            shown.append(f"and {len(c.figures) - 3} more")
        count = len(c.sentences)
        what = "; ".join(shown) or (f"{count} sentence{'s' if count != 1 else ''}" if count
                                    else "sources only")
        rows.append((c.day, f"{labels.get(c.segment, c.segment)}, {N.short_date(day)}",
                     relative(CORRECTIONS_PAGE, brief_path(day, c.segment)), cause, what))
    return environment().get_template("corrections.md.j2").render(rows=rows)


def methodology_page(config: Config) -> str:
    """Return the methodology page, written from the constants the code uses."""
    return environment().get_template("methodology.md.j2").render(
        segments=config.segments,
        benchmarks=config.benchmarks,
        isin_prefix=COMPANY_ISIN_PREFIX,
        exchange=config.exchange,
        bse_codes=config.bse_index_codes,
        series=COMPANY_SERIES[config.exchange],
        sme_series=SME_SERIES[config.exchange],
        window=WINDOW_SESSIONS,
        top=config.brief.top_movers,
        horizon=config.brief.results_horizon_sessions,
        results_listed=config.brief.results_listed,
        rules=RULES,
        trend_rules=trend.RULES,
        trend_bands=trend.THRESHOLDS,
        min_votes=trend.MIN_VOTES,
        trend_cap=config.brief.trend_changes,
        smooth_sessions=trend.SMOOTH_SESSIONS,
        d={"short": bd.SMA_SHORT, "long": bd.SMA_LONG, "tolerance": f"{bd.PRICE_TOLERANCE:.1%}",
           "high_low": bd.HIGH_LOW_SESSIONS, "ad_sessions": AD_SESSIONS,
           "month": ctx.MONTH_SESSIONS, "fast": bd.MCCLELLAN_FAST, "slow": bd.MCCLELLAN_SLOW},
        notable=W.NOTABLE_SESSIONS,
        streak=W.STREAK_SESSIONS,
        up_verbs=W.UP_VERBS, down_verbs=W.DOWN_VERBS, up_nouns=W.UP_NOUNS,
        down_nouns=W.DOWN_NOUNS,
        conditions=CONDITIONS,
        corrections_link=CORRECTIONS_PAGE,
    )
