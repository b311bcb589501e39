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

The triggers are data (ontology/lexicon/triggers.json, each with an example sentence that
tests/test_structure.py reads); patterns are lower-case and matched on lower-cased text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KgError
from kg.resources import TRIGGERS_FILE
from kg.vocab import entity_classes_under, relation_signatures, symmetric_relations

FORMS = ("right", "passive", "between", "pair")

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


def load_triggers(path: Path = TRIGGERS_FILE) -> tuple[Trigger, ...]:
    """The triggers of ``path`` (ontology/lexicon/triggers.json), checked: known predicates,
    forms and classes, patterns that compile, an example for each."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))["triggers"]
        triggers = tuple(_trigger(item) for item in raw)
    except (OSError, ValueError, KeyError, TypeError, re.error) as err:
        raise KgError(f"{path}: not a valid trigger list ({type(err).__name__}: {err})") from err
    return triggers


def _trigger(item: dict) -> Trigger:
    if item["predicate"] not in SIGNATURES or item["form"] not in FORMS:
        raise ValueError(f"trigger {item['words']!r}: unknown predicate or form")
    if not item.get("example"):
        raise ValueError(f"trigger {item['words']!r} has no example sentence")
    subjects = entity_classes_under(item["subjects"]) if "subjects" in item else None
    if subjects is not None and not subjects:
        raise ValueError(f"trigger {item['words']!r}: unknown class {item['subjects']!r}")
    return _t(item["predicate"], item["form"], float(item["confidence"]), item["words"], subjects)


TRIGGERS = load_triggers()
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
