"""Turn the graph data into vis-network nodes and edges: selection, layout, style, tooltips.

Tooltips are HTML in which every string that came from a document is escaped with
``html.escape``; the page turns them into elements (see page.js). Node labels are drawn
on the canvas, which never parses markup, so they stay as written.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from html import escape
from typing import Any

import networkx as nx

from kg.viz.read import EntityInfo, GraphData, RelationInfo

# Colour per entity class (Tableau 10, distinguishable by most colour-blind readers).
CLASS_COLORS = {
    "Country": "#4e79a7",
    "InternationalOrganization": "#f28e2b",
    "Initiative": "#59a14f",
    "Region": "#76b7b2",
    "PoliticalParty": "#e15759",
    "Organization": "#edc948",
    "Person": "#b07aa1",
    "Event": "#ff9da7",
    "LegalInstrument": "#9c755f",
}
FAMILY_COLORS = {"cooperation": "#2e7d32", "conflict": "#c62828", "structural": "#8d8d8d"}
MAX_EVIDENCE = 3
MIN_SIZE, MAX_SIZE = 10.0, 42.0  # node radius in pixels
MIN_FONT, MAX_FONT = 14, 24  # label size in pixels, for a graph of up to 36 nodes
SEED = 7
SPREAD = 60.0  # pixels per sqrt(node): the layout's radius grows with sqrt(nodes)
GRID = 90.0  # pixels between entities that have no relation drawn


@dataclass(frozen=True)
class Drawing:
    """vis-network nodes and edges, and what was left out to draw them."""

    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    nodes_left_out: int
    edges_left_out: int


def make_drawing(data: GraphData, max_nodes: int) -> Drawing:
    """Keep the ``max_nodes`` most mentioned and connected entities, lay them out, style them."""
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(data.entities)
    graph.add_edges_from((r.subject, r.object, r.predicate, {"rel": r}) for r in data.relations)
    kept = _top_nodes(graph, data.entities, max_nodes)
    shown = graph.subgraph(kept)
    positions = _layout(shown)
    degree = dict(shown.degree())
    top_docs = max((data.entities[n].documents for n in kept), default=0)
    # Bigger graphs are seen zoomed out: grow the largest labels so they stay legible.
    max_font = MAX_FONT * max(1.0, math.sqrt(len(kept)) / 8)
    nodes = [
        _node(data.entities[n], positions[n], degree[n], top_docs, max_font)
        for n in sorted(kept)
    ]
    rels = sorted(
        (d["rel"] for _, _, d in shown.edges(data=True)),
        key=lambda r: (r.subject, r.predicate, r.object),
    )
    edges = _edges(rels, data.entities)
    return Drawing(
        nodes, edges, len(data.entities) - len(kept), len(data.relations) - len(edges)
    )


def _top_nodes(graph: nx.MultiDiGraph, entities: dict[str, EntityInfo], limit: int) -> list[str]:
    if len(entities) <= limit:
        return list(entities)
    degree = dict(graph.degree())
    ranked = sorted(entities, key=lambda n: (-entities[n].documents, -degree[n], n))
    return ranked[:limit]


def _layout(graph: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Fruchterman-Reingold layout with a fixed seed, in pixels.

    Entities without a drawn relation go in a grid under the rest, instead of being flung
    to the edges of the page where they would shrink everything else.
    """
    simple = nx.Graph()
    simple.add_edges_from(sorted((min(u, v), max(u, v)) for u, v in graph.edges()))
    pos: dict[str, tuple[float, float]] = {}
    if len(simple):
        scale = SPREAD * math.sqrt(len(simple)) + 200.0
        k = 2.0 / math.sqrt(len(simple))
        layout = nx.spring_layout(simple, seed=SEED, k=k, method="force")
        pos = {n: (round(x * scale, 1), round(y * scale, 1)) for n, (x, y) in layout.items()}
    alone = sorted(n for n in graph if n not in simple)
    if alone:
        xs = [x for x, _ in pos.values()] or [0.0]
        top = max((y for _, y in pos.values()), default=0.0) + 2 * GRID
        per_row = max(1, int((max(xs) - min(xs)) // GRID) + 1)
        for i, n in enumerate(alone):
            pos[n] = (min(xs) + GRID * (i % per_row), top + GRID * (i // per_row))
    return pos


def _node(
    entity: EntityInfo, xy: tuple[float, float], degree: int, top_docs: int, max_font: float
) -> dict[str, Any]:
    weight = math.sqrt(entity.documents / top_docs) if top_docs else 0.0
    return {
        "id": entity.id,
        "label": entity.label,
        "group": entity.type,
        "color": CLASS_COLORS[entity.type],
        "size": round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * weight, 1),
        "font": {"size": round(MIN_FONT + (max_font - MIN_FONT) * weight**1.5)},
        "x": xy[0],
        "y": xy[1],
        "title": _node_tip(entity, degree),
    }


def _node_tip(entity: EntityInfo, degree: int) -> str:
    lines = [f"<b>{escape(entity.label)}</b>", escape(class_label(entity.type))]
    if entity.iso3:
        lines.append(f"ISO code: {escape(entity.iso3)}")
    lines.append(f"{entity.documents} document{'s' * (entity.documents != 1)}, "
                 f"{degree} relation{'s' * (degree != 1)} drawn")
    others = [f for f in entity.surface_forms if f != entity.label]
    if others:
        lines.append("in text: " + ", ".join(f"“{escape(f)}”" for f in others))
    return "<br>".join(lines)


def _edges(rels: list[RelationInfo], entities: dict[str, EntityInfo]) -> list[dict[str, Any]]:
    """One edge per relation; parallel edges between a pair are bent apart."""
    seen: Counter[frozenset[str]] = Counter()
    edges = []
    for rel in rels:
        pair = frozenset((rel.subject, rel.object))
        bend = seen[pair]
        seen[pair] += 1
        edge = {
            "id": f"{rel.subject} {rel.predicate} {rel.object}",
            "from": rel.subject,
            "to": rel.object,
            "label": rel.predicate,
            "color": _edge_color(FAMILY_COLORS[rel.family]),
            "smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.2 * bend}
            if bend else False,
            "title": _edge_tip(rel, entities),
        }
        if rel.symmetric:
            edge["arrows"] = {"to": {"enabled": False}}
        edges.append(edge)
    return edges


def _edge_color(color: str) -> dict[str, Any]:
    return {"color": color, "highlight": color, "hover": color, "opacity": 0.7}


def _edge_tip(rel: RelationInfo, entities: dict[str, EntityInfo]) -> str:
    head = (
        f"<b>{escape(entities[rel.subject].label)}</b> {escape(rel.predicate)} "
        f"<b>{escape(entities[rel.object].label)}</b>"
    )
    count = len(rel.evidence)
    summary = f"{rel.family}; {count} sentence{'s' * (count != 1)}"
    return f"{head}<br>{summary} of evidence" + "".join(
        f"<div class=\"kg-ev\">“{escape(ev.sentence)}”<br><i>{escape(ev.document)}</i></div>"
        for ev in rel.evidence[:MAX_EVIDENCE]
    )


def class_label(name: str) -> str:
    """A class name as words.

    >>> class_label("InternationalOrganization")
    'International organization'
    """
    return "".join(" " + c.lower() if c.isupper() and i else c for i, c in enumerate(name))
