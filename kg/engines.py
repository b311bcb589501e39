"""Where extraction runs: in this machine's processes, or on a Dask cluster.

An engine turns the files under the paths of a build into :class:`~kg.workers.Built`
documents, in the order :func:`kg.ingest.files` lists them, and reports the inputs that give
none through ``fail``. The build writes what it yields to the store the same way whatever the
engine, so the documents' graphs do not depend on where they were extracted.

Dask was chosen over Ray and Spark because it is a pip-installed Python library that runs the
same code on a laptop's processes (a ``LocalCluster``) and on a cluster (``dask-scheduler``
with workers, on Kubernetes or HPC through dask-kubernetes and dask-jobqueue), with no JVM and
no service of its own to run; extraction is a pure function of a file, which is all it needs.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from kg.errors import InputError, KgError
from kg.ingest import Web, files, is_address, read_documents
from kg.model import Document
from kg.progress import Progress
from kg.workers import Built, build_documents, build_file, extract_all

if TYPE_CHECKING:
    from distributed import Client

Fail = Callable[[str], None]


class Engine(Protocol):
    def extract(self, paths: Iterable[str | Path], max_bytes: int, timeout: float, fail: Fail,
                progress: Progress, compact: bool = False, web: Web | None = None) -> Iterator[Built]:
        """Each document under ``paths`` extracted and serialised, in order, with ``compact``
        mentions or all of them; the inputs that give no document are passed to ``fail`` as
        one line each. The web addresses among ``paths`` are read by ``web`` in this process."""


@dataclass(frozen=True)
class Local:
    """Extraction in ``workers`` processes of this machine (default: up to 2; 1: in this process)."""

    workers: int | None = None

    def extract(self, paths: Iterable[str | Path], max_bytes: int, timeout: float, fail: Fail,
                progress: Progress, compact: bool = False, web: Web | None = None) -> Iterator[Built]:
        documents = progress.sending(_valid_documents(read_documents(paths, max_bytes, web), fail))
        return extract_all(documents, self.workers, timeout, compact)


@dataclass(frozen=True)
class Dask:
    """Reading and extraction on the workers of a Dask cluster: the one at ``scheduler``
    (``tcp://host:8786``), or a local cluster of ``workers`` processes.

    The workers read the files themselves, so the paths must name the same files on every
    worker (a shared folder); web addresses are fetched here, where the cache and the pause
    between requests to a host are kept, and their documents sent to the workers. The document
    time limit holds only where a worker runs tasks in its main thread; Dask's workers run them
    in threads, so there it is not enforced.
    """

    scheduler: str | None = None
    workers: int = 2
    in_flight: int = 64  # files sent ahead of the one being waited for, per worker

    def extract(self, paths: Iterable[str | Path], max_bytes: int, timeout: float, fail: Fail,
                progress: Progress, compact: bool = False, web: Web | None = None) -> Iterator[Built]:
        with self._client() as client:
            window = self.in_flight * max(1, len(client.scheduler_info(n_workers=-1)["workers"]))
            pending: deque = deque()
            for item in _work(paths, max_bytes, web or Web()):
                if isinstance(item, InputError):
                    fail(str(item))
                    continue
                if isinstance(item, Document):
                    pending.append(client.submit(build_documents, [item], timeout, compact, pure=False))
                else:
                    pending.append(client.submit(build_file, os.path.abspath(item[0]), item[1], max_bytes, timeout,
                                                 compact, pure=False))
                if len(pending) >= window:
                    yield from _results(pending.popleft(), fail)
            while pending:
                yield from _results(pending.popleft(), fail)

    @contextmanager
    def _client(self) -> Iterator[Client]:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise KgError("the Dask engine needs dask.distributed: pip install 'kg[dask]'") from None
        if self.scheduler:
            try:
                client = Client(self.scheduler, timeout="10s", set_as_default=False)
            except OSError as err:
                raise KgError(f"cannot reach the Dask scheduler at {self.scheduler} ({err})") from None
            with client:
                yield client
            return
        with LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True, dashboard_address=None,
                          host="127.0.0.1") as cluster, Client(cluster, set_as_default=False) as client:
            yield client


def engine(name: str, workers: int | None = None, scheduler: str | None = None) -> Engine:
    """The engine called ``name`` ("local" or "dask")."""
    if name == "local":
        if scheduler:
            raise KgError("--scheduler is for the Dask engine: add --engine dask")
        return Local(workers)
    if name == "dask":
        return Dask(scheduler, workers or 2)
    raise KgError(f"unknown engine {name!r}: local or dask")


def _work(paths: Iterable[str | Path], max_bytes: int, web: Web) -> Iterator[tuple[Path, str] | Document | InputError]:
    """The files under ``paths`` and the documents of their web addresses, in order."""
    for given in paths:
        yield from web.read(str(given), max_bytes) if is_address(given) else files([given])


def _results(future, fail: Fail) -> Iterator[Built]:
    for result in future.result():
        if isinstance(result, str):
            fail(result)
        else:
            yield result


def _valid_documents(items: Iterable[Document | InputError], fail: Fail) -> Iterator[Document]:
    for item in items:
        if isinstance(item, InputError):
            fail(str(item))
        else:
            yield item
