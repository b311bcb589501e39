"""`kg export`: every format parses back, with the store's quads or its entity graph."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.build import build
from kg.cli import main
from kg.export import FORMATS, RDF_FORMATS, entity_graph, export
from kg.resources import SAMPLE_DIR
from kg.store import Store
from tests.sparql import rows

CHINA, RUSSIA = "https://w3id.org/irkg/id/country/CHN", "https://w3id.org/irkg/id/country/RUS"


@pytest.fixture(scope="module")
def store() -> Store:
    store = Store()
    build([SAMPLE_DIR], store, workers=1)
    return store


@pytest.fixture(scope="module")
def graph(store: Store) -> nx.MultiDiGraph:
    return entity_graph(store)


def store_quads(store: Store) -> set[ox.Quad]:
    return set(store._store.quads_for_pattern(None, None, None, None))


@pytest.mark.parametrize("fmt", ["trig", "nquads", "jsonld"])
def test_dataset_formats_keep_every_named_graph(store: Store, tmp_path: Path, fmt: str) -> None:
    path = export(store, fmt, tmp_path / f"graph.{fmt}")
    assert set(ox.parse(path=str(path), format=RDF_FORMATS[fmt])) == store_quads(store)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_turtle_is_the_union_as_one_graph(store: Store, tmp_path: Path) -> None:
    path = export(store, "turtle", tmp_path / "graph.ttl")
    parsed = {q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)}
    assert parsed == {q.triple for q in store_quads(store)}
    assert "@prefix kg: <https://w3id.org/irkg/ontology#>" in path.read_text(encoding="utf-8")


def test_the_entity_graph_has_entities_and_facts(store: Store, graph: nx.MultiDiGraph) -> None:
    china = graph.nodes[CHINA]
    assert (china["label"], china["type"], china["iso3"]) == ("China", "Country", "CHN")
    assert china["mentions"] > china["documents"] > 1
    edge = graph.edges[CHINA, RUSSIA, "partnerOf"]
    assert edge["predicate"] == "partnerOf" and edge["family"] == "cooperation"
    assert edge["evidence"] >= 1 and 0 < edge["confidence"] <= 1
    curated = [d for _, _, d in graph.edges(data=True) if d["predicate"] == "memberOf" and d["evidence"] == 0]
    assert curated and all(d["confidence"] == 1.0 for d in curated)
    facts = rows(store, "SELECT DISTINCT ?s ?p ?o { ?p rdfs:subPropertyOf+ kg:relatedTo . ?s ?p ?o }")
    expected = {(f["s"], f["o"], f["p"].rsplit("#")[-1]) for f in facts if f["s"] in graph and f["o"] in graph}
    assert set(graph.edges(keys=True)) == expected and len(expected) > 100


@pytest.mark.parametrize("fmt,read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_network_formats_parse_back(
    store: Store, graph: nx.MultiDiGraph, tmp_path: Path, fmt: str, read: Callable[[Path], nx.Graph]
) -> None:
    path = export(store, fmt, tmp_path / f"graph.{fmt}")
    parsed = read(path)
    assert parsed.is_directed()
    assert parsed.number_of_nodes() == graph.number_of_nodes()
    assert parsed.number_of_edges() == graph.number_of_edges()
    china = parsed.nodes[CHINA]
    assert china["label"] == "China" and china["iso3"] == "CHN" and int(china["mentions"]) == graph.nodes[CHINA]["mentions"]
    edges = [d for _, v, d in parsed.out_edges(CHINA, data=True) if v == RUSSIA and d["predicate"] == "partnerOf"]
    assert len(edges) == 1 and int(edges[0]["evidence"]) >= 1 and float(edges[0]["confidence"]) > 0


def test_kg_export_writes_each_format(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "store"
    built = Store(folder)
    built.add(ox.serialize(store_quads(store), format=ox.RdfFormat.N_QUADS))
    built.close()
    for fmt in FORMATS:
        out = tmp_path / f"out.{fmt}"
        result = CliRunner().invoke(main, ["export", "--store", str(folder), "--format", fmt, "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert result.output == f"wrote {out}\n" and out.stat().st_size > 1000
