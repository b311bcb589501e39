"""`kg viz`: the HTML page of the graph, checked as text and in headless Chromium."""

from __future__ import annotations

import doctest
import html
import json
import math
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
import pytest

import kg.viz.draw
import kg.viz.lookup
from kg.errors import KgError
from kg.store import Store
from kg.viz import VizReport, write_graph_html
from tests.browser import chromium_available, is_local, open_page

if TYPE_CHECKING:
    from playwright.sync_api import Page

SAMPLE = Path(__file__).parent / "data" / "graphs" / "viz-sample.trig"
EXAMPLES = Path(__file__).parents[1] / "examples" / "sample"
SCRIPT = "<script>window.__xss=1</script>"
IMG = '<img src=x onerror="window.__xss=2">'
HOSTILE_TITLE = f"Brief {SCRIPT} {IMG}"
DRAWN = "document.body.dataset.drawn === 'true'"
# A 2015 speech: one more relation, dated and weak, for the year and confidence filters.
EXTRA = """
@prefix kg: <https://w3id.org/irkg/ontology#> .
@prefix ent: <https://w3id.org/irkg/id/> .
@prefix doc: <https://w3id.org/irkg/doc/> .
@prefix graph: <https://w3id.org/irkg/graph/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
graph:doc\\/USA_70_2015 {
    doc:USA_70_2015 a kg:Speech ; dcterms:title "United States at the 70th General Assembly" ;
        kg:documentId "USA_70_2015" ; dcterms:date "2015"^^xsd:gYear ;
        kg:mentions ent:country\\/USA, ent:country\\/RUS .
    ent:country\\/USA kg:opposes ent:country\\/RUS .
    doc:USA_70_2015\\/r\\/1 a kg:RelationAssertion ;
        rdf:subject ent:country\\/USA ; rdf:predicate kg:opposes ; rdf:object ent:country\\/RUS ;
        kg:sentence "We oppose Russia's annexation of Crimea." ; kg:confidence 0.55 ;
        prov:wasDerivedFrom doc:USA_70_2015 .
}
"""
CHINA_1_HOP = {"country/CHN", "country/USA", "country/RUS", "igo/brics",
               "initiative/belt-and-road-initiative", "region/global-south"}
# Anything a browser would fetch by itself: src/href attributes, CSS url() and @import.
FETCHED_URL = re.compile(
    r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?|url\(\s*["']?|@import\s+["']?)"""
    r"""(?:https?:)?//""",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def store() -> Store:
    return fill(Store())


def fill(store: Store) -> Store:
    """``store`` with the viz sample and the 2015 speech."""
    store.add(ox.parse(path=str(SAMPLE), format=ox.RdfFormat.TRIG))
    store.add(ox.parse(EXTRA.encode(), format=ox.RdfFormat.TRIG))
    return store


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    from kg.build import build_store

    _, built = build_store([EXAMPLES], tmp_path_factory.mktemp("sample") / "store")
    return built


@pytest.fixture(scope="module")
def page_path(store: Store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("viz") / "out" / "graph.html"
    write_graph_html(store, path, title=f"Sample {SCRIPT}", everything=True)
    return path


def page_data(path: Path) -> dict:
    """The nodes, edges and options the page hands to vis-network."""
    text = path.read_text(encoding="utf-8")
    block = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', text, re.S)
    assert block, "no kg-data block"
    return json.loads(block.group(1))


def test_report_counts_what_is_drawn(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "graph.html"
    report = write_graph_html(store, path, everything=True)
    assert report == VizReport(9, 9, 0, 0, path, "Whole graph", 5, False)  # 9 entities, 5 documents
    assert path.is_file() and not list(path.parent.glob("*.tmp"))
    assert "left out" not in path.read_text(encoding="utf-8")


def test_same_store_same_page(store: Store, tmp_path: Path) -> None:
    write_graph_html(store, tmp_path / "1.html")
    write_graph_html(store, tmp_path / "2.html")
    assert (tmp_path / "1.html").read_bytes() == (tmp_path / "2.html").read_bytes()


def test_same_page_from_every_backend(any_store: Store, store: Store, tmp_path: Path) -> None:
    fill(any_store)
    write_graph_html(store, tmp_path / "embedded.html")
    write_graph_html(any_store, tmp_path / "any.html")
    assert (tmp_path / "any.html").read_bytes() == (tmp_path / "embedded.html").read_bytes()


def test_too_many_nodes_keeps_the_most_central_and_says_so(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "small.html"
    report = write_graph_html(store, path, max_nodes=3, everything=True)
    assert (report.nodes, report.nodes_left_out) == (3, 6)
    assert report.edges + report.edges_left_out == 9
    # PageRank over the stated relations, directed and weighted by sentences, as `kg analyze
    # centrality`: Russia (partner of China, opposed by the US), the institute India backs
    # in a sentence of its own, and the US (rival of China).
    assert drawn_ids(path) == {"country/RUS", "org/bold-institute", "country/USA"}
    text = path.read_text(encoding="utf-8")
    assert "Showing the 3 most central of the 9 entities the documents relate" in text
    assert "kg viz --max-nodes 9" in text and "--focus ENTITY" in text


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
    assert f"<h1>Sample {html.escape(SCRIPT)}: <span" in text
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
    assert nodes["country/CHN"]["size"] > nodes["country/IND"]["size"] > nodes["org/ispi"]["size"]
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


def test_data_carries_years_aliases_and_confidence(page_path: Path) -> None:
    data = page_data(page_path)
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["country/USA"]["years"] == [2015, 2023] and nodes["igo/brics"]["years"] == []
    assert nodes["country/CHN"]["names"] == ["China", "PRC", "People's Republic of China", "CHN"]
    edges = {e["id"]: e for e in data["edges"]}
    rival = edges["country/CHN rivalOf country/USA"]
    assert (rival["years"], rival["confidence"], rival["family"]) == ([2023], 0.8, "conflict")
    member = edges["country/IND memberOf igo/brics"]
    assert (member["years"], member["confidence"]) == ([], None)  # a curated fact
    assert "curated fact" in member["title"]
    assert "(2023), confidence 0.80" in rival["title"]
    assert "also: PRC, People&#x27;s Republic of China" in nodes["country/CHN"]["title"]


def drawn_ids(path: Path) -> set[str]:
    """The entities a page draws (documents apart)."""
    return {n["id"] for n in page_data(path)["nodes"] if n.get("kind") != "document"}


def drawn_documents(path: Path) -> set[str]:
    return {n["id"] for n in page_data(path)["nodes"] if n.get("kind") == "document"}


@pytest.mark.parametrize("name", ["China", "prc", "chn", "https://w3id.org/irkg/id/country/CHN"])
def test_focus_resolves_labels_aliases_codes_and_iris(
    store: Store, tmp_path: Path, name: str
) -> None:
    report = write_graph_html(store, tmp_path / "f.html", focus=name)
    assert drawn_ids(report.path) == CHINA_1_HOP
    assert report.heading == "Neighbourhood of China: 1 hop"
    assert '<span id="kg-view">Neighbourhood of China: 1 hop</span>' in report.path.read_text()
    assert page_data(report.path)["selected"] == "country/CHN"


def test_focus_two_hops_and_a_cap(store: Store, tmp_path: Path) -> None:
    report = write_graph_html(store, tmp_path / "f.html", focus="China", hops=2)
    assert drawn_ids(report.path) == CHINA_1_HOP | {"country/IND"}
    assert report.edges == 8  # all but India's support for the institute, 3 hops away
    capped = write_graph_html(store, tmp_path / "c.html", focus="China", hops=2, max_nodes=3)
    assert "country/CHN" in drawn_ids(capped.path) and capped.nodes_left_out == 4
    assert "--max-nodes 7" in capped.path.read_text()


def test_unknown_names_list_close_matches(store: Store, tmp_path: Path) -> None:
    with pytest.raises(KgError, match=r"no entity called 'Chna'.*did you mean: China"):
        write_graph_html(store, tmp_path / "x.html", focus="Chna")
    with pytest.raises(KgError, match=r"no document with id 'CHN_78'.*CHN_78_2023"):
        write_graph_html(store, tmp_path / "x.html", doc="CHN_78")
    with pytest.raises(KgError, match=r"no initiative called 'China'"):
        write_graph_html(store, tmp_path / "x.html", initiative="China")
    with pytest.raises(KgError, match="at most one"):
        write_graph_html(store, tmp_path / "x.html", focus="China", doc="CHN_78_2023")


def test_document_view_keeps_its_graph_and_evidence(store: Store, tmp_path: Path) -> None:
    report = write_graph_html(store, tmp_path / "d.html", doc="CHN_78_2023")
    data = page_data(report.path)
    assert drawn_ids(report.path) == {"country/CHN", "country/RUS", "country/USA"}
    assert drawn_documents(report.path) == {"doc:CHN_78_2023"}  # the document itself
    assert data["selected"] == "doc:CHN_78_2023"
    edges = {e["label"]: e for e in data["edges"] if e["family"] != "document"}
    assert set(edges) == {"partnerOf", "rivalOf"}
    assert edges["rivalOf"]["title"].count('class="kg-ev"') == 1  # this document's only
    assert report.heading == "Document CHN_78_2023: China at the 78th General Assembly"


def test_initiative_view(store: Store, tmp_path: Path) -> None:
    report = write_graph_html(store, tmp_path / "i.html", initiative="bri")
    assert drawn_ids(report.path) == {"initiative/belt-and-road-initiative", "country/CHN"}
    assert report.heading == "Initiative Belt and Road Initiative and everyone linked to it"


def test_views_of_the_bundled_sample(sample_store: Store, tmp_path: Path) -> None:
    """Each view draws what SPARQL says it should, on the real sample."""
    linked = """PREFIX kg: <https://w3id.org/irkg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT DISTINCT ?x {{ {{ <{e}> ?p ?x }} UNION {{ ?x ?p <{e}> }}
                              ?p rdfs:subPropertyOf ?family .
                              VALUES ?family {{ kg:cooperation kg:conflict kg:structural }} }}"""
    for kwargs, iri in (({"focus": "China"}, "country/CHN"),
                        ({"initiative": "BRI"}, "initiative/belt-and-road-initiative")):
        report = write_graph_html(sample_store, tmp_path / "v.html", **kwargs)
        rows = sample_store.select(linked.format(e="https://w3id.org/irkg/id/" + iri))
        expected = {x["x"].value.removeprefix("https://w3id.org/irkg/id/") for x in rows}
        assert drawn_ids(report.path) == expected | {iri}
    two = write_graph_html(sample_store, tmp_path / "2.html", focus="China", hops=2, max_nodes=5000)
    assert two.nodes > report.nodes and two.nodes_left_out == 0
    doc = write_graph_html(sample_store, tmp_path / "d.html", doc="CHN_78_2023")
    assert "country/CHN" in drawn_ids(doc.path) and doc.heading.startswith("Document CHN_78_2023")


def test_cli_views(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kg.cli import main

    disk = fill(Store(tmp_path / "store"))
    disk.close()
    out = tmp_path / "focus.html"
    args = ["viz", "--store", str(tmp_path / "store"), "--out", str(out)]
    result = CliRunner().invoke(main, [*args, "--focus", "PRC", "--hops", "2"])
    assert result.exit_code == 0, result.output
    assert "(Neighbourhood of China: 2 hops): 7 nodes, 8 edges" in result.output
    assert drawn_ids(out) == CHINA_1_HOP | {"country/IND"}
    result = CliRunner().invoke(main, [*args, "--max-nodes", "3"])
    assert "not drawn: 6 nodes" in result.output
    result = CliRunner().invoke(main, [*args, "--initiative", "Chna"])
    assert result.exit_code == 2 and "kg: error: no initiative called 'Chna'" in result.output


def test_doctests() -> None:
    assert doctest.testmod(kg.viz.draw).failed == 0
    assert doctest.testmod(kg.viz.lookup).failed == 0


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
        assert shown(page) == (9, 9)
        assert page.evaluate("network.body.data.nodes.length") == 9 + 5  # and 5 documents
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
        for box in page.query_selector_all("input[data-document]"):
            box.uncheck()  # documents' links could lie under the middle of the edge
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


def shown(page: Page) -> tuple[int, int]:
    """How many entities and relations the network draws now (documents and their links apart)."""
    return tuple(page.evaluate(
        "[network.body.data.nodes.get({filter: n => n.kind !== 'document'}).length,"
        " network.body.data.edges.get({filter: e => e.family !== 'document'}).length]"
    ))


def entities(ids: list[str]) -> set[str]:
    return {i for i in ids if not i.startswith("doc:")}


def slide(page: Page, selector: str, key: str, times: int = 1) -> None:
    """Move a range input with the keyboard, as a user would."""
    page.focus(selector)
    for _ in range(times):
        page.keyboard.press(key)


@needs_chromium
def test_search_selects_and_highlights(page_path: Path) -> None:
    with open_page(page_path.as_uri(), wait_for=DRAWN) as (page, log):
        names = page.evaluate("[...document.querySelectorAll('#kg-names option')]"
                              ".map(o => o.value)")
        assert {"China", "PRC", "CHN", "Bold <b>Institute</b>"} <= set(names)
        page.type("#kg-search", "prc")
        assert page.evaluate("network.getSelectedNodes()") == ["country/CHN"]
        assert entities(page.evaluate("kg.highlighted")) == CHINA_1_HOP
        dim = "kg.nodes.get('country/IND').color"
        assert page.evaluate(dim) == "#e6e6e6" != page.evaluate("kg.nodes.get('country/RUS').color")
        page.uncheck("input[data-family=conflict]")  # the neighbourhood follows the filters
        assert entities(page.evaluate("kg.highlighted")) == CHINA_1_HOP - {"country/USA"}
        assert log.problems() == []


@needs_chromium
def test_filters_hide_nodes_and_edges(page_path: Path) -> None:
    with open_page(page_path.as_uri(), wait_for=DRAWN) as (page, log):
        assert shown(page) == (9, 9)
        page.uncheck("input[data-class=Country]")  # 4 countries; every relation has one
        assert shown(page) == (5, 0)
        assert page.inner_text("#kg-shown") == "5 of 9 entities and 0 of 9 relations shown; 5 of 5 documents."
        page.check("input[data-class=Country]")
        page.uncheck("input[data-family=conflict]")  # rivalOf, opposes
        assert shown(page) == (9, 7)
        page.check("input[data-family=conflict]")
        # 0.80: cooperatesWith 0.75, supports 0.70 and opposes 0.55 go; curated facts stay.
        slide(page, "#kg-confidence", "ArrowRight", 16)
        assert page.inner_text("#kg-confidence-value") == "0.80"
        assert shown(page) == (9, 6)
        slide(page, "#kg-confidence", "Home")
        slide(page, "#kg-from", "ArrowRight")  # 2016-2023: the 2015 speech goes
        assert page.inner_text("#kg-years-value") == "2016–2023"
        assert shown(page) == (9, 8)
        slide(page, "#kg-to", "Home")  # pulls "from" down with it: 2015 only
        assert page.inner_text("#kg-years-value") == "2015–2015"
        # China, the BRI and the Global South are only in 2023 documents; undated stay.
        assert shown(page) == (6, 4)
        assert log.problems() == []


@needs_chromium
def test_click_highlights_the_neighbourhood(page_path: Path) -> None:
    with open_page(page_path.as_uri(), wait_for=DRAWN) as (page, log):
        page.mouse.click(*page_point(page, node_at("igo/brics")))
        brics = {"igo/brics", "country/CHN", "country/IND", "country/RUS"}
        assert entities(page.evaluate("kg.highlighted")) == brics
        faded = "kg.edges.get('country/CHN rivalOf country/USA').color.opacity"
        assert page.evaluate(faded) == 0.06
        corner = page.evaluate(
            "(() => { const r = document.getElementById('kg-graph').getBoundingClientRect();"
            " return [r.right - 5, r.bottom - 5]; })()"
        )
        page.mouse.click(*corner)
        assert page.evaluate("kg.highlighted") is None
        assert page.evaluate(faded) == 0.7
        usa = page.evaluate("kg.nodes.get('country/USA').color")
        assert usa == kg.viz.draw.CLASS_COLORS["Country"]
        assert log.problems() == []


def test_whole_view_draws_what_the_documents_state(sample_store: Store, tmp_path: Path) -> None:
    report = write_graph_html(sample_store, tmp_path / "whole.html", max_nodes=5000)
    drawn = drawn_ids(report.path)
    assert "region/wyoming" not in drawn  # a US state, only in the knowledge base
    assert {"country/CHN", "initiative/belt-and-road-initiative", "region/global-south"} <= drawn
    edges = page_data(report.path)["edges"]
    assert edges and all("curated" not in e["title"].lower() for e in edges)
    assert "named without a stated relation or only in the knowledge base" in report.path.read_text(encoding="utf-8")
    everything = write_graph_html(sample_store, tmp_path / "all.html", max_nodes=5000, everything=True)
    assert everything.nodes > report.nodes and "region/wyoming" in drawn_ids(everything.path)


# --- documents as nodes ------------------------------------------------------------------------

ISPI = EXAMPLES / "web"
SKY = "The Sky Is Not the Limit. Geopolitics and Economics of the New Space Race"
CHAPTER = "China in International Space Cooperation: Heading South"
ANALYSES = {
    "Jammu and Kashmir in the Aftermath of August 2019":
        {"region/jammu-and-kashmir", "party/bharatiya-janata-party", "instrument/article-370"},
    "Unlocking India’s Energy Transition: Addressing Grid Flexibility Challenges and Solutions":
        {"country/IND"},
    "The China-Russia Partnership and the Ukraine War: Aligned but not allied":
        {"country/CHN", "country/RUS", "country/USA", "event/ukraine-war"},
    "France’s Contributions to Pacific Maritime Governance": {"country/FRA", "region/south-pacific"},
}
ISPI_ORG = "org/italian-institute-for-international-political-studies"


@pytest.fixture(scope="module")
def ispi_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole view of the ISPI page alone (examples/sample/web), as `kg build` writes it."""
    from kg.build import build_store

    root = tmp_path_factory.mktemp("ispi")
    _, built = build_store([ISPI], root / "store")
    report = write_graph_html(built, root / "graph.html")
    built.close()
    return report.path


def documents_by_title(path: Path) -> dict[str, dict]:
    return {page_data(path)["docs"][n["doc"]]["title"]: n
            for n in page_data(path)["nodes"] if n.get("kind") == "document"}


def links(path: Path, kind: str) -> set[tuple[str, str]]:
    return {(e["from"], e["to"]) for e in page_data(path)["edges"] if e["label"] == kind
            and e["family"] == "document"}


def test_ispi_page_shows_its_report_chapter_analyses_and_what_each_is_about(ispi_page: Path) -> None:
    docs = documents_by_title(ispi_page)
    assert set(docs) == {SKY, CHAPTER, *ANALYSES}
    kinds = {title: n["group"] for title, n in docs.items()}
    assert kinds[SKY] == "Report" and kinds[CHAPTER] == "Chapter"
    assert {kinds[t] for t in ANALYSES} == {"Article"}
    assert not page_data(ispi_page)["documentsHidden"]  # a small corpus: drawn
    assert (docs[CHAPTER]["id"], docs[SKY]["id"]) in links(ispi_page, "isPartOf")
    assert {(n["id"], ISPI_ORG) for n in docs.values()} <= links(ispi_page, "publishedBy")
    mentions = links(ispi_page, "mentions")
    for title, about in ANALYSES.items():
        assert {(docs[title]["id"], e) for e in about} <= mentions, title
    assert ANALYSES[next(iter(ANALYSES))] <= drawn_ids(ispi_page)  # entities without a relation too
    nodes = {n["id"]: n for n in page_data(ispi_page)["nodes"]}
    assert nodes[docs[SKY]["id"]]["shape"] == "square" != nodes["country/IND"].get("shape", "dot")
    assert nodes[docs[SKY]["id"]]["color"] not in kg.viz.draw.CLASS_COLORS.values()
    summary = ispi_page.read_text(encoding="utf-8")
    assert "with 6 documents" in summary and 'data-class="Report"' in summary


def test_a_document_carries_the_relations_it_states(ispi_page: Path) -> None:
    chapter = documents_by_title(ispi_page)[CHAPTER]
    stated = {(s, p, o) for s, p, o, *_ in chapter["stated"]}
    assert ("China", "rivalOf", "United States") in stated
    assert chapter["statedCount"] == len(chapter["stated"]) >= 4
    sentence = next(row[3] for row in chapter["stated"] if row[1] == "rivalOf")
    assert "challenger" in sentence  # the evidence sentence itself
    assert ["country/CHN", "China", 7] in chapter["named"]


def test_entity_tooltips_and_data_list_their_documents(page_path: Path) -> None:
    data = page_data(page_path)
    china = next(n for n in data["nodes"] if n["id"] == "country/CHN")
    assert "in: <i>China at the 78th General Assembly</i> (2023)" in china["title"]
    titles = {data["docs"][i]["title"] for i in china["docs"]}
    assert titles == {"China at the 78th General Assembly", "China and the Global South"}
    assert china["documents"] == 2
    bold = next(n for n in data["nodes"] if n["id"] == "org/bold-institute")
    assert html.escape(HOSTILE_TITLE) in bold["title"] and HOSTILE_TITLE not in bold["title"]


def test_document_titles_are_escaped(page_path: Path) -> None:
    data = page_data(page_path)
    brief = next(n for n in data["nodes"] if n.get("kind") == "document" and n["group"] == "Article")
    assert data["docs"][brief["doc"]]["title"] == HOSTILE_TITLE  # data, put in with textContent
    assert html.escape(HOSTILE_TITLE) in brief["title"] and SCRIPT not in brief["title"]
    link = next(e for e in data["edges"] if e["from"] == brief["id"])
    assert SCRIPT not in link["title"] and IMG not in link["title"]
    text = page_path.read_text(encoding="utf-8")
    assert SCRIPT not in text and IMG not in text


def many_documents(n: int) -> str:
    """TriG of ``n`` articles naming China, each stating that China supports the BRI."""
    head = """@prefix kg: <https://w3id.org/irkg/ontology#> . @prefix ent: <https://w3id.org/irkg/id/> .
@prefix doc: <https://w3id.org/irkg/doc/> . @prefix graph: <https://w3id.org/irkg/graph/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> . @prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
"""
    return head + "".join(f"""graph:doc\\/a{i} {{
    doc:a{i} a kg:Article ; dcterms:title "Article {i}" ; kg:documentId "a{i}" ; kg:mentions ent:country\\/CHN .
    ent:country\\/CHN kg:supports ent:initiative\\/belt-and-road-initiative .
    doc:a{i}\\/r a kg:RelationAssertion ; rdf:subject ent:country\\/CHN ; rdf:predicate kg:supports ;
        rdf:object ent:initiative\\/belt-and-road-initiative ; kg:sentence "China supports the BRI ({i})." ;
        prov:wasDerivedFrom doc:a{i} .
}}
""" for i in range(n))


@pytest.fixture(scope="module")
def crowded_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The viz sample with 70 more articles: more documents than a view draws."""
    crowded = fill(Store())
    crowded.add(ox.parse(many_documents(70).encode(), format=ox.RdfFormat.TRIG))
    return write_graph_html(crowded, tmp_path_factory.mktemp("crowded") / "graph.html").path


def test_a_large_corpus_carries_documents_on_a_toggle(crowded_page: Path) -> None:
    from kg.viz.documents import DOCUMENT_LIMIT

    data = page_data(crowded_page)
    assert data["documentsHidden"] is True
    assert len(drawn_documents(crowded_page)) == DOCUMENT_LIMIT
    text = crowded_page.read_text(encoding="utf-8")
    assert "75 documents are involved; this page carries the 60" in text
    assert re.search(r'data-class="Article" data-document="true">', text)  # not ticked
    china = next(n for n in data["nodes"] if n["id"] == "country/CHN")
    assert china["documents"] == 72 and "and 69 more" in china["title"]


@needs_chromium
def test_documents_are_drawn_and_clickable(ispi_page: Path) -> None:
    docs = documents_by_title(ispi_page)
    with open_page(ispi_page.as_uri(), width=1600, height=1000, wait_for=DRAWN) as (page, log):
        drawn = page.evaluate("kg.nodeView.getIds()")
        assert {n["id"] for n in docs.values()} <= set(drawn)
        page.mouse.click(*page_point(page, node_at(docs[CHAPTER]["id"])))
        assert page.evaluate("kg.panel") == docs[CHAPTER]["id"]
        panel = page.inner_text("#kg-panel")
        assert CHAPTER in panel and "Relations it states" in panel
        assert "China rivalOf United States" in " ".join(panel.split())
        assert "challenger" in panel  # the sentence
        page.click("#kg-panel a[data-node='country/CHN']")  # an entity it names
        assert page.evaluate("network.getSelectedNodes()") == ["country/CHN"]
        panel = page.inner_text("#kg-panel")
        assert "Documents naming it" in panel and CHAPTER in panel
        article = "The China-Russia Partnership and the Ukraine War: Aligned but not allied"
        page.locator(f"#kg-panel a[data-node='{docs[article]['id']}']").locator("visible=true").first.click()
        assert page.evaluate("kg.panel") == docs[article]["id"]
        page.screenshot(path=str(ispi_page.with_suffix(".png")))
        assert log.problems() == []


@needs_chromium
def test_hostile_document_title_stays_text_in_the_panel(page_path: Path) -> None:
    data = page_data(page_path)
    brief = next(n["id"] for n in data["nodes"] if n.get("kind") == "document" and n["group"] == "Article")
    with open_page(page_path.as_uri(), wait_for=DRAWN) as (page, log):
        page.evaluate(f"kg.select({json.dumps(brief)})")
        assert HOSTILE_TITLE in page.inner_text("#kg-panel h2")
        page.evaluate("kg.select('org/bold-institute')")
        assert HOSTILE_TITLE in page.inner_text("#kg-panel")  # its evidence's document
        assert page.evaluate("document.querySelectorAll('#kg-panel img, #kg-panel script').length") == 0
        assert page.evaluate("window.__xss") is None
        assert log.problems() == []


@needs_chromium
def test_documents_on_a_toggle_show_when_ticked(crowded_page: Path) -> None:
    with open_page(crowded_page.as_uri(), wait_for=DRAWN) as (page, log):
        count = "kg.nodeView.get({filter: n => n.kind === 'document'}).length"
        assert page.evaluate(count) == 0
        page.check("input[data-class=Article]")
        assert page.evaluate(count) > 50
        assert log.problems() == []


# --- one notion of centrality ------------------------------------------------------------------

def test_the_view_ranks_as_kg_analyze_centrality(sample_store: Store, tmp_path: Path) -> None:
    from kg import analyze
    from kg.viz.read import read_graph

    rows = analyze.centrality(analyze.network(sample_store, "relations"))
    expected = [row.iri.removeprefix("https://w3id.org/irkg/id/") for row in rows]
    data = read_graph(sample_store)
    assert data.ranking.source == "computed"
    assert sorted(expected, key=data.rank_key)[:20] == expected[:20]
    report = write_graph_html(sample_store, tmp_path / "top.html", max_nodes=10)
    assert drawn_ids(report.path) == set(expected[:10])
    assert "as kg analyze centrality computes it" in report.path.read_text(encoding="utf-8")


def test_the_view_reads_centrality_from_graph_analytics(store: Store, tmp_path: Path) -> None:
    from kg.graph import analytics_update

    own = fill(Store())
    ent = "https://w3id.org/irkg/id/"
    own.update(analytics_update({"pageRank": {ent + "igo/brics": 0.9, ent + "org/ispi": 0.8,
                                              ent + "country/IND": 0.7}}))
    report = write_graph_html(own, tmp_path / "a.html", max_nodes=3, everything=True)
    assert drawn_ids(report.path) == {"igo/brics", "org/ispi", "country/IND"}
    assert "read from graph:analytics" in report.path.read_text(encoding="utf-8")


def test_a_part_view_gets_a_file_of_its_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from kg.cli import main

    fill(Store(tmp_path / "store")).close()
    monkeypatch.chdir(tmp_path)
    whole = Path("exports") / "graph.html"
    whole.parent.mkdir()
    whole.write_text("the build's page", encoding="utf-8")
    for args, name in ((["--focus", "PRC"], "graph-focus-china.html"),
                       (["--focus", "China", "--hops", "2"], "graph-focus-china-2-hops.html"),
                       (["--doc", "CHN_78_2023"], "graph-doc-chn-78-2023.html"),
                       (["--initiative", "BRI"], "graph-initiative-belt-and-road-initiative.html")):
        result = CliRunner().invoke(main, ["viz", "--store", str(tmp_path / "store"), *args])
        assert result.exit_code == 0, result.output
        assert result.output.startswith(f"wrote {Path('exports') / name} ("), result.output
        assert (Path("exports") / name).is_file()
    assert whole.read_text(encoding="utf-8") == "the build's page"  # never replaced by a part
    result = CliRunner().invoke(main, ["viz", "--store", str(tmp_path / "store")])
    assert result.output.startswith(f"wrote {whole} (Whole graph)") and "5 documents" in result.output
    assert "kg-data" in whole.read_text(encoding="utf-8")


# --- labels that fit ----------------------------------------------------------------------------

LABEL_BOXES = "kg.labels.map(b => [b[0], b[1], b[2], b[3], b[4]])"  # the page's drawn labels


MEASURED = """kg.labels.map(b => {
  const n = kg.nodes.get(b[0]), ctx = document.createElement('canvas').getContext('2d');
  ctx.font = (n.labelPx / network.getScale()) + 'px ' + kg.face;
  return ctx.measureText(n.text).width;
})"""


def overlapping(boxes: list[list]) -> list[tuple[str, str]]:
    return [(a[0], b[0]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]]


@pytest.fixture(scope="module")
def sample_page(sample_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_graph_html(sample_store, tmp_path_factory.mktemp("whole") / "graph.html").path


@needs_chromium
def test_no_labels_overlap_at_default_zoom_on_the_sample(sample_page: Path, sample_store: Store) -> None:
    from kg.viz.read import read_graph

    data = read_graph(sample_store)
    central = set(sorted(data.entities, key=data.rank_key)[:2])
    with open_page(sample_page.as_uri(), width=1600, height=1000, wait_for=DRAWN) as (page, log):
        page.wait_for_timeout(100)
        boxes = page.evaluate(LABEL_BOXES)
        assert overlapping(boxes) == []
        widths = page.evaluate(MEASURED)  # each box is as wide as its text, measured afresh
        assert all(abs(box[3] - box[1] - width) < 0.5 for box, width in zip(boxes, widths, strict=True))
        drawn = {b[0] for b in boxes}
        assert len(drawn) >= 30  # most nodes keep their label
        assert central <= drawn  # the most central keep theirs
        page.evaluate("network.moveTo({scale: network.getScale() * 3}); kg.declutter()")
        page.wait_for_timeout(100)
        closer = page.evaluate(LABEL_BOXES)
        assert overlapping(closer) == []
        assert len(closer) > len(boxes)  # zooming in brings more labels
        page.evaluate("kg.select('region/jammu-and-kashmir')")  # a selected node's label shows
        page.wait_for_timeout(100)
        assert "region/jammu-and-kashmir" in {b[0] for b in page.evaluate(LABEL_BOXES)}
        assert log.problems() == []


# --- ego views -----------------------------------------------------------------------------------

def test_a_focus_view_draws_the_centre_and_its_links_first(store: Store, tmp_path: Path) -> None:
    report = write_graph_html(store, tmp_path / "f.html", focus="China")
    data = page_data(report.path)
    lateral = {e["id"] for e in data["edges"] if e.get("lateral")}
    assert lateral == {"country/RUS memberOf igo/brics", "country/USA opposes country/RUS"}
    assert all(e.get("lateral") or "country/CHN" in (e["from"], e["to"]) for e in data["edges"]
               if e["family"] != "document")
    nodes = {n["id"]: n for n in data["nodes"]}
    assert (nodes["country/CHN"]["x"], nodes["country/CHN"]["y"]) == (0.0, 0.0)  # in the middle
    radii = [math.hypot(nodes[n]["x"], nodes[n]["y"]) for n in CHINA_1_HOP - {"country/CHN"}]
    assert min(radii) >= 200  # the neighbours around it
    assert 'id="kg-lateral"' in report.path.read_text(encoding="utf-8")
    whole = write_graph_html(store, tmp_path / "w.html")
    assert not any(e.get("lateral") for e in page_data(whole.path)["edges"])


@needs_chromium
def test_links_among_the_neighbours_are_on_a_toggle(store: Store, tmp_path: Path) -> None:
    report = write_graph_html(store, tmp_path / "f.html", focus="China")
    with open_page(report.path.as_uri(), wait_for=DRAWN) as (page, log):
        assert shown(page) == (6, 5)
        page.check("#kg-lateral")
        assert shown(page) == (6, 7)
        assert log.problems() == []


@needs_chromium
def test_the_address_keeps_the_view_as_one_sees_it(page_path: Path) -> None:
    with open_page(page_path.as_uri() + "#off=conflict&select=igo/brics", wait_for=DRAWN) as (page, log):
        assert shown(page) == (9, 7)  # the conflict relations are off
        assert not page.is_checked("input[data-family=conflict]")
        assert page.evaluate("kg.panel") == "igo/brics" and page.inner_text("#kg-panel h2") == "BRICS"
        page.uncheck("input[data-class=Region]")
        hash_now = page.evaluate("location.hash")
        assert "off=Region%2Cconflict" in hash_now or "off=conflict%2CRegion" in hash_now
        assert "select=igo%2Fbrics" in hash_now
        counts = shown(page)
    with open_page(page_path.as_uri() + hash_now, wait_for=DRAWN) as (page, log2):
        assert shown(page) == counts and page.evaluate("kg.panel") == "igo/brics"
        assert log.problems() == log2.problems() == []


@needs_chromium
def test_search_finds_relations(page_path: Path) -> None:
    with open_page(page_path.as_uri(), wait_for=DRAWN) as (page, log):
        page.type("#kg-search", "China rival")
        assert page.evaluate("kg.panel") == "country/CHN" and page.evaluate("kg.relation") == "rival"
        panel = " ".join(page.inner_text("#kg-panel").split())
        assert "Relations: rival… (1)" in panel and "China rivalOf United States" in panel
        assert "partnerOf" not in panel
        page.click("#kg-panel summary")  # a relation opens to its evidence
        assert "challenger" in page.inner_text("#kg-panel details")
        assert log.problems() == []
