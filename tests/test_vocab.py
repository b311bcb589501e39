"""kg/vocab.py and ontology/kg.ttl name exactly the same terms."""

from __future__ import annotations

import pytest
from owlrl import DeductiveClosure, RDFS_Semantics
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF

from kg.model import SEGMENTS
from kg.resources import ONTOLOGY_FILE
from kg.vocab import (
    DOCUMENT_CLASSES,
    ENTITY_CLASSES,
    KG,
    entity_classes_under,
    relation_families,
    relation_signatures,
)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


def defined_terms(graph: Graph) -> set[str]:
    """Local names of the kg: IRIs the ontology gives a type to."""
    namespace = str(KG._NS)
    return {
        str(s)[len(namespace) :]
        for s in graph.subjects(RDF.type, None)
        if isinstance(s, URIRef) and str(s).startswith(namespace)
    }


def test_ontology_defines_every_vocab_term(ontology: Graph) -> None:
    assert set(KG.__annotations__) - defined_terms(ontology) == set()


def test_vocab_lists_every_ontology_term(ontology: Graph) -> None:
    assert defined_terms(ontology) - set(KG.__annotations__) == set()


@pytest.mark.parametrize("term", sorted(KG.__annotations__))
def test_term_has_one_kind(ontology: Graph, term: str) -> None:
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}
    assert len(set(ontology.objects(KG[term], RDF.type)) & kinds) == 1


def test_class_lists_are_classes(ontology: Graph) -> None:
    for iri in (*ENTITY_CLASSES.values(), *DOCUMENT_CLASSES.values()):
        assert (iri, RDF.type, OWL.Class) in ontology


def test_mistyped_term_raises() -> None:
    with pytest.raises(AttributeError):
        KG.Contry  # noqa: B018
    with pytest.raises(AttributeError):
        KG["rivalof"]


def test_relation_signatures_come_from_domains_and_ranges() -> None:
    signatures = relation_signatures()
    assert set(signatures) == set(relation_families())
    subjects, objects = signatures["proposes"]
    assert subjects == entity_classes_under("Agent") and "Region" not in subjects
    assert objects == {"Initiative", "LegalInstrument", "Event"}
    assert signatures["hosts"][0] >= {"Country", "Place"} and "Event" in signatures["hosts"][1]
    for subjects, objects in signatures.values():
        assert subjects and objects and (subjects | objects) <= set(ENTITY_CLASSES)


def test_every_entity_class_has_a_segment() -> None:
    assert set(SEGMENTS) == set(ENTITY_CLASSES)


def test_rdfs_inference_types_no_region_as_a_country(ontology: Graph) -> None:
    """Demonyms and capitals describe regions too: their domain must not make a region a country."""
    region = URIRef("https://w3id.org/irkg/id/region/latin-america")
    data = Graph()
    data.add((region, RDF.type, KG.Region))
    data.add((region, KG.demonym, Literal("Latin American", lang="en")))
    closed = data + ontology
    DeductiveClosure(RDFS_Semantics).expand(closed)
    assert (region, RDF.type, KG.Country) not in closed
