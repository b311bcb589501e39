"""The Store interface, on both backends: the embedded database and an Oxigraph server."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import KgError
from kg.store import EmbeddedStore, RemoteStore, Store

EX = "http://example.org/"
G1, G2, ENTITIES = EX + "g1", EX + "g2", EX + "entities"


def nq(*lines: str) -> bytes:
    """N-Quads from ``s p o g`` lines of local names (``g`` may be ``-``: default graph)."""
    out = []
    for line in lines:
        s, p, o, g = line.split()
        obj = str(ox.Literal(o[1:])) if o.startswith("'") else f"<{EX}{o}>"
        out.append(f"<{EX}{s}> <{EX}{p}> {obj}" + ("" if g == "-" else f" <{EX}{g}>") + " .\n")
    return "".join(out).encode()


def quads(store: Store) -> set[str]:
    rows = store.select("SELECT ?s ?p ?o ?g { GRAPH ?g { ?s ?p ?o } }")
    return {" ".join(str(row[k]) for k in "spog") for row in rows}


def test_location_picks_the_backend(tmp_path: Path) -> None:
    assert isinstance(Store(), EmbeddedStore)
    assert isinstance(Store(tmp_path / "s"), EmbeddedStore)
    assert isinstance(Store("http://127.0.0.1:1"), RemoteStore)
    assert isinstance(Store("fuseki+https://example.org/ds"), RemoteStore)


def test_replace_graphs_replaces_each_graph_whole(any_store: Store) -> None:
    any_store.add(nq("a p b g1", "a p c g1", "x p y g2", "e label 'A entities"))
    any_store.replace_graphs([G1], nq("a p d g1", "f label 'F entities"))
    assert quads(any_store) == {
        f"<{EX}a> <{EX}p> <{EX}d> <{G1}>", f"<{EX}x> <{EX}p> <{EX}y> <{G2}>",
        f'<{EX}e> <{EX}label> "A" <{ENTITIES}>', f'<{EX}f> <{EX}label> "F" <{ENTITIES}>',
    }
    any_store.replace_graphs([G1, G2], nq("a p d g1"))  # g2 has no new quads: it goes
    assert any_store.named_graphs() == [ENTITIES, G1]


def test_replace_graphs_takes_quads_too(any_store: Store) -> None:
    any_store.add(nq("a p b g1"))
    new = ox.Quad(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.Literal("new"), ox.NamedNode(G1))
    any_store.replace_graphs([G1], [new])
    assert quads(any_store) == {f'<{EX}a> <{EX}p> "new" <{G1}>'}


def test_add_is_idempotent(any_store: Store) -> None:
    data = nq("a p b g1", "a p 'text g1", "x p y g2")
    any_store.add(data)
    any_store.add(data)
    assert any_store.count_quads() == 3
    assert any_store.named_graphs() == [G1, G2]


def test_queries_see_the_union_of_the_named_graphs(any_store: Store) -> None:
    any_store.add(nq("a knows b g1", "b knows c g2"))
    rows = any_store.select(f"SELECT ?x ?z {{ ?x <{EX}knows> ?y . ?y <{EX}knows> ?z }}")
    assert [(r["x"].value, r["z"].value) for r in rows] == [(EX + "a", EX + "c")]
    assert bool(any_store.query("ASK { ?s ex:knows ex:c }", prefixes={"ex": EX}))
    triples = list(any_store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"))
    assert {(t.subject.value, t.object.value) for t in triples} == {(EX + "a", EX + "b"), (EX + "b", EX + "c")}


def test_select_leaves_out_unbound_variables(any_store: Store) -> None:
    any_store.add(nq("a p b g1"))
    rows = any_store.select(f"SELECT ?s ?missing {{ ?s <{EX}p> ?o OPTIONAL {{ ?s <{EX}q> ?missing }} }}")
    assert rows == [{"s": ox.NamedNode(EX + "a")}]


def test_update_writes_and_deletes(any_store: Store) -> None:
    any_store.add(nq("a p b g1"))
    any_store.update(f"INSERT DATA {{ GRAPH <{G2}> {{ <{EX}x> <{EX}p> 'y' }} }}")
    any_store.update(f"DELETE WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}")
    assert quads(any_store) == {f'<{EX}x> <{EX}p> "y" <{G2}>'}
    assert any_store.count_quads() == 1


@pytest.mark.parametrize("fmt", [ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS, ox.RdfFormat.JSON_LD])
def test_dump_parses_back(any_store: Store, tmp_path: Path, fmt: ox.RdfFormat) -> None:
    data = nq("a p b g1", "a p 'é\"\\n g1", "x p y g2")
    any_store.add(data)
    any_store.dump(tmp_path / "out" / "graph", fmt)
    parsed = set(ox.parse(path=str(tmp_path / "out" / "graph"), format=fmt))
    assert parsed == set(ox.parse(data, format=ox.RdfFormat.N_QUADS))
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["graph"]


def test_dump_one_graph_as_turtle(any_store: Store, tmp_path: Path) -> None:
    any_store.add(nq("a p b g1", "x p y g2"))
    any_store.dump(tmp_path / "g1.ttl", ox.RdfFormat.TURTLE, graph=G1)
    triples = [q.triple for q in ox.parse(path=str(tmp_path / "g1.ttl"), format=ox.RdfFormat.TURTLE)]
    assert [(t.subject.value, t.object.value) for t in triples] == [(EX + "a", EX + "b")]
    with pytest.raises(KgError, match="TriG"):
        any_store.dump(tmp_path / "all.ttl", ox.RdfFormat.TURTLE)


def test_errors_are_kg_errors(any_store: Store) -> None:
    with pytest.raises(KgError):
        any_store.query("SELECT ?x WHERE { ?x")
    with pytest.raises(KgError):
        any_store.update("INSERT DATA { oops")
    with pytest.raises(KgError, match="SELECT"):
        any_store.select("ASK { ?s ?p ?o }")
