"""Ingestion: files, folders and web addresses in, :class:`~kg.model.Document` objects out.

One reader per format behind one interface, ``read(path, source, max_bytes)``, yielding
documents (and, for JSONL, per-line errors). :func:`read_documents` walks folders lazily in
sorted order and turns every failure into an InputError in the stream, so one bad file never
stops a batch. Every document leaves with characters that every output can carry
(:mod:`kg.ingest.characters`), and no file or JSON line over ``max_bytes`` is read whole.
Web addresses are fetched and read by the same readers (:mod:`kg.ingest.web`).

>>> from kg.resources import SAMPLE_DIR
>>> docs = list(read_documents([SAMPLE_DIR / "web"]))
>>> [doc.type for doc in docs]
['Chapter', 'Article', 'Article', 'Article', 'Article']
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kg.errors import InputError
from kg.ingest import html, jsonl, pdf, text
from kg.ingest.address import is_address
from kg.ingest.characters import name_problem, repaired
from kg.ingest.decode import DEFAULT_MAX_DOCUMENT_BYTES, read_text
from kg.ingest.web import Web
from kg.model import Document

Reader = Callable[[Path, str, int], Iterator[Document | InputError]]
READERS: dict[str, Reader] = {
    ".txt": text.read,
    ".md": text.read,
    ".markdown": text.read,
    ".html": html.read,
    ".htm": html.read,
    ".jsonl": jsonl.read,
    ".pdf": pdf.read,
}

__all__ = ["DEFAULT_MAX_DOCUMENT_BYTES", "READERS", "Web", "file_name", "files", "is_address", "read_documents",
           "read_file", "read_text"]


def read_documents(
    paths: Iterable[str | Path], max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES, web: Web | None = None
) -> Iterator[Document | InputError]:
    """Documents of the given files and folders (recursively), one at a time, in sorted order,
    and of the web addresses among them (strings such as ``"https://…"``, read by ``web``).

    In a folder, hidden entries and files of unsupported types are skipped; a file named
    directly must be of a supported type. A file, or a JSON line, of more than ``max_bytes``
    is refused. Failures are yielded as InputError, not raised.
    """
    for given in paths:
        if is_address(given):
            web = web or Web()
            yield from web.read(str(given), max_bytes)
            continue
        for item in files([given]):
            yield from (item,) if isinstance(item, InputError) else read_file(*item, max_bytes=max_bytes)


def files(paths: Iterable[str | Path]) -> Iterator[tuple[Path, str] | InputError]:
    """Each file :func:`read_documents` would read, with its name in the graph, without reading
    it: what an engine that reads files on other machines distributes. ``paths`` holds no web
    address."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for found in _walk(path):
                yield (found, file_name(path, found)) if isinstance(found, Path) else found
        else:
            yield path, path.name


def file_name(given: Path, found: Path) -> str:
    """The name of ``found``, under the folder ``given`` to the build, in the graph: its path
    from the folder above ``given`` ("sample/ungd/CHN_76_2021.txt" for ``examples/sample``), the
    same whether the folder was named relative or absolute, from any working folder."""
    root = Path(os.path.abspath(given))
    return Path(os.path.abspath(found)).relative_to(root.parent).as_posix()


def read_file(path: str | Path, name: str | None = None,
              max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES) -> Iterator[Document | InputError]:
    """Documents of one file, or the InputError saying why it gives none. ``name`` is the
    file's name in the graph (kg:sourceFile; default: the file's own name)."""
    path = Path(path)
    source = path.as_posix()
    name = name or path.name
    if not os.path.lexists(path):  # before the type: a mistyped folder name has no suffix
        yield InputError(source, "no such file or folder")
        return
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        supported = ", ".join(sorted(READERS))
        yield InputError(source, f"unsupported file type '{path.suffix}' (supported: {supported})")
        return
    if problem := name_problem(source):
        yield InputError(source, problem)
        return
    try:
        for item in reader(path, source, max_bytes):
            yield dataclasses.replace(repaired(item), file=name) if isinstance(item, Document) else item
    except InputError as error:
        yield error
    except Exception as error:  # noqa: BLE001 - a bug on one file must not stop the batch
        yield InputError(source, f"cannot be read ({type(error).__name__}: {error}); please report it")


def _walk(top: Path) -> Iterator[Path | InputError]:
    """Supported files under ``top``, depth first in name order, each real folder once.

    A stack of folder listings, not recursion: a tree may nest deeper than Python's limit.
    """
    visited: set[tuple[int, int]] = set()
    listings: list[Iterator[Path]] = [iter([top])]
    while listings:
        entry = next(listings[-1], None)
        if entry is None:
            listings.pop()
        elif entry.is_dir():
            listing = _listing(entry, visited)
            if isinstance(listing, InputError):
                yield listing
            else:
                listings.append(iter(listing))
        elif entry.suffix.lower() in READERS:
            yield entry


def _listing(folder: Path, visited: set[tuple[int, int]]) -> list[Path] | InputError:
    """The entries of ``folder`` in name order, hidden ones aside; none if it was seen before.

    A folder is known by its device and inode, one ``stat``: ``realpath`` would check every
    folder above it again, which costs minutes in a tree a thousand folders deep.
    """
    try:
        info = folder.stat()
        if (info.st_dev, info.st_ino) in visited:
            return []
        visited.add((info.st_dev, info.st_ino))
        return sorted((entry for entry in folder.iterdir() if not entry.name.startswith(".")), key=lambda e: e.name)
    except OSError as error:
        return InputError(folder.as_posix(), f"cannot read folder: {error.strerror or error}")
