"""A store on any SPARQL 1.1 server, over HTTP (see :mod:`kg.store.endpoints` for the URLs).

Graphs are written with the SPARQL 1.1 Graph Store HTTP Protocol: a graph that exists on the
server is replaced whole by one PUT, which the server applies atomically; new graphs of a
batch go in one POST of N-Quads where the server takes whole datasets, else one request per
graph. Everything else is SPARQL 1.1 Query and Update. Every call has a timeout; a server that
cannot be reached is one KgError line.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from http.client import HTTPResponse
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

import pyoxigraph as ox

from kg.errors import KgError, RunError
from kg.store.base import Derive, QueryResult, Store, check_dump_format
from kg.store.endpoints import endpoints

DEFAULT_TIMEOUT = 60.0  # seconds of silence before a call fails; KG_STORE_TIMEOUT overrides
_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
_NQUADS = "application/n-quads"
_NTRIPLES = "application/n-triples"

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
        self._check_union()
        declared = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in (prefixes or {}).items())
        with self._http("POST", self.endpoints.query, (declared + sparql).encode(),
                        {"Content-Type": "application/sparql-query", "Accept": _ACCEPT}) as response:
            media, body = response.headers.get_content_type(), response.read()
        results_format = ox.QueryResultsFormat.from_media_type(media)
        if results_format is not None:
            return ox.parse_query_results(body, format=results_format)
        rdf_format = ox.RdfFormat.from_media_type(media)
        if rdf_format is None:
            raise RunError(f"the SPARQL server at {self.location} answered in an unknown format: {media}")
        return [quad.triple for quad in ox.parse(body, format=rdf_format)]

    def update(self, sparql: str) -> None:
        self._writable()
        self._call("POST", self.endpoints.update, sparql.encode(), "application/sparql-update")

    def named_graphs(self) -> list[str]:
        return sorted(row["g"].value for row in self.select("SELECT DISTINCT ?g { GRAPH ?g {} }")
                      if isinstance(row.get("g"), ox.NamedNode))

    def count_quads(self) -> int:
        return int(self.select("SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }")[0]["n"].value)

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
        """Save the dataset (or one graph) as the server sends it; returns its format."""
        if graph is None and self.endpoints.dataset is None:
            with path.open("wb") as out:
                for name in self.named_graphs():
                    with self._http("GET", self.endpoints.graph(name), headers={"Accept": _NTRIPLES}) as response:
                        triples = ox.parse(response.read(), format=_format(response))
                        quads = (_quad(q.triple, name) for q in triples)
                        ox.serialize(quads, output=out, format=ox.RdfFormat.N_QUADS)
            return ox.RdfFormat.N_QUADS
        url = self.endpoints.graph(graph) if graph else self.endpoints.dataset
        accept = _NTRIPLES if graph else _NQUADS
        with self._http("GET", url, headers={"Accept": accept}) as response, path.open("wb") as out:
            shutil.copyfileobj(response, out, 1 << 20)
            return _format(response)

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

    def _call(self, method: str, url: str, body: bytes | None = None, content_type: str | None = None) -> None:
        headers = {"Content-Type": content_type} if content_type else {}
        with self._http(method, url, body, headers) as response:
            response.read()

    @contextmanager
    def _http(self, method: str, url: str, body: bytes | None = None,
              headers: dict[str, str] | None = None) -> Iterator[HTTPResponse]:
        """One HTTP exchange; refusals and unreachable servers become one KgError line."""
        request = Request(url, data=body, method=method, headers=headers or {})
        try:
            with urlopen(request, timeout=self.timeout) as response:
                yield response
        except HTTPError as err:
            detail = " ".join(err.read().decode("utf-8", "replace").split())[:300]
            refused = KgError if 400 <= err.code < 500 else RunError  # the request, or the server, is at fault
            raise refused(f"the SPARQL server at {self.location} refused {method} {url} "
                          f"({err.code} {err.reason}): {detail}") from None
        except (URLError, OSError) as err:
            raise RunError(f"cannot reach the SPARQL server at {self.location}: {getattr(err, 'reason', err)}") from None


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
