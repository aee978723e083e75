"""Formatters render only; each format has a test, and untrusted text stays inert."""

import io
import json
from datetime import date

import pytest

from factcheck.formatters import check_formatters, facts_formatters
from factcheck.formatters.json_report import SCHEMA
from factcheck.formatters.safe import inert
from factcheck.models import Conflict, DateSpan, Document, InputError, Report
from tests.factories import date_fact

HOSTILE = "[bold red]pwned[/] \x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\ \x1b]52;c;ZXZpbA==\x07 \u202eevil"


def _report(source: str = "The Wire", text: str = "on Wednesday") -> Report:
    doc_a = Document(
        id="a", path="a.md", text="", source=source, published=DateSpan(date(2021, 8, 13), date(2021, 8, 13))
    )
    doc_b = Document(
        id="b", path="b.md", text="", source="Other", published=DateSpan(date(2022, 3, 1), date(2022, 3, 31))
    )
    fa = date_fact("a", "2021-08-11", resolution="'on Wednesday' → 2021-08-11")
    fb = date_fact("b", "2021-07-01", "2021-07-31")
    fa = type(fa)(**{**fa.__dict__, "text": text, "sentence": f"They met {text} in Tianjin."})
    conflict = Conflict(
        "c1", "date", "error", (fa, fb), f"{source} says {text!r}", (("2021-07", 1),), (fa.id,)
    )
    return Report(
        (doc_a, doc_b), (fa, fb), (conflict,), (InputError("bad.md", "not-utf8", "not valid UTF-8"),)
    )


def test_every_format_has_a_formatter():
    from factcheck.cli import CheckFormat

    assert set(check_formatters()) == {f.value for f in CheckFormat}
    assert {"terminal", "json", "jsonl", "github", "sarif", "junit", "markdown"} <= set(check_formatters())
    assert set(facts_formatters()) == {"table", "json"}


def test_json_follows_the_contract():
    out = io.StringIO()
    check_formatters()["json"](_report(), out)
    data = json.loads(out.getvalue())
    assert data["schema"] == SCHEMA
    assert set(data) >= {"schema", "documents", "facts", "conflicts", "errors"}
    assert data["documents"][0] == {
        "id": "a",
        "path": "a.md",
        "published": "2021-08-13",
        "title": None,
        "source": "The Wire",
    }
    assert data["documents"][1]["published"] == "2022-03"
    fact = data["facts"][0]
    assert set(fact) >= {"id", "doc", "kind", "text", "start", "end", "value", "sentence"}
    assert fact["value"]["type"] == "date" and fact["value"]["start"] == "2021-08-11"
    assert data["conflicts"][0]["facts"] == [fact["id"], data["facts"][1]["id"]]
    assert data["conflicts"][0]["severity"] == "error"
    assert data["errors"] == [{"path": "bad.md", "code": "not-utf8", "message": "not valid UTF-8"}]


def test_json_is_deterministic():
    report = _report()
    a, b = io.StringIO(), io.StringIO()
    check_formatters()["json"](report, a)
    check_formatters()["json"](report, b)
    assert a.getvalue() == b.getvalue()


def test_terminal_shows_sources_side_by_side():
    out = io.StringIO()
    check_formatters()["terminal"](_report(), out)
    text = out.getvalue()
    assert "1 conflict (1 error, 0" in text and "c1 error" in text
    assert "The Wire" in text and "a.md:1" in text
    assert "2021-08-11" in text and "consensus" in text


def _many_sources_report(changed: tuple[str, ...]) -> Report:
    docs = [Document(id=f"d{n}", path=f"d{n}.md", text="", source=f"Outlet {n}") for n in range(9)]
    facts = [date_fact(f"d{n}", "2021-08-11") for n in range(8)] + [date_fact("d8", "2021-07-01")]
    conflict = Conflict(
        "c1", "date", "error", tuple(facts), "Outlet 8 says otherwise", (("2021-08-11", 8),), (facts[-1].id,)
    )
    return Report(tuple(docs), tuple(facts), (conflict,), (), changed=changed)


@pytest.mark.parametrize("changed", [(), ("d7",)])
def test_terminal_counts_the_sources_beyond_three_per_value(changed):
    out = io.StringIO()
    check_formatters()["terminal"](_many_sources_report(changed), out)
    text = out.getvalue()
    shown = {n for n in range(9) if f"d{n}.md:1" in text}
    # three of the eight agreeing sources (the changed one always among them), then a count
    assert shown == ({0, 1, 2} if not changed else {0, 1, 7}) | {8}
    assert "… 5 more sources" in text
    assert "2021-07-01" in text


@pytest.mark.parametrize("name", ["terminal", "json", "jsonl", "github", "sarif", "junit", "markdown"])
def test_hostile_text_is_inert(name):
    out = io.StringIO()
    check_formatters()[name](_report(source=HOSTILE, text=HOSTILE), out)
    rendered = out.getvalue()
    assert "\x1b" not in rendered and "\x07" not in rendered and "\u202e" not in rendered
    if name == "json":
        assert json.loads(rendered)["facts"][0]["text"] == HOSTILE  # escaped, yet the data survives intact
    elif name == "terminal":
        assert "[bold red]pwned[/]" in rendered  # shown literally, not interpreted


def test_inert_escapes_controls():
    assert inert("a\x1b[31mb") == "a\\x1b[31mb"
    assert inert("x\u202ey") == "x\\u202ey"
    assert inert("line\nbreak", single_line=True) == "line break"
