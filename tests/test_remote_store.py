"""`kg` on SPARQL servers (an Oxigraph server and a Virtuoso): the same answers as the
embedded store, and clear failures."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import KgError
from kg.export import FORMATS, RDF_FORMATS
from kg.query import list_saved_queries
from kg.resources import SAMPLE_DIR
from kg.store import Store, endpoints
from tests.test_cli import PARAMS

SERVERS = {"oxigraph": "sparql_server", "virtuoso": "virtuoso_server"}  # the session fixture of each
# Each saved query with its example, and with each optional parameter given or left out.
ASKED = [(q.name, PARAMS.get(q.name, {})) for q in list_saved_queries()] + [
    ("top-entities", {"type": "Country"}), ("top-entities", {"type": "initiative", "limit": "5"}),
    ("initiative-countries", {"entity": "GDI"}), ("publications-by-publisher", {"publisher": "ISPI"}),
    ("speeches-by-country-year", {"country": "China"}), ("relations-by-family", {"family": "conflict"}),
    ("partners-and-opponents", {"family": "cooperation", "limit": "7"}), ("entity-profile", {"entity": "India"}),
    ("document-mentions", {"document": "RUS_78_2023"}), ("relation-evidence", {"predicate": "conflict"}),
]


def kg(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def empty(store: Store) -> Store:
    """``store`` without kg's graphs (a Virtuoso keeps its own)."""
    for name in store.named_graphs():
        store.update(f"DROP SILENT GRAPH <{name}>")
    return store


def build(store: str) -> None:
    code, _, err = kg("build", str(SAMPLE_DIR), "--store", store, "--no-exports", "--workers", "1")
    assert code == 0, err


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The sample built by `kg build` into a new embedded store."""
    folder = str(tmp_path_factory.mktemp("embedded") / "store")
    build(folder)
    return folder


@pytest.fixture(scope="module", params=sorted(SERVERS))
def stores(request: pytest.FixtureRequest, embedded: str) -> dict[str, str]:
    """The sample built by `kg build` into the embedded store and into each server, emptied first."""
    server = request.getfixturevalue(SERVERS[request.param])
    empty(Store(server))
    build(server)
    return {"embedded": embedded, "remote": server}


def answer(store: str, saved: str, params: dict[str, str]) -> list[list[str]]:
    """The rows of a saved query in the order it gives them."""
    code, out, err = kg("query", saved, "--store", store, "--format", "csv", *[f"--param={k}={v}" for k, v in params.items()])
    assert code == 0, err
    return list(csv.reader(io.StringIO(out)))


def test_the_server_holds_the_same_quads(stores: dict[str, str]) -> None:
    embedded, remote = Store(stores["embedded"], read_only=True), Store(stores["remote"])
    assert remote.named_graphs() == embedded.named_graphs()
    assert remote.count_quads() == embedded.count_quads()


@pytest.mark.parametrize(("saved", "params"), ASKED, ids=[f"{n}-{'-'.join(p.values())}" for n, p in ASKED])
def test_every_saved_query_answers_the_same_rows_in_the_same_order(
    stores: dict[str, str], saved: str, params: dict[str, str]
) -> None:
    expected = answer(stores["embedded"], saved, params)
    assert len(expected) > 1
    assert answer(stores["remote"], saved, params) == expected


def test_validate_reads_the_server(stores: dict[str, str]) -> None:
    code, out, _ = kg("validate", "--store", stores["remote"])
    assert code == 0 and "no violations" in out


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_export_holds_what_the_embedded_stores_does(stores: dict[str, str], fmt: str, tmp_path: Path) -> None:
    written = {}
    for name, store in stores.items():
        path = tmp_path / f"{name}.{fmt}"
        code, _, err = kg("export", "--store", store, "--format", fmt, "--out", str(path))
        assert code == 0, err
        written[name] = path
    if fmt in RDF_FORMATS:
        remote, local = (set(ox.parse(path=str(written[n]), format=RDF_FORMATS[fmt])) for n in ("remote", "embedded"))
        assert remote == local and len(local) > 20000
    else:
        read = getattr(nx, f"read_{fmt}")
        remote, local = read(written["remote"]), read(written["embedded"])
        assert sorted(remote.nodes(data=True)) == sorted(local.nodes(data=True))
        assert sorted(remote.edges(data=True, keys=True)) == sorted(local.edges(data=True, keys=True))


def test_viz_draws_the_same_page(stores: dict[str, str], tmp_path: Path) -> None:
    pages = {}
    for name, store in stores.items():
        pages[name] = tmp_path / f"{name}.html"
        code, _, err = kg("viz", "--store", store, "--out", str(pages[name]))
        assert code == 0, err
    assert pages["remote"].read_text(encoding="utf-8") == pages["embedded"].read_text(encoding="utf-8")


def test_rebuilding_replaces_each_graph_on_the_server(stores: dict[str, str]) -> None:
    remote = Store(stores["remote"])
    before = remote.count_quads()
    code, _, err = kg("build", str(SAMPLE_DIR / "ungd"), "--store", stores["remote"], "--no-exports", "--workers", "1")
    assert code == 0, err
    assert remote.count_quads() == before


def test_an_unreachable_server_is_one_clear_line() -> None:
    code, _, err = kg("query", "top-entities", "--store", "http://127.0.0.1:9")
    assert code == 1 and err.count("\n") == 1  # a failed run, not a usage error
    assert err.startswith("kg: error: cannot reach the SPARQL server at http://127.0.0.1:9: ")


def test_the_store_can_come_from_the_environment(stores: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_STORE", stores["remote"])
    # IRIs, not ent:country\\/CHN: Virtuoso takes no escapes in prefixed names.
    code, out, _ = kg("query", "ASK { <https://w3id.org/irkg/id/country/CHN> kg:partnerOf <https://w3id.org/irkg/id/country/RUS> }")
    assert code == 0 and out.strip() == "true"


def test_a_read_only_store_refuses_writes(sparql_server: str) -> None:
    with pytest.raises(KgError, match="read-only"):
        Store(sparql_server, read_only=True).update("CLEAR DEFAULT")


def test_a_server_whose_default_graph_hides_the_named_graphs_is_refused(sparql_server: str) -> None:
    # Asked without ?union-default-graph, this Oxigraph server's default graph is empty.
    Store(sparql_server).add(b"<http://example.org/a> <http://example.org/b> <http://example.org/c> <http://example.org/hidden> .\n")
    plain = Store(f"sparql+{sparql_server}/query")
    try:
        with pytest.raises(KgError, match="union of its named graphs"):
            plain.select("SELECT * { ?s ?p ?o } LIMIT 1")
    finally:
        Store(sparql_server).update("DROP SILENT GRAPH <http://example.org/hidden>")


def test_presets_name_each_servers_endpoints(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KG_STORE_UPDATE", raising=False)
    monkeypatch.delenv("KG_STORE_GRAPHS", raising=False)
    oxigraph = endpoints("http://127.0.0.1:7878/")
    assert (oxigraph.query, oxigraph.update, oxigraph.graphs) == (
        "http://127.0.0.1:7878/query?union-default-graph", "http://127.0.0.1:7878/update", "http://127.0.0.1:7878/store")
    assert oxigraph.bulk == "http://127.0.0.1:7878/store?no_transaction"
    fuseki = endpoints("fuseki+http://h:3030/ds")
    assert (fuseki.query, fuseki.update, fuseki.graphs, fuseki.dataset) == (
        "http://h:3030/ds/query", "http://h:3030/ds/update", "http://h:3030/ds/data", "http://h:3030/ds")
    graphdb = endpoints("graphdb+http://h:7200/repositories/x")
    assert (graphdb.query, graphdb.update) == ("http://h:7200/repositories/x", "http://h:7200/repositories/x/statements")
    virtuoso = endpoints("virtuoso+http://h:8890")
    assert (virtuoso.query, virtuoso.graphs) == ("http://h:8890/sparql", "http://h:8890/sparql-graph-crud")
    # Virtuoso takes queries as forms, lists no graph from GRAPH ?g {}, cuts answers at a row
    # limit and holds graphs of its own.
    assert virtuoso.form and not virtuoso.lists_graphs and virtuoso.max_rows and virtuoso.scope == "https://w3id.org/irkg/graph/"
    assert not (oxigraph.form or oxigraph.max_rows or oxigraph.scope) and oxigraph.lists_graphs
    assert virtuoso.graph("https://w3id.org/irkg/graph/kb") == (
        "http://h:8890/sparql-graph-crud?graph=https%3A%2F%2Fw3id.org%2Firkg%2Fgraph%2Fkb")
    monkeypatch.setenv("KG_STORE_GRAPHS", "https://h/gsp")
    assert endpoints("sparql+https://h/sparql").graphs == "https://h/gsp"
    with pytest.raises(KgError, match="presets: oxigraph"):
        endpoints("jena+http://h")


def test_a_server_without_a_graph_store_url_says_which_setting_to_use(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KG_STORE_GRAPHS", raising=False)
    with pytest.raises(KgError, match="KG_STORE_GRAPHS"):
        Store("sparql+http://127.0.0.1:9/sparql").add(b"<http://a> <http://b> <http://c> <http://g> .\n")


def test_build_store_routes_a_url_to_the_server(sparql_server: str) -> None:
    from kg.build import build_store

    report, store = build_store([SAMPLE_DIR / "ungd" / "CHN_76_2021.txt"], sparql_server, workers=1)
    assert report.documents == 1 and store.location == sparql_server
    assert "https://w3id.org/irkg/graph/doc/CHN_76_2021" in store.named_graphs()


def test_a_bulk_load_goes_through_the_servers_bulk_loader(sparql_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    data = (SAMPLE_DIR / "ungd" / "CHN_76_2021.txt").read_text(encoding="utf-8")
    quads = "".join(f'<http://example.org/s{i}> <http://example.org/p> "{word}" <http://example.org/bulk> .\n'
                    for i, word in enumerate(data.split()[:500]))
    bulk = Store(sparql_server, bulk=True)
    called: list[str] = []
    real_call = bulk._call
    monkeypatch.setattr(bulk, "_call", lambda method, url, *rest: called.append(url) or real_call(method, url, *rest))
    try:
        bulk.add(quads.encode())
        assert called == [f"{sparql_server}/store?no_transaction"]  # the real server, through its bulk loader
        held = bulk.select("SELECT (COUNT(*) AS ?n) { GRAPH <http://example.org/bulk> { ?s ?p ?o } }")
        assert int(held[0]["n"].value) == len(set(quads.splitlines()))
    finally:
        Store(sparql_server).update("DROP SILENT GRAPH <http://example.org/bulk>")
