"""A store on any SPARQL 1.1 server, over HTTP (see :mod:`kg.store.endpoints` for the URLs).

Graphs are written with the SPARQL 1.1 Graph Store HTTP Protocol: a graph that exists on the
server is replaced whole by one PUT, which the server applies atomically; new graphs of a
batch go in one POST of N-Quads where the server takes whole datasets, else one request per
graph. Everything else is SPARQL 1.1 Query and Update. Every call has a timeout; a server that
cannot be reached is one KgError line.

An answer is whole or it is an error. A server may cut an answer at its row limit (Virtuoso's
ResultSetMaxRows, which it says only in an ``X-SPARQL-MaxRows`` header, and not at all for
CONSTRUCT) or stop a query at its time limit and send what it had (``X-SQL-State``): such an
answer is refused with the setting to change. Reads that may be long (graphs, their lists)
go a page at a time on a server with a row limit, so they are never cut.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from http.client import HTTPResponse
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pyoxigraph as ox

from kg.errors import KgError, RunError
from kg.store.base import Derive, QueryResult, Row, Store, check_dump_format
from kg.store.endpoints import endpoints

DEFAULT_TIMEOUT = 60.0  # seconds of silence before a call fails; KG_STORE_TIMEOUT overrides
DEFAULT_MAX_ROWS = 10000  # Virtuoso's own default, for a server that will not say its limit
_RESULTS = "application/sparql-results+json, application/sparql-results+xml;q=0.8"
_RDF = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.8"  # CONSTRUCT and DESCRIBE
_NQUADS = "application/n-quads"
_NTRIPLES = "application/n-triples"
_FORM = "application/x-www-form-urlencoded"
_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
# A write refused for want of rights (Virtuoso: SR186, SR575, SR619), and what to grant.
_DENIED = re.compile(r"\bSR(?:186|575|619)\b|SECURITY:|access denied", re.IGNORECASE)
_MAY_NOT_WRITE = ("; the server's SPARQL user may not write there: grant it the right (Virtuoso: "
                  'GRANT SPARQL_UPDATE TO "SPARQL"; see the README, "Remote SPARQL stores")')
# A query that answers with a graph: its form's keyword after the prologue and comments.
_GRAPH_QUERY = re.compile(r"(?:\s|#[^\n]*|PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)*(CONSTRUCT|DESCRIBE)\b",
                          re.IGNORECASE)

Graphs = dict[str | None, list[ox.Triple]]  # triples by graph IRI, None for the default graph


class RemoteStore(Store):
    """The dataset of the SPARQL server at ``url``."""

    def __init__(self, url: str, *, read_only: bool = False, timeout: float | None = None, bulk: bool = False) -> None:
        """``bulk=True`` adds datasets through the server's bulk loader where it has one
        (``Endpoints.bulk``): only for loading an empty server that is discarded if it fails."""
        self.location = str(url)
        self.bulk = bulk
        self.transactional = False
        self.endpoints = endpoints(self.location)
        self.read_only_mode = read_only
        self.timeout = timeout or float(os.environ.get("KG_STORE_TIMEOUT", DEFAULT_TIMEOUT))
        self._union_checked = self.endpoints.union
        self._limit: int | None = None  # the server's row limit, once asked

    def replace_graphs(self, iris: Iterable[str], data: bytes | Iterable[ox.Quad], derive: Derive | None = None) -> bool:
        """Each existing graph replaced by one PUT, atomic on the server; ``derive`` is left to
        the caller, since requests to several graphs make no transaction."""
        self._writable()
        existing = self._existing(list(iris))
        if not existing:
            self.add(data)
            return False
        graphs = _by_graph(data)
        for iri in existing:
            triples = graphs.pop(iri, [])
            if triples:
                self._call("PUT", self.endpoints.graph(iri), ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), _NTRIPLES)
            else:
                self._call("DELETE", self.endpoints.graph(iri))
        self._add_graphs(graphs)
        return False

    def add(self, data: bytes | Iterable[ox.Quad]) -> None:
        self._writable()
        dataset = (self.bulk and self.endpoints.bulk) or self.endpoints.dataset
        if dataset and isinstance(data, bytes):
            self._call("POST", dataset, data, _NQUADS)
        else:
            self._add_graphs(_by_graph(data))

    def query(self, sparql: str, prefixes: dict[str, str] | None = None) -> QueryResult:
        """Run a query; a CONSTRUCT or DESCRIBE is asked for in RDF (servers that would send it
        as SPARQL results send them in forms of their own), the others as SPARQL results."""
        self._check_union()
        text = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in (prefixes or {}).items()) + sparql
        graph = _GRAPH_QUERY.match(sparql) is not None
        with self._send(self.endpoints.query, "query", text, _RDF if graph else _RESULTS) as response:
            media, body = response.headers.get_content_type(), response.read()
        if graph:
            return self._triples(media, body)
        results_format = ox.QueryResultsFormat.from_media_type(media)
        if results_format is None:
            raise RunError(f"the SPARQL server at {self.location} answered a query in {media}, not in SPARQL results")
        if results_format == ox.QueryResultsFormat.JSON:
            body = _canonical_booleans(body)
        return ox.parse_query_results(body, format=results_format)

    def update(self, sparql: str) -> None:
        self._writable()
        with self._send(self.endpoints.update, "update", sparql) as response:
            response.read()

    def named_graphs(self) -> list[str]:
        if not self.endpoints.lists_graphs:  # graphs enumerated from their quads
            return sorted(self._sizes())
        rows = self.select(f"SELECT DISTINCT ?g {{ GRAPH ?g {{}} {self._in_scope()} }}")
        return sorted(row["g"].value for row in rows if isinstance(row.get("g"), ox.NamedNode))

    def count_quads(self) -> int:
        if self.endpoints.scope:
            return sum(self._sizes().values())
        return int(self.select("SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }")[0]["n"].value)

    def triples(self, graphs: Iterable[str] | None = None) -> Iterator[ox.Triple]:
        """The triples of the named graphs ``graphs`` (all of them when None), each once: on a
        server with a row limit, or one holding graphs that are not kg's, read graph by graph."""
        if not (self.endpoints.max_rows or self.endpoints.scope):
            yield from super().triples(graphs)
            return
        sizes = self._sizes(None if graphs is None else list(graphs))
        if graphs is None and not sizes:
            raise RunError(f"the SPARQL server at {self.location} holds no graph of kg's: nothing to write")
        seen: set[ox.Triple] = set()
        for name in sorted(sizes):
            for triple in self._graph(name, sizes[name]):
                if triple not in seen:
                    seen.add(triple)
                    yield triple

    def dump(self, path: str | Path, fmt: ox.RdfFormat, graph: str | None = None) -> None:
        """Write the dataset (or one graph) to ``path`` atomically: a temp file, then rename."""
        check_dump_format(fmt, graph)
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        raw, tmp = path.with_name(path.name + ".raw"), path.with_name(path.name + ".tmp")
        try:
            received = self._download(raw, graph)
            if received == fmt:
                raw.replace(path)
            else:
                ox.serialize(ox.parse(path=str(raw), format=received), output=str(tmp), format=fmt)
                tmp.replace(path)
        finally:
            raw.unlink(missing_ok=True)
            tmp.unlink(missing_ok=True)

    def _download(self, path: Path, graph: str | None) -> ox.RdfFormat:
        """Save the dataset (or one graph) as the server sends it; returns its format. A dataset
        with no graph is an error: an empty file would pass for an export."""
        if graph is None and (self.endpoints.dataset is None or self.endpoints.scope):
            sizes = self._sizes() if self.endpoints.max_rows else dict.fromkeys(self.named_graphs())
            if not sizes:
                raise RunError(f"the SPARQL server at {self.location} holds no graph of kg's: nothing to write")
            with path.open("wb") as out:
                for name in sorted(sizes):
                    ox.serialize((_quad(t, name) for t in self._graph(name, sizes[name])), output=out,
                                 format=ox.RdfFormat.N_QUADS)
            return ox.RdfFormat.N_QUADS
        if graph and self.endpoints.max_rows:
            with path.open("wb") as out:
                ox.serialize(self._graph(graph), output=out, format=ox.RdfFormat.N_TRIPLES)
            return ox.RdfFormat.N_TRIPLES
        url = self.endpoints.graph(graph) if graph else self.endpoints.dataset
        accept = _NTRIPLES if graph else _NQUADS
        with self._http("GET", url, headers={"Accept": accept}) as response, path.open("wb") as out:
            shutil.copyfileobj(response, out, 1 << 20)
            return _format(response)

    def _graph(self, name: str, size: int | None = None) -> list[ox.Triple]:
        """Every triple of the named graph ``name``, by the Graph Store Protocol. A server with a
        row limit cuts a longer graph there without a word: what it sends is checked against
        the ``size`` it counts, and such a graph is read again a page at a time."""
        if self.endpoints.max_rows and size is None:
            size = self._sizes([name]).get(name, 0)
        with self._http("GET", self.endpoints.graph(name), headers={"Accept": _NTRIPLES}) as response:
            triples = [q.triple for q in ox.parse(response.read(), format=_format(response))]
        if size is None or len(triples) == size:
            return triples
        triples = []
        while True:  # pages sorted in a sub-query: Virtuoso sorts no more rows than its limit before an OFFSET
            page = self._max_rows() - 1  # under the limit: a page is never cut
            found = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ SELECT ?s ?p ?o {{ GRAPH <{name}> {{ ?s ?p ?o }} }} "
                               f"ORDER BY ?s ?p ?o }} }} LIMIT {page} OFFSET {len(triples)}")
            triples += found  # type: ignore[arg-type]
            if len(found) < page:  # type: ignore[arg-type]
                break
        if len(triples) != size:
            raise RunError(f"the SPARQL server at {self.location} sent {len(triples)} of the {size} triples of "
                           f"<{name}>; if it cuts answers at a row limit, raise it (Virtuoso: ResultSetMaxRows)")
        return triples

    def _sizes(self, names: list[str] | None = None) -> dict[str, int]:
        """How many triples each named graph of ``names`` holds (each of kg's graphs when None),
        counted by the server; a graph without triples is left out. Every graph is counted, and
        the graphs picked here: Virtuoso counts them all in a fraction of a second, but takes
        seconds over a filter or a list of graphs."""
        rows = self._select_all("SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", "?g")
        sizes = {row["g"].value: int(row["n"].value) for row in rows if isinstance(row.get("g"), ox.NamedNode)}
        wanted = set(names) if names is not None else {g for g in sizes if g.startswith(self.endpoints.scope or "")}
        return {g: n for g, n in sizes.items() if g in wanted}

    def _select_all(self, select: str, order: str) -> list[Row]:
        """Every row of the query ``select``: in one answer, or on a server with a row limit a
        page at a time, sorted by ``order`` in a sub-query (as Virtuoso sorts no more rows than
        its limit before an OFFSET)."""
        if not self.endpoints.max_rows:
            return self.select(select)
        rows: list[Row] = []
        while True:
            page = self._max_rows() - 1  # a full answer of the limit's size may be a cut one
            try:
                found = self.select(f"SELECT * {{ {{ {select} ORDER BY {order} }} }} LIMIT {page} OFFSET {len(rows)}")
            except _Cut as cut:  # the server's limit is lower than it said: page by that
                if cut.limit is None or cut.limit >= self._max_rows():
                    raise
                self._limit = cut.limit
                continue
            rows += found
            if len(found) < page:
                return rows

    def _max_rows(self) -> int:
        """The server's row limit, asked once (:data:`DEFAULT_MAX_ROWS` if it will not say)."""
        if self._limit is None:
            self._limit = DEFAULT_MAX_ROWS
            try:
                found = self.select(self.endpoints.max_rows or "")
                self._limit = int(found[0]["rows"].value)
            except (KgError, LookupError, ValueError):
                pass
        return self._limit

    def _in_scope(self) -> str:
        """A FILTER keeping the graphs ``?g`` that are kg's, on a server that holds others."""
        scope = self.endpoints.scope
        return f'FILTER(STRSTARTS(STR(?g), "{scope}"))' if scope else ""

    def _triples(self, media: str, body: bytes) -> list[ox.Triple]:
        """The triples of a CONSTRUCT or DESCRIBE answer, which must be RDF and whole."""
        rdf_format = ox.RdfFormat.from_media_type(media)
        if rdf_format is None:
            raise RunError(f"the SPARQL server at {self.location} answered a CONSTRUCT or DESCRIBE in {media}, "
                           "not in RDF")
        triples = [quad.triple for quad in ox.parse(body, format=rdf_format)]
        if self.endpoints.max_rows and len(triples) > self._max_rows():  # such a server cuts at limit + 1
            raise _Cut(self.location, self._max_rows(), "triples")
        return triples

    def _existing(self, iris: list[str]) -> list[str]:
        """The graphs of ``iris`` that hold triples on the server."""
        if not iris:
            return []
        values = " ".join(f"<{iri}>" for iri in iris)
        rows = self.select(f"SELECT ?g {{ VALUES ?g {{ {values} }} FILTER EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} }} }}")
        return sorted(row["g"].value for row in rows)

    def _add_graphs(self, graphs: Graphs) -> None:
        """Add triples: in one request where the server takes datasets, else one per graph."""
        if self.endpoints.dataset:
            quads = [_quad(t, g) for g, triples in graphs.items() for t in triples]
            if quads:
                self._call("POST", self.endpoints.dataset, ox.serialize(quads, format=ox.RdfFormat.N_QUADS), _NQUADS)
            return
        for iri, triples in graphs.items():
            self._call("POST", self.endpoints.graph(iri), ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), _NTRIPLES)

    def _check_union(self) -> None:
        """Refuse a server whose default graph hides the named graphs (once per store)."""
        if self._union_checked:
            return
        self._union_checked = True
        if self._ask("ASK { GRAPH ?g { ?s ?p ?o } }") and not self._ask("ASK { ?s ?p ?o }"):
            raise RunError(f"the SPARQL server at {self.location} does not query the union of its named "
                          "graphs by default; configure it so (Fuseki: tdb2:unionDefaultGraph true)")

    def _ask(self, sparql: str) -> bool:
        return bool(self.query(sparql))

    def _writable(self) -> None:
        if self.read_only_mode:
            raise KgError(f"{self.location}: the store was opened read-only")

    def _send(self, url: str, field: str, text: str, accept: str | None = None) -> AbstractContextManager[HTTPResponse]:
        """POST a query (``field`` "query") or an update ("update"): as an HTML form where the
        server needs one, else as the SPARQL media type."""
        if self.endpoints.form:
            body, content_type = urlencode({field: text}).encode(), _FORM
        else:
            body, content_type = text.encode(), f"application/sparql-{field}"
        return self._http("POST", url, body, {"Content-Type": content_type, **({"Accept": accept} if accept else {})})

    def _call(self, method: str, url: str, body: bytes | None = None, content_type: str | None = None) -> None:
        headers = {"Content-Type": content_type} if content_type else {}
        with self._http(method, url, body, headers) as response:
            response.read()

    def _check_whole(self, response: HTTPResponse) -> None:
        """Refuse an answer the server says it cut at its row limit or its time limit."""
        if response.headers.get("X-SPARQL-MaxRows"):
            limit = response.headers["X-SPARQL-MaxRows"].strip()
            raise _Cut(self.location, int(limit) if limit.isdigit() else None, "rows")
        state = response.headers.get("X-SQL-State")
        if state:
            message = " ".join((response.headers.get("X-SQL-Message") or "").split())[:200]
            raise RunError(f"the SPARQL server at {self.location} stopped the query at its time limit and sent "
                           f"part of the answer ({state}: {message}); raise the limit (Virtuoso: "
                           "MaxQueryExecutionTime in [SPARQL] of virtuoso.ini) or narrow the query")

    @contextmanager
    def _http(self, method: str, url: str, body: bytes | None = None,
              headers: dict[str, str] | None = None) -> Iterator[HTTPResponse]:
        """One HTTP exchange; refusals and unreachable servers become one KgError line."""
        request = Request(url, data=body, method=method, headers=headers or {})
        try:
            with urlopen(request, timeout=self.timeout) as response:
                self._check_whole(response)
                yield response
        except HTTPError as err:
            detail = " ".join(err.read().decode("utf-8", "replace").split())
            hint = _MAY_NOT_WRITE if _DENIED.search(detail) else ""
            refused = KgError if 400 <= err.code < 500 else RunError  # the request, or the server, is at fault
            raise refused(f"the SPARQL server at {self.location} refused {method} {url} "
                          f"({err.code} {err.reason}): {detail[:300]}{hint}") from None
        except (URLError, OSError) as err:
            raise RunError(f"cannot reach the SPARQL server at {self.location}: {getattr(err, 'reason', err)}") from None


class _Cut(RunError):
    """An answer that a server's row limit may have cut."""

    def __init__(self, location: str, limit: int | None, unit: str) -> None:
        self.limit = limit
        at = f"its limit of {limit} {unit}" if limit else "its row limit"
        super().__init__(f"the SPARQL server at {location} may have cut the answer at {at}; ask for fewer "
                         "(LIMIT) or raise the limit (Virtuoso: ResultSetMaxRows in [SPARQL] of virtuoso.ini)")


def _canonical_booleans(body: bytes) -> bytes:
    """SPARQL JSON results with each xsd:boolean written true or false, as the embedded store
    writes them: Virtuoso writes 1 and 0 (also valid, but read as text they are not booleans)."""
    if _BOOLEAN.encode() not in body:
        return body
    results = json.loads(body)
    for row in results.get("results", {}).get("bindings", []):
        for term in row.values():
            if term.get("datatype") == _BOOLEAN and term.get("value") in ("0", "1"):
                term["value"] = "true" if term["value"] == "1" else "false"
    return json.dumps(results).encode()


def _by_graph(data: bytes | Iterable[ox.Quad]) -> Graphs:
    quads = ox.parse(data, format=ox.RdfFormat.N_QUADS) if isinstance(data, bytes) else data
    graphs: Graphs = {}
    for quad in quads:
        name = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else None
        graphs.setdefault(name, []).append(quad.triple)
    return graphs


def _quad(triple: ox.Triple, graph: str | None) -> ox.Quad:
    name = ox.NamedNode(graph) if graph else ox.DefaultGraph()
    return ox.Quad(triple.subject, triple.predicate, triple.object, name)


def _format(response: HTTPResponse) -> ox.RdfFormat:
    media = response.headers.get_content_type()
    found = ox.RdfFormat.from_media_type(media)
    if found is None:
        raise RunError(f"the SPARQL server sent RDF in an unknown format: {media}")
    return found
