"""graph:facts and graph:entities follow the documents: after any sequence of builds and
removals they are exactly what a fresh build of the same documents gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import graph
from kg.build import build, build_store, remove, rewrite_derived
from kg.resources import SAMPLE_DIR
from kg.store import Store

DERIVED = (graph.FACTS_GRAPH, graph.ENTITIES_GRAPH, graph.NAMES_GRAPH)


def quads(store: Store, graph_iri: str) -> set[str]:
    return {str(q) for q in store._store.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri))}


def assert_derived_match_a_fresh_build(store: Store, docs: Path, tmp_path: Path) -> None:
    _, fresh = build_store([docs], tmp_path / "fresh", workers=1)
    for derived in DERIVED:
        assert quads(store, derived) == quads(fresh, derived), derived
    assert store.named_graphs() == fresh.named_graphs()
    fresh.close()


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    shutil.copytree(SAMPLE_DIR / "ungd", folder)
    return folder


def test_rebuilding_edited_documents_updates_facts_and_entities_exactly(docs: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    build([docs], store, workers=1)
    (docs / "CHN_76_2021.txt").write_text(
        "The Zorblax Liberation Party (ZLP) met President Quentin Marlowe. China supports the Paris Agreement.",
        encoding="utf-8")
    (docs / "BRA_78_2023.txt").write_text(
        "Brazil welcomed the Zorblax Liberation Party. Brazil and India signed a partnership.", encoding="utf-8")
    build([docs], store, workers=1)
    assert_derived_match_a_fresh_build(store, docs, tmp_path)


def test_removing_documents_takes_their_facts_and_entities_with_them(docs: Path, tmp_path: Path) -> None:
    (docs / "note.txt").write_text("The Qorvane Accord Council (QAC) supports the Paris Agreement.", encoding="utf-8")
    store = Store(tmp_path / "store")
    build([docs], store, workers=1)
    named = "ASK { GRAPH graph:entities { ?e rdfs:label ?l } FILTER(CONTAINS(?l, 'Qorvane')) }"
    assert store.query(named, prefixes=graph.PREFIXES)
    assert remove(store, ["note", "USA_78_2023", "nonexistent"]) == ["nonexistent"]  # nothing removed yet
    assert remove(store, ["note", "USA_78_2023"]) == []
    (docs / "note.txt").unlink()
    (docs / "USA_78_2023.txt").unlink()
    assert not store.query(named, prefixes=graph.PREFIXES)
    assert_derived_match_a_fresh_build(store, docs, tmp_path)


def test_a_store_without_name_counts_gets_them_before_its_first_update(docs: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    build([docs], store, workers=1)
    store.update(f"DROP GRAPH <{graph.NAMES_GRAPH}>")  # as a store built before the counts were kept
    (docs / "note.txt").write_text("The Qorvane Accord Council (QAC) met President Quentin Marlowe.", encoding="utf-8")
    build([docs / "note.txt"], store, workers=1)
    assert_derived_match_a_fresh_build(store, docs, tmp_path)


def test_a_full_rewrite_changes_nothing_after_incremental_builds(docs: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    half = sorted(docs.iterdir())
    for path in half[::2]:
        build([path], store, workers=1)
    build([docs], store, workers=1)
    before = {derived: quads(store, derived) for derived in DERIVED}
    rewrite_derived(store)
    assert {derived: quads(store, derived) for derived in DERIVED} == before


def test_kg_remove_names_unknown_ids_and_removes_nothing_then(docs: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kg.cli import main

    store = tmp_path / "store"
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(docs), "--store", str(store), "--no-exports"]).exit_code == 0
    refused = runner.invoke(main, ["remove", "--store", str(store), "CHN_76_2021", "CHN_99"])
    assert refused.exit_code == 2 and "no document with id 'CHN_99'" in refused.stderr
    removed = runner.invoke(main, ["remove", "--store", str(store), "CHN_76_2021"])
    assert removed.exit_code == 0 and removed.stdout == f"removed 1 documents from {store}\n"
    ids = {r["id"].value for r in Store(store, read_only=True).select("SELECT ?id { ?d <https://w3id.org/irkg/ontology#documentId> ?id }")}
    assert "CHN_76_2021" not in ids and len(ids) == 11
    missing = runner.invoke(main, ["remove", "--store", str(tmp_path / "none"), "x"])
    assert missing.exit_code == 2 and not list(tmp_path.glob("none*"))
