"""Errors a user can act on. The CLI prints them as one line, never as a traceback."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable

# Characters that would break a message's line or its printing: controls (C0, DEL, C1,
# including the newline), lone surrogates (which stderr cannot encode), line separators.
_UNPRINTABLE = {"Cc", "Cs", "Zl", "Zp"}
# os.fsdecode turns each byte of a file name that is not UTF-8 into U+DC80..U+DCFF.
_ESCAPED_BYTES = range(0xDC80, 0xDD00)


# Exit statuses of every command (README, "Commands"): what was typed is wrong, or the run failed.
USAGE = 2
FAILED = 1


class KgError(Exception):
    """A problem with the user's input or settings, with what to do about it: a name, path,
    store, term or query that names nothing or does not parse. The command exits with ``USAGE``."""

    exit_status = USAGE


class RunError(KgError):
    """The command was understood but could not be carried out: a store locked by a build, a
    server that cannot be reached or fails, a build that wrote nothing. Exits with ``FAILED``."""

    exit_status = FAILED


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


def exit_status_for_http(status: int) -> int:
    """The exit status of a command that answered one HTTP request (``kg serve --get``): a
    refused request (4xx) is a usage error, a failed one (5xx) a failed run.

    >>> [exit_status_for_http(s) for s in (200, 404, 503)]
    [0, 2, 1]
    """
    return USAGE if 400 <= status < 500 else FAILED if status >= 500 else 0


def did_you_mean(wanted: str, names: Iterable[str], n: int = 5) -> str:
    """``"; did you mean A, B?"`` with the names closest to ``wanted`` (case, spacing and "&"
    against "and" aside), or ``""`` when none is close.

    >>> did_you_mean("Belt & Road", ["Belt and Road Initiative", "Bay of Bengal"])
    "; did you mean 'Belt and Road Initiative'?"
    """
    by_key: dict[str, str] = {}
    for name in names:
        by_key.setdefault(_name_key(name), name)
    close = difflib.get_close_matches(_name_key(wanted), list(by_key), n=n, cutoff=0.6)
    return "; did you mean " + ", ".join(repr(by_key[key]) for key in close) + "?" if close else ""


def _name_key(name: str) -> str:
    return " ".join(name.casefold().replace("&", " and ").split())
