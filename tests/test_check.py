"""The consistency checker: it passes the briefs the project writes and catches a template
that says "rose" for a fall, a wrong count and a false superlative, before anything is
published and over a published archive."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import jinja2
import pytest
import scenario
from demo_store import Demo
from site_project import tree_bytes
from test_cli import invoke

from generator.metrics.segment import SegmentDay, compute_day
from generator.narrative import history as H
from generator.narrative import render
from generator.narrative.check import InconsistentBriefError, check_brief
from generator.pipeline import check_archive, compute_days, render_days
from generator.snapshot import MarketDay, load_day, load_history, load_ratings

GOLDEN_FULL = Path(__file__).parent / "golden" / "brief_small_2026-02-12_full.md"
SEED_SECTIONS = ["Index performance", "Breadth", "Divergence", "Movers", "Results due",
                 "Trend labels", "Rating changes", "What it implies", "In short"]
Computed = list[tuple[MarketDay, list[SegmentDay]]]


@pytest.fixture(scope="module")
def computed(demo_market: Demo) -> Computed:
    config, store, days = demo_market
    return compute_days(config, store, days)[0]


def _text(market: MarketDay, sd: SegmentDay) -> str:
    return render.render_brief(sd, {}, market.sources, "../../../../methodology.md")


def _use_template(monkeypatch: pytest.MonkeyPatch, old: str, new: str) -> None:
    """Make the briefs render from a copy of the brief template with `old` replaced."""
    env = render.environment()
    assert env.loader is not None
    source = env.loader.get_source(env, "brief.md.j2")[0]
    assert old in source, old
    mutated = env.overlay(loader=jinja2.DictLoader({"brief.md.j2": source.replace(old, new)}))
    monkeypatch.setattr(render, "environment", lambda: mutated)


def _find(computed: Computed, wanted: Callable[[SegmentDay], bool]
          ) -> tuple[MarketDay, SegmentDay]:
    return next((m, sd) for m, sds in computed for sd in sds if wanted(sd))


# --- the seed's day, extended with trend and rating changes ------------------------------


def _seed_brief(tmp_path: Path) -> tuple[scenario.Scenario, SegmentDay, str]:
    crafted = scenario.build(tmp_path)
    market = load_day(crafted.store, crafted.config, scenario.DAY)
    history = load_history(crafted.store, scenario.DAY)
    feed = load_ratings(crafted.store, scenario.DAY)
    sd = next(s for s in compute_day(crafted.config, market, history,
                                     scenario.trend_changes(crafted.small), feed)
              if s.segment.key == "small")
    return crafted, sd, _text(market, sd)


def test_seed_day_renders_every_section_of_the_seed_brief(
    tmp_path: Path, golden: Callable[[Path, str], None]
) -> None:
    crafted, sd, text = _seed_brief(tmp_path)
    assert re.findall(r"^## (.+)$", text, re.M) == SEED_SECTIONS
    assert check_brief(text, sd) == []
    small = crafted.small
    for figure in ("378 advanced, 816 declined", "ratio was 0.46", "rise 2.52%",
                   "up 1.95%", "(ABCO) +12.99%", "(STALL) \u221216.78%",
                   "lagged the index by 4.70 percentage points"):
        assert figure in text, figure
    # Trend labels: six upgrades (five listed, strongest first), one downgrade.
    assert "label of seven constituents changed today: 6 upgraded, 1 downgraded" in text
    assert f"{small[25].name} ({small[25].symbol}) Bearish \u2192 Sideways" in text
    assert f"{small[22].name} ({small[22].symbol}) Mildly Bearish \u2192 Mildly Bullish" in text
    assert "; and 1 more." in text
    assert f"{small[410].name} ({small[410].symbol}) Mildly Bullish \u2192 Sideways" in text
    assert small[26].symbol not in text  # Bullish both days: no change
    # Ratings: five Hold -> Buy, one Buy -> Sell, one initiation; the re-affirmation is not news.
    assert f"{scenario.RATER} changed its ratings today" in text
    for i in (10, 11, 12, 13):
        assert f"{small[i].name} ({small[i].symbol}) Hold \u2192 Buy" in text
    assert "Upgraded**: " in text and "and 1 more" in text
    assert f"({small[500].symbol}) Buy \u2192 Sell" in text
    assert f"**Initiated**: {small[15].name} ({small[15].symbol}) Strong Buy." in text
    assert small[16].symbol not in text
    assert "The index's rise was carried by few constituents" in text
    golden(GOLDEN_FULL, text)


# --- the checker catches what it is for ---------------------------------------------------


def test_a_template_that_says_rose_for_a_fall_is_caught(
    computed: Computed, monkeypatch: pytest.MonkeyPatch
) -> None:
    market, sd = _find(computed, lambda s: s.move is not None and s.move.change_pct <= -0.05)
    assert check_brief(_text(market, sd), sd) == []
    _use_template(monkeypatch, '{{ verb }}{{ " sharply" if sharp }}',
                  'rose{{ " sharply" if sharp }}')
    problems = check_brief(_text(market, sd), sd)
    assert len(problems) == 1
    assert problems[0].sentence.startswith(f"The {sd.segment.index} rose ")
    assert "says up but the index return is -" in problems[0].message


def test_a_wrong_count_is_caught(computed: Computed, monkeypatch: pytest.MonkeyPatch) -> None:
    market, sd = _find(computed, lambda s: s.breadth.advances > 0)
    _use_template(monkeypatch, "{{ breadth.advances | count }} advanced",
                  "{{ (breadth.advances + 1) | count }} advanced")
    messages = [p.message for p in check_brief(_text(market, sd), sd)]
    assert f"should be {sd.breadth.advances:,} (advances)" in messages
    assert any(m.startswith("the counts add up to") for m in messages)


def test_a_false_rank_superlative_is_caught(
    computed: Computed, monkeypatch: pytest.MonkeyPatch
) -> None:
    market, sd = _find(computed, lambda s: s.segment_rank == 3)
    _use_template(monkeypatch, "the {{ seg_rank | ordinal }} of", "the best of")
    problems = check_brief(_text(market, sd), sd)
    assert [p.message for p in problems] == [
        "should be 'third-best': the segment ranked 3 of 4"]


def test_a_false_history_superlative_is_caught(
    computed: Computed, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A wording function that overstates "highest close in N sessions" is caught."""
    market, sd = _find(computed, lambda s: any("Its close was the" in line
                                               for line in H.index_history(s)))
    original = H._span

    def overstated(extreme: object) -> str:
        text = original(extreme)  # type: ignore[arg-type]
        return re.sub(r"\d+", lambda m: str(int(m.group()) + 5), text)

    monkeypatch.setattr(H, "_span", overstated)
    problems = check_brief(_text(market, sd), sd)
    assert problems and all("is a false superlative" in p.message for p in problems)


def test_every_demo_brief_passes_and_records_are_exact(computed: Computed) -> None:
    said = 0
    for market, sds in computed:
        for sd in sds:
            text = _text(market, sd)
            assert check_brief(text, sd) == [], (sd.day, sd.segment.key)
            said += "sessions in a row" in text
    assert said  # runs are stated somewhere, so their check ran


# --- before publishing and over the archive ---------------------------------------------


def test_render_refuses_an_inconsistent_day_and_writes_nothing(
    demo_market: Demo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config, store, days = demo_market
    config = dataclasses.replace(config, docs_dir=tmp_path / "docs")
    (config.docs_dir / "briefs").mkdir(parents=True)
    (config.docs_dir / "index.md").write_text("live site\n")
    before = tree_bytes(config.docs_dir)
    _use_template(monkeypatch, '{{ verb }}{{ " sharply" if sharp }}',
                  'rose{{ " sharply" if sharp }}')
    with pytest.raises(InconsistentBriefError) as error:
        render_days(config, store, days[-5:])
    message = str(error.value)
    assert "briefs/2025/03/" in message and " rose " in message
    assert "says up but the index return is -" in message
    assert tree_bytes(config.docs_dir) == before


def test_invoke_check_passes_the_archive_and_names_a_tampered_sentence(tmp_path: Path) -> None:
    crafted = scenario.build(tmp_path)
    config = str(tmp_path / "brief.toml")
    assert invoke("render", "--config", config).returncode == 0
    result = invoke("check", "--config", config)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "checked 2 briefs" in result.stdout and "all agree" in result.stdout
    page = crafted.config.docs_dir / "briefs/2026/02/12/small.md"
    page.write_text(page.read_text().replace("816 declined", "817 declined"))
    result = invoke("check", "--config", config)
    assert result.returncode == 1
    assert "briefs/2026/02/12/small.md:" in result.stdout
    assert "Of the 1,200 constituents, 378 advanced, 817 declined" in result.stdout
    assert "should be 816 (declines)" in result.stdout
    checked, found = check_archive(crafted.config, crafted.store)
    assert checked == 2 and [page for page, _ in found] == ["briefs/2026/02/12/small.md"]


def test_a_brief_whose_day_left_the_store_is_reported(tmp_path: Path) -> None:
    crafted = scenario.build(tmp_path)
    render_days(crafted.config, crafted.store, [scenario.DAY])
    other = crafted.config.docs_dir / "briefs/2026/02/13"
    other.mkdir(parents=True)
    summary = (crafted.config.docs_dir / "briefs/2026/02/12/small.json").read_text()
    (other / "small.json").write_text(summary.replace("2026-02-12", "2026-02-13"))
    _, found = check_archive(crafted.config, crafted.store)
    assert found[0][0] == "briefs/2026/02/13"
    assert "not in the store" in str(found[0][1][0])


def test_variants_change_words_not_meaning(computed: Computed) -> None:
    """Across the demo's days the index verb varies, and each variant keeps the sign."""
    verbs: dict[str, set[str]] = {"up": set(), "down": set()}
    for _, sds in computed:
        for sd in sds:
            if sd.move is None or abs(sd.move.change_pct) < 0.05:
                continue
            word = re.search(rf"The {re.escape(sd.segment.index)} (\w+)",
                             _text(_market_of(computed, sd.day), sd))
            assert word is not None
            verbs["up" if sd.move.change_pct > 0 else "down"].add(word.group(1))
    assert verbs["up"] == {"rose", "gained", "climbed"}
    assert verbs["down"] == {"fell", "dropped", "retreated"}


def _market_of(computed: Computed, day: date) -> MarketDay:
    return next(m for m, _ in computed if m.day == day)


def test_a_long_results_list_names_the_soonest_and_counts_the_rest(
        computed: Computed, monkeypatch: pytest.MonkeyPatch) -> None:
    market, sd = _find(computed, lambda sd: len(sd.results) > sd.results_cap + 2)
    text = _text(market, sd)
    assert check_brief(text, sd) == []
    listed = re.findall(r"^- \d{1,2} \w{3} \d{4}: .+ \((\S+)\)$", text, re.M)
    soonest = sd.results.head(sd.results_cap)
    assert listed == list(soonest["symbol"])
    assert (soonest["meeting_date"].max() <= sd.results["meeting_date"].iloc[sd.results_cap:]
            ).all()
    rest = len(sd.results) - sd.results_cap
    assert f"- and {rest} more; the constituents file lists them all." in text
    assert f"{len(sd.results)} constituents have a results board meeting" in text
    # The stocks behind "and N more" are not named, so their pages do not claim the brief.
    assert set(render.named_symbols(sd)).isdisjoint(sd.results["symbol"].iloc[sd.results_cap:])
    _use_template(monkeypatch, "(results_total - results | length) | count",
                  "(results_total - results | length + 1) | count")
    problems = check_brief(_text(market, sd), sd)
    assert [p.sentence for p in problems] == [
        f"and {rest + 1} more; the constituents file lists them all."]
