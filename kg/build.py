"""The main job: documents in, named graphs in the store out.

Documents stream from ingestion to a pool of worker processes (:mod:`kg.workers`) that extract
and serialise each one; the parent writes them to the store in batches, each batch in one
transaction, replacing each document's graph. A bad input, a document that fails or runs over its time limit, is
reported in one line and skipped; the rest goes through.
"""

from __future__ import annotations

import shutil
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path, PurePosixPath

import pyoxigraph as ox

from kg import facts, graph
from kg.errors import InputError, printable
from kg.extract.kb import load_kb
from kg.ingest import DEFAULT_MAX_DOCUMENT_BYTES, read_documents
from kg.model import DOCUMENT_TIMEOUT, BuildReport, Document
from kg.progress import Progress
from kg.resources import ONTOLOGY_FILE
from kg.store import Store, is_url
from kg.store.lock import StoreLock
from kg.workers import Built, extract_all

_BATCH = 256  # documents per write: bigger batches load faster, smaller ones overlap more
_BATCH_BYTES = 16 << 20  # N-Quads per write, so a batch of long documents stays small in memory


def build(
    paths: Iterable[str | Path],
    store: Store,
    *,
    workers: int | None = None,
    document_timeout: float = DOCUMENT_TIMEOUT,
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES,
    replace_moved: bool = False,
    on_error: Callable[[str], None] = lambda line: None,
    progress: Progress | None = None,
) -> BuildReport:
    """Extract every document under ``paths`` into ``store``; returns what was built and what failed.

    A document whose id the store already holds from another file is refused, unless
    ``replace_moved`` (the file is the same document, moved or renamed with its folder).

    Until the build ends, graph:facts says it is stale (``kg:stale``): a build that is
    interrupted leaves it so, and the next one rewrites it with the merged labels.
    """
    report = BuildReport()
    progress = progress or Progress()
    _write_reference_graphs(store)
    facts.mark_stale(store)
    sources: dict[str, str] = {}

    def fail(line: str) -> None:
        report.failed.append(line)
        on_error(line)

    documents = progress.sending(_valid_documents(read_documents(paths, max_document_bytes), fail))
    batch: list[Built] = []
    batch_bytes = 0
    # One writer thread: the store loads a batch (releasing the GIL) while the next is extracted.
    with ThreadPoolExecutor(max_workers=1) as writer:
        pending: deque[Future[None]] = deque()

        def flush(batch: list[Built]) -> None:
            kept = batch if replace_moved else _same_sources(store, batch, fail)
            report.documents += len(kept)
            pending.append(writer.submit(_write, store, kept))
            while len(pending) > 1:  # at most one batch waiting behind the one being written
                pending.popleft().result()

        for built in extract_all(documents, workers, document_timeout):
            progress.extracted()
            if built.error:
                fail(f"{printable(built.source)}: {printable(built.document_id)}: {printable(built.error)}")
                continue
            if built.document_id in sources:
                fail(f"{built.source}: document id {built.document_id!r} is also used by {sources[built.document_id]}; "
                     "kept the first (the id comes from the file name: rename one)")
                continue
            sources[built.document_id] = built.source
            batch.append(built)
            batch_bytes += len(built.document_nquads) + len(built.entity_nquads)
            if len(batch) >= _BATCH or batch_bytes >= _BATCH_BYTES:
                flush(batch)
                batch, batch_bytes = [], 0
        flush(batch)
        progress.stage = "writing"
        for future in pending:
            future.result()
    progress.stage = "summarising"
    store.update(graph.unmentioned_entities_update())
    _merge_entity_labels(store)
    facts.summarise(store)
    store.flush()
    return report


def build_store(paths: Iterable[str | Path], store_path: str | Path, **options) -> tuple[BuildReport, Store]:
    """Build into the store ``store_path`` (a folder or a SPARQL server URL) and return it open.

    A store folder is written by one build at a time (:class:`~kg.store.lock.StoreLock`). An
    existing store is updated batch by batch, each batch in one transaction; on a server, each
    document's graph is replaced whole by one request. A new store folder is bulk-loaded in a
    ``.partial`` folder beside it and moved into place only once complete, so an interrupted
    build never leaves a half-written store behind.
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
            store.close()
        except BaseException:
            del store
            shutil.rmtree(partial, ignore_errors=True)
            raise
        partial.rename(store_path)
    return report, Store(store_path)


def _valid_documents(items: Iterable[Document | InputError], fail: Callable[[str], None]) -> Iterator[Document]:
    for item in items:
        if isinstance(item, InputError):
            fail(str(item))
        else:
            yield item


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
        if before is None or _same_file(before, built.source):
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


def _write(store: Store, batch: list[Built]) -> None:
    if batch:
        data = b"".join(part for b in batch for part in (b.document_nquads, b.entity_nquads))
        store.replace_graphs([graph.document_graph_iri(b.document_id) for b in batch], data)


_LABELS = f"""
    SELECT ?e ?label (COUNT(?m) AS ?n) {{
      {{ SELECT ?e {{ GRAPH <{graph.ENTITIES_GRAPH}> {{ ?e <{graph.RDFS}label> ?l }} }} GROUP BY ?e HAVING (COUNT(?l) > 1) }}
      GRAPH <{graph.ENTITIES_GRAPH}> {{ ?e <{graph.RDFS}label> ?label }}
      OPTIONAL {{ ?m <{graph.KG._NS}mentionOf> ?e ; <{graph.KG._NS}surfaceForm> ?label }}
    }} GROUP BY ?e ?label"""


def _merge_entity_labels(store: Store) -> None:
    """Give each entity found in several documents under several spellings one label."""
    labels: dict[str, dict[str, int]] = {}
    for row in store.select(_LABELS):
        labels.setdefault(row["e"].value, {})[row["label"].value] = int(row["n"].value)
    if labels:
        store.update(graph.label_merge_update(labels))


def _write_reference_graphs(store: Store) -> None:
    """The ontology and the knowledge base, rewritten on every build so they stay current."""
    data = graph.ontology_nquads(str(ONTOLOGY_FILE)) + graph.kb_nquads(load_kb())
    store.replace_graphs([graph.ONTOLOGY_GRAPH, graph.KB_GRAPH], data)
