"""SERVICE and LOAD to hosts that were not allowed: the parser check and the network sandbox.

The ground truth is a canary: a TCP listener on 127.0.0.1 that counts the connections it gets.
Every attack below is shown to reach it when run unchecked through a real pyoxigraph store, then
to be refused by the check; the fuzz test asks the same of random spellings of a SERVICE call
and a LOAD: either the check refuses the text, or running it makes no connection.
"""

from __future__ import annotations

import faulthandler
import os
import pickle
import select
import signal
import socket
import struct
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kg.errors import KgError
from kg.query import PREFIXES
from kg.resources import QUERIES_DIR
from kg.server.messages import HttpError
from kg.server.sandbox import confine, sandbox_unavailable_reason
from kg.server.service import Host, allowed_hosts, check_service, check_update

OK = {"ok.example"}
FUZZ_EXAMPLES = int(os.environ.get("KG_FUZZ_EXAMPLES", "150"))
ANSWER = b'{"head":{"vars":[]},"results":{"bindings":[{}]}}'
RESPONSE = (b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nConnection: close\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (len(ANSWER), ANSWER))


# --- the canary ------------------------------------------------------------------------------

class Canary:
    """A listener on 127.0.0.1 in a process of its own (pyoxigraph may hold the GIL while it
    waits for an answer), answering each connection at once with one empty solution."""

    def __init__(self) -> None:
        listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = listener.getsockname()[1]
        self._control, theirs = socket.socketpair()
        self._pid = os.fork()
        if self._pid == 0:
            self._control.close()
            _serve_canary(listener, theirs)
        listener.close()
        theirs.close()

    def connections(self) -> int:
        """Connections accepted so far, counting any still waiting in the backlog."""
        self._control.sendall(b"?")
        return struct.unpack("!Q", self._control.recv(8))[0]

    def close(self) -> None:
        os.kill(self._pid, signal.SIGKILL)
        os.waitpid(self._pid, 0)
        self._control.close()


def _serve_canary(listener: socket.socket, control: socket.socket) -> None:
    count = 0
    try:
        while True:
            ready = select.select([listener, control], [], [])[0]
            if control in ready:
                if not control.recv(1):
                    break
                while select.select([listener], [], [], 0)[0]:
                    count += _answer(listener)
                control.sendall(struct.pack("!Q", count))
            elif listener in ready:
                count += _answer(listener)
    finally:
        os._exit(0)


def _answer(listener: socket.socket) -> int:
    connection, _ = listener.accept()
    with connection:
        connection.settimeout(0.5)
        try:
            connection.recv(65536)
            connection.sendall(RESPONSE)
        except OSError:
            pass
    return 1


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    listener = Canary()
    yield listener
    listener.close()


@pytest.fixture(scope="module")
def store() -> ox.Store:
    """One triple, so that OPTIONAL, MINUS and FILTER EXISTS have a solution to work on."""
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.NamedNode("urn:o")))
    return store


def connects(canary: Canary, run: Callable[[], object]) -> bool:
    """Whether ``run`` (a query or update, unchecked) made the canary see a connection."""
    before = canary.connections()
    try:
        result = run()
        if isinstance(result, (ox.QuerySolutions, ox.QueryTriples)):
            list(result)
    except (SyntaxError, OSError, ValueError, RuntimeError):
        pass
    return canary.connections() > before


def query(store: ox.Store, sparql: str) -> Callable[[], object]:
    return lambda: store.query(sparql, use_default_graph_as_union=True, prefixes=PREFIXES)


def refusal(check: Callable[..., object], sparql: str, allowed: set[str] = OK) -> str | None:
    """The check's reason for refusing ``sparql``, or None when it lets it through."""
    try:
        check(sparql, allowed, PREFIXES)
    except HttpError as err:
        assert err.status == 400 and "\n" not in str(err)
        return str(err)
    return None


# --- the bypasses of issue 15, each a real call that is now refused --------------------------

C = "http://127.0.0.1:{port}"  # the canary
ATTACKS = [  # (query or update, why it fooled the lexer)
    ("SELECT * { BIND(ent:a\\# AS ?x) SERVICE <" + C + "/x> { ?s ?p ?o } }", "escaped # in a local name"),
    ("SELECT * { BIND(ent:a\\' AS ?x) SERVICE <" + C + "/x> { ?s ?p ?o } BIND('' AS ?y) }", "escaped ' in a local name"),
    ("BASE <http://ok.example/a/> BASE <//127.0.0.1:{port}/> SELECT * { SERVICE <x> { ?s ?p ?o } }", "two BASE lines"),
    ("SELECT * { SERVICE <http:\\u002F\\u002F127.0.0.1:{port}/x> { ?s ?p ?o } }", "\\u002F in the IRI"),
    ("SELECT * { ?s ?p ?o # a comment ended by CR\r SERVICE <" + C + "/x> { ?s ?p ?o } }", "CR ends a comment"),
    ("PREFIX e: <" + C + "/> SELECT * { SERVICE e:x { ?s ?p ?o } }", "prefixed name"),
    ("PREFIX ent: <" + C + "/> SELECT * { SERVICE ent:x { ?s ?p ?o } }", "project prefix redeclared"),
    ("PREFIX h: <http://> SELECT * { SERVICE h:localhost:{port}\\/x { ?s ?p ?o } }", "host in a local name"),
    ("PREFIX e: <http://ok.example/> PREFIX e: <" + C + "/> SELECT * { SERVICE e:x { ?s ?p ?o } }", "last PREFIX wins"),
    ("SELECT * { sErViCe SiLeNt <" + C + "/x> { ?s ?p ?o } }", "mixed case, SILENT"),
    ("SELECT * { SERVICE <http://ok.example@127.0.0.1:{port}/x> { ?s ?p ?o } }", "userinfo"),
    ("SELECT * { BIND(1 AS ?one) OPTIONAL { SERVICE <" + C + "/x> { ?s ?p ?o } } }", "inside OPTIONAL"),
    ("SELECT * { { BIND(1 AS ?one) } UNION { SERVICE <" + C + "/x> { ?s ?p ?o } } }", "inside UNION"),
    ("SELECT * { ?s ?p ?o MINUS { SERVICE <" + C + "/x> { ?s ?p ?o } } }", "inside MINUS"),
    ("SELECT * { ?s ?p ?o FILTER EXISTS { SERVICE <" + C + "/x> { ?s ?p ?o } } }", "inside FILTER EXISTS"),
    ("SELECT * { { SELECT * { SERVICE <" + C + "/x> { ?s ?p ?o } } } }", "inside a subquery"),
    ("ASK { ?s ?p ?o SERVICE <" + C + "/x> { ?s ?p ?o } }", "ASK"),
]
UPDATE_ATTACKS = [
    ("LOAD <" + C + "/data.ttl>", "LOAD"),
    ("LOAD SILENT <" + C + "/data.ttl> INTO GRAPH <urn:g>", "LOAD SILENT … INTO GRAPH"),
    ("PREFIX e: <" + C + "/> INSERT DATA { <urn:a> <urn:b> 'x' } ; LOAD SILENT e:data", "LOAD after an INSERT"),
    ("INSERT { GRAPH <urn:g> { ?s ?p ?o } } WHERE { SERVICE <" + C + "/x> { ?s ?p ?o } }", "SERVICE in WHERE"),
    ("DELETE { ?s ?p ?o } WHERE { OPTIONAL { SERVICE SILENT <" + C + "/x> { ?s ?p ?o } } }", "nested SERVICE in WHERE"),
]


@pytest.mark.parametrize("attack, why", ATTACKS, ids=[why for _, why in ATTACKS])
def test_query_bypasses_reach_the_canary_unchecked_and_are_refused(canary: Canary, store: ox.Store,
                                                                   attack: str, why: str) -> None:
    sparql = attack.replace("{port}", str(canary.port))
    assert connects(canary, query(store, sparql)), f"not a real call: {why}"
    assert refusal(check_service, sparql) is not None


@pytest.mark.parametrize("attack, why", UPDATE_ATTACKS, ids=[why for _, why in UPDATE_ATTACKS])
def test_update_bypasses_reach_the_canary_unchecked_and_are_refused(canary: Canary, store: ox.Store,
                                                                    attack: str, why: str) -> None:
    sparql = attack.replace("{port}", str(canary.port))
    assert connects(canary, lambda: ox.Store().update(sparql)), f"not a real call: {why}"
    assert refusal(check_update, sparql) is not None


def test_the_canary_is_reached_only_when_its_host_is_allowed(canary: Canary, store: ox.Store) -> None:
    sparql = f"SELECT * {{ SERVICE <http://127.0.0.1:{canary.port}/x> {{ ?s ?p ?o }} }}"
    assert check_service(sparql, {"127.0.0.1"}, PREFIXES) == (f"http://127.0.0.1:{canary.port}/x",)
    assert check_service(sparql, {f"127.0.0.1:{canary.port}"}, PREFIXES)
    assert "127.0.0.1" in (refusal(check_service, sparql, {"127.0.0.1:1"}) or "")
    load = f"LOAD <http://127.0.0.1:{canary.port}/d.ttl>"
    assert check_update(load, {"127.0.0.1"}, PREFIXES) and refusal(check_update, load) is not None


@pytest.mark.parametrize("sparql, reason", [
    ("SELECT * { SERVICE ?where { ?s ?p ?o } }", "variable"),
    ("SELECT * { BIND(<http://ok.example/> AS ?w) SERVICE SILENT $w { } }", "variable"),
    ("SELECT * { SERVICE <sparql> { } }", "not a plain"),
    ("SELECT * { SERVICE <ftp://ok.example/> { } }", "not a plain"),
    ("SELECT * { SERVICE <http://ok.example\\@evil.example/> { } }", "could not be checked"),
    ("SELECT * { SERVICE <http://ok%2Eexample/> { } }", "not a plain"),
    ("SELECT * { SERVICE <http://ok.example:99999/> { } }", "not a plain"),
    ("SELECT * { SERVICE <http://[::1%25eth0]/> { } }", "not a plain"),
    ("SELECT * { SERVICE <http://[::1]/> { } }", "[::1]"),
    ("SELECT * { SERVICE <http://bücher.example/> { } }", "not a plain"),
    ("SELECT * { SERVICE <http://o\u212a.example/> { } }", "not a plain"),  # the Kelvin sign
    ("SELECT * { SERVICE <http://ok.example.evil.example/> { } }", "ok.example.evil.example"),
    ("SELECT * { \\u0053ERVICE <http://evil.example/> { } }", "evil.example"),
    ("SELECT * { SERVICE <http://evil\\u002Eexample/> { } }", "ASCII symbol"),
    ("SELECT * { SERVICE e:x { } }", "prefix e: is not declared"),
    ("BASE <http://ok.example/> SELECT * { SERVICE <http://ok.example/> { } }", "BASE"),
    ("SELECT * { BIND('a\\\"b' AS ?x) SERVICE <http://ok.example/> { } }", "could not be checked"),
    ("SELECT * { SERVICE <http://ok.example/> " + "{ " * 400 + "}" * 400 + " }", "could not be checked"),
    ("SELECT * { ?s ?p '" + "x" * 40_000 + "' } # service", "too long"),
])
def test_what_cannot_be_checked_is_refused(sparql: str, reason: str) -> None:
    assert reason in (refusal(check_service, sparql) or "missing refusal")


@pytest.mark.parametrize("sparql", [
    "SELECT * { ?s ?p ?o FILTER(?o = 'SERVICE <http://evil.example/>') } # SERVICE <http://evil.example/>",
    'SELECT * { ?s ?p """\nSERVICE <http://evil.example/> {}\n""" }',
    "SELECT * { ?s ?p 'a\\' SERVICE <http://evil.example/> {} ' }",
    "SELECT * { ?s rdfs:label 'Civil Service: x' ; ex:SERVICE <http://evil.example/> }",
    "SELECT * { ?s <http://evil.example/service> ?o }",
    "SELECT * { SERVICE <http://ok.example:8890/sparql> { ?s ?p ?o } }",
    "SELECT * { SERVICE <HTTPS://OK.Example./sparql?x=1> { ?s ?p ?o } }",
    "SELECT * { BIND(ent:a\\# AS ?x) SERVICE <http://ok.example/> { ?s ?p ?o } }",
    "PREFIX o: <http://ok.example/> SELECT * { SERVICE o:sparql { ?s ?p ?o } }",
    "SELECT * { SERVICE <http://\\u006Fk.example/> { ?s ?p ?o } }",  # an escaped letter is fine
])
def test_mentions_and_allowed_calls_pass(sparql: str) -> None:
    assert refusal(check_service, sparql) is None


@pytest.mark.parametrize("sparql, refused", [  # the old lexer's cases, moved from test_server.py
    ("SELECT * { SERVICE<http://evil.example/s>{ ?s ?p ?o } }", True),
    ("SELECT * { service silent <http://evil.example/s> { ?s ?p ?o } }", True),
    ("PREFIX e: <http://evil.example/> SELECT * { SERVICE e:s { ?s ?p ?o } }", True),
    ("BASE <http://evil.example/> SELECT * { SERVICE <s> { ?s ?p ?o } }", True),
    ("SELECT * { SERVICE ?where { ?s ?p ?o } }", True),
    ("SELECT * { ?s <http://x.example/#p> ?o SERVICE <http://evil.example/> {} }", True),
    ("SELECT * { ?s ?p 'a\\\\' SERVICE <http://evil.example/> {} }", True),
    ("SELECT * { BIND(COALESCE(?a<?b,'>') AS ?x) SERVICE <http://evil.example/> {} BIND('' AS ?y) }", True),
    ("SELECT * { ?s ?p 'a\\' SERVICE <http://evil.example/> {} ' }", False),
    ('SELECT * { ?s ?p """\nSERVICE <http://evil.example/> {}\n""" }', False),
    ("SELECT * { ?s ?p ?o } # SERVICE <http://evil.example/> {}", False),
    ("SELECT * { ?s rdfs:label 'Civil Service: x' ; ex:SERVICE <http://evil.example/> }", False),
    ("SELECT * { SERVICE <http://ok.example:8890/sparql> { ?s ?p ?o } }", False),
])
def test_service_detection(sparql: str, refused: bool) -> None:
    assert (refusal(check_service, sparql) is not None) == refused


def test_updates_without_a_call_pass_and_the_prefilter_skips_what_never_calls() -> None:
    assert check_update("INSERT DATA { <urn:a> <urn:b> 'downloaded; SERVICE' }", set(), PREFIXES) == ()
    unreadable_to_rdflib = "SELECT * { BIND('a\\\"b' AS ?x) }"  # valid SPARQL; rdflib's ECHAR lacks \" in '…'
    assert check_service(unreadable_to_rdflib, set(), PREFIXES) == ()
    assert "could not be checked" in (refusal(check_service, unreadable_to_rdflib + " # service") or "")


def test_saved_queries_call_nothing() -> None:
    for path in sorted(Path(QUERIES_DIR).glob("*.rq")):
        assert check_service(path.read_text(encoding="utf-8"), set(), PREFIXES) == ()


def test_allowed_hosts_are_normalised() -> None:
    assert allowed_hosts({"OK.Example.", "ok.example:8080", "::1", "[0:0::2]:7878", "bücher.example"}) == {
        Host("ok.example"), Host("ok.example", 8080), Host("[::1]"), Host("[::2]", 7878),
        Host("xn--bcher-kva.example")}
    assert refusal(check_service, "SELECT * { SERVICE <http://ok.example:8080/> {} }", {"ok.example:8080"}) is None
    assert refusal(check_service, "SELECT * { SERVICE <http://ok.example/> {} }", {"ok.example:80"}) is None
    assert refusal(check_service, "SELECT * { SERVICE <https://ok.example/> {} }", {"ok.example:80"}) is not None
    assert refusal(check_service, "SELECT * { SERVICE <http://[0::1]:9/> {} }", {"::1"}) is None
    assert refusal(check_service, "SELECT * { SERVICE <http://xn--bcher-kva.example/> {} }", {"bücher.example"}) is None
    for entry in ("http://ok.example", "ok.example/x", "user@ok.example", "ok.example:x", "[nonsense]"):
        with pytest.raises(KgError, match="--allow-service"):
            allowed_hosts({entry})


# --- fuzz: random spellings of a call to the canary ------------------------------------------

SEPARATORS = [" ", "\n", "\t", "\r", "\r\n", " # SERVICE <http://ok.example/>\n", "#c\r", "  ", ""]
DECOYS = [
    "", "BIND(ent:a\\# AS ?d)", "BIND(ent:a\\' AS ?d)", "BIND('\\'' AS ?d)", "BIND('''it's''' AS ?d)",
    "BIND(\"SERVICE <http://ok.example/>\" AS ?d)", "FILTER(?s<?o || true)", "BIND(COALESCE(?a<?b,'>') AS ?d)",
    "BIND('\\u0027' AS ?d)", "?s ?p ent:", "BIND(ent:a\\#b AS ?d) BIND('#' AS ?e)", "?s ?p \"\\\"\" .",
]
WRAPPERS = [
    "{}", "OPTIONAL {{ {} }}", "{{ BIND(1 AS ?one) }} UNION {{ {} }}", "MINUS {{ {} }}",
    "FILTER EXISTS {{ {} }}", "FILTER NOT EXISTS {{ {} }}", "{{ SELECT * {{ {} }} }}", "GRAPH ?g {{ }} {}",
    "BIND('\\u0027' AS ?h) {} # ''' AS ?z)\n",
]


def spell(draw: st.DrawFn, word: str) -> str:
    """``word`` in random case, now and then with a letter written as a \\u escape."""
    letters = [c.upper() if draw(st.booleans()) else c.lower() for c in word]
    if draw(st.integers(0, 9)) == 0:
        at = draw(st.integers(0, len(word) - 1))
        letters[at] = f"\\u{ord(letters[at]):04X}"
    return "".join(letters)


def escape_some(draw: st.DrawFn, iri: str) -> str:
    """``iri``, in half the draws with some characters written as \\u or \\U escapes."""
    if draw(st.booleans()):
        return iri
    out = []
    for char in iri:
        kind = draw(st.sampled_from(["u", "U"] + [""] * 10))
        code = f"{ord(char):04x}" if kind == "u" else f"{ord(char):08x}"
        out.append(char if not kind else "\\" + kind + (code.upper() if draw(st.booleans()) else code))
    return "".join(out)


@st.composite
def targets(draw: st.DrawFn, port: int, variable: bool) -> tuple[str, str]:
    """(prologue, target) that make a SERVICE or LOAD reach the canary in some way."""
    iri = f"http://127.0.0.1:{port}/sparql"
    ways = ["iri", "prefix", "host-in-local", "base", "two-bases", "userinfo"] + (["variable"] if variable else [])
    way = draw(st.sampled_from(ways))
    prefix = draw(st.sampled_from(["p", "", "ent", "kg", "service"]))
    decoy = draw(st.sampled_from(["", f"PREFIX {prefix}: <http://ok.example/>\n"]))
    if way == "iri":
        return "", f"<{escape_some(draw, iri)}>"
    if way == "prefix":
        local = draw(st.sampled_from(["sparql", "sp\\#arql", "sp\\'arql", "sparql\\/x", "\\#"]))
        return f"{decoy}PREFIX {prefix}: <{escape_some(draw, iri[:-6])}>\n", f"{prefix}:{local}"
    if way == "host-in-local":
        return f"{decoy}PREFIX {prefix}: <http://>\n", f"{prefix}:localhost:{port}\\/sparql"
    if way == "base":
        return f"BASE <{escape_some(draw, iri[:-6])}>\n", "<sparql>"
    if way == "two-bases":
        return f"BASE <http://ok.example/a/>\nBASE <//127.0.0.1:{port}/>\n", "<sparql>"
    if way == "userinfo":
        return "", f"<http://ok.example@127.0.0.1:{port}/sparql>"
    return "", "?svc"


@st.composite
def service_queries(draw: st.DrawFn, port: int) -> str:
    prologue, target = draw(targets(port, variable=True))
    bind = f"BIND(<http://127.0.0.1:{port}/sparql> AS ?svc) " if target == "?svc" else ""
    return prologue + select_around(draw, target, bind, DECOYS, WRAPPERS)


def select_around(draw: st.DrawFn, target: str, bind: str, decoys: list[str], wrappers: list[str]) -> str:
    """A SELECT that calls SERVICE ``target`` in one of ``wrappers``, after one of ``decoys``."""
    def sep() -> str:
        return draw(st.sampled_from(SEPARATORS))

    silent = spell(draw, "SILENT") + (sep() or " ") if draw(st.booleans()) else ""
    call = f"{spell(draw, 'SERVICE')}{sep() or ' '}{silent}{target}{sep()}{{ ?s ?p ?o }}"
    body = draw(st.sampled_from(wrappers)).format(call)
    return f"{spell(draw, 'SELECT')} * {{ {bind}{draw(st.sampled_from(decoys))}{sep()}{body} }}"


@st.composite
def load_updates(draw: st.DrawFn, port: int) -> str:
    prologue, target = draw(targets(port, variable=False))

    def sep() -> str:
        return draw(st.sampled_from(SEPARATORS)) or " "

    silent = spell(draw, "SILENT") + sep() if draw(st.booleans()) else ""
    into = draw(st.sampled_from(["", " INTO GRAPH <urn:g>", f"{sep()}iNtO gRaPh <urn:g>"]))
    before = draw(st.sampled_from(["", "INSERT DATA { <urn:a> <urn:b> 'payload' } ;\n", "CLEAR SILENT ALL ;"]))
    return f"{prologue}{before}{spell(draw, 'LOAD')}{sep()}{silent}{target}{into}"


FUZZ = settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(data=st.data(), allowed=st.sampled_from([set(), OK, {"127.0.0.1:1"}, {"127.0.0.2"}]))
def test_fuzz_no_service_spelling_reaches_the_canary(canary: Canary, store: ox.Store,
                                                      data: st.DataObject, allowed: set[str]) -> None:
    sparql = data.draw(service_queries(canary.port), label="query")
    if refusal(check_service, sparql, allowed) is not None:
        event("refused")
        return
    event("let through")
    assert not connects(canary, query(store, sparql)), sparql


@FUZZ
@given(data=st.data())
def test_fuzz_no_load_spelling_reaches_the_canary(canary: Canary, data: st.DataObject) -> None:
    sparql = data.draw(load_updates(canary.port), label="update")
    if refusal(check_update, sparql) is not None:
        event("refused")
        return
    event("let through")
    assert not connects(canary, lambda: ox.Store().update(sparql)), sparql


PLAIN_DECOYS = [d for d in DECOYS if "\\u" not in d and not d.endswith(":")]
PLAIN_WRAPPERS = [w for w in WRAPPERS if "\\u" not in w]


@st.composite
def allowed_queries(draw: st.DrawFn) -> str:
    target = draw(st.sampled_from(["<http://ok.example/sparql>", "<HTTP://OK.EXAMPLE./sparql>", "o:sparql"]))
    prologue = "PREFIX o: <http://ok.example/>\n" if target == "o:sparql" else ""
    return prologue + select_around(draw, target, "", PLAIN_DECOYS, PLAIN_WRAPPERS)


@settings(max_examples=max(FUZZ_EXAMPLES // 3, 10), deadline=None, derandomize=True)
@given(sparql=allowed_queries())
def test_fuzz_spellings_of_an_allowed_call_pass(sparql: str) -> None:
    """The other side: no false refusal of a call to an allowed host, however it is spelled."""
    assert len(check_service(sparql, OK, PREFIXES)) == 1


# --- the sandbox, in forked children ---------------------------------------------------------

def in_child(work: Callable[[], object]) -> tuple[int, object]:
    """Run ``work`` in a forked child: its wait status and what it returned (None if it died)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read)
            os.write(write, pickle.dumps(work()))
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    return status, (pickle.loads(data) if data else None)


@pytest.fixture
def sandbox() -> None:
    reason = sandbox_unavailable_reason()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must have the network sandbox: {reason}")
        pytest.skip(reason)


def test_without_network_no_socket_and_no_service_call(sandbox: None, canary: Canary, store: ox.Store) -> None:
    sparql = f"SELECT * {{ SERVICE <http://127.0.0.1:{canary.port}/x> {{ ?s ?p ?o }} }}"

    def confined() -> list[str]:
        confine(None, network=False)
        outcomes = []
        for attempt in (socket.socket, socket.socketpair, lambda: list(query(store, sparql)())):
            try:
                attempt()
                outcomes.append("allowed")
            except PermissionError:
                outcomes.append("PermissionError")
            except OSError as err:
                outcomes.append(f"failed: {err}")
        return outcomes

    before = canary.connections()
    status, outcomes = in_child(confined)
    assert os.WIFEXITED(status) and outcomes[:2] == ["PermissionError", "PermissionError"]
    assert outcomes[2] != "allowed" and canary.connections() == before
    status, rows = in_child(lambda: len(list(query(store, sparql)())))  # the control: unconfined, it calls
    assert rows == 1 and canary.connections() == before + 1


def test_with_network_a_confined_child_may_call(sandbox: None, canary: Canary, store: ox.Store) -> None:
    sparql = f"SELECT * {{ SERVICE <http://127.0.0.1:{canary.port}/x> {{ ?s ?p ?o }} }}"
    before = canary.connections()
    _, rows = in_child(lambda: (confine(None, network=True), len(list(query(store, sparql)())))[1])
    assert rows == 1 and canary.connections() == before + 1


def test_memory_cap_stops_a_python_allocation() -> None:
    def allocate() -> str:
        confine(200 << 20, network=True)
        try:
            bytearray(1 << 30)
        except MemoryError:
            return "MemoryError"
        return "allocated"

    assert in_child(allocate)[1] == "MemoryError"


def test_memory_cap_kills_a_heavy_pyoxigraph_query(store: ox.Store) -> None:
    doublings = " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(30))
    sparql = f"SELECT (STRLEN(?a30) AS ?n) {{ BIND('{'x' * 64}' AS ?a0) {doublings} }}"  # 64 GiB at the end

    def heavy() -> str:
        faulthandler.disable()  # the abort is expected: no traceback on the test's output
        confine(200 << 20, network=True)
        return str(list(query(store, sparql)()))

    status, answer = in_child(heavy)
    assert answer is None and os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGABRT
