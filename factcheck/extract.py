"""Extract comparable facts from documents.

The pattern scanners (`dates`, `quantities`) find and normalise mentions; the
spaCy parse supplies what the mention is about: its sentence, the counted noun
("34 provinces"), the event trigger ("met", "killed"), the entities around it
and the years it is anchored to. Alignment needs that context far more than it
needs the number itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from factcheck.dates import DateMention, DateScanner
from factcheck.lexicon import Lexicon
from factcheck.models import DateValue, Document, Fact, FactContext
from factcheck.quantities import QuantityMention, QuantityScanner

_YEAR_RE = re.compile(r"(?<![\d,.$€£-])((?:1[89]|20)\d\d)(?![\d,]|\.\d)")
_ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"}
_CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ"}
_KEYWORD_WINDOW = 14
_ANCHOR_DISTANCE = 4


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    kind: str
    date: DateMention | None = None
    quantity: QuantityMention | None = None


class Extractor:
    """Turns documents into facts. Holds the compiled scanners and the pipeline."""

    def __init__(self, lexicon: Lexicon, nlp: Any) -> None:
        self.lex = lexicon
        self.nlp = nlp
        self.dates = DateScanner(lexicon)
        self.quantities = QuantityScanner(lexicon)

    def mentions(self, text: str) -> list[_Mention]:
        """Date and quantity mentions in `text`; dates claim their digits first."""
        dates = self.dates.scan(text)
        quantities = self.quantities.scan(text, blocked=[(d.start, d.end) for d in dates])
        out = [_Mention(d.start, d.end, "date", date=d) for d in dates]
        out += [_Mention(q.start, q.end, q.kind, quantity=q) for q in quantities]
        out.sort(key=lambda m: (m.start, m.end))
        return out

    def extract(self, documents: Iterable[Document], n_process: int = 1, batch_size: int = 32) -> Iterator[Fact]:
        """Facts of every document, in document order then text order; ids are per document."""
        docs = list(documents)
        parsed = self.nlp.pipe((d.body for d in docs), batch_size=batch_size, n_process=n_process)
        for document, sdoc in zip(docs, parsed):
            yield from self.facts_of(document, sdoc)

    def facts_of(self, document: Document, sdoc: Any) -> Iterator[Fact]:
        body = document.body
        offset = document.body_start
        mentions = self.mentions(body)
        for index, mention in enumerate(mentions):
            span = sdoc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            sent = span.sent
            tense = self._tense(span)
            context = self._context(span, sent, mentions, mention, tense, document)
            if mention.date is not None:
                value = self.dates.resolve(mention.date, document.published, tense)
                dimension = "date"
            else:
                assert mention.quantity is not None
                value = mention.quantity.value
                dimension = mention.quantity.dimension
            start, end = mention.start + offset, mention.end + offset
            yield Fact(
                id=f"{document.id}#{index + 1}",
                doc_id=document.id,
                kind=mention.kind,
                text=document.text[start:end],
                start=start,
                end=end,
                value=value,
                sentence=sent.text.strip(),
                sentence_start=sent.start_char + offset,
                line=document.line_of(start),
                context=context,
                dimension=dimension,
            )

    # ---- context ----------------------------------------------------------

    def _tense(self, span: Any) -> str | None:
        """Past or future for the clause the mention sits in (decides a bare weekday)."""
        head = span.root
        chain = [head]
        for _ in range(4):
            if head.head is head:
                break
            head = head.head
            chain.append(head)
        for tok in chain:
            if tok.lower_ in self.lex.future_markers or tok.lemma_.lower() in ("due", "schedule", "expect"):
                return "future"
            for child in tok.children:
                if child.dep_ in ("aux", "auxpass", "xcomp", "acomp") and (
                    child.lower_ in self.lex.future_markers or child.lemma_.lower() in ("due", "schedule", "set")
                ):
                    return "future"
        for tok in chain:
            morph = tok.morph.get("Tense")
            if morph:
                return "past" if "Past" in morph else "present"
        return None

    def _context(
        self,
        span: Any,
        sent: Any,
        mentions: list[_Mention],
        mention: _Mention,
        tense: str | None,
        document: Document,
    ) -> FactContext:
        noun_tok, role = self._counted_noun(span) if mention.kind != "date" else (None, None)
        if noun_tok is not None and any(
            m is not mention and m.start <= noun_tok.idx < m.end for m in mentions
        ):
            noun_tok = None  # "$840 million last year": "year" belongs to a date, not to the money
        trigger = self._trigger(span)
        entities: set[str] = set()
        for ent in sent.ents:
            if ent.label_ in _ENTITY_LABELS:
                for tok in ent:
                    if tok.is_alpha and not tok.is_stop:
                        entities.add(tok.lower_)
        for tok in sent:
            if tok.pos_ == "PROPN" and tok.is_alpha and not tok.is_stop and not self._is_calendar_word(tok.lower_):
                entities.add(tok.lower_)
        lo = max(sent.start, span.start - _KEYWORD_WINDOW)
        hi = min(sent.end, span.end + _KEYWORD_WINDOW)
        keywords = []
        for tok in sent.doc[lo:hi]:
            if span.start <= tok.i < span.end:
                continue
            if tok.pos_ in _CONTENT_POS and tok.is_alpha and not tok.is_stop and len(tok) > 2:
                lemma = tok.lemma_.lower()
                if not self._is_calendar_word(lemma) and lemma not in self.lex.number_words:
                    keywords.append(lemma)
        years = self._anchor_years(span, sent, mentions, mention, document)
        return FactContext(
            noun=noun_tok.lemma_.lower() if noun_tok is not None else None,
            trigger=trigger,
            entities=tuple(sorted(entities)),
            keywords=tuple(keywords),
            years=years,
            role=role,
            tense=tense,
        )

    def _is_calendar_word(self, word: str) -> bool:
        return word in self.lex.months or word in self.lex.weekdays

    def _counted_noun(self, span: Any) -> tuple[Any | None, str | None]:
        """The noun a number counts or measures, and its role in "N of M nouns"."""
        root = span.root
        doc = span.doc
        head = root.head
        role = None
        if (
            head.i >= span.end
            and head.pos_ in ("NOUN", "PROPN")
            and root.dep_ in ("nummod", "amod", "compound", "quantmod", "nmod", "npadvmod", "advmod", "appos")
        ):
            if head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.pos_ == "NUM":
                role = "total"
            return head, role
        for child in root.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for pobj in child.children:
                    if pobj.dep_ == "pobj" and pobj.pos_ in ("NOUN", "PROPN"):
                        return pobj, "part"
        for tok in doc[span.end : min(len(doc), span.end + 4)]:
            if tok.pos_ == "NOUN":
                return tok, role
            if tok.pos_ not in ("ADJ", "PROPN", "ADV", "PUNCT", "VERB") or tok.is_sent_start:
                break
            if tok.pos_ == "PUNCT" and tok.text not in ("-", "–"):
                break
        if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.pos_ in ("NOUN", "PROPN"):
            return root.head.head, None
        # "the death toll has risen to 64", "trade reached $840 million": the subject is what is counted
        verb = root.head
        for _ in range(3):
            if verb.pos_ in ("VERB", "AUX"):
                break
            if verb.head is verb:
                break
            verb = verb.head
        if verb.pos_ in ("VERB", "AUX"):
            for child in verb.children:
                if child.dep_ in ("nsubj", "nsubjpass") and child.pos_ in ("NOUN", "PROPN") and not child.ent_type_:
                    return child, None
        return None, role

    def _trigger(self, span: Any) -> str | None:
        """The event word the mention hangs off: the nearest verb, or a noun naming an event."""
        tok = span.root
        for _ in range(6):
            if tok.head is tok:
                break
            tok = tok.head
            lemma = tok.lemma_.lower()
            if tok.pos_ == "VERB" or (tok.pos_ == "NOUN" and lemma in self.lex.trigger_class):
                return lemma
        return None

    def _anchor_years(
        self, span: Any, sent: Any, mentions: list[_Mention], mention: _Mention, document: Document
    ) -> tuple[int, ...]:
        """Years the fact is pinned to ("58.7% in 2019", "$840 million last year").

        Only years syntactically close to the fact count (a short path in the
        parse tree), and "since 2017" is a baseline, not an anchor.
        """
        if mention.kind == "date":
            return ()
        doc = sent.doc
        years: set[int] = set()
        s0, s1 = sent.start_char, sent.end_char
        candidates: list[tuple[Any, int]] = []
        for other in mentions:
            if other is mention or other.date is None or not (s0 <= other.start < s1):
                continue
            if str(other.date.parts.get("prep", "")).lower() == "since" or other.date.text.lower().startswith("since"):
                continue
            value = self.dates.resolve(other.date, document.published, None)
            if isinstance(value, DateValue) and value.span and value.span.start.year == value.span.end.year:
                other_span = doc.char_span(other.start, other.end, alignment_mode="expand")
                if other_span is not None:
                    candidates.append((other_span.root, value.span.start.year))
        for m in _YEAR_RE.finditer(sent.text):
            a = s0 + m.start()
            if span.start_char <= a < span.end_char or any(o.start <= a < o.end for o in mentions):
                continue
            tok_span = doc.char_span(a, a + 4, alignment_mode="expand")
            if tok_span is None:
                continue
            tok = tok_span.root
            if tok.head.lower_ == "since":
                continue
            candidates.append((tok, int(m.group(1))))
        for tok, year in candidates:
            if _tree_distance(span.root, tok) <= _ANCHOR_DISTANCE:
                years.add(year)
        return tuple(sorted(years))


def _tree_distance(a: Any, b: Any) -> int:
    """Number of dependency edges between two tokens of one sentence."""
    up_a = [a, *a.ancestors]
    index = {t.i: n for n, t in enumerate(up_a)}
    for n, t in enumerate([b, *b.ancestors]):
        if t.i in index:
            return n + index[t.i]
    return 99
