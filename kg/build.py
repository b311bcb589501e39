"""The main job: documents in, named graphs in the store out.

Documents stream from ingestion to a pool of worker processes (:mod:`kg.workers`) that extract
and serialise each one; the parent writes them to the store in batches, each batch in one
transaction, replacing each document's graph. A bad input, a document that fails or runs over its time limit, is
reported in one line and skipped; the rest goes through.
"""

from __future__ import annotations

import functools
import hashlib
import shutil
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path, PurePosixPath

import pyoxigraph as ox

from kg import entities, facts, graph
from kg.engines import Engine, Local
from kg.errors import RunError, printable
from kg.extract.kb import load_kb
from kg.ingest import DEFAULT_MAX_DOCUMENT_BYTES, Web
from kg.model import DOCUMENT_TIMEOUT, BuildReport
from kg.progress import Progress
from kg.resources import ONTOLOGY_FILE
from kg.store import Derive, Store, is_url
from kg.store.lock import StoreLock
from kg.workers import Built

_BATCH = 256  # documents per write: bigger batches load faster, smaller ones overlap more
_BATCH_BYTES = 16 << 20  # N-Quads per write, so a batch of long documents stays small in memory


def build(
    paths: Iterable[str | Path],
    store: Store,
    *,
    workers: int | None = None,
    engine: Engine | None = None,
    document_timeout: float = DOCUMENT_TIMEOUT,
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES,
    compact_mentions: bool = False,
    replace_moved: bool = False,
    on_error: Callable[[str], None] = lambda line: None,
    on_document: Callable[[Built], None] = lambda built: None,
    progress: Progress | None = None,
    web: Web | None = None,
) -> BuildReport:
    """Extract every document under ``paths`` into ``store``; returns what was built and what failed.

    Web addresses among ``paths`` (strings such as ``"https://…"``) are read by ``web``
    (:class:`kg.ingest.web.Web`: its fetcher, cache and settings; default: no cache).

    Extraction runs in ``workers`` processes of this machine, or on ``engine`` (a Dask cluster,
    :mod:`kg.engines`): the graphs are the same. ``compact_mentions`` records one mention per
    entity and form of words in a document, with its count (:func:`kg.graph.document_nquads`).
    A document whose id the store already holds from another file is refused, unless
    ``replace_moved`` (the file is the same document, moved or renamed with its folder).

    Each batch of documents goes into the store with the entity descriptions and facts derived
    from it, in one transaction. A store that cannot do that (a SPARQL server) gets them once
    its writes are done, and until then graph:facts says it is stale (``kg:stale``).
    """
    report = BuildReport()
    progress = progress or Progress()
    fail = _reporting(report, on_error)
    extracted = (engine or Local(workers)).extract(paths, max_document_bytes, document_timeout, fail, progress,
                                                   compact_mentions, web)
    return load(store, extracted, replace_moved=replace_moved, on_error=on_error, on_document=on_document,
                progress=progress, report=report)


def load(
    store: Store,
    extracted: Iterable[Built],
    *,
    replace_moved: bool = False,
    on_error: Callable[[str], None] = lambda line: None,
    on_document: Callable[[Built], None] = lambda built: None,
    progress: Progress | None = None,
    report: BuildReport | None = None,
) -> BuildReport:
    """Write documents extracted by any engine (:func:`kg.workers.build_file` mapped over
    files, or :func:`kg.workers.extract_all`) into ``store``, as :func:`build` does, and finish
    the store's derived graphs; returns what was written and what failed. ``on_document`` sees
    each document as it comes back (its time, or why it failed)."""
    report = report or BuildReport()
    progress = progress or Progress()
    fail = _reporting(report, on_error)
    if not store.transactional:
        facts.mark_stale(store)
    else:
        entities.ensure_counts(store)
    _write_reference_graphs(store)
    sources: dict[str, str] = {}
    batch: list[Built] = []
    batch_bytes = 0
    # One writer thread: the store loads a batch (releasing the GIL) while the next is extracted.
    with ThreadPoolExecutor(max_workers=1) as writer:
        pending: deque[Future[int]] = deque()

        def flush(batch: list[Built]) -> None:
            kept = batch if replace_moved else _same_sources(store, batch, fail)
            report.documents += len(kept)
            pending.append(writer.submit(_write, store, kept))
            while len(pending) > 1:  # at most one batch waiting behind the one being written
                report.written += pending.popleft().result()

        for built in extracted:
            progress.extracted()
            on_document(built)
            if built.error:
                fail(f"{printable(built.source)}: {printable(built.document_id)}: {printable(built.error)}")
                continue
            if built.document_id in sources:
                fail(f"{built.source}: document id {built.document_id!r} is also used by {sources[built.document_id]}; "
                     "kept the first (the id comes from the file name: rename one)")
                continue
            sources[built.document_id] = built.source
            batch.append(built)
            batch_bytes += len(built.nquads)
            if len(batch) >= _BATCH or batch_bytes >= _BATCH_BYTES:
                flush(batch)
                batch, batch_bytes = [], 0
        flush(batch)
        progress.stage = "writing"
        for future in pending:
            report.written += future.result()
    if not store.transactional:
        progress.stage = "summarising"
        rewrite_derived(store)
    store.flush()
    return report


def remove(store: Store, document_ids: Iterable[str]) -> list[str]:
    """Remove the documents ``document_ids`` from ``store`` with what was derived from them;
    returns the ids it did not hold (and removes nothing then)."""
    ids = list(dict.fromkeys(document_ids))
    held = {row["id"].value for row in store.select(
        f"SELECT ?id {{ VALUES ?id {{ {' '.join(str(ox.Literal(i)) for i in ids)} }} ?d <{graph.KG._NS}documentId> ?id }}")}
    missing = [i for i in ids if i not in held]
    if not missing and ids:
        if not store.transactional:
            facts.mark_stale(store)
        else:
            entities.ensure_counts(store)
        if not store.replace_graphs([graph.document_graph_iri(i) for i in ids], b"", derive=_derived(store)):
            rewrite_derived(store)
        store.flush()
    return missing


def rewrite_derived(store: Store) -> None:
    """Describe every entity found in text and summarise every fact afresh, from the documents."""
    entities.rewrite_all(store)
    facts.summarise(store)


def build_store(paths: Iterable[str | Path], store_path: str | Path, **options) -> tuple[BuildReport, Store]:
    """Build into the store ``store_path`` (a folder or a SPARQL server URL) and return it open.

    A store folder is written by one build at a time (:class:`~kg.store.lock.StoreLock`). An
    existing store is updated batch by batch, each batch in one transaction; on a server, each
    document's graph is replaced whole by one request. A new store folder is bulk-loaded in a
    ``.partial`` folder beside it and moved into place only once complete, so an interrupted
    build never leaves a half-written store behind, and one that no document could be built
    into (every input failed) is not created: a RunError says so.
    """
    if is_url(store_path):
        store = Store(store_path)
        return build(paths, store, **options), store
    store_path = Path(store_path)
    with StoreLock(store_path):
        if store_path.exists():
            store = Store(store_path)
            return build(paths, store, **options), store
        partial = store_path.with_name(store_path.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        store = Store(partial, bulk=True)
        try:
            report = build(paths, store, **options)
            report.created = True
            store.close()
            if not report.documents:  # every input failed: no store rather than an empty one
                raise RunError(f"no document could be built, so no store was created at {store_path}")
        except BaseException:
            del store
            shutil.rmtree(partial, ignore_errors=True)
            raise
        partial.rename(store_path)
    return report, Store(store_path)


def _reporting(report: BuildReport, on_error: Callable[[str], None]) -> Callable[[str], None]:
    def fail(line: str) -> None:
        report.failed.append(line)
        on_error(line)
    return fail


def _same_sources(store: Store, batch: list[Built], fail: Callable[[str], None]) -> list[Built]:
    """The documents of ``batch`` whose id the store holds for no other file.

    Ids come from file names, so two files of the same name in different folders would replace
    each other across builds. A document already in the store keeps its place unless the new
    one comes from the same file: the same path, or one path ending with the other (the same
    file named from another folder).
    """
    if not batch:
        return batch
    values = " ".join(str(ox.Literal(b.document_id)) for b in batch)
    stored = {row["id"].value: row["source"].value for row in store.select(
        f"SELECT ?id ?source {{ VALUES ?id {{ {values} }} ?doc <{graph.KG._NS}documentId> ?id ; "
        f"<{graph.KG._NS}sourceFile> ?source }}")}
    kept = []
    for built in batch:
        before = stored.get(built.document_id)
        if before is None or _same_file(before, built.file):
            kept.append(built)
        else:
            fail(f"{built.source}: document id {built.document_id!r} is already in the store from {before}; "
                 "kept that one (ids come from file names: rename one, or build with --replace-moved if "
                 "this is the same document moved)")
    return kept


def _same_file(a: str, b: str) -> bool:
    parts_a, parts_b = PurePosixPath(a).parts, PurePosixPath(b).parts
    shorter = min(len(parts_a), len(parts_b))
    return parts_a[-shorter:] == parts_b[-shorter:]


def _write(store: Store, batch: list[Built]) -> int:
    """Write the documents of ``batch`` whose graph the store does not already hold as it is,
    and return how many: a graph records the digest of the N-Quads it was written from, so an
    unchanged document costs one lookup."""
    iris = {b.document_id: graph.document_graph_iri(b.document_id) for b in batch}
    held = _digests(store, list(iris.values()))
    changed = [b for b in batch if held.get(iris[b.document_id]) != b.digest]
    if changed:
        data = b"".join(b.nquads + graph.digest_nquads(iris[b.document_id], b.digest) for b in changed)
        store.replace_graphs([iris[b.document_id] for b in changed], data, derive=_derived(store))
    return len(changed)


def _derived(store: Store) -> Derive:
    """The update that brings graph:entities and graph:facts up to date with a change."""
    return lambda change: " ;\n".join(filter(None, (entities.update_for(store, change), facts.update_for(change))))


def _write_reference_graphs(store: Store) -> None:
    """The ontology and the knowledge base, rewritten when they differ from what the store holds
    (an upgrade of kg, an edited entity file), so they stay current."""
    data, digest = _reference_data()
    if _digests(store, [graph.KB_GRAPH]).get(graph.KB_GRAPH) != digest:
        store.replace_graphs([graph.ONTOLOGY_GRAPH, graph.KB_GRAPH], data + graph.digest_nquads(graph.KB_GRAPH, digest),
                             derive=_derived(store))


@functools.cache
def _reference_data() -> tuple[bytes, str]:
    """The ontology's and the knowledge base's N-Quads and their digest, made once per process
    (a process that adds documents one at a time pays for them once)."""
    data = graph.ontology_nquads(str(ONTOLOGY_FILE)) + graph.kb_nquads(load_kb())
    return data, hashlib.sha1(data).hexdigest()


def _digests(store: Store, graph_iris: list[str]) -> dict[str, str]:
    """The digest of the data each of ``graph_iris`` was written from, where the store holds one."""
    if not graph_iris:
        return {}
    return {row["g"].value: row["digest"].value for row in store.select(graph.digests_query(graph_iris))}
