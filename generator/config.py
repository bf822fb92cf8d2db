"""Settings loaded once from the TOML config file into frozen dataclasses."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from generator.errors import ConfigError

DEFAULT_CONFIG_NAME = "brief.toml"


@dataclass(frozen=True)
class Segment:
    """A market-cap segment: its index and the constituent list defining its stocks."""

    key: str
    label: str
    index: str
    constituents: str
    sme: bool = False


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
    history_sessions: int = 20


@dataclass(frozen=True)
class DemoSettings:
    """Seed and date range of the built-in demo market."""

    seed: int
    start: date
    end: date


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
    demo: DemoSettings
    brief: BriefSettings
    segments: tuple[Segment, ...]
    benchmarks: tuple[Benchmark, ...]

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

    paths, deploy, source, demo, brief = (
        section(n) for n in ("paths", "deploy", "source", "demo", "brief")
    )
    segments = tuple(
        Segment(
            key=need(s, "key", f"segment #{i + 1}", str),
            label=need(s, "label", f"segment #{i + 1}", str),
            index=need(s, "index", f"segment #{i + 1}", str),
            constituents=need(s, "constituents", f"segment #{i + 1}", str),
            sme=bool(s.get("sme", False)),
        )
        for i, s in enumerate(raw.get("segments", []))
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
    return Config(
        root=root,
        data_dir=root / paths.get("data_dir", "data"),
        docs_dir=root / paths.get("docs_dir", "site_src"),
        site_dir=root / paths.get("site_dir", "site"),
        remote=str(deploy.get("remote", "origin")),
        branch=str(deploy.get("branch", "gh-pages")),
        source=str(source.get("name", "nse")),
        source_urls={k: str(v) for k, v in source.items() if k.endswith("_url")},
        demo=demo_settings,
        brief=BriefSettings(
            top_movers=int(brief.get("top_movers", 5)),
            results_horizon_sessions=int(brief.get("results_horizon_sessions", 5)),
            history_sessions=int(brief.get("history_sessions", 20)),
        ),
        segments=segments,
        benchmarks=benchmarks,
    )
