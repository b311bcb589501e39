"""Split a captured web page into the publications it carries.

A page is recognised by its navigation lines (see :mod:`kg.ingest.boilerplate`). The first
block of content is the main publication; after a "related ..." marker, each title line
followed by a paragraph is the teaser of another publication. Every text is a slice of the
page text, so offsets into it remain offsets into the captured page.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import Iterator

from kg.ingest.boilerplate import Line, classify
from kg.model import Document

MIN_NAVIGATION_LINES = 2  # one stray "Share" in an article does not make it a page
MAX_TITLE_WORDS = 25
MAX_TITLE_CHARS = 200

_PUBLISHER = re.compile(
    r"\b(?:on|at|from|visit)\s+(?:the\s+)?(?P<name>[A-Z][\w&.\-]*(?:\s+[A-Z][\w&.\-]*){0,5})"
    r"['’]s\s+(?:website|site|web\s+site)\b"
)
_PART_OF = re.compile(r"\bthis\s+(?:chapter|section)\b[^:\n]*:\s*(?P<title>\S[^\n]*?)\s*$", re.I)


def lines(text: str) -> Iterator[Line]:
    """Each line of ``text`` (``\\n``-separated), classified."""
    pos = 0
    for raw in text.split("\n"):
        yield classify(text, pos, pos + len(raw))
        pos += len(raw) + 1


def has_content(text: str) -> bool:
    """True if ``text`` has a line that is not navigation."""
    return any(line.content for line in lines(text))


def is_page(text: str) -> bool:
    """True if ``text`` has the navigation lines of a captured web page."""
    count = 0
    for line in lines(text):
        count += line.navigation
        if count >= MIN_NAVIGATION_LINES:
            return True
    return False


def is_title(line: str) -> bool:
    """A title line is short, starts like a name and does not end like a sentence (``?`` may)."""
    line = line.strip()
    words = line.split()
    return (
        2 <= len(words) <= MAX_TITLE_WORDS
        and len(line) <= MAX_TITLE_CHARS
        and line[-1] not in ".!;,:"
        and (line[0].isupper() or line[0].isdigit() or line[0] in "\"“‘'")
    )


def slug(title: str) -> str:
    """Lower-case ASCII words joined by hyphens: ``"France’s Navy"`` -> ``"france-s-navy"``."""
    decomposed = unicodedata.normalize("NFKD", title)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", letters.lower()).strip("-")


def split_page(page: Document) -> list[Document]:
    """The main publication of ``page`` and the related publications it lists.

    ``page`` carries the whole page text and what is known of the page (id, source,
    publisher, ...). The main document keeps the page's id; a related one gets
    ``<page id>/<slug of its title>``. Returns ``[page]`` when no main block is found.
    """
    text = page.text
    classified = list(lines(text))
    main = _main_span(classified)
    if main is None:
        return [page]
    navigation = [text[line.start : line.end] for line in classified if line.navigation]
    publisher = page.publisher or _first_match(_PUBLISHER, navigation, "name")
    part_of = page.part_of or _first_match(_PART_OF, navigation, "title")
    start, end = main
    first_line = text[start:end].split("\n", 1)[0]
    main_document = replace(
        page,
        text=text[start:end],
        title=page.title or (first_line.strip() if is_title(first_line) else None),
        publisher=publisher,
        part_of=part_of,
        type="Chapter" if part_of else page.type,
    )
    return [main_document, *related(text, main_document)]


def related(text: str, page: Document) -> list[Document]:
    """The publications teased in ``text`` after a "related" marker.

    They are Articles from the same site as ``page``, with ids under ``page.id``.
    """
    documents: list[Document] = []
    seen = {page.id}
    for start, end in _teasers(text, list(lines(text))):
        title = text[start:end].split("\n", 1)[0].strip()
        doc_id = f"{page.id}/{slug(title)}"
        if doc_id not in seen:
            seen.add(doc_id)
            documents.append(
                Document(
                    id=doc_id,
                    text=text[start:end],
                    source=page.source,
                    title=title,
                    publisher=page.publisher,
                    type="Article",
                )
            )
    return documents


def _main_span(classified: list[Line]) -> tuple[int, int] | None:
    """Offsets of the first run of content lines, which ends at the first navigation line."""
    start = end = None
    for line in classified:
        if line.navigation and start is not None:
            break
        if line.content:
            start = line.content_start if start is None else start
            end = line.end
    return None if start is None or end is None else (start, end)


def _teasers(text: str, classified: list[Line]) -> Iterator[tuple[int, int]]:
    """Offsets of each title + abstract after the first "related" marker."""
    marker = next((i for i, line in enumerate(classified) if line.related), None)
    if marker is None:
        return
    # Content pieces, with None where a blank or navigation line separates them.
    pieces: list[tuple[int, int] | None] = [
        (line.content_start, line.end) if line.content else None for line in classified[marker:]
    ]
    i = 0
    while i < len(pieces):
        piece = pieces[i]
        i += 1
        if piece is None or not is_title(text[piece[0] : piece[1]]):
            continue
        j = i
        while j < len(pieces) and classified[marker + j].blank:
            j += 1  # blank lines between a title and its abstract
        abstract_end = None
        while j < len(pieces) and (body := pieces[j]) and not is_title(text[body[0] : body[1]]):
            abstract_end, j = body[1], j + 1
        if abstract_end is not None:
            yield piece[0], abstract_end
            i = j


def _first_match(pattern: re.Pattern[str], candidates: list[str], group: str) -> str | None:
    """The named group of the first candidate ``pattern`` matches."""
    for candidate in candidates:
        if match := pattern.search(candidate):
            return match.group(group).strip()
    return None
