"""Turn a view's selection into vis-network nodes and edges: layout, style, tooltips.

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

from kg.viz.layout import layout, separate
from kg.viz.read import EntityInfo, GraphData, RelationInfo
from kg.viz.views import Selection, centrality

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
MAX_ALIASES = 4
EDGE_OPACITY, FAINT_OPACITY = 0.7, 0.2
DENSE = 3  # relations per drawn entity above which edges are drawn faint
MIN_SIZE, MAX_SIZE = 10.0, 42.0  # node radius in pixels
MIN_FONT, MAX_FONT = 14, 24  # label size in pixels, for a graph of up to 36 nodes


@dataclass(frozen=True)
class Drawing:
    """vis-network nodes and edges of one view, and what was left out to draw them."""

    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    nodes_left_out: int
    edges_left_out: int


def make_drawing(data: GraphData, selection: Selection) -> Drawing:
    """Lay out and style the entities and relations ``selection`` keeps."""
    kept = selection.nodes
    positions = layout(kept, [(r.subject, r.object) for r in selection.relations])
    degree: Counter[str] = Counter()
    for r in selection.relations:
        degree.update((r.subject, r.object))
    rank = centrality(data)
    # Sizes follow the rank among the drawn entities, not the raw score: one hub (the UN, a
    # member of everything) would otherwise shrink every other label out of sight.
    order = sorted(kept, key=lambda n: (rank.get(n, 0.0), n))
    percentile = {n: i / max(len(order) - 1, 1) for i, n in enumerate(order)}
    # Bigger graphs are seen zoomed out: grow the largest labels so they stay legible.
    max_font = MAX_FONT * max(1.0, math.sqrt(len(kept)) / 8)
    positions = separate(positions, {n: node_size(percentile[n]) for n in kept})
    nodes = [_node(data.entities[n], positions[n], degree[n], percentile[n], max_font) for n in kept]
    # Dense drawings (many relations per entity) get faint edges: a click brings them out.
    dense = len(selection.relations) > DENSE * max(len(kept), 1)
    opacity = FAINT_OPACITY if dense else EDGE_OPACITY
    edges = _edges(selection.relations, data.entities, opacity)
    return Drawing(nodes, edges, selection.nodes_left_out, selection.edges_left_out)


def node_size(percentile: float) -> float:
    """Radius in pixels for a node at this centrality percentile (0 to 1)."""
    return round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * percentile**2, 1)


def _node(
    entity: EntityInfo, xy: tuple[float, float], degree: int, centrality: float, max_font: float
) -> dict[str, Any]:
    """A node sized by its centrality: its PageRank percentile among the drawn entities."""
    weight = centrality**2
    return {
        "id": entity.id,
        "label": entity.label,
        "group": entity.type,
        "color": CLASS_COLORS[entity.type],
        "size": node_size(centrality),
        "font": {"size": round(MIN_FONT + (max_font - MIN_FONT) * weight**1.5)},
        "x": xy[0],
        "y": xy[1],
        "title": _node_tip(entity, degree),
        "names": [entity.label, *entity.aliases, *([entity.iso3] if entity.iso3 else [])],
        "years": list(entity.years),
    }


def _node_tip(entity: EntityInfo, degree: int) -> str:
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
    return "<br>".join(lines)


def _edges(
    rels: list[RelationInfo], entities: dict[str, EntityInfo], opacity: float
) -> list[dict[str, Any]]:
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
            "color": _edge_color(FAMILY_COLORS[rel.family], opacity),
            "smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.2 * bend}
            if bend else False,
            "title": _edge_tip(rel, entities),
            "family": rel.family,
            "confidence": rel.confidence,
            "years": list(rel.years),
        }
        if rel.symmetric:
            edge["arrows"] = {"to": {"enabled": False}}
        edges.append(edge)
    return edges


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
