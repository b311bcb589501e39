"""Plain-text and Markdown files: a UN speech, a captured web page, or one publication."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from kg.errors import InputError
from kg.ingest.decode import DEFAULT_MAX_DOCUMENT_BYTES, read_text
from kg.ingest.pages import has_content, is_page, is_title, split_page
from kg.ingest.ungd import is_ungd, speech
from kg.model import Document

MARKDOWN_SUFFIXES = (".md", ".markdown")


def read(path: Path, source: str, max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES) -> Iterator[Document]:
    """The documents of one ``.txt``/``.md`` file (raises InputError if it cannot be read)."""
    text = read_text(path, source, max_bytes)
    if is_ungd(path):
        yield speech(path, source, text)
        return
    if not has_content(text):
        raise InputError(source, "no text found (only navigation words)")
    if is_page(text):  # a page's title comes from its main block, after any navigation
        title = title_of(path, text) if path.suffix.lower() in MARKDOWN_SUFFIXES else None
        yield from split_page(Document(id=path.stem, text=text, source=source, title=title))
    else:
        yield Document(id=path.stem, text=text, source=source, title=title_of(path, text))


def title_of(path: Path, text: str) -> str | None:
    """The first ``# `` heading of Markdown; the first line of text if it reads as a title.

    >>> title_of(Path("a.md"), "Intro\\n# The New Space Race\\n")
    'The New Space Race'
    """
    lines = text.split("\n")
    if path.suffix.lower() in MARKDOWN_SUFFIXES:
        return next((line[2:].strip() for line in lines if line.startswith("# ")), None)
    first = lines[0].strip()
    return first if len(lines) > 1 and is_title(first) else None
