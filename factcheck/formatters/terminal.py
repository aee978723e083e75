"""The terminal report: a summary, then each conflict with its sources side by side.

Everything taken from documents is wrapped in `rich.text.Text` (never parsed
as markup) after `inert()` has removed control characters, so a document
cannot restyle the report, emit escape sequences or forge links.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from factcheck.compare import render_value
from factcheck.formatters.safe import inert
from factcheck.models import DateValue, Document, Fact, Report

_SEVERITY_STYLE = {"error": "bold red", "warning": "bold yellow"}
_SENTENCE_CONTEXT = 160
_SOURCES_PER_VALUE = 3  # rows per value of a conflict; the others are counted


def _console(out: TextIO) -> Console:
    return Console(file=out, highlight=False, emoji=False, markup=False, soft_wrap=False)


def _evidence(fact: Fact) -> Text:
    """The sentence with the mention highlighted, trimmed around it when long."""
    sentence = fact.sentence
    rel = fact.start - fact.sentence_start
    # the stored sentence is stripped; find the mention in it to be safe
    idx = sentence.find(fact.text, max(0, rel - 5)) if fact.text else -1
    if idx < 0:
        idx = sentence.find(fact.text)
    text = Text()
    if idx < 0:
        text.append(inert(sentence, single_line=True))
        return text
    before, mention, after = (
        sentence[:idx],
        sentence[idx : idx + len(fact.text)],
        sentence[idx + len(fact.text) :],
    )
    if len(before) > _SENTENCE_CONTEXT:
        before = "…" + before[-_SENTENCE_CONTEXT:]
    if len(after) > _SENTENCE_CONTEXT:
        after = after[:_SENTENCE_CONTEXT] + "…"
    text.append(inert(before, single_line=True))
    text.append(inert(mention, single_line=True), style="bold reverse")
    text.append(inert(after, single_line=True))
    return text


def _source(doc: Document | None, fact: Fact) -> Text:
    text = Text()
    if doc is None:
        text.append(inert(fact.doc_id))
        return text
    text.append(inert(doc.outlet, single_line=True), style="bold")
    if doc.published is not None:
        published = doc.published.iso() if doc.published.is_day else doc.published.start.isoformat()[:7]
        text.append(f"\n{published}", style="dim")
    text.append(f"\n{inert(Path(doc.path).name, single_line=True)}:{fact.line}", style="cyan")
    return text


def _value(fact: Fact, outlier: bool) -> Text:
    return Text(render_value(fact), style="bold red" if outlier else "bold green")


def _evidence_with_resolution(fact: Fact) -> Text:
    text = _evidence(fact)
    v = fact.value
    if isinstance(v, DateValue) and v.resolution:
        text.append("\n↳ " + inert(v.resolution, single_line=True), style="dim")
    return text


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _shown(facts: list[Fact], changed: set[str]) -> Iterator[tuple[Fact | None, list[Fact]]]:
    """The rows of a conflict: at most `_SOURCES_PER_VALUE` sources for each value, then one row
    standing for the rest that give it (None, those facts). A wire story reprinted by fifty
    outlets is one value, not fifty rows to scroll past; a changed document's fact is always
    shown, since it is what a pull request's reader came for."""
    by_value: dict[str, list[Fact]] = {}
    for fact in facts:
        by_value.setdefault(render_value(fact), []).append(fact)
    for group in by_value.values():
        keep = {id(f) for f in group if f.doc_id in changed}
        for f in group:
            if len(keep) >= _SOURCES_PER_VALUE:
                break
            keep.add(id(f))
        hidden = [f for f in group if id(f) not in keep]
        for f in group:
            if id(f) in keep:
                yield f, []
        if len(hidden) == 1:
            yield hidden[0], []  # a row saying "1 more" would take the place of the row itself
        elif hidden:
            yield None, hidden


def render_check(report: Report, out: TextIO) -> None:
    console = _console(out)
    docs = {d.id: d for d in report.documents}
    errors = sum(1 for c in report.conflicts if c.severity == "error")
    warnings = len(report.conflicts) - errors
    summary = Text()
    summary.append("factcheck: ", style="bold")
    if report.changed:
        summary.append(f"{_count(len(report.changed), 'changed document')} against ")
    summary.append(
        f"{_count(len(report.documents), 'document')}, {_count(len(report.facts), 'fact')}, "
        f"{_count(len(report.clusters), 'aligned group')}, "
    )
    style = "bold red" if errors else ("bold yellow" if warnings else "bold green")
    summary.append(_count(len(report.conflicts), "conflict"), style=style)
    summary.append(f" ({_count(errors, 'error')}, {_count(warnings, 'warning')})")
    if report.errors:
        summary.append(
            f", {_count(len(report.errors), 'unreadable input')} (see stderr)", style="bold magenta"
        )
    console.print(summary)
    for conflict in report.conflicts:
        table = Table(box=box.SIMPLE_HEAD, expand=True, show_edge=False, pad_edge=False)
        table.add_column("source", ratio=3, no_wrap=False, overflow="fold")
        table.add_column("value", ratio=2)
        table.add_column("evidence", ratio=6)
        outliers = set(conflict.outliers)
        ordered = sorted(conflict.facts, key=lambda f: (f.id in outliers, f.doc_id, f.start))
        for fact, hidden in _shown(ordered, set(report.changed)):
            if fact is None:
                value, outlier = hidden[0], hidden[0].id in outliers
                more = Text(f"… {_count(len(hidden), 'more source')}", style="dim")
                same = Text("the same value; --format json lists every source", style="dim")
                table.add_row(more, _value(value, outlier), same)
                continue
            table.add_row(
                _source(docs.get(fact.doc_id), fact),
                _value(fact, fact.id in outliers),
                _evidence_with_resolution(fact),
            )
        consensus = Text("consensus: ", style="bold")
        consensus.append(", ".join(f"{v} ({n} source{'s' if n != 1 else ''})" for v, n in conflict.consensus))
        parts: list[Text | Table] = [Text(inert(conflict.message, single_line=True)), table, consensus]
        for note in conflict.notes:
            parts.append(Text("note: " + inert(note, single_line=True), style="italic"))
        title = Text(
            f"{conflict.id} {conflict.severity} · {conflict.kind}", style=_SEVERITY_STYLE[conflict.severity]
        )
        console.print(
            Panel(
                Group(*parts),
                title=title,
                title_align="left",
                border_style=_SEVERITY_STYLE[conflict.severity],
            )
        )


def render_facts(report: Report, out: TextIO) -> None:
    console = _console(out)
    docs = {d.id: d for d in report.documents}
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    for col in ("id", "document", "line", "kind", "text", "value", "about"):
        table.add_column(col)
    for fact in report.facts:
        doc = docs.get(fact.doc_id)
        about = ", ".join(x for x in (fact.context.noun, fact.context.trigger) if x)
        table.add_row(
            fact.id,
            Text(inert(doc.path if doc else fact.doc_id, single_line=True)),
            str(fact.line),
            fact.kind,
            Text(inert(fact.text, single_line=True)),
            Text(render_value(fact)),
            Text(inert(about, single_line=True)),
        )
    console.print(table)
    console.print(
        Text(
            f"{_count(len(report.facts), 'fact')} in {_count(len(report.documents), 'document')}",
            style="bold",
        )
    )
