"""Compact mentions: one mention per entity and form of words in a document, with its count.

Everything that counts mentions or reads their words must give the same answers on a compact
store as on a full one; only the offsets of repeated mentions go.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import graph
from kg.analyze.trends import trend
from kg.build import build
from kg.export import entity_graph
from kg.model import Document
from kg.query import load_saved_query, run_query
from kg.resources import SAMPLE_DIR
from kg.store import Store
from kg.summary import summarize
from kg.validate import validate_store
from kg.viz.read import read_graph
from kg.workers import extract_document


@pytest.fixture(scope="module")
def stores() -> dict[str, Store]:
    built = {}
    for mode in ("full", "compact"):
        store = Store()
        build([SAMPLE_DIR], store, workers=1, compact_mentions=mode == "compact")
        built[mode] = store
    return built


def quads_in(store: Store, graph_name: str) -> set[str]:
    return {str(q) for q in store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph_name}> {{ ?s ?p ?o }} }}")}


def test_a_compact_mention_counts_the_occurrences_of_its_form() -> None:
    text = "China and Russia met. China spoke first; the PRC spoke again. China closed."
    extraction = extract_document(Document(id="note", text=text, source="note.txt"))
    china = [m for m in extraction.mentions if m.entity.id == "country/CHN"]
    assert [m.text for m in china] == ["China", "China", "PRC", "China"]
    parsed = list(ox.parse(graph.document_nquads(extraction, compact=True), format=ox.RdfFormat.N_QUADS))
    occurrences = {q.subject.value.rsplit("/", 1)[-1]: int(q.object.value)
                   for q in parsed if q.predicate.value.endswith("#occurrences")}
    first_prc = next(m for m in china if m.text == "PRC")
    assert occurrences[f"{china[0].start}-{china[0].end}"] == 3
    assert occurrences[f"{first_prc.start}-{first_prc.end}"] == 1
    assert sum(q.predicate.value.endswith("#mentionOf") for q in parsed) == len(occurrences) < len(extraction.mentions)


def test_a_compact_store_is_smaller_and_answers_the_same(stores: dict[str, Store]) -> None:
    full, compact = stores["full"], stores["compact"]
    in_documents = "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), \"" + graph.GRAPH + "doc/\")) }"
    sizes = [int(next(iter(store.query(in_documents, prefixes=graph.PREFIXES)))["n"].value) for store in (full, compact)]
    assert sizes[1] < 0.75 * sizes[0]
    assert summarize(compact) == summarize(full)
    assert quads_in(compact, graph.ENTITIES_GRAPH) == quads_in(full, graph.ENTITIES_GRAPH)
    assert quads_in(compact, graph.FACTS_GRAPH) == quads_in(full, graph.FACTS_GRAPH)
    mentions = load_saved_query("document-mentions")
    for document in ("CHN_76_2021", "ispi-china-space-cooperation"):
        # SPARQL leaves the order of GROUP_CONCAT's forms to the store: compare them as sets.
        rows = [{(entity.value, kind.value, count.value, frozenset(forms.value.split(" | ")))
                 for entity, kind, count, forms in run_query(store, mentions.text, {"document": document}).rows}
                for store in (full, compact)]
        assert rows[0] == rows[1] and len(rows[0]) > 5
    china = graph.entity_iri("country/CHN")
    assert trend(compact, china, "China") == trend(full, china, "China")
    assert read_graph(compact) == read_graph(full)
    assert sorted(entity_graph(compact).nodes(data=True)) == sorted(entity_graph(full).nodes(data=True))


def test_a_compact_store_conforms_to_the_shapes(stores: dict[str, Store]) -> None:
    assert validate_store(stores["compact"]).conforms
