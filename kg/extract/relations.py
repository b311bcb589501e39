"""Typed relations between the entities of one sentence, found around trigger words.

For a trigger (kg.extract.triggers) the subject is the nearest entity of a fitting type
before it, together with the entities co-ordinated with it ("China and Russia"); the object is
the nearest fitting entity after it, within a short gap that no clause boundary crosses.
Passive, "between" and pair triggers turn this around as their names say.

In a speech, "I", "we" or "my country" as a subject, and "us" or "my country" as an object,
stand for the speaker's country. A trigger under a negation ("does not support") or a hedge
("could support", "if they were to join") still gives a relation, marked ``negated`` or
``hedged``, so that it can be shown as evidence but is kept out of the plain facts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from kg.extract.sentences import Sentence
from kg.extract.triggers import SYMMETRIC, Trigger, TriggerMatch
from kg.model import Entity, Mention, Relation

_NEGATION = re.compile(
    r"\b(?:not|never|no longer|neither|nor|cannot|n't|refus(?:e|es|ed|ing) to|fail(?:s|ed)? to)\b\W*(?:\w+\W+){0,2}$",
    re.IGNORECASE,
)
# A call to end, or a fight against, what the trigger names: "the lifting of sanctions against
# Cuba", "fighting against the occupation of Afghanistan": the speaker does not do it.
_COUNTERED = re.compile(
    r"\b(?:lift(?:s|ed|ing)?|end(?:s|ed|ing)?|an end to|remov(?:e|es|ed|ing|al)|against|resist(?:s|ed|ing|ance to)?|"
    r"counter(?:s|ed|ing)?|prevent(?:s|ed|ing|ion of)?)\b[^\w,;:]*(?:[\w-]+[^\w,;:]+){0,6}$",
    re.IGNORECASE,
)
# "we are blamed for": a passive with no agent names no subject.
_PASSIVE_BEFORE = re.compile(r"\b(?:is|are|was|were|be|been|being|get|gets|got)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
# A participle used as an adjective: "a neighbour of attacked Ukraine", "the occupied territories".
_ADJECTIVE_BEFORE = re.compile(r"\b(?:of|the|a|an|our|their|its|and)\s+$", re.IGNORECASE)
# An entity named as a possessor in another clause ("Russia's imperialist policy and have supported
# Ukraine") is not the trigger's subject; "Russia's invasion", "China's strong support" keep it.
_POSSESSOR_GAP = re.compile(r"^['’]s?\s.*\b(?:and|but|have|has|had|will|would|shall|is|are|was|were)\b", re.IGNORECASE)
# Between a trigger and its object, "of" marks the object as a modifier ("the President of the
# General Assembly"), except after heads that stand for the state ("the people of Palestine").
_OF_HEAD = re.compile(r"\b(\w+)\s+of\b", re.IGNORECASE)
_STATE_HEADS = frozenset(
    """government people peoples authorities leadership state republic kingdom country nation citizens
    population part parts territory territories region regions area areas province provinces land lands
    soil sovereignty independence integrity capital coast""".split()
)
_MODIFIED_AFTER = re.compile(
    r"^\s+(?:resolutions?|declarations?|initiatives?|plans?|programmes?|programs?|missions?|agenda|statements?|"
    r"reports?|decisions?|summits?|conferences?|efforts?|accords?|agreements?|treaty|conventions?|frameworks?|"
    r"strateg(?:y|ies)|polic(?:y|ies)|positions?|projects?|operations?|standards?|guidelines?|mandates?)\b",
    re.IGNORECASE,
)
# A modal, an intention or an obligation governing the trigger's clause ("would like to
# propose" is a proposal, "must support" is not yet support).
_HEDGE = re.compile(
    r"\b(?:could|may|might|would(?! like)|should|must|needs? to|have to|has to|plans? to|planning to|"
    r"intends? to|intending to|hopes? (?:to|that)|aims? to|seeks? to|expected to|likely to|considering|"
    r"ready to|willing to|confident that|urgent that)\b[^\w,;:]*(?:[\w-]+[^\w,;:]+){0,5}$",
    re.IGNORECASE,
)
# A claim reported from someone else: "NATO has declared that our country poses a threat".
_REPORTED = re.compile(r"\b(?:claim|alleg|declar|say|said|assert|pretend|accus)\w*\s+that\b[^;:]*$", re.IGNORECASE)
# A request that someone else act: "our request to the Council to support X".
_REQUESTED = re.compile(
    r"\b(?:request(?:s|ed)?|urg(?:e|es|ed)|call(?:s|ed)? (?:up)?on|invit(?:e|es|ed)|ask(?:s|ed)?|appeal(?:s|ed)?|"
    r"encourag(?:e|es|ed))\b[^.;:]*\bto\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
_CONDITION = re.compile(r"(?:^|[,;:]\s*)(?:if|unless|whether|should)\b", re.IGNORECASE)
# The link between the two entities nearest the trigger must be "and" (or a hyphen: "China-Russia");
# further ones may be commas: "X, Y and Z". "With regard to X, Y supports" is not a list.
_AND = re.compile(r"^\s*(?:,?\s*(?:and|&|or|as well as)|-|–|/)\s+(?:the\s+)?(?:new\s+)?$|^[-–/]$", re.IGNORECASE)
_COMMA_OR_AND = re.compile(r"^\s*(?:,|,?\s*(?:and|&|or|as well as))\s+(?:the\s+)?(?:new\s+)?$", re.IGNORECASE)
_POSSESSIVE_AFTER = re.compile(r"^['’]s?\b")
_DEMONYM_AS_ACTOR = re.compile(r"^\s+(?:people|peoples|government|authorities|nation|forces|army|troops|leadership|side|state|regime|federation)\b", re.IGNORECASE)
_SUBORDINATE = re.compile(r"\b(?:that|which|who|whom|whose|where|when|because|although|though|after|before|since|until)\b", re.IGNORECASE)
_PREPOSITION_BEFORE = r"(?<!\bof )(?<!\bto )(?<!\bin )(?<!\bfor )(?<!\bagainst )(?<!\bwith )(?<!\bon )(?<!\bfrom )(?<!\bby )"
# "I", "we" or "my country" as the subject of a clause; "the capital of my country" is not one.
_FIRST_PERSON_SUBJECT = re.compile(
    rf"\b(?:I|[Ww]e|(?:[Ll]et|[Aa]llow|[Pp]ermit) me)\b|{_PREPOSITION_BEFORE}\b(?:[Mm]y|[Oo]ur) (?:country|Government|delegation|nation)\b"
)
_FIRST_PERSON_OBJECT = re.compile(r"^\W*(?:the\s+)?(?:us|my country|our country|my Government|our Government|my nation|our nation)\b")
_CLAUSE_BREAK = re.compile(r"[;:]|\bbut\b|\bwhile\b|\bwhereas\b")
_OBJECT_GAP_BREAK = re.compile(r"\b(?:to|that|which|who|whose|because|if|when|where|by)\b|[,;:]")
# Conflict triggers aim at whoever owns what follows: "rejected Russia's claims" rejects Russia.
_TARGETS_POSSESSOR = frozenset({"opposes", "demandsFrom", "accuses", "rejects", "threatens", "protests", "sanctions", "coerces", "attacks", "rivalOf"})
_MAX_SUBJECT_GAP = 60  # characters between a subject and its trigger
_MAX_MAIN_CLAUSE_GAP = 160  # ... when the subject opens the sentence
_MAX_OBJECT_GAP = 40  # characters between a trigger and its object
_MAX_OBJECT_WORDS = 2  # "supports the overarching WHO accord", not "help promote dynamic ties between the UN"
_GAP_FILLERS = frozenset(
    """the a an his her their our its my all entire whole excellency mr. mrs. ms. dr. mr mrs ms dr
    brotherly sisterly friendly fellow dear distinguished government governments people peoples
    citizens and new""".split()
)


def stated(
    sentence: Sentence, subject: Entity, predicate: str, obj: Entity, confidence: float, method: str, **marks: Any
) -> Relation:
    """A relation with its evidence: the sentence, its offsets, the rule and how sure it is."""
    return Relation(
        subject=subject, predicate=predicate, object=obj, sentence=sentence.text,
        start=sentence.start, end=sentence.end, confidence=confidence, method=method, **marks,
    )


def find_relations(
    sentence: Sentence,
    mentions: list[Mention],
    triggers: list[TriggerMatch],
    speaker: Entity | None = None,
) -> Iterator[Relation]:
    """Relations stated in ``sentence``; ``mentions`` and ``triggers`` are those inside it."""
    text = sentence.text
    seen: set[tuple[str, str, str]] = set()
    for match in triggers:
        trigger, start, end = match.trigger, match.start, match.end
        if _inside_mention(start, end, mentions) or _in_a_name(match, sentence):
            continue
        before = text[: start - sentence.start]
        participle = match.words.lower().endswith(("ed", "en"))
        if trigger.form == "right" and participle and (_PASSIVE_BEFORE.search(before) or _ADJECTIVE_BEFORE.search(before)):
            continue
        negated = bool(_NEGATION.search(before) or _COUNTERED.search(before))
        hedged = bool(
            _HEDGE.search(before) or _CONDITION.search(before) or _REQUESTED.search(before)
            or _REPORTED.search(before) or text.rstrip().endswith("?")
        )
        for subject, obj in _arguments(trigger, start, end, sentence, mentions, speaker):
            key = _key(trigger.predicate, subject, obj)
            if key in seen:
                continue
            seen.add(key)
            yield stated(
                sentence, subject, trigger.predicate, obj, trigger.confidence, f"pattern:{trigger.name}",
                trigger=match.words, negated=negated, hedged=hedged,
            )


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
                yield stated(sentence, subject, predicate, obj, 0.6, "kb:co-mention")


_MEMBERS_LISTED = re.compile(
    r"^\s+(?:member\s+)?(?:countries|states|nations|members)\b\s*(?:[,:—–-]\s*)?(?:(?:such as|including|namely|like)\s+)?(?:the\s+)?$",
    re.IGNORECASE,
)


def listed_members(sentence: Sentence, mentions: list[Mention]) -> Iterator[Relation]:
    """"the BRICS countries Brazil, Russia, India, China and South Africa": each is a member."""
    for index, body in enumerate(mentions):
        if body.entity.type != "InternationalOrganization":
            continue
        countries = [m for m in mentions[index + 1 :] if m.entity.type == "Country"]
        if not countries:
            continue
        lead = sentence.text[body.end - sentence.start : countries[0].start - sentence.start]
        if not _MEMBERS_LISTED.match(lead):
            continue
        for member in _coordinated_list(countries, sentence):
            yield stated(sentence, member.entity, "memberOf", body.entity, 0.75, "pattern:members-listed", trigger=lead.strip())


_COMMA = re.compile(r"^,\s*$")
_LIST_GOES_ON = re.compile(r"^\s*(?:,|and\b|or\b)")


def placed_in(sentence: Sentence, mentions: list[Mention]) -> Iterator[Relation]:
    """"Yerevan, Armenia", "Charleston, SC": a place, a comma and the country or region it lies
    in. Not in a list of places ("Paris, Lyon and Nice") nor of countries ("Chad, Mali, Niger")."""
    for place, area in zip(mentions, mentions[1:]):
        if place.entity.type != "Place" or area.entity.type not in ("Country", "Region") or place.entity == area.entity:
            continue
        if not _COMMA.match(sentence.text[place.end - sentence.start : area.start - sentence.start]):
            continue
        if _LIST_GOES_ON.match(sentence.text[area.end - sentence.start :]) and _next_is(mentions, area, ("Country", "Region")):
            continue
        yield stated(sentence, place.entity, "locatedIn", area.entity, 0.8, "pattern:place-country", trigger=",")


def _next_is(mentions: list[Mention], mention: Mention, types: tuple[str, ...]) -> bool:
    later = [m for m in mentions if m.start > mention.end]
    return bool(later) and later[0].entity.type in types


def _coordinated_list(candidates: list[Mention], sentence: Sentence) -> list[Mention]:
    """A list read left to right: "A, B, C and D"."""
    group = [candidates[0]]
    for other in candidates[1:]:
        between = sentence.text[group[-1].end - sentence.start : other.start - sentence.start]
        if not _COMMA_OR_AND.match(between):
            break
        group.append(other)
    return group


def _key(predicate: str, subject: Entity, obj: Entity) -> tuple[str, str, str]:
    if predicate in SYMMETRIC and obj.id < subject.id:
        subject, obj = obj, subject
    return (subject.id, predicate, obj.id)


def _arguments(
    trigger: Trigger, start: int, end: int, sentence: Sentence, mentions: list[Mention], speaker: Entity | None
) -> Iterable[tuple[Entity, Entity]]:
    subject_types, object_types = trigger.signature
    before = [m for m in mentions if m.end <= start]
    after = [m for m in mentions if m.start >= end]
    if trigger.form == "right":
        subjects = _group_before(before, start, subject_types, sentence, speaker)
        objects = _group_after(after, end, object_types, sentence, speaker, trigger.predicate in _TARGETS_POSSESSOR)
    elif trigger.form == "passive":
        subjects = _group_after(after, end, subject_types, sentence, None)
        objects = _group_before(before, start, object_types, sentence, None)
    elif trigger.form == "between":
        return _pairs(_group_after(after, end, subject_types, sentence, None), object_types)
    else:
        return _pairs(_group_before(before, start, subject_types, sentence, None), object_types)
    return [(s, o) for s in subjects for o in objects if s.id != o.id]


# "X, Y and Z are partners" relates each pair; a long enumeration states no pairwise relation.
MAX_PAIRED = 4


def _pairs(group: list[Entity], object_types: frozenset[str]) -> list[tuple[Entity, Entity]]:
    fitting = [e for e in group if e.type in object_types]
    if len(fitting) > MAX_PAIRED:
        return []
    return [(a, b) for i, a in enumerate(fitting) for b in fitting[i + 1 :] if a.id != b.id]


def _group_before(
    before: list[Mention], start: int, types: frozenset[str], sentence: Sentence, speaker: Entity | None
) -> list[Entity]:
    """The nearest fitting entity before ``start``, with those co-ordinated with it."""
    candidates = [m for m in before if m.entity.type in types]
    nearest = candidates[-1] if candidates else None
    gap = sentence.text[(nearest.end if nearest else sentence.start) - sentence.start : start - sentence.start]
    if nearest is not None and _POSSESSOR_GAP.match(gap):  # "Russia's imperialist policy and have supported"
        nearest, candidates = None, []
        gap = sentence.text[: start - sentence.start]
    if speaker is not None and speaker.type in types and _speaker_is_subject(gap):
        return [speaker]
    if nearest is None or _CLAUSE_BREAK.search(gap) or _SUBORDINATE.search(gap):
        return []
    if start - nearest.end > _MAX_SUBJECT_GAP and not _opens_main_clause(nearest, gap, sentence):
        return []
    return [m.entity for m in reversed(_coordinated(list(reversed(candidates)), sentence))]


def _opens_main_clause(mention: Mention, gap: str, sentence: Sentence) -> bool:
    """The sentence's subject governs a distant trigger of its main clause: "France stands out
    as the only European country capable of making a security contribution to the South Pacific"."""
    return mention.start - sentence.start <= 4 and "," not in gap and len(gap) <= _MAX_MAIN_CLAUSE_GAP


def _speaker_is_subject(gap: str) -> bool:
    """A first-person subject in ``gap`` governs the trigger at its end, in the same clause."""
    last = None
    for last in _FIRST_PERSON_SUBJECT.finditer(gap):
        pass
    if last is None:
        return False
    rest = gap[last.end() :]
    return len(rest) <= _MAX_SUBJECT_GAP and not (_CLAUSE_BREAK.search(rest) or _SUBORDINATE.search(rest))


def _group_after(
    after: list[Mention], end: int, types: frozenset[str], sentence: Sentence, speaker: Entity | None,
    possessor: bool = False,
) -> list[Entity]:
    """The nearest fitting entity after ``end``, with those co-ordinated with it."""
    rest = sentence.text[end - sentence.start :]
    if speaker is not None and speaker.type in types and _FIRST_PERSON_OBJECT.match(rest):
        return [speaker]
    candidates = [m for m in after if m.entity.type in types and _can_be_object(m, sentence, possessor)]
    if not candidates:
        return []
    first = candidates[0]
    gap = sentence.text[end - sentence.start : first.start - sentence.start]
    content_words = [w for w in gap.lower().split() if w not in _GAP_FILLERS]
    if first.start - end > _MAX_OBJECT_GAP or len(content_words) > _MAX_OBJECT_WORDS or _OBJECT_GAP_BREAK.search(gap) or _modifier_gap(gap):
        return []
    return [m.entity for m in _coordinated(candidates, sentence)]


def _modifier_gap(gap: str) -> bool:
    return any(head.lower() not in _STATE_HEADS for head in _OF_HEAD.findall(gap))


def _in_a_name(match: TriggerMatch, sentence: Sentence) -> bool:
    """A capitalised trigger inside the sentence is part of a name ("Resolute Support Mission")."""
    return match.words[:1].isupper() and match.start > sentence.start and not match.words.isupper()


def _coordinated(candidates: list[Mention], sentence: Sentence) -> list[Mention]:
    """The first candidate and those listed with it ("X and Y", "X, Y and Z"), nearest first."""
    group = [candidates[0]]
    for other in candidates[1:]:
        left, right = sorted((group[-1], other), key=lambda m: m.start)
        between = sentence.text[left.end - sentence.start : right.start - sentence.start]
        link = _AND if len(group) == 1 else _COMMA_OR_AND
        if not link.match(between):
            break
        group.append(other)
    return group


def _can_be_object(mention: Mention, sentence: Sentence, possessor: bool) -> bool:
    """Not a possessor ("welcome the WHO's plan"), unless the trigger targets its owner ("condemn
    Russia's aggression"), nor a demonym qualifying a thing ("support the African position")."""
    rest = sentence.text[mention.end - sentence.start :]
    if _MODIFIED_AFTER.match(rest) or (_POSSESSIVE_AFTER.match(rest) and not possessor):
        return False
    return not mention.method.endswith(":demonym") or bool(_DEMONYM_AS_ACTOR.match(rest))


def _inside_mention(start: int, end: int, mentions: list[Mention]) -> bool:
    return any(m.start <= start and end <= m.end for m in mentions)
