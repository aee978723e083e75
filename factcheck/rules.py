"""User rule files: YAML under `rules/` (or any folder given with `--rules`).

Rules are data, never code: each file is read with a safe YAML loader, validated against the
schema of its `type`, and turned into plain values the pipeline uses. Patterns are compiled
once, at load, by RE2, which matches in time linear in the text: no rule can make a run hang.
Every problem is a `RuleError` naming the file, the line and what is wrong, so the CLI prints
one line and exits with code 2. The types:

- `vocabulary`: extends the built-in word lists (number words, hedges, currencies, units, event
  triggers, noun classes ...) in `factcheck/data/lexicon.yaml`;
- `aliases`: names that denote the same entity ("Wang Yi" = "China's foreign minister"), so that
  alignment sees one entity in both;
- `fact`: a named fact to watch across sources: the words that identify it, its kind and unit,
  a tolerance, and the message and severity of an alarm on it;
- `tolerance`: default tolerances per kind (money within 2%, counts exact, dates to the day);
- `ignore`: facts or documents to leave out, and severity overrides for conflicts.

See the README for a complete example of each.
"""

from __future__ import annotations

import fnmatch
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path, PurePath
from typing import Any

import re2
import yaml

from factcheck.compare import Tolerance
from factcheck.models import FACT_KINDS, Fact

RULE_SUFFIXES = (".yml", ".yaml")
RULE_TYPES = ("vocabulary", "aliases", "fact", "tolerance", "ignore")
_SECTIONS = {
    "vocabulary": ("vocabulary",),
    "aliases": ("aliases",),
    "fact": ("facts",),
    "tolerance": ("tolerance",),
    "ignore": ("ignore", "severity"),
}
KINDS = (*FACT_KINDS, "score")
SEVERITIES = ("error", "warning")


class RuleError(Exception):
    """A rule file that cannot be used: `path:line: message`."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path, self.line, self.message = path, line, message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class AliasGroup:
    name: str
    aliases: tuple[str, ...]
    source: str
    line: int | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True, eq=False)
class Pattern:
    """A rule's regular expression, compiled by RE2 (linear time, no backtracking)."""

    source: str
    compiled: Any

    def search(self, text: str) -> bool:
        return self.compiled.search(text) is not None


@dataclass(frozen=True)
class FactRule:
    name: str
    kind: str
    triggers: tuple[str, ...] = ()
    nouns: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    unit: str | None = None
    tolerance: Tolerance | None = None
    message: str | None = None
    severity: str | None = None
    source: str = ""
    line: int | None = None


@dataclass(frozen=True)
class FactFilter:
    """Which facts an `ignore` or `severity` entry is about: every condition given must hold."""

    documents: str | None = None  # a glob on the document's path ("corpus/opinion/*")
    kind: str | None = None
    sentence: Pattern | None = None
    text: Pattern | None = None
    severity: str | None = None  # for severity overrides
    source: str = ""
    line: int | None = None

    def matches(self, fact: Fact, path: str) -> bool:
        if self.kind is not None and fact.kind != self.kind:
            return False
        if self.documents is not None and not _glob(path, self.documents):
            return False
        if self.sentence is not None and not self.sentence.search(fact.sentence):
            return False
        return self.text is None or self.text.search(fact.text)


def _glob(path: str, pattern: str) -> bool:
    posix = PurePath(path).as_posix()
    return fnmatch.fnmatchcase(posix, pattern) or fnmatch.fnmatchcase(posix, f"*/{pattern}")


@dataclass(frozen=True)
class RuleFile:
    path: str
    type: str
    description: str | None
    data: dict[str, Any]
    rules: tuple[Any, ...] = field(default=(), compare=False)  # the parsed rules of the file


@dataclass(frozen=True)
class RuleSet:
    files: tuple[RuleFile, ...] = ()

    def vocabulary(self) -> tuple[str, ...]:
        """Vocabulary extensions as canonical JSON strings (hashable, for the lexicon cache)."""
        return tuple(
            json.dumps(f.data["vocabulary"], sort_keys=True) for f in self.files if f.type == "vocabulary"
        )

    def _of(self, kind: type) -> tuple[Any, ...]:
        return tuple(r for f in self.files for r in f.rules if isinstance(r, kind))

    @property
    def aliases(self) -> tuple[AliasGroup, ...]:
        return self._of(AliasGroup)

    @property
    def facts(self) -> tuple[FactRule, ...]:
        return self._of(FactRule)

    @property
    def tolerances(self) -> dict[str, Tolerance]:
        """Tolerance per kind; a later file wins over an earlier one."""
        out: dict[str, Tolerance] = {}
        for f in self.files:
            if f.type == "tolerance":
                out.update(dict(f.rules))
        return out

    @property
    def ignores(self) -> tuple[FactFilter, ...]:
        return tuple(r for r in self._of(FactFilter) if r.severity is None)

    @property
    def severities(self) -> tuple[FactFilter, ...]:
        return tuple(r for r in self._of(FactFilter) if r.severity is not None)


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


class _Reader:
    """Walks a rule file's data beside its YAML node tree, so every complaint has a line."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, node: yaml.Node | None, message: str) -> RuleError:
        return RuleError(self.path, node.start_mark.line + 1 if node is not None else None, message)

    def mapping(self, node: yaml.Node, where: str, allowed: Iterable[str]) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{where} must be a mapping")
        out = {}
        allowed = tuple(allowed)
        for key, value in node.value:
            name = str(key.value)
            if allowed and name not in allowed:
                raise self.fail(
                    key, f"unknown key {name!r} in {where} (expected one of: {', '.join(allowed)})"
                )
            out[name] = value
        return out

    def sequence(self, node: yaml.Node, where: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"{where} must be a list")
        return list(node.value)

    def text(self, node: yaml.Node, where: str) -> str:
        if (
            not isinstance(node, yaml.ScalarNode)
            or node.tag != "tag:yaml.org,2002:str"
            or not node.value.strip()
        ):
            raise self.fail(node, f"{where} must be a non-empty string")
        return node.value.strip()

    def words(self, node: yaml.Node, where: str) -> tuple[str, ...]:
        """A string or a list of strings."""
        if isinstance(node, yaml.ScalarNode):
            return (self.text(node, where),)
        return tuple(self.text(item, where) for item in self.sequence(node, where))

    def choice(self, node: yaml.Node, where: str, choices: tuple[str, ...]) -> str:
        value = self.text(node, where)
        if value not in choices:
            raise self.fail(node, f"{where} must be one of: {', '.join(choices)} (not {value!r})")
        return value

    def number(self, node: yaml.Node, where: str) -> float:
        if isinstance(node, yaml.ScalarNode) and node.tag in (
            "tag:yaml.org,2002:int",
            "tag:yaml.org,2002:float",
        ):
            value = float(yaml.safe_load(node.value))
            if value >= 0 and value == value and value != float("inf"):
                return value
        raise self.fail(node, f"{where} must be a number of at least 0")

    def pattern(self, node: yaml.Node, where: str) -> Pattern:
        source = self.text(node, where)
        options = re2.Options()
        options.log_errors = False
        try:
            return Pattern(source, re2.compile(source, options))
        except re2.error as exc:
            detail = (
                exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else exc
            )
            raise self.fail(node, f"{where} is not a valid regular expression ({detail})") from None

    def tolerance(self, node: yaml.Node, where: str, kind: str | None) -> Tolerance:
        fields = self.mapping(node, where, ("relative", "absolute", "days"))
        if not fields:
            raise self.fail(node, f"{where} needs `relative`, `absolute` or `days`")
        if "days" in fields and kind not in (None, "date"):
            raise self.fail(fields["days"], f"{where}.days applies to dates only")
        if kind == "date" and set(fields) - {"days"}:
            raise self.fail(node, f"{where}: a date tolerance is given in `days`")
        days = self.number(fields["days"], f"{where}.days") if "days" in fields else 0
        if days != int(days):
            raise self.fail(fields["days"], f"{where}.days must be a whole number")
        return Tolerance(
            relative=self.number(fields["relative"], f"{where}.relative") if "relative" in fields else 0.0,
            absolute=self.number(fields["absolute"], f"{where}.absolute") if "absolute" in fields else 0.0,
            days=int(days),
        )


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _parse_aliases(r: _Reader, node: yaml.Node) -> list[AliasGroup]:
    groups = []
    seen: dict[str, str] = {}
    for name, value in r.mapping(node, "aliases", ()).items():
        names = r.words(value, f"aliases.{name}")
        group = AliasGroup(name.strip(), names, r.path, _line(value))
        for n in group.names:
            key = n.lower()
            if key in seen and seen[key] != group.name:
                raise r.fail(value, f"{n!r} is already an alias of {seen[key]!r}")
            seen[key] = group.name
        groups.append(group)
    return groups


def _parse_facts(r: _Reader, node: yaml.Node) -> list[FactRule]:
    rules = []
    names: set[str] = set()
    keys = ("name", "kind", "trigger", "noun", "entities", "unit", "tolerance", "message", "severity")
    for item in r.sequence(node, "facts"):
        fields = r.mapping(item, "a fact rule", keys)
        for required in ("name", "kind"):
            if required not in fields:
                raise r.fail(item, f"a fact rule needs `{required}`")
        name = r.text(fields["name"], "name")
        if name in names:
            raise r.fail(fields["name"], f"fact rule {name!r} is defined twice")
        names.add(name)
        kind = r.choice(fields["kind"], f"{name}.kind", KINDS)
        if not {"trigger", "noun", "entities"} & set(fields):
            raise r.fail(item, f"fact rule {name!r} needs `trigger`, `noun` or `entities` to identify it")
        rules.append(
            FactRule(
                name=name,
                kind=kind,
                triggers=tuple(w.lower() for w in r.words(fields["trigger"], f"{name}.trigger"))
                if "trigger" in fields
                else (),
                nouns=tuple(w.lower() for w in r.words(fields["noun"], f"{name}.noun"))
                if "noun" in fields
                else (),
                entities=r.words(fields["entities"], f"{name}.entities") if "entities" in fields else (),
                unit=r.text(fields["unit"], f"{name}.unit") if "unit" in fields else None,
                tolerance=r.tolerance(fields["tolerance"], f"{name}.tolerance", kind)
                if "tolerance" in fields
                else None,
                message=r.text(fields["message"], f"{name}.message") if "message" in fields else None,
                severity=r.choice(fields["severity"], f"{name}.severity", SEVERITIES)
                if "severity" in fields
                else None,
                source=r.path,
                line=_line(item),
            )
        )
    return rules


def _parse_tolerance(r: _Reader, node: yaml.Node) -> list[tuple[str, Tolerance]]:
    out = []
    for kind, value in r.mapping(node, "tolerance", KINDS).items():
        out.append((kind, r.tolerance(value, f"tolerance.{kind}", kind)))
    return out


def _parse_filters(r: _Reader, node: yaml.Node, section: str) -> list[FactFilter]:
    filters = []
    conditions = ("documents", "kind", "sentence", "text")
    keys = (*conditions, "severity") if section == "severity" else conditions
    for item in r.sequence(node, section):
        fields = r.mapping(item, f"an entry of {section}", keys)
        if not set(fields) & set(conditions):
            raise r.fail(item, f"an entry of {section} needs one of: {', '.join(conditions)}")
        if section == "severity" and "severity" not in fields:
            raise r.fail(item, "a severity override needs `severity` (error or warning)")
        filters.append(
            FactFilter(
                documents=r.text(fields["documents"], "documents") if "documents" in fields else None,
                kind=r.choice(fields["kind"], "kind", KINDS) if "kind" in fields else None,
                sentence=r.pattern(fields["sentence"], "sentence") if "sentence" in fields else None,
                text=r.pattern(fields["text"], "text") if "text" in fields else None,
                severity=r.choice(fields["severity"], "severity", SEVERITIES)
                if "severity" in fields
                else None,
                source=r.path,
                line=_line(item),
            )
        )
    return filters


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
    rule_type = data.get("type")
    if rule_type not in RULE_TYPES:
        raise RuleError(
            name,
            lines.get("type", 1),
            f"unknown rule type {rule_type!r} (expected one of: {', '.join(RULE_TYPES)})",
        )
    allowed = {"type", "description", *_SECTIONS[rule_type]}
    for key in data:
        if str(key) not in allowed:
            expected = ", ".join(sorted(allowed))
            raise RuleError(name, lines.get(str(key)), f"unknown key {key!r} (expected one of: {expected})")
    if not set(_SECTIONS[rule_type]) & set(map(str, data)):
        raise RuleError(name, 1, f"a {rule_type} file needs `{'` or `'.join(_SECTIONS[rule_type])}`")
    reader = _Reader(name)
    rules: list[Any] = []
    if rule_type == "vocabulary":
        _check_vocabulary(name, data.get("vocabulary"), _child(node, "vocabulary"), lines)
    elif rule_type == "aliases":
        rules = list(_parse_aliases(reader, _child(node, "aliases")))
    elif rule_type == "fact":
        rules = list(_parse_facts(reader, _child(node, "facts")))
    elif rule_type == "tolerance":
        rules = list(_parse_tolerance(reader, _child(node, "tolerance")))
    else:
        for section in ("ignore", "severity"):
            child = _child(node, section)
            if child is not None:
                rules += _parse_filters(reader, child, section)
    description = data.get("description")
    body = {k: v for k, v in data.items() if k not in ("type", "description")}
    return RuleFile(name, str(rule_type), str(description) if description else None, body, tuple(rules))


def _check_vocabulary(
    name: str, vocabulary: Any, vocab_node: yaml.Node | None, lines: dict[str, int]
) -> None:
    if not isinstance(vocabulary, dict):
        raise RuleError(name, lines.get("vocabulary", 1), "`vocabulary` must be a mapping of sections")
    builtin = _builtin_sections()
    section_lines = _key_lines(vocab_node) if vocab_node is not None else {}
    for section, value in vocabulary.items():
        if str(section) not in builtin:
            raise RuleError(name, section_lines.get(str(section)), f"unknown vocabulary section {section!r}")
        _check_shape(name, value, builtin[str(section)], _child(vocab_node, str(section)), str(section))


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


def describe_rules(ruleset: RuleSet) -> list[str]:
    """One line per active rule: where it is defined, its type and what it says."""
    lines = []
    for f in ruleset.files:
        if f.type == "vocabulary":
            sections = ", ".join(sorted(f.data["vocabulary"]))
            lines.append(f"{f.path}: vocabulary: extends {sections or 'nothing'}")
        for rule in f.rules:
            if isinstance(rule, AliasGroup):
                lines.append(f"{rule.source}:{rule.line}: aliases: {' = '.join(rule.names)}")
            elif isinstance(rule, FactRule):
                words = [*rule.triggers, *rule.nouns, *rule.entities]
                extra = f", tolerance {_tolerance_text(rule.tolerance)}" if rule.tolerance else ""
                extra += f", severity {rule.severity}" if rule.severity else ""
                lines.append(
                    f"{rule.source}:{rule.line}: fact {rule.name}: {rule.kind} ({', '.join(words)}){extra}"
                )
            elif isinstance(rule, FactFilter):
                what = ", ".join(
                    f"{k} {v}"
                    for k, v in (
                        ("documents", rule.documents),
                        ("kind", rule.kind),
                        ("sentence", rule.sentence.source if rule.sentence else None),
                        ("text", rule.text.source if rule.text else None),
                    )
                    if v
                )
                verb = f"severity {rule.severity}" if rule.severity else "ignore"
                lines.append(f"{rule.source}:{rule.line}: {verb}: {what}")
            else:
                kind, tolerance = rule
                lines.append(f"{f.path}: tolerance: {kind} {_tolerance_text(tolerance)}")
    return lines


def _tolerance_text(t: Tolerance) -> str:
    parts = []
    if t.relative:
        parts.append(f"±{t.relative:.2%}")
    if t.absolute:
        parts.append(f"±{t.absolute:g}")
    if t.days:
        parts.append(f"±{t.days} day(s)")
    return " or ".join(parts) or "exact"
