"""Find knowledge-base names in text: case-sensitive, whole words, longest match first."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kg.extract.kb import SurfaceForm
from kg.extract.trie import trie_pattern

# Curly apostrophes are matched as straight ones; both are one character, so offsets hold.
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'"})


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
        for match in self._regex.finditer(text):
            yield Hit(match.start(), match.end(), self._forms[match.group()])
