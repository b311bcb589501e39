"""Acronyms a document defines for itself: "Global Development Initiative (GDI)".

The long form is the shortest run of capitalised words before the brackets whose initials
spell the acronym (in order, allowing skipped words); lower-case phrases such as
"renewable energy (RE)" are not names and define nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.extract.names import JOIN, NOT_AFTER_CAPITAL, SP, WORD

_DEFINITION = re.compile(
    rf"{NOT_AFTER_CAPITAL}(?P<long>{WORD}(?:{SP}(?:{JOIN}{SP})*{WORD}){{0,9}}){SP}?\((?P<short>[A-Z][A-Za-z&.\-]{{0,10}}[A-Z0-9])\)"
)
_CAPITALS = re.compile(rf"{WORD}")


@dataclass(frozen=True)
class Definition:
    short: str
    long: str
    long_start: int
    long_end: int
    short_start: int
    short_end: int


def find_definitions(text: str) -> Iterator[Definition]:
    """Yield the acronym definitions in ``text``.

    >>> [(d.long, d.short) for d in find_definitions("the state of Jammu and Kashmir (J&K), not renewable energy (RE)")]
    [('Jammu and Kashmir', 'J&K')]
    """
    for match in _DEFINITION.finditer(text):
        short = match.group("short")
        letters = [c for c in short if c.isupper() or c.isdigit()]
        if len(letters) < 2:
            continue
        long_start = _long_form_start(match.group("long"), letters)
        if long_start is None:
            continue
        begin = match.start("long") + long_start
        yield Definition(
            short=short,
            long=re.sub(r"\s+", " ", text[begin : match.end("long")]),
            long_start=begin,
            long_end=match.end("long"),
            short_start=match.start("short"),
            short_end=match.end("short"),
        )


def _long_form_start(long: str, letters: list[str]) -> int | None:
    """Offset in ``long`` where the shortest spelled-out form of the acronym begins."""
    words = list(_CAPITALS.finditer(long))
    for first in range(len(words) - 1, -1, -1):
        candidate = words[first:]
        if candidate[0].group()[0] != letters[0]:
            continue
        initials = "".join(_initials(w.group()) for w in candidate)
        if _is_subsequence(letters, initials) and len(candidate) >= min(2, len(letters)):
            return candidate[0].start()
    return None


def _initials(word: str) -> str:
    """Initials of a capitalised word, counting hyphenated parts: "Non-Proliferation" gives "NP"."""
    return "".join(part[0].upper() for part in word.split("-") if part)


def _is_subsequence(letters: list[str], initials: str) -> bool:
    position = 0
    for letter in letters:
        position = initials.find(letter, position)
        if position < 0:
            return False
        position += 1
    return True
