"""Sentence splitting with character offsets, by rule: fast, deterministic, no model.

A sentence ends at ``.``, ``!`` or ``?`` (with any closing quotes or brackets) followed by
white space and a capital letter, digit or opening quote, unless the word before the full
stop is a known abbreviation ("Mr.", "U.S.") or a single initial.

Many texts are wrapped at a fixed width (press statements, speeches, PDFs turned into text),
so a sentence runs on across a single line break, except where the break ends it:

- a blank line follows (a new paragraph; but not the blank lines of a page break, between a
  line without final punctuation and one that starts with a lower-case letter);
- the next line is a list item ("- ", "* ", "• ", "– ", "1. ", "1) ", "(a) ", "a) ", "iv. "),
  or the sentence is a list item and the next line is not indented;
- either line has no lower-case letter: a heading in capitals, page furniture
  ("A/70/PV.22 01/10/2015"), a separator ("* * *");
- the line ends with sentence-final punctuation, as mid-line (an abbreviation's full stop
  does not end a sentence: "the U.S.\\nGovernment");
- the line is a salutation ("Mr. President,", "Excellencies,") and the next line starts with
  a capital.

Otherwise the sentence runs on when the next line starts with a lower-case letter or the line
ends with a word or sign that cannot end a sentence ("of", "the", "and", "(", a hyphen or
dash). When the next line starts with a capital or a digit, it depends on the text. Wrapped
text (at most ``_WIDEST`` characters wide, most lines within a fifth of its width) runs on
unless the line had room for the next line's first word, which a wrapping tool would have put
there: a heading, an address, a paragraph's last line without final punctuation. Text whose
lines are whole paragraphs ends the sentence there, as it always did.

Text that runs on without such breaks (a transcript without punctuation, a list run together)
is cut at the last space or line break before ``MAX_SENTENCE`` characters: what is read
around a trigger stays a sentence's worth, and so does the evidence a relation carries.

A sentence's ``start`` and ``end`` index the original text and its ``text`` is exactly
``text[start:end]``, line breaks included: evidence is a verbatim quote that its offsets
prove. Whoever shows it on one line folds the white space (``kg.results.one_line``, HTML
does by itself, the scorer compares sentences with white space collapsed).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass

# A run of full stops is tried once, from its first ("....", dot leaders), not from each of them.
# The second branch is a line break with the white space after it (blank lines, indentation).
_BOUNDARY = re.compile(r"""(?<![.!?])[.!?]+['"’”)\]]*\s+(?=[A-Z0-9"“‘'(\[])|\n\s*""")
_LAST_WORD = re.compile(r"(\S+)$")
MAX_SENTENCE = 2000  # characters; the longest sentence of the UN General Debate corpus has 1,276
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof st no nos vol art para paras sr jr gen col lt capt sgt rev hon
    amb excellency h.e e.g i.e etc cf vs al fig jan feb mar apr jun jul aug sep sept oct
    nov dec u.s u.k u.n e.u u.s.a u.s.s.r inc ltd co corp""".split()
)

_FINAL = re.compile(r"""[.!?]+['"’”)\]]*$""")
_LIST_ITEM = re.compile(
    r"""[-*•–·▪◦‣●■➢►\ue000-\uf8ff]\s|[^\w\s]\t  # a bullet, or a symbol and a tab ("¥\t")
    |(?:\d{1,2}|[a-z]|[ivx]{1,5}|[IVX]{1,5})[.)]\s  # 1. 1) a) a. iv. IV.
    |\((?:\d{1,2}|[a-zA-Z]|[ivx]{1,5}|[IVX]{1,5})\)\s  # (1) (a) (iv)
    |\d{1,2}(?:\.\d{1,2})+\s+[A-Z]  # 2.1 Scope""",
    re.VERBOSE,
)
_NUMBER = re.compile(r"\s*\(?(?:\d{1,2}(?:\.\d{1,2})*|[ivxIVX]{1,5})")
# What cannot end a sentence, so that the next line goes on with it: "... of the\nUnited Nations".
_OPEN_END = re.compile(
    r"""(?:[(/&+=–—-]|\b(?:a|an|the|and|or|nor|but|of|to|in|on|at|by|for|from|with|without|into
    |onto|upon|about|against|between|among|amongst|through|towards?|under|over|within|across|via
    |than|as|that|which|who|whom|whose|where|when|while|whether|if|because|since|including|such
    |its|their|our|his|her|my|your|this|these|those|is|are|was|were|be|been|has|have|had|will
    |would|shall|should|can|could|may|might|must|not|very|both|each|every|per|Mr|Mrs|Ms|Dr))$""",
    re.VERBOSE | re.IGNORECASE,
)
_SALUTATION = re.compile(
    r"""['"“‘]?(?:Mr|Mrs|Ms|Madam|Madame|Mister|Sir|Your|His|Her|Their|Excellenc(?:y|ies)|Majest(?:y|ies)
    |Highness(?:es)?|Ladies|Gentlemen|Distinguished|Honou?rable|Dear|Fellow|Esteemed|Respected
    |Colleagues|Friends|Brothers|Sisters|Delegates|Heads|Members|Co-Chairs?)\b.*[,;:]$""",
    re.VERBOSE | re.IGNORECASE,
)
_MEASURE_SHARE = 0.9  # the text's width: the length that this share of its lines do not exceed
_NARROWEST = 20  # no text is wrapped narrower: shorter lines are a list or an address
_WIDEST = 160  # no text is wrapped wider: lines longer than this are paragraphs
_FULL_SHARE = 0.4  # in wrapped text most lines are full: all but the last of each paragraph
_ROOM = 0.85  # a line whose next word would fit within this share of the width had room for it


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def split_sentences(text: str) -> Iterator[Sentence]:
    """Yield the sentences of ``text`` with offsets, stripped of surrounding white space.

    >>> [s.text for s in split_sentences("The U.S. agreed. Mr. Lee left.\\nNext line")]
    ['The U.S. agreed.', 'Mr. Lee left.', 'Next line']
    >>> [s.text for s in split_sentences("A sentence wrapped\\nat a narrow width.\\n\\n- an item")]
    ['A sentence wrapped\\nat a narrow width.', '- an item']
    """
    start = 0
    lines = _Lines(text)
    for match in _BOUNDARY.finditer(text):
        if not _ends_sentence(text, match, start, lines):
            continue
        yield from _bounded(text, start, match.start() + len(match.group().rstrip()))
        start = match.end()
    yield from _bounded(text, start, len(text))


def _ends_sentence(text: str, match: re.Match[str], start: int, lines: _Lines) -> bool:
    """Whether the white space of ``match`` (after any final punctuation) ends the sentence
    begun at ``start``."""
    gap = match.group()
    punctuated = gap[0] in ".!?"
    if punctuated and _numbers_a_line(text, match.start()):
        return False
    breaks = gap.count("\n")
    if breaks == 0:
        return not (punctuated and _is_abbreviation(text, match.start()))
    newline = text.index("\n", match.start())
    if breaks > 1:  # a blank line: a new paragraph, unless a page break cut a sentence
        return not _page_break_inside(text, newline, match.end())
    if punctuated and not _is_abbreviation(text, match.start()):
        return True
    return _line_ends(text, newline, match.end(), start, lines)


def _line_ends(text: str, newline: int, following: int, start: int, lines: _Lines) -> bool:
    """Whether the single line break at ``newline`` ends the sentence begun at ``start``;
    the next line's text begins at ``following``."""
    line_start = text.rfind("\n", 0, newline) + 1
    line = text[line_start:newline].rstrip()
    next_end = text.find("\n", following)
    after = text[following : len(text) if next_end < 0 else next_end].rstrip()
    if not after or _LIST_ITEM.match(after):
        return True
    if not _has_lower(line) or (not _has_lower(after) and not _FINAL.search(after)):
        return True  # a heading in capitals, page furniture, a separator
    if final := _FINAL.search(line):
        return not _is_abbreviation(text, line_start + final.start())  # "the U.S.\nGovernment"
    if after.lstrip("'\"“‘([")[:1].islower():
        return False  # "... a line\nthat runs on"
    opens = start >= line_start and not text[line_start:start].strip()  # at the line's start
    if (opens or line[0].islower()) and _SALUTATION.match(line):
        return True  # "Mr. President,", "Excellencies,\nladies and gentlemen,"
    if _OPEN_END.search(line):
        return False  # "... of the\nUnited Nations"
    if following == newline + 1 and _LIST_ITEM.match(text, start):
        return True  # a list item's lines after the first are indented: this is not one of them
    return _had_room(line, after, lines.width())


def _page_break_inside(text: str, newline: int, following: int) -> bool:
    """Blank lines between a line without final punctuation and a line that starts with a
    lower-case letter: the page break of a document turned into text ("... the holding of an",
    blank lines, "independent referendum ...")."""
    line = text[text.rfind("\n", 0, newline) + 1 : newline].rstrip()
    after = text[following : following + 12]
    return (
        after[:1].islower()
        and _LIST_ITEM.match(after) is None
        and _has_lower(line)
        and _FINAL.search(line) is None
    )


def _had_room(line: str, after: str, width: int | None) -> bool:
    """Whether ``line`` had room for the first word of the next line: if so, the text was not
    wrapped there (a heading, an address, a paragraph's last line); with no width, the text's
    lines are whole paragraphs ("... the Gaza Strip", "I also salute ...")."""
    if width is None:
        return True
    return len(line) + 1 + len(after.split(None, 1)[0]) <= _ROOM * width


class _Lines:
    """The width a text is wrapped at, or None when it is not wrapped, measured when first asked.

    The width is the length that nine lines in ten do not exceed; the text is wrapped when it is
    no wider than ``_WIDEST`` and at least ``_FULL_SHARE`` of its lines are within a fifth of it.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._measured = False
        self._width: int | None = None

    def width(self) -> int | None:
        if not self._measured:
            self._measured = True
            lengths = sorted(len(line.rstrip()) for line in self._text.split("\n") if line.strip())
            if lengths:
                width = max(lengths[min(len(lengths) - 1, int(_MEASURE_SHARE * len(lengths)))], _NARROWEST)
                full = len(lengths) - bisect_left(lengths, 0.8 * width)
                if width <= _WIDEST and full >= _FULL_SHARE * len(lengths):
                    self._width = width
        return self._width


def _numbers_a_line(text: str, dot: int) -> bool:
    """The full stop of "1." or "IV." opening a line: a list item's or heading's number."""
    if dot == 0 or not text[dot - 1].isalnum():
        return False
    line_start = text.rfind("\n", 0, dot) + 1
    return dot - line_start <= 8 and _NUMBER.fullmatch(text, line_start, dot) is not None


def _has_lower(line: str) -> bool:
    return line != line.upper()


def _bounded(text: str, start: int, end: int) -> Iterator[Sentence]:
    """The sentence ``text[start:end]``, in pieces of at most ``MAX_SENTENCE`` characters."""
    while end - start > MAX_SENTENCE:
        cut = max(text.rfind(" ", start + 1, start + MAX_SENTENCE), text.rfind("\n", start + 1, start + MAX_SENTENCE))
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
