"""Build the MkDocs site strictly into a temp folder, then swap it into place."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from generator.config import Config
from generator.errors import GeneratorError


class BuildError(GeneratorError):
    """MkDocs refused to build the site."""


def build_site(config: Config, mkdocs_yml: Path) -> Path:
    """Run `mkdocs build --strict`; the old site stays in place unless the build succeeds."""
    if not (config.docs_dir / "index.md").is_file():
        raise BuildError(f"{config.docs_dir} has no index.md; run `invoke render` first")
    target = config.site_dir
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=target.parent))
    try:
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
             "--config-file", str(mkdocs_yml), "--site-dir", str(staging)],
            capture_output=True, text=True, check=False, cwd=config.root,
        )
        if result.returncode != 0:
            lines = [ln for ln in (result.stderr + result.stdout).splitlines() if ln.strip()]
            detail = next((ln for ln in lines if "WARNING" in ln or "ERROR" in ln),
                          lines[-1] if lines else "no output")
            raise BuildError(f"mkdocs build --strict failed: {detail.strip()}; the previous "
                             "site is unchanged")
        old = target.with_name(f".{target.name}-old")
        if old.exists():
            shutil.rmtree(old)
        if target.exists():
            target.rename(old)
        staging.rename(target)
        if old.exists():
            shutil.rmtree(old)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return target
