"""GitHub Actions workflow commands (`--format github`): one annotation per conflict.

Document text is untrusted. GitHub reads a workflow command from the start of a line, so
every newline in a message is escaped (%0A), as are `%` and carriage returns; property
values (file, title) also escape `:` and `,`. With no raw newline in what we print, text
such as "::add-mask::" inside a document can never start a command of its own.
"""

from __future__ import annotations

from typing import TextIO

from factcheck.formatters.locations import Locator
from factcheck.formatters.safe import inert
from factcheck.models import Report


def escape_data(text: str) -> str:
    return inert(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_check(report: Report, out: TextIO) -> None:
    locator = Locator(report)
    for conflict in report.conflicts:
        where = locator.primary(conflict)
        level = "error" if conflict.severity == "error" else "warning"
        evidence = "; ".join(f"{o.path}:{o.line}: {o.fact.text!r}" for o in locator.others(conflict))
        message = f"{conflict.message}\nOther sources: {evidence}" if evidence else conflict.message
        title = f"factcheck {conflict.id}: {conflict.kind} {conflict.label}"
        out.write(
            f"::{level} file={escape_property(where.path)},line={where.line},"
            f"title={escape_property(title)}::{escape_data(message)}\n"
        )
    for err in report.errors:
        out.write(
            f"::error file={escape_property(err.path)},title={escape_property('factcheck: ' + err.code)}::"
            f"{escape_data(err.message)}\n"
        )
