"""The HTTP side of ``kg serve``: waitress in front of :class:`~kg.server.app.App`.

HTTP/1.1 parsing is left to waitress, a maintained pure-Python server that is strict where a
hand-written one slips: it refuses a Content-Length that is not digits, decodes chunked bodies,
never reads more than the body limit (413) or the header limit (431), listens with a real
backlog, closes idle connections, and bounds open connections. The app sees one finished
request at a time on one of waitress's threads.
"""

from __future__ import annotations

import logging
import resource
import threading
import traceback
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

import waitress
from waitress import wasyncore

from kg.errors import KgError, RunError
from kg.server.messages import Request, Response, ServerSettings

MAX_BODY = 1 << 20  # bytes of a request body
MAX_HEADERS = 128 << 10  # bytes of the request line and headers: room for a long GET query
BACKLOG = 1024  # connections the kernel queues before waitress accepts them
MAX_CONNECTIONS = 1000  # open connections; more wait in the backlog
IDLE_TIMEOUT = 30  # seconds an idle or slow connection is kept open

_log = logging.getLogger("kg.server")
StartResponse = Callable[[str, list[tuple[str, str]]], Any]


class HttpServer:
    """An HTTP server for ``handle`` bound to the settings' host and port (port 0: a free one)."""

    def __init__(self, handle: Callable[[Request], Response], settings: ServerSettings) -> None:
        self._handle = handle
        # Threads wait on queries; a few more than the query slots keep the page and the
        # service description answering while every slot is busy.
        threads = settings.workers + 4
        _allow_open_files(MAX_CONNECTIONS * 2 + 64)
        try:
            self._server = waitress.create_server(
                self._wsgi, host=settings.host, port=settings.port, threads=threads, backlog=BACKLOG,
                connection_limit=MAX_CONNECTIONS, channel_timeout=IDLE_TIMEOUT,
                max_request_body_size=MAX_BODY, max_request_header_size=MAX_HEADERS,
                ident="kg-sparql", asyncore_use_poll=True, expose_tracebacks=False,
            )
        except OSError as err:
            raise RunError(f"cannot listen on {settings.host}:{settings.port} ({err.strerror}); "
                          "choose another --port") from err
        if not hasattr(self._server, "effective_port"):  # a host name that resolved to several addresses
            self._server.close()
            raise KgError(f"--host {settings.host} names several addresses; give one address such as 127.0.0.1")
        self._stopped = threading.Event()

    @property
    def port(self) -> int:
        return int(self._server.effective_port)

    def serve_forever(self) -> None:
        """Serve until :meth:`shutdown` (from another thread) or KeyboardInterrupt."""
        try:
            self._server.run()
        finally:
            self._server.task_dispatcher.shutdown(timeout=1)
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop serving: close every connection and the listening socket, from any thread."""
        server = self._server
        server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
        self._stopped.wait(10)

    def _wsgi(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)  # waitress checked it and the limit
        headers = {key[5:].replace("_", "-").lower(): value for key, value in environ.items()
                   if key.startswith("HTTP_")}
        for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            if environ.get(key):
                headers[key.replace("_", "-").lower()] = environ[key]
        request = Request(environ["REQUEST_METHOD"], environ.get("REQUEST_URI") or environ["PATH_INFO"],
                          headers, environ["wsgi.input"].read(length) if length else b"",
                          client=environ.get("REMOTE_ADDR", ""))
        try:
            response = self._handle(request)
        except Exception:  # a bug: log it, answer 500, keep serving
            _log.error("%s %s\n%s", request.method, request.target[:200], traceback.format_exc())
            response = Response(500, b"internal error; see the server's log\n")
        status = f"{response.status} {HTTPStatus(response.status).phrase}"
        start_response(status, [("Content-Type", response.content_type),
                                ("Content-Length", str(len(response.body))), *response.headers])
        return [response.body]


def _allow_open_files(wanted: int) -> None:
    """Raise the soft limit of open files towards ``wanted`` (each connection takes one or two),
    as far as the hard limit allows: many systems start at 1,024."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        ceiling = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, ceiling), hard))
