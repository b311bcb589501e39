"""Where a SPARQL server takes queries, updates and graphs: one ``--store`` URL, by preset.

``--store URL`` (or ``KG_STORE``) names a server by a base URL; a ``<preset>+`` prefix to the
scheme says which server it is, plain ``http(s)://`` meaning Oxigraph. Query, update and
Graph Store Protocol (GSP) endpoints by preset:

- ``http://127.0.0.1:7878`` (Oxigraph): /query, /update, /store
- ``fuseki+http://host:3030/ds``: /ds/query, /ds/update, /ds/data
- ``graphdb+http://host:7200/repositories/x``: the URL, …/statements, …/rdf-graphs/service
- ``virtuoso+http://host:8890``: /sparql, /sparql, /sparql-graph-crud
- ``sparql+https://host/any/endpoint``: the URL for queries and updates; no GSP endpoint

``KG_STORE_UPDATE`` and ``KG_STORE_GRAPHS`` override the update and Graph Store Protocol
URLs of any preset. ``dataset`` is the URL taking and giving the whole dataset as N-Quads
(Oxigraph, Fuseki, GraphDB): batches of new graphs go there in one request. ``bulk`` is where
a server loads a dataset without a transaction, several times faster (Oxigraph:
``/store?no_transaction``), for loading an empty server that is discarded if the load fails.

Queries must see the union of the named graphs as the default graph, as in the embedded
store. Oxigraph is asked so on every query (``?union-default-graph``, the same as starting it
with ``--union-default-graph``); GraphDB and Virtuoso do so by default; Fuseki needs
``tdb2:unionDefaultGraph true`` in its dataset. For presets that do not guarantee it, the
store checks it on first use and refuses a server that hides the named graphs.

Where servers differ in how they take and answer requests, the preset says so:

- ``form``: queries and updates are POSTed as HTML forms (``query=``/``update=``), which every
  server takes; Virtuoso never answers a POST of ``application/sparql-query``.
- ``lists_graphs``: ``GRAPH ?g {}`` enumerates the named graphs (it gives nothing on Virtuoso,
  where graphs are enumerated from their quads).
- ``max_rows``: a query, run on the server, that gives the number of rows it answers at most
  (Virtuoso's ResultSetMaxRows): the store then reads large answers a page at a time and
  refuses an answer the limit may have cut, which such a server sends without a word for
  CONSTRUCT and DESCRIBE.
- ``scope``: the namespace of the graphs that are kg's, on a server that holds graphs of its own
  (Virtuoso's system graphs): only those are listed, counted, exported and validated.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from urllib.parse import quote

from kg.errors import KgError
from kg.vocab import BASE

KG_GRAPHS = BASE + "graph/"  # the namespace of every graph kg writes
# Virtuoso's ResultSetMaxRows, as the SPARQL user may read it (a built-in SQL function).
_VIRTUOSO_MAX_ROWS = ('SELECT (bif:cfg_item_value(bif:virtuoso_ini_path(), "SPARQL", "ResultSetMaxRows") AS ?rows) '
                      "{}")

_PRESET = re.compile(r"(?:([a-z]+)\+)?(https?://.+)", re.IGNORECASE)


@dataclass(frozen=True)
class Endpoints:
    """The URLs of one server. ``union`` says the default graph is surely the union."""

    query: str
    update: str
    graphs: str | None
    dataset: str | None
    union: bool
    bulk: str | None = None
    form: bool = False
    lists_graphs: bool = True
    max_rows: str | None = None
    scope: str | None = None

    def graph(self, iri: str | None) -> str:
        """The Graph Store Protocol URL of graph ``iri`` (``None``: the default graph)."""
        if self.graphs is None:
            raise KgError("this SPARQL server has no graph store URL: set KG_STORE_GRAPHS to its "
                          "Graph Store Protocol endpoint")
        param = "default" if iri is None else f"graph={quote(iri, safe='')}"
        return f"{self.graphs}{'&' if '?' in self.graphs else '?'}{param}"


def _oxigraph(base: str) -> Endpoints:
    base = base.removesuffix("/query")
    return Endpoints(f"{base}/query?union-default-graph", f"{base}/update", f"{base}/store", f"{base}/store", True,
                     f"{base}/store?no_transaction")


def _fuseki(base: str) -> Endpoints:
    base = base.removesuffix("/query")
    return Endpoints(f"{base}/query", f"{base}/update", f"{base}/data", base, False)


def _graphdb(base: str) -> Endpoints:
    return Endpoints(base, f"{base}/statements", f"{base}/rdf-graphs/service", f"{base}/statements", True)


def _virtuoso(base: str) -> Endpoints:
    base = base.removesuffix("/sparql")
    return Endpoints(f"{base}/sparql", f"{base}/sparql", f"{base}/sparql-graph-crud", None, True,
                     form=True, lists_graphs=False, max_rows=_VIRTUOSO_MAX_ROWS, scope=KG_GRAPHS)


def _sparql(url: str) -> Endpoints:
    return Endpoints(url, url, None, None, False)


PRESETS = {"oxigraph": _oxigraph, "fuseki": _fuseki, "graphdb": _graphdb, "virtuoso": _virtuoso, "sparql": _sparql}


def endpoints(url: str) -> Endpoints:
    """The endpoints that the store URL ``url`` stands for (see the module's table)."""
    match = _PRESET.fullmatch(url.strip())
    if not match:
        raise KgError(f"{url!r} is not a SPARQL server URL: expected http(s)://… or <preset>+http(s)://…")
    preset = (match.group(1) or "oxigraph").lower()
    if preset not in PRESETS:
        raise KgError(f"unknown SPARQL server preset {preset!r}; presets: {', '.join(PRESETS)}")
    found = PRESETS[preset](match.group(2).rstrip("/"))
    update = os.environ.get("KG_STORE_UPDATE") or found.update
    graphs = os.environ.get("KG_STORE_GRAPHS") or found.graphs
    return replace(found, update=update, graphs=graphs)
