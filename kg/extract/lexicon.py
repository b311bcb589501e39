"""The event lexicon: words that state a relation, as data (ontology/lexicon/events.json).

Each entry maps a lemma and part of speech ("invade", VERB; "invasion", NOUN) to the ontology
predicate it states and to where its object stands in the sentence's dependency parse: the
direct object ("dobj"), the indirect one ("dative") or a preposition after the word ("on",
"against"). kg.extract.structure reads the arguments; this module only loads and checks.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KgError
from kg.resources import LEXICON_FILE
from kg.vocab import relation_families

POS = ("VERB", "NOUN", "ADJ")
# Slots that are not prepositions.
SLOTS = frozenset({"dobj", "dative"})
# Past forms a stem does not reach: "met" for "meet", "struck" for "strike".
_IRREGULAR = {
    "meet": "met", "speak": "spoke spoken", "give": "gave given", "send": "sent", "fight": "fought",
    "strike": "struck", "sell": "sold", "hold": "held", "seek": "sought", "build": "built", "make": "made",
}
_KEYS = frozenset({"lemma", "pos", "predicate", "object", "needs", "passive_subject", "speech_act", "reciprocal", "example"})


@dataclass(frozen=True)
class Entry:
    lemma: str
    pos: str  # "VERB", "NOUN" or "ADJ" ("grateful to")
    predicates: tuple[str, ...]  # the first whose signature fits the arguments is stated
    objects: tuple[str, ...]  # "dobj", "dative" or a preposition
    needs: frozenset[str]  # lemmas one of which the clause must hold ("give" states aid only with "aid", "money", ...)
    passive_subject: bool  # "X is located in Y": the passive's subject is the relation's subject
    speech_act: bool  # "X is urged to": a passive with no agent is the speaker's act
    reciprocal: bool  # "X and Y met": co-ordinated subjects and no object relate to each other
    example: str


@dataclass(frozen=True)
class Lexicon:
    entries: dict[tuple[str, str], Entry]  # (lemma, pos) -> entry
    light_verbs: frozenset[str]  # "held talks with", "launched an attack on": the noun is the event
    prefilter: re.Pattern[str]  # a sentence without a match holds no event word

    def get(self, lemma: str, pos: str) -> Entry | None:
        return self.entries.get((lemma, pos))


@functools.cache
def load_lexicon(path: Path = LEXICON_FILE) -> Lexicon:
    """The lexicon at ``path``, checked: known predicates, parts of speech and fields."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        entries = [_entry(item) for item in raw["entries"]]
        light_verbs = frozenset(raw["light_verbs"])
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise KgError(f"{path}: not a valid event lexicon ({type(err).__name__}: {err})") from err
    by_key: dict[tuple[str, str], Entry] = {}
    for entry in entries:
        if (entry.lemma, entry.pos) in by_key:
            raise KgError(f"{path}: {entry.lemma} ({entry.pos}) is listed twice")
        by_key[(entry.lemma, entry.pos)] = entry
    return Lexicon(by_key, light_verbs, _prefilter({e.lemma for e in entries}))


def _entry(item: dict) -> Entry:
    unknown = set(item) - _KEYS
    if unknown:
        raise ValueError(f"entry {item.get('lemma')!r} has unknown fields {sorted(unknown)}")
    predicates = (item["predicate"],) if isinstance(item["predicate"], str) else tuple(item["predicate"])
    known = relation_families()
    for predicate in predicates:
        if predicate not in known:
            raise ValueError(f"entry {item['lemma']!r}: {predicate!r} is not a relation of the ontology")
    if item["pos"] not in POS:
        raise ValueError(f"entry {item['lemma']!r}: part of speech must be one of {POS}")
    if not item.get("example"):
        raise ValueError(f"entry {item['lemma']!r} has no example sentence")
    return Entry(
        lemma=item["lemma"], pos=item["pos"], predicates=predicates, objects=tuple(item["object"]),
        needs=frozenset(item.get("needs", ())), passive_subject=bool(item.get("passive_subject")),
        speech_act=bool(item.get("speech_act")), reciprocal=bool(item.get("reciprocal")),
        example=item["example"],
    )


def _prefilter(lemmas: set[str]) -> re.Pattern[str]:
    """Any inflection of a lemma: its stem ("invad" for "invade", "occupi" for "occupy") and
    the irregular past forms."""
    stems = set()
    for lemma in lemmas:
        stems.add(lemma[:-1] if lemma.endswith("e") else lemma)
        if lemma.endswith("y"):
            stems.add(lemma[:-1] + "i")
        stems.update(_IRREGULAR.get(lemma, "").split())
    # A stem is followed only by an inflection ("war" matches "wars", not "warm" or "ward"), with
    # the consonant doubled before -ed and -ing ("conferred", "shelling").
    words = "|".join(sorted(map(re.escape, stems), key=len, reverse=True))
    return re.compile(rf"\b(?:{words})(?:e|es|s|d|ment|ments|ion|ions|al|[bdglmnprt]?(?:ed|ing))?\b", re.IGNORECASE)
