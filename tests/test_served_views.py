"""`kg serve` draws the graph views from the store it serves: /graph, ?focus=, ?doc=, ?initiative=.

The core is asked without sockets (App.handle); a real server in a thread is opened in headless
Chromium to check that a served view reflects its URL and links to other served views.
"""

from __future__ import annotations

import html
import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from kg.server import Request, ServerSettings, make_app, make_server
from kg.server.app import App
from kg.store import Store
from kg.viz import write_graph_html
from tests.browser import chromium_available, open_page
from tests.test_viz import HOSTILE_TITLE, SCRIPT, fill

DRAWN = "document.body.dataset.drawn === 'true'"
needs_chromium = pytest.mark.skipif(not chromium_available(), reason="needs Playwright and /usr/bin/chromium")


@pytest.fixture(scope="module")
def app(built_sample: Path) -> App:
    return make_app(Store(built_sample, read_only=True), ServerSettings(timeout=60))


def get(app: App, target: str) -> tuple[int, str, dict[str, str]]:
    response = app.handle(Request("GET", target))
    return response.status, response.body.decode(), dict(response.headers)


def data_of(page: str) -> dict:
    block = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.DOTALL)
    assert block, page[:300]
    return json.loads(block.group(1))


def entities_of(page: str) -> set[str]:
    return {n["id"] for n in data_of(page)["nodes"] if n.get("kind") != "document"}


def heading(page: str) -> str:
    return html.unescape(re.search(r'<span id="kg-view">(.*?)</span>', page).group(1))


def test_graph_is_drawn_from_the_store_served(app: App, built_sample: Path, tmp_path: Path) -> None:
    status, page, headers = get(app, "/graph")
    assert status == 200
    assert heading(page).startswith("Whole graph")
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert data_of(page)["served"] is True
    store = Store(built_sample, read_only=True)
    expected = write_graph_html(store, tmp_path / "whole.html")
    assert len(entities_of(page)) == expected.nodes
    store.close()


@pytest.mark.parametrize(("target", "kwargs", "title", "selected"), [
    ("/graph?focus=China&hops=1", {"focus": "China"}, "Neighbourhood of China: 1 hop", "country/CHN"),
    ("/graph?focus=PRC&hops=2&max_nodes=40", {"focus": "PRC", "hops": 2, "max_nodes": 40},
     "Neighbourhood of China: 2 hops", "country/CHN"),
    ("/graph?doc=CHN_78_2023", {"doc": "CHN_78_2023"}, "Document CHN_78_2023: ", "doc:CHN_78_2023"),
    ("/graph?initiative=BRI", {"initiative": "BRI"}, "Initiative Belt and Road Initiative", "initiative/belt-and-road-initiative"),
])
def test_part_views_follow_the_url(app: App, built_sample: Path, tmp_path: Path, target: str,
                                   kwargs: dict, title: str, selected: str) -> None:
    status, page, _ = get(app, target)
    assert status == 200, page
    assert heading(page).startswith(title)
    assert data_of(page)["selected"] == selected
    store = Store(built_sample, read_only=True)
    written = write_graph_html(store, tmp_path / "part.html", **kwargs)
    store.close()
    assert entities_of(page) == entities_of(written.path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("target", "status", "says"), [
    ("/graph?focus=Chna", 404, "did you mean: China"),
    ("/graph?doc=CHN_78", 404, "CHN_78_2023"),
    ("/graph?focus=China&doc=CHN_78_2023", 400, "at most one of focus, doc and initiative"),
    ("/graph?focus=China&hops=9", 400, "hops is a whole number from 1 to 3"),
    ("/graph?hops=2", 400, "hops goes with focus"),
    ("/graph?max_nodes=0", 400, "max_nodes is a whole number from 1 to 2000"),
    ("/graph?max_nodes=many", 400, "not 'many'"),
    ("/graph?colour=red", 400, "/graph does not take colour"),
    ("/graph?focus=", 400, "focus needs a value"),
    ("/graph?focus=China&focus=India", 400, "give focus once"),
])
def test_bad_view_urls_are_refused_with_the_reason(app: App, target: str, status: int, says: str) -> None:
    got, body, _ = get(app, target)
    assert (got, says in body) == (status, True), body


def test_an_empty_store_has_nothing_to_draw(tmp_path: Path) -> None:
    app = make_app(Store(), ServerSettings())
    status, body, _ = get(app, "/graph")
    assert status == 404 and "nothing to draw" in body


def test_a_view_runs_within_the_time_limit(built_sample: Path, tmp_path: Path) -> None:
    app = make_app(Store(built_sample, read_only=True), ServerSettings(timeout=0.05))
    status, body, _ = get(app, "/graph")
    assert status == 503 and "time limit" in body


def test_served_views_escape_document_strings(tmp_path: Path) -> None:
    app = make_app(fill(Store()), ServerSettings(timeout=60))
    status, page, _ = get(app, "/graph?all=1")
    assert status == 200
    assert SCRIPT not in page
    brief = next(n for n in data_of(page)["nodes"] if n["group"] == "Article")
    assert html.escape(HOSTILE_TITLE) in brief["title"]


@pytest.fixture(scope="module")
def server(app: App) -> Iterator[str]:
    http = make_server(app)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{http.port}"
    finally:
        http.shutdown()


@needs_chromium
def test_a_served_view_reflects_its_url_and_links_to_others(server: str) -> None:
    with open_page(f"{server}/graph?focus={quote('China')}&hops=1", width=1600, height=1000,
                   wait_for=DRAWN) as (page, log):
        assert page.inner_text("#kg-view") == "Neighbourhood of China: 1 hop"
        assert page.evaluate("network.getSelectedNodes()") == ["country/CHN"]
        assert page.inner_text("#kg-panel h2") == "China"  # its relations and documents listed
        page.locator("#kg-panel a[data-node^='doc:']").locator("visible=true").first.click()
        document = page.evaluate("kg.panel")
        assert document.startswith("doc:")
        with page.expect_navigation():
            page.click("#kg-panel a[href^='?doc=']")  # the document's own view, served
        page.wait_for_function(DRAWN)
        assert page.url.startswith(f"{server}/graph?doc=")
        assert page.inner_text("#kg-view").startswith("Document ")
        assert page.evaluate("network.getSelectedNodes()") == [document]
        page.evaluate("kg.select('country/CHN')")
        with page.expect_navigation():
            page.click("#kg-panel a[href^='?focus=']")  # back to China's neighbourhood
        page.wait_for_function(DRAWN)
        assert page.inner_text("#kg-view") == "Neighbourhood of China: 1 hop"
        assert log.problems() == []


def test_the_query_page_links_to_the_views(app: App) -> None:
    status, page, _ = get(app, "/")
    assert status == 200 and '<a href="/graph">graph view</a>' in page
    assert '<form id="view-form" action="/graph" method="get">' in page and 'name="focus"' in page


@needs_chromium
def test_the_query_page_draws_a_neighbourhood(server: str) -> None:
    with open_page(f"{server}/") as (page, log):
        page.fill("#view-form input[name=focus]", "PRC")
        page.fill("#view-form input[name=hops]", "2")
        with page.expect_navigation():
            page.click("#view-form button")
        page.wait_for_function(DRAWN)
        assert page.url.split("#")[0] == f"{server}/graph?focus=PRC&hops=2"
        assert page.inner_text("#kg-view") == "Neighbourhood of China: 2 hops"
        assert log.problems() == []


def test_a_drawn_view_is_kept_for_the_store_it_was_drawn_from(
    built_sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kg.server.app as served

    runs: list[str] = []
    real = served.run_limited
    monkeypatch.setattr(served, "run_limited", lambda work, **kw: runs.append("run") or real(work, **kw))
    app = make_app(Store(built_sample, read_only=True), ServerSettings(timeout=60))
    first = get(app, "/graph?focus=China")
    assert get(app, "/graph?focus=China") == first and len(runs) == 1  # drawn once
    assert get(app, "/graph?hops=1&focus=China")[1] == first[1] and len(runs) == 1  # the same view
    assert get(app, "/graph?focus=India")[0] == 200 and len(runs) == 2
    memory = make_app(fill(Store()), ServerSettings(timeout=60))
    get(memory, "/graph"), get(memory, "/graph")
    assert len(runs) == 4  # a store that can change under the server: drawn each time
