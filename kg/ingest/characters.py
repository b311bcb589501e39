"""Keep every string of a Document to characters that every output can carry.

A Python string may hold characters that no output accepts: UTF-8 cannot encode a lone
surrogate (a JSON escape such as ``"\\udc80"`` gives one), so N-Quads, JSON and HTML fail on
it, and XML 1.0 (GraphML, GEXF, SPARQL XML results) also refuses NUL and the other C0
controls except tab, newline and carriage return, and U+FFFE and U+FFFF.

What to do depends on the field:

- Text and descriptive fields (title, url, date, publisher, author, ...) are repaired, one
  character for one, so that evidence offsets stay those of the text the user sees. Vertical
  tab and form feed, the line and page breaks of word processors and pdftotext, become a
  newline; every other such character becomes U+FFFD, which marks in the evidence where a
  character was lost. The repair is silent: one bad character does not make a document
  worth refusing, and reporting it would fail the build's exit status for a document that
  was built.
- A document id is refused instead (see :func:`id_problem`): it names the document's graph
  and IRI and is what a user types (``kg viz --doc ID``); a repaired id would be neither what
  the user wrote nor safe from colliding with another.
- A path is refused likewise (see :func:`name_problem`): the document's id and source come from it.

C1 controls and the noncharacters outside the Basic Multilingual Plane are legal in XML 1.0,
and stay in text fields as they are.
"""

from __future__ import annotations

import re
from dataclasses import fields, replace

from kg.errors import printable
from kg.model import Document

# The complement of XML 1.0's Char production: what no output format carries.
_UNWRITABLE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LINE_BREAKS = {"\v": "\n", "\f": "\n"}
# In a name, also no control character at all (tab, newline, DEL, C1) nor a line separator:
# a name is typed, printed on one line and compared.
_UNNAMEABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
MAX_ID_CHARS = 1000  # the id is repeated in the IRI of every statement about the document


def repair(text: str) -> str:
    """``text`` with each character that an output would refuse replaced by one character.

    >>> repair("Page 1\\fPage 2 \\x00 \\udc80")
    'Page 1\\nPage 2 \\ufffd \\ufffd'
    """
    if _UNWRITABLE.search(text) is None:  # the common case: one scan, the same string back
        return text
    return _UNWRITABLE.sub(lambda match: _LINE_BREAKS.get(match[0], "\ufffd"), text)


def repaired(document: Document) -> Document:
    """``document`` with every string field repaired (its id and source are checked before)."""
    changes = {}
    for field in fields(document):
        value = getattr(document, field.name)
        if isinstance(value, str) and (fixed := repair(value)) is not value:
            changes[field.name] = fixed
    return replace(document, **changes) if changes else document


def id_problem(document_id: str) -> str | None:
    """Why ``document_id`` cannot name a document, or None when it can.

    Slashes, spaces and punctuation are fine: the IRI percent-encodes them.

    >>> id_problem("reports/2023 #4"), id_problem("a\\x1bb")
    (None, "field 'id' holds the unprintable character U+001B: ids must be printable text")
    """
    if len(document_id) > MAX_ID_CHARS:
        return f"field 'id' is {len(document_id)} characters long, over {MAX_ID_CHARS}: use a shorter key"
    if match := _UNNAMEABLE.search(document_id):
        return f"field 'id' holds the unprintable character U+{ord(match[0]):04X}: ids must be printable text"
    return None


def name_problem(path: str) -> str | None:
    """Why a file at ``path`` cannot be read as documents because of its name, or None."""
    if match := _UNNAMEABLE.search(path):
        char = match[0]
        if "\udc80" <= char <= "\udcff":  # how os.fsdecode keeps a byte that is not UTF-8
            return f"the path holds a byte that is not UTF-8 ({printable(char)}): rename the file or its folder"
        return f"the path holds the unprintable character U+{ord(char):04X}: rename the file or its folder"
    return None

