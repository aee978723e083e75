"""Extraction in worker processes: each worker loads the pipeline once and turns whole batches of
documents into facts, so parsing and the context work around it both run on every core.

Documents are independent and results come back in submission order, so the facts are the same
whatever the number of workers. Workers are forked where the platform can (a spawned worker
re-imports the caller's main module, which breaks scripts that call the library at top level),
spawned elsewhere. A pool that breaks (a worker killed by the system) is not fatal: the batches
it did not finish are extracted in this process. Small jobs stay in the calling process, where
starting workers would cost more than it saves.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from factcheck.extract import UNUSED_COMPONENTS, Extractor
from factcheck.lexicon import Lexicon
from factcheck.models import Document, Fact
from factcheck.nlp import load_model

BATCH_DOCUMENTS = 16
PARALLEL_MIN_DOCUMENTS = 3 * BATCH_DOCUMENTS  # fewer than this: one process is faster

# the facts of each document of a batch, and the ids of those only partly read
Batch = tuple[list[list[Fact]], list[str]]
_settings: tuple[tuple[str, ...], str | None] | None = None
_extractor: Extractor | None = None


def _set_up(vocabulary: tuple[str, ...], model: str | None) -> None:
    global _settings
    _settings = (vocabulary, model)
    gc.enable()  # a worker forked while its parent paused the collector (`collector_paused`)


def _extractor_of_this_process() -> Extractor:
    """Built on the first batch, not in the initializer: a pipeline that fails to load must
    come back as a ModelError, not as a broken pool."""
    global _extractor
    if _extractor is None:
        assert _settings is not None
        _extractor = _new_extractor(*_settings)
    return _extractor


def _new_extractor(vocabulary: tuple[str, ...], model: str | None) -> Extractor:
    """An extractor with the pipeline loaded without the components extraction never runs."""
    return Extractor(Lexicon.with_vocabulary(vocabulary), load_model(model, exclude=UNUSED_COMPONENTS))


def _facts_per_document(extractor: Extractor, batch: Sequence[Document]) -> Batch:
    found: dict[str, list[Fact]] = {d.id: [] for d in batch}
    extractor.truncated.clear()
    for fact in extractor.extract(batch):
        found[fact.doc_id].append(fact)
    return [found[d.id] for d in batch], sorted(extractor.truncated)


def _extract_batch(batch: list[Document]) -> Batch:
    return _facts_per_document(_extractor_of_this_process(), batch)


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, multiprocessing.cpu_count())


def start_workers(
    vocabulary: tuple[str, ...], model: str | None, jobs: int, documents: int
) -> ProcessPoolExecutor | None:
    """Forked workers for about `documents` documents, one of which starts loading the pipeline
    now and warms it on a short text (what extraction loads on first use): for a caller that
    knows documents to parse are coming and has other work first, such as reading the corpus
    and decoding the store. None where one process is asked for or the platform cannot fork."""
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    try:
        # a worker more than the batches would load the pipeline for nothing
        pool = _pool("fork", max(1, min(jobs, -(-documents // BATCH_DOCUMENTS))), vocabulary, model)
        pool.submit(_warm_up)
    except OSError:
        return None
    return pool


_WARM_UP = Document(
    id="warm-up",
    path="warm-up",
    text="On March 3, 2020, 12 people walked 5 miles and paid $40, up 3% from a year earlier.",
)


def _warm_up() -> None:
    """Load the pipeline and run everything extraction loads on first use. A pipeline that fails
    to load fails again, with its message, on the first real batch."""
    extractor = _extractor_of_this_process()
    _facts_per_document(extractor, [_WARM_UP])


def extract_documents(
    documents: Sequence[Document],
    vocabulary: tuple[str, ...],
    model: str | None,
    jobs: int,
    background: bool = False,
    workers: ProcessPoolExecutor | None = None,
) -> Iterator[tuple[list[Document], Batch]]:
    """(batch, (facts of each of its documents, ids only partly read)) for consecutive batches,
    in document order.

    With `background` (the caller has other work meanwhile, such as decoding stored facts) and
    more than one job, even a few documents go to a forked worker, which starts on them before
    this returns: loading the pipeline and parsing overlap the caller's work. `workers` from
    `start_workers` are used (and shut down) instead of new ones."""
    batches = [list(documents[n : n + BATCH_DOCUMENTS]) for n in range(0, len(documents), BATCH_DOCUMENTS)]
    if workers is not None:
        if not batches:
            workers.shutdown(wait=False, cancel_futures=True)
            return iter(())
        futures = [workers.submit(_extract_batch, batch) for batch in batches]
        return _from_pool(workers, batches, futures, vocabulary, model)
    methods = multiprocessing.get_all_start_methods()
    pooled = jobs > 1 and batches and (len(documents) >= PARALLEL_MIN_DOCUMENTS or background)
    if not pooled or (len(documents) < PARALLEL_MIN_DOCUMENTS and "fork" not in methods):
        return _in_this_process(batches, vocabulary, model)
    try:
        pool = _pool("fork" if "fork" in methods else "spawn", min(jobs, len(batches)), vocabulary, model)
        futures = [pool.submit(_extract_batch, batch) for batch in batches]
    except OSError:
        return _in_this_process(batches, vocabulary, model)  # no processes to be had
    return _from_pool(pool, batches, futures, vocabulary, model)


def _pool(method: str, workers: int, vocabulary: tuple[str, ...], model: str | None) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context(method),
        initializer=_set_up,
        initargs=(vocabulary, model),
    )


def _in_this_process(
    batches: list[list[Document]], vocabulary: tuple[str, ...], model: str | None
) -> Iterator[tuple[list[Document], Batch]]:
    if not batches:
        return
    extractor = _new_extractor(vocabulary, model)
    for batch in batches:
        yield batch, _facts_per_document(extractor, batch)


def _from_pool(
    pool: ProcessPoolExecutor,
    batches: list[list[Document]],
    futures: list[Future[Batch]],
    vocabulary: tuple[str, ...],
    model: str | None,
) -> Iterator[tuple[list[Document], Batch]]:
    done = 0
    try:
        with pool:
            for batch, future in zip(batches, futures, strict=True):
                yield batch, future.result()
                done += 1
    except BrokenProcessPool:
        _set_up(vocabulary, model)
        for batch in batches[done:]:
            yield batch, _facts_per_document(_extractor_of_this_process(), batch)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
