"""ontology/kg.ttl parses, documents every term and builds on terms that exist."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS

from kg.resources import ONTOLOGY_FILE
from kg.vocab import KG, ONTOLOGY_IRI

SCHEMA = "https://schema.org/"
# Standard terms the ontology builds on; schema.org is checked by namespace only.
STANDARD = {
    RDF.Statement,
    PROV.Entity,
    PROV.Agent,
    PROV.Activity,
    DCTERMS.publisher,
    DCTERMS.isPartOf,
    DCTERMS.creator,
}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


def english(graph: Graph, subject: URIRef, predicate: URIRef) -> list[Literal]:
    return [o for o in graph.objects(subject, predicate) if getattr(o, "language", None) == "en"]


def test_header(ontology: Graph) -> None:
    header = URIRef(ONTOLOGY_IRI)
    assert (header, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(header, OWL.versionInfo) == Literal("0.1.0")
    assert ontology.value(header, DCTERMS.license) is not None
    assert english(ontology, header, RDFS.label) and english(ontology, header, RDFS.comment)


@pytest.mark.parametrize("term", sorted(KG.__annotations__))
def test_term_has_english_label_and_comment(ontology: Graph, term: str) -> None:
    assert len(english(ontology, KG[term], RDFS.label)) == 1
    assert len(english(ontology, KG[term], RDFS.comment)) == 1


@pytest.mark.parametrize("predicate", [RDFS.subClassOf, RDFS.subPropertyOf])
def test_parents_exist(ontology: Graph, predicate: URIRef) -> None:
    for child, parent in ontology.subject_objects(predicate):
        known = (
            parent in STANDARD
            or str(parent).startswith(SCHEMA)
            or (parent, RDF.type, None) in ontology
        )
        assert known, f"{child} has an undefined parent {parent}"


def test_domains_and_ranges_exist(ontology: Graph) -> None:
    for predicate in (RDFS.domain, RDFS.range):
        for prop, target in ontology.subject_objects(predicate):
            if isinstance(target, URIRef) and str(target).startswith(str(KG._NS)):
                assert (target, RDF.type, OWL.Class) in ontology, f"{prop} -> {target}"


def test_hierarchy(ontology: Graph) -> None:
    for agent in ("Country", "InternationalOrganization", "PoliticalParty", "Organization", "Person"):
        assert (KG[agent], RDFS.subClassOf, KG.Agent) in ontology
    for entity in ("Agent", "Region", "Initiative", "Event", "LegalInstrument"):
        assert (KG[entity], RDFS.subClassOf, KG.Entity) in ontology
    for report in ("Chapter", "Article", "Speech"):
        assert (KG[report], RDFS.subClassOf, KG.Report) in ontology
    for family in ("cooperation", "conflict", "structural"):
        assert (KG[family], RDFS.subPropertyOf, KG.relatedTo) in ontology


def test_symmetric_relations(ontology: Graph) -> None:
    symmetric = set(ontology.subjects(RDF.type, OWL.SymmetricProperty))
    assert symmetric == {KG.partnerOf, KG.cooperatesWith, KG.rivalOf, KG.agreesWith, KG.consultsWith}


def test_every_relation_belongs_to_one_family(ontology: Graph) -> None:
    families = {KG.cooperation, KG.conflict, KG.structural}
    relations = set(ontology.subjects(RDFS.subPropertyOf, None)) - families - {KG.mentions, KG.publishedBy, KG.isPartOf, KG.speaker}
    for relation in relations:
        assert len(set(ontology.objects(relation, RDFS.subPropertyOf)) & families) == 1, relation


def test_entity_names_are_documented(ontology: Graph) -> None:
    comment = str(ontology.value(KG.Entity, RDFS.comment))
    assert "skos:prefLabel" in comment and "skos:altLabel" in comment
