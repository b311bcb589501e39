"""Render a Drawing as one self-contained HTML page and write it atomically.

pyvis holds the nodes, edges and options and ships the vis-network bundle, which the page
inlines. The page template is ours: pyvis 0.3.2's own links bootstrap from a CDN in every
mode. A Content-Security-Policy lets the page load nothing and run only its own scripts
(by hash), so a failure of escaping still could not run injected code or fetch anything.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from pyvis.network import Network

from kg.model import ENTITY_TYPES
from kg.viz.documents import KINDS
from kg.viz.draw import CLASS_COLORS, FAMILY_COLORS, Drawing, class_label
from kg.viz.draw_documents import DOCUMENT_COLORS, LINK_COLOR
from kg.viz.read import relation_families
from kg.viz.views import Selection

VIS = files("pyvis") / "templates" / "lib" / "vis-9.1.2"
BIG = 1000  # nodes above which edges hide while dragging or zooming

_ENV = Environment(loader=PackageLoader("kg.viz", "."), autoescape=select_autoescape(["html"]))


def render_page(
    drawing: Drawing, selection: Selection, title: str, totals: tuple[int, int, int],
    ranking: str = "", served: bool = False,
) -> str:
    """The HTML page for ``drawing``; ``title`` and every document string are escaped.

    ``totals`` counts the entities, relations and documents in the store, for the summary
    line; ``ranking`` says what node sizes mean; ``served``: links to other views are URLs.
    """
    net = Network(directed=True)
    net.nodes, net.edges = drawing.nodes, drawing.edges
    net.options = _options(len(drawing.nodes))
    vis_js = (VIS / "vis-network.min.js").read_text(encoding="utf-8")
    page_js = (files("kg.viz") / "page.js").read_text(encoding="utf-8")
    years = sorted({y for item in (*net.nodes, *net.edges) for y in item["years"]})
    docs = len(selection.documents)
    with_docs = (f", with {docs:,} document{'s' * (docs != 1)}" if docs and not selection.documents_hidden
                 else "")
    return _ENV.get_template("page.html").render(
        title=title,
        heading=selection.heading,
        csp=_csp(vis_js, page_js),
        summary=f"{drawing.entity_count:,} entities and {drawing.relation_count:,} relations drawn"
        f"{with_docs}, of {totals[0]:,} entities, {totals[1]:,} relations and {totals[2]:,} "
        f"document{'s' * (totals[2] != 1)} in the store.",
        note=selection.note,
        aside=selection.aside,
        classes=_classes(drawing),
        kinds=_kinds(drawing),
        documents_note=_documents_note(selection),
        families=_families(),
        lateral=sum(bool(e.get("lateral")) for e in drawing.edges),
        ranking=ranking,
        years=(years[0], years[-1]) if years else None,
        data={"nodes": net.nodes, "edges": net.edges, "options": net.options,
              "selected": selection.selected, "docs": drawing.documents,
              "documentsHidden": selection.documents_hidden, "served": served},
        vis_css=Markup((VIS / "vis-network.css").read_text(encoding="utf-8")),
        vis_js=Markup(vis_js),
        page_js=Markup(page_js),
    )


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temp file and a rename; make parent folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def _options(n_nodes: int) -> dict[str, Any]:
    font = {"face": "system-ui, DejaVu Sans, sans-serif", "strokeWidth": 4,
            "strokeColor": "#ffffff"}
    return {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 100, "hideEdgesOnDrag": n_nodes > BIG,
                        "hideEdgesOnZoom": n_nodes > BIG},
        "nodes": {"shape": "dot", "borderWidth": 1, "font": {**font, "size": 14},
                  "scaling": {"label": {"drawThreshold": 9}}},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}, "width": 1.5,
                  "smooth": False, "font": {**font, "size": 13, "align": "horizontal"}},
    }


def _csp(*scripts: str) -> str:
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in scripts
    )
    return (f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; "
            "img-src data:; base-uri 'none'; form-action 'none'")


def _classes(drawing: Drawing) -> list[tuple[str, str, str, int]]:
    present = Counter(n["group"] for n in drawing.nodes)
    return [(t, class_label(t), CLASS_COLORS[t], present[t]) for t in ENTITY_TYPES if t in present]


def _kinds(drawing: Drawing) -> list[tuple[str, str, int]]:
    present = Counter(n["group"] for n in drawing.nodes if n.get("kind") == "document")
    return [(k, DOCUMENT_COLORS[k], present[k]) for k in KINDS if k in present]


def _documents_note(selection: Selection) -> str:
    """What the Documents section of the legend holds, when it is not every one involved."""
    shown, involved = len(selection.documents), selection.documents_involved
    if not selection.documents_hidden:
        return ""
    return (f"{involved:,} documents are involved; this page carries the {shown} that state the "
            f"most relations drawn, hidden until you tick them. To see one: its link in an "
            f"entity's list, or kg viz --doc ID.")


def _families() -> list[tuple[str, str, str]]:
    return [
        (family, ", ".join(r for r, f in relation_families().items() if f == family), color)
        for family, color in FAMILY_COLORS.items()
    ] + [("document", "mentions (dashed), isPartOf, publishedBy, speaker", LINK_COLOR)]
