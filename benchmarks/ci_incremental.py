"""What a pull request that adds one document costs `factcheck ci` with a warm fact store,
against a cold `factcheck check` of the same corpus, measured in one run.

    python benchmarks/ci_incremental.py --docs 2000

Steps, each timed as a subprocess of the installed `factcheck`:
1. a corpus from `make_corpus.py` (the shared benchmark generator) committed to a fresh git
   repository on `main`;
2. cold check: `factcheck check corpus` with an empty store (it fills the store);
3. a branch adds one document: a copy of an existing one with another outlet, date and figure;
4. `factcheck ci --base main` with the warm store (only the new document is parsed), three times
   by default, each time on a new version of the added document: the median is the figure.

The target (issue 5) is step 4 under 5% of step 2. The figures are printed as a table and,
with --json, as one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_GENERATOR = HERE.parent.parent / "shared" / "bench" / "make_corpus.py"


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int, str]:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed with exit {done.returncode}:\n{done.stderr[-2000:]}")
    return elapsed, done.returncode, done.stdout


def git(args: list[str], cwd: Path) -> None:
    subprocess.run(
        ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def contradicting_copy(source: Path, factor: int = 3) -> str:
    """The same story from another outlet, with its first large figure multiplied by `factor`."""
    text = source.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^id: .*$", "id: bench-added", text, count=1)
    text = re.sub(r"(?m)^source: .*$", "source: Bench Added Wire", text, count=1)
    body_at = text.index("\n---\n", 4) + 5
    head, body = text[:body_at], text[body_at:]
    body = re.sub(r"\b([1-9]\d{2,})\b", lambda m: str(int(m.group(1)) * factor), body, count=1)
    return head + body


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--generator", type=Path, default=DEFAULT_GENERATOR, help="make_corpus.py")
    ap.add_argument("--factcheck", default=shutil.which("factcheck") or "factcheck")
    ap.add_argument("--keep", type=Path, help="build here and keep it (default: a temporary folder)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON too")
    ap.add_argument(
        "--ci-runs",
        type=int,
        default=3,
        help="times `ci` is run, each on a new version of the added document (the median is the figure)",
    )
    args = ap.parse_args()
    if os.sep in args.factcheck:
        args.factcheck = str(Path(args.factcheck).resolve())

    work = args.keep or Path(tempfile.mkdtemp(prefix="factcheck-ci-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    repo, store = work / "repo", work / "store"
    shutil.rmtree(repo, ignore_errors=True)
    shutil.rmtree(store, ignore_errors=True)
    repo.mkdir()
    subprocess.run(
        [sys.executable, str(args.generator), "--docs", str(args.docs), "--out", str(repo / "corpus")],
        check=True,
    )
    git(["init", "-q", "-b", "main"], repo)
    git(["add", "."], repo)
    git(["commit", "-qm", "corpus"], repo)
    env = {**os.environ, "FACTCHECK_CACHE_DIR": str(store), "COLUMNS": "100"}

    cold, _, out = run([args.factcheck, "check", "corpus", "--format", "json"], repo, env)
    cold_conflicts = len(json.loads(out)["conflicts"])

    git(["checkout", "-q", "-b", "add-one"], repo)
    first = sorted((repo / "corpus").glob("*.md"))[0]
    # each run adds a version of the document the store has not seen, so each parses it; the
    # median of the runs is the figure (one run on this machine varies by a fifth)
    times = []
    for n in range(max(1, args.ci_runs)):
        added = repo / "corpus" / "zz-bench-added.md"
        added.write_text(contradicting_copy(first, factor=3 + n), encoding="utf-8")
        git(["add", "."], repo)
        git(["commit", "-qm", f"add one document (version {n + 1})"], repo)
        seconds, code, out = run([args.factcheck, "ci", "--base", "main", "--format", "json"], repo, env)
        times.append(seconds)
    ci = statistics.median(times)
    ci_conflicts = len(json.loads(out)["conflicts"])
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    figures = {
        "documents": args.docs,
        "cold_check_s": round(cold, 2),
        "cold_check_conflicts": cold_conflicts,
        "warm_ci_one_added_s": round(ci, 2),
        "warm_ci_runs_s": [round(t, 2) for t in times],
        "warm_ci_exit": code,
        "warm_ci_conflicts": ci_conflicts,
        "ratio": round(ci / cold, 4),
        "target_ratio": 0.05,
        "peak_rss_mb": round(peak_mb),
    }
    print(f"corpus: {args.docs} documents ({work})")
    print(f"cold `factcheck check`:             {cold:8.1f} s  ({cold_conflicts} conflicts)")
    print(
        f"warm `factcheck ci`, one added doc: {ci:8.1f} s  (exit {code}, {ci_conflicts} conflicts; "
        f"median of {', '.join(f'{t:.2f}' for t in times)} s)"
    )
    print(f"ratio: {ci / cold:.2%} (target under 5%); peak RSS of a run {peak_mb:.0f} MB")
    if args.json:
        print(json.dumps(figures))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
