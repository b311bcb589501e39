"""The embedded store: an Oxigraph database in a folder, or in memory for tests."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError, RunError
from kg.store.base import Change, Derive, QueryResult, Store, check_dump_format
from kg.store.lock import writer

SYNTAX_ERROR = "SPARQL syntax error"  # how the message of a query or update that does not parse begins


class EmbeddedStore(Store):
    """An Oxigraph database in the folder ``path``; ``path=None`` keeps it in memory."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False, bulk: bool = False) -> None:
        """``bulk=True`` writes without transactions, several times faster: only for a new store
        that is discarded if the build fails (see ``kg.build.build_store``)."""
        self.path = Path(path) if path is not None else None
        self.location = str(self.path) if self.path else ":memory:"
        self.bulk = bulk
        self.transactional = not bulk
        self.read_only_mode = False
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                self.read_only_mode = True
                require_store(self.path)
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as err:
            if "lock" in str(err).lower() and self.path is not None:
                holder = writer(self.path)
                who = f"kg build (pid {holder})" if holder else "another process"
                raise RunError(f"{self.path}: {who} has the store open for writing; wait for it to finish "
                              "or stop it (kg serve --allow-updates and kg analyze --write also write)") from err
            raise RunError(f"{self.path}: cannot open the store ({err})") from err

    def replace_graphs(self, iris: Iterable[str], data: bytes | Iterable[ox.Quad], derive: Derive | None = None) -> bool:
        """Replace the graphs ``iris``, add the rest of ``data`` and apply ``derive``'s update,
        all in one transaction: a kill at any moment leaves the store as it was before the call
        or after it, derived data included.

        Only the difference is written: the quads a graph loses are deleted and the quads it
        gains inserted, so rebuilding an unchanged document writes little. A bulk-loading store
        (new, discarded if its build fails) writes without a transaction and leaves ``derive``
        to its caller.
        """
        iris = [ox.NamedNode(iri) for iri in dict.fromkeys(iris)]
        if self.bulk:
            for graph in iris:
                self._store.remove_graph(graph)
            self.add(data)
            return False
        incoming = _by_graph(ox.parse(data, format=ox.RdfFormat.N_QUADS) if isinstance(data, bytes) else data)
        before = {graph: frozenset(self._store.quads_for_pattern(None, None, None, graph)) for graph in iris}
        after = {graph: frozenset(incoming.pop(graph, ())) for graph in iris}
        elsewhere = frozenset(quad for quads in incoming.values() for quad in quads if quad not in self._store)
        dropped: list[ox.NamedNode] = []
        removed: list[ox.Quad] = []
        added: list[ox.Quad] = list(elsewhere)
        for graph in iris:
            old, new = before[graph], after[graph]
            if not new or any(isinstance(t, ox.BlankNode) for q in old for t in (q.subject, q.object)):
                dropped.append(graph)  # no quads left; or blank nodes, which DELETE DATA cannot name
                added += new
            else:
                removed += old - new
                added += new - old
        derived = derive(Change(before, after, elsewhere)) if derive else ""
        if dropped or removed or added or derived:
            self.update(_data_update(dropped, removed, added) + (f" ;\n{derived}" if derived else ""))
        return True

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
            raise KgError(f"{SYNTAX_ERROR}: {err}") from err

    def update(self, sparql: str) -> None:
        try:
            self._store.update(sparql)
        except SyntaxError as err:
            raise KgError(f"{SYNTAX_ERROR}: {err}") from err
        except OSError as err:
            raise RunError(f"{self.location}: the update failed ({err})") from err

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


def require_store(path: Path) -> None:
    """Refuse a folder that holds no store before anything opens it, so that a command that only
    reads never leaves an empty store behind (which would then pass for a built one)."""
    if not (path / "CURRENT").is_file():  # every Oxigraph (RocksDB) database folder has one
        raise KgError(f"no store at {path}; build one with `kg build DOCUMENTS --store {path}`")


def _by_graph(quads: Iterable[ox.Quad]) -> dict[ox.NamedNode | ox.BlankNode | ox.DefaultGraph, set[ox.Quad]]:
    graphs: dict[ox.NamedNode | ox.BlankNode | ox.DefaultGraph, set[ox.Quad]] = {}
    for quad in quads:
        graphs.setdefault(quad.graph_name, set()).add(quad)
    return graphs


def _data_update(dropped: Iterable[ox.NamedNode], removed: Iterable[ox.Quad], added: Iterable[ox.Quad]) -> str:
    """One SPARQL Update (one transaction): drop the graphs ``dropped``, delete ``removed``,
    insert ``added``."""
    drop = "".join(f"DROP SILENT GRAPH {graph} ;\n" for graph in dropped)
    return f"{drop}DELETE DATA {{\n{_data_block(removed)}}} ;\nINSERT DATA {{\n{_data_block(added)}}}"


def _data_block(quads: Iterable[ox.Quad]) -> str:
    by_graph: dict[str, list[str]] = {}
    for quad in quads:
        graph = "" if isinstance(quad.graph_name, ox.DefaultGraph) else str(quad.graph_name)
        by_graph.setdefault(graph, []).append(f"{quad.subject} {quad.predicate} {quad.object} .\n")
    return "".join(f"GRAPH {graph} {{\n{''.join(lines)}}}\n" if graph else "".join(lines)
                   for graph, lines in by_graph.items())
