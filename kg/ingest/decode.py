"""Turn a file's bytes into document text, or say in one line why they cannot be.

Decoding is strict UTF-8 (a leading byte-order mark is dropped): a replacement character
would silently corrupt names and shift nothing visible, so undecodable bytes are an error.
Line endings become ``\\n``; nothing else in the text changes, since offsets index into it.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import BinaryIO

from kg.errors import InputError


def open_bytes(path: Path, source: str) -> BinaryIO:
    """The file opened for binary reading, or an InputError saying why it cannot be."""
    if path.is_symlink() and not path.exists():
        raise InputError(source, "cannot read: broken link")
    try:
        return path.open("rb")
    except OSError as error:
        raise InputError(source, f"cannot read: {error.strerror or error}") from None


def read_bytes(path: Path, source: str) -> bytes:
    """The file's bytes, or an InputError saying why they cannot be read."""
    with open_bytes(path, source) as handle:
        try:
            return handle.read()
        except OSError as error:
            raise InputError(source, f"cannot read: {error.strerror or error}") from None


def decode(data: bytes, source: str) -> str:
    """Strict UTF-8 text with normalised line endings; InputError for empty or binary data."""
    if not data:
        raise InputError(source, "empty file")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(source, "UTF-16 text: save the file as UTF-8")
    if b"\0" in data:
        raise InputError(source, "binary file (contains NUL bytes)")
    skipped = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        text = data[skipped:].decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(source, f"not valid UTF-8 at byte {error.start + skipped}") from None
    if not text.strip():
        raise InputError(source, "empty file (whitespace only)")
    return normalize_newlines(text)


def normalize_newlines(text: str) -> str:
    """Replace Windows and old Mac line endings with ``\\n``."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: str | Path, source: str | None = None) -> str:
    """The text of one file as the pipeline sees it (raises InputError)."""
    path = Path(path)
    source = source or path.as_posix()
    return decode(read_bytes(path, source), source)
