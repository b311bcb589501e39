"""Navigation text of think-tank and news pages, kept as data, and a line classifier.

A captured page mixes the publication with menu words ("Share", "Available in:"), calls to
action (">> Download the full report ...") and lists of related publications. Captures often
glue a phrase to the next title ("Discover all our analysesJammu and Kashmir ..."), so a
phrase may also end where an upper-case letter follows without a space.
"""

from __future__ import annotations

from dataclasses import dataclass

# Lines made only of these phrases are navigation (compared case-insensitively).
NAVIGATION = (
    "accept", "accept all cookies", "accept cookies", "all rights reserved", "available in",
    "back to top", "contact us", "cookie policy", "cookie settings", "cookies",
    "discover more", "discover our other research centers and programs", "download",
    "download pdf", "download the report", "email", "facebook", "find out more", "follow us",
    "home", "learn more", "linkedin", "manage cookies", "menu", "newsletter", "print",
    "privacy policy", "read more", "regions and themes", "reject all",
    "related centers and programs",
    "related experts", "related topics", "search", "share", "share this", "share this page",
    "sign up", "sign up for our newsletter", "skip to main content", "subscribe",
    "subscribe to our newsletter", "tags", "terms of use", "topics", "twitter", "x",
)
# Phrases that announce a list of other publications (title + abstract teasers follow).
RELATED = (
    "discover all our analyses", "further reading", "latest analyses", "more analyses",
    "more from", "other publications", "read also", "read next", "recommended",
    "recommended reading", "related", "related analyses", "related articles", "related content",
    "related publications", "related reading", "related research", "see also",
    "you may also like",
)
# A line starting with one of these is a call to action, whatever follows.
ACTIONS = ("click here", "download ", "read more ", "read the full", "sign up ", "subscribe to")
MAX_ACTION_WORDS = 40
_PHRASES = sorted({*NAVIGATION, *RELATED}, key=len, reverse=True)
_MARKS = " \t>»›→•|*#-–—:"


@dataclass(frozen=True)
class Line:
    """One line of a page: offsets into the page text and what it holds.

    ``content_start`` is where publication text begins: ``start`` for a content line, ``end``
    for pure navigation, in between when a phrase is glued to a title.
    """

    start: int
    end: int
    content_start: int
    navigation: bool  # holds navigation (possibly followed by glued content)
    related: bool  # announces related publications

    @property
    def content(self) -> bool:
        return self.content_start < self.end

    @property
    def blank(self) -> bool:
        return not self.content and not self.navigation


def classify(text: str, start: int, end: int) -> Line:
    """Classify ``text[start:end]`` (one line without its newline)."""
    pos = start
    while pos < end and text[pos] in _MARKS:
        pos += 1
    if pos == end:
        return Line(start, end, end, navigation=False, related=False)
    lowered = text[pos:end].lower()
    if lowered.startswith(ACTIONS) and len(lowered.split()) <= MAX_ACTION_WORDS:
        return Line(start, end, end, navigation=True, related=False)
    found: list[str] = []
    while (phrase := _leading_phrase(text, pos, end)) is not None:
        found.append(phrase)
        pos += len(phrase)
        while pos < end and text[pos] in " \t:":
            pos += 1
    if not found:
        return Line(start, end, start, navigation=False, related=False)
    return Line(start, end, pos, navigation=True, related=any(p in RELATED for p in found))


def _leading_phrase(text: str, pos: int, end: int) -> str | None:
    """The longest phrase at ``pos`` that ends the line or is glued to a capitalised word."""
    for phrase in _PHRASES:
        stop = pos + len(phrase)
        if text[pos:stop].lower() != phrase:
            continue
        rest = text[stop:end]
        if not rest.strip(" \t:"):
            return phrase
        if " " in phrase and rest[0].isupper() and text[stop - 1].islower():
            return phrase
    return None
