"""Extraction in worker processes: each document extracted and serialised within its time limit.

A document that fails, runs over its time or out of memory comes back as a :class:`Built` with
the one-line reason, never as an exception, so the rest of the batch goes on. Extraction is
a pure function of the document, so the workers share nothing but the knowledge base, loaded
once per process.
"""

from __future__ import annotations

import dataclasses
import hashlib
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import chain, islice
from typing import TypeVar

from kg import graph
from kg.errors import InputError
from kg.extract.extractor import Extractor
from kg.extract.kb import load_kb
from kg.ingest import read_file
from kg.model import Document, Extraction

T = TypeVar("T")
_FEW = 8  # documents one process extracts sooner than a pool of workers starts and loads the knowledge base
_extractor: Extractor | None = None


@dataclass(frozen=True)
class Built:
    """One document, extracted and serialised by a worker."""

    document_id: str
    source: str  # the path as given, for messages
    file: str = ""  # its name in the graph (kg:sourceFile)
    nquads: bytes = b""
    digest: str = ""  # SHA-1 of ``nquads``: a graph written from the same N-Quads need not be written again
    error: str = ""  # why the document could not be extracted
    seconds: float = 0.0  # what extracting and serialising it took


class DocumentTimeout(Exception):
    """One document ran over its time limit."""


def extract_document(document: Document) -> Extraction:
    """Extract one document in this process (the extractor is built once per process)."""
    global _extractor
    if _extractor is None:
        _extractor = Extractor(load_kb())
    return _extractor.extract(document)


def extract_all(documents: Iterator[Document], workers: int | None, timeout: float,
                compact: bool = False) -> Iterator[Built]:
    """Each document extracted and serialised, in order, by ``workers`` processes (default: up
    to 2; 1: in this process), each within ``timeout`` seconds; ``compact`` mentions (see
    :func:`kg.graph.document_nquads`)."""
    workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    work = _TimedExtraction(timeout, compact)
    first = list(islice(documents, _FEW))
    if workers <= 1 or len(first) < _FEW:
        yield from map(work, chain(first, documents))
        return
    # Workers leave Ctrl-C to the parent, which stops them: a worker that dies of it would
    # leave the pool waiting for its result.
    with multiprocessing.get_context("fork").Pool(workers, initializer=signal.signal,
                                                   initargs=(signal.SIGINT, signal.SIG_IGN)) as pool:
        yield from pool.imap(work, chain(first, documents), chunksize=4)


def build_file(path: str, name: str, max_bytes: int, timeout: float, compact: bool = False) -> list[Built | str]:
    """Read one file and extract each of its documents: what an engine's worker does with a
    file (:mod:`kg.engines`). Plain data in and out, so it travels to any process; a file that
    cannot be read comes back as its error line."""
    work = _TimedExtraction(timeout, compact)
    return [str(item) if isinstance(item, InputError) else work(item) for item in read_file(path, name, max_bytes)]


def build_documents(documents: list[Document], timeout: float, compact: bool = False) -> list[Built | str]:
    """Extract documents read elsewhere (from web addresses): :func:`build_file`'s work after
    the reading."""
    work = _TimedExtraction(timeout, compact)
    return [work(document) for document in documents]


@dataclass(frozen=True)
class _TimedExtraction:
    """Extract and serialise one document within ``timeout`` seconds; a failure is returned,
    not raised, so the rest of the batch goes on."""

    timeout: float
    compact: bool = False

    def __call__(self, document: Document) -> Built:
        def serialised() -> Built:
            extraction = extract_document(document)
            nquads = graph.document_nquads(extraction, self.compact)
            return Built(document.id, document.source, file, nquads, hashlib.sha1(nquads).hexdigest())

        file = document.file or document.source
        started = time.perf_counter()
        result = guarded(serialised, self.timeout)
        seconds = time.perf_counter() - started
        if isinstance(result, str):
            return Built(document.id, document.source, file, error=result, seconds=seconds)
        return dataclasses.replace(result, seconds=seconds)


def guarded(work: Callable[[], T], timeout: float) -> T | str:
    """``work()`` on one document, or the one-line reason it gave nothing: it ran over
    ``timeout`` seconds, out of memory, or into a bug."""
    try:
        with _time_limit(timeout):
            return work()
    except DocumentTimeout:
        return f"took over {timeout:g} s to extract, skipped; raise --document-timeout to let it finish"
    except MemoryError:
        return "ran out of memory while extracting, skipped; split the document"
    except Exception as err:  # noqa: BLE001 - a bug on one document must not stop the batch
        return f"extraction failed ({type(err).__name__}: {err}); please report it"


class _time_limit:
    """Raise DocumentTimeout in this thread after ``seconds`` (a SIGALRM timer: the main thread
    of a process only; elsewhere, no limit)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds if threading.current_thread() is threading.main_thread() else 0

    def __enter__(self) -> None:
        if self.seconds > 0:
            signal.signal(signal.SIGALRM, _raise_timeout)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(self, *exc: object) -> None:
        if self.seconds > 0:
            signal.setitimer(signal.ITIMER_REAL, 0)


def _raise_timeout(signum: int, frame: object) -> None:
    raise DocumentTimeout
