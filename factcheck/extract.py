"""Extract comparable facts from documents.

The pattern scanners (`dates`, `quantities`) find and normalise mentions; the
spaCy parse supplies what the mention is about: its sentence, the counted noun
("34 provinces"), the event trigger ("met", "killed"), the entities around it
and the years it is anchored to. Alignment needs that context far more than it
needs the number itself.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from factcheck.dates import DateMention, DateScanner
from factcheck.lexicon import Lexicon
from factcheck.models import DateSpan, DateValue, Document, Fact, FactContext
from factcheck.quantities import QuantityMention, QuantityScanner

_YEAR_RE = re.compile(r"(?<![\d,.$€£-])((?:1[89]|20)\d\d)(?![\d,]|\.\d)")
UNUSED_COMPONENTS = ("ner",)  # pipeline components extraction does not read
_CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ"}
_KEYWORD_WINDOW = 14
_ANCHOR_DISTANCE = 5
# a year in one of these relations to a noun names the thing: "the 2025 budget", "the 2023 final"
_NAMING_DEPS = {"compound", "nummod", "amod", "npadvmod", "poss", "nmod"}
_MODIFIER_DEPS = {"nummod", "amod", "compound", "quantmod", "nmod", "npadvmod", "advmod", "appos"}
# verbs that carry no event of their own: "was", "has", "according to"
_LIGHT_VERBS = {"be", "have", "accord", "do", "get", "make"}


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
        # documents only partly read (see MAX_BODY_CHARS), for the caller's notice
        self.truncated: set[str] = set()

    def mentions(self, text: str) -> list[_Mention]:
        """Date and quantity mentions in `text`; dates claim their digits first."""
        dates = self.dates.scan(text)
        quantities = self.quantities.scan(text, blocked=[(d.start, d.end) for d in dates])
        out = [_Mention(d.start, d.end, "date", date=d) for d in dates]
        out += [_Mention(q.start, q.end, q.kind, quantity=q) for q in quantities]
        out.sort(key=lambda m: (m.start, m.end))
        return out

    def extract(
        self, documents: Iterable[Document], n_process: int = 1, batch_size: int = 64
    ) -> Iterator[Fact]:
        """Facts of every document, in document order then text order.

        Only the sentences holding a date or number mention are parsed (a fact's context
        never leaves its sentence), in runs of consecutive such sentences: about half of a
        news text, so extraction costs about half a full parse, and a huge document costs
        time in proportion to its mentions and never exceeds what spaCy accepts in one piece.
        """
        docs = list(documents)
        work: list[tuple[int, int, list[_Mention]]] = []  # (document index, chunk offset, mentions)
        texts: list[str] = []
        for n, document in enumerate(docs):
            found = 0
            if len(document.body) > MAX_BODY_CHARS:
                self.truncated.add(document.id)
            for offset, paragraph in _chunks(document.body[:MAX_BODY_CHARS]):
                if found >= MAX_MENTIONS_PER_DOCUMENT:
                    self.truncated.add(document.id)
                    break
                in_paragraph = self.mentions(paragraph)
                for start, end in _sentence_groups(paragraph, in_paragraph) if in_paragraph else ():
                    if found >= MAX_MENTIONS_PER_DOCUMENT:
                        break
                    chunk = paragraph[start:end]
                    mentions = self.mentions(chunk)
                    if mentions:
                        work.append((n, offset + start, mentions))
                        texts.append(chunk)
                        found += len(mentions)
        # the entity recogniser is half of the pipeline's time, and the proper nouns the tagger
        # finds name the same people, places and organisations for alignment's purposes
        skip = [name for name in UNUSED_COMPONENTS if name in self.nlp.pipe_names]
        parsed = self.nlp.pipe(texts, batch_size=batch_size, n_process=n_process, disable=skip)
        counters = [0] * len(docs)
        lines = [_LineIndex(d.text) for d in docs]
        for (n, offset, mentions), sdoc in zip(work, parsed, strict=True):
            document = docs[n]
            for fact in self._facts_of_chunk(document, sdoc, mentions, offset, lines[n]):
                counters[n] += 1
                yield replace(fact, id=f"{document.id}#{counters[n]}")

    def _facts_of_chunk(
        self, document: Document, sdoc: Any, mentions: list[_Mention], chunk_offset: int, lines: _LineIndex
    ) -> Iterator[Fact]:
        offset = document.body_start + chunk_offset
        # shared by every fact of the chunk: where the mentions are, and what its dates mean
        busy = [(m.start, m.end) for m in mentions]
        dates = {id(m): self.dates.resolve(m.date, document.published, None) for m in mentions if m.date}
        for mention in mentions:
            span = sdoc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            sent = span.sent
            tense = self._tense(span)
            context = self._context(span, sent, mentions, mention, tense, busy, dates)
            if _is_stray_number_word(mention, context, span) or _is_dateline(mention, sent, span):
                continue
            if mention.date is not None:
                value = self.dates.resolve(mention.date, document.published, tense)
                dimension = "date"
            else:
                assert mention.quantity is not None
                value = mention.quantity.value
                dimension = mention.quantity.dimension
            start, end = mention.start + offset, mention.end + offset
            sentence, sentence_start = _paragraph_of(sent.text, sent.start_char, mention.start, mention.end)
            yield Fact(
                id="",
                doc_id=document.id,
                kind=mention.kind,
                text=document.text[start:end],
                start=start,
                end=end,
                value=value,
                sentence=sentence,
                sentence_start=sentence_start + offset,
                line=lines.line_of(start),
                context=context,
                dimension=dimension,
            )

    # ---- context ----------------------------------------------------------

    def _tense(self, span: Any) -> str | None:
        """Past or future for the clause the mention sits in (decides a bare weekday).

        The nearest verb decides: in "The deal, announced on Tuesday, will see
        ..." the date belongs to the past participle, not to "will see". Only a
        verb without tense of its own ("is due to fly home on Monday") defers
        to the words above it.
        """
        markers = self.lex.future_markers
        tok = span.root
        for _ in range(8):
            if tok.lower_ in markers or tok.lemma_.lower() in ("due", "schedule", "expect"):
                return "future"
            if tok.pos_ in ("VERB", "AUX"):
                for child in tok.children:
                    if child.dep_ in ("aux", "auxpass") and child.lower_ in markers:
                        return "future"
                tense = tok.morph.get("Tense")
                if tense:
                    return "past" if "Past" in tense else "present"
            if tok.head is tok:
                break
            tok = tok.head
        return None

    def _context(
        self,
        span: Any,
        sent: Any,
        mentions: list[_Mention],
        mention: _Mention,
        tense: str | None,
        busy: list[tuple[int, int]],
        dates: dict[int, DateValue],
    ) -> FactContext:
        noun_tok, role = self._counted_noun(span, busy) if mention.kind != "date" else (None, None)
        role = role or _change_role(span)
        if role is None and mention.kind != "date":
            role = self._change_kind(span, mention.kind, noun_tok)
        triggers = self._triggers(span, busy)
        agent = self._agent(span, noun_tok)
        entities: set[str] = set()
        for tok in sent:
            if (
                tok.pos_ == "PROPN"
                and tok.is_alpha
                and not tok.is_stop
                and not self._is_calendar_word(tok.lower_)
            ):
                entities.add(tok.lower_)
        entities -= self.lex.entity_stopwords  # "Foreign Minister" names a role, not who
        # the "m" of "1.8m" or the "March" of a date is not an entity
        entities -= {t.lower_ for t in sent if any(s <= t.idx < e for s, e in busy)}
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
        anchors, identity = self._anchors(span, sent, mentions, mention, dates)
        modifiers = self._modifiers(noun_tok, span) if noun_tok is not None else ()
        names = self._names(noun_tok) if noun_tok is not None else ()
        noun = noun_tok.lemma_.lower() if noun_tok is not None else None
        text = span.doc.text[mention.start : mention.end]
        # a figure on a noun that it describes rather than counts: "the $18m campaign", "a 90-day
        # truce", "a 17% jump", "a nine-strong delegation" (but "4.5 million children" counts them)
        attributive = (
            noun_tok is not None
            and noun_tok.i >= span.end
            and span.root.head.i == noun_tok.i
            and span.root.dep_ in _MODIFIER_DEPS
            and (mention.kind != "count" or "-" in text)
        )
        # "the $18m campaign could be extended": the figure is a property of the campaign,
        # stated as fact whatever may happen to the campaign
        irrealis = not attributive and self._irrealis(span)
        suffix = text.rsplit("-", 1)[-1].lower() if mention.kind == "count" and "-" in text else ""
        if suffix in self.lex.count_modifiers and suffix not in self.lex.collective_count_modifiers:
            noun = suffix  # "a 240-bed hospital" counts beds
        return FactContext(
            noun=noun,
            trigger=triggers[0] if triggers else None,
            triggers=triggers,
            agent=agent,
            irrealis=irrealis,
            entities=tuple(sorted(entities)),
            keywords=tuple(keywords),
            anchors=anchors,
            identity_anchors=identity,
            modifiers=modifiers,
            names=names,
            role=role,
            tense=tense,
            attributive=attributive,
            # (for sums only: "seven memoranda, including one on gas" names a member, not a measure)
            qualifiers=self._qualifiers(span, noun_tok) if mention.kind == "money" else (),
        )

    @staticmethod
    def _qualifiers(span: Any, noun: Any | None) -> tuple[str, ...]:
        """ "including debt", "excluding one-off items" on the figure, its noun or its verb."""
        heads = [span.root, *([noun] if noun is not None else [])]
        for tok in span.root.ancestors:
            heads.append(tok)
            if tok.pos_ in ("VERB", "AUX"):
                break
        out = set()
        for head in heads:
            for child in head.children:
                if child.dep_ == "prep" and child.lemma_.lower() in ("include", "exclude"):
                    for obj in child.children:
                        if obj.dep_ == "pobj":
                            out.add(f"{child.lemma_.lower()}:{obj.lemma_.lower()}")
        return tuple(sorted(out))

    def _is_calendar_word(self, word: str) -> bool:
        return word in self.lex.months or word in self.lex.weekdays

    def _counted_noun(self, span: Any, busy: list[tuple[int, int]]) -> tuple[Any | None, str | None]:
        """The noun a number counts or measures, and its role in "N of M nouns".

        Tried in order: the noun the number modifies ("34 provinces",
        "nine-strong delegation"), the noun after "of" ("eight of ... 34
        provinces" → part), the next noun ("19 water-bombing aircraft"), the
        noun before "of" ("a delegation of nine"), and last the subject of the
        clause ("the toll has risen to 64", "turnout was 61.4%"). Tokens that
        belong to another mention ("last year") are never the counted noun.
        """
        root = span.root
        doc = span.doc

        def usable(tok: Any) -> bool:
            return tok.pos_ in ("NOUN", "PROPN") and not any(s <= tok.idx < e for s, e in busy)

        head = root.head
        if head.i >= span.end and usable(head) and root.dep_ in _MODIFIER_DEPS:
            role = None
            if head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.pos_ == "NUM":
                role = "total"
            return head, role
        for child in root.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for pobj in child.children:
                    if (
                        pobj.dep_ == "pobj"
                        and usable(pobj)
                        and pobj.lemma_.lower() not in self.lex.denominators
                    ):
                        return pobj, "part"
        for tok in doc[span.end : min(len(doc), span.end + 4)]:
            if tok.pos_ == "NOUN" and usable(tok):
                return tok, None
            if tok.is_sent_start or tok.pos_ not in ("ADJ", "PROPN", "ADV", "PUNCT", "VERB", "NOUN"):
                break
            if tok.pos_ == "PUNCT" and tok.text not in ("-", "–"):
                break
        if root.dep_ == "pobj" and root.head.lower_ == "of" and usable(root.head.head):
            return root.head.head, None
        if span.start >= 2 and doc[span.start - 1].text in (":", "—", "–") and usable(doc[span.start - 2]):
            return doc[span.start - 2], None  # "It was the turnout: 71.4%", "the toll — 64"
        # the subject is what is counted only when the number completes its verb:
        # "the toll has risen to 64", "turnout was 61.4%", "trade reached $840 million"
        verb = root.head
        if root.dep_ == "pobj" and root.head.lower_ == "by" and root.head.dep_ == "prep":
            # "raises defence spending by €1.3 billion": the object is what changed
            for child in root.head.head.children:
                if child.dep_ == "dobj" and usable(child):
                    return child, None
        if (
            root.dep_ == "pobj"
            and root.head.lower_ in ("to", "at", "by", "of", "from")
            and root.head.dep_ == "prep"
        ):
            verb = root.head.head
        elif root.dep_ == "dobj":
            # "trade reached $840 million" measures trade; "donors pledged $1.35 billion" does
            # not measure donors: only verbs that state a level make the subject the thing
            if self.lex.trigger_class.get(verb.lemma_.lower()) != "level":
                return None, None
        elif root.dep_ not in ("attr", "oprd", "acomp", "npadvmod"):
            return None, None
        if verb.pos_ == "VERB" and verb.dep_ == "acl" and usable(verb.head):
            return verb.head, None  # "the campaign, budgeted at $18 million"
        if verb.pos_ in ("VERB", "AUX"):
            for child in verb.children:
                if child.dep_ in ("nsubj", "nsubjpass"):
                    if usable(child) and (
                        child.pos_ == "NOUN"
                        or (child.is_sent_start and child.text.istitle() and child.n_lefts == 0)
                    ):
                        return child, None  # "Turnout was 61.4%"; never "The EU pledged €400 million"
                    if child.tag_ in ("WDT", "WP") and verb.dep_ == "relcl" and usable(verb.head):
                        return verb.head, None  # "trade, which reached $910 million"
        return None, None

    def _change_kind(self, span: Any, kind: str, noun: Any | None) -> str | None:
        """A figure that says how much something moved, which is never the same fact as a
        level or a share of a whole ("38% of the shares", "rose to 5.3%"): "shares jumped
        29%", "sales rose by 12%", "prices were up 4%", "a 29% jump", and for any figure an
        increment: "2,000 additional health workers", "500 more troops"."""
        after = span.doc[span.end : span.end + 1]
        qualifiers = {t.lemma_.lower() for t in after}
        if noun is not None:
            qualifiers |= {c.lemma_.lower() for c in noun.children if c.dep_ in ("amod", "advmod")}
        if qualifiers & self.lex.increment_words:
            return "increment"
        if kind != "percent":
            return None
        if noun is not None and noun.lemma_.lower() in self.lex.change_words:
            return "change"
        root = span.root
        head = root.head
        if root.dep_ == "pobj" and head.lower_ == "by" and head.dep_ == "prep":
            head = head.head
        elif root.dep_ not in ("npadvmod", "dobj"):
            return None
        return "change" if head.lemma_.lower() in self.lex.change_words else None

    def _triggers(self, span: Any, busy: list[tuple[int, int]]) -> tuple[str, ...]:
        """Event words on the path from the mention to the root, nearest first:
        verbs, and nouns that name events ("meeting", "talks", "toll")."""
        out: list[str] = []
        for tok in span.root.ancestors:
            if any(s <= tok.idx < e for s, e in busy):
                continue
            lemma = tok.lemma_.lower()
            is_event = (tok.pos_ == "VERB" and lemma not in _LIGHT_VERBS) or (
                tok.pos_ == "NOUN" and lemma in self.lex.trigger_class
            )
            if is_event and lemma not in out:
                out.append(lemma)
            if len(out) >= 4:
                break
        return tuple(out)

    def _irrealis(self, span: Any) -> bool:
        """A target, plan, forecast or possibility rather than what happened:
        "aiming to reach 4.5 million children", "up to 50,000 could arrive"."""
        words = self.lex.irrealis_words
        for n, tok in enumerate(span.root.ancestors):
            if n >= 4:
                break
            lemma = tok.lemma_.lower()
            # "plans to cut", "aiming to reach"; of nouns only those that always name a target
            # ("the target of 4.5 million"), not "the 84.6bn-euro spending plan"
            if lemma in words and (tok.pos_ in ("VERB", "AUX") or lemma in self.lex.irrealis_nouns):
                return True
            if any(c.dep_ == "aux" and c.lower_ in words for c in tok.children):
                return True
        return False

    def _agent(self, span: Any, noun: Any | None) -> tuple[str, ...]:
        """Who or what the fact is about, from the subject of the nearest verb:
        "Norcrest employs 8,300 people" vs "The Wrexley site employs 640 people"."""
        verb = next((t for t in span.root.ancestors if t.pos_ in ("VERB", "AUX")), None)
        if verb is None:
            return ()
        for child in verb.children:
            if child.dep_ not in ("nsubj", "nsubjpass") or child.pos_ == "PRON":
                continue
            if noun is not None and child.i == noun.i:
                return ()  # the subject is the counted thing itself: "143 homes were destroyed"
            if span.start <= child.i < span.end:
                return ()
            words = [
                t.lemma_.lower()
                for t in child.subtree
                if t.is_alpha
                and not t.is_stop
                and t.dep_ in ("compound", "amod", "nsubj", "nsubjpass", "poss", "pobj", "appos")
                and t.i < child.i + 1
            ]
            words = [w for w in words if w not in self.lex.entity_stopwords]
            return tuple(sorted(set(words)))
        return ()

    def _names(self, noun: Any) -> tuple[str, ...]:
        """Proper names that say which thing the counted noun is: "the Serra Vella fire"."""
        out = []
        for child in noun.children:
            if child.dep_ in ("compound", "poss", "nmod", "amod") and child.pos_ == "PROPN":
                out += [t.lower_ for t in child.subtree if t.pos_ == "PROPN" and t.is_alpha]
        return tuple(sorted(set(out) - self.lex.entity_stopwords))

    def _modifiers(self, noun: Any, span: Any) -> tuple[str, ...]:
        """Words that narrow down the counted noun: "second-dose coverage",
        "homes destroyed", "community health workers"."""
        out = []
        for child in noun.children:
            if span.start <= child.i < span.end:
                continue
            if (
                child.dep_ in ("amod", "compound", "nmod", "acl", "relcl")
                and child.is_alpha
                and not child.is_stop
            ):
                out.append(child.lemma_.lower())
                for grand in child.children:
                    if (
                        grand.dep_ in ("compound", "amod", "npadvmod")
                        and grand.is_alpha
                        and not grand.is_stop
                    ):
                        out.append(grand.lemma_.lower())
        return tuple(sorted(set(out)))

    def _anchors(
        self, span: Any, sent: Any, mentions: list[_Mention], mention: _Mention, dates: dict[int, DateValue]
    ) -> tuple[tuple[DateSpan, ...], tuple[DateSpan, ...]]:
        """When the fact holds, as (circumstances, identity).

        Circumstances are dates said about the fact ("58.7% in 2019", "$840 million
        last year", "inflation in September"); identity is a year that names the
        thing itself ("the 2025 budget", "the 2023 final"). Only the dates
        syntactically closest to the fact count, and "since 2017" is a baseline,
        not an anchor.
        """
        if mention.kind == "date":
            return (), ()
        doc = sent.doc
        s0, s1 = sent.start_char, sent.end_char
        candidates: list[tuple[Any, DateSpan]] = []
        for other in mentions:
            if other is mention or other.date is None or not (s0 <= other.start < s1):
                continue
            if other.date.text.lower().startswith("since"):
                continue
            value = dates[id(other)]
            if value.span is not None:
                other_span = doc.char_span(other.start, other.end, alignment_mode="expand")
                if other_span is not None:
                    candidates.append((other_span.root, value.span))
        for m in _YEAR_RE.finditer(sent.text):
            a = s0 + m.start()
            if span.start_char <= a < span.end_char or any(o.start <= a < o.end for o in mentions):
                continue
            tok_span = doc.char_span(a, a + 4, alignment_mode="expand")
            if tok_span is None or tok_span.root.head.lower_ == "since":
                continue
            year = int(m.group(1))
            candidates.append((tok_span.root, DateSpan(date(year, 1, 1), date(year, 12, 31))))
        rivals = []
        for other in mentions:
            if other is not mention and other.date is None and s0 <= other.start < s1:
                other_span = doc.char_span(other.start, other.end, alignment_mode="expand")
                if other_span is not None:
                    rivals.append(other_span.root)
        distances = []
        for tok, anchor in candidates:
            d = _tree_distance(span.root, tok)
            # "61.4%, up from 58.7% in 2019": the year belongs to the number nearest to it
            if all(_tree_distance(r, tok) >= d for r in rivals):
                distances.append((d, anchor, tok))
        near = [d for d, _, _ in distances if d <= _ANCHOR_DISTANCE]
        if not near:
            return (), ()
        chosen = [(anchor, tok) for d, anchor, tok in distances if d == min(near)]
        identity = {a for a, tok in chosen if tok.dep_ in _NAMING_DEPS and tok.head.pos_ in ("NOUN", "PROPN")}
        circumstances = {a for a, _ in chosen} - identity
        return tuple(sorted(circumstances)), tuple(sorted(identity))


def _paragraph_of(text: str, start: int, m_start: int, m_end: int) -> tuple[str, int]:
    """The sentence as shown to a reader: trimmed, and never running across a blank line
    (the parser sometimes glues a stray closing quote or a heading onto the next paragraph)."""
    lo, hi = m_start - start, m_end - start
    before = text.rfind("\n\n", 0, lo)
    after = text.find("\n\n", hi)
    if before >= 0:
        start += before + 2
        text = text[before + 2 :]
        hi -= before + 2
    if after >= 0:
        text = text[: after - (before + 2 if before >= 0 else 0)]
    stripped = text.lstrip()
    return stripped.rstrip(), start + (len(text) - len(stripped))


_CHUNK_CHARS = 20_000
# Bounds on one document's work, so that no file a pull request adds can stall a run: a news
# article has some 20,000 characters and a few dozen figures; a 50 MB dump or a page of
# numbers is read up to these limits (the caller is told).
MAX_BODY_CHARS = 2_000_000
MAX_MENTIONS_PER_DOCUMENT = 2_000
# a run of sentences longer than this is parsed in pieces cut at a space (a 5 MB line)
_MAX_PIECE_CHARS = 5_000


# A sentence ends at . ! or ? (and any closing quotes or brackets) before a space and a capital,
# digit or opening quote; not after an abbreviation or an initial ("Mr. Wang", "U.S. troops",
# "J. Smith"). The split only decides what is parsed: spaCy still finds the real sentences
# inside a piece, so a missed boundary costs a little time, and only a false one could cut a
# sentence. Hence the conservative rule.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "maj",
        "rep",
        "sen",
        "gov",
        "pres",
        "rev",
        "jr",
        "sr",
        "inc",
        "ltd",
        "co",
        "corp",
        "bros",
        "no",
        "nos",
        "vs",
        "etc",
        "fig",
        "approx",
        "dept",
        "est",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mt",
        "ft",
        "op",
        "vol",
        "art",
        "sec",
        "ch",
        "p",
        "pp",
    ]
)


def _sentence_groups(text: str, mentions: list[_Mention]) -> list[tuple[int, int]]:
    """(start, end) of each run of consecutive sentences of `text` that hold a mention."""
    cuts = [0]
    for m in _SENTENCE_BREAK.finditer(text):
        before = _WORD_BEFORE.search(text, max(0, m.start() - 40), m.start())
        if before is not None:
            word = before.group(1).lower()
            if word in _ABBREVIATIONS or len(word) == 1 or "." in word:
                continue
        cuts.append(m.end())
    cuts.append(len(text))
    sentences = list(itertools.pairwise(cuts))
    wanted = [False] * len(sentences)
    k = 0
    for mention in mentions:  # sorted by start
        while k < len(sentences) - 1 and sentences[k][1] <= mention.start:
            k += 1
        last = k
        while last < len(sentences) - 1 and sentences[last][1] < mention.end:
            last += 1  # a mention across a cut: the cut was false, keep both sides together
        for i in range(k, last + 1):
            wanted[i] = True
    groups: list[tuple[int, int]] = []
    for (start, end), keep in zip(sentences, wanted, strict=True):
        if not keep:
            continue
        if groups and groups[-1][1] == start:
            groups[-1] = (groups[-1][0], end)
        else:
            groups.append((start, end))
    trimmed = []
    for start, end in groups:
        while end - start > _MAX_PIECE_CHARS:
            cut = text.rfind(" ", start + _MAX_PIECE_CHARS // 2, start + _MAX_PIECE_CHARS)
            cut = cut if cut > start else start + _MAX_PIECE_CHARS
            trimmed.append((start, cut))
            start = cut
        trimmed.append((start, end))
    out = []
    for start, end in trimmed:
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        if piece.strip():
            out.append((start + lead, start + len(piece.rstrip())))
    return out


def _chunks(body: str, limit: int = _CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """The body's paragraphs (split at blank lines) with their offsets, a paragraph longer than
    `limit` (a 5 MB line) being cut after a sentence end, or hard at the limit."""
    pos = 0
    # blank lines end paragraphs; single line breaks may fall mid-sentence (wrapped text)
    for line in re.split(r"(?<=\n)(?=[ \t]*\n)", body):
        start = pos
        pos += len(line)
        while len(line) > limit:
            cut = line.rfind(". ", 0, limit)
            cut = cut + 2 if cut > limit // 2 else limit
            yield start, line[:cut]
            start, line = start + cut, line[cut:]
        if line.strip():
            yield start, line


class _LineIndex:
    """Line numbers by offset in O(log n), for documents with many facts."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_of(self, offset: int) -> int:
        return bisect_right(self.starts, offset)


def _change_role(span: Any) -> str | None:
    """ "raised its rate from 4.50% to 4.75%": the figure after "from" is the old level,
    the one after "to" the new one; they are two facts, never one misreported."""
    root = span.root
    if root.dep_ == "pobj" and root.head.dep_ == "prep" and root.head.head.pos_ == "VERB":
        if root.head.lower_ == "from":
            return "from"
        if root.head.lower_ == "to":
            return "to"
    return None


def _is_dateline(mention: _Mention, sent: Any, span: Any) -> bool:
    """ "ASHGROVE, Sept 3 (CPS) —": the date a wire story was filed, not an event in it."""
    if mention.date is None or span.start - sent.start > 4:
        return False
    first = sent[0].text
    after = span.doc.text[span.end_char : span.end_char + 4]
    return first.isupper() and len(first) > 2 and bool(re.match(r"\s*[(—–-]", after))


def _is_stray_number_word(mention: _Mention, context: FactContext, span: Any) -> bool:
    """ "the two warmed up", "one of them": a number word that counts nothing is not a fact.
    "One" counts only the noun right after it ("one bakery", "one win in 11 matches")."""
    q = mention.quantity
    if q is None or q.kind != "count" or q.value.hedge or q.unit_text:
        return False
    if span.text.lower() == "one":
        following = span.doc[span.end] if span.end < len(span.doc) else None
        return following is None or following.pos_ != "NOUN" or following.lower_ in ("another", "time", "day")
    return context.noun is None and not any(ch.isdigit() for ch in span.text)


def _tree_distance(a: Any, b: Any) -> int:
    """Number of dependency edges between two tokens of one sentence."""
    up_a = [a, *a.ancestors]
    index = {t.i: n for n, t in enumerate(up_a)}
    for n, t in enumerate([b, *b.ancestors]):
        if t.i in index:
            return n + index[t.i]
    return 99
