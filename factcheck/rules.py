"""User rule files: YAML under `rules/` (or any folder given with `--rules`).

Rules are data, never code: each file is read with a safe YAML loader,
validated, and turned into plain values the pipeline uses. A file names its
`type`; this version understands `vocabulary` files, which extend the built-in
word lists (number words, hedges, currencies, units, event triggers, noun
classes ...) without touching code:

    type: vocabulary
    description: Words our corpus uses
    vocabulary:
      currencies:
        names:
          afghanis: {code: AFN}
      trigger_classes:
        meet: [confer, parley]

Every problem is reported as `RuleError` naming the file, the line and what is
wrong, so the CLI can print one line and exit with code 2.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

RULE_SUFFIXES = (".yml", ".yaml")
RULE_TYPES = ("vocabulary",)
_TOP_LEVEL = {"type", "description", "vocabulary"}


class RuleError(Exception):
    """A rule file that cannot be used: `path:line: message`."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path, self.line, self.message = path, line, message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class RuleFile:
    path: str
    type: str
    description: str | None
    data: dict[str, Any]


@dataclass(frozen=True)
class RuleSet:
    files: tuple[RuleFile, ...] = ()

    def vocabulary(self) -> tuple[str, ...]:
        """Vocabulary extensions as canonical JSON strings (hashable, for the lexicon cache)."""
        return tuple(json.dumps(f.data, sort_keys=True) for f in self.files if f.type == "vocabulary")


@lru_cache(maxsize=1)
def _builtin_sections() -> dict[str, Any]:
    text = resources.files("factcheck").joinpath("data/lexicon.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _key_lines(node: yaml.Node) -> dict[str, int]:
    """Line (1-based) of each key of a YAML mapping node."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): k.start_mark.line + 1 for k, _ in node.value}


def _child(node: yaml.Node, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if str(k.value) == key:
                return v
    return None


def _check_shape(path: str, value: Any, builtin: Any, node: yaml.Node | None, where: str) -> None:
    """A vocabulary section must have the shape of the built-in one it extends: the
    built-in entries show what a new entry looks like (a list of words, a number,
    a mapping such as `{code: USD}`)."""
    line = node.start_mark.line + 1 if node is not None else None
    if isinstance(builtin, list):
        if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
            raise RuleError(path, line, f"{where} must be a list of words")
        return
    if not isinstance(builtin, dict):
        if isinstance(builtin, int | float) and not isinstance(value, int | float):
            raise RuleError(path, line, f"{where} must be a number")
        return
    if not isinstance(value, dict):
        raise RuleError(path, line, f"{where} must be a mapping, like the built-in one")
    sample = next(iter(builtin.values()), None)
    for key, sub in value.items():
        model = builtin.get(str(key), sample)
        child = _child(node, str(key)) if node is not None else None
        _check_shape(path, sub, model, child, f"{where}.{key}")


def parse_rule_file(path: Path) -> RuleFile:
    """Read and validate one rule file."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise RuleError(name, None, "not valid UTF-8") from None
    except OSError as exc:
        raise RuleError(name, None, exc.strerror or "cannot be read") from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise RuleError(name, mark.line + 1 if mark else None, f"invalid YAML: {problem}") from None
    if not isinstance(data, dict) or node is None:
        raise RuleError(name, 1, "a rule file must be a mapping with a `type`")
    lines = _key_lines(node)
    for key in data:
        if str(key) not in _TOP_LEVEL:
            allowed = ", ".join(sorted(_TOP_LEVEL))
            raise RuleError(name, lines.get(str(key)), f"unknown key {key!r} (expected one of: {allowed})")
    rule_type = data.get("type")
    if rule_type not in RULE_TYPES:
        raise RuleError(
            name,
            lines.get("type", 1),
            f"unknown rule type {rule_type!r} (expected one of: {', '.join(RULE_TYPES)})",
        )
    vocabulary = data.get("vocabulary")
    vocab_node = _child(node, "vocabulary")
    if not isinstance(vocabulary, dict):
        raise RuleError(name, lines.get("vocabulary", 1), "`vocabulary` must be a mapping of sections")
    builtin = _builtin_sections()
    section_lines = _key_lines(vocab_node) if vocab_node is not None else {}
    for section, value in vocabulary.items():
        if str(section) not in builtin:
            raise RuleError(name, section_lines.get(str(section)), f"unknown vocabulary section {section!r}")
        _check_shape(name, value, builtin[str(section)], _child(vocab_node, str(section)), str(section))
    description = data.get("description")
    return RuleFile(name, str(rule_type), str(description) if description else None, vocabulary)


def discover_rule_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in RULE_SUFFIXES)
        elif path.is_file():
            found.append(path)
        else:
            raise RuleError(str(path), None, "no such rules file or directory")
    return found


def load_rules(paths: Iterable[str | os.PathLike[str]]) -> RuleSet:
    return RuleSet(tuple(parse_rule_file(p) for p in discover_rule_files(paths)))
