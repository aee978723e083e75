"""The incremental fact store: each document's extracted facts, kept in SQLite between runs.

Extraction (the spaCy parse) is nearly all of a run's cost, and a document's facts depend only
on its text and on what reads it. So facts are stored under two keys: the document's content
key (a hash of its text, where its front matter ends and its publication date) and a
fingerprint of everything that changes extraction (package version and sources, spaCy
pipeline name and version, rule files). A document whose keys are unchanged is never parsed
again; changing any of them simply misses.

The store is a cache, never a source of truth. It lives in `.factcheck/` beside the project's
configuration (or the working directory), or in `$FACTCHECK_CACHE_DIR`; deleting it is always
safe. SQLite's journal makes every write atomic, so a run killed mid-write (even by SIGKILL)
leaves the store as it was before that write; WAL mode and a busy timeout let concurrent runs
share it. Every entry carries a digest of its payload, and a store that SQLite cannot read, that
another version of the store wrote, or whose entry fails its digest is deleted and rebuilt with
a notice, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import fields
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from factcheck.models import (
    DateSpan,
    DateValue,
    Document,
    Fact,
    FactContext,
    QuantityValue,
    ScoreValue,
    direct_constructor,
)

SCHEMA = "factcheck-fact-store/3"  # 2: facts as positional lists, each sentence once; 3: contexts as strings
CACHE_ENV = "FACTCHECK_CACHE_DIR"
CACHE_DIR_NAME = ".factcheck"
_DB_NAME = "facts.sqlite3"
_BUSY_TIMEOUT_MS = 60_000
# entries no run has read for this long are dropped (old versions of edited documents, documents
# removed from the corpus); reads refresh an entry's mark at most once a day, so a warm run
# rarely writes at all
_KEEP_UNUSED_S = 30 * 86400
_TOUCH_AFTER_S = 86400
R = TypeVar("R")


def cache_dir(project_root: Path | None = None) -> Path:
    """Where the store lives: `$FACTCHECK_CACHE_DIR`, else `.factcheck/` in the project root
    (the folder of the configuration file) or the working directory."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    return (project_root or Path.cwd()) / CACHE_DIR_NAME


def document_key(document: Document) -> str:
    """What extraction reads of a document besides its id: the text, where the body starts and
    the publication date relative dates resolve against (a `.txt` file has no front matter,
    so the same text as `.md` can read differently)."""
    published = document.published.iso() if document.published else ""
    digest = hashlib.sha256(f"{document.body_start}\0{published}\0".encode())
    digest.update(document.text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class StoreError(Exception):
    """The store cannot be trusted: it is rebuilt."""


class StoreUnavailable(StoreError):
    """The store's folder cannot be used at all: the run goes on without a store."""


class FactStore:
    """Facts by (fingerprint, document key). Notices (a rebuilt store) are collected in
    `notices` for the caller to show; the store itself never prints."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / _DB_NAME
        self.notices: list[str] = []
        self._db: sqlite3.Connection | None = None
        self.disabled = False

    # ---- opening and rebuilding -------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        if self._db is not None:
            return self._db
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _mark_cache_folder(self.folder)
            db = self._open()
        except StoreUnavailable:
            raise
        except (sqlite3.DatabaseError, StoreError) as exc:
            _unless_broken(exc)
            self._rebuild(str(exc))
            db = self._open()
        except OSError as exc:
            raise StoreUnavailable(f"{self.folder}: {exc.strerror or exc}") from None
        self._db = db
        return db

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            db.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            with _transaction(db):
                db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
                db.execute(
                    "CREATE TABLE IF NOT EXISTS facts ("
                    " fingerprint TEXT NOT NULL, doc_key TEXT NOT NULL, payload BLOB NOT NULL,"
                    " digest TEXT NOT NULL, used REAL NOT NULL, PRIMARY KEY (fingerprint, doc_key))"
                )
                row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
                if row is None:
                    if db.execute("SELECT 1 FROM facts LIMIT 1").fetchone() is not None:
                        raise StoreError("the store has entries but no schema mark")
                    db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA,))
                elif row[0] != SCHEMA:
                    raise StoreError(f"the store was written by another version ({row[0]!r})")
        except BaseException:
            db.close()
            raise
        return db

    def _rebuild(self, why: str) -> None:
        self.close()
        self.notices.append(f"{self.path}: fact store rebuilt ({why}); its facts will be extracted again")
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                os.unlink(f"{self.path}{suffix}")
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise StoreUnavailable(f"{self.path}: cannot remove it ({exc.strerror or exc})") from None

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> FactStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- reading and writing ----------------------------------------------

    def get(self, fingerprint: str, keys: Iterable[str]) -> dict[str, list[Fact]]:
        """The stored facts of each key that has them (doc_id and id left as stored)."""
        return self._reading(self._get, fingerprint, sorted(set(keys)), {})

    def holds(self, fingerprint: str, keys: Iterable[str]) -> set[str]:
        """The keys that have stored facts, without reading them: a run can start parsing the
        other documents while it decodes these."""
        return self._reading(self._holds, fingerprint, sorted(set(keys)), set())

    def _reading(
        self, read: Callable[[str, list[str]], R], fingerprint: str, wanted: list[str], empty: R
    ) -> R:
        """`read(fingerprint, wanted)`, or `empty` when the store is off, broken (it is rebuilt)
        or unavailable (it is switched off for the run)."""
        if self.disabled:
            return empty
        try:
            try:
                return read(fingerprint, wanted)
            except StoreUnavailable:
                raise
            except (
                sqlite3.DatabaseError,
                StoreError,
                ValueError,
                KeyError,
                TypeError,
                IndexError,
                zlib.error,
            ) as exc:
                _unless_broken(exc)
                self._rebuild(str(exc) or type(exc).__name__)
                return empty
        except StoreUnavailable as exc:
            self._disable(exc)
            return empty

    def _holds(self, fingerprint: str, wanted: list[str]) -> set[str]:
        db = self._connect()
        found: set[str] = set()
        for chunk, marks in _in_chunks(wanted):
            rows = db.execute(
                f"SELECT doc_key FROM facts WHERE fingerprint = ? AND doc_key IN ({marks})",
                (fingerprint, *chunk),
            )
            found.update(key for (key,) in rows)
        return found

    def _disable(self, exc: StoreUnavailable) -> None:
        self.close()
        self.disabled = True
        self.notices.append(f"fact store not used ({exc}); every document is extracted")

    def _get(self, fingerprint: str, wanted: list[str]) -> dict[str, list[Fact]]:
        db = self._connect()
        found: dict[str, list[Fact]] = {}
        contexts: dict[str, FactContext] = {}  # one object for each context said in several places
        stale: list[str] = []
        now = time.time()
        for chunk, marks in _in_chunks(wanted):
            rows = db.execute(
                "SELECT doc_key, payload, digest, used FROM facts"
                f" WHERE fingerprint = ? AND doc_key IN ({marks})",
                (fingerprint, *chunk),
            ).fetchall()
            for key, payload, digest, used in rows:
                if _digest(payload) != digest:
                    raise StoreError(f"entry {key[:12]} fails its checksum")
                found[key] = decode_facts(json.loads(zlib.decompress(payload)), contexts)
                if used < now - _TOUCH_AFTER_S:
                    stale.append(key)
        if stale:
            with _transaction(db):
                db.executemany(
                    "UPDATE facts SET used = ? WHERE fingerprint = ? AND doc_key = ?",
                    [(now, fingerprint, key) for key in stale],
                )
        return found

    def put(self, fingerprint: str, facts_by_key: Mapping[str, Iterable[Fact]]) -> None:
        """Store facts in one transaction, and drop entries of other fingerprints (a store serves
        one configuration; an upgrade or a rule change would otherwise leave them forever) and
        entries unread for 30 days."""
        rows = []
        now = time.time()
        for key, facts in facts_by_key.items():
            payload = zlib.compress(json.dumps(encode_facts(facts), separators=(",", ":")).encode(), 1)
            rows.append((fingerprint, key, payload, _digest(payload), now))
        if self.disabled:
            return
        try:
            try:
                self._put(rows, fingerprint)
            except sqlite3.DatabaseError as exc:
                _unless_broken(exc)
                self._rebuild(str(exc))
                self._put(rows, fingerprint)
        except (StoreUnavailable, sqlite3.DatabaseError) as exc:
            self._disable(exc if isinstance(exc, StoreUnavailable) else StoreUnavailable(str(exc)))

    def _put(self, rows: list[tuple[str, str, bytes, str, float]], fingerprint: str) -> None:
        db = self._connect()
        with _transaction(db):
            db.executemany("INSERT OR REPLACE INTO facts VALUES (?, ?, ?, ?, ?)", rows)
            db.execute(
                "DELETE FROM facts WHERE fingerprint != ? OR used < ?",
                (fingerprint, time.time() - _KEEP_UNUSED_S),
            )


def _in_chunks(keys: list[str]) -> Iterator[tuple[list[str], str]]:
    """`keys` in runs short enough for one `IN (?, ...)` (SQLite caps a statement's parameters),
    each with its placeholders."""
    for n in range(0, len(keys), 500):
        chunk = keys[n : n + 500]
        yield chunk, ",".join("?" * len(chunk))


@contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    """One write transaction, taken at once (IMMEDIATE: no upgrade deadlock between runs),
    committed whole or rolled back."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _unless_broken(exc: Exception) -> None:
    """Raise StoreUnavailable unless `exc` says the store is damaged or foreign. A locked,
    read-only or unreachable store is healthy: deleting it would only hurt the other runs."""
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc).lower()
        if not any(sign in text for sign in ("no such", "malformed", "not a database", "has no column")):
            raise StoreUnavailable(str(exc)) from None


def _digest(payload: bytes) -> str:
    return hashlib.blake2b(payload, digest_size=16).hexdigest()


def _mark_cache_folder(folder: Path) -> None:
    """Keep the folder out of git and backups, as ruff and pytest do with theirs."""
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# created by factcheck: a cache, safe to delete\n*\n", encoding="utf-8")
    tag = folder / "CACHEDIR.TAG"
    if not tag.exists():
        tag.write_text(
            "Signature: 8a477f597d28d172789f06886806bc55\n# factcheck fact store (a cache)\n",
            encoding="utf-8",
        )


# ---- the codec: facts as JSON ----------------------------------------------------
# JSON and an explicit decoder, not pickle: a cache restored in CI must never run code.


def _span(raw: list[str] | None) -> DateSpan | None:
    return None if raw is None else DateSpan(date.fromisoformat(raw[0]), date.fromisoformat(raw[1]))


def _encode_span(span: DateSpan | None) -> list[str] | None:
    return None if span is None else [span.start.isoformat(), span.end.isoformat()]


def _spans(raw: list[list[str] | None]) -> tuple[DateSpan | None, ...]:
    return tuple(_span(s) for s in raw)


_SPAN_TUPLES = {"anchors", "identity_anchors"}
_CONTEXT_FIELDS = tuple(f.name for f in fields(FactContext))
_NEW_FACT = direct_constructor(Fact)
_NEW_CONTEXT = direct_constructor(FactContext)
_SPAN_FIELDS = tuple(n for n, name in enumerate(_CONTEXT_FIELDS) if name in _SPAN_TUPLES)


def _encode_value(value: DateValue | QuantityValue | ScoreValue) -> list[Any]:
    if isinstance(value, DateValue):
        return ["date", _encode_span(value.span), value.resolution, value.relative, value.extent]
    if isinstance(value, QuantityValue):
        return ["quantity", value.low, value.high, value.unit, value.rounding, value.hedge]
    return ["score", value.high, value.low]


def _decode_value(raw: list[Any]) -> DateValue | QuantityValue | ScoreValue:
    kind = raw[0]
    if kind == "date":
        return DateValue(_span(raw[1]), raw[2], raw[3], raw[4])
    if kind == "quantity":
        return QuantityValue(raw[1], raw[2], raw[3], raw[4], raw[5])
    if kind == "score":
        return ScoreValue(raw[1], raw[2])
    raise ValueError(f"unknown value type {kind!r}")


def _decode_context(text: str) -> FactContext:
    raw = json.loads(text)
    if len(raw) != len(_CONTEXT_FIELDS):
        raise ValueError("a stored context has the wrong number of fields")
    # lists become tuples inline (a call per field would cost a warm run a tenth of a second)
    fields_ = [tuple(x) if x.__class__ is list else x for x in raw]
    for n in _SPAN_FIELDS:
        if fields_[n]:
            fields_[n] = _spans(raw[n])
    context: FactContext = _NEW_CONTEXT(*fields_)
    return context


def encode_facts(facts: Iterable[Fact]) -> list[Any]:
    """A document's facts as JSON-ready lists: each fact positional, in the order of `Fact`'s
    fields, and each sentence once (a sentence often holds several facts). Positional lists
    parse and decode in about half the time of objects with named fields, and a warm run
    decodes the facts of the whole corpus.

    A fact's context is a string of JSON of its own: the same sentence reprinted by many
    outlets (a wire story) gives the same string, which a warm run then decodes once and shares,
    with everything computed from it (`decode_facts`)."""
    sentences: dict[str, int] = {}
    rows = []
    for f in facts:
        ctx = f.context
        context = json.dumps(
            [
                [_encode_span(x) for x in getattr(ctx, name)] if name in _SPAN_TUPLES else getattr(ctx, name)
                for name in _CONTEXT_FIELDS
            ],
            separators=(",", ":"),
        )
        sentence = sentences.setdefault(f.sentence, len(sentences))
        value = _encode_value(f.value)
        rows.append(
            [
                f.id,
                f.doc_id,
                f.kind,
                f.text,
                f.start,
                f.end,
                value,
                sentence,
                f.sentence_start,
                f.line,
                context,
                f.dimension,
            ]
        )
    return [list(sentences), rows]


def decode_facts(raw: list[Any], contexts: dict[str, FactContext] | None = None) -> list[Fact]:
    """The facts `encode_facts` wrote; malformed input raises ValueError, KeyError, TypeError or
    IndexError (the store then rebuilds itself). `contexts`: the contexts decoded so far, by
    their string, shared by the facts of every document decoded with it."""
    sentences, rows = raw
    facts = []
    known = {} if contexts is None else contexts
    new_fact = _NEW_FACT
    for fid, doc_id, kind, text, start, end, value, sentence, sentence_start, line, ctx, dimension in rows:
        context = known.get(ctx)
        if context is None:
            context = known[ctx] = _decode_context(ctx)
        facts.append(
            new_fact(
                fid,
                doc_id,
                kind,
                text,
                start,
                end,
                _decode_value(value),
                sentences[sentence],
                sentence_start,
                line,
                context,
                dimension,
            )
        )
    return facts
