"""Build the MkDocs site strictly into a new folder, then switch the site to it.

A published page never changes, so a build starts from the previous one: its files are
hard-linked into the new folder (a link per file, no bytes copied) and MkDocs writes only
the pages whose Markdown changed (`mkdocs_run`), and Pagefind re-indexes only the periods
those pages are in (`search`); docs folders unchanged since the previous build began are
not even listed (`frozen`). The whole site is built again when there is no previous
build, when anything that shapes every page changed (mkdocs.yml, the theme overrides, the
versions of MkDocs, Material or Pagefind: the build's stamp), or when asked (`full`).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Collection
from datetime import UTC, datetime, time
from importlib import metadata
from pathlib import Path

import yaml

from generator.config import Config
from generator.pages import BRIEFS, newest_brief_day
from generator.site import compact_html, table_align
from generator.site.frozen import walk_docs
from generator.site.problems import BuildError, first_problem
from generator.site.search import BRIEFS_BUNDLES, brief_bundles, brief_folders, index_search
from generator.sitemaps import SITEMAPS, sitemap_index

# Raised when the way pages are built changes, so every site is built whole once.
BUILD_FORMAT = "2"
TOOLS = ("mkdocs", "mkdocs-material", "pagefind", "markdown")
# This package's code that MkDocs runs on every page (a Markdown extension mkdocs.yml
# loads, a plugin generator.site.mkdocs_run adds): it shapes pages.
EXTENSIONS = (Path(table_align.__file__), Path(compact_html.__file__))


def build_site(config: Config, mkdocs_yml: Path, *, full: bool = False) -> Path:
    """Build the site into a new folder, then switch the site dir to it; return the site dir.

    The site dir is a symlink to the folder of the latest build, replaced in one rename, so
    a reader or server never finds it missing or half-written; the old site stays in place
    unless the build succeeds. Folders a killed build left behind are removed first. The
    build is incremental (see the module) unless `full` or the stamp says otherwise.
    """
    if not (config.docs_dir / "index.md").is_file():
        raise BuildError(f"{config.docs_dir} has no index.md; run `invoke render` first")
    target = config.site_dir
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(target)
    child_text = _child_config(config, mkdocs_yml)
    stamp = _stamp(child_text, mkdocs_yml)
    previous, since, before = (None, None, None) if full else _previous_build(target, stamp)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    staging.chmod(0o755)  # a web folder: readable by all, like any built site
    # The config's docs dir wins over mkdocs.yml's: a child config inherits everything else.
    child = staging.with_suffix(".yml")
    child.write_text(child_text, encoding="utf-8")
    # When this build began, by the file system's clock (the one docs files' ctimes are
    # stamped with): a docs folder unchanged since then is frozen for the next build.
    began = child.stat().st_ctime_ns
    changes = staging.with_suffix(".changes")
    try:
        if previous is not None:
            spare = _spare(target)
            if spare.is_dir() and not spare.is_symlink():
                staging.rmdir()
                spare.rename(staging)  # the build before the live one: bring it level
                sync_tree(previous, staging, same_in_spare(config.docs_dir, before))
            else:
                link_tree(previous, staging)
        result = subprocess.run(
            [sys.executable, "-m", "generator.site.mkdocs_run", str(child), str(staging),
             str(changes)] + ([] if previous is None else ["--dirty"])
            + ([] if since is None else ["--since", str(since)]),
            capture_output=True, text=True, check=False, cwd=config.root,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1",
                 **_build_date_env(config.docs_dir)},
        )
        if result.returncode != 0 or not changes.is_file():
            raise BuildError(f"mkdocs build --strict failed: {first_problem(result)}; the "
                             "previous site is unchanged")
        written = json.loads(changes.read_text(encoding="utf-8"))
        index_search(staging, None if previous is None else written)
        _write_sitemap_index(staging, config.site_url)
        _switch(target, staging)
        # The previous build, when there is one, becomes the spare: when it began too.
        _stamp_path(target).write_text(json.dumps(
            {"build": staging.name, "stamp": stamp, "began": began,
             "spare_began": since}) + "\n", encoding="utf-8")
    finally:
        child.unlink(missing_ok=True)
        changes.unlink(missing_ok=True)
        if staging.exists() and _current(target) != staging.resolve():
            shutil.rmtree(staging)
    return target


def _write_sitemap_index(site: Path, site_url: str) -> None:
    """Replace MkDocs' sitemap (every page, one file) with an index of the period sitemaps
    the pages stage wrote into sitemaps/ (`generator.sitemaps`), plain and gzipped."""
    names = [p.name for p in (site / SITEMAPS).glob("*.xml")]
    if not names:
        return
    text = sitemap_index(site_url, names).encode("utf-8")
    for name, data in (("sitemap.xml", text),
                       ("sitemap.xml.gz", gzip.compress(text, compresslevel=9, mtime=0))):
        (site / name).unlink(missing_ok=True)
        (site / name).write_bytes(data)


def same_in_spare(docs_dir: Path, spare_began: int | None) -> set[str]:
    """Return the site folders that hold the same files in the spare as in the live build:
    those of docs folders unchanged since the spare's build began (`frozen`), unless a page
    beside the folder writes into it (`x.md` -> `x/index.html`, e.g. a segment page and
    its folder of year pages), and the search bundle of each such period of briefs (a
    bundle is indexed again only when a page of its period is built, see `search`)."""
    if spare_began is None:
        return set()
    frozen = walk_docs(str(docs_dir), spare_began).frozen
    years = brief_folders(docs_dir)
    same = set(brief_bundles(years)) if BRIEFS in frozen else set()
    for folder in frozen:
        parts = folder.split("/")
        if len(parts) < 2 or parts[0] != BRIEFS or parts[1] not in years:
            continue
        newest = parts[1] == max(years)
        if len(parts) == 2:  # a year: its bundle, or every month's of the newest year
            same |= set(brief_bundles({parts[1]: years[parts[1]]})) if newest else {parts[1]}
        elif len(parts) == 3 and newest:  # a month of the newest year: its bundle
            same.add(f"{parts[1]}-{parts[2]}")
    return {f"{BRIEFS_BUNDLES}/{name}" for name in same} | {
        folder for folder in frozen if not (docs_dir / f"{folder}.md").exists()}


def sync_tree(source: Path, dest: Path, same: Collection[str] = (), rel: str = "") -> None:
    """Make `dest` hold hard links to exactly the files under `source`.

    `dest` is an earlier build whose unchanged files already are links to the same inodes,
    so only the files a build since wrote or removed are touched: a folder listing per
    folder instead of a link per file. Equal inode means equal bytes: a build unlinks a file
    before writing it, so no one writes through a link. The folders in `same` (relative,
    e.g. "briefs/2024") are known to hold the same files in both: they are left as they are.
    """
    with os.scandir(source) as entries:
        wanted = {e.name: e for e in entries}
    with os.scandir(dest) as entries:
        have = {e.name: e for e in entries}
    for name, entry in list(have.items()):
        other = wanted.get(name)
        is_dir = entry.is_dir(follow_symlinks=False)
        if other is None or other.is_dir(follow_symlinks=False) != is_dir:
            if is_dir:
                shutil.rmtree(entry.path)
            else:
                Path(entry.path).unlink()
            del have[name]
    for name, entry in wanted.items():
        out = dest / name
        old = have.get(name)
        if entry.is_dir(follow_symlinks=False):
            sub = f"{rel}/{name}" if rel else name
            if old is None:
                out.mkdir(mode=0o755)
                link_tree(Path(entry.path), out)
            elif sub not in same:
                sync_tree(Path(entry.path), out, same, sub)
        elif old is None or old.inode() != entry.inode():
            if old is not None:
                Path(old.path).unlink()
            os.link(entry.path, out)


def link_tree(source: Path, dest: Path) -> None:
    """Fill `dest` with hard links to every file under `source` (folders made anew)."""
    for folder, dirs, names in os.walk(source):
        here = Path(folder)
        out = dest / here.relative_to(source)
        for name in dirs:
            (out / name).mkdir(mode=0o755)
        for name in names:
            os.link(here / name, out / name)


def _stamp(child_text: str, mkdocs_yml: Path) -> str:
    """Return the fingerprint of everything that shapes every page (not the docs)."""
    digest = hashlib.sha256(f"{BUILD_FORMAT}\n{child_text}".encode())
    for tool in TOOLS:
        digest.update(f"{tool}={metadata.version(tool)}\n".encode())
    here = mkdocs_yml.parent.resolve()
    digest.update(mkdocs_yml.read_bytes())
    for extension in EXTENSIONS:
        digest.update(extension.read_bytes())
    custom, hooks = _theme_paths(mkdocs_yml)
    shaping = list(hooks)
    if custom is not None:
        shaping += [p for p in sorted(custom.rglob("*")) if p.is_file()]
    for path in shaping:
        digest.update(f"{path.relative_to(here).as_posix()}\n".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _spare(target: Path) -> Path:
    """Return where the build before the live one is kept: the next build starts from it."""
    return target.with_name(f".{target.name}-spare")


def _stamp_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.stamp")


def _previous_build(target: Path, stamp: str
                    ) -> tuple[Path | None, int | None, int | None]:
    """Return the current build folder when a new build may start from it (else None),
    when that build began and when the spare's build began (None if not recorded: then
    nothing is frozen, or every folder of the spare is brought level)."""
    current = _current(target)
    path = _stamp_path(target)
    if current is None or not current.is_dir() or not path.is_file():
        return None, None, None
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return None, None, None
    if not isinstance(saved, dict) or (saved.get("build"), saved.get("stamp")) != (
            current.name, stamp):
        return None, None, None
    return current, _ns(saved.get("began")), _ns(saved.get("spare_began"))


def _ns(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _current(target: Path) -> Path | None:
    """Return the build folder the site dir points to, or None when it is not a link."""
    return target.resolve() if target.is_symlink() else None


def _switch(target: Path, build: Path) -> None:
    """Point the site dir at a new build in one rename, then keep the previous build as the
    spare the next build starts from (it differs from the new one by a day's files)."""
    previous = _current(target)
    link = target.with_name(f".{target.name}-link")
    link.unlink(missing_ok=True)
    link.symlink_to(build.name)
    aside = None
    if target.exists() and not target.is_symlink():
        # A real folder from an older version: moved aside once, then replaced by the link.
        aside = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
        target.rename(aside / target.name)
    link.replace(target)
    if aside is not None:
        shutil.rmtree(aside)
    elif previous is not None and previous.exists() and previous != build.resolve():
        spare = _spare(target)
        if spare.is_dir() and not spare.is_symlink():
            shutil.rmtree(spare)
        else:
            spare.unlink(missing_ok=True)
        previous.rename(spare)


def _remove_leftovers(target: Path) -> None:
    """Remove the build folders and temp files that a killed build left beside the site
    (not the live build, nor the spare the next build starts from)."""
    keep = _current(target)
    spare = _spare(target)
    for stale in target.parent.glob(f".{target.name}-*"):
        if keep is not None and stale.resolve() == keep:
            continue
        if stale == spare and stale.is_dir() and not stale.is_symlink():
            continue
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale)
        else:
            stale.unlink()


def _child_config(config: Config, mkdocs_yml: Path) -> str:
    """Return a config inheriting mkdocs.yml with the config's docs dir and site address.

    The site address gives the sitemap its URLs, pages their canonical link, and the 404
    page links that work under a project-pages path. MkDocs resolves a relative
    `custom_dir` and hook paths against the file that is loaded, which is the child in a
    temp folder, so they are pinned to the parent's folder here.
    """
    lines = [f"INHERIT: {json.dumps(str(mkdocs_yml.resolve()))}",
             f"docs_dir: {json.dumps(str(config.docs_dir.resolve()))}",
             f"site_url: {json.dumps(config.site_url)}"]
    custom, hooks = _theme_paths(mkdocs_yml)
    if custom is not None:
        lines += ["theme:", f"  custom_dir: {json.dumps(str(custom))}"]
    if hooks:
        lines += ["hooks:"] + [f"  - {json.dumps(str(hook))}" for hook in hooks]
    return "\n".join(lines) + "\n"


def _theme_paths(mkdocs_yml: Path) -> tuple[Path | None, list[Path]]:
    """Return mkdocs.yml's theme custom_dir (or None) and hook files, as absolute paths."""
    parent = yaml.safe_load(mkdocs_yml.read_text(encoding="utf-8")) or {}
    here = mkdocs_yml.parent.resolve()
    custom = (parent.get("theme") or {}).get("custom_dir")
    return (here / custom if custom else None), [here / h for h in parent.get("hooks") or []]


def _build_date_env(docs_dir: Path) -> dict[str, str]:
    """Pin MkDocs' build date to the newest brief's day (SOURCE_DATE_EPOCH).

    MkDocs dates the sitemap, and the gzip header of its copy, with the build date; the
    newest brief's day makes that a fact of the data, and a rebuild byte-identical.
    """
    day = newest_brief_day(docs_dir)
    if day is None:
        return {}
    newest = datetime.combine(day, time(), tzinfo=UTC)
    return {"SOURCE_DATE_EPOCH": str(int(newest.timestamp()))}
