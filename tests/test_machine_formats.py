"""The machine output formats, one test each, on a corpus whose text tries to inject markup,
escape sequences and CI workflow commands; and the CLI options that go with them."""

import json
import xml.etree.ElementTree as ET

import pytest
from typer.testing import CliRunner

from factcheck.cli import app
from tests.conftest import document

runner = CliRunner()

# one sentence, so that it is the evidence shown for the fact
HOSTILE = (
    "Rebuilding Montalba <script>alert(1)</script> [click](http://evil.example) | `code` "
    "\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\ %0A::add-mask::secret "
    "after the fire will cost $214 million, officials said."
)


@pytest.fixture
def corpus(write_corpus):
    return write_corpus(
        {
            "a.md": document(
                "a", "Alpha Wire", "2024-08-07", "Rebuilding Montalba after the fire will cost $143 million."
            ),
            "b.md": document("b", "Beta <b>Post</b> %0A::set-output name=x::1", "2024-08-08", HOSTILE),
        }
    )


def render(corpus, fmt: str):
    result = runner.invoke(app, ["check", str(corpus), "--format", fmt])
    assert result.exit_code == 1, result.output
    return result.stdout


def test_github_annotations_cannot_start_a_command_of_their_own(corpus):
    out = render(corpus, "github")
    lines = out.splitlines()
    assert lines and all(line.startswith(("::error ", "::warning ")) for line in lines)
    assert "\x1b" not in out
    assert "%0A::set-output" not in out  # the source's own "%0A" is escaped to "%250A"
    assert "%250A::set-output" in out
    assert any("file=" in line and ",line=" in line for line in lines)


def test_sarif_is_a_2_1_0_log_with_related_locations(corpus):
    log = json.loads(render(corpus, "sarif"))
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    (result,) = run["results"]
    assert result["ruleId"] == "conflict/money" and result["level"] == "error"
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] >= 1 and region["endColumn"] > region["startColumn"]
    assert len(result["relatedLocations"]) == 1
    assert "\x1b" not in json.dumps(log, ensure_ascii=False)


def test_junit_fails_each_document_in_a_conflict(corpus):
    suite = ET.fromstring(render(corpus, "junit"))
    assert suite.tag == "testsuite" and suite.get("failures") == "2"
    failed = [case.get("name") for case in suite.iter("testcase") if case.find("failure") is not None]
    assert len(failed) == 2 and all(name.endswith(".md") for name in failed)


def test_markdown_escapes_html_links_and_table_pipes(corpus):
    out = render(corpus, "markdown")
    assert "<script>" not in out and "<b>" not in out
    assert "&lt;b&gt;Post" in out  # the outlet's name, shown as text
    assert "[click](" not in out and "\\[click\\]" in out
    assert "\x1b" not in out
    table_rows = [line for line in out.splitlines() if line.startswith("| ") and "montalba" in line.lower()]
    assert table_rows and all(line.count(" | ") == 3 for line in table_rows)


def test_jsonl_has_one_ascii_object_per_line(corpus):
    out = render(corpus, "jsonl")
    assert out.isascii()
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["type"] for r in records] == ["conflict"]
    assert sorted(f["text"] for f in records[0]["facts"]) == ["$143 million", "$214 million"]


def test_output_file_gets_the_report_and_stdout_stays_empty(corpus, tmp_path):
    target = tmp_path / "report.sarif"
    result = runner.invoke(app, ["check", str(corpus), "--format", "sarif", "--output-file", str(target)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_exit_zero_and_fail_level(corpus):
    assert runner.invoke(app, ["check", str(corpus), "--format", "json", "--exit-zero"]).exit_code == 0
    assert (
        runner.invoke(app, ["check", str(corpus), "--format", "json", "--fail-level", "error"]).exit_code == 1
    )


def test_unwritable_output_file_is_a_one_line_error(corpus, tmp_path):
    result = runner.invoke(app, ["check", str(corpus), "--output-file", str(tmp_path / "no" / "dir" / "x")])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "cannot write the report" in result.stderr
