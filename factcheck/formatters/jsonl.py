"""One JSON object per line (`--format jsonl`): each conflict, then each input error.

For log pipelines and `jq`: a line is complete on its own, with the facts of the conflict
inlined (the same fields as the JSON report). ASCII-only, so no control character of a
document reaches a terminal or a log viewer unescaped.
"""

from __future__ import annotations

import json
from typing import TextIO

from factcheck.formatters.json_report import fact_json
from factcheck.formatters.locations import Locator
from factcheck.models import Report


def render_check(report: Report, out: TextIO) -> None:
    locator = Locator(report)
    for c in report.conflicts:
        record = {
            "type": "conflict",
            "id": c.id,
            "kind": c.kind,
            "severity": c.severity,
            "label": c.label,
            "message": c.message,
            "facts": [{**fact_json(f), "path": locator.of(f).path} for f in c.facts],
            "outliers": list(c.outliers),
            "consensus": [{"value": v, "sources": n} for v, n in c.consensus],
            "notes": list(c.notes),
        }
        out.write(json.dumps(record, ensure_ascii=True, sort_keys=True) + "\n")
    for err in report.errors:
        record = {"type": "error", "path": err.path, "code": err.code, "message": err.message}
        out.write(json.dumps(record, ensure_ascii=True, sort_keys=True) + "\n")
