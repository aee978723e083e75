"""Find and load the documents of a corpus.

A document is a `.md` file with optional YAML front matter (`id`, `title`,
`source`, `published`, `url`) or a plain `.txt` file (id from the file name,
publication date unknown). Loading never raises for a bad file: it returns an
`InputError` for it so that one broken document never loses the others.
"""

from __future__ import annotations

import calendar
import os
import re
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path

import yaml

from factcheck.models import DateSpan, Document, InputError

DOCUMENT_SUFFIXES = (".md", ".markdown", ".txt")
_FRONT_MATTER_END = re.compile(r"^---[ \t]*\r?$", re.MULTILINE)
_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")


class _FrontMatterLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe loader that leaves timestamps as strings, so that an impossible
    date such as 2021-13-45 is reported as a bad `published` value rather than
    as broken YAML. libyaml's parser when PyYAML has it: ten times faster, which
    matters when a warm run reads an archive's front matter and parses nothing else."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def discover(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Path], list[InputError]]:
    """Expand files and directories into a sorted list of document paths.

    Sorting makes output independent of the order the file system lists
    entries in; a path that does not exist is an input error, not a crash.
    """
    found: set[Path] = set()
    errors: list[InputError] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in files:
                    if name.lower().endswith(DOCUMENT_SUFFIXES) and not name.startswith("."):
                        found.add(Path(root) / name)
        elif path.is_file():
            found.add(path)
        else:
            errors.append(InputError(str(path), "not-found", "no such file or directory"))
    return sorted(found, key=lambda p: str(p)), errors


def parse_published(raw: object) -> DateSpan | None:
    """Turn a front-matter `published` value into a span of days.

    YAML hands us a `date` for `2021-08-13`, a string for `2022-03` and an
    int or other junk for mistakes; a month-only date becomes the whole month
    so that relative dates resolved against it widen honestly.
    """
    if raw is None or raw == "":
        return None
    if isinstance(raw, datetime):
        return DateSpan(raw.date(), raw.date())
    if isinstance(raw, date):
        return DateSpan(raw, raw)
    if isinstance(raw, str):
        text = raw.strip()
        m = _MONTH_RE.match(text)
        if m:
            year, month = int(m.group(1)), int(m.group(2))
            if 1 <= month <= 12:
                last = calendar.monthrange(year, month)[1]
                return DateSpan(date(year, month, 1), date(year, month, last))
            raise ValueError(f"invalid month in published date {text!r}")
        if re.fullmatch(r"\d{4}", text):
            year = int(text)
            return DateSpan(date(year, 1, 1), date(year, 12, 31))
        try:
            day = date.fromisoformat(text[:10])
        except ValueError:
            raise ValueError(f"published date {text!r} is not YYYY-MM-DD or YYYY-MM") from None
        return DateSpan(day, day)
    raise ValueError(f"published date {raw!r} is not YYYY-MM-DD or YYYY-MM")


def _split_front_matter(text: str) -> tuple[dict[str, object], int]:
    """Return (front matter mapping, offset where the body starts)."""
    first_line_end = text.find("\n")
    first = text[: first_line_end if first_line_end >= 0 else len(text)].rstrip("\r").lstrip("\ufeff")
    if first.strip() != "---":
        return {}, 0
    m = _FRONT_MATTER_END.search(text, first_line_end + 1)
    if m is None:
        raise ValueError("front matter starts with '---' but is never closed")
    raw = text[first_line_end + 1 : m.start()]
    try:
        meta = _plain_front_matter(raw)
        if meta is None:
            meta = yaml.load(raw, Loader=_FrontMatterLoader) if raw.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        raise ValueError(f"front matter is not valid YAML{where}") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ValueError("front matter is not a mapping of keys to values")
    body_start = m.end()
    if text.startswith("\r\n", body_start):
        body_start += 2
    elif text.startswith("\n", body_start):
        body_start += 1
    return meta, body_start


_PLAIN_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):[ \t]+(.*?)[ \t]*")
# a plain scalar that YAML reads as the same characters: no quoting, comment, flow, anchor,
# alias, tag or block indicator anywhere, and no colon
_PLAIN_VALUE = re.compile(r"[A-Za-z0-9][^:#'\"{}\[\],&*!|>%@`\\\t]*")


def _plain_front_matter(raw: str) -> dict[str, object] | None:
    """The front matter when every line is `key: value` with a value YAML reads as a string
    of the same characters (`source: Valley Times`, `title: "Report 1"`); None otherwise,
    and YAML reads it. A warm run over an archive reads every document's front matter, and
    PyYAML's constructor costs more than the rest of loading a document."""
    meta: dict[str, object] = {}
    for line in raw.split("\n"):
        if not line.strip():
            continue
        m = _PLAIN_LINE.fullmatch(line)
        if m is None or not line.replace("\t", " ").isprintable():
            return None  # (YAML rejects control characters)
        key, value = m.groups()
        if key in meta or _resolves_to_other_than_str(key):
            return None
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            inner = value[1:-1]
            if value[0] in inner or "\\" in inner:
                return None  # escapes: YAML's to read
            meta[key] = inner
        elif _PLAIN_VALUE.fullmatch(value) and not _resolves_to_other_than_str(value):
            meta[key] = value
        else:
            return None
    return meta


def _resolves_to_other_than_str(value: str) -> bool:
    """YAML's own test of a plain scalar: a number, a boolean, null, ... (`published: 2022`)."""
    resolvers = _FrontMatterLoader.yaml_implicit_resolvers.get(value[0], ())
    return any(regexp.match(value) for _, regexp in resolvers)


def _str_field(meta: dict[str, object], key: str) -> str | None:
    value = meta.get(key)
    if value is None:
        return None
    return str(value).strip() or None


def load_document(path: Path) -> Document | InputError:
    """Read one file; any problem becomes an InputError naming it."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return InputError(str(path), "unreadable", exc.strerror or "cannot be read")
    if not data.strip():
        return InputError(str(path), "empty", "file is empty")
    if b"\x00" in data[:8192]:
        return InputError(str(path), "binary", "file looks binary (contains NUL bytes)")
    try:
        # read_text semantics (universal newlines) so offsets match what users and
        # the JSON contract compute with Path.read_text(encoding="utf-8")
        text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        return InputError(str(path), "not-utf8", f"not valid UTF-8 (byte {exc.start})")
    meta: dict[str, object] = {}
    body_start = 0
    if path.suffix.lower() != ".txt":
        try:
            meta, body_start = _split_front_matter(text)
        except ValueError as exc:
            return InputError(str(path), "front-matter", str(exc))
    try:
        published = parse_published(meta.get("published", meta.get("date")))
    except ValueError as exc:
        return InputError(str(path), "published", str(exc))
    doc_id = _str_field(meta, "id") or path.stem
    return Document(
        id=doc_id,
        path=str(path),
        text=text,
        body_start=body_start,
        title=_str_field(meta, "title"),
        source=_str_field(meta, "source"),
        published=published,
        url=_str_field(meta, "url"),
    )


def load_corpus(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Document], list[InputError]]:
    """Load every document under `paths`, keeping going past bad files."""
    files, errors = discover(paths)
    documents: list[Document] = []
    seen: dict[str, str] = {}
    for path in files:
        loaded = load_document(path)
        if isinstance(loaded, InputError):
            errors.append(loaded)
            continue
        if loaded.id in seen:
            errors.append(
                InputError(
                    loaded.path,
                    "duplicate-id",
                    f"document id {loaded.id!r} is also used by {seen[loaded.id]}",
                )
            )
            continue
        seen[loaded.id] = loaded.path
        documents.append(loaded)
    return documents, errors
