"""The extractor: a Document in, an Extraction (mentions and relations with evidence) out.

1. Knowledge-base names are matched in the text (gazetteer); ambiguous ones ("Georgia",
   "Chad") are kept only when the context does not make them a person's name or another
   entity mentioned in the document.
2. Acronyms the document defines ("Bharatiya Janata Party (BJP)") and names found by pattern
   ("President Xi Jinping", "Article 370") add entities outside the knowledge base; their
   short forms are then matched in the rest of the document.
3. Overlapping candidates are settled longest first, knowledge-base readings before patterns.
4. Each sentence yields relations from trigger words and from what the knowledge base knows
   of the entities it names together.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, replace

from kg.extract.acronyms import find_definitions
from kg.extract.gazetteer import Gazetteer, Hit, normalize
from kg.extract.kb import KnowledgeBase, SurfaceForm, slugify
from kg.extract.names import Name, find_names, head_type
from kg.extract.relations import find_relations, known_relations
from kg.extract.triggers import find_triggers
from kg.extract.sentences import split_sentences
from kg.extract.trie import trie_pattern
from kg.model import Document, Entity, Extraction, Mention, Relation

SEGMENTS = {
    "Country": "country",
    "InternationalOrganization": "igo",
    "Initiative": "initiative",
    "Region": "region",
    "PoliticalParty": "party",
    "Organization": "org",
    "Person": "person",
    "Event": "event",
    "LegalInstrument": "instrument",
}
CONFIDENCE = {"name": 0.95, "alias": 0.9, "acronym": 0.9, "demonym": 0.75, "capital": 0.7}
_PRIORITY = {"kb": 3, "local": 3, "pattern": 2, "weak": 1}
# A capital stands for its government when it acts or speaks: "Moscow said", "Beijing's position";
# "a meeting in Addis Ababa" is a place.
_GOVERNMENT_VERB = re.compile(
    r"^(?:['’]s\b|\s+(?:has|have|had|is|was|says|said|will|would|wants|insists|insisted|claims|claimed|announced|"
    r"decided|continues|refuses|refused|must|should|can|cannot|could|may|might|did|does|and\s+\w+\s+(?:have|are|were)))\b"
)
_LANGUAGE = re.compile(r"^-speaking\b")
# Organizations whose name says they are intergovernmental.
_INTERGOVERNMENTAL = re.compile(
    r"\b(?:International|United Nations|UN|World|Intergovernmental|Inter-American|Pan American|Multinational|"
    r"Regional|African|European|Asian|Caribbean|Arab|Islamic|Pacific|Commonwealth)\b|\b(?:Mission|Task Force)\b"
)
# "Millennium Challenge Corporation of the United States": a name ends before "of" + a known name.
_OF_TAIL = re.compile(r"\s+of\s+(?:the\s+)?")
_TITLE_BEFORE = re.compile(r"(?:Mr|Mrs|Ms|Dr|President|King|Queen|Prince|Minister|Sheikh|Ambassador)\.?\s+$")
_CAPITALISED_WORD = re.compile(r"[A-Z][a-z]+")


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    entity: Entity
    confidence: float
    method: str
    priority: int


def new_entity(label: str, type_: str, aliases: tuple[str, ...] = ()) -> Entity:
    """An entity found in text outside the knowledge base, with a stable id."""
    return Entity(id=f"{SEGMENTS[type_]}/{slugify(label)}", label=label, type=type_, aliases=aliases, in_kb=False)


class Extractor:
    """Extracts mentions and relations; build one per process and reuse it."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.gazetteer = Gazetteer(kb.forms)
        self._forms_by_text = {normalize(f.text): f for f in kb.forms if not f.ambiguous}
        self._known = {(f.subject, f.object): f.predicate for f in kb.facts if f.predicate == "proposes"}

    def extract(self, document: Document) -> Extraction:
        text = normalize(document.text)
        speaker = self._speaker(document.speaker_iso3)
        hits = list(self.gazetteer.find(text))
        certain = {f.entity_id for h in hits for f in h.forms if not f.ambiguous}
        if speaker is not None:
            certain.add(speaker.id)
        candidates = [c for h in hits if (c := self._read_hit(h, text, certain)) is not None]
        local: dict[str, Entity] = {}
        candidates += self._defined_acronyms(text, local)
        candidates += self._pattern_names(text, local)
        candidates += _local_matches(text, local)
        mentions = _settle(candidates, document.text)
        return Extraction(
            document=document,
            mentions=mentions,
            relations=self._relations(document.text, mentions, speaker),
            publisher=self._publisher(document.publisher),
            speaker=speaker,
        )

    def _read_hit(self, hit: Hit, text: str, certain: set[str]) -> _Candidate | None:
        """The one reading of a knowledge-base match, or None when it stays ambiguous."""
        readings = [f for f in hit.forms if not f.ambiguous and self._fits_context(f, text, hit.end)]
        if not readings and all(not f.ambiguous for f in hit.forms):
            return None
        if not readings:
            contextual = [f for f in hit.forms if f.text[:4] in ("the ", "this")]
            if contextual:  # "the Union", "the Assembly": only what the document names in full
                known = {f.entity_id for f in contextual if f.entity_id in certain}
                if len(known) != 1:
                    return None
                form = next(f for f in contextual if f.entity_id in known)
                return _Candidate(hit.start, hit.end, self.kb.get(form.entity_id), 0.7, "gazetteer:context", _PRIORITY["kb"])
            if _looks_like_person(text, hit.start, hit.end):
                return None
            readings = [f for f in hit.forms if f.kind in ("name", "alias", "acronym")]
            if len({f.entity_id for f in readings}) > 1:
                readings = [f for f in readings if f.entity_id in certain]
            if len({f.entity_id for f in readings}) != 1:
                return None
            form = readings[0]
            return _Candidate(hit.start, hit.end, self.kb.get(form.entity_id), 0.6, f"gazetteer:{form.kind}:ambiguous", _PRIORITY["weak"])
        form = readings[0]
        weak = form.kind in ("demonym", "capital")
        return _Candidate(
            hit.start, hit.end, self.kb.get(form.entity_id), CONFIDENCE[form.kind],
            f"gazetteer:{form.kind}", _PRIORITY["weak" if weak else "kb"],
        )

    @staticmethod
    def _fits_context(form: SurfaceForm, text: str, end: int) -> bool:
        """Capitals only where they stand for a government; demonyms not for languages."""
        following = text[end : end + 40]
        if form.kind == "capital":
            return bool(_GOVERNMENT_VERB.match(following))
        if form.kind == "demonym":
            return not _LANGUAGE.match(following)
        return True

    def _known_entity(self, name: str) -> Entity | None:
        form = self._forms_by_text.get(normalize(name))
        return self.kb.get(form.entity_id) if form is not None and form.kind != "demonym" else None

    def _entity(self, name: str, type_: str, aliases: tuple[str, ...] = ()) -> Entity:
        """The knowledge-base entity of this name, or of this id once spelled differently
        ("Treaty on The Prohibition ..."), else a new entity found in the text."""
        if type_ == "Organization" and _INTERGOVERNMENTAL.search(name):
            type_ = "InternationalOrganization"
        found = new_entity(name, type_, aliases)
        return self._known_entity(name) or self.kb.entities.get(found.id) or found

    def _defined_acronyms(self, text: str, local: dict[str, Entity]) -> list[_Candidate]:
        found = []
        for definition in find_definitions(text):
            entity = self._known_entity(definition.long)
            if entity is None:
                entity = self._entity(definition.long, head_type(definition.long) or "Organization", (definition.short,))
                found.append(_Candidate(definition.long_start, definition.long_end, entity, 0.8, "pattern:acronym-definition", _PRIORITY["pattern"]))
            if definition.short not in self.gazetteer:
                local[definition.short] = entity
        return found

    def _pattern_names(self, text: str, local: dict[str, Entity]) -> list[_Candidate]:
        found = []
        for name in map(self._cut_known_tail, find_names(text)):
            entity = self._entity(name.text, name.type)
            found.append(_Candidate(name.start, name.end, entity, 0.7, name.method, _PRIORITY["pattern"]))
            if name.type == "Person":
                local.setdefault(name.text, entity)
                surname = name.text.split()[-1]
                if len(surname) > 3 and surname not in self.gazetteer and len(name.text.split()) > 1:
                    local.setdefault(surname, entity)
        return found

    def _cut_known_tail(self, name: Name) -> Name:
        """Cut "X of the Y" before "of" when Y is a known name and X still has a head word."""
        for tail in reversed(list(_OF_TAIL.finditer(name.text))):
            rest = name.text[tail.end() :]
            head = name.text[: tail.start()]
            if rest in self.gazetteer and head_type(head) is not None:
                return replace(name, end=name.start + len(head), text=head)
        return name

    def _relations(self, text: str, mentions: tuple[Mention, ...], speaker: Entity | None) -> tuple[Relation, ...]:
        starts = [m.start for m in mentions]
        triggers = find_triggers(text)
        trigger_starts = [t.start for t in triggers]
        relations: list[Relation] = []
        seen: set[tuple[str, str, str, int]] = set()
        for sentence in split_sentences(text):
            inside = list(mentions[bisect_left(starts, sentence.start) : bisect_left(starts, sentence.end)])
            if len(inside) + (speaker is not None) < 2:
                continue
            said = triggers[bisect_left(trigger_starts, sentence.start) : bisect_left(trigger_starts, sentence.end)]
            for relation in (*find_relations(sentence, inside, said, speaker), *known_relations(sentence, inside, self._known)):
                key = (relation.subject.id, relation.predicate, relation.object.id, relation.start)
                if key not in seen:
                    seen.add(key)
                    relations.append(relation)
        return tuple(relations)

    def _speaker(self, code: str | None) -> Entity | None:
        """The country (or, for "EU", the organization) a speech is delivered for."""
        if not code:
            return None
        try:
            return self.kb.country(code)
        except KeyError:
            return self.kb.find(code.strip("_"))

    def _publisher(self, name: str | None) -> Entity | None:
        if not name:
            return None
        return self.kb.find(name) or new_entity(name, "Organization")


def _looks_like_person(text: str, start: int, end: int) -> bool:
    """"Chad Smith", "Michael Jordan", "Mr. Israel": a country name used as a person's name."""
    before = text[max(0, start - 30) : start]
    if _TITLE_BEFORE.search(before):
        return True
    previous = before.rstrip().rsplit(None, 1)[-1] if before.strip() else ""
    following = text[end : end + 30].split(None, 1)
    next_word = following[0] if following and text[end : end + 1] == " " else ""
    sentence_start = not before.strip() or before.rstrip()[-1:] in ".!?\n"
    return bool(
        (_CAPITALISED_WORD.fullmatch(previous) and not sentence_start)
        or _CAPITALISED_WORD.fullmatch(next_word.rstrip(".,;:"))
        and next_word.rstrip(".,;:") not in ("The",)
    )


def _local_matches(text: str, local: dict[str, Entity]) -> list[_Candidate]:
    """Mentions of the short forms this document defined (acronyms, persons' surnames)."""
    if not local:
        return []
    regex = re.compile(r"(?<![\w&])" + trie_pattern(sorted(local)) + r"(?![\w&])")
    return [
        _Candidate(m.start(), m.end(), local[m.group()], 0.85, "acronym" if m.group().isupper() else "local-name", _PRIORITY["local"])
        for m in regex.finditer(text)
    ]


def _settle(candidates: list[_Candidate], original: str) -> tuple[Mention, ...]:
    """Keep the longest non-overlapping candidates (knowledge base first on ties), in text order."""
    taken = bytearray(len(original) + 1)
    kept: list[_Candidate] = []
    for c in sorted(candidates, key=lambda c: (-(c.end - c.start), -c.priority, c.start, c.entity.id)):
        if not any(taken[c.start : c.end]):
            taken[c.start : c.end] = b"\x01" * (c.end - c.start)
            kept.append(c)
    kept.sort(key=lambda c: c.start)
    return tuple(
        Mention(original[c.start : c.end], c.start, c.end, c.entity, c.confidence, c.method) for c in kept
    )
