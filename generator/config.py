"""Settings loaded once from the TOML config file into frozen dataclasses."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from generator.errors import ConfigError
from generator.metrics import plausibility

DEFAULT_CONFIG_NAME = "brief.toml"
EXCHANGES = ("NSE", "BSE")
BRANCH = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._/-]*")
# Transports that run a command or read a file descriptor instead of reaching a repository.
_COMMAND_TRANSPORTS = ("ext::", "fd::")


@dataclass(frozen=True)
class Segment:
    """A market-cap segment: its index and the list defining its stocks.

    The stocks are either an index constituent list (`constituents`, a file name) or a rank
    range of AMFI's half-yearly average market capitalisation list (`amfi_ranks`).
    """

    key: str
    label: str
    index: str
    constituents: str | None = None
    sme: bool = False
    amfi_ranks: tuple[int, int | None] | None = None

    @property
    def members_text(self) -> str:
        """Return where the segment's stocks come from, in words."""
        if self.amfi_ranks is None:
            return f"the index constituent list {self.constituents}"
        first, last = self.amfi_ranks
        ranks = f"{first} to {last}" if last is not None else f"{first} and below"
        return f"companies ranked {ranks} in AMFI's average market capitalisation list"

    @property
    def members_key(self) -> str:
        """Return the name of the list the segment's stocks come from."""
        if self.amfi_ranks is None:
            return self.constituents or ""
        first, last = self.amfi_ranks
        return f"AMFI ranks {first}–{last}" if last is not None else f"AMFI ranks {first}+"


@dataclass(frozen=True)
class Benchmark:
    """An index each segment is compared with."""

    label: str
    index: str


@dataclass(frozen=True)
class BriefSettings:
    """Knobs of the brief that are settings rather than wording."""

    top_movers: int = 5
    results_horizon_sessions: int = 5
    history_sessions: int = 22
    trend_changes: int = 5
    results_listed: int = 10


@dataclass(frozen=True)
class CheckSettings:
    """Data checks a maintainer settles in the config, so the decision is kept in git."""

    # (day, symbol) of extreme moves confirmed as real: reported as normal moves.
    confirmed_moves: frozenset[tuple[date, str]] = frozenset()


@dataclass(frozen=True)
class DemoSettings:
    """Seed and date range of the built-in demo market."""

    seed: int
    start: date
    end: date


DEFAULT_SITE_URL = "https://example.github.io/market-briefs/"


@dataclass(frozen=True)
class Config:
    """Every setting of a run."""

    root: Path
    data_dir: Path
    docs_dir: Path
    site_dir: Path
    remote: str
    branch: str
    source: str
    source_urls: dict[str, str]
    exchange: str
    bse_index_codes: dict[str, str]
    demo: DemoSettings
    brief: BriefSettings
    segments: tuple[Segment, ...]
    benchmarks: tuple[Benchmark, ...]
    # Where the built site is served; feeds and the briefs index give absolute links.
    site_url: str = DEFAULT_SITE_URL
    # The remote's branch holding the archive of record, beside the site's `branch`.
    archive_branch: str = "archive"
    # Published sessions whose exchange files each publish fetches again, to catch
    # re-issued files.
    recheck_sessions: int = 5
    checks: CheckSettings = CheckSettings()

    @property
    def index_names(self) -> tuple[str, ...]:
        """Return the indices the segments and benchmarks are measured by."""
        return tuple(s.index for s in self.segments) + tuple(b.index for b in self.benchmarks)

    @property
    def bse_codes_used(self) -> list[str]:
        """Return the BSE codes of the indices read from BSE's history, sorted."""
        return sorted({self.bse_index_codes[n] for n in self.index_names
                       if n in self.bse_index_codes})

    @property
    def needs_nse_indices(self) -> bool:
        """Return whether some index is read from NSE's daily index close file."""
        return any(n not in self.bse_index_codes for n in self.index_names)

    def segment(self, key: str) -> Segment:
        """Return the segment with this key."""
        for seg in self.segments:
            if seg.key == key:
                return seg
        known = ", ".join(s.key for s in self.segments)
        raise ConfigError(f"unknown segment {key!r}; the config defines: {known}")


def load_config(path: Path) -> Config:
    """Read the config file at `path`."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found; create it or pass --config") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}); fix the file") from None
    return parse_config(raw, root=path.resolve().parent, origin=str(path))


def parse_config(raw: dict[str, Any], *, root: Path, origin: str = "config") -> Config:
    """Build a Config from parsed TOML, with defaults for what is missing."""

    def section(name: str) -> dict[str, Any]:
        value = raw.get(name, {})
        if not isinstance(value, dict):
            raise ConfigError(f"{origin}: [{name}] must be a table")
        return value

    def need(table: dict[str, Any], key: str, where: str, kind: type) -> Any:
        if key not in table:
            raise ConfigError(f"{origin}: {where} is missing {key!r}; add it")
        value = table[key]
        if not isinstance(value, kind):
            raise ConfigError(
                f"{origin}: {where}.{key} must be a {kind.__name__}, got {value!r}"
            )
        return value

    paths, deploy, source, demo, brief, site = (
        section(n) for n in ("paths", "deploy", "source", "demo", "brief", "site")
    )
    site_url = str(site.get("url", DEFAULT_SITE_URL))
    if not re.fullmatch(r"https?://[^\s/]+(/[^\s]*)?/", site_url):
        raise ConfigError(f"{origin}: [site] url must be an http(s) address ending in '/', "
                          f"like {DEFAULT_SITE_URL!r}; got {site_url!r}")
    def segment(table: dict[str, Any], where: str) -> Segment:
        ranks = table.get("amfi_ranks")
        if ("constituents" in table) == (ranks is not None):
            raise ConfigError(f"{origin}: {where} needs either 'constituents' (a list file name) "
                              "or 'amfi_ranks' (e.g. [251, 500]), not both or neither")
        if ranks is not None:
            ok = (isinstance(ranks, list) and len(ranks) in (1, 2)
                  and all(isinstance(r, int) and r >= 1 for r in ranks)
                  and (len(ranks) == 1 or ranks[0] <= ranks[1]))
            if not ok:
                raise ConfigError(f"{origin}: {where}.amfi_ranks must be [first, last] or "
                                  f"[first] with ranks from 1, got {ranks!r}")
        return Segment(
            key=need(table, "key", where, str),
            label=need(table, "label", where, str),
            index=need(table, "index", where, str),
            constituents=need(table, "constituents", where, str) if ranks is None else None,
            sme=bool(table.get("sme", False)),
            amfi_ranks=(ranks[0], ranks[1] if len(ranks) == 2 else None) if ranks else None,
        )

    segments = tuple(
        segment(s, f"segment #{i + 1}") for i, s in enumerate(raw.get("segments", []))
    )
    if not segments:
        raise ConfigError(f"{origin}: no [[segments]] defined; add at least one")
    keys = [s.key for s in segments]
    if len(set(keys)) != len(keys):
        raise ConfigError(f"{origin}: segment keys must be unique, got {keys}")
    benchmarks = tuple(
        Benchmark(
            label=need(b, "label", f"benchmark #{i + 1}", str),
            index=need(b, "index", f"benchmark #{i + 1}", str),
        )
        for i, b in enumerate(raw.get("benchmarks", []))
    )
    demo_settings = DemoSettings(
        seed=int(demo.get("seed", 20250101)),
        start=demo.get("start", date(2025, 1, 1)),
        end=demo.get("end", date(2025, 4, 11)),
    )
    if not isinstance(demo_settings.start, date) or not isinstance(demo_settings.end, date):
        raise ConfigError(f"{origin}: [demo] start and end must be dates like 2025-01-01")
    exchange = str(source.get("exchange", "NSE")).upper()
    if exchange not in EXCHANGES:
        raise ConfigError(f"{origin}: [source] exchange must be one of {', '.join(EXCHANGES)}, "
                          f"got {exchange!r}")
    branches = {key: str(deploy.get(key, default)) for key, default in
                (("branch", "gh-pages"), ("archive_branch", "archive"))}
    for key, name in branches.items():
        if not BRANCH.fullmatch(name) or ".." in name or name.endswith((".", "/", ".lock")):
            raise ConfigError(f"{origin}: [deploy] {key} must be a branch name like "
                              f"'gh-pages' (letters, digits, '.', '_', '-', '/'), got {name!r}")
    if branches["branch"] == branches["archive_branch"]:
        raise ConfigError(f"{origin}: [deploy] branch and archive_branch must differ")
    recheck = deploy.get("recheck_sessions", 5)
    if not isinstance(recheck, int) or isinstance(recheck, bool) or not 0 <= recheck <= 20:
        raise ConfigError(f"{origin}: [deploy] recheck_sessions must be a whole number from 0 "
                          f"to 20, got {recheck!r}")
    checks = section("checks")
    moves = checks.get("confirmed_moves", [])
    if not isinstance(moves, list):
        raise ConfigError(f"{origin}: [checks] confirmed_moves must be a list of "
                          f"'{plausibility.CONFIRMED_FORMAT}' strings, got {moves!r}")
    confirmed = []
    for entry in moves:
        parsed = plausibility.parse_confirmed(entry) if isinstance(entry, str) else None
        if parsed is None:
            raise ConfigError(f"{origin}: [checks] confirmed_moves entry {entry!r} must be "
                              f"'{plausibility.CONFIRMED_FORMAT}' (a trading day and the "
                              "symbol as in the bhavcopy), like '2025-03-14 RELIANCE'")
        confirmed.append(parsed)
    codes = section("bse_indices")
    if not all(isinstance(v, str) and v for v in codes.values()):
        raise ConfigError(f"{origin}: [bse_indices] maps an index name to its BSE code, "
                          'e.g. "BSE SmallCap" = "SMLCAP"')
    return Config(
        root=root,
        data_dir=root / paths.get("data_dir", "data"),
        docs_dir=root / paths.get("docs_dir", "site_src"),
        site_dir=root / paths.get("site_dir", "site"),
        remote=check_remote(str(deploy.get("remote", "origin")), f"{origin}: [deploy] remote"),
        branch=branches["branch"],
        source=str(source.get("name", "exchanges")),
        source_urls={k: str(v) for k, v in source.items() if k.endswith("_url")},
        exchange=exchange,
        bse_index_codes={str(k): str(v) for k, v in codes.items()},
        demo=demo_settings,
        brief=BriefSettings(
            top_movers=int(brief.get("top_movers", 5)),
            results_horizon_sessions=int(brief.get("results_horizon_sessions", 5)),
            history_sessions=int(brief.get("history_sessions", 22)),
            trend_changes=int(brief.get("trend_changes", 5)),
            results_listed=int(brief.get("results_listed", 10)),
        ),
        segments=segments,
        benchmarks=benchmarks,
        site_url=site_url,
        archive_branch=branches["archive_branch"],
        recheck_sessions=recheck,
        checks=CheckSettings(confirmed_moves=frozenset(confirmed)),
    )


def check_remote(remote: str, where: str) -> str:
    """Return a git remote (a remote's name, a URL or a path) fit to pass to git, or raise.

    It must not read as an option (a leading '-'), hold a control character, or use a
    transport that runs a command (ext::, fd::).
    """
    if (not remote or remote.startswith("-") or len(remote) > 1000
            or any(ord(ch) < 32 or ord(ch) == 127 for ch in remote)
            or remote.lower().startswith(_COMMAND_TRANSPORTS)):
        raise ConfigError(f"{where} must be a git remote's name, URL or path, like 'origin', "
                          f"got {remote!r}")
    return remote
