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

import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from factcheck.extract import Extractor
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


def _extractor_of_this_process() -> Extractor:
    """Built on the first batch, not in the initializer: a pipeline that fails to load must
    come back as a ModelError, not as a broken pool."""
    global _extractor
    if _extractor is None:
        assert _settings is not None
        vocabulary, model = _settings
        _extractor = Extractor(Lexicon.with_vocabulary(vocabulary), load_model(model))
    return _extractor


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


def extract_documents(
    documents: Sequence[Document], vocabulary: tuple[str, ...], model: str | None, jobs: int
) -> Iterator[tuple[list[Document], Batch]]:
    """(batch, (facts of each of its documents, ids only partly read)) for consecutive batches,
    in document order."""
    batches = [list(documents[n : n + BATCH_DOCUMENTS]) for n in range(0, len(documents), BATCH_DOCUMENTS)]
    if jobs <= 1 or len(documents) < PARALLEL_MIN_DOCUMENTS:
        extractor = Extractor(Lexicon.with_vocabulary(vocabulary), load_model(model))
        for batch in batches:
            yield batch, _facts_per_document(extractor, batch)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    done = 0
    try:
        with ProcessPoolExecutor(
            max_workers=min(jobs, len(batches)),
            mp_context=context,
            initializer=_set_up,
            initargs=(vocabulary, model),
        ) as pool:
            for batch, facts in zip(batches, pool.map(_extract_batch, batches), strict=True):
                yield batch, facts
                done += 1
    except BrokenProcessPool:
        _set_up(vocabulary, model)
        for batch in batches[done:]:
            yield batch, _facts_per_document(_extractor_of_this_process(), batch)
