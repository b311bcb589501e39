"""kg/vocab.py and ontology/kg.ttl name exactly the same terms."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from kg.resources import ONTOLOGY_FILE
from kg.vocab import DOCUMENT_CLASSES, ENTITY_CLASSES, KG


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
