"""Documents in the drawing: their nodes and links, and the table the page lists them from.

Every string that came from a document goes into tooltips through ``html.escape``; the
page's panel puts the rest in with ``textContent`` only (see page.js).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Any

from kg.viz.documents import Publication, about, node_id, short_label
from kg.viz.read import Evidence, GraphData, RelationInfo
from kg.viz.views import Selection

# Documents are squares in neutral shades, apart from the entities' colours.
DOCUMENT_COLORS = {"Report": "#3d3d3d", "Chapter": "#6b6b6b", "Article": "#8f8f8f", "Speech": "#52606d"}
DOCUMENT_SIZE = {"Report": 18.0, "Chapter": 15.0, "Article": 13.0, "Speech": 13.0}
LINK_COLOR = "#9e9e9e"
LINK_NAMES = {"mentions": "mentions", "isPartOf": "part of", "publishedBy": "published by",
              "speaker": "speech by"}
MAX_STATED = 200  # relations listed on a document's panel
MAX_NAMED = 100  # entities listed on a document's panel
MAX_TIP_DOCUMENTS = 3  # documents named in an entity's tooltip


@dataclass
class DocumentTable:
    """The documents a page refers to (drawn, listed or quoted), by index."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    _index: dict[str, int] = field(default_factory=dict)

    def add(self, data: GraphData, iri: str, title: str = "", drawn: bool = False) -> int:
        """The index of the document ``iri``, added on first use."""
        if iri in self._index:
            if drawn:
                self.rows[self._index[iri]]["node"] = True
            return self._index[iri]
        doc = data.documents.get(node_id(iri))
        self._index[iri] = len(self.rows)
        self.rows.append({
            "id": doc.id if doc else "", "docId": doc.doc_id if doc else None,
            "title": doc.title if doc else (title or iri), "kind": doc.kind if doc else "",
            "year": doc.year if doc else None, "url": doc.url if doc else None, "node": drawn,
        })
        return self._index[iri]


@dataclass(frozen=True)
class Link:
    """An edge from a document: to an entity it names, publishes or speaks for, or its whole."""

    source: str  # document node id
    kind: str  # mentions, isPartOf, publishedBy or speaker
    target: str  # entity id or document node id
    times: int = 0  # for mentions: how many times the document names the entity


def document_links(data: GraphData, selection: Selection) -> list[Link]:
    """The links of the documents ``selection`` carries, to what it draws."""
    drawn, docs = set(selection.nodes), set(selection.documents)
    links = []
    for doc_id in selection.documents:
        doc = data.documents[doc_id]
        counts = dict(doc.mentions)
        links += [Link(doc_id, "isPartOf", p) for p in doc.part_of if p in docs]
        links += [Link(doc_id, "publishedBy", e) for e in doc.publishers if e in drawn]
        links += [Link(doc_id, "speaker", e) for e in doc.speakers if e in drawn]
        links += [Link(doc_id, "mentions", e, counts[e])
                  for e in about(doc, drawn, data.rank_key, selection.mention_limit)]
    return links


def stated_by(data: GraphData, docs: list[str]) -> dict[str, list[tuple[RelationInfo, Evidence]]]:
    """For each of the documents ``docs`` (node ids), the relations it states, with the sentence."""
    iris = {data.documents[d].iri: d for d in docs}
    found: dict[str, list[tuple[RelationInfo, Evidence]]] = {d: [] for d in docs}
    for r in data.relations:
        for ev in r.evidence:
            if ev.source in iris:
                found[iris[ev.source]].append((r, ev))
    return found


def document_node(
    data: GraphData, doc: Publication, xy: tuple[float, float], table: DocumentTable,
    stated_here: list[tuple[RelationInfo, Evidence]], drawn_edges: set[str],
) -> dict[str, Any]:
    """A square for ``doc``, with what its panel lists: the relations it states, the entities
    it names."""
    labels = {e: data.entities[e].label for e in doc.named if e in data.entities}
    stated = [
        [data.entities[r.subject].label, r.predicate, data.entities[r.object].label, ev.sentence,
         ev.confidence, key if (key := f"{r.subject} {r.predicate} {r.object}") in drawn_edges else ""]
        for r, ev in stated_here
    ]
    return {
        "id": doc.id,
        "label": short_label(doc, labels),
        "group": doc.kind,
        "kind": "document",
        "shape": "square",
        "color": DOCUMENT_COLORS[doc.kind],
        "size": DOCUMENT_SIZE[doc.kind],
        "labelPx": 13 if doc.kind == "Report" else 12,
        "x": xy[0],
        "y": xy[1],
        "title": _document_tip(doc, labels, len(stated), table, data),
        "names": [doc.title, *([doc.doc_id] if doc.doc_id and doc.doc_id != doc.title else [])],
        "years": [doc.year] if doc.year else [],
        "doc": table.add(data, doc.iri, drawn=True),
        "stated": stated[:MAX_STATED],
        "statedCount": len(stated),
        "named": [[e, labels.get(e, e), times] for e, times in doc.mentions[:MAX_NAMED]],
        "namedCount": len(doc.mentions),
    }


def link_edge(link: Link, labels: dict[str, str]) -> dict[str, Any]:
    """A thin grey edge from a document; mentions are dashed and have no arrow."""
    what = LINK_NAMES[link.kind]
    times = f" ({link.times} time{'s' * (link.times != 1)})" if link.times else ""
    edge = {
        "id": f"{link.source} {link.kind} {link.target}",
        "from": link.source,
        "to": link.target,
        "label": link.kind,
        "color": {"color": LINK_COLOR, "highlight": LINK_COLOR, "hover": LINK_COLOR, "opacity": 0.6},
        "width": 1,
        "title": f"<b>{escape(labels[link.source])}</b> {what} <b>{escape(labels[link.target])}</b>{times}",
        "family": "document",
        "confidence": None,
        "years": [],
    }
    if link.kind == "mentions":
        edge.update(dashes=True, arrows={"to": {"enabled": False}})
    return edge


def entity_documents(data: GraphData, listed: list[str]) -> str:
    """The tooltip line naming the documents of ``entity``; ``listed`` are their node ids."""
    if not listed:
        return ""
    docs = [data.documents[d] for d in listed[:MAX_TIP_DOCUMENTS]]
    named = ", ".join(f"<i>{escape(d.title)}</i>{f' ({d.year})' if d.year else ''}" for d in docs)
    more = len(listed) - len(docs)
    return f"in: {named}" + (f" and {more:,} more" if more else "") + "; click for the list"


def _document_tip(
    doc: Publication, labels: dict[str, str], stated: int, table: DocumentTable, data: GraphData
) -> str:
    lines = [f"<b>{escape(doc.title)}</b>",
             escape(doc.kind) + (f", {doc.year}" if doc.year else "")
             + (f" · id {escape(doc.doc_id)}" if doc.doc_id else "")]
    for what, ids in (("speech by", doc.speakers), ("published by", doc.publishers)):
        if ids:
            lines.append(f"{what}: " + ", ".join(escape(labels.get(e, e)) for e in ids))
    for whole in doc.part_of:
        lines.append(f"part of: <i>{escape(data.documents[whole].title)}</i>")
    lines.append(f"names {len(doc.mentions):,} entit{'ies' if len(doc.mentions) != 1 else 'y'}, "
                 f"states {stated:,} relation{'s' * (stated != 1)}; click for the list")
    return "<br>".join(lines)
