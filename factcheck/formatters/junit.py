"""JUnit XML (`--format junit`), for CI systems that show test reports.

One test case per document, failing with one <failure> per conflict the document takes part
in, so a CI report lists the documents that disagree with the corpus; input errors are
<error>s. ElementTree escapes markup; control characters, which XML 1.0 cannot carry at
all, are made inert first.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TextIO

from factcheck.formatters.safe import inert
from factcheck.models import Report


def render_check(report: Report, out: TextIO) -> None:
    by_doc: dict[str, list[tuple[str, str, str]]] = {d.id: [] for d in report.documents}
    for c in report.conflicts:
        for fact in c.facts:
            by_doc.setdefault(fact.doc_id, []).append((c.id, c.severity, c.message))
    errors = {e.path: e for e in report.errors}
    failures = sum(len(v) for v in by_doc.values())
    suite = ET.Element(
        "testsuite",
        name="factcheck",
        tests=str(len(by_doc) + len(errors)),
        failures=str(failures),
        errors=str(len(errors)),
    )
    paths = {d.id: d.path for d in report.documents}
    for doc_id, conflicts in by_doc.items():
        case = ET.SubElement(suite, "testcase", classname="factcheck", name=inert(paths.get(doc_id, doc_id)))
        for conflict_id, severity, message in conflicts:
            failure = ET.SubElement(
                case, "failure", type=severity, message=inert(f"{conflict_id}: {message}")
            )
            failure.text = inert(message)
    for path, err in errors.items():
        case = ET.SubElement(suite, "testcase", classname="factcheck", name=inert(path))
        ET.SubElement(case, "error", type=err.code, message=inert(err.message))
    out.write('<?xml version="1.0" encoding="utf-8"?>\n')
    out.write(ET.tostring(suite, encoding="unicode"))
    out.write("\n")
