"""Extractions as plain JSON data, for inspection and evaluation (`kg extract`)."""

from __future__ import annotations

from typing import Any

from kg.graph import entity_iri
from kg.model import Extraction


def extraction_to_json(extraction: Extraction) -> dict[str, Any]:
    """One document's mentions and relations; entities are given by their graph IRIs."""
    document = extraction.document
    return {
        "id": document.id,
        "title": document.title,
        "mentions": [
            {
                "text": m.text,
                "start": m.start,
                "end": m.end,
                "entity": entity_iri(m.entity.id),
                "label": m.entity.label,
                "type": m.entity.type,
                "iso3": m.entity.iso3,
                "confidence": m.confidence,
                "method": m.method,
            }
            for m in extraction.mentions
        ],
        "relations": [
            {
                "subject": entity_iri(r.subject.id),
                "predicate": r.predicate,
                "object": entity_iri(r.object.id),
                "subject_label": r.subject.label,
                "object_label": r.object.label,
                "sentence": r.sentence,
                "start": r.start,
                "end": r.end,
                "confidence": r.confidence,
                "method": r.method,
                "trigger": r.trigger,
                "negated": r.negated,
                "hedged": r.hedged,
            }
            for r in extraction.relations
        ],
    }
