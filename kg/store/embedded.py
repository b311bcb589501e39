"""The embedded store: an Oxigraph database in a folder, or in memory for tests."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError
from kg.store.base import QueryResult, Store, check_dump_format


class EmbeddedStore(Store):
    """An Oxigraph database in the folder ``path``; ``path=None`` keeps it in memory."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False, bulk: bool = False) -> None:
        """``bulk=True`` writes without transactions, several times faster: only for a new store
        that is discarded if the build fails (see ``kg.build.build_store``)."""
        self.path = Path(path) if path is not None else None
        self.location = str(self.path) if self.path else ":memory:"
        self.bulk = bulk
        self.read_only_mode = False
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                self.read_only_mode = True
                if not self.path.exists():
                    raise KgError(f"{self.path}: no store here; run `kg build` first")
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as err:
            raise KgError(f"{self.path}: cannot open the store ({err})") from err

    def replace_graphs(self, iris: Iterable[str], data: bytes | Iterable[ox.Quad]) -> None:
        """Drop the named graphs ``iris``, then write ``data``; the batch's new quads go in
        one transaction."""
        for iri in iris:
            node = ox.NamedNode(iri)
            if self._store.contains_named_graph(node):
                self._store.remove_graph(node)
        self.add(data)

    def add(self, data: bytes | Iterable[ox.Quad]) -> None:
        if isinstance(data, bytes):
            load = self._store.bulk_load if self.bulk else self._store.load
            load(data, format=ox.RdfFormat.N_QUADS)
        elif self.bulk:
            self._store.bulk_extend(data)
        else:
            self._store.extend(data)

    def query(self, sparql: str, prefixes: dict[str, str] | None = None) -> QueryResult:
        try:
            return self._store.query(sparql, use_default_graph_as_union=True, prefixes=prefixes)
        except SyntaxError as err:
            raise KgError(f"SPARQL syntax error: {err}") from err

    def update(self, sparql: str) -> None:
        try:
            self._store.update(sparql)
        except SyntaxError as err:
            raise KgError(f"SPARQL syntax error: {err}") from err
        except OSError as err:
            raise KgError(f"{self.location}: the update failed ({err})") from err

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def count_quads(self) -> int:
        result = self._store.query("SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }")
        return int(next(iter(result))["n"].value)

    def dump(self, path: str | Path, fmt: ox.RdfFormat, graph: str | None = None) -> None:
        """Write the dataset (or one graph) to ``path`` atomically: a temp file, then rename."""
        check_dump_format(fmt, graph)
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        from_graph = ox.NamedNode(graph) if graph else None
        try:
            self._store.dump(str(tmp), format=fmt, from_graph=from_graph)
            tmp.replace(path)
        finally:
            tmp.unlink(missing_ok=True)

    def flush(self) -> None:
        if self.path is not None and not self.read_only_mode:
            self._store.flush()

    def close(self) -> None:
        """Release the database (its folder can then be moved or opened by another process)."""
        self.flush()
        del self._store
