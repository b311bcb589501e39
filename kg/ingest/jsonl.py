"""JSON Lines: one document per line, ``{"id": ..., "text": ..., "title": ...}``.

A bad line yields an InputError named ``path:LINE`` and the other lines still go through.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import BinaryIO, Iterator

from kg.errors import InputError
from kg.ingest.decode import normalize_newlines, open_bytes
from kg.model import DOCUMENT_TYPES, Document

REQUIRED = ("id", "text")
OPTIONAL = ("title", "url", "date", "publisher", "author", "type")


def read(path: Path, source: str) -> Iterator[Document | InputError]:
    """A Document for each line, an InputError for each line that is not one."""
    with open_bytes(path, source) as handle:
        yield from _read_lines(handle, source)


def _read_lines(handle: BinaryIO, source: str) -> Iterator[Document | InputError]:
    """Documents and line errors of an open JSONL file; offsets count bytes for messages."""
    offset = 0
    found = False
    for number, raw in enumerate(handle, start=1):
        start, offset = offset, offset + len(raw)
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw, start = raw[len(codecs.BOM_UTF8) :], start + len(codecs.BOM_UTF8)
        if b"\0" in raw:
            raise InputError(source, "binary file (contains NUL bytes)")
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            yield InputError(f"{source}:{number}", f"not valid UTF-8 at byte {start + error.start}")
            continue
        if line.strip():
            found = True
            yield _document(line, f"{source}:{number}", source)
    if not found:
        raise InputError(source, "empty file" if offset == 0 else "empty file (whitespace only)")


def _document(line: str, where: str, source: str) -> Document | InputError:
    """The Document of one JSON line, or the InputError saying what is wrong with it."""
    try:
        record = json.loads(line.strip())
    except json.JSONDecodeError as error:
        return InputError(where, f"invalid JSON ({error.msg} at column {error.colno})")
    if not isinstance(record, dict):
        return InputError(where, f"expected a JSON object, got {type(record).__name__}")
    for name in REQUIRED:
        if record.get(name) is None:
            return InputError(where, f"missing required field '{name}'")
    fields = {name: record[name] for name in (*REQUIRED, *OPTIONAL) if record.get(name) is not None}
    for name, value in fields.items():
        if not isinstance(value, str):
            return InputError(where, f"field '{name}' must be a string, got {type(value).__name__}")
    for name in REQUIRED:
        if not fields[name].strip():
            return InputError(where, f"field '{name}' is empty")
    if fields.get("type", DOCUMENT_TYPES[0]) not in DOCUMENT_TYPES:
        choices = ', '.join(DOCUMENT_TYPES)
        return InputError(where, f"field 'type' must be one of {choices} (got {fields['type']!r})")
    fields.update(id=fields["id"].strip(), text=normalize_newlines(fields["text"]))
    return Document(source=source, **fields)
