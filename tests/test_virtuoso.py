"""What a Virtuoso (Debian's virtuoso-opensource 7.2) does differently, each met by a real one.

The comparisons with the embedded store (saved queries, exports, kg viz, kg validate) are in
tests/test_remote_store.py; here are the server's ways that kg has to work around.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pyoxigraph as ox
import pytest

from kg.errors import KgError, RunError
from kg.graph import FACTS_GRAPH, GRAPH
from kg.store import PRESETS, Store
from tests.test_remote_store import build, empty, kg

CURATED = "https://w3id.org/irkg/ontology#curated"
LONG = GRAPH + "test/long"  # a graph longer than the server's 10,000-row limit, in kg's namespace


@pytest.fixture(scope="module")
def virtuoso(virtuoso_server: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The sample built into the Virtuoso and into a new embedded store."""
    empty(Store(virtuoso_server))
    folder = str(tmp_path_factory.mktemp("embedded") / "store")
    for store in (virtuoso_server, folder):
        build(store)
    return {"remote": virtuoso_server, "embedded": folder}


def test_queries_go_as_forms_which_virtuoso_answers(virtuoso: dict[str, str]) -> None:
    # Virtuoso never answers a POST of application/sparql-query: the call would time out.
    store = Store(virtuoso["remote"], timeout=10)
    assert store.endpoints.form
    assert bool(store.query("ASK { ?s a <https://w3id.org/irkg/ontology#Country> }"))
    store.update(f"INSERT DATA {{ GRAPH <{GRAPH}test/form> {{ <urn:a> <urn:b> 'c' }} }}")
    store.update(f"DROP SILENT GRAPH <{GRAPH}test/form>")


def test_booleans_read_as_booleans(virtuoso: dict[str, str]) -> None:
    # Virtuoso writes xsd:boolean as 1 and 0 in SPARQL JSON: every fact would read as not curated.
    query = f"SELECT ?curated (COUNT(*) AS ?n) {{ GRAPH <{FACTS_GRAPH}> {{ ?f <{CURATED}> ?curated }} }} GROUP BY ?curated"

    def counts(location: str) -> dict[str, int]:
        return {row["curated"].value: int(row["n"].value) for row in Store(location, read_only=True).select(query)}

    remote = counts(virtuoso["remote"])
    assert set(remote) == {"true", "false"} and remote == counts(virtuoso["embedded"])


def test_entity_profile_is_one_entitys(virtuoso: dict[str, str]) -> None:
    # Virtuoso answered a lookup joined to a union inside a union as if it were not there.
    code, out, err = kg("query", "entity-profile", "--param", "entity=China", "--store", virtuoso["remote"],
                        "--format", "csv")
    assert code == 0, err
    assert 10 < len(out.splitlines()) < 60 and "Brazil" not in {line.split(",")[1] for line in out.splitlines()[1:4]}


def test_an_answer_cut_at_the_row_limit_is_an_error(virtuoso: dict[str, str]) -> None:
    # The sample holds 26,000 quads; Virtuoso sends 10,000 and says so only in X-SPARQL-MaxRows.
    with pytest.raises(RunError, match="limit of 10000 rows.*ResultSetMaxRows"):
        Store(virtuoso["remote"]).select("SELECT ?s ?p ?o { GRAPH ?g { ?s ?p ?o } }")
    code, _, err = kg("query", "SELECT ?s ?p ?o { ?s ?p ?o }", "--store", virtuoso["remote"], "--format", "csv")
    assert code == 1 and "may have cut the answer" in err


def test_a_construct_cut_at_the_row_limit_is_an_error(virtuoso: dict[str, str]) -> None:
    # A CONSTRUCT is cut at 10,001 triples with no word at all.
    with pytest.raises(RunError, match="limit of 10000 triples"):
        Store(virtuoso["remote"]).query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")


@pytest.mark.parametrize("fmt", ["turtle", "ntriples"])
def test_construct_and_describe_answer_in_rdf(virtuoso: dict[str, str], fmt: str, tmp_path: Path) -> None:
    # Asked with SPARQL results first, Virtuoso sends a CONSTRUCT as JSON of its own making.
    queries = ["CONSTRUCT { ?c kg:memberOf ?o } WHERE { ?c a kg:Country ; kg:memberOf ?o }",
               "DESCRIBE <https://w3id.org/irkg/id/country/CHN>"]
    parse = ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.N_TRIPLES
    for query in queries:
        answers = []
        for store in (virtuoso["remote"], virtuoso["embedded"]):
            path = tmp_path / "answer"
            code, _, err = kg("query", query, "--store", store, "--format", fmt, "--out", str(path))
            assert code == 0, err
            answers.append({q.triple for q in ox.parse(path=str(path), format=parse)})
        remote, embedded = answers
        # What DESCRIBE gives is the server's choice: Virtuoso adds the triples that name the entity.
        assert embedded and (remote == embedded or query.startswith("DESCRIBE") and embedded <= remote)


@pytest.fixture
def long_graph(virtuoso: dict[str, str]) -> Iterator[list[ox.Triple]]:
    """A graph of 12,000 triples on the server, removed afterwards."""
    triples = [ox.Triple(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:p"), ox.Literal(str(i))) for i in range(12000)]
    store = Store(virtuoso["remote"])
    store.add([ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(LONG)) for t in triples])
    yield triples
    store.update(f"DROP SILENT GRAPH <{LONG}>")


def test_a_graph_longer_than_the_row_limit_is_read_whole(
    virtuoso: dict[str, str], long_graph: list[ox.Triple], tmp_path: Path
) -> None:
    # Virtuoso's Graph Store Protocol cuts a graph at 10,001 triples with no word.
    store = Store(virtuoso["remote"])
    assert set(store.triples([LONG])) == set(long_graph)
    store.dump(tmp_path / "long.nt", ox.RdfFormat.N_TRIPLES, graph=LONG)
    assert {q.triple for q in ox.parse(path=str(tmp_path / "long.nt"), format=ox.RdfFormat.N_TRIPLES)} == set(long_graph)
    assert LONG in store.named_graphs()


def test_virtuosos_own_graphs_are_not_kgs(virtuoso: dict[str, str]) -> None:
    # A Virtuoso holds graphs of its own (virtrdf#, its service description): kg neither lists,
    # counts nor exports them.
    remote, embedded = Store(virtuoso["remote"]), Store(virtuoso["embedded"], read_only=True)
    assert remote.named_graphs() == embedded.named_graphs()
    assert remote.count_quads() == embedded.count_quads()
    assert remote.query("ASK { GRAPH <http://www.openlinksw.com/schemas/virtrdf#> { ?s ?p ?o } }")


def test_a_server_without_kgs_graphs_writes_no_export(
    virtuoso: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On Virtuoso GRAPH ?g {} enumerates nothing: exports were written empty, with exit 0.
    preset = PRESETS["virtuoso"]
    monkeypatch.setitem(PRESETS, "virtuoso", lambda base: replace(preset(base), scope="https://example.org/none/"))
    for fmt in ("trig", "nquads", "jsonld", "turtle"):
        path = tmp_path / f"graph.{fmt}"
        code, _, err = kg("export", "--store", virtuoso["remote"], "--format", fmt, "--out", str(path))
        assert code == 1 and "holds no graph of kg's" in err and not path.exists(), fmt


# Answers a server says it cut, from a stand-in server that sends such headers.


class _Cutting(BaseHTTPRequestHandler):
    headers_to_send: ClassVar[dict[str, str]] = {}

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = json.dumps({"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "uri", "value": "urn:a"}}]}})
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        for name, value in self.headers_to_send.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.parametrize(("header", "message"), [
    ({"X-SPARQL-MaxRows": "1"}, "may have cut the answer at its limit of 1 rows"),
    ({"X-SQL-State": "S1TAT", "X-SQL-Message": "RC...: Returning incomplete results"}, "time limit and sent part"),
])
def test_an_answer_the_server_says_it_cut_is_refused(header: dict[str, str], message: str) -> None:
    handler = type("Handler", (_Cutting,), {"headers_to_send": header})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(KgError, match=message):
            Store(f"sparql+http://127.0.0.1:{server.server_address[1]}/sparql").select("SELECT ?s { ?s ?p ?o }")
    finally:
        server.shutdown()
        server.server_close()


class _Refusing(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(500, "SPARQL Request Failed")
        self.end_headers()
        self.wfile.write(b"Virtuoso 42000 Error SR186:SECURITY: No permission to execute procedure "
                         b"DB.DBA.SPARQL_INSERT_DICT_CONTENT with user ID 107, group ID 107")

    def log_message(self, *args: object) -> None:
        pass


def test_an_update_refused_for_want_of_rights_says_what_to_grant() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Refusing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(RunError, match='SR186.*GRANT SPARQL_UPDATE TO "SPARQL"'):
            Store(f"virtuoso+http://127.0.0.1:{server.server_address[1]}").update("INSERT DATA { <urn:a> <urn:b> 1 }")
    finally:
        server.shutdown()
        server.server_close()
