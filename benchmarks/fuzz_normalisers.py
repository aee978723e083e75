"""Fuzz the date and quantity scanners and normalisers with generated text (not a test: a long run).

    python benchmarks/fuzz_normalisers.py --inputs 100000 --seed 1

Each input mixes the pieces the scanners react to (numbers in every shape, scale and number
words, hedges, currencies, units, dates, relative dates) with random Unicode, control and space
characters. For every mention found it checks: offsets inside the text, low <= high, a date span
that starts before it ends. Prints the figures; exits 1 on the first failure, with the input.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import date
from pathlib import Path

from factcheck.extract import Extractor
from factcheck.lexicon import default_lexicon
from factcheck.models import DateSpan, QuantityValue

# the pieces the scanners react to, shared with the property tests (tests/test_robustness.py)
PIECES = json.loads(
    (Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "scanner_pieces.json").read_text(
        encoding="utf-8"
    )
)
PUBLISHED = DateSpan(date(2024, 3, 6), date(2024, 3, 6))


def generate(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 30)):
        if rng.random() < 0.8:
            parts.append(rng.choice(PIECES))
        else:
            parts.append("".join(chr(rng.randint(0, 0x2FFF)) for _ in range(rng.randint(1, 6))))
    return "".join(parts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--inputs", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    extractor = Extractor(default_lexicon(), None)
    mentions = 0
    start = time.perf_counter()
    for n in range(args.inputs):
        text = generate(rng)
        try:
            for m in extractor.mentions(text):
                mentions += 1
                assert 0 <= m.start < m.end <= len(text), "offsets outside the text"
                if m.date is not None:
                    for value in (
                        extractor.dates.resolve(m.date, PUBLISHED, None),
                        extractor.dates.resolve(m.date, None, "future"),
                    ):
                        assert value.span is None or value.span.start <= value.span.end, "span ends first"
                else:
                    v = m.quantity.value if m.quantity else None
                    assert isinstance(v, QuantityValue) or v is not None
                    if isinstance(v, QuantityValue) and v.low is not None and v.high is not None:
                        assert v.low <= v.high, "low above high"
        except Exception as exc:  # report the input that broke it
            print(f"input {n} failed: {type(exc).__name__}: {exc}\n{text!r}")
            sys.exit(1)
    seconds = time.perf_counter() - start
    print(f"{args.inputs:,} inputs, {mentions:,} mentions checked, 0 failures in {seconds:.1f} s")


if __name__ == "__main__":
    main()
