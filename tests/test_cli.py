"""The CLI end to end through typer's CliRunner: output, exit codes, errors."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factcheck.cli import app
from tests.conftest import FIXTURES, REPO, document

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def seeds_json():
    result = run("check", str(REPO / "corpus"), "--format", "json")
    return result, json.loads(result.stdout)


def test_seed_corpus_reports_the_tianjin_meeting(seeds_json):
    result, data = seeds_json
    assert result.exit_code == 1
    facts = {f["id"]: f for f in data["facts"]}
    (conflict,) = data["conflicts"]
    texts = {(facts[i]["doc"], facts[i]["text"]) for i in conflict["facts"]}
    assert ("pratidin-2021-08-13", "on Wednesday") in texts
    assert ("mei-2022-03", "in July 2021") in texts
    assert ("nypost-2021-08-13", "Last month") in texts
    assert {doc for doc, _ in texts} == {"pratidin-2021-08-13", "mei-2022-03", "nypost-2021-08-13"}
    wednesday = next(facts[i] for i in conflict["facts"] if facts[i]["text"] == "on Wednesday")
    assert wednesday["value"]["start"] == wednesday["value"]["end"] == "2021-08-11"


def test_json_offsets_match_the_files(seeds_json):
    _, data = seeds_json
    paths = {d["id"]: d["path"] for d in data["documents"]}
    for fact in data["facts"]:
        text = Path(paths[fact["doc"]]).read_text(encoding="utf-8")
        assert text[fact["start"] : fact["end"]] == fact["text"]


def test_terminal_report_on_seeds():
    result = run("check", str(REPO / "corpus"))
    assert result.exit_code == 1
    assert "Pratidin Time" in result.stdout and "2021-08-11" in result.stdout
    assert "stale" in result.stdout


def test_agreeing_corpus_exits_zero():
    result = run("check", str(FIXTURES / "agreeing"))
    assert result.exit_code == 0, result.stdout
    assert "0 conflicts" in result.stdout


def test_fixture_conflicts(tmp_path):
    result = run("check", str(FIXTURES / "port-strike"), "--format", "json")
    data = json.loads(result.stdout)
    facts = {f["id"]: f for f in data["facts"]}
    reported = [{facts[i]["text"] for i in c["facts"]} for c in data["conflicts"]]
    assert result.exit_code == 1
    assert any({"1.8 million", "2.6 million"} <= texts for texts in reported)


def test_missing_path_is_an_input_error_but_the_rest_is_checked():
    result = run("check", str(REPO / "corpus"), "no/such/dir", "--format", "json")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["errors"] == [
        {"path": "no/such/dir", "code": "not-found", "message": "no such file or directory"}
    ]
    assert len(data["documents"]) == 5 and data["conflicts"]
    assert "factcheck: error[not-found]: no/such/dir" in result.stderr


def test_unreadable_document_named_in_one_line(write_corpus):
    root = write_corpus({"good.md": document("g", "G", "2024-01-02", "About 30 people came.")})
    (root / "bad.md").write_bytes(b"\xff\xfebad")
    result = run("check", str(root))
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if "bad.md" in line]
    assert len(lines) == 1 and "not-utf8" in lines[0]
    assert "Traceback" not in result.output


def test_unknown_model_fails_cleanly():
    result = run("check", str(FIXTURES / "agreeing"), "--model", "no_such_model_xyz")
    assert result.exit_code == 2
    assert "no spaCy English pipeline could be loaded" in result.stderr
    assert "Traceback" not in result.output


def test_usage_error_exit_code():
    assert run("check", "--format", "yaml").exit_code == 2


def test_facts_table_and_json():
    table = run("facts", str(FIXTURES / "agreeing"))
    assert table.exit_code == 0
    assert "money" in table.stdout and "facts in 3 documents" in table.stdout
    result = run("facts", str(FIXTURES / "agreeing"), "--format", "json")
    data = json.loads(result.stdout)
    assert "conflicts" not in data
    assert any(f["kind"] == "money" and f["value"]["low"] == 2.1e9 for f in data["facts"])


def test_within_document_option(write_corpus):
    body = "The fire destroyed 143 homes, officials said. Later they said the fire destroyed 87 homes."
    root = write_corpus({"a.md": document("a", "A", "2024-08-08", body)})
    assert run("check", str(root)).exit_code == 0
    assert run("check", str(root), "--within-document").exit_code == 1


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.startswith("factcheck ")


def test_progress_bar_only_on_a_terminal(monkeypatch):
    import io
    import sys

    from factcheck import cli

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with cli._progress_bar() as progress:
        assert progress is None  # not a terminal: nothing at all
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with cli._progress_bar() as progress:
        assert progress is not None
        progress(0, 5)  # a short run: no bar
        assert terminal.getvalue() == ""
        progress(0, 40)
        progress(40, 40)
    assert "parsing documents" in terminal.getvalue()


def _console(*args: str, stdout=subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    """The console script's `main` in a process of its own (it ends the process itself)."""
    code = "import sys; from factcheck.cli import main; sys.argv[0] = 'factcheck'; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], stdout=stdout, stderr=subprocess.PIPE, text=True, check=False
    )


def test_console_script_keeps_exit_codes_and_writes_the_whole_report(tmp_path):
    out = tmp_path / "r.json"
    done = _console("check", str(REPO / "corpus"), "--format", "json", "--no-cache", "-o", str(out))
    assert done.returncode == 1, done.stderr
    assert len(json.loads(out.read_text())["conflicts"]) == 1
    piped = _console("check", str(FIXTURES / "agreeing"), "--format", "json", "--no-cache")
    assert piped.returncode == 0, piped.stderr
    assert json.loads(piped.stdout)["conflicts"] == []
    assert _console("check", str(tmp_path / "missing")).returncode == 2
    assert _console("no-such-command").returncode == 2


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_unwritable_standard_output_is_a_one_line_error():
    with open("/dev/full", "w") as full:
        done = _console("check", str(FIXTURES / "agreeing"), "--no-cache", stdout=full)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "factcheck: error: standard output: cannot write the report (No space left on device)"
    ]


def test_check_help_names_the_settings_table():
    """The help text is rich markup: a bracketed name must be escaped, or it vanishes."""
    result = run("check", "--help")
    assert result.exit_code == 0
    assert "[tool.factcheck]" in result.stdout
    assert "``" not in result.stdout
