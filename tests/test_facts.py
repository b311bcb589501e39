"""graph:facts, the store-wide summary of each relation, rewritten by every build."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.build import build
from kg.query import load_saved_query, run_query
from kg.resources import SAMPLE_DIR
from kg.store import Store
from tests.sparql import rows

FACTS = """SELECT ?documents ?curated ?sentence ?source {
  ?s rdfs:label "%s" . ?o rdfs:label "%s" .
  GRAPH graph:facts { ?f a kg:Fact ; rdf:subject ?s ; rdf:predicate kg:%s ; rdf:object ?o ;
                         kg:documentCount ?documents ; kg:curated ?curated }
  OPTIONAL { GRAPH graph:facts { ?f kg:evidence ?a } ?a kg:sentence ?sentence ; prov:wasDerivedFrom/kg:documentId ?source }
}"""


def _write(folder: Path, name: str, text: str) -> None:
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")


def test_a_fact_counts_the_documents_that_state_it_not_those_that_deny_it(tmp_path: Path) -> None:
    _write(tmp_path, "a", "Brazil supports the Global Development Initiative.")
    _write(tmp_path, "b", "Brazil strongly supports the Global Development Initiative.")
    _write(tmp_path, "c", "Brazil does not support the Global Development Initiative.")
    store = Store()
    build([tmp_path], store, workers=1)
    [fact] = rows(store, FACTS % ("Brazil", "Global Development Initiative", "supports"))
    assert fact["documents"] == "2" and fact["curated"] == "false"
    assert fact["source"] in {"a", "b"} and "does not" not in fact["sentence"]


def test_curated_facts_are_listed_with_no_document(tmp_path: Path) -> None:
    _write(tmp_path, "a", "China launched the Belt and Road Initiative.")
    store = Store()
    build([tmp_path], store, workers=1)
    # India's membership of BRICS is in the knowledge base; no document states it.
    [membership] = rows(store, FACTS % ("India", "BRICS", "memberOf"))
    assert membership == {"documents": "0", "curated": "true"}


def test_every_build_rewrites_the_facts(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Chile supports the Global Development Initiative.", encoding="utf-8")
    store = Store()
    build([tmp_path], store, workers=1)
    assert rows(store, FACTS % ("Chile", "Global Development Initiative", "supports"))
    note.write_text("Chile welcomed the delegates.", encoding="utf-8")
    build([tmp_path], store, workers=1)
    assert rows(store, FACTS % ("Chile", "Global Development Initiative", "supports")) == []


@pytest.fixture(scope="module")
def sample() -> Store:
    store = Store()
    build([SAMPLE_DIR], store, workers=1)
    return store


def test_the_sample_facts_agree_with_the_documents_graphs(sample: Store) -> None:
    store = sample
    # Recount every fact the slow way, from the documents' graphs, and compare.
    recount = rows(store, """SELECT ?s ?p ?o (COUNT(DISTINCT ?g) AS ?n) {
        ?p rdfs:subPropertyOf* kg:relatedTo . GRAPH ?g { ?s ?p ?o } ?g a kg:DocumentGraph } GROUP BY ?s ?p ?o""")
    summary = rows(store, """SELECT ?s ?p ?o ?n { GRAPH graph:facts {
        ?f rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:documentCount ?n FILTER(?n > 0) } }""")
    assert len(summary) > 50
    assert sorted(summary, key=str) == sorted(recount, key=str)


def test_speeches_by_country_list_the_years_in_order(sample: Store) -> None:
    result = run_query(sample, load_saved_query("speeches-by-country-year").text, {"country": "China"})
    [row] = [[term.value for term in r] for r in result.rows]
    assert row == ["China", "3", "2021 2022 2023", "CHN_76_2021 CHN_77_2022 CHN_78_2023"]
