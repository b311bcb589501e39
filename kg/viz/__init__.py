"""`kg viz`: the graph in the store as one interactive, self-contained HTML page.

    store --read--> GraphData --draw--> Drawing (selection, layout, style) --page--> HTML
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.errors import KgError
from kg.store import Store
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


def write_graph_html(
    store: Store, path: Path, *, max_nodes: int = 300, title: str = "Knowledge graph"
) -> VizReport:
    """Write the entities and relations of ``store`` to ``path`` as an offline HTML page.

    When there are more than ``max_nodes`` entities, the most mentioned and connected are
    drawn and the page says how many entities and relations were left out. The same store
    gives the same file.
    """
    if max_nodes < 1:
        raise KgError(f"max_nodes must be at least 1, not {max_nodes}")
    data = read_graph(store)
    drawing = make_drawing(data, max_nodes)
    path = Path(path)
    write_atomic(path, render_page(drawing, title, len(data.entities), len(data.relations)))
    return VizReport(
        len(drawing.nodes), len(drawing.edges), drawing.nodes_left_out,
        drawing.edges_left_out, path,
    )
