#!/usr/bin/env python3
"""Extraction precision, recall and value accuracy on a labelled set of news passages.

The set (`benchmarks/data/extraction_set.jsonl`) holds invented news-style
passages with every date and quantity mention labelled with its normalised
value, plus numbers that are not mentions (ordinals, identifiers, clock times,
scores, bare years used as adjectives). It is not the shared evaluation cases.

    python benchmarks/extraction_eval.py [--set FILE] [--verbose]

A labelled mention is found when an extracted fact overlaps its quote with the
same kind; its value is right when the fact's interval holds the labelled value
(exactly one day / low == high for "exact" labels), as the shared scorer does.
Precision counts extracted facts that overlap some labelled mention.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path

from factcheck.corpus import parse_published
from factcheck.extract import Extractor
from factcheck.formatters.json_report import value_json
from factcheck.lexicon import default_lexicon
from factcheck.models import Document
from factcheck.nlp import load_model

HERE = Path(__file__).resolve().parent
LABELLED_KINDS = {"date", "count", "money", "percent", "quantity"}


def span_of(text: str, quote: str, occurrence: int = 1) -> tuple[int, int]:
    pos = -1
    for _ in range(occurrence):
        pos = text.find(quote, pos + 1)
        if pos < 0:
            raise ValueError(f"quote not found: {quote!r}")
    return pos, pos + len(quote)


def close(a: float, b: float) -> bool:
    return abs(a - b) <= 0.01 * max(abs(a), abs(b), 1e-9)


def holds(value: dict, label: dict) -> bool:
    exact = label.get("exact", False)
    if label["kind"] == "date":
        if label.get("date") is None:
            return value.get("start") is None
        if value.get("start") is None:
            return False
        d = date.fromisoformat(label["date"])
        lo, hi = date.fromisoformat(value["start"]), date.fromisoformat(value["end"])
        return lo == hi == d if exact else lo <= d <= hi
    if value.get("unit") != label.get("unit"):
        return False
    v = float(label["value"])
    lo, hi = value.get("low"), value.get("high")
    if exact:
        return lo is not None and hi is not None and close(lo, v) and close(hi, v)
    return (lo is None or lo <= v or close(lo, v)) and (hi is None or v <= hi or close(hi, v))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", type=Path, default=HERE / "data" / "extraction_set.jsonl")
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args()
    passages = [
        json.loads(line) for line in args.set.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    extractor = Extractor(default_lexicon(), load_model())
    docs = [
        Document(id=p["id"], path=p["id"], text=p["text"], published=parse_published(p.get("published")))
        for p in passages
    ]
    facts_by_doc: dict[str, list] = {d.id: [] for d in docs}
    for fact in extractor.extract(docs):
        facts_by_doc[fact.doc_id].append(fact)

    found, right, labelled = Counter(), Counter(), Counter()
    extracted, matched = 0, 0
    problems: list[str] = []
    for p in passages:
        facts = facts_by_doc[p["id"]]
        spans = []
        for m in p["mentions"]:
            s, e = span_of(p["text"], m["quote"], m.get("occurrence", 1))
            spans.append((s, e))
            group = "date" if m["kind"] == "date" else "quantity"
            labelled[group] += 1
            cands = [f for f in facts if f.start < e and s < f.end and f.kind == m["kind"]]
            if cands:
                found[group] += 1
                if any(holds(value_json(f), m) for f in cands):
                    right[group] += 1
                else:
                    got = [(f.text, value_json(f)) for f in cands]
                    problems.append(
                        f"WRONG  {p['id']} {m['quote']!r} want {m.get('date', m.get('value'))}; got {got}"
                    )
            else:
                other = [(f.kind, f.text) for f in facts if f.start < e and s < f.end]
                problems.append(f"MISSED {p['id']} {m['kind']} {m['quote']!r} {other or ''}")
        for f in facts:
            if f.kind not in LABELLED_KINDS:
                continue  # e.g. sports scores, a kind the sets do not label
            extracted += 1
            if any(f.start < e and s < f.end for s, e in spans):
                matched += 1
            else:
                problems.append(f"EXTRA  {p['id']} {f.kind} {f.text!r}")

    total = sum(labelled.values())
    precision = matched / extracted if extracted else 1.0
    recall = sum(found.values()) / total if total else 1.0
    accuracy = sum(right.values()) / total if total else 1.0
    if args.verbose:
        print("\n".join(problems))
    print(
        f"passages {len(passages)}, labelled mentions {total} "
        f"(dates {labelled['date']}, quantities {labelled['quantity']})"
    )
    for group in ("date", "quantity"):
        n = labelled[group] or 1
        print(f"  {group:9} recall {found[group] / n:.3f}  value accuracy {right[group] / n:.3f}")
    print(
        f"extraction precision {precision:.3f} ({matched}/{extracted} extracted facts are labelled mentions)"
    )
    print(
        f"extraction recall {recall:.3f}, value accuracy {accuracy:.3f} "
        "(found with the right value / labelled)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
