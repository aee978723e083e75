"""Accepted conflicts: a committed file that `factcheck ci` leaves out of its verdict.

A corpus that adopts factcheck usually has disagreements already, some of them deliberate
(two outlets really did report different tolls). `factcheck baseline` records them so that a
pull request is judged only on what it adds. An entry names the conflict by what it is about,
not where it stands: the documents, each fact's aligned key (kind and the noun or event it
counts) and each value. Editing another paragraph, moving lines or renaming the file leaves it
valid; changing one of the values or adding a source to the disagreement makes it a new
conflict, which is what a reviewer should see.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from factcheck.compare import render_value
from factcheck.models import Conflict, Fact

BASELINE_FILE = "factcheck-baseline.json"
FORMAT = "factcheck-baseline/1"


class BaselineError(Exception):
    """A baseline file that cannot be used: `path: problem`."""


@dataclass(frozen=True)
class BaselineEntry:
    fingerprint: str
    kind: str
    documents: tuple[str, ...]
    values: tuple[str, ...]

    def describe(self) -> str:
        return (
            f"{self.fingerprint[:12]} ({self.kind}: {', '.join(self.values)} in {', '.join(self.documents)})"
        )


def _fact_key(fact: Fact) -> tuple[str, str, str, str]:
    about = fact.context.noun or fact.context.trigger or ""
    return (fact.doc_id, fact.kind, about, render_value(fact))


def entry_of(conflict: Conflict) -> BaselineEntry:
    keys = sorted({_fact_key(f) for f in conflict.facts})
    digest = hashlib.sha256(json.dumps([conflict.kind, keys]).encode("utf-8")).hexdigest()
    return BaselineEntry(
        fingerprint=digest,
        kind=conflict.kind,
        documents=tuple(sorted({k[0] for k in keys})),
        values=tuple(sorted({k[3] for k in keys})),
    )


def write_baseline(path: Path, conflicts: Iterable[Conflict]) -> int:
    """Write every conflict as accepted; returns how many entries were written."""
    entries = sorted({entry_of(c) for c in conflicts}, key=lambda e: e.fingerprint)
    data = {
        "format": FORMAT,
        "note": "Conflicts accepted by `factcheck baseline`; `factcheck ci` does not report them.",
        "conflicts": [
            {"fingerprint": e.fingerprint, "kind": e.kind, "documents": e.documents, "values": e.values}
            for e in entries
        ],
    }
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    try:
        path.write_text(text, encoding="utf-8", newline="\n")
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write the baseline ({exc.strerror or exc})") from None
    return len(entries)


def load_baseline(path: Path) -> tuple[BaselineEntry, ...]:
    """The entries of a baseline file; a missing file is an empty baseline."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ()
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot be read ({getattr(exc, 'strerror', None) or exc})") from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise BaselineError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BaselineError(f'{path}: not a factcheck baseline (expected "format": "{FORMAT}")')
    raw = data.get("conflicts")
    if not isinstance(raw, list):
        raise BaselineError(f"{path}: 'conflicts' must be a list")
    entries = []
    for n, item in enumerate(raw):
        try:
            entries.append(
                BaselineEntry(
                    fingerprint=_text(item["fingerprint"]),
                    kind=_text(item["kind"]),
                    documents=tuple(_text(d) for d in item["documents"]),
                    values=tuple(_text(v) for v in item["values"]),
                )
            )
        except (KeyError, TypeError, ValueError):
            raise BaselineError(
                f"{path}: entry {n + 1} needs 'fingerprint', 'kind', 'documents' and 'values'"
            ) from None
    return tuple(entries)


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("not a string")
    return value


def apply_baseline(
    conflicts: Sequence[Conflict],
    entries: Sequence[BaselineEntry],
    documents: Collection[str],
    scope: Collection[str] | None = None,
) -> tuple[list[Conflict], list[BaselineEntry]]:
    """The conflicts no entry accepts, and the stale entries: those that match nothing although
    their conflict was looked for (it involves a document in `scope`, the changed documents, or
    every document when `scope` is None), or that name a document no longer in the corpus."""
    accepted = {e.fingerprint for e in entries}
    matched: set[str] = set()
    kept = []
    for conflict in conflicts:
        fingerprint = entry_of(conflict).fingerprint
        if fingerprint in accepted:
            matched.add(fingerprint)
        else:
            kept.append(conflict)
    stale = [
        e
        for e in entries
        if e.fingerprint not in matched
        and (
            scope is None
            or any(d in scope for d in e.documents)
            or any(d not in documents for d in e.documents)
        )
    ]
    return kept, stale
