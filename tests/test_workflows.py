"""The GitHub workflows: the schedule publishes by running its own commands, read here from
the YAML and run in fresh clones against a local bare remote; CI runs `.ci/run`."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import yaml
from publish_project import REPO, clone, code_remote, git_env, site_briefs, tip

WORKFLOWS = REPO / ".github" / "workflows"


def _load(name: str) -> dict[Any, Any]:
    workflow: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # PyYAML reads the key `on` as the boolean True.
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow


def test_publish_workflow_runs_publish_on_weekday_evenings_with_write_access() -> None:
    workflow = _load("publish.yml")
    crons = [entry["cron"] for entry in workflow["on"]["schedule"]]
    assert crons == ["0 14 * * 1-5", "30 17 * * 1-5"]  # 19:30 and 23:00 IST
    assert set(workflow["on"]["workflow_dispatch"]["inputs"]) == {"since", "date"}
    assert workflow["permissions"] == {"contents": "write"}
    assert workflow["concurrency"]["cancel-in-progress"] is False
    steps = workflow["jobs"]["publish"]["steps"]
    uses = [step["uses"].split("@")[0] for step in steps if "uses" in step]
    # One deploy route: publish pushes the gh-pages branch; no Pages artifact.
    assert "actions/upload-pages-artifact" not in uses
    assert "actions/deploy-pages" not in uses
    cached = [step["with"]["path"] for step in steps
              if step.get("uses", "").startswith("actions/cache")]
    assert cached == ["data/tables"]  # an accelerator only: publish restores from git
    assert list(workflow["jobs"]) == ["publish"]


def test_ci_workflow_runs_ci_run_on_push_and_pull_request() -> None:
    workflow = _load("ci.yml")
    assert {"push", "pull_request"} <= set(workflow["on"])
    runs = [step["run"] for step in workflow["jobs"]["test"]["steps"] if "run" in step]
    assert "bash .ci/run" in runs


def _commands(inputs: dict[str, str]) -> list[tuple[str, dict[str, str]]]:
    """Return the publish job's shell commands after its install step, with the step's env
    as GitHub would set it for these workflow inputs."""
    steps = _load("publish.yml")["jobs"]["publish"]["steps"]
    names = [step.get("name") for step in steps]
    commands = []
    for step in steps[names.index("Install") + 1:]:
        if "run" not in step:
            continue
        env = {}
        for key, value in step.get("env", {}).items():
            found = re.fullmatch(r"\$\{\{ inputs\.(\w+) \}\}", str(value))
            assert found, f"{key}: only workflow inputs are expected, got {value!r}"
            env[key] = inputs.get(found[1], "")
        assert "${{" not in step["run"], step["run"]
        commands.append((step["run"], env))
    assert any("invoke publish" in run for run, _ in commands)
    return commands


def _run_workflow(project: Path, inputs: dict[str, str]) -> None:
    for command, env in _commands(inputs):
        result = subprocess.run(["bash", "-eo", "pipefail", "-c", command], cwd=project,
                                env=git_env(env), capture_output=True, text=True, check=False)
        assert result.returncode == 0, f"{command}: {result.stdout}{result.stderr}"


def test_the_workflow_commands_publish_from_fresh_clones(tmp_path: Path) -> None:
    # The runner's checkout is a clone whose origin is the repository; here the project is
    # configured for the demo market, which ends on 14 March.
    remote = code_remote(tmp_path, source="demo")

    _run_workflow(clone(remote, tmp_path / "first"), {"since": "2025-03-13"})
    assert site_briefs(remote) == sorted(f"briefs/2025/03/{d}/{seg}/index.html"
                                         for d in ("13", "14")
                                         for seg in ("large", "mid", "small", "micro"))
    tips = (tip(remote, "archive"), tip(remote, "gh-pages"))

    _run_workflow(clone(remote, tmp_path / "next"), {})  # a scheduled run: nothing new
    assert (tip(remote, "archive"), tip(remote, "gh-pages")) == tips
