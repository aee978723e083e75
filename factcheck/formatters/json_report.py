"""The JSON report (`--format json`): the `factcheck.report/1` contract.

Keys and value shapes follow the contract exactly; extra keys (line, context,
resolution, consensus) are additions a consumer may ignore. Output is
deterministic: the same corpus gives byte-identical JSON.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from factcheck.models import DateValue, Document, Fact, QuantityValue, Report, ScoreValue

SCHEMA = "factcheck.report/1"


def _number(x: float | None) -> float | int | None:
    if x is None:
        return None
    return int(x) if float(x).is_integer() and abs(x) < 2**53 else x


def value_json(fact: Fact) -> dict[str, Any]:
    v = fact.value
    if isinstance(v, DateValue):
        out: dict[str, Any] = {
            "type": "date",
            "start": v.span.start.isoformat() if v.span else None,
            "end": v.span.end.isoformat() if v.span else None,
        }
        if v.resolution:
            out["resolution"] = v.resolution
        if v.relative:
            out["relative"] = True
        if v.extent:
            out["extent"] = True
        return out
    if isinstance(v, ScoreValue):
        return {"type": "score", "high": v.high, "low": v.low}
    assert isinstance(v, QuantityValue)
    out = {"type": "quantity", "low": _number(v.low), "high": _number(v.high), "unit": v.unit}
    if v.hedge:
        out["hedge"] = v.hedge
    return out


def document_json(doc: Document) -> dict[str, Any]:
    published = None
    if doc.published is not None:
        published = (
            doc.published.start.isoformat() if doc.published.is_day else doc.published.start.isoformat()[:7]
        )
    return {"id": doc.id, "path": doc.path, "published": published, "title": doc.title, "source": doc.source}


def fact_json(fact: Fact) -> dict[str, Any]:
    ctx = fact.context
    return {
        "id": fact.id,
        "doc": fact.doc_id,
        "kind": fact.kind,
        "text": fact.text,
        "start": fact.start,
        "end": fact.end,
        "line": fact.line,
        "value": value_json(fact),
        "sentence": fact.sentence,
        "context": {
            "noun": ctx.noun,
            "trigger": ctx.trigger,
            "entities": list(ctx.entities),
            "anchors": [a.iso() for a in ctx.anchors],
            "identity_anchors": [a.iso() for a in ctx.identity_anchors],
            "names": list(ctx.names),
            "agent": list(ctx.agent),
            "irrealis": ctx.irrealis,
            "modifiers": list(ctx.modifiers),
            "role": ctx.role,
        },
    }


def report_json(report: Report, *, include_facts: bool = True) -> dict[str, Any]:
    """The report as the JSON contract. A `factcheck ci` report (one with changed documents)
    lists only what concerns the change: the changed documents' facts, the facts its conflicts
    cite and their documents; a gate on an archive would otherwise print the whole archive."""
    documents, facts = report.documents, report.facts
    if report.changed:
        changed = set(report.changed)
        cited = {f.id for c in report.conflicts for f in c.facts}
        facts = tuple(f for f in facts if f.doc_id in changed or f.id in cited)
        shown = changed | {f.doc_id for f in facts}
        documents = tuple(d for d in documents if d.id in shown)
    return {
        "schema": SCHEMA,
        "documents": [document_json(d) for d in documents],
        "facts": [fact_json(f) for f in facts] if include_facts else [],
        "conflicts": [
            {
                "id": c.id,
                "kind": c.kind,
                "severity": c.severity,
                "label": c.label,
                "facts": [f.id for f in c.facts],
                "message": c.message,
                "outliers": list(c.outliers),
                "consensus": [{"value": v, "sources": n} for v, n in c.consensus],
                "notes": list(c.notes),
            }
            for c in report.conflicts
        ],
        "errors": [{"path": e.path, "code": e.code, "message": e.message} for e in report.errors],
        # `factcheck ci`: ids of the documents the change adds or edits (empty for a whole corpus)
        "changed": list(report.changed),
    }


def _dump(data: dict[str, Any], out: TextIO) -> None:
    # ASCII-only output: document text can carry escape sequences, DEL/C1 controls
    # and bidi overrides, which JSON would otherwise pass through raw to a terminal.
    json.dump(data, out, ensure_ascii=True, indent=2)
    out.write("\n")


def render_check(report: Report, out: TextIO) -> None:
    _dump(report_json(report), out)


def render_facts(report: Report, out: TextIO) -> None:
    data = report_json(report)
    data.pop("conflicts")
    _dump(data, out)
