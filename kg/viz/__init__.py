"""`kg viz`: the graph in the store as one interactive, self-contained HTML page.

    store --read--> GraphData --views--> Selection --draw--> Drawing --page--> HTML

A page shows one view: the whole graph (its most central entities), the neighbourhood of
an entity, one document's graph, or an initiative and everyone linked to it; with the
publications (reports, chapters, articles, speeches) the view involves as nodes of their own.
`kg viz` writes a page to a file; `kg serve` renders the same views at /graph.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from kg.errors import KgError
from kg.store import Store
from kg.viz import views
from kg.viz.draw import make_drawing
from kg.viz.page import render_page, write_atomic
from kg.viz.read import read_graph

__all__ = ["View", "VizReport", "render_view", "write_graph_html"]


@dataclass(frozen=True)
class VizReport:
    """What a page shows and what it had to leave out."""

    nodes: int  # entities drawn
    edges: int  # relations drawn between them
    nodes_left_out: int
    edges_left_out: int
    path: Path
    heading: str
    documents: int = 0  # documents the page carries, drawn or on its toggle
    documents_hidden: bool = False  # whether they start hidden (more than the view draws)


@dataclass(frozen=True)
class View:
    """A rendered page and what it shows."""

    html: str
    report: VizReport
    name: str  # the file name it is written to by default, without ".html"


def render_view(
    store: Store,
    *,
    max_nodes: int = 300,
    title: str = "Knowledge graph",
    focus: str | None = None,
    hops: int = 1,
    doc: str | None = None,
    initiative: str | None = None,
    everything: bool = False,
    served: bool = False,
) -> View:
    """One view of ``store`` as an offline HTML page (see :func:`write_graph_html`).

    ``served``: the page is served by `kg serve`, so its links to other views are URLs
    (``?doc=ID``, ``?focus=ENTITY``); in a file they are the `kg viz` commands that write them.
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
    totals = (len(data.entities), len(data.relations), len(data.documents))
    html = render_page(drawing, selection, title, totals, data.ranking.describe(), served)
    report = VizReport(
        drawing.entity_count, drawing.relation_count, drawing.nodes_left_out,
        drawing.edges_left_out, Path(f"{selection.name}.html"), selection.heading,
        len(selection.documents), selection.documents_hidden,
    )
    return View(html, report, selection.name)


def write_graph_html(
    store: Store,
    path: Path | None = None,
    *,
    folder: Path = Path("exports"),
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
    no relation links. Without ``path``, the page goes to ``folder``: ``graph.html`` for the
    whole graph, a file named after the view for a part (``graph-focus-china.html``,
    ``graph-doc-chn-78-2023.html``), so a part never replaces the whole. The same store gives
    the same file.
    """
    view = render_view(store, max_nodes=max_nodes, title=title, focus=focus, hops=hops, doc=doc,
                       initiative=initiative, everything=everything)
    path = Path(path) if path is not None else Path(folder) / f"{view.name}.html"
    write_atomic(path, view.html)
    return replace(view.report, path=path)
