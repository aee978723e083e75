"""What the user's rules do to the pipeline's data: aliases widen what a fact is about,
`ignore` leaves facts out, `fact` rules group the facts they name, and severity overrides
re-grade conflicts. Each step takes plain data and returns plain data, like the stages."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from factcheck.lexicon import Lexicon
from factcheck.models import Conflict, Document, Fact, FactCluster, QuantityValue
from factcheck.rules import AliasGroup, FactFilter, FactRule


class Aliases:
    """Finds the names of alias groups in a sentence. The phrases are literal text, escaped
    into one alternation: matching is linear in the sentence, whatever the rule file says."""

    def __init__(self, groups: Sequence[AliasGroup], stopwords: frozenset[str] = frozenset()) -> None:
        self._group_of: dict[str, AliasGroup] = {}
        for group in groups:
            for name in group.names:
                self._group_of[_fold(name)] = group
        self._re = _phrases_re(self._group_of) if self._group_of else None
        # the words a group stands for: its canonical name's, as an entity recogniser would give them
        self._words = {
            group.name: tuple(w for w in _words(group.name) if len(w) > 1 and w not in stopwords)
            for group in groups
        }

    def __bool__(self) -> bool:
        """Whether there are any aliases (without, facts need not be looked at)."""
        return self._re is not None

    def matches_in(self, text: str) -> list[tuple[str, AliasGroup]]:
        """(phrase as written, its group) for every name of a group in `text`."""
        if self._re is None:
            return []
        return [(m.group(0), self._group_of[_fold(m.group(0))]) for m in self._re.finditer(text)]

    def names_of(self, phrase: str) -> tuple[str, ...]:
        """The phrase and every alias of it."""
        group = self._group_of.get(_fold(phrase))
        return group.names if group else (phrase,)

    def apply(self, fact: Fact) -> Fact:
        """The fact with the canonical words of every group its sentence names among its
        entities and keywords: "China's foreign minister" then shares "wang", "yi" with a
        sentence that names Wang Yi."""
        found = self.matches_in(fact.sentence)
        if not found:
            return fact
        ctx = fact.context
        extra = [w for _, g in found for w in self._words[g.name]]
        # the subject or owner of the figure, when it is one of the names ("the IMF lent"):
        # it is then the group's canonical name too
        named = [
            w for phrase, g in found if set(ctx.agent) & set(_words(phrase)) for w in self._words[g.name]
        ]
        changed = replace(
            ctx,
            entities=tuple(dict.fromkeys((*ctx.entities, *extra))),
            keywords=tuple(dict.fromkeys((*ctx.keywords, *extra))),
            agent=tuple(dict.fromkeys((*ctx.agent, *named))),
        )
        return fact if changed == ctx else replace(fact, context=changed)


def _phrases_re(phrases: Iterable[str]) -> re.Pattern[str]:
    """Any of the literal phrases as whole words, case-insensitive, longest first (escaped
    literals in one alternation: linear in the text, whatever a rule file says)."""
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _fold(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())


def ignore_facts(
    facts: Sequence[Fact], documents: Sequence[Document], filters: Sequence[FactFilter]
) -> list[Fact]:
    """The facts no `ignore` entry matches."""
    if not filters:
        return list(facts)
    paths = {d.id: d.path for d in documents}
    return [f for f in facts if not any(r.matches(f, paths.get(f.doc_id, "")) for r in filters)]


class FactRules:
    """Groups the facts each `fact` rule names into one cluster, whatever alignment made of them."""

    def __init__(self, rules: Sequence[FactRule], lexicon: Lexicon, aliases: Aliases) -> None:
        self.rules = {r.name: r for r in rules}
        self.lex = lexicon
        self._entity_res = {r.name: [_phrases_re(aliases.names_of(e)) for e in r.entities] for r in rules}

    def rule_of(self, fact: Fact) -> FactRule | None:
        for rule in self.rules.values():
            if self._matches(rule, fact):
                return rule
        return None

    def _matches(self, rule: FactRule, fact: Fact) -> bool:
        if fact.kind != rule.kind:
            return False
        if rule.unit is not None and not (
            isinstance(fact.value, QuantityValue) and fact.value.unit == rule.unit
        ):
            return False
        ctx = fact.context
        if rule.triggers:
            words = {w for w in (ctx.trigger, *ctx.triggers) if w}
            classes = {self.lex.trigger_class.get(w) for w in words}
            if not (words | classes) & set(rule.triggers):
                return False
        if rule.nouns:
            noun = ctx.noun or ""
            if noun not in rule.nouns and self.lex.noun_class.get(noun) not in rule.nouns:
                return False
        return all(p.search(fact.sentence) for p in self._entity_res[rule.name])

    def regroup(self, clusters: Sequence[FactCluster], facts: Sequence[Fact]) -> list[FactCluster]:
        """Clusters with every rule's facts taken out and grouped under the rule's name."""
        if not self.rules:
            return list(clusters)
        named: dict[str, list[Fact]] = {}
        for fact in facts:
            rule = self.rule_of(fact)
            if rule is not None:
                named.setdefault(rule.name, []).append(fact)
        taken = {f.id for group in named.values() for f in group}
        out = []
        for cluster in clusters:
            rest = tuple(f for f in cluster.facts if f.id not in taken)
            if len(rest) >= 2:
                out.append(cluster if len(rest) == len(cluster.facts) else replace(cluster, facts=rest))
        for name, group in named.items():
            if len(group) >= 2:
                out.append(FactCluster(tuple(group), 1.0, rule=name))
        out.sort(key=lambda c: (c.facts[0].doc_id, c.facts[0].start))
        return out


def override_severity(
    conflicts: Sequence[Conflict], documents: Sequence[Document], filters: Sequence[FactFilter]
) -> list[Conflict]:
    """Conflicts re-graded by the first severity entry that matches one of their facts."""
    if not filters:
        return list(conflicts)
    paths: Mapping[str, str] = {d.id: d.path for d in documents}
    out = []
    for conflict in conflicts:
        for rule in filters:
            if (rule.kind is None or rule.kind == conflict.kind) and any(
                rule.matches(f, paths.get(f.doc_id, "")) for f in conflict.facts
            ):
                assert rule.severity is not None
                conflict = replace(conflict, severity=rule.severity)  # type: ignore[arg-type]
                break
        out.append(conflict)
    return out
