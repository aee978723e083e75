"""Where a conflict's facts stand, for the formatters that point at files (github, sarif, junit).

Every formatter that annotates a file needs the same three things: the path the document was
read from, its line, and which fact of a conflict to put the annotation on (an outlier: the
source that disagrees with the consensus, usually the document a pull request adds).
"""

from __future__ import annotations

from dataclasses import dataclass

from factcheck.models import Conflict, Document, Fact, Report


@dataclass(frozen=True)
class Location:
    path: str
    line: int
    fact: Fact
    document: Document | None


def locate(report: Report, fact: Fact) -> Location:
    documents = {d.id: d for d in report.documents}
    doc = documents.get(fact.doc_id)
    return Location(doc.path if doc else fact.doc_id, fact.line, fact, doc)


def primary(report: Report, conflict: Conflict) -> Location:
    """The fact an annotation goes on: the first outlier, else the first fact."""
    outliers = [f for f in conflict.facts if f.id in conflict.outliers]
    return locate(report, (outliers or list(conflict.facts))[0])


def others(report: Report, conflict: Conflict) -> list[Location]:
    main = primary(report, conflict).fact
    return [locate(report, f) for f in conflict.facts if f is not main]
