"""SARIF 2.1.0 (`--format sarif`), for code-scanning dashboards.

One result per conflict, located on the outlier fact (file, line, column range), with the
other sources as related locations. Rule ids are `conflict/<kind>`. Text is made inert (no
control characters); SARIF viewers render `message.text` as plain text.
"""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any, TextIO

from factcheck import __version__
from factcheck.formatters.locations import Location, Locator
from factcheck.formatters.safe import inert
from factcheck.models import Report

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _uri(path: str) -> str:
    return PurePath(path).as_posix()


def _location(loc: Location, message: str | None = None, ident: int | None = None) -> dict[str, Any]:
    fact = loc.fact
    line_start = fact.start - (loc.document.text.rfind("\n", 0, fact.start) + 1) if loc.document else 0
    out: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": {"uri": _uri(loc.path)},
            "region": {
                "startLine": fact.line,
                "startColumn": line_start + 1,
                "endColumn": line_start + 1 + (fact.end - fact.start),
                "snippet": {"text": inert(fact.text)},
            },
        }
    }
    if ident is not None:
        out["id"] = ident
    if message is not None:
        out["message"] = {"text": inert(message)}
    return out


def sarif_log(report: Report) -> dict[str, Any]:
    kinds = sorted({c.kind for c in report.conflicts})
    rules = [
        {
            "id": f"conflict/{kind}",
            "name": f"{kind.capitalize()}Conflict",
            "shortDescription": {"text": f"Sources disagree on a {kind}"},
        }
        for kind in kinds
    ]
    locator = Locator(report)
    results = []
    for c in report.conflicts:
        related = [
            _location(loc, f"{loc.document.outlet if loc.document else loc.path} says {loc.fact.text!r}", n)
            for n, loc in enumerate(locator.others(c), 1)
        ]
        results.append(
            {
                "ruleId": f"conflict/{c.kind}",
                "ruleIndex": kinds.index(c.kind),
                "level": "error" if c.severity == "error" else "warning",
                "message": {"text": inert(c.message)},
                "locations": [_location(locator.primary(c))],
                "relatedLocations": related,
                "properties": {"label": c.label, "conflictId": c.id},
            }
        )
    notifications = [
        {
            "level": "error",
            "message": {"text": inert(f"{e.code}: {e.message}")},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(e.path)}}}],
        }
        for e in report.errors
    ]
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "factcheck", "version": __version__, "rules": rules}},
        "results": results,
    }
    if notifications:
        run["invocations"] = [{"executionSuccessful": False, "toolExecutionNotifications": notifications}]
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def render_check(report: Report, out: TextIO) -> None:
    json.dump(sarif_log(report), out, ensure_ascii=True, indent=2, sort_keys=True)
    out.write("\n")
