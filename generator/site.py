"""Build the MkDocs site strictly into a temp folder, then swap it into place."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, time
from pathlib import Path

import yaml

from generator.config import Config
from generator.errors import GeneratorError
from generator.pages import brief_days
from generator.search_order import order_index

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
SEARCH_DIR = "pagefind"


class BuildError(GeneratorError):
    """MkDocs refused to build the site."""


def build_site(config: Config, mkdocs_yml: Path) -> Path:
    """Run `mkdocs build --strict` and Pagefind into a new folder, then switch the site to it.

    The site dir is a symlink to the folder of the latest build, replaced in one rename, so
    a reader or server never finds it missing or half-written; the old site stays in place
    unless the build succeeds. Folders a killed build left behind are removed first.
    """
    if not (config.docs_dir / "index.md").is_file():
        raise BuildError(f"{config.docs_dir} has no index.md; run `invoke render` first")
    target = config.site_dir
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    staging.chmod(0o755)  # a web folder: readable by all, like any built site
    # The config's docs dir wins over mkdocs.yml's: a child config inherits everything else.
    child = staging.with_suffix(".yml")
    child.write_text(_child_config(config, mkdocs_yml), encoding="utf-8")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict",
             "--config-file", str(child), "--site-dir", str(staging)],
            capture_output=True, text=True, check=False, cwd=config.root,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1",
                 **_build_date_env(config.docs_dir)},
        )
        if result.returncode != 0:
            raise BuildError(f"mkdocs build --strict failed: {_first_problem(result)}; the "
                             "previous site is unchanged")
        index_search(staging)
        _switch(target, staging)
    finally:
        child.unlink(missing_ok=True)
        if staging.exists() and _current(target) != staging.resolve():
            shutil.rmtree(staging)
    return target


def _current(target: Path) -> Path | None:
    """Return the build folder the site dir points to, or None when it is not a link."""
    return target.resolve() if target.is_symlink() else None


def _switch(target: Path, build: Path) -> None:
    """Point the site dir at a new build in one rename, then remove the previous build."""
    previous = _current(target)
    link = target.with_name(f".{target.name}-link")
    link.unlink(missing_ok=True)
    link.symlink_to(build.name)
    if target.exists() and not target.is_symlink():
        # A real folder from an older version: moved aside once, then replaced by the link.
        aside = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
        target.rename(aside / target.name)
        previous = aside
    link.replace(target)
    if previous is not None and previous.exists() and previous != build.resolve():
        shutil.rmtree(previous)


def _remove_leftovers(target: Path) -> None:
    """Remove the build folders and temp files that a killed build left beside the site."""
    keep = _current(target)
    for stale in target.parent.glob(f".{target.name}-*"):
        if keep is not None and stale.resolve() == keep:
            continue
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale)
        else:
            stale.unlink()


def index_search(site: Path) -> None:
    """Write the Pagefind search index of a built site into site/pagefind/.

    Pagefind indexes the pages marked `data-pagefind-body` (briefs, stock and segment pages)
    and splits the index into chunks a search fetches on demand; its filter and metadata
    files are then put in a fixed order (`search_order`), so the site is byte-identical.
    """
    result = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", SEARCH_DIR,
         "--quiet"],
        capture_output=True, text=True, check=False, env={**os.environ, "NO_COLOR": "1"},
    )
    if result.returncode != 0 or not (site / SEARCH_DIR / "pagefind.js").is_file():
        raise BuildError(f"pagefind could not index {site}: {_first_problem(result)}; the "
                         "previous site is unchanged")
    order_index(site / SEARCH_DIR)


def _child_config(config: Config, mkdocs_yml: Path) -> str:
    """Return a config inheriting mkdocs.yml with the config's docs dir and site address.

    The site address gives the sitemap its URLs, pages their canonical link, and the 404
    page links that work under a project-pages path. MkDocs resolves a relative
    `custom_dir` and hook paths against the file that is loaded, which is the child in a
    temp folder, so they are pinned to the parent's folder here.
    """
    parent = yaml.safe_load(mkdocs_yml.read_text(encoding="utf-8")) or {}
    here = mkdocs_yml.parent.resolve()
    lines = [f"INHERIT: {json.dumps(str(mkdocs_yml.resolve()))}",
             f"docs_dir: {json.dumps(str(config.docs_dir.resolve()))}",
             f"site_url: {json.dumps(config.site_url)}"]
    custom = (parent.get("theme") or {}).get("custom_dir")
    if custom:
        lines += ["theme:", f"  custom_dir: {json.dumps(str(here / custom))}"]
    hooks = parent.get("hooks") or []
    if hooks:
        lines += ["hooks:"] + [f"  - {json.dumps(str(here / hook))}" for hook in hooks]
    return "\n".join(lines) + "\n"


def _build_date_env(docs_dir: Path) -> dict[str, str]:
    """Pin MkDocs' build date to the newest brief's day (SOURCE_DATE_EPOCH).

    MkDocs dates the sitemap, and the gzip header of its copy, with the build date; the
    newest brief's day makes that a fact of the data, and a rebuild byte-identical.
    """
    days = brief_days(docs_dir)
    if not days:
        return {}
    newest = datetime.combine(days[-1], time(), tzinfo=UTC)
    return {"SOURCE_DATE_EPOCH": str(int(newest.timestamp()))}


def _first_problem(result: subprocess.CompletedProcess[str]) -> str:
    """Return the first warning or error line a tool printed (else its last line)."""
    output = _ANSI.sub("", result.stderr + result.stdout)
    lines = [ln for ln in output.splitlines() if ln.strip()]
    detail = next((ln for ln in lines if ln.lstrip().startswith(("WARNING", "ERROR", "Error"))),
                  lines[-1] if lines else "no output")
    return detail.strip()
