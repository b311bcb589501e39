"""Errors a user can act on. The CLI prints them as one line, never as a traceback."""

from __future__ import annotations

import unicodedata

# Characters that would break a message's line or its printing: controls (C0, DEL, C1,
# including the newline), lone surrogates (which stderr cannot encode), line separators.
_UNPRINTABLE = {"Cc", "Cs", "Zl", "Zp"}
# os.fsdecode turns each byte of a file name that is not UTF-8 into U+DC80..U+DCFF.
_ESCAPED_BYTES = range(0xDC80, 0xDD00)


class KgError(Exception):
    """A problem with the user's input or settings, with what to do about it."""


class InputError(KgError):
    """One input file (or one line of it) could not be read as a document.

    ``source`` and ``reason`` keep their text as given; the message shows each unprintable
    character as an escape, so a file named with a newline still gives one line.

    >>> str(InputError("bad\\nname.txt", "empty file"))
    'bad\\\\nname.txt: empty file'
    """

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{printable(source)}: {printable(reason)}")
        self.source = source
        self.reason = reason


def printable(text: str) -> str:
    """``text`` with each unprintable character as a Python escape; bytes of a file name that
    is not UTF-8 as ``\\xNN``, as ``ls -b`` shows them.

    >>> printable("caf\\udce9\\ttab\\u2028.txt")
    'caf\\\\xe9\\\\ttab\\\\u2028.txt'
    """
    if text.isprintable():  # the common case, without a pass per character
        return text
    return "".join(_escape(char) if unicodedata.category(char) in _UNPRINTABLE else char for char in text)


def _escape(char: str) -> str:
    if ord(char) in _ESCAPED_BYTES:
        return f"\\x{ord(char) - 0xDC00:02x}"
    return char.encode("unicode_escape").decode("ascii")
