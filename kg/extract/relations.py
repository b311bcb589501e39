"""Typed relations between the entities of one sentence, found by trigger words.

A trigger ("partnership with", "challenger to", "proposed by") names a predicate and says where
its arguments stand:

- ``right``: the subject is the nearest fitting entity before the trigger (with the entities
  co-ordinated with it: "China and Russia"), the object the nearest fitting one after it;
- ``passive``: "proposed by X": X is the subject, the nearest fitting entity before is the object;
- ``between``: "partnership between X and Y";
- ``pair``: the co-ordinated entities before the trigger relate to each other
  ("China and Russia maintain a strategic partnership", "the China-Russia Partnership").

Each predicate constrains the types of its subject and object. A trigger closely preceded by
a negation ("does not support") gives no relation. In a speech, "I", "we" or "my country"
before the trigger stand for the speaker's country.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kg.extract.sentences import Sentence
from kg.model import Entity, Mention, Relation

AGENTS = frozenset({"Country", "InternationalOrganization", "PoliticalParty", "Organization", "Person"})
ACTORS = AGENTS | {"Region"}
ANY = ACTORS | {"Initiative", "Event", "LegalInstrument"}

# predicate -> (subject types, object types)
SIGNATURES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "partnerOf": (ACTORS, ACTORS),
    "cooperatesWith": (ACTORS, ACTORS),
    "supports": (ACTORS, ANY - {"Event"}),
    "rivalOf": (ACTORS, ACTORS),
    "opposes": (ACTORS, ANY),
    "proposes": (AGENTS, frozenset({"Initiative"})),
    "memberOf": (frozenset({"Country", "Organization", "InternationalOrganization"}), frozenset({"InternationalOrganization"})),
    "partOf": (frozenset({"Region", "Country"}), frozenset({"Region", "Country"})),
    "locatedIn": (frozenset({"Region", "Event", "Organization"}), frozenset({"Country", "Region"})),
    "presentIn": (AGENTS, frozenset({"Region", "Country"})),
}
SYMMETRIC = frozenset({"partnerOf", "cooperatesWith", "rivalOf"})


@dataclass(frozen=True)
class Trigger:
    predicate: str
    pattern: re.Pattern[str]
    form: str  # "right", "passive", "between" or "pair"
    confidence: float
    name: str


def _trigger(predicate: str, form: str, confidence: float, name: str, words: str) -> Trigger:
    passive_next = r"(?!\s+by\b)" if form == "right" else ""  # "invaded by" is not "invaded"
    return Trigger(predicate, re.compile(rf"\b(?:{words})\b{passive_next}"), form, confidence, name)


TRIGGERS = (
    _trigger("partnerOf", "right", 0.8, "partnership", r"(?:strategic |comprehensive |special |close )?partner(?:ship)?s? (?:with|of)|all(?:y|ies) of|allied with|alliance with"),
    _trigger("partnerOf", "between", 0.8, "partnership", r"partnership between|alliance between"),
    _trigger("partnerOf", "pair", 0.75, "partnership", r"partnerships?|partners|allies|alliance"),
    _trigger("cooperatesWith", "right", 0.75, "cooperation", r"(?:cooperat|collaborat)(?:e|es|ed|ing|ion)(?: \w+){0,2}? with|work(?:s|ed|ing)? (?:closely |together )?with|pivot(?:s|ed|ing)? to(?:wards?)?|engagement with"),
    _trigger("cooperatesWith", "between", 0.75, "cooperation", r"cooperation between|collaboration between"),
    _trigger("cooperatesWith", "pair", 0.7, "cooperation", r"cooperat(?:e|ed|ing)"),
    _trigger("supports", "right", 0.7, "support", r"support(?:s|ed|ing)?|(?:in )?support (?:of|for)|back(?:s|ed|ing)|endors(?:e|es|ed|ing)|welcom(?:e|es|ed|ing)|commend(?:s|ed|ing)?|champion(?:s|ed|ing)?|join(?:s|ed|ing)?|participat(?:e|es|ed|ing|ion) in|signed up to"),
    _trigger("supports", "passive", 0.7, "support", r"supported by|backed by|endorsed by"),
    _trigger("rivalOf", "right", 0.8, "rivalry", r"(?:main |chief |principal |strategic )?(?:challenger|rival|competitor)s? (?:to|of)|rivalry with|compet(?:e|es|ed|ing|ition) with|challeng(?:e|es|ed|ing)|confront(?:s|ed|ing|ation with)?"),
    _trigger("rivalOf", "between", 0.8, "rivalry", r"(?:rivalry|competition|confrontation|tensions?) between"),
    _trigger("rivalOf", "pair", 0.7, "rivalry", r"rivals|rivalry"),
    _trigger("opposes", "right", 0.75, "opposition", r"oppos(?:e|es|ed|ing)|opposition to|against|condemn(?:s|ed|ing)?|reject(?:s|ed|ing)?|denounc(?:e|es|ed|ing)|sanction(?:s|ed|ing)?|invasion of|invad(?:e|es|ed|ing)|attack(?:s|ed|ing)? on"),
    _trigger("opposes", "passive", 0.75, "opposition", r"opposed by|condemned by|rejected by|sanctioned by|invaded by|attacked by"),
    _trigger("proposes", "right", 0.8, "proposal", r"propos(?:e|es|ed|ing|al of)|put(?:s|ting)? forward|launch(?:es|ed|ing)?|unveil(?:s|ed|ing)?|initiat(?:e|es|ed|ing)|introduc(?:e|es|ed|ing)|lead(?:s|ing)?|spearhead(?:s|ed|ing)?"),
    _trigger("proposes", "passive", 0.8, "proposal", r"proposed by|launched by|put forward by|initiated by|introduced by|led by|spearheaded by"),
    _trigger("memberOf", "right", 0.8, "membership", r"members?(?: states?| countr(?:y|ies))? (?:of|in)|membership (?:of|in)|join(?:s|ed|ing)?|accession to|acceded to|admitted to|admission to"),
    _trigger("partOf", "right", 0.7, "part", r"(?:an? |integral )?part of"),
    _trigger("locatedIn", "right", 0.7, "location", r"located in|situated in|in the heart of"),
    _trigger("presentIn", "right", 0.7, "presence", r"presence in|present in|deployed (?:to|in)|stationed in|troops in|bases? in|contributions? to"),
)

_NEGATION = re.compile(r"\b(?:not|never|no longer|neither|nor|cannot|n't)\b\W*(?:\w+\W+){0,2}$", re.IGNORECASE)
_COORDINATION = re.compile(r"^(?:\s*(?:,|and|&|or|as well as|-|–|/)\s*)+(?:the\s+)?(?:new\s+)?$", re.IGNORECASE)
# "I", "we" or "my country" as the subject of a clause; "the capital of my country" is not one.
_FIRST_PERSON = re.compile(
    r"\b(?:I|[Ww]e)\b|(?<!\bof )(?<!\bto )(?<!\bin )(?<!\bfor )(?<!\bagainst )(?<!\bwith )(?<!\bon )(?<!\bfrom )(?<!\bby )"
    r"\b(?:[Mm]y|[Oo]ur) (?:country|Government|delegation|nation)\b"
)
_CLAUSE_BREAK = re.compile(r"[;:]|\bbut\b|\bwhile\b|\bwhereas\b")
_MAX_GAP = 120  # characters between a subject and its trigger
_MAX_OBJECT_GAP = 60  # characters between a trigger and its object
_OBJECT_GAP_BREAK = re.compile(r"\b(?:to|that|which|who|whose|because|if|when|where|by)\b|[,;:]")


@dataclass(frozen=True)
class TriggerMatch:
    trigger: Trigger
    start: int
    end: int
    words: str


_ANY_TRIGGER = re.compile("|".join(f"(?:{t.pattern.pattern})" for t in TRIGGERS))


def find_triggers(text: str) -> list[TriggerMatch]:
    """Every trigger in a document, in text order.

    Triggers are lower-case patterns matched on the lower-cased text. One scan finds where
    any trigger starts; only there is each trigger tried, since several may start at one place.
    """
    lower = text.lower()
    if len(lower) != len(text):  # a few characters change length when lower-cased
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    found = []
    position = 0
    while (hit := _ANY_TRIGGER.search(lower, position)) is not None:
        for trigger in TRIGGERS:
            if (m := trigger.pattern.match(lower, hit.start())) is not None:
                found.append(TriggerMatch(trigger, m.start(), m.end(), text[m.start() : m.end()]))
        position = hit.start() + 1
    return found


def find_relations(
    sentence: Sentence,
    mentions: list[Mention],
    triggers: list[TriggerMatch],
    speaker: Entity | None = None,
) -> Iterator[Relation]:
    """Relations stated in ``sentence``; ``mentions`` and ``triggers`` are those inside it."""
    if len(mentions) + (speaker is not None) < 2:
        return
    text = sentence.text
    seen: set[tuple[str, str, str]] = set()
    for match in triggers:
        trigger, start, end = match.trigger, match.start, match.end
        if _inside_mention(start, end, mentions) or _NEGATION.search(text[: start - sentence.start]):
            continue
        for subject, obj in _arguments(trigger, start, end, sentence, mentions, speaker):
            key = _key(trigger.predicate, subject, obj)
            if key in seen:
                continue
            seen.add(key)
            yield Relation(
                subject=subject,
                predicate=trigger.predicate,
                object=obj,
                sentence=text,
                start=sentence.start,
                end=sentence.end,
                confidence=trigger.confidence,
                method=f"pattern:{trigger.name}",
                trigger=match.words,
            )


def _key(predicate: str, subject: Entity, obj: Entity) -> tuple[str, str, str]:
    if predicate in SYMMETRIC and obj.id < subject.id:
        subject, obj = obj, subject
    return (subject.id, predicate, obj.id)


def _arguments(
    trigger: Trigger, start: int, end: int, sentence: Sentence, mentions: list[Mention], speaker: Entity | None
) -> Iterable[tuple[Entity, Entity]]:
    subject_types, object_types = SIGNATURES[trigger.predicate]
    before = [m for m in mentions if m.end <= start]
    after = [m for m in mentions if m.start >= end]
    if trigger.form == "right":
        subjects = _group_before(before, start, subject_types, sentence, speaker)
        objects = _group_after(after, end, object_types, sentence)
    elif trigger.form == "passive":
        subjects = _group_after(after, end, subject_types, sentence)
        objects = _group_before(before, start, object_types, sentence, None)
    elif trigger.form == "between":
        group = _group_after(after, end, subject_types, sentence)
        return _pairs(group, object_types)
    else:
        group = _group_before(before, start, subject_types, sentence, None)
        return _pairs(group, object_types)
    return [(s, o) for s in subjects for o in objects if s.id != o.id]


def _pairs(group: list[Entity], object_types: frozenset[str]) -> list[tuple[Entity, Entity]]:
    fitting = [e for e in group if e.type in object_types]
    return [(a, b) for i, a in enumerate(fitting) for b in fitting[i + 1 :] if a.id != b.id]


def _group_before(
    before: list[Mention], start: int, types: frozenset[str], sentence: Sentence, speaker: Entity | None
) -> list[Entity]:
    """The nearest fitting entity before ``start``, with those co-ordinated with it."""
    candidates = [m for m in before if m.entity.type in types]
    nearest = candidates[-1] if candidates else None
    gap_start = nearest.end if nearest else sentence.start
    gap = sentence.text[gap_start - sentence.start : start - sentence.start]
    if speaker is not None and speaker.type in types and _FIRST_PERSON.search(gap):
        return [speaker]
    if nearest is None or start - nearest.end > _MAX_GAP or _CLAUSE_BREAK.search(gap):
        return []
    group = [nearest]
    for previous in reversed(candidates[:-1]):
        between = sentence.text[previous.end - sentence.start : group[-1].start - sentence.start]
        if not _COORDINATION.match(between):
            break
        group.append(previous)
    return [m.entity for m in reversed(group)]


def _group_after(after: list[Mention], end: int, types: frozenset[str], sentence: Sentence) -> list[Entity]:
    """The nearest fitting entity after ``end``, with those co-ordinated with it."""
    candidates = [m for m in after if m.entity.type in types]
    if not candidates:
        return []
    first = candidates[0]
    gap = sentence.text[end - sentence.start : first.start - sentence.start]
    if first.start - end > _MAX_OBJECT_GAP or _OBJECT_GAP_BREAK.search(gap):
        return []
    group = [first]
    for following in candidates[1:]:
        between = sentence.text[group[-1].end - sentence.start : following.start - sentence.start]
        if not _COORDINATION.match(between):
            break
        group.append(following)
    return [m.entity for m in group]


def _inside_mention(start: int, end: int, mentions: list[Mention]) -> bool:
    return any(m.start <= start and end <= m.end for m in mentions)


def known_relations(
    sentence: Sentence, mentions: list[Mention], facts: dict[tuple[str, str], str]
) -> Iterator[Relation]:
    """Relations the knowledge base knows between entities named together in a sentence.

    "China is accelerating its pivot to the Global South, including the BRI": the knowledge
    base knows that China proposed the BRI, and the sentence is evidence that the text links
    them. ``facts`` maps (subject id, object id) to a predicate.
    """
    ids = {m.entity.id: m.entity for m in mentions}
    for subject_id, subject in ids.items():
        for object_id, obj in ids.items():
            predicate = facts.get((subject_id, object_id))
            if predicate is not None:
                yield Relation(
                    subject=subject,
                    predicate=predicate,
                    object=obj,
                    sentence=sentence.text,
                    start=sentence.start,
                    end=sentence.end,
                    confidence=0.6,
                    method="kb:co-mention",
                )
