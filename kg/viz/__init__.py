"""`kg viz`: the graph in the store as one interactive, self-contained HTML page.

    store --read--> GraphData --views--> Selection --draw--> Drawing --page--> HTML

A page shows one view: the whole graph (its most central entities), the neighbourhood of
an entity, one document's graph, or an initiative and everyone linked to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.errors import KgError
from kg.store import Store
from kg.viz import views
from kg.viz.draw import make_drawing
from kg.viz.page import render_page, write_atomic
from kg.viz.read import read_graph

__all__ = ["VizReport", "write_graph_html"]


@dataclass(frozen=True)
class VizReport:
    """What a page shows and what it had to leave out."""

    nodes: int
    edges: int
    nodes_left_out: int
    edges_left_out: int
    path: Path
    heading: str


def write_graph_html(
    store: Store,
    path: Path,
    *,
    max_nodes: int = 300,
    title: str = "Knowledge graph",
    focus: str | None = None,
    hops: int = 1,
    doc: str | None = None,
    initiative: str | None = None,
    everything: bool = False,
) -> VizReport:
    """Write one view of ``store`` to ``path`` as an offline HTML page.

    Without ``focus``, ``doc`` or ``initiative`` (at most one may be given) the view is the
    whole graph: when there are more than ``max_nodes`` entities, the most central are drawn
    and the page says what was left out. ``focus`` (a label, alias, ISO code or IRI) draws
    the entities within ``hops`` relations of it; ``doc`` a document's graph (by its id);
    ``initiative`` an initiative and everything linked to it. The whole graph draws what the
    documents state; ``everything`` adds the knowledge base's curated facts and the entities
    no relation links. The same store gives the same file.
    """
    if max_nodes < 1:
        raise KgError(f"max_nodes must be at least 1, not {max_nodes}")
    if hops < 1:
        raise KgError(f"hops must be at least 1, not {hops}")
    if sum(x is not None for x in (focus, doc, initiative)) > 1:
        raise KgError("give at most one of focus, doc and initiative")
    data = read_graph(store)
    if focus is not None:
        selection = views.focus(store, data, focus, hops, max_nodes)
    elif doc is not None:
        selection = views.document(store, data, doc)
    elif initiative is not None:
        selection = views.initiative(store, data, initiative, max_nodes)
    else:
        selection = views.whole(data, max_nodes, everything)
    drawing = make_drawing(data, selection)
    path = Path(path)
    totals = (len(data.entities), len(data.relations))
    write_atomic(path, render_page(drawing, selection, title, totals))
    return VizReport(
        len(drawing.nodes), len(drawing.edges), drawing.nodes_left_out,
        drawing.edges_left_out, path, selection.heading,
    )
