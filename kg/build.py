"""The main job: documents in, named graphs in the store out.

Documents stream from ingestion to a pool of worker processes that extract and serialise each
one; the parent writes them to the store in batches, one transaction per batch, replacing each
document's graph. A bad input is reported and skipped; the rest of the batch goes through.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg import facts, graph
from kg.errors import InputError
from kg.extract.extractor import Extractor
from kg.extract.kb import load_kb
from kg.ingest import read_documents
from kg.model import BuildReport, Document, Extraction
from kg.resources import ONTOLOGY_FILE
from kg.store import Store, is_url

_BATCH = 256  # documents per write: bigger batches load faster, smaller ones overlap more
_extractor: Extractor | None = None


@dataclass(frozen=True)
class _Built:
    """One document, extracted and serialised by a worker."""

    document_id: str
    source: str
    document_nquads: bytes = b""
    entity_nquads: bytes = b""
    error: str = ""  # why the document could not be extracted


def build(
    paths: Iterable[str | Path],
    store: Store,
    *,
    workers: int | None = None,
    on_error: Callable[[str], None] = lambda line: None,
) -> BuildReport:
    """Extract every document under ``paths`` into ``store``; returns what was built and what failed."""
    report = BuildReport()
    _write_reference_graphs(store)
    sources: dict[str, str] = {}

    def fail(line: str) -> None:
        report.failed.append(line)
        on_error(line)

    documents = _valid_documents(read_documents(paths), fail)
    batch: list[_Built] = []
    # One writer thread: the store loads a batch (releasing the GIL) while the next is extracted.
    with ThreadPoolExecutor(max_workers=1) as writer:
        pending: deque[Future[None]] = deque()
        for built in _extract_all(documents, workers):
            if built.error:
                fail(f"{built.source}: {built.document_id}: extraction failed ({built.error}); please report it")
                continue
            if built.document_id in sources:
                fail(f"{built.source}: document id {built.document_id!r} is also used by {sources[built.document_id]}; kept the first")
                continue
            sources[built.document_id] = built.source
            batch.append(built)
            if len(batch) >= _BATCH:
                pending.append(writer.submit(_write, store, batch))
                batch = []
                while len(pending) > 1:  # at most one batch waiting behind the one being written
                    pending.popleft().result()
        pending.append(writer.submit(_write, store, batch))
        for future in pending:
            future.result()
    _merge_entity_labels(store)
    facts.summarise(store)
    store.flush()
    report.documents = len(sources)
    return report


def build_store(paths: Iterable[str | Path], store_path: str | Path, **options) -> tuple[BuildReport, Store]:
    """Build into the store ``store_path`` (a folder or a SPARQL server URL) and return it open.

    An existing store is updated document by document, each in a transaction; on a server,
    each document's graph is replaced whole by one request. A new store folder is bulk-loaded
    in a ``.partial`` folder beside it and moved into place only once complete, so an
    interrupted build never leaves a half-written store behind.
    """
    if is_url(store_path):
        store = Store(store_path)
        return build(paths, store, **options), store
    store_path = Path(store_path)
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


def extract_document(document: Document) -> Extraction:
    """Extract one document in this process (the extractor is built once per process)."""
    global _extractor
    if _extractor is None:
        _extractor = Extractor(load_kb())
    return _extractor.extract(document)


def _valid_documents(items: Iterable[Document | InputError], fail: Callable[[str], None]) -> Iterator[Document]:
    for item in items:
        if isinstance(item, InputError):
            fail(str(item))
        else:
            yield item


def _extract_all(documents: Iterator[Document], workers: int | None) -> Iterator[_Built]:
    workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    if workers <= 1:
        yield from map(_extract_and_serialise, documents)
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(_extract_and_serialise, documents, chunksize=4)


def _extract_and_serialise(document: Document) -> _Built:
    """Extract and serialise one document; a failure is returned, not raised, so the rest of
    the batch goes on."""
    try:
        extraction = extract_document(document)
    except Exception as err:  # noqa: BLE001 - a bug on one document must not stop the batch
        return _Built(document.id, document.source, error=f"{type(err).__name__}: {err}")
    return _Built(
        document_id=document.id,
        source=document.source,
        document_nquads=graph.document_nquads(extraction),
        entity_nquads=graph.discovered_entity_nquads(extraction),
    )


def _write(store: Store, batch: list[_Built]) -> None:
    if batch:
        data = b"".join(b.document_nquads + b.entity_nquads for b in batch)
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
