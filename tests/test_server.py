"""`kg serve` as clients see it: the sample behind a real HTTP server, asked by SPARQLWrapper,
rdflib's SPARQLStore, plain HTTP and a headless browser, plus the protocol core without sockets.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import threading
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, POSTDIRECTLY, TSV, TURTLE, URLENCODED, XML, SPARQLWrapper

from kg.build import build_store
from kg.cli import main
from kg.errors import KgError
from kg.resources import QUERIES_DIR, SAMPLE_DIR
from kg.server import Request, ServerSettings, make_app, make_server
from kg.store import Store
from tests.browser import chromium_available, open_page

TOKEN = "s3cret-token"
CAP = 50
HOSTILE = "<script>alert('kg')</script>&\"x\""
HEAD = "PREFIX kg: <https://w3id.org/irkg/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
CHINA = "https://w3id.org/irkg/id/country/CHN"
SLOW = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@dataclass
class Endpoint:
    url: str  # http://127.0.0.1:<port>
    store: Store

    @property
    def sparql(self) -> str:
        return self.url + "/sparql"


def http(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None,
         method: str | None = None) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of one request; error statuses are returned, not raised."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def ask(endpoint: Endpoint, sparql: str, accept: str | None = "application/sparql-results+json", **extra: str):
    return http(endpoint.sparql + "?" + urllib.parse.urlencode({"query": sparql, **extra}),
                headers={} if accept is None else {"Accept": accept})


def assert_alive(endpoint: Endpoint) -> None:
    status, _, body = ask(endpoint, "ASK { ?s ?p ?o }")
    assert status == 200 and json.loads(body)["boolean"] is True


@pytest.fixture(scope="module")
def sample(built_sample: Path) -> Path:
    return built_sample


def start(store: Store, settings: ServerSettings) -> Iterator[Endpoint]:
    """Serve ``store`` on a free port of 127.0.0.1 in a thread, until the generator is closed."""
    server = make_server(make_app(store, settings))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Endpoint(f"http://127.0.0.1:{server.port}", store)
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def endpoint(sample: Path) -> Iterator[Endpoint]:
    """Read-only, over the store folder, with a 1 s timeout and a cap of 50 results."""
    settings = ServerSettings(port=0, timeout=1, max_results=CAP)
    yield from start(Store(sample, read_only=True), settings)


@pytest.fixture(scope="module")
def writable(sample: Path, endpoint: Endpoint, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Endpoint]:
    """Updates with a token, over an in-memory copy of the sample; SERVICE may call 127.0.0.1,
    and the saved queries include one with a hostile title."""
    root = tmp_path_factory.mktemp("writable")
    dump = root / "sample.nq"
    Store(sample, read_only=True).dump(dump, ox.RdfFormat.N_QUADS)
    store = Store()
    store.add(dump.read_bytes())
    queries = root / "queries"
    shutil.copytree(QUERIES_DIR, queries)
    (queries / "hostile.rq").write_text(f"# name: hostile\n# title: {HOSTILE}\n# description: {HOSTILE}\n"
                                        "# param: who  " + HOSTILE + "\nASK {}\n", encoding="utf-8")
    settings = ServerSettings(port=0, timeout=5, allow_updates=True, update_token=TOKEN,
                              allow_service=frozenset({"127.0.0.1"}), queries_dir=queries)
    yield from start(store, settings)


@pytest.fixture(scope="module")
def server_backed(sparql_server: str) -> Iterator[Endpoint]:
    """Read-only, over the sample built into the Oxigraph server (the remote store)."""
    Store(sparql_server).update("DROP SILENT ALL")
    _, store = build_store([SAMPLE_DIR], sparql_server, workers=1)
    settings = ServerSettings(port=0, timeout=10, max_results=CAP)
    yield from start(store, settings)


@pytest.fixture(params=["embedded store", "Oxigraph server"])
def backend(request: pytest.FixtureRequest) -> Endpoint:
    """The endpoint over each kind of store: the real clients must see no difference."""
    return request.getfixturevalue("endpoint" if request.param == "embedded store" else "server_backed")


# --- real clients, over the embedded store and over the Oxigraph server ----------------------

def test_sparqlwrapper_select_in_each_results_format(backend: Endpoint) -> None:
    client = SPARQLWrapper(backend.sparql)
    client.setQuery(HEAD + f"SELECT ?label {{ <{CHINA}> rdfs:label ?label }}")
    client.setReturnFormat(JSON)
    rows = client.queryAndConvert()["results"]["bindings"]
    assert [r["label"]["value"] for r in rows] == ["China"]
    client.setReturnFormat(XML)
    document = client.queryAndConvert()
    assert [e.firstChild.data for e in document.getElementsByTagName("literal")] == ["China"]
    client.setReturnFormat(CSV)
    assert list(csv.reader(io.StringIO(client.queryAndConvert().decode()))) == [["label"], ["China"]]
    client.setReturnFormat(TSV)
    assert client.queryAndConvert().decode().splitlines() == ["?label", '"China"']


def test_sparqlwrapper_ask_and_construct(backend: Endpoint) -> None:
    client = SPARQLWrapper(backend.sparql)
    client.setQuery(HEAD + f"ASK {{ <{CHINA}> a kg:Country }}")
    for fmt in (JSON, XML):
        client.setReturnFormat(fmt)
        result = client.queryAndConvert()
        assert (result["boolean"] if fmt == JSON else "true" in result.toxml()) is True
    client.setQuery(HEAD + f"CONSTRUCT {{ <{CHINA}> rdfs:label ?l }} WHERE {{ <{CHINA}> rdfs:label ?l }}")
    expected = rdflib.Graph().add((rdflib.URIRef(CHINA), rdflib.RDFS.label, rdflib.Literal("China")))
    client.setReturnFormat(TURTLE)
    assert isomorphic(rdflib.Graph().parse(data=client.queryAndConvert(), format="turtle"), expected)
    for fmt in (XML, JSONLD):
        client.setReturnFormat(fmt)
        assert isomorphic(client.queryAndConvert(), expected)


@pytest.mark.parametrize("method", [URLENCODED, POSTDIRECTLY])
def test_sparqlwrapper_posts(backend: Endpoint, method: str) -> None:
    client = SPARQLWrapper(backend.sparql)
    client.setMethod(POST)
    client.setRequestMethod(method)
    client.setQuery(HEAD + "SELECT (COUNT(*) AS ?n) { ?c a kg:Country }")
    client.setReturnFormat(JSON)
    assert int(client.queryAndConvert()["results"]["bindings"][0]["n"]["value"]) > 200


def test_rdflib_sparqlstore(backend: Endpoint) -> None:
    graph = rdflib.Graph(store=SPARQLStore(backend.sparql))
    china = rdflib.URIRef(CHINA)
    rows = list(graph.query(HEAD + f"SELECT ?label {{ <{CHINA}> rdfs:label ?label }}"))
    assert [str(row.label) for row in rows] == ["China"]
    assert graph.query(HEAD + f"ASK {{ <{CHINA}> a kg:Country }}").askAnswer is True
    assert rdflib.Literal("China") in set(graph.objects(china, rdflib.RDFS.label))
    built = graph.query(HEAD + f"CONSTRUCT {{ <{CHINA}> rdfs:label ?l }} WHERE {{ <{CHINA}> rdfs:label ?l }}")
    assert set(built.graph) == {(china, rdflib.RDFS.label, rdflib.Literal("China"))}


@pytest.mark.skipif(not chromium_available(), reason="needs Playwright and Debian's chromium")
def test_page_runs_a_query_and_shows_a_hostile_literal_as_text(writable: Endpoint) -> None:
    status, _, _ = http(writable.sparql, data=f"INSERT DATA {{ GRAPH <urn:x> {{ <urn:x> <urn:label> {ox.Literal(HOSTILE)} }} }}".encode(),
                        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
    assert status == 200
    with open_page(writable.url + "/") as (page, log):
        page.fill("#query", "SELECT ?label { <urn:x> <urn:label> ?label }")
        page.click("#query-form button")
        page.wait_for_selector("#results td")
        assert page.inner_text("#results td") == HOSTILE
        assert page.evaluate("document.querySelectorAll('#results script').length") == 0
        page.fill(".saved form[data-name='partners-of'] input[name='entity']", "China")
        page.click(".saved form[data-name='partners-of'] button")
        page.wait_for_selector("#results tbody tr")  # (wait_for_function would need eval: the CSP says no)
        assert "partners-of" not in page.inner_text("#status") and "results" in page.inner_text("#status")
        assert not log.problems()


@pytest.mark.skipif(not chromium_available(), reason="needs Playwright and Debian's chromium")
def test_page_keeps_its_query_in_the_address_sorts_and_offers_downloads(endpoint: Endpoint) -> None:
    shared = endpoint.url + "/?saved=partners-of&entity=China"
    with open_page(shared) as (page, log):
        page.wait_for_selector("#results tbody tr")  # a shared link runs its query on opening
        assert page.input_value(".saved form[data-name='partners-of'] input[name='entity']") == "China"
        column = page.evaluate("Array.from(document.querySelectorAll('#results th')).map(th => th.textContent)")
        partners = page.evaluate("Array.from(document.querySelectorAll('#results tbody tr'))"
                                 ".map(tr => tr.cells[1].textContent)")
        page.click("#results th:nth-child(2)")
        assert page.evaluate("Array.from(document.querySelectorAll('#results tbody tr'))"
                             ".map(tr => tr.cells[1].textContent)") == sorted(partners, key=str)
        assert page.get_attribute("#results th:nth-child(2)", "aria-sort") == "ascending"
        page.click("#results th:nth-child(2)")
        assert page.get_attribute("#results th:nth-child(2)", "aria-sort") == "descending"
        csv_link = page.get_attribute("#downloads a[download='results.csv']", "href")
        status, headers, body = http(endpoint.url + csv_link, headers={"Accept": "text/html,*/*;q=0.8"})
        assert status == 200 and headers["Content-Type"].startswith("text/csv")
        assert body.decode().splitlines()[0].split(",") == column
        page.fill("#query", "SELECT ?n { VALUES ?n { 3 1 2 } }")
        page.click("#query-form button")
        page.wait_for_function("location.search.startsWith('?query=')")
        page.wait_for_selector("#results td")
        page.go_back()
        page.wait_for_function("location.search.startsWith('?saved=partners-of')")
        page.wait_for_selector("#results tbody tr")
        assert page.input_value(".saved form[data-name='partners-of'] input[name='entity']") == "China"
        assert not log.problems()


# --- the protocol over plain HTTP ----------------------------------------------------------

COUNTRIES = HEAD + "SELECT ?c ?label { ?c a kg:Country ; rdfs:label ?label } ORDER BY ?label LIMIT 3"


def test_get_post_form_and_post_direct_agree(endpoint: Endpoint) -> None:
    accept = {"Accept": "application/sparql-results+json"}
    answers = [
        ask(endpoint, COUNTRIES),
        http(endpoint.sparql, data=urllib.parse.urlencode({"query": COUNTRIES}).encode(),
             headers={**accept, "Content-Type": "application/x-www-form-urlencoded"}),
        http(endpoint.sparql, data=COUNTRIES.encode(), headers={**accept, "Content-Type": "application/sparql-query"}),
    ]
    bodies = {body for _, _, body in answers}
    assert {status for status, _, _ in answers} == {200} and len(bodies) == 1
    assert len(json.loads(bodies.pop())["results"]["bindings"]) == 3


@pytest.mark.parametrize("accept, media_type", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/html;q=0.9, text/csv;q=0.5, */*;q=0.1", "text/csv"),
    ("*/*", "application/sparql-results+json"),
])
def test_select_by_accept(endpoint: Endpoint, accept: str, media_type: str) -> None:
    status, headers, body = ask(endpoint, COUNTRIES, accept)
    assert status == 200 and headers["Content-Type"] == media_type
    if media_type == "application/sparql-results+json":
        assert len(json.loads(body)["results"]["bindings"]) == 3
    elif media_type.endswith("xml"):
        assert len(ET.fromstring(body).findall(".//{http://www.w3.org/2005/sparql-results#}result")) == 3
    else:
        assert len(body.decode().splitlines()) == 4


def test_construct_by_accept_gives_the_same_graph(endpoint: Endpoint) -> None:
    query = HEAD + f"CONSTRUCT {{ <{CHINA}> ?p ?o }} WHERE {{ <{CHINA}> ?p ?o }}"
    graphs = []
    for accept, rdflib_format in [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                  ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")]:
        status, headers, body = ask(endpoint, query, accept)
        assert status == 200 and headers["Content-Type"] == accept
        graphs.append(rdflib.Graph().parse(data=body, format=rdflib_format))
    assert len(graphs[0]) > 5 and all(isomorphic(graphs[0], g) for g in graphs[1:])


def test_format_parameter_wins_where_accept_allows_it(endpoint: Endpoint) -> None:
    for accept in ("*/*", "application/sparql-results+xml, text/csv;q=0.5", None):
        status, headers, _ = ask(endpoint, COUNTRIES, accept, format="csv")
        assert status == 200 and headers["Content-Type"] == "text/csv"
    # An Accept header that rules the named format out, and allows another, wins.
    status, headers, _ = ask(endpoint, COUNTRIES, "application/sparql-results+xml", format="csv")
    assert status == 200 and headers["Content-Type"] == "application/sparql-results+xml"
    # A name the endpoint does not know gives way to Accept (SPARQLWrapper's format=n3).
    status, headers, _ = ask(endpoint, "CONSTRUCT WHERE { ?s a kg:Country } LIMIT 3", "text/rdf+n3, text/turtle;q=0.9",
                             format="n3")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")


def test_sparqlwrapper_n3_gets_turtle(backend: Endpoint) -> None:
    client = SPARQLWrapper(backend.sparql)
    client.setQuery(HEAD + f"CONSTRUCT {{ <{CHINA}> rdfs:label ?l }} WHERE {{ <{CHINA}> rdfs:label ?l }}")
    client.setReturnFormat(N3)
    expected = rdflib.Graph().add((rdflib.URIRef(CHINA), rdflib.RDFS.label, rdflib.Literal("China")))
    assert isomorphic(rdflib.Graph().parse(data=client.queryAndConvert(), format="turtle"), expected)


def test_syntax_error_is_400_with_the_parsers_message(endpoint: Endpoint) -> None:
    status, headers, body = ask(endpoint, "SELECT ?x WHERE { ?x")
    assert status == 400 and headers["Content-Type"].startswith("text/plain")
    assert "syntax error" in body.decode() and "error at 1:" in body.decode()
    assert_alive(endpoint)


def test_unacceptable_formats_are_406(endpoint: Endpoint) -> None:
    status, _, body = ask(endpoint, COUNTRIES, "image/png")
    assert status == 406 and b"text/csv" in body
    for accept in (None, "*/*"):  # a format a SELECT cannot take, and no type named instead
        status, _, body = ask(endpoint, COUNTRIES, accept, format="turtle")
        assert status == 406 and b"csv" in body
    status, _, _ = ask(endpoint, "CONSTRUCT WHERE { ?s ?p ?o }", "text/csv")
    assert status == 406


def test_dataset_parameters_and_other_bodies_are_refused(endpoint: Endpoint) -> None:
    status, _, body = ask(endpoint, COUNTRIES, **{"default-graph-uri": "urn:g"})
    assert status == 400 and b"union" in body
    status, _, _ = http(endpoint.sparql, data=b"{}", headers={"Content-Type": "application/json"})
    assert status == 415


def test_result_cap_cuts_and_says_so(endpoint: Endpoint) -> None:
    status, headers, body = ask(endpoint, "SELECT * { ?s ?p ?o }")
    assert status == 200 and headers["X-Result-Truncated"] == "true" and headers["X-Result-Limit"] == str(CAP)
    assert len(json.loads(body)["results"]["bindings"]) == CAP
    status, headers, body = ask(endpoint, "CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples")
    assert status == 200 and headers["X-Result-Truncated"] == "true" and len(body.splitlines()) == CAP
    status, headers, _ = ask(endpoint, COUNTRIES)
    assert "X-Result-Truncated" not in headers
    assert_alive(endpoint)


def test_slow_query_times_out_and_the_server_goes_on(endpoint: Endpoint) -> None:
    status, _, body = ask(endpoint, SLOW)
    assert status == 503 and b"time limit of 1 s" in body
    assert_alive(endpoint)


def test_updates_are_refused_by_a_read_only_server(endpoint: Endpoint) -> None:
    for headers in ({}, {"Authorization": f"Bearer {TOKEN}"}):
        status, _, body = http(endpoint.sparql, data=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                               headers={**headers, "Content-Type": "application/sparql-update"})
        assert status == 403 and b"read-only" in body
    assert ask(endpoint, "ASK { <urn:a> ?p ?o }")[2] == b'{"head":{},"boolean":false}'


def test_updates_need_the_right_token(writable: Endpoint) -> None:
    update = "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> 'token test' } }"
    for auth in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
        status, _, body = http(writable.sparql, data=urllib.parse.urlencode({"update": update}).encode(),
                               headers={**auth, "Content-Type": "application/x-www-form-urlencoded"})
        assert status == 403 and b"Bearer" in body
    assert json.loads(ask(writable, "ASK { <urn:a> <urn:b> ?o }")[2])["boolean"] is False
    client = SPARQLWrapper(writable.sparql)
    client.addCustomHttpHeader("Authorization", f"Bearer {TOKEN}")
    client.setMethod(POST)
    client.setQuery(update)
    client.query()
    assert json.loads(ask(writable, "ASK { <urn:a> <urn:b> 'token test' }")[2])["boolean"] is True
    status, _, body = http(writable.sparql, data=b"INSERT DATA { <urn:a> ", headers={
        "Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
    assert status == 400 and b"syntax error" in body
    assert_alive(writable)


def test_service_to_other_hosts_is_refused(endpoint: Endpoint, writable: Endpoint) -> None:
    status, _, body = ask(endpoint, "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert status == 400 and b"example.org" in body and b"--allow-service" in body
    status, _, _ = ask(endpoint, "SELECT * { ?s ?p ?o FILTER(?o = 'SERVICE <http://example.org/>') } # SERVICE <http://x/>")
    assert status == 200
    federated = f"SELECT ?label {{ SERVICE <{endpoint.sparql}> {{ <{CHINA}> <http://www.w3.org/2000/01/rdf-schema#label> ?label }} }}"
    status, _, body = ask(writable, federated)
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["label"]["value"] == "China"
    assert_alive(endpoint)


def test_service_description_is_turtle(endpoint: Endpoint) -> None:
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    for path in ("/sparql", "/service-description"):
        status, headers, body = http(endpoint.url + path)
        assert status == 200 and headers["Content-Type"].startswith("text/turtle")
        graph = rdflib.Graph().parse(data=body, format="turtle")
        service = graph.value(predicate=rdflib.RDF.type, object=sd.Service)
        assert graph.value(service, sd.endpoint) == rdflib.URIRef(endpoint.sparql)
        assert (service, sd.feature, sd.UnionDefaultGraph) in graph
        assert (service, sd.supportedLanguage, sd.SPARQL11Update) not in graph
        formats = {str(o).rsplit("/", 1)[1] for o in graph.objects(service, sd.resultFormat)}
        assert formats >= {"SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "Turtle", "JSON-LD"}


def test_page_loads_nothing_from_elsewhere_and_escapes(writable: Endpoint) -> None:
    status, headers, body = http(writable.url + "/")
    html = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert not re.search(r"""(src|href|action)\s*=\s*["']?\s*(https?:)?//|url\(|@import""", html, re.IGNORECASE)
    assert HOSTILE not in html and "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;kg&#x27;)&lt;/script&gt;&amp;&quot;x&quot;" in html
    assert html.count("<script") == 1 and "kg viz" in html  # the graph view does not exist there
    for saved in ("partners-of", "initiative-countries"):
        assert f'data-name="{saved}"' in html


def test_saved_queries_bind_their_parameters(endpoint: Endpoint) -> None:
    status, _, body = http(endpoint.url + "/saved/partners-of?entity=China", headers={"Accept": "text/csv"})
    assert status == 200 and len(body.decode().splitlines()) > 1
    status, _, body = http(endpoint.url + "/saved/partners-of")
    assert status == 400 and b"missing parameter entity" in body
    status, _, body = http(endpoint.url + "/saved/partner-of")
    assert status == 404 and b"partners-of" in body


def test_graph_view_is_drawn_from_the_store_served(endpoint: Endpoint) -> None:
    status, headers, body = http(endpoint.url + "/graph")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b"<title>graph</title>" not in body and b"China" in body  # not the file beside it: the store


# --- the core without sockets, and the command -----------------------------------------------

def test_handle_refuses_foreign_host_headers(tmp_path: Path) -> None:
    app = make_app(Store(), ServerSettings())
    assert app.handle(Request("GET", "/sparql", {"host": "attacker.example:7878"})).status == 403
    assert app.handle(Request("GET", "/sparql", {"host": "localhost:7878"})).status == 200
    assert app.handle(Request("DELETE", "/sparql")).status == 405
    assert app.handle(Request("GET", "/graph")).status == 404


def test_settings_refuse_updates_without_a_token() -> None:
    with pytest.raises(KgError, match="update-token"):
        ServerSettings(allow_updates=True)


def test_serve_get_answers_in_process(sample: Path) -> None:
    query = urllib.parse.quote(HEAD + f"SELECT ?label {{ <{CHINA}> rdfs:label ?label }}")
    runner = CliRunner()
    result = runner.invoke(main, ["serve", "--store", str(sample), "--get", f"/sparql?format=csv&query={query}"])
    assert result.exit_code == 0 and result.stdout.splitlines() == ["label", "China"]
    result = runner.invoke(main, ["serve", "--store", str(sample), "--get", "/sparql?query=SELECT"])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("kg: error: HTTP 400: SPARQL syntax error") and result.stderr.count("\n") == 1
    result = runner.invoke(main, ["serve", "--store", str(sample), "--allow-updates"], env={"KG_UPDATE_TOKEN": ""})
    assert result.exit_code == 2 and "--update-token" in result.stderr
