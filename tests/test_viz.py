"""`kg viz`: the HTML page of the graph, checked as text and in headless Chromium."""

from __future__ import annotations

import doctest
import html
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
import pytest

import kg.viz.draw
from kg.errors import KgError
from kg.store import Store
from kg.viz import VizReport, write_graph_html
from tests.browser import chromium_available, is_local, open_page

if TYPE_CHECKING:
    from playwright.sync_api import Page

SAMPLE = Path(__file__).parent / "data" / "graphs" / "viz-sample.trig"
SCRIPT = "<script>window.__xss=1</script>"
IMG = '<img src=x onerror="window.__xss=2">'
HOSTILE_TITLE = f"Brief {SCRIPT} {IMG}"
DRAWN = "document.body.dataset.drawn === 'true'"
# Anything a browser would fetch by itself: src/href attributes, CSS url() and @import.
FETCHED_URL = re.compile(
    r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?|url\(\s*["']?|@import\s+["']?)"""
    r"""(?:https?:)?//""",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def store() -> Store:
    s = Store()
    s.add(ox.parse(path=str(SAMPLE), format=ox.RdfFormat.TRIG))
    return s


@pytest.fixture(scope="module")
def page_path(store: Store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("viz") / "out" / "graph.html"
    write_graph_html(store, path, title=f"Sample {SCRIPT}")
    return path


def page_data(path: Path) -> dict:
    """The nodes, edges and options the page hands to vis-network."""
    text = path.read_text(encoding="utf-8")
    block = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', text, re.S)
    assert block, "no kg-data block"
    return json.loads(block.group(1))


def test_report_counts_what_is_drawn(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "graph.html"
    report = write_graph_html(store, path)
    assert report == VizReport(nodes=9, edges=8, nodes_left_out=0, edges_left_out=0, path=path)
    assert path.is_file() and not list(path.parent.glob("*.tmp"))
    assert "left out" not in path.read_text(encoding="utf-8")


def test_same_store_same_page(store: Store, tmp_path: Path) -> None:
    write_graph_html(store, tmp_path / "1.html")
    write_graph_html(store, tmp_path / "2.html")
    assert (tmp_path / "1.html").read_bytes() == (tmp_path / "2.html").read_bytes()


def test_same_page_from_every_backend(any_store: Store, store: Store, tmp_path: Path) -> None:
    any_store.add(ox.parse(path=str(SAMPLE), format=ox.RdfFormat.TRIG))
    write_graph_html(store, tmp_path / "embedded.html")
    write_graph_html(any_store, tmp_path / "any.html")
    assert (tmp_path / "any.html").read_bytes() == (tmp_path / "embedded.html").read_bytes()


def test_too_many_nodes_keeps_the_most_mentioned_and_says_so(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "small.html"
    report = write_graph_html(store, path, max_nodes=3)
    assert (report.nodes, report.nodes_left_out) == (3, 6)
    assert report.edges + report.edges_left_out == 8
    ids = {n["id"] for n in page_data(path)["nodes"]}
    # 2 documents each, then India: 1 document and 2 relations like Russia, first by id.
    assert ids == {"country/CHN", "country/USA", "country/IND"}
    text = path.read_text(encoding="utf-8")
    assert "6 entities and" in text and f"{report.edges_left_out} of 8 relations" in text


def test_empty_store_gives_an_empty_page(tmp_path: Path) -> None:
    report = write_graph_html(Store(), tmp_path / "empty.html")
    assert (report.nodes, report.edges) == (0, 0)
    assert page_data(report.path)["nodes"] == []


def test_max_nodes_must_be_positive(store: Store, tmp_path: Path) -> None:
    with pytest.raises(KgError, match="max_nodes"):
        write_graph_html(store, tmp_path / "x.html", max_nodes=0)


def test_page_fetches_nothing(page_path: Path) -> None:
    text = page_path.read_text(encoding="utf-8")
    assert not FETCHED_URL.findall(text)
    assert "default-src &#39;none&#39;" in text  # the CSP forbids every load


def test_document_strings_are_escaped(page_path: Path) -> None:
    text = page_path.read_text(encoding="utf-8")
    assert SCRIPT not in text and IMG not in text and "<b>Institute" not in text
    assert f"<h1>Sample {html.escape(SCRIPT)}</h1>" in text
    data = page_data(page_path)
    edge = next(e for e in data["edges"] if e["to"] == "org/bold-institute")
    assert html.escape(HOSTILE_TITLE) in edge["title"]
    assert html.escape(f"India backs {SCRIPT} the {IMG} institute.") in edge["title"]
    bold = next(n for n in data["nodes"] if n["id"] == "org/bold-institute")
    assert bold["label"] == "Bold <b>Institute</b>"  # drawn on the canvas: never parsed
    assert html.escape("Bold <b>Institute</b>") in bold["title"]
    assert html.escape(IMG) in bold["title"]  # the surface form


def test_style_follows_class_documents_and_family(page_path: Path) -> None:
    data = page_data(page_path)
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["country/CHN"]["color"] == nodes["country/USA"]["color"] != nodes[
        "initiative/belt-and-road-initiative"]["color"]
    assert nodes["country/CHN"]["size"] > nodes["country/RUS"]["size"] > nodes["org/ispi"]["size"]
    china = nodes["country/CHN"]["title"]
    assert "ISO code: CHN" in china and "2 documents" in china
    edges = {e["label"]: e for e in data["edges"]}
    assert edges["partnerOf"]["color"] == edges["cooperatesWith"]["color"]
    assert edges["rivalOf"]["color"]["color"] != edges["partnerOf"]["color"]["color"]
    assert edges["rivalOf"]["title"].count('class="kg-ev"') == 2
    assert edges["partnerOf"]["arrows"] == {"to": {"enabled": False}}  # symmetric
    assert "arrows" not in edges["proposes"]
    assert all("x" in n and "y" in n for n in data["nodes"])
    assert data["options"]["physics"]["enabled"] is False
    text = page_path.read_text(encoding="utf-8")
    assert 'id="kg-legend"' in text and "International organization" in text


def test_doctests() -> None:
    assert doctest.testmod(kg.viz.draw).failed == 0


def test_browser_helper_tells_local_from_remote() -> None:
    local = ["file:///tmp/a.html", "data:image/png;base64,AA", "http://127.0.0.1:8000/x"]
    remote = ["https://cdn.jsdelivr.net/npm/x.js", "http://example.org/", "//cdn.x/y.css"]
    assert all(map(is_local, local)) and not any(map(is_local, remote))


needs_chromium = pytest.mark.skipif(
    not chromium_available(), reason="needs Playwright and /usr/bin/chromium"
)


def page_point(page: Page, canvas_point: str) -> tuple[float, float]:
    """Where on the page the canvas point of the JS expression ``canvas_point`` is."""
    return tuple(page.evaluate(
        "(() => { const r = document.getElementById('kg-graph').getBoundingClientRect();"
        f" const d = network.canvasToDOM({canvas_point});"
        " return [r.left + d.x, r.top + d.y]; })()"
    ))


def hover(page: Page, canvas_point: str) -> str:
    """Hover ``canvas_point``, return the tooltip's text, then move away to hide it."""
    page.mouse.move(*page_point(page, canvas_point))
    page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
    text = page.inner_text("div.vis-tooltip")
    corner = page.evaluate(  # an empty spot of the canvas
        "(() => { const r = document.getElementById('kg-graph').getBoundingClientRect();"
        " return [r.right - 5, r.bottom - 5]; })()"
    )
    page.mouse.move(*corner)
    page.wait_for_selector("div.vis-tooltip", state="hidden", timeout=5000)
    return text


def node_at(node: str) -> str:
    return f"network.getPositions(['{node}'])['{node}']"


def edge_middle(a: str, b: str) -> str:
    return (f"(p => ({{x: (p['{a}'].x + p['{b}'].x) / 2, y: (p['{a}'].y + p['{b}'].y) / 2}}))"
            f"(network.getPositions(['{a}', '{b}']))")


@needs_chromium
def test_page_in_chromium(page_path: Path, tmp_path: Path) -> None:
    with open_page(page_path.as_uri(), wait_for=DRAWN) as (page, log):
        assert page.evaluate("network.body.data.nodes.length") == 9
        assert page.evaluate("network.body.data.edges.length") == 8
        inked = page.evaluate(
            "(() => { const c = document.querySelector('#kg-graph canvas');"
            " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
            " let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; })()"
        )
        assert inked > 5000, "the canvas is blank"
        assert page.is_visible("#kg-legend")

        china = hover(page, node_at("country/CHN"))
        assert "China" in china and "CHN" in china and "2 documents" in china
        bold = hover(page, node_at("org/bold-institute"))
        assert "Bold <b>Institute</b>" in bold and IMG in bold  # label and surface form
        evidence = hover(page, edge_middle("country/IND", "org/bold-institute"))
        assert SCRIPT in evidence and IMG in evidence and HOSTILE_TITLE in evidence
        tooltip_markup = ".vis-tooltip img, .vis-tooltip script, .vis-tooltip b b"
        assert page.evaluate(f"document.querySelectorAll('{tooltip_markup}').length") == 0
        assert page.evaluate("window.__xss") is None

        rival = "country/CHN rivalOf country/USA"
        label_size = f"(network.body.data.edges.get('{rival}').font || {{size: 0}}).size"
        assert page.evaluate(label_size) == 0  # relation labels are hidden until hovered
        page.mouse.move(*page_point(page, edge_middle("country/CHN", "country/USA")))
        page.wait_for_selector("div.vis-tooltip", state="visible")
        assert page.evaluate(label_size) == 13
        page.screenshot(path=str(tmp_path / "viz-sample.png"))
        assert page.evaluate("window.__xss") is None
        assert log.problems() == []
        assert log.requests == [page_path.as_uri()]
