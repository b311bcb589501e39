"""The extractor: a Document in, an Extraction (mentions and relations with evidence) out.

1. Knowledge-base names are matched in the text (gazetteer); ambiguous ones ("Georgia",
   "Chad") are kept only when the context does not make them a person's name or another
   entity mentioned in the document.
2. Acronyms the document defines ("Bharatiya Janata Party (BJP)") and names found by pattern
   ("President Xi Jinping", "Article 370") add entities outside the knowledge base; their
   short forms are then matched in the rest of the document.
3. The statistical recogniser (recognizer.py) adds the names spaCy's entity model finds where
   neither the knowledge base nor a pattern does; the knowledge base keeps its own names.
   One person is one entity in a document: "Trump" after "Donald Trump" is him.
4. Overlapping candidates are settled longest first, knowledge-base readings before patterns.
5. Each sentence yields relations from trigger words and from what the knowledge base knows
   of the entities it names together.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from kg.extract import RELATION_FINDERS
from kg.extract.acronyms import find_definitions
from kg.extract.gazetteer import Gazetteer, Hit, fold, normalize
from kg.extract.kb import KnowledgeBase, SurfaceForm, slugify
from kg.extract.lexicon import load_lexicon
from kg.extract.lists import Lists
from kg.extract.names import LEADING_WORDS, Name, find_names, head_type, label
from kg.extract.parse import Parser
from kg.extract.recognizer import Recognized, Recognizer, has_body_word, people_by_surname, same_people
from kg.extract.relations import find_relations, known_relations, listed_members, placed_in
from kg.extract.structure import structure_relations
from kg.extract.triggers import find_triggers, lower_case
from kg.extract.sentences import Sentence, split_sentences
from kg.extract.trie import trie_pattern
from kg.model import SEGMENTS, Document, Entity, Extraction, Mention, Relation
from kg.vocab import symmetric_relations

CONFIDENCE = {"name": 0.95, "alias": 0.9, "acronym": 0.9, "demonym": 0.75, "capital": 0.7, "seat": 0.8}


def relation_component(method: str) -> str:
    """Which of RELATION_FINDERS a relation's method names ("structure:invade" -> "structure")."""
    if method.startswith("structure:"):
        return "structure"
    if method in ("pattern:members-listed", "pattern:place-country"):
        return "lists"
    if method.startswith("kb:"):
        return "known"
    return "triggers"

_PRIORITY = {"kb": 3, "local": 3, "pattern": 2, "weak": 1, "ner": 1}
# A capital stands for its government when it acts or speaks: "Moscow said", "Beijing's position";
# "a meeting in Addis Ababa" is a place.
_VERBS = (
    r"has|have|had|is|are|was|were|says|said|will|would|wants|want|insists|insisted|claims|claimed|announced|"
    r"decided|continues|continued|refuses|refused|rejected|responded|must|should|can|cannot|could|may|might|"
    r"did|does|do|appears|appear|appeared|seems|seem|seemed|believes|believe|knows|know|sees|see|views|"
    r"considers|accused|accuses|demanded|demands|imposed|insist|threatened|threatens|tries|tried|repudiated"
)
_GOVERNMENT_VERB = re.compile(
    rf"^(?:['’]s\b|\s+(?:(?:{_VERBS})|and\s+[A-Z][\w-]+\s+(?:{_VERBS})|(?:\w+ly)\s+(?:{_VERBS}))\b)"
)
_LANGUAGE = re.compile(r"^-speaking\b")
# Organizations whose name says they are intergovernmental.
_INTERGOVERNMENTAL = re.compile(
    r"\b(?:International|United Nations|UN|World|Intergovernmental|Inter-American|Pan American|Multinational|"
    r"Regional|African|European|Asian|Caribbean|Arab|Islamic|Pacific|Commonwealth)\b|\b(?:Mission|Task Force)\b"
)
# A name found by pattern ends before a preposition that introduces a known name: the known
# name is a second entity, not part of the first ("the Fund of Kenya").
_OF_TAIL = re.compile(r"\s+(?:of|on|for|against|to|in)\s+(?:the\s+)?")
# The preposition that opens a qualifier after a name: "Paris Agreement on Climate Change".
_QUALIFIER = re.compile(r"\s+(?:on|of|for)\s+")
# Names whose known tail is part of them: "anniversary of the United Nations", "war in Ukraine".
_WHOLE_NAMES = frozenset({"pattern:anniversary", "pattern:war", "pattern:numbered"})
_PLACE_NAMES = frozenset({"pattern:anniversary", "pattern:war"})  # a country inside is named too
_NOT_SURNAMES = frozenset("First Second Third Last Today Now".split())  # "America First"
_AGENT_BEFORE = re.compile(r"\b(?:by|between)\s+$")  # "an occupation imposed by Moscow"
_PLACE_BEFORE = re.compile(r"\b(?:in|at|near|outside|around|held in|hosted in)\s+$")  # "a meeting in Juba"
# A seat of government stands for it ("the Kremlin denied", "White House officials") unless named
# as the place where something happens ("a dinner at the White House").
_SEAT_PLACE_BEFORE = re.compile(r"\b(?:in|at|near|outside|around|inside)\s+(?:the\s+)?$", re.IGNORECASE)
_TITLE_BEFORE = re.compile(r"(?:Mr|Mrs|Ms|Dr|President|King|Queen|Prince|Minister|Sheikh|Ambassador)\.?\s+$")
_CAPITALISED_WORD = re.compile(r"[A-Z][a-z]+")
_FIRST_PERSON = re.compile(r"\b(?:[Ww]e|[Oo]ur|[Uu]s|I|[Mm]y|[Mm]e)\b")


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

    def __init__(
        self, kb: KnowledgeBase, relations: tuple[str, ...] = RELATION_FINDERS, parser: Parser | None = None,
        ner: bool = True,
    ) -> None:
        """``ner=False`` leaves the statistical recogniser out (knowledge base and patterns only)."""
        self.kb = kb
        self.relation_finders = relations
        self._symmetric = symmetric_relations()
        self.lexicon = load_lexicon()
        self.parser = parser or Parser()
        self.recognizer = Recognizer(self.parser) if ner else None
        self.gazetteer = Gazetteer((*kb.forms, *_plural_demonyms(kb.forms), *_lower_case_events(kb)))
        self._part_of: dict[str, tuple[str, ...]] = {}
        for fact in kb.facts:
            if fact.predicate == "partOf":
                self._part_of[fact.subject] = (*self._part_of.get(fact.subject, ()), fact.object)
        self._forms_by_text = {normalize(f.text): f for f in kb.forms if not f.ambiguous}
        self._known = {(f.subject, f.object): f.predicate for f in kb.facts if f.predicate == "proposes"}

    def extract(self, document: Document) -> Extraction:
        text = normalize(document.text)
        speaker = self._speaker(document.speaker_iso3)
        hits = list(self.gazetteer.find(text))
        certain = {f.entity_id for h in hits for f in h.forms if not f.ambiguous and f.kind not in ("capital", "seat")}
        if speaker is not None:
            certain.add(speaker.id)
        publisher = self._publisher(document.publisher)
        if publisher is not None:  # a UN document's "the Assembly" is the UN's General Assembly
            certain |= {part for part, parents in self._part_of.items() if publisher.id in parents}
        lists = Lists(hits, text, self._readings)
        candidates = [c for i in range(len(hits)) if (c := self._read_hit(hits, i, text, certain, lists)) is not None]
        local: dict[str, Entity] = {}
        candidates += self._defined_acronyms(text, local)
        candidates += self._pattern_names(text, local)
        if self.recognizer is not None:
            candidates += self._recognized(text, hits, document.type)
        candidates = self._one_person_each(candidates, local)
        found = {(c.start, c.end, c.entity.id) for c in candidates}  # a name keeps the finder that found it
        candidates += [c for c in _local_matches(text, local) if (c.start, c.end, c.entity.id) not in found]
        mentions = _settle(candidates, document.text)
        return Extraction(
            document=document,
            mentions=mentions,
            relations=self._relations(document.text, mentions, speaker),
            publisher=publisher,
            speaker=speaker,
        )

    def _read_hit(self, hits: list[Hit], index: int, text: str, certain: set[str], lists: Lists) -> _Candidate | None:
        """The one reading of a knowledge-base match, or None when it stays ambiguous.

        An ambiguous name is read by, in turn: what the document names in full ("the Union"
        after "the European Union"), a person's name around it ("Michael Jordan": none), the
        entities the document names unambiguously or speaks for, the names listed with it
        ("Florida and Georgia"), and last its country reading.
        """
        hit = hits[index]
        fitting = [f for f in hit.forms if self._fits_context(f, text, hit.start, hit.end)]
        plain = [f for f in fitting if not f.ambiguous]
        if plain:
            form = plain[0]
            weak = form.kind in ("demonym", "capital", "seat")
            return _Candidate(
                hit.start, hit.end, self.kb.get(form.entity_id), CONFIDENCE[form.kind],
                f"gazetteer:{form.kind}", _PRIORITY["weak" if weak else "kb"],
            )
        if not fitting:
            return self._city(hit, text)
        entities = sorted({f.entity_id for f in fitting})
        if any(f.text[:4] in ("the ", "this") for f in fitting):  # "the Union", "the Assembly"
            known = [e for e in entities if e in certain]
            return self._ambiguous(hit, known[0], 0.7, "gazetteer:context") if len(known) == 1 else None
        names = [f for f in fitting if f.kind in ("name", "alias", "acronym")]
        if names and _looks_like_person(text, hit.start, hit.end):
            return None
        chosen = (
            _only([e for e in entities if e in certain])
            or self._by_neighbours(hits[index], text, entities, lists.listed_with(index))
            or _only(sorted({f.entity_id for f in fitting if f.kind != "demonym" and self.kb.get(f.entity_id).type == "Country"}))
        )
        return self._ambiguous(hit, chosen, 0.6, "gazetteer:ambiguous") if chosen else None

    def _city(self, hit: Hit, text: str) -> _Candidate | None:
        """A capital named as a place ("a meeting in Addis Ababa"): the city, a Place."""
        if not all(f.kind == "capital" for f in hit.forms) or not _PLACE_BEFORE.search(text[max(0, hit.start - 12) : hit.start]):
            return None
        found = new_entity(text[hit.start : hit.end], "Place")
        city = self.kb.entities.get(found.id, found)
        return _Candidate(hit.start, hit.end, city, CONFIDENCE["capital"], "gazetteer:capital-place", _PRIORITY["weak"])

    def _ambiguous(self, hit: Hit, entity_id: str, confidence: float, method: str) -> _Candidate:
        return _Candidate(hit.start, hit.end, self.kb.get(entity_id), confidence, method, _PRIORITY["weak"])

    def _by_neighbours(self, hit: Hit, text: str, entities: list[str], listed: Counter[str]) -> str | None:
        """The reading whose type the names listed with it share: "Europe, Asia, Africa, America"
        (regions), "from Florida and Georgia" (US states); "our America" is a region. ``listed``
        counts the types of what the names listed with it name without doubt, and what those are
        part of."""
        types = {entity_id: self.kb.get(entity_id).type for entity_id in entities}
        if re.search(r"\b[Oo]ur\s+$", text[max(0, hit.start - 6) : hit.start]):
            regions = [e for e, t in types.items() if t == "Region"]
            return _only(regions)
        if not listed:
            return None
        scored = {e: listed[types[e]] + sum(listed[p] for p in self._part_of.get(e, ())) for e in entities}
        best = max(scored.values())
        return _only([e for e, score in scored.items() if score == best]) if best else None

    def _readings(self, hit: Hit) -> Counter[str]:
        """The types of what a match names without doubt, and what those are part of."""
        counts: Counter[str] = Counter()
        for form in hit.forms:
            if not form.ambiguous:
                entity = self.kb.get(form.entity_id)
                counts[entity.type] += 1
                for fact in self._part_of.get(entity.id, ()):
                    counts[fact] += 1
        return counts

    @staticmethod
    def _fits_context(form: SurfaceForm, text: str, start: int, end: int) -> bool:
        """Capitals only where they stand for a government, seats unless named as a place;
        demonyms not for languages."""
        following = text[end : end + 60]
        if form.kind == "capital":
            return bool(_GOVERNMENT_VERB.match(following) or _AGENT_BEFORE.search(text[max(0, start - 12) : start]))
        if form.kind == "seat":
            return not _SEAT_PLACE_BEFORE.search(text[max(0, start - 16) : start])
        if form.kind == "demonym":
            return not _LANGUAGE.match(following)
        return True

    def _known_entity(self, name: str) -> Entity | None:
        form = self._forms_by_text.get(normalize(name))
        return self.kb.get(form.entity_id) if form is not None and form.kind != "demonym" else None

    def _entity(self, name: str, type_: str, aliases: tuple[str, ...] = ()) -> Entity:
        """The knowledge-base entity of this name, or of this id once spelled differently
        ("Treaty on The Prohibition ..."), else a new entity found in the text."""
        if type_ == "Organization" and _INTERGOVERNMENTAL.search(name) and not self._national(name):
            type_ = "InternationalOrganization"
        found = new_entity(name, type_, aliases)
        return self._known_entity(name) or self.kb.entities.get(found.id) or self._known_prefix(name, type_) or found

    def _national(self, name: str) -> bool:
        """Whether a name opens with a country's name or demonym: "Japan International
        Cooperation Agency" and "South Sudan Islamic Council" are national bodies."""
        words = name.split()
        for size in (3, 2, 1):
            form = self._forms_by_text.get(normalize(" ".join(words[:size])))
            if form is not None and self.kb.get(form.entity_id).type == "Country":
                return True
        return False

    def _known_prefix(self, name: str, type_: str) -> Entity | None:
        """The knowledge-base entity a longer form names: "Paris Agreement on Climate Change" is
        the Paris Agreement, a known name of two words or more, of the same kind, then "on …"."""
        for qualifier in _QUALIFIER.finditer(name):
            known = self._known_entity(name[: qualifier.start()])
            if known is not None and len(name[: qualifier.start()].split()) > 1 and _same_kind(known.type, type_):
                return known
        return None

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
        for name in filter(None, (self._cut_known_tail(n, text) for n in find_names(text))):
            entity = self._entity(name.text, name.type)
            found.append(_Candidate(name.start, name.end, entity, 0.7, name.method, _PRIORITY["pattern"]))
        return found

    def _recognized(self, text: str, hits: list[Hit], document_type: str) -> list[_Candidate]:
        """The statistical recogniser's names, fused with the knowledge base: a name the
        gazetteer matched, or one crossing a knowledge-base name, is the knowledge base's to
        read; a person's name never holds a knowledge-base name ("Hamas Chief"). In a speech
        only people are taken: its ceremonial capitals ("Fellow Delegates", "the
        Organization") cost more than the few bodies the model finds there."""
        assert self.recognizer is not None
        covered = bytearray(len(text) + 1)
        strong = bytearray(len(text) + 1)  # names the knowledge base lists without doubt
        for hit in hits:
            covered[hit.start : hit.end] = b"\x01" * (hit.end - hit.start)
            if any(not f.ambiguous and f.kind in ("name", "alias", "acronym") for f in hit.forms):
                strong[hit.start : hit.end] = b"\x01" * (hit.end - hit.start)
        spans = {(h.start, h.end) for h in hits}
        starts, ends = {s for s, _ in spans}, {e for _, e in spans}
        found = []
        for name in self.recognizer.find(text, split_sentences(text), covered):
            if (name.start, name.end) in spans or name.name in self.gazetteer:
                continue
            if document_type == "Speech" and name.type != "Person":
                continue
            if (covered[name.start] and name.start not in starts) or (covered[name.end - 1] and name.end not in ends):
                continue  # crosses a knowledge-base name
            if strong.find(1, name.start, name.end) >= 0 and (name.type == "Person" or not has_body_word(name.name)):
                continue  # "the Shanghai Five": the known city stays; "U.S. Geological Survey" is a body
            if any(name.start <= s < e <= name.end and "-" in (text[s - 1 : s], text[e : e + 1]) for s, e in spans):
                continue  # "China-Russia Partnership", "U.S.-Philippines": a pair of known names
            entity = self._recognized_entity(name)
            if entity is not None:
                found.append(_Candidate(name.start, name.end, entity, 0.6, name.method, _PRIORITY["ner"]))
        return found

    def _recognized_entity(self, name: Recognized) -> Entity | None:
        """The knowledge base's entity of a recognised name when it knows it (by any spelling),
        else a new entity with a stable id."""
        if name.entity_id is not None:
            return self.kb.entities.get(name.entity_id)
        known = self.kb.find(name.name)
        if known is not None:
            return known
        found = new_entity(name.name, name.type)
        return self.kb.entities.get(found.id, found)

    def _one_person_each(self, candidates: list[_Candidate], local: dict[str, Entity]) -> list[_Candidate]:
        """One entity per person in the document: "Antony Blinken" is "Antony J. Blinken"; a
        surname alone ("Trump") is the one person named in full with it, and is dropped when
        two are ("Donald Trump", "Ivanka Trump") or none (the model's "Carter"). Full names and surnames are then matched
        wherever the document repeats them."""
        people = {c.entity.id: c.entity for c in candidates if c.entity.type == "Person" and not c.entity.in_kb}
        merged = dict(same_people((e.label, i) for i, e in people.items()))
        full = [(e.label, i) for i, e in people.items() if i not in merged]
        surnames = people_by_surname(full)
        kept = []
        for c in candidates:
            entity = c.entity
            if entity.id in merged:
                entity = people[merged[entity.id]]
            elif entity.id in people and len(entity.label.split()) == 1:
                owner = surnames.get(entity.label)
                if owner is None and c.method.startswith("ner:"):
                    continue  # a surname two people share, or a name the model found alone ("Carter")
                entity = people[owner] if owner else entity
            kept.append(c if entity is c.entity else replace(c, entity=entity))
        for name, entity_id in full:
            if len(name.split()) > 1:
                local.setdefault(name, people[entity_id])
        for surname, entity_id in surnames.items():
            if entity_id is not None and len(surname) > 3 and surname not in self.gazetteer:
                local.setdefault(surname, people[entity_id])
        return kept

    def _cut_known_tail(self, name: Name, text: str) -> Name | None:
        """Cut "X of the Y" before "of" when Y is a known name: keep X if it still has a head
        word or is a known name itself, else drop it ("Reform of the Security Council")."""
        if name.method in _WHOLE_NAMES:
            return name
        spelled = text[name.start : name.end]  # as written, so that offsets stay exact
        for tail in reversed(list(_OF_TAIL.finditer(spelled))):
            rest = label(spelled[tail.end() :])
            head = label(spelled[: tail.start()])
            if rest in self.gazetteer:
                known = self._known_entity(rest)
                if tail.group().strip() == "of" and known is not None and known.type in ("Country", "Region"):
                    return name  # "Church of Scotland", "Senate of Côte d'Ivoire": the place names the body
                if head_type(head) is not None or head in self.gazetteer:
                    return replace(name, end=name.start + tail.start(), text=head)
                return None
        return name

    def _relations(self, text: str, mentions: tuple[Mention, ...], speaker: Entity | None) -> tuple[Relation, ...]:
        starts = [m.start for m in mentions]
        lower = lower_case(text).replace("\n", " ")  # a trigger may run across a wrapped line; offsets stay
        relations: list[Relation] = []
        seen: set[tuple[tuple[str, str], str, int]] = set()
        to_parse: list[tuple[Sentence, list[Mention]]] = []
        finders = self.relation_finders
        found: list[Relation] = []
        for sentence in split_sentences(text):
            inside = list(mentions[bisect_left(starts, sentence.start) : bisect_left(starts, sentence.end)])
            if len(inside) + (speaker is not None) < 2:
                continue
            if "structure" in finders and self._worth_parsing(sentence.text, inside, speaker):
                to_parse.append((sentence, inside))
            if "triggers" in finders:
                found += find_relations(sentence, inside, find_triggers(text, lower, sentence.start, sentence.end), speaker)
            if "lists" in finders:
                found += listed_members(sentence, inside)
                found += placed_in(sentence, inside)
            if "known" in finders:
                found += known_relations(sentence, inside, self._known)
        parsed: list[Relation] = []  # first, so that a relation both find keeps the parse's reading
        if to_parse:
            for (sentence, inside), doc in zip(to_parse, self.parser.parse(s.text for s, _ in to_parse)):
                parsed += structure_relations(doc, sentence, inside, self.lexicon, speaker)
        for relation in sorted(parsed + found, key=lambda r: r.start):
            pair = (relation.subject.id, relation.object.id)
            if relation.predicate in self._symmetric:
                pair = tuple(sorted(pair))
            key = (pair, relation.predicate, relation.start)
            if key not in seen:
                seen.add(key)
                relations.append(relation)
        return tuple(relations)

    def _worth_parsing(self, text: str, inside: list[Mention], speaker: Entity | None) -> bool:
        """Whether a sentence can state a relation the parse would read: an event word, and two
        entities, or one and the speaker's "we", "our", "I" or "my"."""
        if not self.lexicon.prefilter.search(text):
            return False
        return len({m.entity.id for m in inside}) >= 2 or (speaker is not None and bool(_FIRST_PERSON.search(text)))

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
    """"Chad Smith", "Michael Jordan", "Mr. Israel": a country's name used as a person's name."""
    before = text[max(0, start - 30) : start]
    if _TITLE_BEFORE.search(before):
        return True
    previous = before.rstrip().rsplit(None, 1)[-1] if before.strip() else ""
    next_word = text[end : end + 30].split(None, 1)[0].rstrip(".,;:") if text[end : end + 1] == " " else ""
    return bool(
        (_CAPITALISED_WORD.fullmatch(previous) and previous not in LEADING_WORDS)
        or (_CAPITALISED_WORD.fullmatch(next_word) and next_word not in LEADING_WORDS | _NOT_SURNAMES)
    )


def _same_kind(a: str, b: str) -> bool:
    """Types a pattern may confuse: an agenda or framework can be an instrument or an initiative."""
    return a == b or {a, b} <= {"LegalInstrument", "Initiative"}


def _only(items: list[str]) -> str | None:
    return items[0] if len(items) == 1 else None


def _plural_demonyms(forms: Iterable[SurfaceForm]) -> list[SurfaceForm]:
    """ "Georgians", "Dominicans": the people, for the demonyms that take an -s."""
    return [replace(f, text=f.text + "s") for f in forms if f.kind == "demonym" and f.text.endswith("n")]


def _lower_case_events(kb: KnowledgeBase) -> list[SurfaceForm]:
    """ "the Korean war", "the cold war": event names whose words after the first go lower-case."""
    variants = []
    for form in kb.forms:
        head, _, rest = form.text.partition(" ")
        if rest and kb.get(form.entity_id).type == "Event" and rest.lower() != rest:
            variants.append(replace(form, text=f"{head} {rest.lower()}"))
    return variants


def _local_matches(text: str, local: dict[str, Entity]) -> list[_Candidate]:
    """Mentions of the short forms this document defined (acronyms, persons' surnames)."""
    if not local:
        return []
    regex = re.compile(r"(?<![\w&])" + trie_pattern(sorted(local)) + r"(?![\w&])")
    return [
        _Candidate(m.start(), m.end(), local[fold(m.group())], 0.85, "acronym" if m.group().isupper() else "local-name", _PRIORITY["local"])
        for m in regex.finditer(text)
    ]


def _settle(candidates: list[_Candidate], original: str) -> tuple[Mention, ...]:
    """Keep the longest non-overlapping candidates (knowledge base first on ties), in text order.

    A knowledge-base name inside a longer name found by pattern is kept too: "World Trade
    Organization Agreement on Fisheries Subsidies" names the agreement and the WTO, unless it
    overlaps a name already kept that was not found by pattern. A country or city inside a name
    ("Istanbul Declaration", "Fourth Geneva Convention") is part of the name, not a mention.

    Each span is marked in a character map of the text, so settling costs the candidates'
    total length, not the number of candidates times the number kept (candidates are never
    empty: every finder matches at least one character).
    """
    taken = bytearray(len(original) + 1)
    by_pattern = bytearray(len(original) + 1)
    by_place = bytearray(len(original) + 1)  # names that hold a place: "war in Ukraine"; "Senate of Chad" too
    held = bytearray(len(original) + 1)  # names kept that were not found by pattern, nested ones included
    kept: list[_Candidate] = []
    for c in sorted(candidates, key=lambda c: (-(c.end - c.start), -c.priority, c.start, c.entity.id)):
        if not _any(taken, c):
            _mark(taken, c)
            kept.append(c)
            _mark(by_pattern if c.method.startswith(("pattern:", "ner:")) else held, c)
            if c.method in _PLACE_NAMES:
                _mark(by_place, c)
        elif (
            c.priority == _PRIORITY["kb"]
            and (c.entity.type not in ("Country", "Place") or _all(by_place, c) or original[max(0, c.start - 3) : c.start] == "of ")
            and _all(by_pattern, c) and not _any(held, c)
        ):
            kept.append(replace(c, method=c.method + ":nested"))
            _mark(held, c)
    kept.sort(key=lambda c: c.start)
    return tuple(
        Mention(original[c.start : c.end], c.start, c.end, c.entity, c.confidence, c.method) for c in kept
    )


def _mark(chars: bytearray, c: _Candidate) -> None:
    chars[c.start : c.end] = b"\x01" * (c.end - c.start)


def _any(chars: bytearray, c: _Candidate) -> bool:
    return chars.find(1, c.start, c.end) >= 0


def _all(chars: bytearray, c: _Candidate) -> bool:
    return chars.find(0, c.start, c.end) < 0
