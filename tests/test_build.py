"""Building the store: real speeches, stable IRIs, replacement on rebuild, bad input in a batch."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build import build
from kg.resources import SAMPLE_DIR
from kg.store import Store
from kg.summary import summarize
from tests.sparql import rows

SPEECHES = SAMPLE_DIR / "ungd"


def _quads(store: Store) -> set[str]:
    return {str(q) for q in store._store.quads_for_pattern(None, None, None, None)}


def test_same_input_same_graph(tmp_path: Path) -> None:
    first, second = Store(), Store(tmp_path / "store")
    build([SAMPLE_DIR], first, workers=1)
    build([SAMPLE_DIR], second, workers=2)
    assert _quads(first) == _quads(second)


def test_rebuilding_replaces_each_document_graph() -> None:
    store = Store()
    build([SPEECHES], store, workers=1)
    before = _quads(store)
    report = build([SPEECHES], store, workers=1)
    assert report.documents == len(list(SPEECHES.glob("*.txt")))
    assert _quads(store) == before


def test_a_changed_document_leaves_nothing_of_its_old_version(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("China and Russia maintain a strategic partnership.", encoding="utf-8")
    store = Store()
    build([tmp_path], store, workers=1)
    path.write_text("France welcomed the Paris Agreement.", encoding="utf-8")
    build([tmp_path], store, workers=1)
    labels = {r["label"] for r in rows(store, "SELECT ?label { ?d kg:documentId 'note' ; kg:mentions/rdfs:label ?label }")}
    assert labels == {"France", "Paris Agreement"}
    assert rows(store, "SELECT ?r { ?r a kg:RelationAssertion ; rdf:predicate kg:partnerOf }") == []


def test_speeches_name_their_speaker_and_year() -> None:
    store = Store()
    build([SPEECHES / "CHN_76_2021.txt"], store, workers=1)
    found = rows(store, "SELECT ?iso ?date { ?d a kg:Speech ; kg:speaker/kg:isoAlpha3 ?iso ; dcterms:date ?date }")
    assert found == [{"iso": "CHN", "date": "2021"}]
    # "I would like to propose a Global Development Initiative": the speaker proposes it.
    proposals = rows(store, """SELECT ?sentence { ?r rdf:subject/kg:isoAlpha3 "CHN" ; rdf:predicate kg:proposes ;
                               rdf:object/rdfs:label "Global Development Initiative" ; kg:sentence ?sentence }""")
    assert any("propose a Global Development Initiative" in p["sentence"] for p in proposals)


def test_bad_inputs_are_reported_and_the_rest_is_built(tmp_path: Path) -> None:
    shutil.copy(SPEECHES / "FJI_76_2021.txt", tmp_path)
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 in C\xf4te".encode("latin-1"))
    (tmp_path / "docs.jsonl").write_text('{"id": "a", "text": "India joined the BRICS."}\n{not json}\n', encoding="utf-8")
    errors: list[str] = []
    store = Store()
    report = build([tmp_path], store, workers=1, on_error=errors.append)
    assert report.documents == 2
    assert len(errors) == 4 and errors == report.failed
    for name in ("empty.txt", "binary.txt", "latin1.txt", "docs.jsonl"):
        assert sum(name in line for line in errors) == 1
    ids = {r["id"] for r in rows(store, "SELECT ?id { ?d kg:documentId ?id }")}
    assert ids == {"FJI_76_2021", "a"}


def test_summary_counts_the_graph() -> None:
    store = Store()
    build([SAMPLE_DIR], store, workers=1)
    summary = summarize(store)
    assert summary.documents == 17
    assert summary.entities_by_type["Country"] > 20
    assert summary.relations_by_type["proposes"] >= 3
    # The counts read indexes (graph:facts, the entities' descriptions); they must agree with
    # counting the documents' own mentions and plain relation triples.
    mentioned = rows(store, """SELECT ?key (COUNT(DISTINCT ?e) AS ?n) { ?doc kg:mentions ?e . ?e a ?class
        FILTER(STRSTARTS(STR(?class), STR(kg:))) BIND(STRAFTER(STR(?class), STR(kg:)) AS ?key) } GROUP BY ?key""")
    assert summary.entities_by_type == {r["key"]: int(r["n"]) for r in mentioned}
    stated = rows(store, """SELECT ?key (COUNT(*) AS ?n) { { SELECT DISTINCT ?s ?p ?o {
        ?a kg:statesFact ?f ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o } }
        BIND(STRAFTER(STR(?p), STR(kg:)) AS ?key) } GROUP BY ?key""")
    assert summary.relations_by_type == {r["key"]: int(r["n"]) for r in stated}


def test_the_store_persists_between_processes(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    build([SPEECHES / "FJI_76_2021.txt"], store, workers=1)
    count = store.count_quads()
    del store
    reopened = Store(tmp_path / "store", read_only=True)
    assert reopened.count_quads() == count


@pytest.mark.parametrize("fmt", [ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS])
def test_dump_writes_a_parseable_dataset(tmp_path: Path, fmt: ox.RdfFormat) -> None:
    store = Store()
    build([SPEECHES / "FJI_76_2021.txt"], store, workers=1)
    path = tmp_path / f"graph.{fmt.file_extension}"
    store.dump(path, fmt)
    assert len(list(ox.parse(path=str(path), format=fmt))) == store.count_quads()
    assert not list(tmp_path.glob("*.tmp"))


def test_a_document_the_extractor_fails_on_is_reported_and_the_rest_built(tmp_path: Path, monkeypatch) -> None:
    from kg import workers as build_module

    shutil.copy(SPEECHES / "FJI_76_2021.txt", tmp_path)
    (tmp_path / "poison.txt").write_text("A perfectly ordinary text.", encoding="utf-8")
    real = build_module.extract_document

    def flaky(document):
        if document.id == "poison":
            raise RuntimeError("boom")
        return real(document)

    monkeypatch.setattr(build_module, "extract_document", flaky)
    errors: list[str] = []
    store = Store()
    report = build([tmp_path], store, workers=1, on_error=errors.append)
    assert report.documents == 1
    assert len(errors) == 1 and "poison.txt" in errors[0] and "RuntimeError: boom" in errors[0]
    assert {r["id"] for r in rows(store, "SELECT ?id { ?d kg:documentId ?id }")} == {"FJI_76_2021"}
