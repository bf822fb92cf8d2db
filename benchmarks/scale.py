"""Ten-year scale: one day's publish on archives of 1 month, 1 year and 10 years.

For each size an archive is made, built whole, then one more session is published on it with
`invoke publish --demo --no-deploy --date D` in a child process, and measured: its wall time
and peak memory, the files and bytes of `site/` it added or changed, and the site's size.
A whole rebuild (`invoke build --full`) of each archive is timed too, and the render of the
real sessions again, in one process with the chart cache and in chunks by worker processes
(as a rebuild renders) with and without it, from which a whole render of the archive is
extrapolated (synthetic sessions cannot be rendered: their data is not in the store).

How the archives are made fast, with pages of the same shape and size as real ones:
- the demo market is simulated and pulled for BASE + 1 sessions, and the first BASE (about a
  month) are rendered for real: briefs, charts, data files, stock pages;
- a larger archive copies those rendered day folders to the weekdays before them, cycling
  through them, with every date in the text rewritten (ISO, compact, and the words a brief
  uses, weekday included) and the charts hard-linked (same bytes); the store is shared
  (hard links: every write to it is an atomic rename), so the published session reads the
  same data on every size;
- the hub, feed and stock pages of the whole archive are then written once, as a publish
  would have left them, and the site built whole, then built again with nothing new (so
  the publish finds the spare build a daily publish finds, see generator/site/build.py).

Usage: python benchmarks/scale.py [--quick] [--root DIR]
  --quick runs 1 month and 1 year only (publish_10y_s=NA; ratio_10y_1m is the 1-year ratio
  and site_mb_10y extrapolated from the 1-year site, per session) within 15 minutes.
The last line is exactly:
scale: publish_1m_s=X publish_1y_s=Y publish_10y_s=Z ratio_10y_1m=R site_mb_10y=S
       changed_files_day=F changed_mb_day=M   (one line)
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from build_times import DescendantPeaks  # noqa: E402
from site_project import MKDOCS_YML, copy_static_pages  # noqa: E402

from generator.archive import write_archive  # noqa: E402
from generator.charts import SvgBatch  # noqa: E402
from generator.config import Config, load_config  # noqa: E402
from generator.pages import BRIEFS, day_dir  # noqa: E402
from generator.pipeline import render_days  # noqa: E402
from generator.pull import (  # noqa: E402
    archive_sessions,
    demo_archive,
    pull_day,
    write_demo_archive,
)
from generator.render_many import render_many  # noqa: E402
from generator.site import build_site  # noqa: E402
from generator.store import Store  # noqa: E402

BASE = 22  # sessions rendered for real (about a month)
SIZES = {"1m": BASE, "1y": 250, "10y": 2500}
START = date(2025, 1, 1)
RECEIVED = datetime(2025, 12, 31, 13, 30, tzinfo=UTC)
TEXT = (".md", ".json", ".csv")
RENDER_SESSIONS_CHUNK = 6  # the real sessions' re-render in 4 chunks, for the workers


def _project(root: Path) -> Config:
    """Write a project on the demo market (never the exchanges) under root."""
    text = (REPO / "brief.toml").read_text(encoding="utf-8")
    text, count = re.subn(r'(?m)^name = "[a-z]+"', 'name = "demo"', text, count=1)
    if count != 1:
        raise SystemExit("brief.toml has no [source] name line to point at the demo market")
    root.mkdir(parents=True)
    (root / "brief.toml").write_text(text, encoding="utf-8")
    copy_static_pages(root / "site_src")
    config = load_config(root / "brief.toml")
    write_demo_archive(config, config.demo.seed, START, START + timedelta(days=60))
    end = archive_sessions(config)[BASE]  # BASE sessions rendered, the next one published
    shutil.rmtree(demo_archive(config))
    text = text.replace(f"end = {config.demo.end.isoformat()}", f"end = {end.isoformat()}")
    (root / "brief.toml").write_text(text, encoding="utf-8")
    return load_config(root / "brief.toml")


def _base(root: Path) -> tuple[Config, list[date], date]:
    """Pull BASE + 1 demo sessions, render the first BASE; return them and the next one."""
    config = _project(root)
    write_demo_archive(config, config.demo.seed, START, config.demo.end)
    store = Store(config.data_dir)
    days = archive_sessions(config)
    for day in days:
        pull_day(config, store, day, RECEIVED)
    render_days(config, store, days[:BASE], only=True)
    return config, days[:BASE], days[BASE]


def _date_forms(day: date) -> list[tuple[str, str]]:
    long = f"{day:%A} {day.day} {day:%B %Y}"
    return [(long, "L"), (f"{day.day} {day:%B %Y}", "M"), (f"{day.day} {day:%b %Y}", "S"),
            (day.isoformat(), "I"), (f"{day:%Y%m%d}", "C"), (f"{day:%d%m%Y}", "D")]


def _shift_text(text: str, source: date, target: date) -> str:
    """Rewrite the day `source` as `target` in every form a brief writes it."""
    for (old, key), (new, _) in zip(_date_forms(source), _date_forms(target), strict=True):
        text = text.replace(old, f"\0{key}\0")
        text = text.replace(f"\0{key}\0", new)
    return text


def _synthesize(config: Config, real: list[date], count: int) -> list[date]:
    """Copy the real day folders to `count` weekdays before the first; return those days."""
    docs = config.docs_dir
    made: list[date] = []
    day = real[0]
    while len(made) < count:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            made.append(day)
    for i, target in enumerate(made):
        source = real[-1 - (i % len(real))]
        src, dst = docs / day_dir(source), docs / day_dir(target)
        dst.mkdir(parents=True)
        for path in src.iterdir():
            if path.suffix in TEXT:
                (dst / path.name).write_text(_shift_text(
                    path.read_text(encoding="utf-8"), source, target), encoding="utf-8")
            else:
                os.link(path, dst / path.name)
    return sorted(made)


def _hash_tree(site: Path) -> dict[str, tuple[int, str]]:
    out = {}
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            out[path.relative_to(site).as_posix()] = (len(data), hashlib.sha1(data).hexdigest())
    return out


def _run(cmd: list[str], cwd: Path) -> tuple[float, int]:
    """Run a command; print each progress line with the seconds it took to the next; return
    its wall time and the peak RSS (MiB) of its largest waited-for child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None
    lines = [(time.perf_counter() - start, line.rstrip()) for line in proc.stdout]
    stderr = proc.stderr.read() if proc.stderr else ""
    proc.wait()
    took = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{lines}\n{stderr}")
    ends = [t for t, _ in lines[1:]] + [took]
    for (at, line), end in zip(lines, ends, strict=True):
        print(f"    {at:6.1f} s +{end - at:5.1f} s  {line[:90]}", flush=True)
    return took, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024


@dataclasses.dataclass
class Figures:
    sessions: int
    publish_s: float
    full_build_s: float
    site_mb: float
    site_files: int
    changed_files: int
    changed_mb: float
    publish_peak_mib: int
    build_peak_mib: int


def _measure(name: str, sessions: int, base: Path, work: Path) -> Figures:
    root = work / name
    shutil.copytree(base, root, copy_function=os.link, symlinks=True)
    config = load_config(root / "brief.toml")
    real = sorted(d for d in _real_days(config))
    made = _synthesize(config, real, sessions - len(real))
    print(f"[{name}] {len(made) + len(real)} sessions on disk; writing hubs", flush=True)
    write_archive(config, Store(config.data_dir))
    start = time.perf_counter()
    with DescendantPeaks() as build_peaks:  # MkDocs and Pagefind run as child processes
        build_site(config, MKDOCS_YML, full=True)
    full_build = time.perf_counter() - start
    # Build once more with nothing to write, as the previous day's publish would have: the
    # whole build's predecessor is then the spare a daily build starts from.
    start = time.perf_counter()
    build_site(config, MKDOCS_YML)
    print(f"[{name}] a build with nothing new: {time.perf_counter() - start:.1f} s", flush=True)
    print(f"[{name}] whole build {full_build:.0f} s; publishing one more session", flush=True)
    before = _hash_tree(config.site_dir.resolve())
    with DescendantPeaks() as publish_peaks:
        took, _ = _run([sys.executable, "-m", "invoke", "-r", str(REPO), "publish", "--config",
                        str(root / "brief.toml"), "--demo", "--no-deploy",
                        "--date", config.demo.end.isoformat()], REPO)
    after = _hash_tree(config.site_dir.resolve())
    changed = [k for k, v in after.items() if before.get(k) != v]
    removed = [k for k in before if k not in after]
    figures = Figures(
        sessions=sessions + 1, publish_s=took, full_build_s=full_build,
        site_mb=sum(size for size, _ in after.values()) / 1e6, site_files=len(after),
        changed_files=len(changed) + len(removed),
        changed_mb=sum(after[k][0] for k in changed) / 1e6,
        publish_peak_mib=publish_peaks.peak_mib, build_peak_mib=build_peaks.peak_mib)
    by_kind: dict[str, list[int]] = {}
    for key in changed:
        parts = key.split("/")
        kind = "/".join(parts[:2]) if parts[0] == "briefs" else parts[0]
        kind = f"{kind} *{Path(key).suffix}"
        by_kind.setdefault(kind, []).append(after[key][0])
    for kind, sizes in sorted(by_kind.items(), key=lambda kv: -len(kv[1]))[:20]:
        print(f"[{name}]   changed {len(sizes):5d} files {sum(sizes) / 1e6:6.2f} MB  {kind}")
    print(f"[{name}] publish {figures.publish_s:.1f} s; site {figures.site_mb:.0f} MB in "
          f"{figures.site_files} files; the day changed {figures.changed_files} files, "
          f"{figures.changed_mb:.2f} MB", flush=True)
    return figures


def _real_days(config: Config) -> list[date]:
    from generator.pages import brief_days

    return brief_days(config.docs_dir)


def _render_cost(base: Path, work: Path) -> dict[str, float]:
    """Return seconds per session to render the real sessions again: in one process with
    the chart cache (`single`), and in chunks by worker processes (`render_many`, chunks of
    RENDER_SESSIONS_CHUNK so each core gets some) with the cache (`cached`) and cold, every
    chart drawn (`cold`); the hub pages, written once whatever the archive's size, are
    timed apart (`hubs`, seconds) and left out of the per-session figures."""
    figures: dict[str, float] = {}
    for name in ("single", "cached", "cold"):
        root = work / f"render-{name}"
        shutil.copytree(base, root, copy_function=shutil.copy2, symlinks=True)
        config = load_config(root / "brief.toml")
        store = Store(config.data_dir)
        if name == "cold":
            for path in (config.docs_dir / BRIEFS).rglob("*"):
                if path.suffix == ".svg" or ".vl.json" in path.name or ".charts.json" in path.name:
                    path.unlink()
        days = _real_days(config)
        start = time.perf_counter()
        if name == "single":
            render_days(config, store, days)
        else:
            render_many(config, store, days, chunk=RENDER_SESSIONS_CHUNK)
        total = time.perf_counter() - start
        start = time.perf_counter()
        with SvgBatch() as batch:
            write_archive(config, store, batch, days)
        figures["hubs"] = time.perf_counter() - start
        figures[name] = (total - figures["hubs"]) / len(days)
        shutil.rmtree(root)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 month and 1 year only")
    parser.add_argument("--root", type=Path, help="work folder (kept); default a temp one")
    args = parser.parse_args()
    work = args.root or Path(tempfile.mkdtemp(prefix="scale-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    try:
        print(f"rendering {BASE} demo sessions for real in {work}", flush=True)
        _base(work / "base")
        render = _render_cost(work / "base", work)
        sizes = {k: v for k, v in SIZES.items() if not (args.quick and k == "10y")}
        results = {name: _measure(name, n, work / "base", work) for name, n in sizes.items()}
    finally:
        if args.root is None:
            shutil.rmtree(work, ignore_errors=True)
    largest = results["10y"] if "10y" in results else results["1y"]
    per_session_mb = largest.site_mb / largest.sessions
    site_10y = results["10y"].site_mb if "10y" in results else per_session_mb * SIZES["10y"]
    sessions_10y = SIZES["10y"]
    for name, f in results.items():
        print(f"{name}: {f.sessions} sessions, publish {f.publish_s:.1f} s, whole build "
              f"{f.full_build_s:.0f} s, site {f.site_mb:.0f} MB / {f.site_files} files; "
              f"peak memory of one process: publish {f.publish_peak_mib} MiB, whole build "
              f"{f.build_peak_mib} MiB")
    print(f"render per session: {render['single']:.2f} s with the chart cache in one "
          f"process; in chunks on {os.cpu_count()} cores {render['cached']:.2f} s with the "
          f"cache, {render['cold']:.2f} s cold; hub pages {render['hubs']:.1f} s once")
    print(f"a 10-year render would take about {render['cached'] * sessions_10y / 60:.0f} min "
          f"cached and {render['cold'] * sessions_10y / 60:.0f} min cold, plus the hub pages "
          f"once (extrapolated from the sessions)")
    print(f"site per session: {per_session_mb * 1000:.0f} KB; benchmark took "
          f"{(time.perf_counter() - started) / 60:.1f} min")
    ratio = largest.publish_s / results["1m"].publish_s
    publish_10y = f"{results['10y'].publish_s:.1f}" if "10y" in results else "NA"
    print(f"scale: publish_1m_s={results['1m'].publish_s:.1f} "
          f"publish_1y_s={results['1y'].publish_s:.1f} publish_10y_s={publish_10y} "
          f"ratio_10y_1m={ratio:.2f} site_mb_10y={site_10y:.0f} "
          f"changed_files_day={largest.changed_files} changed_mb_day={largest.changed_mb:.2f}")


if __name__ == "__main__":
    main()
