"""Turn a file's bytes into document text, or say in one line why they cannot be.

Only regular files are opened, and without waiting: a named pipe or a device named
``x.txt`` would otherwise block the batch or never end. At most ``max_bytes`` are read.

Text is UTF-8, or UTF-16/UTF-32 when a byte-order mark says so (Windows tools write those);
the mark is dropped. Decoding is strict: replacement characters for a wrong encoding
(Latin-1, cp1252) would silently corrupt every accented name, so undecodable bytes are an
error that says where. Nothing is guessed: UTF-16 without a mark, PDFs, images and
archives are named as what they are. Line endings become ``\\n``; nothing else in the text
changes here, since offsets index into it.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from kg.errors import InputError
from kg.model import DEFAULT_MAX_DOCUMENT_BYTES

# Byte-order marks, longest first (the UTF-32-LE mark starts with the UTF-16-LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32-LE"),
    (codecs.BOM_UTF32_BE, "UTF-32-BE"),
    (codecs.BOM_UTF8, "UTF-8"),
    (codecs.BOM_UTF16_LE, "UTF-16-LE"),
    (codecs.BOM_UTF16_BE, "UTF-16-BE"),
)
# Leading bytes of formats people save under a text extension by mistake.
_SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx, .xlsx or .epub file)"),
    (b"\xd0\xcf\x11\xe0", "a Microsoft Office 97-2003 document"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
)
_RAISE_LIMIT = "raise it with --max-document-size"
_SNIFF_BYTES = 4096  # enough to tell UTF-16 without a mark from binary data
_KINDS = {stat.S_IFDIR: "a folder", stat.S_IFIFO: "a named pipe", stat.S_IFSOCK: "a socket",
          stat.S_IFCHR: "a device", stat.S_IFBLK: "a device"}


def open_bytes(path: Path, source: str) -> BinaryIO:
    """The regular file at ``path`` opened for binary reading, or an InputError saying why not.

    The file is opened non-blocking and checked from its descriptor, so a named pipe is
    refused instead of waiting forever for a writer, and nothing can swap the file in between.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        raise InputError(source, _open_failure(path, error)) from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        kind = _KINDS.get(stat.S_IFMT(mode), "a special file")
        raise InputError(source, f"cannot read: {kind}, not a file")
    os.set_blocking(descriptor, True)
    return os.fdopen(descriptor, "rb")


def read_bytes(path: Path, source: str, max_bytes: int) -> bytes:
    """The file's bytes, or an InputError saying why they cannot be read or are too many."""
    with open_bytes(path, source) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > max_bytes:  # refused before reading
            raise InputError(source, over_limit(size, max_bytes))
        try:
            data = handle.read(max_bytes + 1)  # the size can lie (/proc) or grow while read
        except OSError as error:
            raise InputError(source, f"cannot read: {error.strerror or error}") from None
    if len(data) > max_bytes:
        raise InputError(source, over_limit(None, max_bytes))
    return data


def over_limit(size: int | None, max_bytes: int) -> str:
    """Why a document of ``size`` bytes (None: unknown) is refused, and how to allow it.

    >>> over_limit(48_012_345, 20_000_000)
    '48 MB is over the 20 MB limit per document; raise it with --max-document-size'
    """
    limit = format_size(max_bytes)
    if size is None:
        return f"larger than the {limit} limit per document; {_RAISE_LIMIT}"
    shown = format_size(size)
    if shown == limit:  # rounded, it would look equal to the limit
        shown = f"{size:,} bytes"
    return f"{shown} is over the {limit} limit per document; {_RAISE_LIMIT}"


def format_size(size: int) -> str:
    """``20_000_000`` -> ``"20 MB"``, ``1_536`` -> ``"1.54 KB"``, ``12`` -> ``"12 bytes"``."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} bytes"


def decode(data: bytes, source: str) -> str:
    """Strict text with normalised line endings; InputError for empty, binary or undecodable data."""
    if not data:
        raise InputError(source, "empty file")
    encoding, skipped = text_encoding(data)
    if encoding == "UTF-8" and (kind := binary_kind(data)):
        raise InputError(source, f"not a text file: {kind}")
    try:
        text = data[skipped:].decode(encoding)
    except UnicodeDecodeError as error:
        at = error.start + skipped
        raise InputError(source, f"not valid {encoding} at byte {at} ({error.reason}): "
                                 "if it is text, save it as UTF-8") from None
    if not text.strip():
        raise InputError(source, "empty file (whitespace only)")
    return normalize_newlines(text)


def text_encoding(data: bytes) -> tuple[str, int]:
    """The encoding a byte-order mark declares and the mark's length; UTF-8 and 0 without one."""
    return next(((name, len(bom)) for bom, name in _BOMS if data.startswith(bom)), ("UTF-8", 0))


def binary_kind(data: bytes) -> str | None:
    """What non-UTF-8 data is, from its first bytes: a known format, UTF-16 without a
    byte-order mark, or binary (NUL bytes); None when it may be UTF-8 text.

    >>> binary_kind(b"%PDF-1.7"), binary_kind("Accra".encode("utf-16-le")), binary_kind(b"Accra")
    ('a PDF document, convert it to text first', 'UTF-16-LE text without a byte-order mark, save it as UTF-8', None)
    """
    for signature, name in _SIGNATURES:
        if data.startswith(signature):
            return f"{name}, convert it to text first"
    if b"\0" not in data:
        return None
    head = data[:_SNIFF_BYTES]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd > len(head) // 4 and even <= odd // 8:  # mostly ASCII, a NUL after each: "A\0c\0"
        return "UTF-16-LE text without a byte-order mark, save it as UTF-8"
    if even > len(head) // 4 and odd <= even // 8:
        return "UTF-16-BE text without a byte-order mark, save it as UTF-8"
    return "binary data (contains NUL bytes)"


def normalize_newlines(text: str) -> str:
    """Replace Windows and old Mac line endings with ``\\n``."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: str | Path, source: str | None = None, max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES) -> str:
    """The text of one file as the pipeline sees it (raises InputError)."""
    path = Path(path)
    source = source or path.as_posix()
    return decode(read_bytes(path, source, max_bytes), source)


def _open_failure(path: Path, error: OSError) -> str:
    """Why ``path`` cannot be opened, in the user's terms."""
    if error.errno == errno.ENOENT and path.is_symlink():
        return f"cannot read: broken link (its target {os.readlink(path)} does not exist)"
    if error.errno == errno.ELOOP:
        return "cannot read: a loop of symbolic links"
    return f"cannot read: {error.strerror or error}"
