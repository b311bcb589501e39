"""graph:facts, the store-wide summary of each relation, kept up to date with the documents.

A relation between two entities is stated as a plain triple in the graph of every document that
states it, and in graph:kb when the knowledge base records it. Listing relations by how many
documents state them, with an example sentence, would otherwise mean joining every assertion of
the store at query time; one kg:Fact per relation makes such listings read a few hundred nodes.

Each batch of documents rewrites the facts it touches in the same transaction as the documents
(:func:`update_for`); a store that cannot do that (a SPARQL server) rewrites them all once its
writes are done (:func:`summarise`), and says meanwhile that they are stale.
"""

from __future__ import annotations

import pyoxigraph as ox

from kg import graph
from kg.store import Change, Store, is_url
from kg.vocab import KG, relation_families

_ASSERTION_PARTS = {graph.RDF + "subject": 0, graph.RDF + "predicate": 1, graph.RDF + "object": 2}


def update_for(change: Change) -> str:
    """SPARQL Update rewriting the facts whose evidence ``change`` alters: the relations whose
    plain triple, or one of whose assertions, it adds, removes or edits."""
    return graph.facts_update(touched(change))


def summarise(store: Store) -> None:
    """Rewrite graph:facts from what the store holds now (and take back a stale mark).

    A SPARQL server does it in one update, so that no assertion leaves it; the embedded store
    answers three selects faster than that update and writes only the difference."""
    if is_url(store.location):
        store.update(graph.facts_rewrite())
        return
    counts = [(r["f"].value, r["s"].value, r["p"].value, r["o"].value, int(r["documents"].value), int(r["inKb"].value) > 0)
              for r in store.select(graph.fact_counts_query())]
    evidence = {r["f"].value: r["best"].value.split(" ", 1)[1] for r in store.select(graph.fact_evidence_query())}
    store.replace_graphs([graph.FACTS_GRAPH], graph.facts_nquads(counts, evidence))


def touched(change: Change) -> set[tuple[str, str, str]]:
    """The (subject, predicate, object) IRIs of each relation whose fact ``change`` may alter."""
    relations = _relation_iris()
    keys: set[tuple[str, str, str]] = set()
    edited: set[ox.NamedNode | ox.BlankNode] = set()
    parts: dict[ox.NamedNode | ox.BlankNode, list[str]] = {}
    for graph_name in change.before:
        before, after = change.before[graph_name], change.after[graph_name]
        for quad in before ^ after:
            if quad.predicate.value in relations:
                keys.add(_key(quad))
            edited.add(quad.subject)
        for quad in before | after:
            slot = _ASSERTION_PARTS.get(quad.predicate.value)
            if slot is not None:
                parts.setdefault(quad.subject, [""] * 3)[slot] = quad.object.value
    for node in edited & parts.keys():
        subject, predicate, obj = parts[node]
        if predicate in relations:
            keys.add((subject, predicate, obj))
    return keys


def mark_stale(store: Store) -> None:
    """Say in graph:facts that documents are changing; :func:`summarise` takes it back."""
    store.add(graph.stale_nquads())


def is_stale(store: Store) -> bool:
    """True when a build changed documents and did not finish its summaries (it was stopped)."""
    return bool(store.query(f"ASK {{ GRAPH <{graph.FACTS_GRAPH}> {{ <{graph.FACTS_GRAPH}> <{KG._NS}stale> true }} }}"))


def _relation_iris() -> frozenset[str]:
    return frozenset(str(KG._NS) + name for name in relation_families())


def _key(quad: ox.Quad) -> tuple[str, str, str]:
    return quad.subject.value, quad.predicate.value, quad.object.value
