"""Find knowledge-base names in text: case-sensitive, whole words, longest match first."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kg.extract.kb import SurfaceForm
from kg.extract.trie import trie_pattern

# Curly apostrophes are matched as straight ones; both are one character, so offsets hold.
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'"})


def fold(matched: str) -> str:
    """The form a match spells, with its line breaks and broken hyphens folded."""
    return re.sub(r"\s+", " ", re.sub(r"-\s+", "-", matched))


def normalize(text: str) -> str:
    """Text as the matcher sees it (same length as ``text``)."""
    return text.translate(_APOSTROPHES)


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    forms: tuple[SurfaceForm, ...]  # every knowledge-base reading of the matched string


class Gazetteer:
    """Matches a fixed set of surface forms in text."""

    def __init__(self, forms: Iterable[SurfaceForm]) -> None:
        by_text: dict[str, list[SurfaceForm]] = {}
        for form in forms:
            by_text.setdefault(normalize(form.text), []).append(form)
        self._forms = {text: tuple(group) for text, group in by_text.items()}
        pattern = trie_pattern(sorted(self._forms))
        self._regex = re.compile(r"(?<![\w&])" + pattern + r"(?![\w&])") if pattern else None

    def __contains__(self, text: str) -> bool:
        return normalize(text) in self._forms

    def find(self, text: str) -> Iterator[Hit]:
        """Yield non-overlapping hits, left to right; ``text`` must be normalized."""
        if self._regex is None:
            return
        position = 0
        while (match := self._regex.search(text, position)) is not None:
            match = self._compound(text, match)
            yield Hit(match.start(), match.end(), self._forms[fold(match.group())])
            position = match.end()

    def _compound(self, text: str, match: re.Match[str]) -> re.Match[str]:
        """"Republic of Guinea-Conakry": a hyphenated name that starts inside the match and
        runs past it wins over the shorter, earlier one."""
        if not text.startswith("-", match.end()):
            return match
        for word in re.finditer(r"\b\w", match.group()):
            longer = self._regex.match(text, match.start() + word.start())
            if longer is not None and longer.end() > match.end():
                return longer
        return match
