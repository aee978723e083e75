"""No input makes extraction crash, hang or answer nonsense: property tests with random and
adversarial text over the normalisers and the whole pipeline, and the bounds on huge documents."""

from __future__ import annotations

import json
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from factcheck.api import CheckOptions, check
from factcheck.cli import app
from factcheck.extract import Extractor
from factcheck.models import DateSpan, DateValue, QuantityValue
from tests.conftest import FIXTURES

# pieces that the scanners react to (shared with benchmarks/fuzz_normalisers.py), mixed with arbitrary
# text: numbers in every shape, scale and number words, hedges, currencies, units, dates, and the
# characters that break naive code
PIECES = json.loads((FIXTURES / "scanner_pieces.json").read_text(encoding="utf-8"))
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=40).map("".join)
PUBLISHED = DateSpan(date(2024, 3, 6), date(2024, 3, 6))


def sane(value: object) -> None:
    if isinstance(value, QuantityValue):
        if value.low is not None and value.high is not None:
            assert value.low <= value.high
        assert value.rounding >= 0
    if isinstance(value, DateValue) and value.span is not None:
        assert value.span.start <= value.span.end


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_scanners_and_normalisers_survive_any_text(lexicon, text):
    extractor = Extractor(lexicon, None)
    for mention in extractor.mentions(text):
        assert 0 <= mention.start < mention.end <= len(text)
        if mention.date is not None:
            sane(extractor.dates.resolve(mention.date, PUBLISHED, None))
            sane(extractor.dates.resolve(mention.date, None, "future"))
        else:
            assert mention.quantity is not None
            sane(mention.quantity.value)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts, min_size=1, max_size=3))
def test_whole_pipeline_survives_any_text(tmp_path_factory, bodies):
    corpus = tmp_path_factory.mktemp("fuzz")
    for n, body in enumerate(bodies):
        (corpus / f"d{n}.md").write_text(
            f"---\nid: d{n}\npublished: 2024-03-0{n + 1}\n---\n{body}\n", "utf-8"
        )
    report = check([corpus], CheckOptions(jobs=1))
    files = {d.id: d.text for d in report.documents}
    for fact in report.facts:
        assert files[fact.doc_id][fact.start : fact.end] == fact.text
        sane(fact.value)


def test_huge_document_and_huge_line_are_read_within_bounds(tmp_path):
    """A 50 MB document, a 5 MB line and a page of numbers: read up to the bounds, with a notice."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    filler = ("lorem ipsum dolor sit amet. " * 40 + "\n\n") * 45_000  # 50 MB
    (corpus / "big.md").write_text(
        "---\nid: big\n---\nThe storm destroyed 40 homes on Monday.\n\n" + filler + "It sank 12 ships.\n",
        "utf-8",
    )
    (corpus / "line.md").write_text(
        "The fire destroyed 30 homes. " + "lorem ipsum " * 420_000 + "and 7 barns.", "utf-8"
    )
    (corpus / "dense.md").write_text("The 12 ships sailed on 3 May. " * 3_000, "utf-8")
    result = CliRunner().invoke(app, ["facts", str(corpus), "--format", "json", "--no-cache"])
    assert result.exit_code == 0, result.output
    facts = json.loads(result.stdout)["facts"]
    texts = {(f["doc"], f["text"]) for f in facts}
    assert ("big", "40") in texts and ("big", "12") not in texts  # past the bound: not read
    assert ("line", "30") in texts
    assert sum(1 for f in facts if f["doc"] == "dense") <= 2_500
    notices = [line for line in result.stderr.splitlines() if "only partly checked" in line]
    assert {n.split(": ")[2].rsplit("/", 1)[-1] for n in notices} == {"big.md", "line.md", "dense.md"}
