"""The library entry points: paths in, plain data out.

`check()` runs the whole pipeline (load → extract → align → compare) and
returns a `Report`; `extract()` stops after extraction for `factcheck facts`.
With `changed`, `check()` judges only what those documents add (`factcheck ci`).
The CLI and any other caller (a CI integration, a notebook) use only these.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from factcheck import __version__
from factcheck.align import AlignConfig, Aligner, Alignment, ContextFeatures
from factcheck.collector import collector_paused
from factcheck.compare import CompareConfig, Comparer, WatchedFact, compatible
from factcheck.corpus import load_corpus, load_document
from factcheck.extract import MAX_BODY_CHARS, MAX_MENTIONS_PER_DOCUMENT
from factcheck.lexicon import Lexicon
from factcheck.models import Conflict, Document, Fact, InputError, Report
from factcheck.nlp import model_identity
from factcheck.policy import Aliases, FactRules, ignore_facts, override_severity
from factcheck.rules import RuleSet, load_rules
from factcheck.store import FactStore, document_key
from factcheck.workers import extract_documents, start_workers

Progress = Callable[[int, int], None]  # (documents parsed so far, documents to parse)


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
    notices: tuple[str, ...] = ()
    parsed: int = 0  # documents extracted in this run (the others came from the fact store)


def _lexicon(rules: RuleSet) -> Lexicon:
    """The vocabulary for a run: built-in words plus the user's vocabulary rules."""
    return Lexicon.with_vocabulary(rules.vocabulary())


# modules that never change what a document's facts are (corpus.py makes the Document, whose
# content key covers everything extraction reads of it): editing them keeps the fact store warm
_NOT_EXTRACTION = (
    "formatters/",
    "cli.py",
    "align.py",
    "compare.py",
    "baseline.py",
    "changes.py",
    "config.py",
    "corpus.py",
    "collector.py",
)


@lru_cache(maxsize=1)
def _package_digest() -> str:
    """A digest of the code and data that extraction runs: an edited checkout reads documents
    differently even when its version number has not moved."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".py", ".yaml", ".json") and p.is_file()):
        name = path.relative_to(root).as_posix()
        if not name.startswith(_NOT_EXTRACTION):
            digest.update(name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _version_of(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"


def extraction_fingerprint(options: CheckOptions, rules: RuleSet) -> str:
    """Everything besides a document's text that decides its facts (the fact store's key).
    Versions come from package metadata: importing spaCy costs a second a warm run need not pay."""
    parts = {
        "factcheck": __version__,
        "code": _package_digest(),
        "spacy": _version_of("spacy"),
        "pint": _version_of("pint"),  # (the units a rule file adds are converted by pint)
        "model": model_identity(options.model),
        "vocabulary": rules.vocabulary(),  # the other rule types apply after extraction
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def extract(
    paths: Iterable[str | os.PathLike[str]],
    options: CheckOptions | None = None,
    rules: RuleSet | None = None,
    store: FactStore | None = None,
    progress: Progress | None = None,
    changed: Collection[str | os.PathLike[str]] | None = None,
    while_parsing: Callable[[Iterable[Fact]], object] | None = None,
) -> Extraction:
    """Load the corpus and extract its facts, numbered f1, f2, ... in path then text order.

    With a `store`, a document whose facts it holds for this configuration is not parsed
    again; new documents are parsed in batches (across `options.jobs` processes) and stored
    after each, so an interrupted run keeps what it finished. `progress(done, total)` is told
    how many of the documents to parse are done. `changed` names files likely to be new (a pull
    request's): when the store lacks them, workers start loading the pipeline before the corpus
    is read. While workers parse, `while_parsing` is given the stored facts, in path order, to
    compute what it needs of them meanwhile (`align.ContextFeatures.prepare`)."""
    options = options or CheckOptions()
    rules = rules if rules is not None else load_rules(options.rules)  # bad rules fail first
    fingerprint = extraction_fingerprint(options, rules) if store is not None else ""
    workers = _workers_for(changed, options, rules, store, fingerprint) if changed else None
    documents, errors = load_corpus(paths)
    keys = {d.id: document_key(d) for d in documents}
    held = store.holds(fingerprint, keys.values()) if store is not None else set()
    missing = list({keys[d.id]: d for d in documents if keys[d.id] not in held}.values())
    # the new documents are parsed (in a worker, when there are cores to spare) while the
    # stored facts of the others are decoded here
    parsing = extract_documents(
        missing, rules.vocabulary(), options.model, options.jobs, background=bool(held), workers=workers
    )
    # aliases and ignore rules apply to stored facts, so editing them never invalidates the store
    aliases = Aliases(rules.aliases, _lexicon(rules).entity_stopwords)
    with collector_paused():
        known: dict[str, list[Fact]] = store.get(fingerprint, held) if store is not None and held else {}
        if aliases:
            known = {key: [aliases.apply(f) for f in facts] for key, facts in known.items()}
    lost = list({keys[d.id]: d for d in documents if keys[d.id] in held and keys[d.id] not in known}.values())
    if lost:  # the store turned out broken or went away meanwhile
        parsing = itertools.chain(
            parsing, extract_documents(lost, rules.vocabulary(), options.model, options.jobs)
        )
        missing += lost
    # facts are numbered in path order: those of the documents before the first one still to
    # parse are numbered now, while the workers parse
    placed: list[Fact] = []
    ready = 0  # documents whose facts are placed

    def place_ready() -> None:
        nonlocal ready
        while ready < len(documents) and keys[documents[ready].id] in known:
            d, n = documents[ready], len(placed)
            placed.extend(_placed(f, d.id, f"f{n + k}") for k, f in enumerate(known[keys[d.id]], 1))
            ready += 1

    with collector_paused():
        place_ready()
        if while_parsing is not None and missing:
            while_parsing(f for d in documents for f in known.get(keys[d.id], ()))
    truncated: set[str] = set()
    if missing:
        if progress is not None:
            progress(0, len(missing))
        done = 0
        for batch, (facts_of, partial) in parsing:
            truncated.update(partial)
            found = {keys[d.id]: facts for d, facts in zip(batch, facts_of, strict=True)}
            if store is not None:
                store.put(fingerprint, found)
            known.update(
                {key: [aliases.apply(f) for f in facts] if aliases else facts for key, facts in found.items()}
            )
            done += len(batch)
            if progress is not None:
                progress(done, len(missing))
    with collector_paused():
        place_ready()
        facts = ignore_facts(placed, documents, rules.ignores)
    if len(facts) != len(placed):
        facts = [_placed(f, f.doc_id, f"f{n}") for n, f in enumerate(facts, 1)]
    notices = list(store.notices) if store is not None else []
    notices += [
        f"{d.path}: only partly checked (limits: {MAX_BODY_CHARS:,} characters, "
        f"{MAX_MENTIONS_PER_DOCUMENT:,} dates and numbers per document)"
        for d in documents
        if d.id in truncated
    ]
    return Extraction(tuple(documents), tuple(facts), tuple(errors), tuple(notices), len(missing))


def _placed(fact: Fact, doc_id: str, fact_id: str) -> Fact:
    """The stored `fact` as fact `fact_id` of document `doc_id`: a copy of its fields with those
    two replaced, without `dataclasses.replace` or `__init__` (a warm run places every stored fact
    of the corpus; see `models.direct_constructor`)."""
    placed = _new_object(Fact)
    fields_ = placed.__dict__
    fields_.update(fact.__dict__)
    fields_["id"], fields_["doc_id"] = fact_id, doc_id
    return placed


_new_object = object.__new__


def align(
    facts: Sequence[Fact],
    documents: Sequence[Document] = (),
    options: CheckOptions | None = None,
    lexicon: Lexicon | None = None,
    focus: Collection[str] | None = None,
    features: ContextFeatures | None = None,
) -> Alignment:
    """`Aligner.align` with the run's options; `features` are those computed ahead (see
    `extract`'s `while_parsing`)."""
    options = options or CheckOptions()
    lexicon = lexicon or _lexicon(load_rules(options.rules))
    config = replace(options.align, within_document=options.within_document)
    published = {d.id: d.published for d in documents}
    return Aligner(lexicon, config, published, DocumentWords(documents), features).align(
        facts, focus, jobs=options.jobs
    )


class DocumentWords(Mapping[str, frozenset[str]]):
    """The lower-case words of each document, computed when alignment first asks: a focused
    run asks for a handful of documents, not the whole corpus's text."""

    def __init__(self, documents: Sequence[Document]) -> None:
        self._bodies = {d.id: d.body for d in documents}
        self._words: dict[str, frozenset[str]] = {}

    def __getitem__(self, doc_id: str) -> frozenset[str]:
        words = self._words.get(doc_id)
        if words is None:
            words = self._words[doc_id] = frozenset(re.findall(r"[a-z]+", self._bodies[doc_id].lower()))
        return words

    def get(self, doc_id: str, default: frozenset[str] | None = None) -> frozenset[str] | None:
        # alignment asks once per scored pair: skip Mapping.get's try/except around __getitem__
        if doc_id not in self._bodies:
            return default
        return self[doc_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._bodies)

    def __len__(self) -> int:
        return len(self._bodies)


def check(
    paths: Iterable[str | os.PathLike[str]],
    options: CheckOptions | None = None,
    store: FactStore | None = None,
    changed: Collection[str | os.PathLike[str]] | None = None,
    progress: Progress | None = None,
) -> Report:
    """Every cross-source disagreement in the corpus under `paths`.

    With `changed` (files a pull request adds or edits), only disagreements that a changed
    document takes part in are reported: one of its facts contradicts another source.
    Conflicts among untouched documents are not the change's business, and an unreadable
    untouched document is a notice, not an error."""
    options = options or CheckOptions()
    rules = load_rules(options.rules)  # rule files are read and validated once per run
    lexicon = _lexicon(rules)
    # what alignment needs of each stored fact is computed while new documents are parsed
    features = ContextFeatures(lexicon)
    extraction = extract(paths, options, rules, store, progress, changed, features.prepare)
    errors, notices = list(extraction.errors), list(extraction.notices)
    focus: frozenset[str] | None = None
    if changed is not None:
        wanted = TouchedPaths(changed)
        focus = frozenset(d.id for d in extraction.documents if d.path in wanted)
        # a broken document the change did not touch is not this change's fault (a missing
        # corpus folder still is an error: nothing could be checked)
        ours = [e for e in errors if e.code == "not-found" or e.path in wanted]
        notices += [
            f"{e.path}: skipped, {e.message} (not part of this change)" for e in errors if e not in ours
        ]
        errors = ours
    alignment = align(extraction.facts, extraction.documents, options, lexicon, focus, features)
    watch = FactRules(rules.facts, lexicon, Aliases(rules.aliases, lexicon.entity_stopwords))
    clusters = watch.regroup(alignment.clusters, extraction.facts)
    if focus is not None:
        clusters = [c for c in clusters if any(f.doc_id in focus for f in c.facts)]
    compare_config = replace(
        options.compare,
        within_document=options.within_document,
        tolerances={**(options.compare.tolerances or {}), **rules.tolerances},
    )
    watched = {r.name: WatchedFact(r.name, r.tolerance, r.message, r.severity) for r in rules.facts}
    comparer = Comparer(extraction.documents, lexicon, compare_config, watched)
    conflicts = override_severity(comparer.conflicts(clusters), extraction.documents, rules.severities)
    if focus is not None:
        conflicts = [c for c in conflicts if _contradicted_by(c, focus, compare_config)]
    return Report(
        documents=extraction.documents,
        facts=extraction.facts,
        conflicts=tuple(conflicts),
        errors=tuple(errors),
        clusters=tuple(clusters),
        changed=tuple(sorted(focus or ())),
        notices=tuple(notices),
    )


def _workers_for(
    changed: Collection[str | os.PathLike[str]],
    options: CheckOptions,
    rules: RuleSet,
    store: FactStore | None,
    fingerprint: str,
) -> ProcessPoolExecutor | None:
    """Workers already loading the pipeline when the changed documents are not in the store:
    the load then overlaps reading the corpus and decoding the store, instead of following it."""
    if options.jobs <= 1 or store is None:
        return None
    loaded = [load_document(Path(p)) for p in changed if Path(p).is_file()]
    new = {document_key(d) for d in loaded if isinstance(d, Document)}
    if not new:
        return None
    unknown = new - store.holds(fingerprint, new)
    if not unknown:
        return None
    return start_workers(rules.vocabulary(), options.model, options.jobs, len(unknown))


def _resolved(path: str | os.PathLike[str]) -> str:
    return str(Path(path).resolve())


class TouchedPaths:
    """The files a change touched, matched against corpus paths by where they resolve to.

    A corpus has thousands of paths and a change a few: only a path with the name of a touched
    file, or a symbolic link, can be one of them, so only those are resolved."""

    def __init__(self, touched: Iterable[str | os.PathLike[str]]) -> None:
        self._resolved = {_resolved(p) for p in touched}
        self._names = {os.path.basename(p) for p in self._resolved}

    def __contains__(self, path: str | os.PathLike[str]) -> bool:
        if os.path.basename(path) not in self._names and not os.path.islink(path):
            return False
        return _resolved(path) in self._resolved


def _contradicted_by(conflict: Conflict, focus: frozenset[str], config: CompareConfig) -> bool:
    """A fact of a changed document disagrees with a fact of another document."""
    return any(
        f.doc_id in focus and g.doc_id != f.doc_id and not compatible(f, g, config)
        for f in conflict.facts
        for g in conflict.facts
    )
