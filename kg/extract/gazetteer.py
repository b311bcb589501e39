"""Find knowledge-base names in text: case-sensitive, whole words, longest match first.

The names live in a character trie (nested dicts) walked in Python from each place a name may
start; a small regex finds those places (a word start followed by the first letters of some
name). Building it takes a few tens of milliseconds, where one regex of every name took a fifth
of a second to write and compile, and finding stays linear in the length of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain

from kg.extract.kb import SurfaceForm
from kg.extract.trie import trie_pattern

# How many leading characters of a name the start-finding regex checks: more finds fewer false
# starts ("Rep" starts "Republic of Korea" and "Report") but makes a longer regex to compile.
_PREFIX = 4
_WORD_INSIDE = re.compile(r"\b\w")
_SPACES = re.compile(r"\s+")
_HYPHEN_SPACES = re.compile(r"-\s+")
_UNFOLDED = re.compile(r"[^\S ]|\s\s|-\s")  # what fold changes: white space other than one " ", any after "-"


def fold(matched: str) -> str:
    """The form a match spells, with its line breaks and broken hyphens folded.

    >>> fold("Guinea-\\nBissau"), fold("Papua\\nNew  Guinea")
    ('Guinea-Bissau', 'Papua New Guinea')
    """
    if _UNFOLDED.search(matched) is None:
        return matched
    return _SPACES.sub(" ", _HYPHEN_SPACES.sub("-", matched))


def normalize(text: str) -> str:
    """Text as the matcher sees it: curly apostrophes made straight (so offsets hold)."""
    return text.replace("’", "'").replace("‘", "'")


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    forms: tuple[SurfaceForm, ...]  # every knowledge-base reading of the matched string


class Gazetteer:
    """Matches a fixed set of surface forms in text.

    A name's space matches any run of white space ("Papua\\nNew  Guinea") and its hyphen may
    be followed by one white-space character ("Guinea-\\nBissau"); a name is found only as a
    whole word: neither side touches a word character or "&".

    >>> from kg.extract.kb import SurfaceForm
    >>> names = Gazetteer(SurfaceForm(t, t, "name", False) for t in ["Guinea", "Guinea-Bissau", "Niger"])
    >>> [(h.start, h.end, h.forms[0].text) for h in names.find("Guinea-\\nBissau, not Nigeria; Niger")]
    [(0, 14, 'Guinea-Bissau'), (29, 34, 'Niger')]
    """

    def __init__(self, forms: Iterable[SurfaceForm]) -> None:
        # Keyed by the folded spelling, which is what ``fold`` makes of any match: a name written
        # "Papua  New\nGuinea" is found as "Papua New Guinea", and the walk never has to choose.
        by_text: dict[str, list[SurfaceForm]] = {}
        for form in forms:
            by_text.setdefault(fold(normalize(form.text)), []).append(form)
        self._forms = {text: tuple(group) for text, group in by_text.items()}
        self._trie = _trie(text for text in self._forms if text)
        # The character before a place where a name may start: ASCII-only, so cheap to test
        # (``_joins`` then rules out the non-ASCII letters it lets through).
        prefixes = trie_pattern(sorted({_prefix(text) for text in self._forms}))
        self._after = re.compile(f"[^a-zA-Z0-9_&](?={prefixes})") if prefixes else None

    def __contains__(self, text: str) -> bool:
        return normalize(text) in self._forms

    def find(self, text: str) -> Iterator[Hit]:
        """Yield non-overlapping hits, left to right; ``text`` must be normalized."""
        if self._after is None:
            return
        position = 0
        for start in chain((0,), (m.end() for m in self._after.finditer(text))):
            if start < position or (start and _joins(text[start - 1])):
                continue
            end = _longest(self._trie, text, start)
            if end < 0:
                continue
            start, end = self._compound(text, start, end)
            matched = text[start:end]  # its own key unless broken across lines
            yield Hit(start, end, self._forms.get(matched) or self._forms[fold(matched)])
            position = end

    def _compound(self, text: str, start: int, end: int) -> tuple[int, int]:
        """"Republic of Guinea-Conakry": a hyphenated name that starts inside the match and
        runs past it wins over the shorter, earlier one."""
        if not text.startswith("-", end):
            return start, end
        for word in _WORD_INSIDE.finditer(text, start, end):
            inner = word.start()
            if inner == 0 or not _joins(text[inner - 1]):
                longer = _longest(self._trie, text, inner)
                if longer > end:
                    return inner, longer
        return start, end


def _joins(char: str) -> bool:
    """True if a name cannot end or start next to ``char`` (the regex ``[\\w&]``)."""
    return char.isalnum() or char == "_" or char == "&"


def _trie(texts: Iterable[str]) -> dict:
    """Nested dicts, one level a character; the key "" (never a character of text) marks the
    end of a name."""
    root: dict = {}
    for text in texts:
        node = root
        for char in text:
            child = node.get(char)
            if child is None:
                child = node[char] = {}
            node = child
        node[""] = True
    return root


def _prefix(text: str) -> str:
    """The first ``_PREFIX`` characters of a name, or its first word and the letter after it
    when that word is short ("the A", "UN S"): "the" alone would start a name at every "the"."""
    space = text.find(" ", 0, _PREFIX + 1)
    return text[: max(_PREFIX, space + 2)] if space > 0 else text[:_PREFIX]


def _longest(root: dict, text: str, start: int) -> int:
    """The end of the longest name starting at ``start`` that ends a word, or -1.

    Names are folded (single spaces, nothing after a hyphen), so the walk never has to choose:
    a space takes the whole run of white space, a hyphen the one white-space character after
    it. Only a name ending in a space or hyphen may end inside that run instead.
    """
    node, i, n, end = root, start, len(text), -1
    while True:
        if "" in node and (i == n or not _joins(text[i])):
            end = i
        if i == n:
            return end
        char = text[i]
        child = node.get(char)
        if child is None:
            if not char.isspace() or (child := node.get(" ")) is None:
                return end
            char = " "
        node, i = child, i + 1
        if char == " ":
            run = i - 1
            while i < n and text[i].isspace():
                i += 1
            if "" in node and i - run > 1:
                end = i - 1
        elif char == "-" and i < n and text[i].isspace():
            if "" in node:
                end = i
            i += 1
