"""Relations read from a sentence's dependency parse: who does what to whom, by grammar.

An event word of the lexicon (kg.extract.lexicon) is found among the sentence's tokens; its
arguments are read from the tree, not from distance:

- a verb's subject is its nominal subject, or the agent of a passive ("Ukraine was invaded by
  Russia"); a verb with no subject of its own takes the one of the verb it completes ("agreed
  to support X", "met and agreed") or, as a participle, the agent ("the initiative proposed by
  China"); its object is the direct or indirect object or the noun after one of its
  prepositions ("met with X", "gave X aid");
- a noun's subject is its possessor ("Russia's invasion"), a name or demonym before it
  ("Russian invasion", "US sanctions"), a "by" phrase, the subject of a light verb that takes
  it as object ("Russia launched an attack on X", "held talks with"), or of the copula
  ("X is a member of Y"); its object is the noun after one of its prepositions;
- every argument stands for its conjuncts too ("Finland and Sweden joined NATO"), and a word
  that stands for a state ("the Government of Kenya", "our country", "Russian forces") for
  the entity it names.

A symmetric predicate with two or more subjects and no object relates the subjects ("China
and Russia signed an agreement", "talks between India and Pakistan", "the China-Pakistan
partnership"). A relation under a negation, a modal, an intention, a request to others, a
condition or a question is marked negated or hedged.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from kg.extract.lexicon import Entry, Lexicon
from kg.extract.relations import MAX_PAIRED
from kg.extract.sentences import Sentence
from kg.model import Entity, Mention, Relation
from kg.vocab import entity_classes_under, relation_families, relation_signatures, symmetric_relations

Token = Any  # a spaCy Token

# Nouns that stand for the state (or body) they are "of", or that a possessor or name qualifies
# ("the Government of Kenya", "Russian forces"), and deeds that stand for their doer as the
# object of praise or blame ("we commend the role of Qatar").
_STAND_INS = frozenset(
    """government governments people authorities administration leadership regime state nation country
    forces force troops troop army military navy delegation side ministry embassy role efforts effort work
    contribution contributions commitment engagement mediation achievements dedication stewardship
    presidency election courage resilience generosity peacekeepers soldiers citizens staff""".split()
)
# Offices stand for their country only ("the President of Ghana"): the President of the General
# Assembly is a person, not the Assembly, and "Ambassador Rashad Hussain" is the ambassador.
_OFFICES = frozenset(
    """president minister prime premier chancellor king queen emir secretary chief commander head spokesperson counterpart
    leader leaders officials official diplomat diplomats representative envoy ambassador""".split()
)
_FIRST_PERSON = frozenset({"we", "i", "us", "me"})
_FIRST_PERSON_POSSESSIVES = frozenset({"our", "my"})
_SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
_NAME_MODIFIERS = frozenset({"poss", "compound", "amod", "nmod"})
_COPULAS = frozenset({"be", "become", "remain"})
_HEDGING_MODALS = frozenset({"could", "may", "might", "would", "should", "must", "shall", "ought"})
# A verb governing the event makes it intended, hoped for or asked of others, not done.
_INTENTIONS = frozenset(
    """consider plan intend hope want wish seek aim try attempt propose threaten prepare expect urge call ask
    request invite encourage appeal demand need""".split()
)
_PREVENTIONS = frozenset({"prevent", "stop", "deter", "prohibit", "ban", "avoid", "refuse", "fail", "deny", "end"})
_CONDITIONS = frozenset({"if", "unless", "whether"})
# "X said that Y attacked Z": X asserts it; "X claims that ..." also leaves it in doubt.
_REPORTING = frozenset(
    """say state announce declare report assert insist argue tell warn add note stress emphasize emphasise
    confirm reveal acknowledge""".split()
)
_DOUBTING = frozenset({"claim", "allege", "pretend", "suggest", "speculate"})
_AGENTS = entity_classes_under("Agent")
# Dependencies that keep a word inside the event's clause when walking up to its governor.
_CLAUSE_DEPS = frozenset({"xcomp", "ccomp", "dobj", "pobj", "prep", "attr", "nsubj", "nsubjpass", "pcomp", "acomp", "advcl", "acl", "relcl", "oprd", "dative", "appos"})


def structure_relations(
    doc: Any, sentence: Sentence, mentions: list[Mention], lexicon: Lexicon, speaker: Entity | None = None
) -> Iterator[Relation]:
    """Relations stated in ``sentence`` (parsed as ``doc``); ``mentions`` are those inside it."""
    reader = _Reader(doc, sentence, mentions, speaker)
    question = sentence.text.rstrip().endswith("?")
    seen: set[tuple[str, str, str]] = set()
    for token in doc:
        entry = lexicon.get(token.lemma_.lower(), token.pos_)
        if entry is None or (entry.needs and not _holds(token, entry.needs)):
            continue
        if entry.pos == "VERB":
            subjects, objects = reader.verb_arguments(token, entry)
        elif entry.pos == "ADJ":
            subjects, objects = reader.adjective_arguments(token, entry)
        else:
            subjects, objects = reader.noun_arguments(token, entry, lexicon.light_verbs)
        negated, hedged = _marks(token)
        reporter, doubted = _reporter(token)
        said_by = next((e for e in reader.subjects_of_verb(reporter) if e.type in _AGENTS), None) if reporter is not None else None
        if not objects and _has_object(token, entry):
            subjects = []  # "X and Y signed the treaty": an object, not an entity; no pair
        for subject, predicate, obj in _pairs(entry, subjects, objects):
            key = (subject.id, predicate, obj.id)
            if key in seen:
                continue
            seen.add(key)
            yield Relation(
                subject=subject, predicate=predicate, object=obj, sentence=sentence.text,
                start=sentence.start, end=sentence.end, confidence=0.8 if entry.pos == "VERB" else 0.75,
                method=f"structure:{entry.lemma}", trigger=token.text,
                negated=negated, hedged=hedged or question or doubted, asserted_by=said_by,
            )


class _Reader:
    """The entities that tokens of one parsed sentence stand for."""

    def __init__(self, doc: Any, sentence: Sentence, mentions: list[Mention], speaker: Entity | None) -> None:
        self.speaker = speaker
        self.by_token: dict[int, Entity] = {}
        innermost_first = sorted(mentions, key=lambda m: m.end - m.start)  # "Ukraine" inside "war on Ukraine"
        for token in doc:
            at = sentence.start + token.idx
            for mention in innermost_first:
                if mention.start <= at < mention.end:
                    self.by_token[token.i] = mention.entity
                    break

    def entities(self, token: Token) -> list[Entity]:
        """What ``token`` and its conjuncts stand for."""
        found: list[Entity] = []
        for item in (token, *token.conjuncts):
            for entity in self._one(item):
                if entity not in found:
                    found.append(entity)
        return found

    def _one(self, token: Token) -> list[Entity]:
        entity = self.by_token.get(token.i)
        if entity is not None:
            return [entity]
        word = token.lower_
        if self.speaker is not None and (word in _FIRST_PERSON or (word in _FIRST_PERSON_POSSESSIVES and token.dep_ == "poss")):
            return [self.speaker]
        lemma = token.lemma_.lower()
        office = lemma in _OFFICES or word in _OFFICES
        if office:  # "Ambassador at Large ... Rashad Hussain", "the Secretary, Antony Blinken": a person
            named = [t for t in token.subtree if t.i > token.i and t.pos_ == "PROPN"]
            people = [self.by_token[t.i] for t in named if t.i in self.by_token and self.by_token[t.i].type == "Person"]
            if people:
                return people[:1]
            if any(t.i not in self.by_token for t in named):
                return []
        if office or lemma in _STAND_INS or word in _STAND_INS:
            for child in token.children:
                if child.dep_ in _NAME_MODIFIERS:
                    if child.lower_ in _FIRST_PERSON_POSSESSIVES and self.speaker is not None:
                        return [self.speaker]
                    if child.i in self.by_token and (not office or self.by_token[child.i].type == "Country"):
                        return [self.by_token[child.i]]
                if child.dep_ == "prep" and child.lower_ == "of":
                    # "the courage of the Ukrainian people": the people stand for Ukraine in turn
                    named = [
                        e for g in child.children if g.dep_ == "pobj"
                        for e in self._one(g) if not office or e.type == "Country"
                    ]
                    if named:
                        return named
        if token.dep_ != "appos":
            for child in token.children:
                if child.dep_ == "appos":
                    return self._one(child)
        return []

    def _many(self, tokens: Iterable[Token]) -> list[Entity]:
        found: list[Entity] = []
        for token in tokens:
            found.extend(e for e in self.entities(token) if e not in found)
        return found

    def subjects_of_verb(self, verb: Token) -> list[Entity]:
        """The verb's own subject, or the one it inherits as a completed or co-ordinated verb."""
        if _is_passive(verb):
            return self._many(_pobjs(verb, "agent"))
        subjects = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS]
        if subjects:
            if subjects[0].lower_ in ("which", "who", "that") and verb.dep_ == "relcl":
                return self.entities(verb.head)
            found = self._many(subjects)
            if not found:  # "the Israeli strike killed ...", "Russian missiles hit ...": whose it is
                found = self._many(c for s in subjects if s.pos_ == "NOUN" for c in s.children if c.dep_ in ("poss", "amod", "compound"))
            return found
        if verb.dep_ == "pcomp" and verb.head.head.pos_ == "NOUN":  # "Jamaica's stance in condemning X"
            return self._many(c for c in verb.head.head.children if c.dep_ in _NAME_MODIFIERS)
        governor = _governing_verb(verb)
        if governor is None:
            return []
        if verb.dep_ == "pcomp" and governor == verb.head.head:  # "congratulate Cuba on reaching": Cuba reaches
            controller = [c for c in governor.children if c.dep_ == "dobj"]
            if controller:
                return self._many(controller)
        if verb.dep_ == "xcomp":  # "allow me to thank", "we urge Israel to allow": the object acts
            controller = [c for c in governor.children if c.dep_ == "dobj"]
            if controller:
                return self._many(controller)
        return self.subjects_of_verb(governor)

    def verb_arguments(self, verb: Token, entry: Entry) -> tuple[list[Entity], list[Entity]]:
        passive = _is_passive(verb)
        if entry.passive_subject:
            if not passive:
                return [], []
            subjects = [e for c in verb.children if c.dep_ == "nsubjpass" for e in self._object(c, "structural")]
            if not subjects and verb.dep_ == "acl":  # "the summit, held in Nairobi"
                subjects = self.entities(verb.head)
            return subjects, self._objects(verb, entry, passive=False)
        if verb.dep_ == "acl" and verb.tag_ == "VBN":  # "the initiative proposed by China"
            return self._many(_pobjs(verb, "agent")), self.entities(verb.head)
        subjects = self.subjects_of_verb(verb)
        if not subjects and passive and entry.speech_act and self.speaker is not None and not _pobjs(verb, "agent"):
            subjects = [self.speaker]  # "the Council is urged to act": by the speaker
        objects = self._objects(verb, entry, passive)
        if not objects:  # "we applaud and appreciate X": the object of the last conjunct
            for conjunct in (c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB"):
                objects = self._objects(conjunct, entry, _is_passive(conjunct))
        return subjects, objects

    def adjective_arguments(self, adjective: Token, entry: Entry) -> tuple[list[Entity], list[Entity]]:
        """ "We are grateful to X": the copula's subject, the adjective's preposition."""
        governor = adjective.head
        if adjective.dep_ != "acomp" or governor.lemma_.lower() not in _COPULAS:
            return [], []
        return self.subjects_of_verb(governor), self._objects(adjective, entry, passive=False)

    def _objects(self, head: Token, entry: Entry, passive: bool) -> list[Entity]:
        found: list[Entity] = []
        family = relation_families()[entry.predicates[0]]
        for slot in entry.objects:
            if slot == "dobj":
                deps = ("nsubjpass",) if passive else ("dobj",)
                tokens = [c for c in head.children if c.dep_ in deps]
            elif slot == "dative":
                tokens = [c for c in head.children if c.dep_ == "dative" and c.pos_ != "ADP"]
            elif slot == "between":
                continue
            else:
                tokens = _pobjs(head, "prep", slot)
                if not tokens and head.pos_ == "VERB":  # "stationed troops in Poland", "sent aid to Syria"
                    tokens = [g for c in head.children if c.dep_ == "dobj" for g in _pobjs(c, "prep", slot)]
            for token in tokens:
                found.extend(e for e in self._object(token, family) if e not in found)
        return found

    def _object(self, token: Token, family: str) -> list[Entity]:
        """What an object stands for: itself, else the entity that names it ("the UNHCR
        programme", "China's Belt and Road vision"), else, for acts of cooperation or conflict,
        whose it is ("rejected Venezuela's claim", "appreciate Japan's help")."""
        found = self.entities(token)
        if found or token.pos_ not in ("NOUN", "PROPN"):
            return found
        named = self._many(t for t in token.subtree if t.i < token.i and t.dep_ in ("compound", "nmod"))
        if named or family == "structural":
            return named
        # "the Japanese decision" is Japan's; "the African position" is not the continent's
        owners = ("poss", "amod") if family == "conflict" else ("poss",)
        return self._many(c for c in token.children if c.dep_ in owners)

    def noun_arguments(self, noun: Token, entry: Entry, light_verbs: frozenset[str]) -> tuple[list[Entity], list[Entity]]:
        subjects = self._many(c for c in noun.children if c.dep_ in _NAME_MODIFIERS)
        subjects += [e for e in self._many(_pobjs(noun, "prep", "by")) if e not in subjects]
        subjects += [e for e in self._many(_pobjs(noun, "prep", "from")) if e not in subjects]  # "the threat from X"
        if "of" not in entry.objects:  # "the deployment of Rwandan troops"
            subjects += [e for e in self._many(_pobjs(noun, "prep", "of")) if e not in subjects]
        objects = self._objects(noun, entry, passive=False)
        if "of" not in entry.objects:  # "a memorandum of understanding with X"
            for qualifier in _pobjs(noun, "prep", "of"):
                objects += [e for e in self._objects(qualifier, entry, passive=False) if e not in objects]
        between = self._many(_pobjs(noun, "prep", "between"))
        if "between" in entry.objects and len(between) >= 2:
            subjects += [e for e in between if e not in subjects]
        governor = noun.head
        if not subjects and noun.dep_ == "pobj" and governor.lower_ == "for" and governor.head.pos_ == "VERB" and any(
            c.dep_ == "poss" and c.pos_ == "PRON" for c in noun.children
        ):  # "thanked Greece for its support to Ukraine": its = the one thanked
            subjects = self._many(c for c in governor.head.children if c.dep_ == "dobj")
        for participle in (c for c in noun.children if c.dep_ == "acl" and c.pos_ == "VERB"):
            # "the attack carried out by Hezbollah against Israel"
            subjects += [e for e in self._many(_pobjs(participle, "agent")) if e not in subjects]
            objects += [e for e in self._objects(participle, entry, passive=False) if e not in objects]
        # "Moscow is considering an attack on X": an intended act is still the intender's (marked hedged)
        if noun.dep_ in ("dobj", "nsubjpass") and (governor.lemma_.lower() in light_verbs or governor.lemma_.lower() in _INTENTIONS):
            # "we offer our congratulations to X": the light verb holds the noun's arguments
            if not subjects:
                subjects = self.subjects_of_verb(governor) if noun.dep_ == "dobj" else self._many(_pobjs(governor, "agent"))
            objects += [e for e in self._objects(governor, entry, passive=False) if e not in objects]
        elif not subjects and noun.dep_ == "attr" and governor.lemma_.lower() in _COPULAS:
            subjects = self._many(c for c in governor.children if c.dep_ in _SUBJECT_DEPS)
        elif not subjects and noun.dep_ == "pobj" and governor.lower_ in ("as", "in") and governor.head.pos_ in ("VERB", "AUX"):
            subjects = self.subjects_of_verb(governor.head)  # "X joined as a member of Y", "built it in cooperation with Y"
        return subjects, objects


def _governing_verb(verb: Token) -> Token | None:
    """The verb whose subject ``verb`` shares: the one it completes or is co-ordinated with
    ("agreed to support", "met and agreed"), through a preposition and an adjective where it is
    their complement ("remains committed to working with", "by congratulating"), or whose
    object it is the purpose of ("took measures to increase")."""
    head = verb.head
    if verb.dep_ in ("relcl", "acl") and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        # "X is taking measures to increase support": the one taking them
        return head.head if head.dep_ == "dobj" and head.head.pos_ == "VERB" else None
    if verb.dep_ not in ("xcomp", "conj", "advcl", "pcomp") or head == verb:
        return None
    if verb.dep_ == "pcomp":  # "by congratulating": the preposition's head
        head = head.head
        if head.pos_ == "ADJ" and head.dep_ == "acomp":  # "committed to working"
            head = head.head
    return head if head.pos_ in ("VERB", "AUX") else None


def _pairs(entry: Entry, subjects: list[Entity], objects: list[Entity]) -> Iterator[tuple[Entity, str, Entity]]:
    """(subject, predicate, object) for each fitting pair; a symmetric predicate with no
    object relates its subjects to each other."""
    signatures = relation_signatures()
    symmetric = symmetric_relations()
    candidates = [(s, o) for s in subjects for o in objects if s.id != o.id]
    if not objects and len(subjects) >= 2:
        if not entry.reciprocal or len(subjects) > MAX_PAIRED:
            return
        candidates = [(a, b) for i, a in enumerate(subjects) for b in subjects[i + 1 :] if a.id != b.id]
    for subject, obj in candidates:
        for predicate in entry.predicates:
            subject_types, object_types = signatures[predicate]
            if subject.type in subject_types and obj.type in object_types:
                if predicate in symmetric and obj.id < subject.id:
                    subject, obj = obj, subject
                yield subject, predicate, obj
                break


def _pobjs(head: Token, dep: str, word: str | None = None) -> list[Token]:
    """The nouns of ``head``'s prepositional (or agent) phrases, optionally of one preposition;
    the parser labels "to" before a recipient a dative ("sent aid to Syria")."""
    deps = (dep, "dative") if dep == "prep" else (dep,)
    return [
        g
        for c in head.children
        if c.dep_ in deps and (word is None or c.lower_ == word)
        for g in c.children
        if g.dep_ == "pobj"
    ]


def _has_object(token: Token, entry: Entry) -> bool:
    """Whether any of the entry's object slots holds a word, entity or not."""
    for child in token.children:
        if child.dep_ in entry.objects or (child.dep_ == "prep" and child.lower_ in entry.objects and child.lower_ != "between"):
            return True
    return False


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def _holds(token: Token, lemmas: frozenset[str]) -> bool:
    clause = token if token.pos_ == "VERB" else token.head
    return any(t.lemma_.lower() in lemmas for t in clause.subtree)


def _marks(token: Token) -> tuple[bool, bool]:
    """(negated, hedged) for the event at ``token``, from the words that govern its clause."""
    negated = hedged = False
    current = token
    while True:
        for child in current.children:
            if child.dep_ == "neg":
                negated = True
            elif child.dep_ == "aux" and child.tag_ == "MD" and child.lower_ in _HEDGING_MODALS:
                hedged = hedged or not _would_like(current)
            elif child.dep_ == "aux" and child.lower_ in ("will", "'ll") and token.pos_ == "NOUN":
                hedged = True  # "X's admission to Y will be crucial": a named event still to come
            elif child.dep_ == "mark" and child.lower_ in _CONDITIONS:
                hedged = True
        if current != token:
            lemma = current.lemma_.lower()
            if lemma in _PREVENTIONS:
                negated = True
            elif lemma in _INTENTIONS and current.pos_ == "VERB":
                hedged = True
        if current.dep_ not in _CLAUSE_DEPS or current.head == current:
            return negated, hedged
        current = current.head


def _reporter(token: Token) -> tuple[Token | None, bool]:
    """The verb of saying whose reported clause holds the event ("Egypt said that Israel
    attacked ..."), and whether it doubts it ("claimed that")."""
    current = token
    while current.dep_ in _CLAUSE_DEPS and current.head != current:
        if current.dep_ == "ccomp":
            lemma = current.head.lemma_.lower()
            if lemma in _REPORTING or lemma in _DOUBTING:
                return current.head, lemma in _DOUBTING
        current = current.head
    return None, False


def _would_like(verb: Token) -> bool:
    """ "I would like to propose": a polite present, not a hypothetical."""
    return verb.lemma_.lower() in ("like", "love")
