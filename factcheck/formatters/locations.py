"""Where a conflict's facts stand, for the formatters that point at files (github, sarif, jsonl,
markdown).

Every formatter that annotates a file needs the same three things: the path the document was
read from, its line, and which fact of a conflict to put the annotation on (the document a
pull request adds, else an outlier: the source that disagrees with the consensus).
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


class Locator:
    """Finds facts' documents in one report; the document index is built once per report."""

    def __init__(self, report: Report) -> None:
        self._documents = {d.id: d for d in report.documents}
        self._changed = frozenset(report.changed)

    def of(self, fact: Fact) -> Location:
        doc = self._documents.get(fact.doc_id)
        return Location(doc.path if doc else fact.doc_id, fact.line, fact, doc)

    def primary(self, conflict: Conflict) -> Location:
        """The fact an annotation goes on: in a change (`factcheck ci`) a changed document's
        fact, an outlier first, as that is the line the pull request adds; otherwise the first
        outlier, else the first fact."""
        outliers = [f for f in conflict.facts if f.id in conflict.outliers]
        changed = [f for f in conflict.facts if f.doc_id in self._changed]
        changed.sort(key=lambda f: f.id not in conflict.outliers)
        return self.of((changed or outliers or list(conflict.facts))[0])

    def others(self, conflict: Conflict) -> list[Location]:
        """The conflict's other facts, for evidence beside the primary one."""
        main = self.primary(conflict).fact
        return [self.of(f) for f in conflict.facts if f is not main]
