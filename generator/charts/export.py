"""Write a chart as SVG plus its Vega-Lite spec; the only module here that touches files.

The spec kept with the SVG is the render key: when it is unchanged, the SVG is not rendered
again, so re-running a day rewrites nothing and leaves no diff. The same spec is what the
interactive view shows, with the Vega bundle `write_vega_bundle` puts in the docs dir.
A page's charts keep their specs in one bundle (`export_charts`): a day's publish writes a
file per brief, not one per chart.

Bytes, as a ten-year archive holds 60,000 of each: the spec is stored as gzipped compact
JSON (`name.vl.json.gz`, a tenth of the pretty JSON; the interactive view unzips it), and
the SVG trimmed by `svg_trim` to the bytes its picture needs (about 40 % of the renderer's).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from importlib.metadata import version
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Final

import altair as alt
import vl_convert as vlc

from generator.charts.svg_trim import trim_svg

SPEC_SUFFIX = ".vl.json.gz"
# The specs of a page's charts stored together (`export_charts`): `<stem>.charts.json.gz`,
# one gzipped JSON object of kind -> spec. One file per brief instead of one per chart.
BUNDLE_SUFFIX = ".charts.json.gz"
# The spec's name before it was stored gzipped; removed when a chart is written again.
OLD_SPEC_SUFFIX = ".vl.json"
# Where the interactive view's script is, under the docs dir; javascripts/charts.js loads
# it from ../assets/vega/ relative to itself.
VEGA_BUNDLE = Path("assets", "vega", "vega-bundle.js")
# Render with the Vega-Lite release the spec was written for, in a fixed locale, with no
# external fetches: the same spec gives the same SVG bytes on every run.
_VL_VERSION = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
_LOCALE: Final = "en-US"
_BUNDLE_SNIPPET: Final = "window.vegaEmbed = vegaEmbed;\n"
# Renders a batch does in-process before it starts worker processes: a day's brief charts
# (up to five per segment, four segments). The price charts of the stocks a day names (about a
# hundred) go to workers while the pages are written: 17 s of a day's render became 11 s.
INLINE_RENDERS = 20


def spec_json(chart: alt.TopLevelMixin | dict[str, Any]) -> str:
    """Return the Vega-Lite spec as pretty JSON (sorted keys); tests validate the schema.
    `chart` is an Altair chart or a spec already written out as a dict."""
    spec = chart if isinstance(chart, dict) else chart.to_dict(validate=False)
    return json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def render_svg(spec: str) -> str:
    """Render a Vega-Lite JSON spec to a standalone SVG string, trimmed (`svg_trim`)."""
    svg: str = vlc.vegalite_to_svg(
        spec,
        vl_version=_VL_VERSION,
        allowed_base_urls=[],
        format_locale=_LOCALE,
        time_format_locale=_LOCALE,
    )
    return trim_svg(svg)


def spec_path(svg_path: Path) -> Path:
    """Return where the spec of an SVG is kept: name.svg -> name.vl.json.gz."""
    return svg_path.with_suffix(SPEC_SUFFIX)


def stored_spec(spec: str) -> bytes:
    """Return a spec as it is stored: compact JSON, sorted keys, gzip with no timestamp."""
    compact = json.dumps(json.loads(spec), separators=(",", ":"), sort_keys=True,
                         ensure_ascii=False)
    return gzip.compress(compact.encode("utf-8"), compresslevel=9, mtime=0)


def read_spec(path: Path) -> dict[str, object]:
    """Return a stored spec (tests and tools read it back)."""
    loaded: dict[str, object] = json.loads(gzip.decompress(path.read_bytes()))
    return loaded


def _write_atomic(path: Path, data: bytes) -> None:
    """Write bytes to path through a temporary file in the same folder and a rename."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp_path = Path(tmp)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        tmp_path.chmod(0o644)  # mkstemp makes 0600; the site serves these files
        tmp_path.replace(path)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def export_chart(chart: alt.TopLevelMixin | dict[str, Any], svg_path: Path,
                 batch: SvgBatch | None = None) -> bool:
    """Write the SVG and its spec unless the same spec was already rendered there.

    With a batch, the SVG is rendered by its worker processes and both files are written
    when the batch closes. Return True when the SVG is (to be) rendered, False when it was
    up to date.
    """
    spec = spec_json(chart)
    json_path = spec_path(svg_path)
    if (svg_path.is_file() and json_path.is_file()
            and json_path.read_bytes() == stored_spec(spec)):
        return False
    if batch is None:
        _write_chart(svg_path, spec, render_svg(spec))
    else:
        batch.add(svg_path, spec)
    return True


def _write_chart(svg_path: Path, spec: str | None, svg: str) -> None:
    """Write a rendered SVG, then its spec (None: kept in a bundle, see `export_charts`): a
    spec on disk always has its SVG, so a crash in between renders it again next time."""
    svg_path.parent.mkdir(parents=True, exist_ok=True)
    _write_atomic(svg_path, svg.encode("utf-8"))
    if spec is not None:
        _write_atomic(spec_path(svg_path), stored_spec(spec))
    svg_path.with_suffix(OLD_SPEC_SUFFIX).unlink(missing_ok=True)


def stored_bundle(specs: dict[str, str]) -> bytes:
    """Return the specs of a page's charts (kind -> spec JSON) as a bundle is stored:
    compact JSON with sorted keys, gzip with no timestamp."""
    compact = json.dumps({kind: json.loads(spec) for kind, spec in specs.items()},
                         separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return gzip.compress(compact.encode("utf-8"), compresslevel=9, mtime=0)


def read_bundle(path: Path) -> dict[str, Any]:
    """Return the specs a bundle holds by kind; {} when it is missing or unreadable (then
    every chart is drawn again)."""
    try:
        loaded = json.loads(gzip.decompress(path.read_bytes()))
    except (OSError, EOFError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def export_charts(charts: list[tuple[str, alt.TopLevelMixin | dict[str, Any]]], folder: Path,
                  stem: str, batch: SvgBatch | None = None) -> int:
    """Write `<stem>-<kind>.svg` for each (kind, chart) whose spec the bundle
    `<stem>.charts.json.gz` does not already hold drawn, then the bundle with every spec;
    return how many SVGs are (to be) rendered.

    The bundle is written after the SVGs (with a batch, when it ends), so a spec in it always
    has its SVG. Per-chart spec files an older version wrote for these charts are removed,
    and so is the SVG of a kind the bundle held that `charts` no longer has.
    """
    bundle = folder / f"{stem}{BUNDLE_SUFFIX}"
    held = read_bundle(bundle)
    specs = {kind: spec_json(chart) for kind, chart in charts}
    rendered = 0
    for kind, spec in specs.items():
        svg_path = folder / f"{stem}-{kind}.svg"
        if svg_path.is_file() and held.get(kind) == json.loads(spec):
            continue
        rendered += 1
        if batch is None:
            _write_chart(svg_path, None, render_svg(spec))
        else:
            batch.add(svg_path, spec, with_spec=False)
    data = stored_bundle(specs)

    def finish() -> None:
        if not bundle.is_file() or bundle.read_bytes() != data:
            folder.mkdir(parents=True, exist_ok=True)
            _write_atomic(bundle, data)
        for kind in specs:
            for suffix in (SPEC_SUFFIX, OLD_SPEC_SUFFIX):
                (folder / f"{stem}-{kind}{suffix}").unlink(missing_ok=True)
        # A chart the page no longer shows (no data now, or a kind dropped) leaves no SVG.
        for kind in set(held) - set(specs):
            if isinstance(kind, str) and "/" not in kind and not kind.startswith("."):
                (folder / f"{stem}-{kind}.svg").unlink(missing_ok=True)

    if batch is None:
        finish()
    else:
        batch.after(finish)
    return rendered


class SvgBatch:
    """Render SVGs in worker processes while the caller goes on building specs.

    Chart export is most of a render's time and vl-convert holds the GIL, so threads do
    not help; processes do. Each SVG depends only on its spec, so the bytes are the same
    as rendered in-process. Use as a context manager: leaving it waits for every render
    and writes the files; on an error nothing more is written, and specs without their
    file are rendered again next time.
    """

    def __init__(self, workers: int | None = None, inline: int | None = None) -> None:
        self.workers = workers if workers is not None else min(os.cpu_count() or 1, 4)
        self.inline = inline if inline is not None else INLINE_RENDERS
        self._pool: ProcessPoolExecutor | None = None
        self._pending: list[tuple[Path, str | None, str | Future[str]]] = []
        self._pages: list[tuple[Path, Callable[[str], str], str | Future[str]]] = []
        self._after: list[Callable[[], None]] = []

    def add(self, svg_path: Path, spec: str, with_spec: bool = True) -> None:
        """Start rendering a spec whose SVG (and spec file, unless `with_spec` is False) go
        to `svg_path` when the batch ends.

        The first `inline` specs are rendered here: starting workers costs about a second
        each, more than a few dozen charts take.
        """
        self._pending.append((svg_path, spec if with_spec else None, self._render(spec)))

    def after(self, step: Callable[[], None]) -> None:
        """Run `step` when the batch ends well, after every SVG and page is written."""
        self._after.append(step)

    def add_page(self, page: Path, spec: str, page_text: Callable[[str], str]) -> None:
        """Start rendering the spec of a page that carries its chart inline; the page is
        written as `page_text(svg)` returns it when the batch ends."""
        self._pages.append((page, page_text, self._render(spec)))

    def _render(self, spec: str) -> str | Future[str]:
        if len(self._pending) + len(self._pages) < self.inline or self.workers < 2:
            return render_svg(spec)
        if self._pool is None:
            # Spawned, not forked: the parent runs vl-convert's and Arrow's threads.
            self._pool = ProcessPoolExecutor(self.workers, mp_context=get_context("spawn"))
        return self._pool.submit(render_svg, spec)

    def __enter__(self) -> SvgBatch:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        pending, self._pending = self._pending, []
        pages, self._pages = self._pages, []
        after, self._after = self._after, []
        try:
            if kind is None:
                for svg_path, spec, svg in pending:
                    _write_chart(svg_path, spec, svg if isinstance(svg, str) else svg.result())
                for page, page_text, svg in pages:
                    page.parent.mkdir(parents=True, exist_ok=True)
                    text = page_text(svg if isinstance(svg, str) else svg.result())
                    _write_atomic(page, text.encode("utf-8"))
                for step in after:
                    step()
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
                self._pool = None


def vega_bundle() -> str:
    """Return Vega, Vega-Lite and vega-embed as one script with no imports (no CDN).

    The release is the one the SVGs are rendered with. The bundle is wrapped in a function,
    so its many top-level names stay out of the page's globals; it sets window.vegaEmbed only.
    """
    bundle: str = vlc.javascript_bundle(_BUNDLE_SNIPPET, vl_version=_VL_VERSION)
    return f"{_bundle_header()}(function () {{\n{bundle.rstrip()}\n}})();\n"


def _bundle_header() -> str:
    """Return the bundle's first line: what made it, so it is made again only when that
    changes (making it takes about two seconds)."""
    snippet = hashlib.sha256(_BUNDLE_SNIPPET.encode("utf-8")).hexdigest()[:12]
    return (f"/* vega-bundle: vl-convert {version('vl-convert-python')}, Vega-Lite {_VL_VERSION}, "
            f"snippet {snippet} */\n")


def write_vega_bundle(docs_dir: Path) -> bool:
    """Write `assets/vega/vega-bundle.js` under the docs dir unless it is up to date: made
    by this vl-convert for this Vega-Lite release (its first line says so) and whole.

    Return True when the file was written, False when it was up to date.
    """
    path = docs_dir / VEGA_BUNDLE
    header = _bundle_header().encode("utf-8")
    if path.is_file() and path.stat().st_size > len(header) + 6:
        with path.open("rb") as f:
            first = f.readline()
            f.seek(-6, os.SEEK_END)
            if first == header and f.read() == b"})();\n":
                return False
    data = vega_bundle().encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_atomic(path, data)
    return True
