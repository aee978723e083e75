"""The hostile fixture corpus (`tests/fixtures/hostile/`), end to end through the CLI in every
output format: every bad file gets its one-line diagnostic with a stable code, the good ones are
still checked, the exit code is 2, nothing raises, and no document text becomes markup, an escape
sequence, a workflow command or HTML. Also: symlink loops, missing paths, determinism."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factcheck.cli import app
from tests.conftest import FIXTURES

HOSTILE = FIXTURES / "hostile"
FORMATS = ["terminal", "json", "jsonl", "github", "sarif", "junit", "markdown"]
EXPECTED_ERRORS = {
    "05-empty.md": "empty",
    "06-not-utf8.md": "not-utf8",
    "07-binary.md": "binary",
    "08-unterminated.md": "front-matter",
    "09-not-mapping.md": "front-matter",
    "10-bad-yaml.md": "front-matter",
    "11-published-month-13.md": "published",
    "12-published-word.md": "published",
    "13-published-number.md": "published",
    "14-duplicate-id.md": "duplicate-id",
    "15-nul.txt": "binary",
}
CHECKED = {"baseline", "bom-crlf", "spaces", "rtl", "injection"}
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["check", str(HOSTILE), *args], env={"COLUMNS": "400"})


@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_corpus_in_every_format(fmt):
    result = run("--format", fmt)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stdout + result.stderr
    # one line per bad file, naming it and its stable code
    lines = result.stderr.splitlines()
    for name, code in EXPECTED_ERRORS.items():
        mine = [line for line in lines if name in line]
        assert len(mine) == 1 and f"error[{code}]" in mine[0], (name, mine)
    out = result.stdout
    assert not RAW_CONTROL.search(out)  # no ESC, CSI, OSC 8/52, BEL or bidi override reaches output
    if fmt == "github":
        for line in out.splitlines():  # every line one annotation: nothing smuggled a command in
            assert re.match(r"::(error|warning) file=", line), line
    if fmt == "markdown":
        assert "<script" not in out and "<img" not in out
    if fmt == "terminal":
        assert "[bold red]joined[/]" in out  # shown as typed, never interpreted as markup


def test_hostile_corpus_loses_no_good_document():
    report = json.loads(run("--format", "json").stdout)
    assert {d["id"] for d in report["documents"]} == CHECKED
    assert {e["path"].rsplit("/", 1)[-1] for e in report["errors"]} == set(EXPECTED_ERRORS)
    # the good documents, BOM and CRLF, Unicode spaces and right-to-left text included, are checked
    texts = {(f["doc"], f["text"]) for f in report["facts"]}
    assert ("bom-crlf", "1,500") in texts and ("injection", "900") in texts
    assert report["conflicts"]
    for fact in report["facts"]:  # offsets index the file as read
        path = next(d["path"] for d in report["documents"] if d["id"] == fact["doc"])
        assert Path(path).read_text(encoding="utf-8")[fact["start"] : fact["end"]] == fact["text"]


def test_symlink_loop_and_missing_path(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.md").write_text("---\nid: good\n---\nThe fire destroyed 40 homes.\n", encoding="utf-8")
    os.symlink(corpus / "b.md", corpus / "a.md")
    os.symlink(corpus / "a.md", corpus / "b.md")
    os.symlink(corpus, corpus / "itself")  # a directory loop is not followed
    result = runner.invoke(app, ["check", str(corpus), str(tmp_path / "nowhere"), "--format", "json"])
    assert result.exit_code == 2
    errors = {e["path"].rsplit("/", 1)[-1]: e["code"] for e in json.loads(result.stdout)["errors"]}
    assert errors == {"a.md": "unreadable", "b.md": "unreadable", "nowhere": "not-found"}
    assert [d["id"] for d in json.loads(result.stdout)["documents"]] == ["good"]


def test_unreadable_file(tmp_path, monkeypatch):
    """A file the OS refuses to read (permissions; simulated, as root reads anything)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.md").write_text("---\nid: good\n---\nThe fire destroyed 40 homes.\n", encoding="utf-8")
    locked = corpus / "locked.md"
    locked.write_text("Text with 12 ships.\n", encoding="utf-8")
    real_read = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "locked.md":
            raise PermissionError(13, "Permission denied")
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = runner.invoke(app, ["check", str(corpus), "--format", "json", "--no-cache"])
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert report["errors"] == [{"path": str(locked), "code": "unreadable", "message": "Permission denied"}]
    assert [d["id"] for d in report["documents"]] == ["good"]
    assert result.stderr.strip() == f"factcheck: error[unreadable]: {locked}: Permission denied"


def test_json_is_byte_identical_across_runs_jobs_and_listing_order(tmp_path, monkeypatch):
    first = run("--format", "json", "--jobs", "1", "--no-cache").stdout
    assert run("--format", "json", "--jobs", "2", "--no-cache").stdout == first
    assert run("--format", "json").stdout == first  # through the fact store
    real_walk = os.walk

    def reversed_walk(top, *args, **kwargs):
        for root, dirs, files in real_walk(top, *args, **kwargs):
            dirs.reverse()
            yield root, dirs, list(reversed(files))

    monkeypatch.setattr(os, "walk", reversed_walk)
    assert run("--format", "json", "--no-cache").stdout == first


def test_keep_going_reports_input_errors_but_lets_conflicts_decide(tmp_path, monkeypatch):
    result = run("--format", "json", "--keep-going")
    assert result.exit_code == 1  # the conflicts among the good documents
    assert sum("error[" in line for line in result.stderr.splitlines()) == len(EXPECTED_ERRORS)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "factcheck.toml").write_text("keep_going = true\n", encoding="utf-8")
    assert run("--format", "json").exit_code == 1
    assert run("--format", "json", "--stop-on-input-errors").exit_code == 2


@pytest.mark.parametrize("fmt", FORMATS)
def test_document_text_never_becomes_a_file_path(tmp_path, fmt):
    """A document id, title or source that looks like a path (`../../x`) is only ever printed:
    the one file written is the --output-file the user named."""
    corpus = tmp_path / "work" / "corpus"
    corpus.mkdir(parents=True)
    for n, figure in enumerate(("40", "90")):
        (corpus / f"d{n}.md").write_text(
            f"---\nid: ../../escaped-{n}\ntitle: /tmp/owned-{n}\nsource: ../../../etc/passwd\n"
            f"published: 2024-03-0{n + 1}\n---\nThe storm destroyed {figure} homes in Velm on Monday.\n",
            encoding="utf-8",
        )
    out = tmp_path / "work" / "out" / "report.txt"
    out.parent.mkdir()
    before = sorted(p for p in tmp_path.rglob("*"))
    result = runner.invoke(
        app, ["check", str(corpus), "--format", fmt, "--output-file", str(out), "--no-cache"]
    )
    assert result.exit_code == 1, result.output
    assert sorted(p for p in tmp_path.rglob("*")) == sorted([*before, out])
    assert out.read_text(encoding="utf-8").strip()
