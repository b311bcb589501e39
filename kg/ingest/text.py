"""Plain-text and Markdown files: a UN speech, a captured web page, or one publication."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path, PurePath
from typing import Iterator

from kg.errors import InputError
from kg.ingest.decode import DEFAULT_MAX_DOCUMENT_BYTES, read_text
from kg.ingest.pages import has_content, is_page, is_title, split_page
from kg.ingest.ungd import is_ungd, speech
from kg.model import Document

MARKDOWN_SUFFIXES = (".md", ".markdown")


def read(path: Path, source: str, max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES) -> Iterator[Document]:
    """The documents of one ``.txt``/``.md`` file (raises InputError if it cannot be read)."""
    yield from documents(read_text(path, source, max_bytes), path, path.stem, source)


def documents(text: str, name: PurePath, doc_id: str, source: str) -> list[Document]:
    """The documents of ``text`` found under the file name ``name`` (which tells a UN speech
    and Markdown), with the id ``doc_id``: a file's or a fetched page's."""
    if is_ungd(name):
        return [replace(speech(name, source, text), id=doc_id)]
    if not has_content(text):
        raise InputError(source, "no text found (only navigation words)")
    if is_page(text):  # a page's title comes from its main block, after any navigation
        title = title_of(name, text) if name.suffix.lower() in MARKDOWN_SUFFIXES else None
        return split_page(Document(id=doc_id, text=text, source=source, title=title))
    return [Document(id=doc_id, text=text, source=source, title=title_of(name, text))]


def title_of(path: PurePath, text: str) -> str | None:
    """The first ``# `` heading of Markdown; the first line of text if it reads as a title.

    >>> title_of(Path("a.md"), "Intro\\n# The New Space Race\\n")
    'The New Space Race'
    """
    lines = text.split("\n")
    if path.suffix.lower() in MARKDOWN_SUFFIXES:
        return next((line[2:].strip() for line in lines if line.startswith("# ")), None)
    first = lines[0].strip()
    return first if len(lines) > 1 and is_title(first) else None
