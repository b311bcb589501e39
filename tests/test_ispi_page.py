"""The reference input, end to end: the ISPI page built into a graph, checked with SPARQL."""

from __future__ import annotations

import pytest

from kg.build import build
from kg.graph import PREFIXES
from kg.resources import SAMPLE_DIR
from kg.store import Store
from tests.sparql import rows

ISPI_PAGE = SAMPLE_DIR / "web" / "ispi-china-space-cooperation.txt"
REPORT = "The Sky Is Not the Limit. Geopolitics and Economics of the New Space Race"
TITLES = {
    "China in International Space Cooperation: Heading South",
    "Jammu and Kashmir in the Aftermath of August 2019",
    "France’s Contributions to Pacific Maritime Governance",
    "Unlocking India’s Energy Transition: Addressing Grid Flexibility Challenges and Solutions",
    "The China-Russia Partnership and the Ukraine War: Aligned but not allied",
}


@pytest.fixture(scope="module")
def store() -> Store:
    store = Store()
    report = build([ISPI_PAGE], store, workers=1)
    assert report.failed == [] and report.documents == 5
    return store


def test_the_page_yields_five_publications_of_ispi(store: Store) -> None:
    found = rows(store, """
        SELECT ?title ?publisher ?type { ?d kg:documentId ?id ; dcterms:title ?title ; a ?type ;
                                            kg:publishedBy/rdfs:label ?publisher }""")
    assert {r["title"] for r in found} == TITLES
    assert {r["publisher"] for r in found} == {"Italian Institute for International Political Studies"}
    chapter = rows(store, """
        SELECT ?type ?report ?publisher { ?d dcterms:title "China in International Space Cooperation: Heading South" ;
            a ?type ; kg:isPartOf ?r . ?r dcterms:title ?report ; a kg:Report ; kg:publishedBy/rdfs:label ?publisher }""")
    assert chapter == [{"type": PREFIXES["kg"] + "Chapter", "report": REPORT,
                        "publisher": "Italian Institute for International Political Studies"}]


def _entities(store: Store) -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = {}
    for row in rows(store, """
        SELECT DISTINCT ?e ?label ?type ?iso3 { ?d kg:mentions ?e . ?e rdfs:label ?label ; a ?class .
            BIND(STRAFTER(STR(?class), STR(kg:)) AS ?type) OPTIONAL { ?e kg:isoAlpha3 ?iso3 } }"""):
        found.setdefault(row["label"], []).append(row)
    return found


@pytest.mark.parametrize(("label", "iso3"), [("China", "CHN"), ("United States", "USA"), ("Russia", "RUS"), ("India", "IND"), ("France", "FRA")])
def test_countries_appear_once_with_iso_codes(store: Store, label: str, iso3: str) -> None:
    entities = _entities(store)
    assert len(entities[label]) == 1, entities[label]
    assert entities[label][0]["iso3"] == iso3 and entities[label][0]["type"] == "Country"


@pytest.mark.parametrize(
    ("label", "type_"),
    [
        ("Belt and Road Initiative", "Initiative"),
        ("Global Development Initiative", "Initiative"),
        ("Global Security Initiative", "Initiative"),
        ("Global South", "Region"),
        ("the West", "Region"),
        ("South Pacific", "Region"),
        ("Jammu and Kashmir", "Region"),
        ("Bharatiya Janata Party", "PoliticalParty"),
        ("Article 370", "LegalInstrument"),
        ("Ukraine War", "Event"),
    ],
)
def test_named_things_are_typed_entities(store: Store, label: str, type_: str) -> None:
    entities = _entities(store)
    assert [e["type"] for e in entities.get(label, [])] == [type_]


def test_short_forms_resolve_to_full_names(store: Store) -> None:
    forms = {(r["form"], r["label"]) for r in rows(store, "SELECT ?form ?label { ?m kg:surfaceForm ?form ; kg:mentionOf/rdfs:label ?label }")}
    assert {("BRI", "Belt and Road Initiative"), ("US", "United States"), ("U.S.", "United States"),
            ("J&K", "Jammu and Kashmir"), ("BJP", "Bharatiya Janata Party")} <= forms


def test_navigation_words_are_not_entities(store: Store) -> None:
    navigation = {"Available in", "Share", "Discover", "Regions and themes", "Related centers and programs", "Find out more"}
    labels = {r["label"] for r in rows(store, "SELECT ?label { ?m kg:mentionOf/rdfs:label ?label }")}
    forms = {r["form"] for r in rows(store, "SELECT ?form { ?m kg:surfaceForm ?form }")}
    assert not {w for w in navigation for text in labels | forms if w.lower() in text.lower()}


EXPECTED_RELATIONS = [
    ("China", "rivalOf", "United States"),
    ("China", "proposes", "Belt and Road Initiative"),
    ("China", "proposes", "Global Development Initiative"),
    ("China", "proposes", "Global Security Initiative"),
    ("China", "partnerOf", "Russia"),
    ("China", "opposes", "United States"),
    ("Russia", "opposes", "United States"),
]


@pytest.mark.parametrize(("subject", "predicate", "obj"), EXPECTED_RELATIONS)
def test_relations_carry_their_evidence(store: Store, subject: str, predicate: str, obj: str) -> None:
    evidence = rows(store, f"""
        SELECT ?sentence ?start ?end ?id ?confidence ?method {{
          ?s rdfs:label "{subject}" . ?o rdfs:label "{obj}" . ?s kg:{predicate} ?o .
          ?r rdf:subject ?s ; rdf:predicate kg:{predicate} ; rdf:object ?o ; kg:sentence ?sentence ;
             kg:start ?start ; kg:end ?end ; kg:confidence ?confidence ; kg:method ?method ;
             prov:wasDerivedFrom/kg:documentId ?id }}""")
    assert evidence, f"no evidence for {subject} {predicate} {obj}"
    from kg.ingest import read_documents

    texts = {d.id: d.text for d in read_documents([ISPI_PAGE])}
    for row in evidence:
        assert texts[row["id"]][int(row["start"]) : int(row["end"])] == row["sentence"]
        assert 0 < float(row["confidence"]) <= 1 and row["method"]
