"""Turn a view's selection into vis-network nodes and edges: layout, style, tooltips.

Tooltips are HTML in which every string that came from a document is escaped with
``html.escape``; the page turns them into elements (see page.js). Node labels are drawn
on the canvas, which never parses markup, so they stay as written. What the page's panel
lists (documents, evidence) travels as plain data and is put in with ``textContent``.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from html import escape
from typing import Any

from kg.model import ENTITY_TYPES
from kg.viz.documents import by_entity
from kg.viz.draw_documents import (
    DocumentTable,
    document_links,
    document_node,
    entity_documents,
    link_edge,
    stated_by,
)
from kg.viz.layout import layout, place_near, push_out, rings, separate
from kg.viz.read import EntityInfo, GraphData, RelationInfo
from kg.viz.views import Selection

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
    "Place": "#bab0ac",
}
FAMILY_COLORS = {"cooperation": "#2e7d32", "conflict": "#c62828", "structural": "#8d8d8d"}
MAX_EVIDENCE = 3  # sentences in an edge's tooltip
MAX_PANEL_EVIDENCE = 10  # sentences an edge carries for the panel
MAX_DOCUMENTS = 20  # documents an entity carries for the panel
MAX_ALIASES = 4
EDGE_OPACITY, FAINT_OPACITY = 0.7, 0.2
DENSE = 3  # relations per drawn entity above which edges are drawn faint
MIN_SIZE, MAX_SIZE = 10.0, 42.0  # node radius in pixels
MIN_LABEL, MAX_LABEL = 12, 18  # label size on the screen, at any zoom (see page.js)


@dataclass(frozen=True)
class Drawing:
    """vis-network nodes and edges of one view, and what was left out to draw them."""

    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    nodes_left_out: int
    edges_left_out: int
    documents: list[dict[str, Any]] = field(default_factory=list)  # the table the page lists

    @property
    def entity_count(self) -> int:
        return sum(n.get("kind") != "document" for n in self.nodes)

    @property
    def relation_count(self) -> int:
        return sum(e["family"] != "document" for e in self.edges)


def make_drawing(data: GraphData, selection: Selection) -> Drawing:
    """Lay out and style the entities, documents and relations ``selection`` keeps."""
    kept, docs = selection.nodes, selection.documents
    links = document_links(data, selection)
    pairs = [(r.subject, r.object) for r in selection.relations]
    near: dict[str, list[str]] = {d: [] for d in docs}
    for k in links:
        near[k.source].append(k.target)
    if selection.rings and selection.selected in kept:  # an ego view: neighbours around it
        around = sorted((n for n in kept if n != selection.selected),
                        key=lambda n: (ENTITY_TYPES.index(data.entities[n].type), data.rank_key(n)))
        positions = rings(selection.selected, around)
        reach = max((math.hypot(*xy) for xy in positions.values()), default=0.0) + 160.0
        positions = push_out(place_near(positions, near), docs, reach)
    elif docs and not selection.documents_hidden:  # drawn: they shape the layout
        positions = layout([*kept, *docs], pairs + [(k.source, k.target) for k in links])
    else:  # on a toggle: each beside what it links to, the entities laid out without them
        positions = place_near(layout(kept, pairs), near)
    degree: Counter[str] = Counter()
    for r in selection.relations:
        degree.update((r.subject, r.object))
    # Sizes follow the rank among the drawn entities, not the raw score: one hub (the UN, a
    # member of everything) would otherwise shrink every other label out of sight.
    order = sorted(kept, key=data.rank_key, reverse=True)
    percentile = {n: i / max(len(order) - 1, 1) for i, n in enumerate(order)}
    radii = {n: node_size(percentile[n]) for n in kept} | {d: 14.0 for d in docs}
    positions = separate(positions, radii)
    table = DocumentTable()
    listed = by_entity({d: data.documents[d] for d in data.documents})
    nodes = [
        _node(data, data.entities[n], positions[n], degree[n], percentile[n], listed.get(n, []), table)
        for n in kept
    ]
    # Dense drawings (many relations per entity) get faint edges: a click brings them out.
    dense = len(selection.relations) > DENSE * max(len(kept), 1)
    opacity = FAINT_OPACITY if dense else EDGE_OPACITY
    edges = _edges(selection.relations, data, opacity, table)
    for edge, rel in zip(edges, selection.relations, strict=True):
        if (rel.subject, rel.predicate, rel.object) in selection.lateral:
            edge["lateral"] = True
    drawn_edges = {e["id"] for e in edges}
    stated = stated_by(data, docs)
    nodes += [document_node(data, data.documents[d], positions[d], table, stated[d], drawn_edges)
              for d in docs]
    labels = {n["id"]: n["label"] for n in nodes}
    edges += [link_edge(k, labels) for k in links]
    return Drawing(nodes, edges, selection.nodes_left_out, selection.edges_left_out, table.rows)


def node_size(percentile: float) -> float:
    """Radius in pixels for a node at this centrality percentile (0 to 1)."""
    return round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * percentile**2, 1)


def _node(
    data: GraphData, entity: EntityInfo, xy: tuple[float, float], degree: int, centrality: float,
    documents: list[str], table: DocumentTable,
) -> dict[str, Any]:
    """A node sized by its centrality: its rank's percentile among the drawn entities."""
    weight = centrality**2
    return {
        "id": entity.id,
        "label": entity.label,
        "group": entity.type,
        "color": CLASS_COLORS[entity.type],
        "size": node_size(centrality),
        "labelPx": round(MIN_LABEL + (MAX_LABEL - MIN_LABEL) * weight),
        "x": xy[0],
        "y": xy[1],
        "title": _node_tip(entity, degree, entity_documents(data, documents)),
        "names": [entity.label, *entity.aliases, *([entity.iso3] if entity.iso3 else [])],
        "years": list(entity.years),
        "docs": [table.add(data, data.documents[d].iri) for d in documents[:MAX_DOCUMENTS]],
        "documents": entity.documents,
    }


def _node_tip(entity: EntityInfo, degree: int, documents: str) -> str:
    lines = [f"<b>{escape(entity.label)}</b>", escape(class_label(entity.type))]
    if entity.iso3:
        lines.append(f"ISO code: {escape(entity.iso3)}")
    if entity.aliases:
        lines.append("also: " + ", ".join(escape(a) for a in entity.aliases[:MAX_ALIASES]))
    span = _span(entity.years)
    lines.append(f"{entity.documents} document{'s' * (entity.documents != 1)}"
                 f"{f' ({span})' if span else ''}, {degree} relation{'s' * (degree != 1)} drawn")
    others = [f for f in entity.surface_forms if f != entity.label]
    if others:
        lines.append("in text: " + ", ".join(f"“{escape(f)}”" for f in others))
    if documents:
        lines.append(documents)
    return "<br>".join(lines)


def _edges(
    rels: list[RelationInfo], data: GraphData, opacity: float, table: DocumentTable
) -> list[dict[str, Any]]:
    """One edge per relation, as wide as the documents stating it; parallel ones bent apart."""
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
            "color": _edge_color(FAMILY_COLORS[rel.family], opacity),
            "width": edge_width(rel.documents),
            "smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.2 * bend}
            if bend else False,
            "title": _edge_tip(rel, data.entities),
            "family": rel.family,
            "confidence": rel.confidence,
            "years": list(rel.years),
            "documents": rel.documents,
            "evidence": [[ev.sentence, table.add(data, ev.source, ev.document) if ev.source else -1,
                          ev.confidence, ev.year] for ev in rel.evidence[:MAX_PANEL_EVIDENCE]],
        }
        if rel.symmetric:
            edge["arrows"] = {"to": {"enabled": False}}
        edges.append(edge)
    return edges


def edge_width(documents: int) -> float:
    """Pixels: 1 for a curated fact, growing with the log of the documents that state it.

    >>> edge_width(0), edge_width(1), edge_width(7), edge_width(4095)
    (1.0, 1.5, 2.5, 6.0)
    """
    return min(6.0, 1.0 + 0.5 * math.log2(1 + documents)) if documents else 1.0


def _edge_color(color: str, opacity: float) -> dict[str, Any]:
    return {"color": color, "highlight": color, "hover": color, "opacity": opacity}


def _edge_tip(rel: RelationInfo, entities: dict[str, EntityInfo]) -> str:
    head = (
        f"<b>{escape(entities[rel.subject].label)}</b> {escape(rel.predicate)} "
        f"<b>{escape(entities[rel.object].label)}</b>"
    )
    count = len(rel.evidence)
    if not count:
        return f"{head}<br>{rel.family}; a curated fact of the knowledge base, no evidence"
    span = _span(rel.years)
    summary = f"{rel.family}; {count} sentence{'s' * (count != 1)} of evidence"
    return f"{head}<br>{summary}{f' ({span})' if span else ''}" + "".join(
        f"<div class=\"kg-ev\">“{escape(ev.sentence)}”<br><i>{escape(ev.document)}</i>"
        f"{f' ({ev.year})' if ev.year else ''}, confidence {ev.confidence:.2f}</div>"
        for ev in rel.evidence[:MAX_EVIDENCE]
    )


def _span(years: tuple[int, ...]) -> str:
    """
    >>> _span((1990, 2001, 2023)), _span((2023,)), _span(())
    ('1990–2023', '2023', '')
    """
    if not years:
        return ""
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]}"


def class_label(name: str) -> str:
    """A class name as words.

    >>> class_label("InternationalOrganization")
    'International organization'
    """
    return "".join(" " + c.lower() if c.isupper() and i else c for i, c in enumerate(name))
