"""The lists a document's knowledge-base matches stand in: "Florida, Georgia and Texas".

An ambiguous name is read by the names listed with it. The lists are found in one pass over
the matches and each one's readings are counted once, so that a long list (a table run
together) costs its length, not its length for each ambiguous name in it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from functools import cached_property

from kg.extract.gazetteer import Hit

_LIST_LINK = re.compile(r"\s*(?:,|,?\s*(?:and|or))\s*(?:the\s+)?")


class Lists:
    """The lists of one document's matches; ``readings`` counts what one match names."""

    def __init__(self, hits: list[Hit], text: str, readings: Callable[[Hit], Counter[str]]) -> None:
        self._hits = hits
        self._text = text
        self._readings = readings
        self._totals: dict[int, Counter[str]] = {}

    def listed_with(self, index: int) -> Counter[str]:
        """What the matches joined to ``hits[index]`` by commas, "and" or "or" name, counted."""
        start, end = self._bounds[index]
        if start not in self._totals:
            total: Counter[str] = Counter()
            for hit in self._hits[start:end]:
                total.update(self._readings(hit))
            self._totals[start] = total
        return self._totals[start] - self._readings(self._hits[index])

    @cached_property
    def _bounds(self) -> list[tuple[int, int]]:
        """For each match, the indices (start, end) of the matches of its list, itself included."""
        hits, text = self._hits, self._text
        firsts = [0] * len(hits)
        for i in range(1, len(hits)):
            linked = _LIST_LINK.fullmatch(text, hits[i - 1].end, hits[i].start)
            firsts[i] = firsts[i - 1] if linked else i
        bounds, end = [], len(hits)
        for i in reversed(range(len(hits))):
            bounds.append((firsts[i], end))
            if firsts[i] == i:
                end = i
        return bounds[::-1]
