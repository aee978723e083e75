"""Markdown (`--format markdown`): a summary for a pull-request comment or a CI job summary.

Document text is untrusted and Markdown renders HTML, so every piece of it is escaped:
HTML special characters become entities, and Markdown punctuation (table pipes, emphasis,
links, code spans) is backslash-escaped, so that a document can neither inject a link, an
image nor a <script>, nor break the table.
"""

from __future__ import annotations

import html
import re
from typing import TextIO

from factcheck.compare import render_value
from factcheck.formatters.locations import Locator
from factcheck.formatters.safe import inert
from factcheck.models import Report

# what could start emphasis, code, a link or an image, a table cell, or strike text through
_MARKDOWN = re.compile(r"([\\`*_\[\]|~!#])")


def escape(text: str) -> str:
    """Untrusted text as literal Markdown: one line, punctuation escaped, then `<`, `>` and
    `&` as entities (after, so that the entities' own `#` and `;` stay intact)."""
    cleaned = inert(text, single_line=True)
    return html.escape(_MARKDOWN.sub(r"\\\1", cleaned), quote=False)


def render_check(report: Report, out: TextIO) -> None:
    errors = sum(1 for c in report.conflicts if c.severity == "error")
    warnings = len(report.conflicts) - errors
    out.write("## factcheck\n\n")
    scope = f"{len(report.documents)} documents, {len(report.facts)} facts"
    if report.changed:
        scope = f"{len(report.changed)} changed of {scope}"
    out.write(f"{scope}: **{len(report.conflicts)} conflicts** ({errors} errors, {warnings} warnings)\n")
    locator = Locator(report)
    for c in report.conflicts:
        out.write(f"\n### {escape(c.id)} {c.severity} · {escape(c.kind)} · {escape(c.label)}\n\n")
        out.write(f"{escape(c.message)}\n\n")
        out.write("| source | file | value | text |\n|---|---|---|---|\n")
        for fact in c.facts:
            loc = locator.of(fact)
            outlet = loc.document.outlet if loc.document else fact.doc_id
            mark = " (outlier)" if fact.id in c.outliers else ""
            mark += " (changed)" if fact.doc_id in report.changed else ""
            out.write(
                f"| {escape(outlet)}{mark} | {escape(loc.path)}:{fact.line} | {escape(render_value(fact))} "
                f"| {escape(fact.sentence)} |\n"
            )
        for note in c.notes:
            out.write(f"\n> {escape(note)}\n")
    if report.errors:
        out.write("\n### Input errors\n\n")
        for err in report.errors:
            out.write(f"- {escape(err.path)}: {escape(err.code)}: {escape(err.message)}\n")
