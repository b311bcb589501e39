"""`kg serve` against hostile and careless HTTP: bodies and headers that lie about their size,
chunked bodies, floods of slow or idle connections, and clients that want every query slot.

Each request is written byte for byte on a raw socket, so the server sees exactly what a
hostile client would send.
"""

from __future__ import annotations

import json
import resource
import socket
import threading
import urllib.parse
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from kg.build import build_store
from kg.query import list_saved_queries
from kg.server import Request, ServerSettings, make_app
from kg.server.http import MAX_BODY, MAX_HEADERS
from kg.server.limits import Slots, answer, run_limited
from kg.server.messages import HttpError, Response
from kg.server.sandbox import confine, sandbox_unavailable_reason
from kg.store import Store
from tests.test_server import Endpoint, start

QUERY = "ASK { ?s ?p ?o }"


@pytest.fixture(scope="module")
def endpoint(built_sample: Path) -> Iterator[Endpoint]:
    settings = ServerSettings(port=0, timeout=5)
    yield from start(Store(built_sample, read_only=True), settings)


def exchange(endpoint: Endpoint, raw: bytes | Iterable[bytes], *, timeout: float = 10) -> list[tuple[int, dict[str, str], bytes]]:
    """Send ``raw`` (or its pieces) on a new connection, half-close it, and parse every
    response the server sent."""
    port = int(endpoint.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        try:
            for piece in [raw] if isinstance(raw, bytes) else raw:
                sock.sendall(piece)
            sock.shutdown(socket.SHUT_WR)
        except OSError:  # the server answered and closed first (reset, broken pipe, not connected)
            pass
        data = b""
        try:
            while chunk := sock.recv(65536):
                data += chunk
        except ConnectionResetError:
            pass
    return parse_responses(data)


def parse_responses(data: bytes) -> list[tuple[int, dict[str, str], bytes]]:
    responses = []
    while data:
        head, _, data = data.partition(b"\r\n\r\n")
        status_line, *lines = head.decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
        length = int(headers.get("content-length", 0))
        responses.append((int(status_line.split()[1]), headers, data[:length]))
        data = data[length:]
    return responses


def post(body: bytes, *headers: str) -> bytes:
    lines = ["POST /sparql HTTP/1.1", "Host: 127.0.0.1", "Accept: application/sparql-results+json",
             "Content-Type: application/sparql-query", "Connection: close", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def assert_alive(endpoint: Endpoint) -> None:
    query = urllib.parse.quote(QUERY)
    [(status, _, body)] = exchange(endpoint, f"GET /sparql?query={query} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                             "Accept: application/sparql-results+json\r\nConnection: close\r\n\r\n".encode())
    assert status == 200 and json.loads(body)["boolean"] is True


def test_a_well_formed_post_is_answered(endpoint: Endpoint) -> None:
    [(status, headers, body)] = exchange(endpoint, post(QUERY.encode(), f"Content-Length: {len(QUERY)}"))
    assert status == 200 and json.loads(body)["boolean"] is True
    assert headers["x-kg-store-opened"]


@pytest.mark.parametrize("length, status", [
    ("-1", 400), ("abc", 400), ("1e3", 400), ("+5", 400), (" 5x", 400), ("99999999999999999999999", 413),
])
def test_a_content_length_that_is_no_length_is_refused_once(endpoint: Endpoint, length: str, status: int) -> None:
    responses = exchange(endpoint, post(b"x" * 64, f"Content-Length: {length}"))
    assert [status for status, _, _ in responses] == [status]
    assert_alive(endpoint)


def test_a_body_over_the_limit_is_refused_without_reading_it(endpoint: Endpoint) -> None:
    declared = 600 << 20
    chunk = b"x" * (1 << 16)
    before = _peak_memory()
    pieces = (post(b"", f"Content-Length: {declared}"), *(chunk for _ in range(declared // len(chunk))))
    responses = exchange(endpoint, pieces)
    assert [status for status, _, _ in responses] == [413]
    assert _peak_memory() - before < 4 * MAX_BODY
    assert_alive(endpoint)


def test_a_chunked_body_is_decoded_and_gives_one_answer(endpoint: Endpoint) -> None:
    half = len(QUERY) // 2
    chunks = f"{half:x}\r\n{QUERY[:half]}\r\n{len(QUERY) - half:x}\r\n{QUERY[half:]}\r\n0\r\n\r\n".encode()
    responses = exchange(endpoint, post(chunks, "Transfer-Encoding: chunked"))
    assert len(responses) == 1
    [(status, _, body)] = responses
    assert status == 200 and json.loads(body)["boolean"] is True


def test_a_chunked_body_that_hides_a_second_request_is_not_answered_twice(endpoint: Endpoint) -> None:
    smuggled = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    body = f"{len(smuggled):x}\r\n".encode() + smuggled + b"\r\n0\r\n\r\n"
    responses = exchange(endpoint, post(body, "Transfer-Encoding: chunked", f"Content-Length: {len(smuggled)}"))
    assert len(responses) == 1 and responses[0][0] in (400, 200)


def test_a_chunked_body_over_the_limit_is_413(endpoint: Endpoint) -> None:
    chunk = b"x" * (1 << 16)
    body = b"".join(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n" for _ in range(2 * MAX_BODY // len(chunk)))
    responses = exchange(endpoint, post(body + b"0\r\n\r\n", "Transfer-Encoding: chunked"))
    assert [status for status, _, _ in responses] == [413]
    assert_alive(endpoint)


def test_headers_over_the_limit_are_refused(endpoint: Endpoint) -> None:
    responses = exchange(endpoint, post(b"", "X-Padding: " + "a" * (2 * MAX_HEADERS), "Content-Length: 0"))
    assert [status for status, _, _ in responses] in ([431], [400])
    assert_alive(endpoint)


def test_idle_connections_do_not_starve_a_client(endpoint: Endpoint) -> None:
    port = int(endpoint.url.rsplit(":", 1)[1])
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(300)]
    try:
        idle[0].sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nhalf")  # a slow body
        assert_alive(endpoint)
    finally:
        for sock in idle:
            sock.close()


def test_concurrent_clients_each_get_their_answer(endpoint: Endpoint) -> None:
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda _: assert_alive(endpoint), range(64)))


def test_one_client_cannot_hold_every_slot() -> None:
    slots = Slots(total=3, per_client=2)
    held = threading.Event()
    release = threading.Event()

    def occupy() -> None:
        with slots.hold("greedy", timeout=5):
            held.set()
            release.wait(5)

    threads = [threading.Thread(target=occupy) for _ in range(2)]
    for thread in threads:
        thread.start()
    held.wait(5)
    with pytest.raises(HttpError, match="already runs 2 queries") as refused:
        with slots.hold("greedy", timeout=0.2):
            pass
    assert refused.value.status == 503
    with slots.hold("polite", timeout=0.2):  # another client still gets the slot left
        pass
    release.set()
    for thread in threads:
        thread.join()
    with slots.hold("greedy", timeout=0.2):  # and the first gets its slots back
        pass


def test_settings_give_each_client_all_but_one_slot() -> None:
    assert ServerSettings(workers=4).per_client == 3
    assert ServerSettings(workers=1).per_client == 1


def _peak_memory() -> int:
    """This process's peak resident memory in bytes (the server runs in it, in a thread)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def test_saved_queries_under_concurrent_load_all_answer(endpoint: Endpoint) -> None:
    """Clients asking saved queries at once: each answer 200, none stuck behind a lock that a
    forked query process inherited (the name lookups run in the query's own process)."""
    targets = [f"/saved/{q.name}?{urllib.parse.urlencode(q.example)}" for q in list_saved_queries()]

    def client(number: int) -> list[int]:
        statuses = []
        for i in range(25):
            target = targets[(number + i) % len(targets)]
            request = f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/csv\r\nConnection: close\r\n\r\n"
            statuses += [status for status, _, _ in exchange(endpoint, request.encode(), timeout=30)]
        return statuses

    with ThreadPoolExecutor(4) as pool:
        statuses = [s for found in pool.map(client, range(4)) for s in found]
    assert statuses == [200] * 100


def test_a_server_answers_from_the_store_a_later_build_wrote(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "one.txt").write_text("China welcomed the Paris Agreement.", encoding="utf-8")
    store_path = tmp_path / "store"
    build_store([docs], store_path, workers=1)[1].close()
    settings = ServerSettings(port=0, timeout=5)
    count = "SELECT (COUNT(?d) AS ?n) { ?d <https://w3id.org/irkg/ontology#documentId> ?id }"
    served = start(Store(store_path, read_only=True), settings)
    endpoint = next(served)
    try:
        first = http_get(endpoint, count)
        (docs / "two.txt").write_text("India joined the BRICS summit.", encoding="utf-8")
        build_store([docs], store_path, workers=1)[1].close()
        second = http_get(endpoint, count)
    finally:
        served.close()
    assert first[1] == "1" and second[1] == "2"


def http_get(endpoint: Endpoint, query: str) -> tuple[str, str]:
    """The X-KG-Store-Opened header and the single value of a one-cell SELECT, as CSV."""
    request = (f"GET /sparql?query={urllib.parse.quote(query)} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/csv\r\n"
               "Connection: close\r\n\r\n")
    [(status, headers, body)] = exchange(endpoint, request.encode())
    assert status == 200
    return headers["x-kg-store-opened"], body.decode().splitlines()[1]


def test_a_query_over_its_memory_budget_dies_alone(built_sample: Path, tmp_path: Path) -> None:
    app = make_app(Store(built_sample, read_only=True),
                   ServerSettings(timeout=60, max_query_memory=64 << 20))
    before = _peak_memory()
    greedy = "SELECT (GROUP_CONCAT(STR(?o)) AS ?x) { ?s ?p ?o . ?a ?b ?c }"
    response = app.handle(Request("GET", "/sparql?query=" + urllib.parse.quote(greedy)))
    assert response.status == 500 and b"--max-query-memory" in response.body
    assert _peak_memory() - before < 64 << 20  # the server itself did not grow
    assert app.handle(Request("GET", "/sparql?query=" + urllib.parse.quote(QUERY))).status == 200


@pytest.mark.skipif(sandbox_unavailable_reason() is not None, reason="needs Linux and libseccomp")
def test_a_query_process_cannot_open_sockets_unless_it_calls_an_allowed_service(tmp_path: Path) -> None:
    """The parser check is the first guard; the query's process itself has no network either."""
    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        probe = f"http://127.0.0.1:{closed.getsockname()[1]}/never"
    store = Store()

    def run(network: bool) -> Response:
        def work() -> Response:
            confine(None, network=network)
            return answer(store, f"SELECT * {{ SERVICE <{probe}> {{ ?s ?p ?o }} }}", accept=None,
                          format_param=None, max_results=10)

        return run_limited(work, timeout=30, lock=threading.Lock())

    refused = run(False)
    assert refused.status == 400 and b"network" in refused.body
    assert b"network" not in run(True).body  # allowed: the call is made (and fails: nothing listens)
