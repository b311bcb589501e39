"""Which entities and relations a page draws: the whole graph or one part of it.

A view is a Selection: the entities to draw, the relations between them, a heading that
says what the page shows and a note of what it had to leave out and how to see it. The
whole graph keeps the most central entities: PageRank over the relations, teleporting in
proportion to the documents that mention each entity, so both the connected and the much
mentioned rank high.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import networkx as nx

from kg.store import Store
from kg.viz.lookup import find_document, find_entity
from kg.viz.read import GraphData, RelationInfo

PARTS = "--focus ENTITY [--hops N], --doc ID or --initiative NAME"


@dataclass(frozen=True)
class Selection:
    """What one page draws, and what it says about it."""

    heading: str  # which view this is
    nodes: list[str]  # entity ids, sorted
    relations: list[RelationInfo]  # between drawn entities, sorted
    note: str  # what is not drawn and how to see it; "" when nothing is left out
    nodes_left_out: int
    edges_left_out: int
    selected: str | None = None  # the entity the view is about


def centrality(data: GraphData) -> dict[str, float]:
    """PageRank of each entity over the relations, personalised by document counts."""
    graph = nx.Graph()
    graph.add_nodes_from(data.entities)
    graph.add_edges_from((r.subject, r.object) for r in data.relations)
    if not len(graph):
        return {}
    weights = {n: e.documents + 1.0 for n, e in data.entities.items()}
    return nx.pagerank(graph, personalization=weights, max_iter=200, tol=1e-10)


def whole(data: GraphData, max_nodes: int, everything: bool = False) -> Selection:
    """The ``max_nodes`` most central entities that documents relate, and what they state.

    The whole graph is what the documents say: relations with evidence. Entities named
    without a stated relation, and the knowledge base's curated facts (every member of every
    bloc), are left to the part views, where they explain one entity — or drawn too with
    ``everything``.
    """
    stated = list(data.relations) if everything else [r for r in data.relations if r.evidence]
    related = sorted(data.entities) if everything else sorted({e for r in stated for e in (r.subject, r.object)})
    kept = _top(data, related, max_nodes)
    keep = set(kept)
    rels = [r for r in stated if r.subject in keep and r.object in keep]
    left, left_edges = len(data.entities) - len(kept), len(data.relations) - len(rels)
    note = "" if not left else (
        f"Showing the {len(kept):,} most central of the {len(related):,} entities the documents "
        f"relate (PageRank over the relations, weighted by mentions). Not drawn: "
        f"{len(related) - len(kept):,} of those, {len(data.entities) - len(related):,} entities "
        f"named without a stated relation or only in the knowledge base, and {left_edges:,} of "
        f"{len(data.relations):,} relations (curated facts included). To see more: "
        + (f"kg viz --max-nodes {len(related)}, or " if len(related) > len(kept) else "")
        + f"one part of the graph: {PARTS}."
    )
    heading = "Whole graph" + (f": the {len(kept):,} most central entities" if left else "")
    return Selection(heading, kept, rels, note, left, left_edges)


def focus(store: Store, data: GraphData, name: str, hops: int, max_nodes: int) -> Selection:
    """The entities within ``hops`` relations of the entity called ``name``."""
    centre = find_entity(store, data, name)
    label = data.entities[centre].label
    heading = f"Neighbourhood of {label}: {hops} hop{'s' * (hops != 1)}"
    return _around(data, centre, hops, max_nodes, heading)


def initiative(store: Store, data: GraphData, name: str, max_nodes: int) -> Selection:
    """An initiative, every entity linked to it and the relations among them."""
    centre = find_entity(store, data, name, kind="Initiative")
    heading = f"Initiative {data.entities[centre].label} and everyone linked to it"
    return _around(data, centre, 1, max_nodes, heading)


def document(store: Store, data: GraphData, doc_id: str) -> Selection:
    """The entities and relations of one document's graph, with that document's evidence."""
    doc = find_document(store, doc_id)
    kept = sorted(e for e in doc.entities if e in data.entities)
    rels = [
        dataclasses.replace(r, evidence=tuple(ev for ev in r.evidence if ev.source == doc.iri))
        for r in data.relations if (r.subject, r.predicate, r.object) in doc.relations
    ]
    return Selection(f"Document {doc.id}: {doc.title}", kept, rels, "", 0, 0)


def _around(data: GraphData, centre: str, hops: int, max_nodes: int, heading: str) -> Selection:
    graph = nx.Graph()
    graph.add_nodes_from(data.entities)
    graph.add_edges_from((r.subject, r.object) for r in data.relations)
    near = sorted(nx.single_source_shortest_path_length(graph, centre, cutoff=hops))
    kept = sorted({centre, *_top(data, [n for n in near if n != centre], max_nodes - 1)})
    rels = _among(data, kept)
    left, left_edges = len(near) - len(kept), len(_among(data, near)) - len(rels)
    note = "" if not left else (
        f"Showing the {len(kept):,} most central of the {len(near):,} entities in this "
        f"neighbourhood. Not drawn: {left:,} entities and {left_edges:,} relations. To see "
        f"them: --max-nodes {len(near)}."
    )
    return Selection(heading, kept, rels, note, left, left_edges, centre)


def _top(data: GraphData, candidates: list[str], limit: int) -> list[str]:
    if len(candidates) <= limit:
        return sorted(candidates)
    rank = centrality(data)
    best = sorted(candidates, key=lambda n: (-round(rank.get(n, 0.0), 12), n))
    return sorted(best[:limit])


def _among(data: GraphData, nodes: list[str]) -> list[RelationInfo]:
    kept = set(nodes)
    return [r for r in data.relations if r.subject in kept and r.object in kept]
