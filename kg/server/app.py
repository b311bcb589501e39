"""The SPARQL 1.1 Protocol over the store: routing, queries and updates, and the HTTP server.

``App.handle(request) -> Response`` holds all the protocol logic; the HTTP server
(:mod:`kg.server.http`) and ``kg serve --get`` both call it, and tests can too without a socket.

    /                      the query page
    /sparql                queries (GET ?query=, POST form query=, POST application/sparql-query),
                           updates (POST form update=, POST application/sparql-update);
                           without a query: the service description
    /service-description   the service description (Turtle)
    /saved/<name>?p=v      a saved query with its parameters bound
    /graph                 the graph view of the store served, as ``kg viz`` draws it:
                           ?focus=ENTITY[&hops=N], ?doc=ID or ?initiative=NAME for a part,
                           ?max_nodes=N, ?all=1 (see :data:`VIEW_PARAMS`)
"""

from __future__ import annotations

import hmac
import ipaddress
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import replace
from urllib.parse import parse_qs, unquote, urlsplit

from kg.errors import KgError
from kg.query import PREFIXES, bind_params, load_saved_query, resolve_lookups
from kg.server.description import service_description
from kg.server.http import HttpServer
from kg.server.limits import Slots, answer, run_limited
from kg.server.messages import HttpError, Request, Response, ServerSettings
from kg.server.negotiate import GRAPH_FORMATS, RESULT_FORMATS, choose
from kg.server.page import page
from kg.server.sandbox import confine, sandbox_unavailable_reason
from kg.server.service import allowed_hosts, check_service, check_update
from kg.server.service import prepare as prepare_service_check
from kg.server.snapshot import ServedStore
from kg.store import EmbeddedStore, Store

FORM = "application/x-www-form-urlencoded"
_DATASET_PARAMS = ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri")
_LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
VIEW_PARAMS = ("focus", "hops", "doc", "initiative", "max_nodes", "all")
MAX_VIEW_NODES = 2000  # entities a served view may draw: a page of 2,000 is interactive in about a second
MAX_VIEW_HOPS = 3
VIEW_TIME_FACTOR = 6  # a view reads much of the store: it may take this many times a query's time limit
VIEW_CACHE_BYTES = 64 << 20  # drawn pages kept (the 1,746 UN speeches' whole view is 5 MB)
# The view page carries its own CSP (scripts by hash, nothing loaded); these add what a meta tag cannot.
_VIEW_HEADERS = (("Content-Security-Policy", "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"),
                 ("X-Content-Type-Options", "nosniff"))


class App:
    """The endpoint over one open store."""

    def __init__(self, store: Store, settings: ServerSettings) -> None:
        allowed_hosts(settings.allow_service)  # a bad --allow-service entry fails here, not per request
        prepare_service_check()  # built once here, inherited by every query process
        sandbox_unavailable_reason()  # libseccomp loaded here too
        self.served = ServedStore(store)
        self.settings = settings
        self._fork_lock = threading.Lock()  # forks, updates and reopening the store never overlap
        self._slots = Slots(settings.workers, settings.per_client or settings.workers)
        self._views: OrderedDict[tuple[str, tuple[tuple[str, object], ...]], Response] = OrderedDict()
        self._views_lock = threading.Lock()

    @property
    def store(self) -> Store:
        return self.served.store

    def handle(self, request: Request) -> Response:
        """Answer one request; every refusal is an HTTP status with a plain-text reason."""
        try:
            self._check_host(request)
            response = self._route(request)
        except HttpError as err:
            response = err.response()
        return replace(response, headers=(*response.headers, ("X-KG-Store-Opened", self.served.opened)))

    def _route(self, request: Request) -> Response:
        url = urlsplit(request.target)
        params = parse_qs(url.query, keep_blank_values=True)
        if request.method not in ("GET", "HEAD", "POST"):
            raise HttpError(405, f"{request.method} is not supported; use GET or POST")
        if url.path == "/sparql":
            return self._sparql(request, params)
        if request.method == "POST":
            raise HttpError(405, f"POST {url.path}: only /sparql takes POST")
        if url.path == "/":
            return page(self.settings)
        if url.path == "/service-description":
            return self._description(request)
        if url.path.startswith("/saved/"):
            return self._saved(request, unquote(url.path[len("/saved/"):]), params)
        if url.path == "/graph":
            return self._graph(request, params)
        raise HttpError(404, f"{url.path}: not found; the endpoint is /sparql, the query page /")

    def _sparql(self, request: Request, params: dict[str, list[str]]) -> Response:
        """Dispatch on the protocol's three ways to send a query and two to send an update."""
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if request.method == "POST":
            if content_type == FORM:
                params = {**params, **parse_qs(_text(request.body), keep_blank_values=True)}
            elif content_type == "application/sparql-query":
                params = {**params, "query": [_text(request.body)]}
            elif content_type == "application/sparql-update":
                params = {**params, "update": [_text(request.body)]}
            else:
                raise HttpError(415, f"POST to /sparql takes {FORM}, application/sparql-query or "
                                     f"application/sparql-update, not {content_type or 'no Content-Type'}")
        for name in _DATASET_PARAMS:
            if name in params:
                raise HttpError(400, f"{name} is not supported: every query sees the union of all named "
                                     "graphs as its default graph; use GRAPH to pick one")
        queries, updates = params.get("query", []), params.get("update", [])
        if len(queries) + len(updates) > 1:
            raise HttpError(400, "give exactly one query or one update")
        if updates:
            if request.method != "POST":
                raise HttpError(405, "SPARQL Update is sent with POST")
            return self._update(request, updates[0])
        if not queries:
            return self._description(request)
        return self._query(request, queries[0], params)

    def _query(self, request: Request, sparql: str, params: Mapping[str, list[str]]) -> Response:
        return self._run(request, params, lambda store: sparql)

    def _run(self, request: Request, params: Mapping[str, list[str]], make_query: Callable[[Store], str]) -> Response:
        """Answer the query ``make_query(store)`` gives, in a child process: there it is checked
        for SERVICE calls (parsing a long text holds no thread of the server), then the process
        is confined to its memory budget and, unless the query calls an allowed SERVICE or the
        store is a server, to no network. Reading the store happens only in such a process."""
        settings = self.settings
        format_param = params.get("format", [None])[0]
        accept = request.headers.get("accept")
        choose(RESULT_FORMATS + GRAPH_FORMATS, accept, format_param)  # 406 before running anything

        def work() -> Response:
            try:
                sparql = make_query(store)
                endpoints = check_service(sparql, settings.allow_service, PREFIXES)
            except KgError as err:
                return Response(400, f"{err}\n".encode())
            except HttpError as err:
                return err.response()
            confine(settings.max_query_memory, network=bool(endpoints) or not isinstance(store, EmbeddedStore))
            return answer(store, sparql, accept=accept, format_param=format_param, max_results=settings.max_results)

        with self._slots.hold(request.client, settings.timeout):
            with self._fork_lock:
                store = self.served.current()
            return run_limited(work, timeout=settings.timeout, lock=self._fork_lock)

    def _update(self, request: Request, sparql: str) -> Response:
        """Run a SPARQL Update when updates are on and the request carries the token."""
        settings = self.settings
        if not settings.allow_updates:
            raise HttpError(403, "this endpoint is read-only; start kg serve with --allow-updates and "
                                 "--update-token to accept SPARQL Update")
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(),
                                                                 (settings.update_token or "").encode()):
            raise HttpError(403, "SPARQL Update needs the header 'Authorization: Bearer <token>' with the "
                                 "token given to kg serve")
        check_update(sparql, settings.allow_service, PREFIXES)
        try:
            with self._fork_lock:
                self.store.update(sparql)
        except KgError as err:  # a syntax error, or an update the store could not apply
            raise HttpError(400, str(err)) from err
        return Response(200, b"update done\n")

    def _saved(self, request: Request, name: str, params: dict[str, list[str]]) -> Response:
        """A saved query with its parameters bound (``format`` is the response format)."""
        bindings = {key: values[0] for key, values in params.items() if key != "format"}
        try:
            saved = load_saved_query(name, self.settings.queries_dir)
        except KgError as err:
            raise HttpError(404, str(err)) from err
        try:
            bound = bind_params(saved.text, bindings)
        except KgError as err:
            raise HttpError(400, str(err)) from err
        return self._run(request, params, lambda store: resolve_lookups(store, bound))

    def _description(self, request: Request) -> Response:
        endpoint = f"http://{request.headers.get('host') or _authority(self.settings)}/sparql"
        try:
            body = service_description(endpoint, self.settings)
        except ValueError:  # a Host header that makes no IRI
            body = service_description(f"http://{_authority(self.settings)}/sparql", self.settings)
        return Response(200, body, "text/turtle; charset=utf-8")

    def _graph(self, request: Request, params: dict[str, list[str]]) -> Response:
        """The graph view the URL asks for, drawn from the store in a child process, as queries are
        (within the time limit and the memory budget, with no network for an embedded store)."""
        from kg.viz import (
            render_view,  # loaded here, before the fork, so each child has it
        )

        options = _view_options(params)
        settings = self.settings

        def work() -> Response:
            confine(settings.max_query_memory, network=not isinstance(store, EmbeddedStore))
            try:
                view = render_view(store, served=True, **options)
            except KgError as err:  # a name or id the store does not know: the closest ones
                return Response(404, f"{err}\n".encode())
            if not view.report.nodes and not view.report.documents:
                return Response(404, b"nothing to draw: the store holds no entity with a stated relation "
                                     b"and no document; build it with kg build\n")
            return Response(200, view.html.encode(), "text/html; charset=utf-8", _VIEW_HEADERS)

        timeout = settings.timeout * VIEW_TIME_FACTOR
        with self._slots.hold(request.client, timeout):
            with self._fork_lock:
                store = self.served.current()
            # A read-only store on disk changes only by being reopened: its pages can be kept.
            kept = isinstance(store, EmbeddedStore) and store.read_only_mode
            key = (id(store), self.served.opened, tuple(sorted(options.items())))
            with self._views_lock:
                if kept and key in self._views:
                    self._views.move_to_end(key)
                    return self._views[key]
            response = run_limited(work, timeout=timeout, lock=self._fork_lock)
        if kept and response.status == 200:  # the same store draws the same page
            with self._views_lock:
                self._views[key] = response
                while sum(len(r.body) for r in self._views.values()) > VIEW_CACHE_BYTES:
                    self._views.popitem(last=False)
        return response

    def _check_host(self, request: Request) -> None:
        """On a loopback address, answer only requests addressed to it (against DNS rebinding)."""
        host = request.headers.get("host")
        if host is None or not _is_loopback(self.settings.host):
            return
        name = urlsplit(f"//{host}").hostname or ""
        if name not in _LOOPBACK_NAMES | {self.settings.host.lower()}:
            raise HttpError(403, f"Host {host!r} is not served here; use http://{_authority(self.settings)}/")


def make_app(store: Store, settings: ServerSettings) -> App:
    """The endpoint over ``store``, for ``make_server`` or for calling ``handle`` directly."""
    return App(store, settings)


def make_server(app: App) -> HttpServer:
    """An HTTP server for ``app`` bound to its settings' host and port, not yet serving."""
    return HttpServer(app.handle, app.settings)


def serve(store: Store, settings: ServerSettings, on_start: Callable[[str], None] = print) -> None:
    """Serve ``store`` until interrupted; ``on_start`` gets the page's URL."""
    server = make_server(make_app(store, settings))
    on_start(f"http://{_authority(settings, server.port)}/")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


def get(store: Store, settings: ServerSettings, target: str) -> Response:
    """Answer one GET request for ``target`` (``/sparql?query=…``) in this process, no socket."""
    return make_app(store, settings).handle(Request("GET", target))


def _view_options(params: Mapping[str, list[str]]) -> dict[str, object]:
    """The keyword arguments of ``render_view`` a /graph URL gives; 400 for anything else."""
    unknown = sorted(set(params) - set(VIEW_PARAMS))
    if unknown:
        raise HttpError(400, f"/graph does not take {', '.join(unknown)}; it takes {', '.join(VIEW_PARAMS)}")
    for name, values in params.items():
        if len(values) > 1:
            raise HttpError(400, f"give {name} once")
    value = {name: values[0] for name, values in params.items()}
    parts = [name for name in ("focus", "doc", "initiative") if name in value]
    if len(parts) > 1:
        raise HttpError(400, f"give at most one of focus, doc and initiative, not {' and '.join(parts)}")
    if any(not value[name].strip() for name in parts):
        raise HttpError(400, f"{parts[0]} needs a value")
    if "hops" in value and "focus" not in value:
        raise HttpError(400, "hops goes with focus")
    options: dict[str, object] = {name: value[name] for name in parts}
    options["hops"] = _bounded(value, "hops", 1, MAX_VIEW_HOPS, 1)
    options["max_nodes"] = _bounded(value, "max_nodes", 1, MAX_VIEW_NODES, 300)
    if "all" in value:
        if value["all"] not in ("", "0", "1", "true", "false"):
            raise HttpError(400, "all is 1 or 0")
        options["everything"] = value["all"] in ("", "1", "true")
    return options


def _bounded(value: Mapping[str, str], name: str, low: int, high: int, default: int) -> int:
    if name not in value:
        return default
    try:
        number = int(value[name])
    except ValueError:
        raise HttpError(400, f"{name} is a whole number from {low} to {high}, not {value[name]!r}") from None
    if not low <= number <= high:
        raise HttpError(400, f"{name} is a whole number from {low} to {high}, not {number}")
    return number


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise HttpError(400, f"the request body is not UTF-8 ({err})") from err


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host.lower() == "localhost"


def _authority(settings: ServerSettings, port: int | None = None) -> str:
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    return f"{host}:{port or settings.port}"
