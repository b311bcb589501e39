"""What every triple store offers the rest of `kg`: a SPARQL dataset of named graphs.

Every document has its own named graph; replacing a document replaces that graph. Queries see
the union of all named graphs as their default graph, so a query need not name graphs.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError

QueryResult = ox.QuerySolutions | ox.QueryBoolean | Iterable[ox.Triple]
_URL = re.compile(r"([a-z]+\+)?https?://", re.IGNORECASE)
Row = dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]


def is_url(location: object) -> bool:
    """True when ``location`` names a SPARQL server (``http(s)://`` or ``<preset>+http(s)://``)."""
    return location is not None and _URL.match(str(location)) is not None


@dataclass(frozen=True)
class Change:
    """What one replacement changes: the quads of each replaced graph before and after it, and
    the quads it adds to other graphs. It is read before the change is applied."""

    before: Mapping[ox.NamedNode, frozenset[ox.Quad]]
    after: Mapping[ox.NamedNode, frozenset[ox.Quad]]
    added_elsewhere: frozenset[ox.Quad] = frozenset()

    def quads(self) -> Iterator[ox.Quad]:
        """Every quad before or after, once per side."""
        for quads in (*self.before.values(), *self.after.values()):
            yield from quads
        yield from self.added_elsewhere


Derive = Callable[[Change], str]


class Store(ABC):
    """A SPARQL dataset of named graphs, in a folder, in memory or on a server.

    Like ``pathlib.Path``, ``Store(location, ...)`` opens the right kind: an http(s) URL gives
    a :class:`~kg.store.remote.RemoteStore`, a folder (or ``None``, in memory) an
    :class:`~kg.store.embedded.EmbeddedStore`.
    """

    location: str  # the folder, ":memory:" or the server's URL, for messages
    transactional: bool  # whether replace_graphs applies its ``derive`` in the same transaction

    def __new__(cls, location: str | Path | None = None, *args: object, **options: object) -> Store:
        if cls is Store:
            from kg.store.embedded import EmbeddedStore
            from kg.store.remote import RemoteStore

            cls = RemoteStore if is_url(location) else EmbeddedStore
        return super().__new__(cls)

    @abstractmethod
    def replace_graphs(self, iris: Iterable[str], data: bytes | Iterable[ox.Quad], derive: Derive | None = None) -> bool:
        """Replace each named graph of ``iris`` with its quads in ``data`` (N-Quads bytes or
        quads); the quads of other graphs in ``data`` are added. A graph is never half-written.

        ``derive`` gives, from the :class:`Change`, a SPARQL Update that brings data derived
        from these graphs up to date (graph:facts, graph:entities). A store that can apply it in
        the same transaction as the change does so and returns True; otherwise it ignores it and
        returns False, and the caller rewrites the derived data once its writes are done.
        """

    @abstractmethod
    def add(self, data: bytes | Iterable[ox.Quad]) -> None:
        """Add N-Quads bytes or quads (adding a quad twice keeps one)."""

    @abstractmethod
    def query(self, sparql: str, prefixes: dict[str, str] | None = None) -> QueryResult:
        """Run a SPARQL query over the union of all graphs; ``prefixes`` need not be declared."""

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL Update request, in one transaction."""

    @abstractmethod
    def named_graphs(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""

    @abstractmethod
    def count_quads(self) -> int:
        """Number of quads over all named graphs, counted by the store."""

    @abstractmethod
    def dump(self, path: str | Path, fmt: ox.RdfFormat, graph: str | None = None) -> None:
        """Write the dataset (a dataset format) or one graph to ``path`` atomically."""

    def triples(self, graphs: Iterable[str] | None = None) -> Iterator[ox.Triple]:
        """The triples of the named graphs ``graphs``, or of the union of all graphs, each once,
        when ``graphs`` is None: whole, for an export or a validation, however many rows a
        server answers at most. (A triple of several of ``graphs`` may come more than once.)"""
        if graphs is None:
            where = "SELECT DISTINCT ?s ?p ?o { ?s ?p ?o }"
        else:
            where = f"VALUES ?g {{ {' '.join(f'<{name}>' for name in graphs)} }} GRAPH ?g {{ ?s ?p ?o }}"
        yield from self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}")  # type: ignore[misc]

    def flush(self) -> None:
        """Make what was written durable (a server does it on every request)."""

    def close(self) -> None:
        """Release the store."""

    def select(self, sparql: str) -> list[Row]:
        """Run a SELECT query and return its rows as dicts of bound variables."""
        result = self.query(sparql)
        if not isinstance(result, ox.QuerySolutions):
            raise KgError("expected a SELECT query")
        names = [v.value for v in result.variables]
        return [{name: row[name] for name in names if row[name] is not None} for row in result]


def check_dump_format(fmt: ox.RdfFormat, graph: str | None) -> None:
    """A whole dataset needs a dataset format: say so in one line."""
    if graph is None and not fmt.supports_datasets:
        raise KgError(f"{fmt.name} holds one graph: name a graph, or use TriG, N-Quads or JSON-LD")
