"""The invoke tasks as a maintainer runs them: one-line errors, nothing half-written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import scenario
from site_project import REPO, copy_static_pages, tree_bytes

BHAVCOPY = f"BhavCopy_NSE_CM_0_0_0_{scenario.DAY:%Y%m%d}_F_0000.csv"


def invoke(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """Run `invoke ARGS` from the repo's tasks.py as a maintainer would."""
    return subprocess.run(
        [sys.executable, "-m", "invoke", "--search-root", str(REPO), *args],
        capture_output=True, text=True, check=False, cwd=cwd,
    )


@pytest.fixture
def rendered(tmp_path: Path) -> scenario.Scenario:
    crafted = scenario.build(tmp_path)
    copy_static_pages(crafted.config.docs_dir)
    config = str(tmp_path / "brief.toml")
    for task in ("render", "build"):
        result = invoke(task, "--config", config)
        assert result.returncode == 0, result.stderr
    return crafted


BAD_BHAVCOPIES = {
    "missing column": (
        lambda good: good.replace(b",ClsPric", b"", 1),
        "row 1, field 'ClsPric': column 'ClsPric' is missing from the header",
    ),
    "non-numeric price": (
        lambda good: good.replace(b",112.99,112.99,", b",11x.99,112.99,", 1),
        "field 'ClsPric': '11x.99' is not a number",
    ),
    "empty file": (lambda good: b"", "the file is empty"),
    "html page": (
        lambda good: b"<!DOCTYPE html><html><body>Resource not found</body></html>\n",
        "the file is an HTML page, not exchange data",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_BHAVCOPIES))
def test_render_rejects_bad_bhavcopy_with_one_line(
    rendered: scenario.Scenario, case: str
) -> None:
    docs, site = rendered.config.docs_dir, rendered.config.site_dir
    docs_before, site_before = tree_bytes(docs), tree_bytes(site)
    stored = rendered.store.raw_path("equities", scenario.DAY, BHAVCOPY)
    corrupt, message = BAD_BHAVCOPIES[case]
    stored.write_bytes(corrupt(stored.read_bytes()))

    result = invoke("render", "--config", str(rendered.config.root / "brief.toml"))

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {stored}")
    assert message in lines[0]
    assert "Traceback" not in result.stderr + result.stdout
    assert tree_bytes(docs) == docs_before
    assert tree_bytes(site) == site_before


def test_render_twice_leaves_docs_byte_identical(rendered: scenario.Scenario) -> None:
    before = tree_bytes(rendered.config.docs_dir)
    result = invoke("render", "--config", str(rendered.config.root / "brief.toml"))
    assert result.returncode == 0, result.stderr
    assert "charts: 0 rendered, 6 unchanged" in result.stdout
    assert tree_bytes(rendered.config.docs_dir) == before


def test_render_unknown_date_says_what_to_do(rendered: scenario.Scenario) -> None:
    result = invoke("render", "--config", str(rendered.config.root / "brief.toml"),
                    "--date", "2026-03-02")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "error: no stored sessions from 2026-03-02 to 2026-03-02; run `invoke pull` first"
    )


def test_tasks_list_shows_a_docstring_for_every_task() -> None:
    result = invoke("--list")
    assert result.returncode == 0
    for name in ("demo", "pull", "backfill", "render", "build", "serve", "publish", "test",
                 "check"):
        line = next(ln for ln in result.stdout.splitlines() if ln.strip().startswith(name + " "))
        assert len(line.split(maxsplit=1)[1]) > 10, line


def test_every_task_option_has_help() -> None:
    import tasks

    for name in ("demo", "pull", "backfill", "render", "build", "serve", "publish", "test",
                 "check"):
        task = getattr(tasks, name)
        params = [p for p in task.get_arguments() if p.name not in ("c",)]
        for param in params:
            assert param.help, f"{name} --{param.name} has no help"
