"""The integration files shipped for corpus repositories stay in step with the CLI."""

from __future__ import annotations

import re
import shlex

import typer
import yaml

from factcheck.cli import app
from tests.conftest import REPO


def _options(command: str) -> set[str]:
    click_command = typer.main.get_command(app).commands[command]  # type: ignore[attr-defined]
    return {opt for param in click_command.params for opt in (*param.opts, *param.secondary_opts)}


def _factcheck_commands(script: str) -> list[list[str]]:
    words = shlex.split(script.replace("\\\n", " "))
    starts = [n for n, w in enumerate(words) if w == "factcheck"]
    ends = [*starts[1:], len(words)] if starts else []
    return [words[n:end] for n, end in zip(starts, ends, strict=True)]


def test_github_workflow_uses_only_options_that_exist():
    workflow = yaml.safe_load((REPO / "examples" / "github-actions" / "factcheck.yml").read_text())
    steps = workflow["jobs"]["factcheck"]["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0  # the merge base must be there
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache"))
    assert cache["with"]["path"] == ".factcheck"
    commands = [c for s in steps if "run" in s for c in _factcheck_commands(s["run"])]
    assert len(commands) == 2
    for command in commands:
        assert command[1] == "ci"
        used = {w.split("=")[0] for w in command[2:] if w.startswith("-")}
        assert used <= _options("ci"), used - _options("ci")
    assert {c[c.index("--format") + 1] for c in commands} == {"github", "markdown"}


def test_pre_commit_hook_runs_ci_on_document_files():
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "factcheck" and hook["pass_filenames"] is True
    assert shlex.split(hook["entry"]) == ["factcheck", "ci"]
    pattern = re.compile(hook["files"])
    assert all(pattern.search(p) for p in ("corpus/a.md", "x.markdown", "notes.txt"))
    assert not any(pattern.search(p) for p in ("setup.py", "data.json", "a.md.bak"))
