"""`factcheck ci` and `factcheck baseline` on a real git repository built for each test.

The corpus has an old disagreement (a storm's toll) that the pull request does not touch, and
the pull request adds a document that contradicts one fact (the number of agreements signed).
Only the added contradiction is the pull request's business, in every output format.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest
from typer.testing import CliRunner

from factcheck.cli import app
from tests.conftest import document

runner = CliRunner()

OLD = {
    "a.md": document(
        "a",
        "Alpha Wire",
        "2024-03-05",
        """
        The two ministers signed seven agreements on energy and trade in Velmora on Tuesday.

        The storm destroyed 120 homes in Carlow county.
        """,
    ),
    "b.md": document(
        "b",
        "Beta Post",
        "2024-03-06",
        """
        The ministers signed seven agreements on energy and trade during the visit to Velmora.

        The storm destroyed 450 homes in Carlow county.
        """,
    ),
}
CONTRADICTS = document(
    "c",
    "Gamma Times",
    "2024-03-07",
    "The ministers signed five agreements on energy and trade during their visit to Velmora.",
)
AGREES = document(
    "d",
    "Delta News",
    "2024-03-07",
    "Seven agreements on energy and trade were signed in Velmora during the ministers' visit.",
)

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        [
            "git",
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.invalid",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose main branch holds the corpus, checked out on a pull-request branch."""
    root = tmp_path / "repo"
    (root / "corpus").mkdir(parents=True)
    for name, text in OLD.items():
        (root / "corpus" / name).write_text(text, encoding="utf-8")
    (root / "README.md").write_text("A corpus.\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-qm", "corpus")
    git(root, "checkout", "-q", "-b", "pull-request")
    monkeypatch.chdir(root)
    monkeypatch.delenv("GITHUB_BASE_REF", raising=False)
    return root


def add(repo: Path, name: str, text: str, commit: bool = True) -> None:
    (repo / "corpus" / name).write_text(text, encoding="utf-8")
    if commit:
        git(repo, "add", ".")
        git(repo, "commit", "-qm", f"add {name}")


def ci(*args: str):
    return runner.invoke(app, ["ci", *args])


def only_conflict_is_the_added_one(fmt: str, out: str) -> None:
    """Exactly one conflict, on c.md's "five", and nothing about the storm."""
    if fmt != "json":  # the JSON report lists every fact; its conflicts are checked below
        assert "450" not in out and "120" not in out
    if fmt == "json":
        report = json.loads(out)
        assert len(report["conflicts"]) == 1
        facts = {f["id"]: f for f in report["facts"]}
        texts = sorted(facts[i]["text"] for i in report["conflicts"][0]["facts"])
        assert texts == ["five", "seven", "seven"]
    elif fmt == "jsonl":
        records = [json.loads(line) for line in out.splitlines()]
        conflicts = [r for r in records if r.get("type") == "conflict"]
        assert len(conflicts) == 1 and "five" in json.dumps(conflicts[0])
    elif fmt == "github":
        lines = out.splitlines()
        assert len(lines) == 1
        assert lines[0].startswith("::error file=corpus/c.md,line=7,")
    elif fmt == "sarif":
        results = json.loads(out)["runs"][0]["results"]
        assert len(results) == 1
        location = results[0]["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "corpus/c.md"
        assert location["region"]["snippet"]["text"] == "five"
        related = {r["physicalLocation"]["artifactLocation"]["uri"] for r in results[0]["relatedLocations"]}
        assert related == {"corpus/a.md", "corpus/b.md"}
    elif fmt == "junit":
        suite = ElementTree.fromstring(out)
        failures = suite.findall(".//failure")
        assert failures and all("five" in (f.get("message", "") + (f.text or "")) for f in failures)
    elif fmt in ("markdown", "terminal"):
        assert "five" in out and out.count("Gamma Times") >= 1
    else:  # pragma: no cover - a new format must be given its assertion here
        raise AssertionError(fmt)


@pytest.mark.parametrize("fmt", ["json", "jsonl", "github", "sarif", "junit", "markdown", "terminal"])
def test_added_contradiction_is_the_only_conflict_in_every_format(repo, fmt):
    add(repo, "c.md", CONTRADICTS)
    result = ci("--format", fmt)
    assert result.exit_code == 1, result.output
    only_conflict_is_the_added_one(fmt, result.stdout)


def test_baseline_accepts_the_conflict_and_then_ci_passes(repo):
    add(repo, "c.md", CONTRADICTS)
    made = runner.invoke(app, ["baseline"])
    assert made.exit_code == 0, made.output
    assert "2 accepted conflict(s)" in made.stderr  # the change's and the storm's
    entries = json.loads((repo / "factcheck-baseline.json").read_text())["conflicts"]
    assert sorted(tuple(e["documents"]) for e in entries) == [("a", "b"), ("a", "b", "c")]
    result = ci("--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["conflicts"] == []
    assert ci("--all", "--format", "json").exit_code == 0


def test_baseline_survives_unrelated_edits(repo):
    add(repo, "c.md", CONTRADICTS)
    assert runner.invoke(app, ["baseline"]).exit_code == 0
    _, front, body = CONTRADICTS.split("---\n", 2)
    edited = f"---\n{front}---\nA first paragraph about the weather, moving every line down.\n\n{body}"
    add(repo, "c.md", edited)
    assert ci("--format", "json").exit_code == 0
    assert ci("--all", "--format", "json").exit_code == 0
    add(repo, "c.md", edited.replace("five", "four"))  # a new value is a new conflict
    assert ci("--format", "json").exit_code == 1


def test_stale_baseline_entry_is_reported_but_does_not_fail(repo):
    add(repo, "c.md", CONTRADICTS)
    assert runner.invoke(app, ["baseline"]).exit_code == 0
    add(repo, "c.md", CONTRADICTS.replace("five", "seven"))  # the outlet corrected its story
    result = ci("--format", "json")
    assert result.exit_code == 0, result.output
    notices = [line for line in result.stderr.splitlines() if "no longer matches" in line]
    assert len(notices) == 1 and "a, b, c" in notices[0]


def test_agreeing_document_passes(repo):
    add(repo, "d.md", AGREES)
    result = ci("--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["conflicts"] == []


def test_all_reports_conflicts_between_untouched_documents(repo):
    add(repo, "d.md", AGREES)
    result = ci("--all", "--format", "json")
    assert result.exit_code == 1
    assert any("450" in c["message"] for c in json.loads(result.stdout)["conflicts"])


def test_uncommitted_and_untracked_documents_are_part_of_the_change(repo):
    add(repo, "c.md", CONTRADICTS, commit=False)
    result = ci("--format", "github")
    assert result.exit_code == 1 and result.stdout.startswith("::error file=corpus/c.md")


def test_named_files_need_no_git(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "corpus").mkdir()
    for name, text in {**OLD, "c.md": CONTRADICTS}.items():
        (tmp_path / "corpus" / name).write_text(text, encoding="utf-8")
    for args in (["corpus/c.md"], ["--changed", "corpus/c.md"]):
        result = ci(*args, "--format", "json")
        assert result.exit_code == 1, result.output
        assert len(json.loads(result.stdout)["conflicts"]) == 1
    # a.md takes part in both disagreements (the storm, and the agreements against c.md)
    result = ci("README.md", "corpus/a.md", "--format", "json")
    assert result.exit_code == 1
    assert len(json.loads(result.stdout)["conflicts"]) == 2


def test_change_without_documents_checks_nothing(repo):
    (repo / "README.md").write_text("Edited.\n", encoding="utf-8")
    result = ci("--format", "json")
    assert result.exit_code == 0
    assert "nothing to check" in result.stderr
    assert json.loads(result.stdout)["conflicts"] == []


def test_broken_untouched_document_is_a_notice_and_a_broken_added_one_an_error(repo):
    (repo / "corpus" / "old-broken.md").write_text("---\ntitle: [unclosed\n---\nText.\n", encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "broken")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "pull-request")
    git(repo, "checkout", "-q", "-b", "next")
    add(repo, "d.md", AGREES)
    result = ci("--format", "json")
    assert result.exit_code == 0, result.output
    assert "old-broken.md: skipped" in result.stderr
    add(repo, "e.md", "---\npublished: 2024-13-45\n---\nText with 12 apples.\n")
    result = ci("--format", "json")
    assert result.exit_code == 2
    assert "e.md" in result.stderr and "old-broken.md: skipped" in result.stderr


def test_unknown_base_is_a_one_line_error(repo):
    result = ci("--base", "no-such-branch")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "no-such-branch" in result.stderr


def test_outside_a_repository_is_a_one_line_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    (tmp_path / "corpus").mkdir()
    result = ci()
    assert result.exit_code == 2
    assert result.stderr.startswith("factcheck: error: git rev-parse failed")
    assert result.stderr.count("\n") == 1


def test_malformed_baseline_is_a_one_line_error(repo):
    (repo / "factcheck-baseline.json").write_text('{"format": "something else"}', encoding="utf-8")
    add(repo, "c.md", CONTRADICTS)
    result = ci()
    assert result.exit_code == 2
    assert "factcheck-baseline.json: not a factcheck baseline" in result.stderr


def test_touched_paths_match_corpus_paths_where_they_resolve_to(tmp_path, monkeypatch):
    from factcheck.api import TouchedPaths

    monkeypatch.chdir(tmp_path)
    (tmp_path / "corpus").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "story.md").write_text("x", encoding="utf-8")
    (tmp_path / "corpus" / "plain.md").write_text("x", encoding="utf-8")
    (tmp_path / "corpus" / "other-name.md").symlink_to(tmp_path / "elsewhere" / "story.md")
    (tmp_path / "corpus" / "linked-dir").symlink_to(tmp_path / "elsewhere")
    touched = TouchedPaths(["elsewhere/story.md", "./corpus/plain.md"])
    assert "corpus/plain.md" in touched
    assert str(tmp_path / "corpus" / "plain.md") in touched
    assert "corpus/other-name.md" in touched  # a link under another name
    assert "corpus/linked-dir/story.md" in touched  # a file under a linked folder
    assert "corpus/story.md" not in touched  # the same name elsewhere is another file
    assert "corpus/plain.md.bak" not in touched
