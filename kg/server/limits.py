"""Running one query within the time limit and the result cap.

pyoxigraph cannot cancel a running query, so each query runs in a child process forked for it;
the child inherits the open store (in memory or on disk), answers, and writes the response to a
pipe. A child still running at the deadline is killed, and the client gets 503. Forking is
serialised with updates (``lock``), so a child never copies a store in the middle of a write;
everything that reads the store (saved queries' name lookups too) runs in the child, so no
thread of the server holds a lock of the store's engine when another forks.

Results over the cap are cut to it, with the headers ``X-Result-Truncated: true`` and
``X-Result-Limit``: a client gets a useful answer and can tell that it is partial.
"""

from __future__ import annotations

import faulthandler
import os
import pickle
import select
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import islice

import pyoxigraph as ox

from kg.errors import KgError
from kg.query import PREFIXES, Solutions, Triples, format_result
from kg.server.messages import HttpError, Response
from kg.server.negotiate import GRAPH_FORMATS, RESULT_FORMATS, choose
from kg.store import Store


class Slots:
    """Query slots: at most ``total`` queries at once, and at most ``per_client`` of them from
    one client address, so that one client cannot hold every slot. A request waits for a slot
    until its deadline, then gets 503."""

    def __init__(self, total: int, per_client: int) -> None:
        self.total, self.per_client = total, per_client
        self._changed = threading.Condition()
        self._running = 0
        self._by_client: Counter[str] = Counter()

    @contextmanager
    def hold(self, client: str, timeout: float) -> Iterator[None]:
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._running >= self.total or self._by_client[client] >= self.per_client:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise HttpError(503, self._busy(client))
                self._changed.wait(left)
            self._running += 1
            self._by_client[client] += 1
        try:
            yield
        finally:
            with self._changed:
                self._running -= 1
                self._by_client[client] -= 1
                if not self._by_client[client]:
                    del self._by_client[client]
                self._changed.notify_all()

    def _busy(self, client: str) -> str:
        if self._by_client[client] >= self.per_client:
            return (f"this client already runs {self.per_client} queries at once, the most one client may; "
                    "wait for an answer before sending more")
        return f"all {self.total} query slots stayed busy; try again later"


def run_limited(work: Callable[[], Response], *, timeout: float, lock: threading.Lock) -> Response:
    """Answer with ``work()`` in a forked child; 503 when it runs over ``timeout`` seconds, 500
    when it dies (over its memory cap, say: see kg.server.sandbox)."""
    read, write = os.pipe()
    with lock:
        pid = os.fork()
    if pid == 0:
        _child(read, write, work)
    os.close(write)
    try:
        data = _read_all(read, time.monotonic() + timeout)
    except TimeoutError:
        os.kill(pid, signal.SIGKILL)
        return Response(503, f"the query ran over the time limit of {timeout:g} s and was stopped; "
                             "narrow it (more specific patterns, LIMIT) or start kg serve with a longer "
                             "--timeout\n".encode())
    finally:
        os.close(read)
        os.waitpid(pid, 0)
    if not data:
        return Response(500, b"the query's process ended without an answer: it ran out of its memory "
                             b"(--max-query-memory) or crashed; narrow the query\n")
    return pickle.loads(data)


def answer(store: Store, sparql: str, *, accept: str | None, format_param: str | None,
           max_results: int) -> Response:
    """Run ``sparql`` here and serialise at most ``max_results`` rows or triples of its result."""
    try:
        result = store.query(sparql, prefixes=PREFIXES)
        if isinstance(result, ox.QueryBoolean):
            fmt = choose(RESULT_FORMATS, accept, format_param)
            return Response(200, result.serialize(format=fmt.results), fmt.media_type)
        if isinstance(result, ox.QuerySolutions):
            fmt = choose(RESULT_FORMATS, accept, format_param)
            variables = tuple(v.value for v in result.variables)
            rows = [tuple(s[v] for v in variables) for s in islice(result, max_results + 1)]
            kept = Solutions(variables, tuple(rows[:max_results]))
            parsed = ox.parse_query_results(format_result(kept, "json"), format=ox.QueryResultsFormat.JSON)
            body = parsed.serialize(format=fmt.results)
        else:
            fmt = choose(GRAPH_FORMATS, accept, format_param)
            rows = list(islice(result, max_results + 1))
            if fmt.rdf == ox.RdfFormat.TURTLE:
                body = format_result(Triples(tuple(rows[:max_results])), "turtle").encode()
            else:
                body = ox.serialize(rows[:max_results], format=fmt.rdf)
    except HttpError as err:
        return err.response()
    except KgError as err:  # the store's word for a syntax error
        return Response(400, f"{err}\n".encode())
    except PermissionError as err:  # the sandbox closed the network (kg.server.sandbox)
        return Response(400, f"the query tried to open a network connection, which this endpoint does not "
                             f"allow; SERVICE calls need kg serve --allow-service HOST ({err})\n".encode())
    except (OSError, ValueError, RuntimeError) as err:
        return Response(500, f"the query failed: {err}\n".encode())
    headers = (("X-Result-Truncated", "true"), ("X-Result-Limit", str(max_results))) if len(rows) > max_results else ()
    return Response(200, body, fmt.media_type, headers)


def _child(read: int, write: int, work: Callable[[], Response]) -> None:
    """In the forked child: answer, write the pickled response, and leave without cleanup."""
    status = 1
    try:
        os.close(read)
        faulthandler.disable()  # a query over its memory cap aborts: that is its answer, not a crash to dump
        payload = memoryview(pickle.dumps(work()))
        while payload:
            payload = payload[os.write(write, payload):]
        status = 0
    finally:
        os._exit(status)


def _read_all(fd: int, deadline: float) -> bytes:
    """Everything written to ``fd`` until its end; TimeoutError at ``deadline``."""
    chunks = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise TimeoutError
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
