"""Which entities, documents and relations a page draws: the whole graph or one part of it.

A view is a Selection: the entities to draw, the relations between them, the documents
(publications) it involves, a heading that says what the page shows, a note of what it had to
leave out and how to see it, and the file name it is written to by default. Entities are
ranked by the centrality of :mod:`kg.viz.centrality`, the measure `kg analyze centrality`
reports. Documents follow the rule of :mod:`kg.viz.documents`: drawn when the view involves
at most ``DOCUMENT_LIMIT`` of them, else the most relevant on a toggle.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import networkx as nx

from kg.extract.kb import slugify
from kg.store import Store
from kg.viz.documents import ABOUT, DOCUMENT_LIMIT, about, node_id
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
    selected: str | None = None  # the entity or document the view is about
    documents: list[str] = field(default_factory=list)  # document node ids in the page, sorted
    documents_hidden: bool = False  # on a toggle: the view involves more than DOCUMENT_LIMIT
    documents_involved: int = 0  # documents the view involves (naming its entity, say)
    mention_limit: int | None = ABOUT  # entities a document node is linked to; None: all drawn
    name: str = "graph"  # the file it is written to by default, without ".html"
    aside: str = ""  # what else is not drawn, said quietly
    lateral: frozenset[tuple[str, str, str]] = frozenset()  # relations hidden until asked for
    rings: bool = False  # laid out around ``selected``, its neighbours on rings


def whole(data: GraphData, max_nodes: int, everything: bool = False) -> Selection:
    """The ``max_nodes`` most central entities that documents relate, and what they state.

    The whole graph is what the documents say: relations with evidence. Entities named
    without a stated relation, and the knowledge base's curated facts (every member of every
    bloc), are left to the part views, where they explain one entity — or drawn too with
    ``everything``.
    """
    stated = list(data.relations) if everything else [r for r in data.relations if r.evidence]
    related = sorted(data.entities) if everything else sorted({e for r in stated for e in (r.subject, r.object)})
    involved = list(data.documents)
    candidates = set(related)
    if len(involved) <= DOCUMENT_LIMIT:  # drawn: with the entities they are about
        everyone = set(data.entities)
        for doc in data.documents.values():
            candidates.update(doc.publishers, doc.speakers, about(doc, everyone, data.rank_key))
    kept = _top(data, sorted(candidates), max_nodes)
    keep = set(kept)
    rels = [r for r in stated if r.subject in keep and r.object in keep]
    left, left_edges = len(data.entities) - len(kept), len(data.relations) - len(rels)
    cut = len(candidates) - len(kept)
    extra = " or are about" if len(candidates) > len(related) else ""
    note = "" if not cut else (
        f"Showing the {len(kept):,} most central of the {len(candidates):,} entities the documents "
        f"relate{extra}. To see more: kg viz --max-nodes {len(candidates)}, or one part of the "
        f"graph: {PARTS}."
    )
    unrelated = len(data.entities) - len(candidates)
    aside = "" if everything or not unrelated else (
        f"Not drawn: {unrelated:,} entities named without a stated relation or only in the knowledge "
        f"base, and the {len(data.relations) - len(stated):,} curated facts; kg viz --all draws them."
    )
    heading = "Whole graph" + (f": the {len(kept):,} most central entities" if cut else "")
    docs, hidden = _documents(data, involved, keep, rels)
    return Selection(heading, kept, rels, note, left, left_edges, None, docs, hidden, len(involved),
                     aside=aside)


def focus(store: Store, data: GraphData, name: str, hops: int, max_nodes: int) -> Selection:
    """The entities within ``hops`` relations of the entity called ``name``."""
    centre = find_entity(store, data, name)
    label = data.entities[centre].label
    heading = f"Neighbourhood of {label}: {hops} hop{'s' * (hops != 1)}"
    name = f"graph-focus-{slugify(label) or 'entity'}" + (f"-{hops}-hops" if hops != 1 else "")
    return _around(data, centre, hops, max_nodes, heading, name)


def initiative(store: Store, data: GraphData, name: str, max_nodes: int) -> Selection:
    """An initiative, every entity linked to it and the relations among them."""
    centre = find_entity(store, data, name, kind="Initiative")
    label = data.entities[centre].label
    heading = f"Initiative {label} and everyone linked to it"
    return _around(data, centre, 1, max_nodes, heading, f"graph-initiative-{slugify(label) or 'initiative'}")


def document(store: Store, data: GraphData, doc_id: str) -> Selection:
    """The entities and relations of one document's graph, with that document's evidence."""
    doc = find_document(store, doc_id)
    kept = sorted(e for e in doc.entities if e in data.entities)
    rels = [
        dataclasses.replace(r, evidence=tuple(ev for ev in r.evidence if ev.source == doc.iri))
        for r in data.relations if (r.subject, r.predicate, r.object) in doc.relations
    ]
    me = node_id(doc.iri)
    family = sorted(
        d.id for d in data.documents.values()
        if d.id == me or d.id in data.documents.get(me, d).part_of or me in d.part_of
    )
    return Selection(
        f"Document {doc.id}: {doc.title}", kept, rels, "", 0, 0, me if me in data.documents else None,
        family, False, len(family), None, f"graph-doc-{slugify(doc.id) or 'document'}",
    )


def _around(
    data: GraphData, centre: str, hops: int, max_nodes: int, heading: str, name: str
) -> Selection:
    graph = nx.Graph()
    graph.add_nodes_from(data.entities)
    graph.add_edges_from((r.subject, r.object) for r in data.relations)
    distance = nx.single_source_shortest_path_length(graph, centre, cutoff=hops)
    near = sorted(distance)
    kept = sorted({centre, *_top(data, [n for n in near if n != centre], max_nodes - 1)})
    rels = _among(data, kept)
    # Links between entities as far from the centre as each other go on a toggle.
    lateral = frozenset((r.subject, r.predicate, r.object) for r in rels
                        if distance[r.subject] == distance[r.object])
    left, left_edges = len(near) - len(kept), len(_among(data, near)) - len(rels)
    note = "" if not left else (
        f"Showing the {len(kept):,} most central of the {len(near):,} entities in this "
        f"neighbourhood. Not drawn: {left:,} entities and {left_edges:,} relations. To see "
        f"them: --max-nodes {len(near)}."
    )
    involved = [d.id for d in data.documents.values() if centre in d.named]
    docs, hidden = _documents(data, involved, set(kept), rels, centre)
    return Selection(heading, kept, rels, note, left, left_edges, centre, docs, hidden,
                     len(involved), ABOUT, name, lateral=lateral, rings=hops == 1)


def _top(data: GraphData, candidates: list[str], limit: int) -> list[str]:
    if len(candidates) <= limit:
        return sorted(candidates)
    return sorted(sorted(candidates, key=data.rank_key)[:limit])


def _documents(
    data: GraphData, involved: list[str], drawn: set[str], rels: list[RelationInfo],
    centre: str | None = None,
) -> tuple[list[str], bool]:
    """The documents a page carries, and whether they start hidden.

    Up to ``DOCUMENT_LIMIT`` involved, all of them, drawn. Beyond, the ``DOCUMENT_LIMIT`` that
    state the most drawn relations (then name ``centre`` most, then the most drawn entities,
    then the newest), hidden until the reader turns them on.
    """
    if len(involved) <= DOCUMENT_LIMIT:
        return sorted(involved), False
    stating: dict[str, int] = {}
    for r in rels:
        for source in {ev.source for ev in r.evidence}:
            stating[source] = stating.get(source, 0) + 1

    def relevance(doc_id: str) -> tuple[int, int, int, int, str]:
        doc = data.documents[doc_id]
        times = dict(doc.mentions).get(centre, 0) if centre else 0
        return (-stating.get(doc.iri, 0), -times, -len(doc.named & drawn), -(doc.year or 0), doc_id)

    return sorted(sorted(involved, key=relevance)[:DOCUMENT_LIMIT]), True


def _among(data: GraphData, nodes: list[str]) -> list[RelationInfo]:
    kept = set(nodes)
    return [r for r in data.relations if r.subject in kept and r.object in kept]
