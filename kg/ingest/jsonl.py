"""JSON Lines: one document per line, ``{"id": ..., "text": ..., "title": ...}``.

A bad line yields an InputError named ``path:LINE`` and the other lines still go through.
The file is read line by line, so it may be any size; a line over the per-document limit is
skipped in pieces without being held. The file must be UTF-8, as JSON Lines requires.
A record is refused when a field read is ambiguous (given twice) or unusable (an id that
is not printable text, a date that is not one); characters in text fields are repaired
afterwards like any document's (:mod:`kg.ingest.characters`).
"""

from __future__ import annotations

import codecs
import datetime
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from kg.errors import InputError
from kg.ingest.characters import id_problem
from kg.ingest.decode import (
    DEFAULT_MAX_DOCUMENT_BYTES,
    binary_kind,
    normalize_newlines,
    open_bytes,
    over_limit,
    text_encoding,
)
from kg.model import DOCUMENT_TYPES, Document

REQUIRED = ("id", "text")
OPTIONAL = ("title", "url", "date", "publisher", "author", "type")
_PIECE = 1 << 16  # bytes read at a time while skipping a line over the limit
# An ISO 8601 date, to the year, month or day, possibly with a time, which is dropped.
_DATE = re.compile(
    r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)?)?"
)
_SHOWN_CHARS = 40  # of a bad value quoted in a message
_JSON_TYPES = {dict: "an object", list: "an array", str: "a string", bool: "true or false", float: "a number",
               type(None): "null"}


class _DuplicateKey(ValueError):
    """A JSON object names one of the fields read twice: which value is meant is unclear."""


def read(path: Path, source: str, max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES) -> Iterator[Document | InputError]:
    """A Document for each line, an InputError for each line that is not one."""
    with open_bytes(path, source) as handle:
        yield from _read_lines(handle, source, max_bytes)


def read_stream(handle: BinaryIO, source: str,
                max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES) -> Iterator[Document | InputError]:
    """:func:`read` of JSON Lines already open (a fetched body)."""
    return _read_lines(handle, source, max_bytes)


def _read_lines(handle: BinaryIO, source: str, max_bytes: int) -> Iterator[Document | InputError]:
    """Documents and line errors of an open JSONL file; offsets count bytes for messages."""
    offset = 0
    found = False
    for number, raw in enumerate(_lines(handle, max_bytes), start=1):
        where = f"{source}:{number}"
        if isinstance(raw, int):  # the length of a line over the limit
            offset += raw + 1
            found = True
            yield InputError(where, over_limit(raw, max_bytes))
            continue
        start, offset = offset, offset + len(raw)
        if number == 1:
            _check_encoding(raw, source)
        if raw.startswith(codecs.BOM_UTF8):  # on any line: files may have been concatenated
            raw, start = raw[len(codecs.BOM_UTF8) :], start + len(codecs.BOM_UTF8)
        if b"\0" in raw:
            yield InputError(where, "binary data (contains NUL bytes)")
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            yield InputError(where, f"not valid UTF-8 at byte {start + error.start} ({error.reason}): "
                                    "save the file as UTF-8")
            continue
        if line.strip():
            found = True
            yield _document(line, where, source)
    if not found:
        raise InputError(source, "empty file" if offset == 0 else "empty file (whitespace only)")


def _lines(handle: BinaryIO, max_bytes: int) -> Iterator[bytes | int]:
    """Each line of the file, or for a line over ``max_bytes`` (newline aside) its length.

    A long line is read in pieces and dropped, so it is never held whole."""
    while raw := handle.readline(max_bytes + 1):
        if len(raw) <= max_bytes or raw.endswith(b"\n"):
            yield raw
            continue
        length, piece = len(raw), raw
        while not piece.endswith(b"\n") and (piece := handle.readline(_PIECE)):
            length += len(piece)
        yield length - 1 if piece.endswith(b"\n") else length


def _check_encoding(first_line: bytes, source: str) -> None:
    """Raise an InputError if the file's first line shows it is not UTF-8 text."""
    encoding, _ = text_encoding(first_line)
    if encoding != "UTF-8":
        raise InputError(source, f"{encoding} text: JSON Lines must be UTF-8, save the file as UTF-8")
    if kind := binary_kind(first_line):
        raise InputError(source, f"not a text file: {kind}")


def _document(line: str, where: str, source: str) -> Document | InputError:
    """The Document of one JSON line, or the InputError saying what is wrong with it."""
    try:
        # Numbers are parsed as floats: no field read is a number, and a long integer would
        # cost quadratic time or overflow Python's digit limit. Raw control characters in a
        # string (a tab pasted into a text) are let through, to be repaired like escaped ones.
        record = json.loads(line.rstrip(), parse_int=float, object_pairs_hook=_object, strict=False)
    except _DuplicateKey as error:
        return InputError(where, f"field '{error}' is given twice: keep one")
    except json.JSONDecodeError as error:
        return InputError(where, f"invalid JSON ({error.msg} at column {error.colno})")
    except RecursionError:
        return InputError(where, "invalid JSON (nested too deeply for the parser)")
    if not isinstance(record, dict):
        return InputError(where, f"expected a JSON object, got {_json_type(record)}")
    fields = {name: record[name] for name in (*REQUIRED, *OPTIONAL) if record.get(name) is not None}
    problem = _problem(fields)
    if problem is not None:
        return InputError(where, problem)
    fields.update(id=fields["id"].strip(), text=normalize_newlines(fields["text"]))
    if "date" in fields:
        fields["date"] = iso_date(fields["date"])
    return Document(source=source, **fields)


def _problem(fields: dict[str, Any]) -> str | None:
    """What is wrong with the fields of a record, or None."""
    for name in REQUIRED:
        if name not in fields:
            return f"missing required field '{name}'"
    for name, value in fields.items():
        if not isinstance(value, str):
            return f"field '{name}' must be a string, got {_json_type(value)}"
    for name in REQUIRED:
        if not fields[name].strip():
            return f"field '{name}' is empty"
    if fields.get("type", DOCUMENT_TYPES[0]) not in DOCUMENT_TYPES:
        return f"field 'type' must be one of {', '.join(DOCUMENT_TYPES)} (got {_shown(fields['type'])})"
    if "date" in fields and iso_date(fields["date"]) is None:
        return f"field 'date' must be an ISO 8601 date, YYYY, YYYY-MM or YYYY-MM-DD (got {_shown(fields['date'])})"
    return id_problem(fields["id"].strip())


def iso_date(value: str) -> str | None:
    """The date of an ISO 8601 date or date-time, to the day at most; None if it is none.

    A date that only looks like one ("2023-13-45") would be typed xsd:date and break every
    tool that reads the value, so it is no date.

    >>> iso_date("2023-09-19T10:00:00Z"), iso_date("2023-09"), iso_date("2023-02-30"), iso_date("19/09/2023")
    ('2023-09-19', '2023-09', None, None)
    """
    match = _DATE.fullmatch(value.strip())
    if match is None:
        return None
    year, month, day = match.group("year", "month", "day")
    try:
        datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    return "-".join(part for part in (year, month, day) if part)


def _shown(value: str) -> str:
    """``value`` quoted for a message, cut if long."""
    return repr(value if len(value) <= _SHOWN_CHARS else value[:_SHOWN_CHARS] + "…")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object; raises _DuplicateKey if it names a field that is read twice."""
    record = dict(pairs)
    if len(record) < len(pairs):
        names = [name for name, _ in pairs]
        for name in (*REQUIRED, *OPTIONAL):
            if names.count(name) > 1:
                raise _DuplicateKey(name)
    return record


def _json_type(value: object) -> str:
    return _JSON_TYPES[type(value)]
