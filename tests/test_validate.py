"""Graphs written per docs/graph-model.md pass the shapes; broken copies fail, saying why."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF, SH

import kg.validate
from kg.resources import SHAPES_FILE
from kg.store import Store
from kg.validate import validate_graph, validate_store
from kg.vocab import KG

SPEECH = Path(__file__).parent / "data" / "graphs" / "speech.trig"
FIXTURE = SPEECH.read_text(encoding="utf-8")
EX = Namespace("https://example.org/")


def store_of(*trigs: str) -> Store:
    store = Store()
    for trig in trigs:
        store.add(ox.parse(trig, format=ox.RdfFormat.TRIG))
    return store


def mutated(old: str, new: str) -> str:
    assert FIXTURE.count(old) == 1, old
    return FIXTURE.replace(old, new)


def test_shapes_use_only_ontology_terms() -> None:
    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    namespace = str(KG._NS)
    used = {
        str(term)[len(namespace) :]
        for triple in shapes
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(namespace)
    }
    assert used - set(KG.__annotations__) == set()


def test_every_property_shape_has_a_message() -> None:
    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    for shape in shapes.subjects(SH.path, None):
        assert shapes.value(shape, SH.message) is not None, shapes.value(shape, SH.path)


def test_fixture_conforms() -> None:
    report = validate_store(store_of(FIXTURE))
    assert report.conforms, report.text
    assert report.violations == 0


def test_in_memory_graph_conforms() -> None:
    triples = store_of(FIXTURE).query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    graph = Graph().parse(data=triples.serialize(format=ox.RdfFormat.N_TRIPLES), format="nt")
    assert validate_graph(graph).conforms


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("kg:start 120 ; ", "", "A mention must have exactly one start offset"),
        ("kg:start 120 ; kg:end 133", "kg:start 140 ; kg:end 133", "smaller than its end"),
        ("kg:confidence 0.95", "kg:confidence 1.5", "confidence (kg:confidence, an xsd:decimal"),
        ("kg:confidence 0.95", "kg:confidence 0.95e0", "xsd:decimal from 0 to 1"),
        ('kg:isoAlpha2 "US" ; kg:isoAlpha3 "USA" ;', "", "ISO 3166-1 alpha-3"),
        ('kg:isoAlpha3 "USA"', 'kg:isoAlpha3 "usa"', "three capital letters"),
        ('dcterms:title "China at the 78th UN General Assembly" ;', "", "must have a title"),
        ('"2023"^^xsd:gYear', '"2023"', "xsd:gYear, xsd:gYearMonth or xsd:date"),
        ("rdf:predicate kg:rivalOf", "rdf:predicate kg:rival", "a kg: relation between entities"),
        ('skos:prefLabel "China"@en', 'skos:prefLabel "China"', "exactly one name (skos:prefLabel"),
        ("prov:wasDerivedFrom <doc/CHN_78_2023> .\n\n", ".\n\n", "derived from"),
    ],
)
def test_mistake_is_reported(old: str, new: str, message: str) -> None:
    report = validate_store(store_of(mutated(old, new)))
    assert not report.conforms
    assert report.violations == 1, report.text
    assert message in report.text


def test_report_names_focus_node_and_path() -> None:
    report = validate_store(store_of(mutated("kg:start 120 ; ", "")))
    assert "doc:CHN_78_2023/m/120-133  kg:start:" in report.text


def test_every_document_graph_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kg.validate, "BATCH_GRAPHS", 1)
    broken = mutated("kg:confidence 0.95", "kg:confidence 1.5")
    report = validate_store(store_of(FIXTURE, broken.replace("CHN_78_2023", "USA_78_2023")))
    assert report.violations == 1
    assert "doc:USA_78_2023/m/120-133" in report.text


def test_entity_described_in_two_graphs_is_caught() -> None:
    twice = FIXTURE + '<graph/entities> { <id/country/CHN> skos:prefLabel "Chine"@fr . }'
    report = validate_store(store_of(twice))
    assert report.violations == 1
    assert "ent:country/CHN  skos:prefLabel" in report.text


def test_text_lists_the_first_violations_only() -> None:
    graph = Graph()
    for i in range(30):
        graph.add((EX[f"m{i}"], RDF.type, KG.Mention))
    report = validate_graph(graph)
    assert report.violations == 30 * 7  # every property shape but start < end
    assert len(report.text.splitlines()) == 1 + kg.validate.MAX_LISTED + 1
    assert report.text.endswith(f"and {report.violations - kg.validate.MAX_LISTED} more")
