"""Ingestion: files and folders in, :class:`~kg.model.Document` objects out.

One reader per format behind one interface, ``read(path, source)``, yielding documents (and,
for JSONL, per-line errors). :func:`read_documents` walks folders lazily in sorted order and
turns every failure into an InputError in the stream, so one bad file never stops a batch.

>>> from kg.resources import SAMPLE_DIR
>>> docs = list(read_documents([SAMPLE_DIR / "web"]))
>>> [doc.type for doc in docs]
['Chapter', 'Article', 'Article', 'Article', 'Article']
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kg.errors import InputError
from kg.ingest import html, jsonl, text
from kg.ingest.decode import read_text
from kg.model import Document

Reader = Callable[[Path, str], Iterator[Document | InputError]]
READERS: dict[str, Reader] = {
    ".txt": text.read,
    ".md": text.read,
    ".markdown": text.read,
    ".html": html.read,
    ".htm": html.read,
    ".jsonl": jsonl.read,
}

__all__ = ["READERS", "read_documents", "read_file", "read_text"]


def read_documents(paths: Iterable[str | Path]) -> Iterator[Document | InputError]:
    """Documents of the given files and folders (recursively), one at a time, in sorted order.

    In a folder, hidden entries and files of unsupported types are skipped; a file named
    directly must be of a supported type. Failures are yielded as InputError, not raised.
    """
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for found in _walk(path, set()):
                yield from read_file(found) if isinstance(found, Path) else (found,)
        else:
            yield from read_file(path)


def read_file(path: str | Path) -> Iterator[Document | InputError]:
    """Documents of one file, or the InputError saying why it gives none."""
    path = Path(path)
    source = path.as_posix()
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        supported = ", ".join(sorted(READERS))
        yield InputError(source, f"unsupported file type '{path.suffix}' (supported: {supported})")
        return
    try:
        yield from reader(path, source)
    except InputError as error:
        yield error


def _walk(folder: Path, visited: set[str]) -> Iterator[Path | InputError]:
    """Supported files under ``folder``, depth first in name order, each real folder once."""
    real = os.path.realpath(folder)
    if real in visited:
        return
    visited.add(real)
    try:
        entries = sorted(folder.iterdir(), key=lambda entry: entry.name)
    except OSError as error:
        yield InputError(folder.as_posix(), f"cannot read folder: {error.strerror or error}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk(entry, visited)
        elif entry.suffix.lower() in READERS:
            yield entry
