"""The library entry points: paths in, plain data out.

`check()` runs the whole pipeline (load → extract → align → compare) and
returns a `Report`; `extract()` stops after extraction for `factcheck facts`.
The CLI and any other caller (a CI integration, a notebook) use only these.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from factcheck.align import AlignConfig, Aligner, Alignment
from factcheck.compare import CompareConfig, Comparer
from factcheck.corpus import load_corpus
from factcheck.extract import Extractor
from factcheck.lexicon import Lexicon
from factcheck.models import Document, Fact, InputError, Report
from factcheck.nlp import load_model
from factcheck.rules import load_rules


@dataclass(frozen=True)
class CheckOptions:
    model: str | None = None
    jobs: int = 1
    within_document: bool = False
    align: AlignConfig = field(default_factory=AlignConfig)
    compare: CompareConfig = field(default_factory=CompareConfig)
    rules: tuple[str, ...] = ()  # rule files or folders (see factcheck.rules)


@dataclass(frozen=True)
class Extraction:
    documents: tuple[Document, ...]
    facts: tuple[Fact, ...]
    errors: tuple[InputError, ...]


def _lexicon(options: CheckOptions) -> Lexicon:
    """The vocabulary for a run: built-in words plus the user's vocabulary rules."""
    return Lexicon.with_vocabulary(load_rules(options.rules).vocabulary())


def extract(
    paths: Iterable[str | os.PathLike[str]],
    options: CheckOptions | None = None,
    lexicon: Lexicon | None = None,
) -> Extraction:
    """Load the corpus and extract its facts, numbered f1, f2, ... in path then text order."""
    options = options or CheckOptions()
    lexicon = lexicon or _lexicon(options)  # bad rules fail before any document is read
    documents, errors = load_corpus(paths)
    facts: list[Fact] = []
    if documents:
        extractor = Extractor(lexicon, load_model(options.model))
        raw = extractor.extract(documents, n_process=max(1, options.jobs))
        facts = [replace(f, id=f"f{n}") for n, f in enumerate(raw, 1)]
    return Extraction(tuple(documents), tuple(facts), tuple(errors))


def align(
    facts: Sequence[Fact],
    documents: Sequence[Document] = (),
    options: CheckOptions | None = None,
    lexicon: Lexicon | None = None,
) -> Alignment:
    options = options or CheckOptions()
    lexicon = lexicon or _lexicon(options)
    config = replace(options.align, within_document=options.within_document)
    published = {d.id: d.published for d in documents}
    words = {d.id: frozenset(re.findall(r"[a-z]+", d.body.lower())) for d in documents}
    return Aligner(lexicon, config, published, words).align(facts)


def check(paths: Iterable[str | os.PathLike[str]], options: CheckOptions | None = None) -> Report:
    """Every cross-source disagreement in the corpus under `paths`."""
    options = options or CheckOptions()
    lexicon = _lexicon(options)  # rule files are read and validated once per run
    extraction = extract(paths, options, lexicon)
    alignment = align(extraction.facts, extraction.documents, options, lexicon)
    compare_config = replace(options.compare, within_document=options.within_document)
    comparer = Comparer(extraction.documents, lexicon, compare_config)
    conflicts = comparer.conflicts(alignment.clusters)
    return Report(
        documents=extraction.documents,
        facts=extraction.facts,
        conflicts=tuple(conflicts),
        errors=extraction.errors,
        clusters=tuple(alignment.clusters),
    )
