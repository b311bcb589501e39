"""Precision, recall and F1 of an extraction against the gold standard.

Entities are scored at the document level: each distinct entity a document names counts once.
A predicted entity matches a gold one of the same type when, for countries, the ISO codes
agree, and otherwise when a name, alias or surface form of one is a name or form of the other.
Relations are scored per sentence: same sentence, same subject and object (either order for
symmetric predicates), and the same predicate family (cooperation, conflict, structural) or,
for the strict score, the same predicate.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.eval.gold import GoldDocument, GoldEntity
from kg.extract.extractor import relation_component
from kg.vocab import symmetric_relations
from kg.model import Entity, Extraction


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Tally) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn


@dataclass
class Scores:
    """Tallies by entity type and by relation family, with the errors behind them."""

    entities: dict[str, Tally] = field(default_factory=dict)
    relations: dict[str, Tally] = field(default_factory=dict)  # by family, and "all", "exact"
    missed: list[str] = field(default_factory=list)  # "doc: what"
    added: list[str] = field(default_factory=list)
    unmarked: list[str] = field(default_factory=list)  # gold negated/hedged given as plain facts
    # Right and wrong findings by the component that made them (no misses: a miss has no finder)
    entity_components: dict[str, Tally] = field(default_factory=dict)
    relation_components: dict[str, Tally] = field(default_factory=dict)

    def entity_total(self) -> Tally:
        total = Tally()
        for tally in self.entities.values():
            total.add(tally)
        return total


@dataclass(frozen=True)
class Predicted:
    """What an extractor found in one document, reduced to what is scored."""

    entities: dict[str, tuple[Entity, frozenset[str]]]  # id -> entity, surface forms
    relations: tuple[tuple[Entity, str, Entity, str], ...] = ()  # subject, predicate, object, sentence
    negated_or_hedged: tuple[tuple[Entity, str, Entity, str], ...] = ()
    speaker: Entity | None = None
    entity_finders: dict[str, frozenset[str]] = field(default_factory=dict)  # id -> components that found it
    relation_finders: tuple[str, ...] = ()  # the component of each of ``relations``


def predicted(extraction: Extraction) -> Predicted:
    forms: dict[str, set[str]] = {}
    entities: dict[str, Entity] = {}
    for mention in extraction.mentions:
        entities.setdefault(mention.entity.id, mention.entity)
        forms.setdefault(mention.entity.id, set()).add(mention.text)
    finders: dict[str, set[str]] = {}
    for mention in extraction.mentions:
        finders.setdefault(mention.entity.id, set()).add(mention.method.split(":", 1)[0])
    facts = [r for r in extraction.relations if not (r.negated or r.hedged)]
    plain = tuple((r.subject, r.predicate, r.object, r.sentence) for r in facts)
    marked = tuple((r.subject, r.predicate, r.object, r.sentence) for r in extraction.relations if r.negated or r.hedged)
    return Predicted(
        {i: (e, frozenset(forms[i])) for i, e in entities.items()}, plain, marked, extraction.speaker,
        {i: frozenset(f) for i, f in finders.items()}, tuple(relation_component(r.method) for r in facts),
    )


def normalize(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    ascii_name = re.sub(r"[’'`]", "'", ascii_name)
    return re.sub(r"^the ", "", re.sub(r"\s+", " ", ascii_name).strip())


def same_entity(entity: Entity, forms: Iterable[str], gold: GoldEntity, typed: bool = True) -> bool:
    if typed and gold.type != entity.type:
        return False
    if gold.type == "Country" and gold.iso3 and entity.iso3:
        return gold.iso3 == entity.iso3
    ours = {normalize(n) for n in (entity.label, *entity.aliases, *forms)}
    theirs = {normalize(n) for n in (gold.name, *gold.forms)}
    return bool(ours & theirs)


def score_document(gold: GoldDocument, found: Predicted, families: dict[str, str], scores: Scores) -> None:
    """Add one document's tallies and errors to ``scores``."""
    linked = _link_entities(gold, found, scores)
    if found.speaker is not None:
        speaker = next((g.name for g in gold.entities if same_entity(found.speaker, (), g)), None)
        if speaker is not None:
            linked.setdefault(found.speaker.id, speaker)
    _score_relations(gold, found, linked, families, scores)


def _link_entities(gold: GoldDocument, found: Predicted, scores: Scores) -> dict[str, str]:
    """Match predicted entities to gold ones; returns predicted id -> gold name."""
    linked: dict[str, str] = {}
    unmatched = dict(found.entities)
    for entity in gold.entities:
        tally = scores.entities.setdefault(entity.type, Tally())
        match = next((i for i, (e, forms) in unmatched.items() if same_entity(e, forms, entity)), None)
        if match is None:
            tally.fn += 1
            scores.missed.append(f"{gold.id}: {entity.type} {entity.name}")
            continue
        tally.tp += 1
        linked[match] = entity.name
        for component in found.entity_finders.get(match, ()):
            scores.entity_components.setdefault(component, Tally()).tp += 1
        del unmatched[match]
    for entity_id, (entity, forms) in unmatched.items():
        for component in found.entity_finders.get(entity_id, ()):
            scores.entity_components.setdefault(component, Tally()).fp += 1
        scores.entities.setdefault(entity.type, Tally()).fp += 1
        scores.added.append(f"{gold.id}: {entity.type} {entity.label} ({', '.join(sorted(forms))})")
    # Relations are scored on their arguments, whatever type each side gave an entity.
    for entity_id, (entity, forms) in unmatched.items():
        retyped = next((g for g in gold.entities if same_entity(entity, forms, g, typed=False)), None)
        if retyped is not None:
            linked[entity_id] = retyped.name
    return linked


def _score_relations(
    gold: GoldDocument, found: Predicted, linked: dict[str, str], families: dict[str, str], scores: Scores
) -> None:
    expected = list(gold.relations)
    for level in ("family", "exact"):
        remaining = Counter(_key(r.subject, r.predicate, r.object, r.sentence, families, level) for r in expected)
        for index, (subject, predicate, obj, sentence) in enumerate(found.relations):
            key = _key(linked.get(subject.id, "?"), predicate, linked.get(obj.id, "?"), sentence, families, level)
            bucket = "all" if level == "family" else "exact"
            tallies = [scores.relations.setdefault(bucket, Tally())]
            if level == "family":
                tallies.append(scores.relations.setdefault(families.get(predicate, "?"), Tally()))
                if found.relation_finders:
                    tallies.append(scores.relation_components.setdefault(found.relation_finders[index], Tally()))
            hit = _take(remaining, key, predicate in symmetric_relations())
            for tally in tallies:
                if hit:
                    tally.tp += 1
                else:
                    tally.fp += 1
            if not hit and level == "family":
                scores.added.append(f"{gold.id}: {subject.label} {predicate} {obj.label} | {sentence[:120]}")
        for (subject, family_or_predicate, obj, sentence), count in remaining.items():
            if count <= 0:
                continue
            if level == "family":
                scores.relations.setdefault("all", Tally()).fn += count
                scores.relations.setdefault(family_or_predicate, Tally()).fn += count
                scores.missed.append(f"{gold.id}: {subject} {family_or_predicate} {obj} | {sentence[:120]}")
            else:
                scores.relations.setdefault("exact", Tally()).fn += count
    marked = {_key(r.subject, r.predicate, r.object, r.sentence, families, "exact") for r in (*gold.negated, *gold.hedged)}
    for subject, predicate, obj, sentence in found.relations:
        if _key(linked.get(subject.id, "?"), predicate, linked.get(obj.id, "?"), sentence, families, "exact") in marked:
            scores.unmarked.append(f"{gold.id}: {subject.label} {predicate} {obj.label} | {sentence[:120]}")


def _key(subject: str, predicate: str, obj: str, sentence: str, families: dict[str, str], level: str) -> tuple[str, str, str, str]:
    label = families.get(predicate, "?") if level == "family" else predicate
    return (subject, label, obj, re.sub(r"\s+", " ", sentence).strip())


def _take(remaining: Counter, key: tuple[str, str, str, str], symmetric: bool) -> bool:
    """Consume a gold relation matching ``key`` (sentences may be cut differently: containment)."""
    subject, label, obj, sentence = key
    for candidate in list(remaining):
        if remaining[candidate] <= 0:
            continue
        c_subject, c_label, c_obj, c_sentence = candidate
        same_args = (c_subject, c_obj) == (subject, obj) or (symmetric and (c_subject, c_obj) == (obj, subject))
        if c_label == label and same_args and (c_sentence in sentence or sentence in c_sentence):
            remaining[candidate] -= 1
            return True
    return False
