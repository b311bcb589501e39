"""Sentence splitting with character offsets, by rule: fast, deterministic, no model.

A sentence ends at a line break, or at ``.``, ``!`` or ``?`` (with any closing quotes or
brackets) followed by white space and a capital letter, digit or opening quote, unless the
word before the full stop is a known abbreviation ("Mr.", "U.S.") or a single initial.
Text that runs on without such breaks (a transcript without punctuation, a list run together)
is cut at the last space before ``MAX_SENTENCE`` characters: what is read around a trigger
stays a sentence's worth, and so does the evidence a relation carries.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# A run of full stops is tried once, from its first ("....", dot leaders), not from each of them.
_BOUNDARY = re.compile(r"""(?<![.!?])[.!?]+['"’”)\]]*\s+(?=[A-Z0-9"“‘'(\[])|\n+""")
_LAST_WORD = re.compile(r"(\S+)$")
MAX_SENTENCE = 2000  # characters; the longest sentence of the UN General Debate corpus has 1,276
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof st no nos vol art para paras sr jr gen col lt capt sgt rev hon
    amb excellency h.e e.g i.e etc cf vs al fig jan feb mar apr jun jul aug sep sept oct
    nov dec u.s u.k u.n e.u u.s.a u.s.s.r inc ltd co corp""".split()
)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def split_sentences(text: str) -> Iterator[Sentence]:
    """Yield the sentences of ``text`` with offsets, stripped of surrounding white space.

    >>> [s.text for s in split_sentences("The U.S. agreed. Mr. Lee left.\\nNext line")]
    ['The U.S. agreed.', 'Mr. Lee left.', 'Next line']
    """
    start = 0
    for match in _BOUNDARY.finditer(text):
        if match.group().startswith((".", "!", "?")) and _is_abbreviation(text, match.start()):
            continue
        yield from _bounded(text, start, match.start() + len(match.group().rstrip()))
        start = match.end()
    yield from _bounded(text, start, len(text))


def _bounded(text: str, start: int, end: int) -> Iterator[Sentence]:
    """The sentence ``text[start:end]``, in pieces of at most ``MAX_SENTENCE`` characters."""
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + 1, start + MAX_SENTENCE)
        cut = cut if cut > start else start + MAX_SENTENCE
        yield from _stripped(text, start, cut)
        start = cut
    yield from _stripped(text, start, end)


def _is_abbreviation(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    word = _LAST_WORD.search(text, max(0, dot - 20), dot)
    if word is None:
        return False
    token = word.group(1).lstrip("(\"'“‘").lower()
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def _stripped(text: str, start: int, end: int) -> Iterator[Sentence]:
    chunk = text[start:end]
    left = len(chunk) - len(chunk.lstrip())
    right = len(chunk.rstrip())
    if right > left:
        yield Sentence(start + left, start + right, chunk[left:right])
