"""The words that signal a relation, and what each relation accepts as its arguments.

Predicates follow the families political-event analysts use (ontology/kg.ttl):
cooperation (agree, consult, support, aid, cooperate, partner), conflict (demand, accuse,
reject, threaten, protest, sanction, coerce, attack, oppose, rival) and structural (member,
part, location, proposal, participation, presence). A trigger names its predicate and where
the arguments stand (see kg.extract.relations):

- ``right``: subject before the trigger, object after it ("China became the main challenger to the US");
- ``passive``: "proposed by X": X is the subject, the object stands before the trigger;
- ``between``: "partnership between X and Y";
- ``pair``: the co-ordinated entities before the trigger relate to each other
  ("China and Russia maintain a strategic partnership").

Patterns are lower-case and matched on lower-cased text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.vocab import entity_classes_under, relation_signatures, symmetric_relations

AGENTS = entity_classes_under("Agent")

# predicate -> (subject types, object types), and the symmetric predicates: from the ontology
SIGNATURES = relation_signatures()
SYMMETRIC = symmetric_relations()


@dataclass(frozen=True)
class Trigger:
    predicate: str
    pattern: re.Pattern[str]
    form: str  # "right", "passive", "between" or "pair"
    confidence: float
    name: str
    subjects: frozenset[str] | None = None  # narrower than the predicate's subject types

    @property
    def signature(self) -> tuple[frozenset[str], frozenset[str]]:
        subjects, objects = SIGNATURES[self.predicate]
        return (self.subjects or subjects, objects)


def _t(predicate: str, form: str, confidence: float, words: str, subjects: frozenset[str] | None = None) -> Trigger:
    passive_next = r"(?!\s+by\b)" if form == "right" else ""  # "invaded by" is not "invaded"
    pattern = re.compile(rf"\b(?:{words})\b{passive_next}")
    return Trigger(predicate, pattern, form, confidence, predicate if form == "right" else f"{predicate}-{form}", subjects)


_VERB = r"(?:e|es|ed|ing)?"  # endings of a verb whose stem ends in a consonant: "support", "condemn"
TRIGGERS = (
    # cooperation
    _t("partnerOf", "right", 0.8, r"(?:strategic |comprehensive |special |close )?partner(?:ship)?s? (?:with|of)|all(?:y|ies) of|allied with|alliance with"),
    _t("partnerOf", "between", 0.8, r"(?:partnership|alliance) between"),
    _t("partnerOf", "pair", 0.75, r"partnerships?|partners|allies|alliance"),
    _t("cooperatesWith", "right", 0.75, r"(?:cooperat|collaborat)(?:e|es|ed|ing|ion)(?: \w+){0,2}? with|work(?:s|ed|ing)? (?:closely |together |hand in hand )?with|pivot(?:s|ed|ing)? to(?:wards?)?|engagement with"),
    _t("cooperatesWith", "between", 0.75, r"(?:cooperation|collaboration) between"),
    _t("cooperatesWith", "pair", 0.7, r"cooperat(?:e|ed|ing)"),
    _t("agreesWith", "right", 0.75, r"agree(?:s|d)? with|(?:signed|concluded|reached)(?: \w+){0,3}? (?:agreement|accord|deal|memorandum of understanding) with|agreement with"),
    _t("agreesWith", "between", 0.75, r"(?:agreement|accord|deal|peace agreement) between"),
    _t("consultsWith", "right", 0.7, r"consult(?:s|ed|ing|ations)? with|(?:met|meets|meeting) with|(?:talks|dialogue|negotiations) with"),
    _t("consultsWith", "between", 0.7, r"(?:talks|dialogue|negotiations|consultations|summit) between"),
    _t("supports", "right", 0.7, r"support(?:s|ed|ing)?(?! of| from| to)|in support of|support for|back(?:s|ed|ing)|endors(?:e|es|ed|ing)|welcom(?:e|es|ed|ing)|commend(?:s|ed|ing)?|champion(?:s|ed|ing)?|stand(?:s|ing)? (?:with|by)|stood (?:with|by)|(?:solidarity|sympathy) with|appreciat(?:e|es|ed|ion (?:for|of|to))|congratulat(?:e|es|ed|ing)|thank(?:s|ed|ing)?|(?:gratitude|grateful|tribute) to|salut(?:e|es|ed|ing)|greetings? to"),
    _t("supports", "passive", 0.7, r"supported by|backed by|endorsed by|welcomed by|support (?:of|from)"),
    _t("aids", "right", 0.7, r"(?:assistance|aid|relief|funding|support|loans?|grants?|vaccines?|doses) to|assist(?:s|ed|ing)?|help(?:s|ed|ing)?|(?:provid|donat|deliver)(?:e|es|ed|ing)(?: [\w-]+){0,4}? to"),
    _t("aids", "passive", 0.7, r"(?:assisted|helped|funded|financed) by|(?:assistance|aid|support|help|funding|vaccines?|doses) (?:from|provided by)"),
    # conflict
    _t("rivalOf", "right", 0.8, r"(?:main |chief |principal |strategic )?(?:challenger|rival|competitor)s? (?:to|of)|rivalry with|compet(?:e|es|ed|ing|ition) with|challenged|confront(?:s|ed|ing|ation with)?"),
    _t("rivalOf", "between", 0.8, r"(?:rivalry|competition|confrontation|tensions?) between"),
    _t("rivalOf", "pair", 0.7, r"rivals|rivalry"),
    _t("opposes", "right", 0.7, r"oppos(?:e|es|ed|ing)|opposition to"),
    _t("opposes", "right", 0.65, r"against", subjects=AGENTS),  # "operating in the Lake Chad Basin against X"
    _t("opposes", "passive", 0.7, r"opposed by"),
    _t("demandsFrom", "right", 0.7, r"call(?:s|ed|ing)? (?:up)?on|urg(?:e|es|ed|ing)|demand(?:s|ed|ing)?(?: of| from| that)?|insist(?:s|ed|ing)? (?:that|on)|press(?:es|ed|ing)? for|appeal(?:s|ed|ing)? to"),
    _t("accuses", "right", 0.75, r"accus(?:e|es|ed|ing)|blam(?:e|es|ed|ing)|criticiz(?:e|es|ed|ing)|criticis(?:e|es|ed|ing)|disapprov(?:e|es|ed|ing)(?: of)?|deplor(?:e|es|ed|ing)"),
    _t("accuses", "passive", 0.75, r"accused by|blamed by|criticized by|criticised by"),
    _t("rejects", "right", 0.75, r"reject(?:s|ed|ing)?|refus(?:e|es|ed|ing)|do(?:es)? not accept|repudiat(?:e|es|ed|ing)"),
    _t("rejects", "passive", 0.75, r"rejected by"),
    _t("threatens", "right", 0.75, rf"threaten{_VERB}s?|(?:is|are|was|were|pose[sd]?|posing|remains?) (?:a |an )?(?:\w+ )?threats? to|intimidat(?:e|es|ed|ing|ion of)"),
    _t("threatens", "passive", 0.75, r"threatened by|threat (?:from|posed by)"),
    _t("protests", "right", 0.75, r"condemn(?:s|ed|ing)?|condemnation of|denounc(?:e|es|ed|ing)|protest(?:s|ed|ing)? (?:against|over)?"),
    _t("protests", "passive", 0.75, r"condemned by|denounced by"),
    _t("sanctions", "right", 0.8, r"sanction(?:s|ed|ing)?(?: (?:on|against))?|(?:embargo|blockade) (?:on|against|of)|blockad(?:e|es|ed|ing)"),
    _t("sanctions", "passive", 0.8, r"sanctioned by|(?:sanctions|embargo|blockade) (?:imposed )?by"),
    _t("coerces", "right", 0.75, r"occup(?:y|ies|ied|ying)|occupation of|annex(?:es|ed|ing|ation of)?|coerc(?:e|es|ed|ing|ion of|ion against)|pressur(?:e|es|ed|ing)|blackmail(?:s|ed|ing)?"),
    _t("coerces", "passive", 0.75, r"occupied by|annexed by|coerced by|occupation by"),
    _t("attacks", "right", 0.8, r"attack(?:ed|ing)?(?: on| against)?|attacks (?:on|against)|invasion of|invad(?:e|es|ed|ing)|aggression (?:against|on)|war (?:against|on)|bomb(?:s|ed|ing)|shell(?:s|ed|ing)|strikes? (?:on|against)"),
    _t("attacks", "passive", 0.8, r"attacked by|invaded by|bombed by|shelled by|aggression (?:by|of)|invasion by"),
    # structural
    _t("proposes", "right", 0.8, r"propos(?:e|es|ed|ing|al of)|put(?:s|ting)? forward|launch(?:es|ed|ing)?|unveil(?:s|ed|ing)?|initiat(?:e|es|ed|ing)|introduc(?:e|es|ed|ing)|spearhead(?:s|ed|ing)?|sponsor(?:s|ed|ing)?"),
    _t("proposes", "passive", 0.8, r"proposed by|launched by|put forward by|initiated by|introduced by|spearheaded by|sponsored by"),
    _t("participatesIn", "right", 0.7, r"participat(?:e|es|ed|ing|ion) in|(?:took|take|taking|takes) part in|host(?:s|ed|ing)?|attend(?:s|ed|ing)?|join(?:s|ed|ing)?|signed up to|contribut(?:e|es|ed|ing|ion) to"),
    _t("memberOf", "right", 0.8, r"(?:is|are|was|were|as|being|become|became|becoming|remains?)(?: a| an| the)?(?: \w+)?(?: founding| full| permanent| non-permanent)? members?(?: states?| countr(?:y|ies))? (?:of|in)|membership (?:of|in)|join(?:s|ed|ing)?|accession to|acceded to|admitted to|admission to|elected to|seat on"),
    _t("partOf", "right", 0.7, r"(?:an? |integral )?part of"),
    _t("locatedIn", "right", 0.7, r"located in|situated in|in the heart of"),
    # Only events are held or take place: "the Summit for Africa, held in Abuja" places the summit.
    _t("locatedIn", "right", 0.7, r"(?:held|took place|taking place|convened) in", frozenset({"Event"})),
    _t("presentIn", "right", 0.7, r"presence in|present in|deployed (?:to|in)|stationed in|troops in|bases? in|contributions? to"),
)

_CHUNK = 1 << 20  # characters lower-cased at a time
_ANY_TRIGGER = re.compile("|".join(f"(?:{t.pattern.pattern})" for t in TRIGGERS))


@dataclass(frozen=True)
class TriggerMatch:
    trigger: Trigger
    start: int
    end: int
    words: str


def lower_case(text: str) -> str:
    """``text`` lower-cased with its offsets kept (a few characters grow when lower-cased).

    >>> lower_case("İSTANBUL and ΟΔΟΣ")  # "İ" would grow; then no character reads its context
    'İstanbul and οδοσ'
    """
    lowered = [chunk.lower() for chunk in _chunks(text)]
    if sum(map(len, lowered)) != len(text):
        lowered = ["".join(c if len(c.lower()) != 1 else c.lower() for c in chunk) for chunk in _chunks(text)]
    return "".join(lowered)


def _chunks(text: str) -> Iterator[str]:
    """``text`` in pieces of about ``_CHUNK`` characters, each cut just after a space.

    ``str.lower()`` holds 12 bytes a character while it works. The only character it reads in
    context, a final sigma, looks no further than the nearest space, so pieces cut after one
    lower-case exactly as the whole.
    """
    start = 0
    while start < len(text):
        cut = text.find(" ", start + _CHUNK) + 1 or len(text)
        yield text[start:cut]
        start = cut


def find_triggers(text: str, lower: str | None = None, start: int = 0, end: int | None = None) -> list[TriggerMatch]:
    """The triggers in ``text[start:end]``, in text order; ``lower`` is ``lower_case(text)``.

    One scan of the lower-cased text finds where any trigger starts; only there is each
    trigger tried, since several may start at one place.
    """
    lower = lower_case(text) if lower is None else lower
    end = len(text) if end is None else end
    found = []
    position = start
    while (hit := _ANY_TRIGGER.search(lower, position, end)) is not None:
        for trigger in TRIGGERS:
            if (m := trigger.pattern.match(lower, hit.start(), end)) is not None:
                found.append(TriggerMatch(trigger, m.start(), m.end(), text[m.start() : m.end()]))
        position = hit.start() + 1
    return _outermost(found)


def _outermost(matches: list[TriggerMatch]) -> list[TriggerMatch]:
    """Drop triggers inside longer ones ("against" in "attacks against"); keep equal spans."""
    kept: list[TriggerMatch] = []
    reach_start, reach_end = -1, -1
    for match in sorted(matches, key=lambda m: (m.start, -m.end)):
        if match.end < reach_end or (match.end == reach_end and match.start > reach_start):
            continue
        kept.append(match)
        if match.end > reach_end:
            reach_start, reach_end = match.start, match.end
    return kept
