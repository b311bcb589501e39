"""The text of PDF pages in reading order, as paragraphs, with the page each part is on.

pdfminer.six gives each page's text lines with their positions and characters (fonts,
sizes). From them this module:

- drops running headers, footers and page numbers: lines in the top or bottom band of the
  page that are a page number, or whose words (digits aside) recur in that band on other pages;
- reads two-column pages column by column: lines wider than half the text area cut a page
  into bands (a heading over both columns), each band read left column then right column;
- detaches footnote markers (small raised digits or signs) from the words they follow, and
  sets footnotes (lines in a smaller font at the foot of the page) apart;
- joins lines into paragraphs: a paragraph ends at a larger gap, a first-line indent, a
  heading, or a short line before a column or page break; a word broken by a hyphen at a
  line end is joined again ("cooper-" + "ation"), a compound keeps its hyphen ("Indo-" +
  "Pacific").
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

BAND = 0.08  # top and bottom share of the page where running headers and footers sit
NOTE_RATIO = 0.88  # a line in a font this much smaller than the body's, low on the page: a footnote
HEADING_RATIO = 1.15  # a line in a font this much larger: a heading
MARKER_RATIO = 0.8  # a raised character this much smaller than its line: a footnote marker
MARKER_CHARS = set("0123456789*†‡§¹²³⁴⁵⁶⁷⁸⁹⁰")
_PAGE_NUMBER = re.compile(r"(?i)(?:page\s+)?[0-9ivxlc]+(?:\s*(?:of|/)\s*[0-9]+)?|-\s*\d+\s*-")


@dataclass
class Line:
    """One printed line, without its footnote markers."""

    text: str
    page: int  # 1-based
    x0: float
    x1: float
    y0: float  # baseline side; PDF y grows upwards
    y1: float
    size: float  # the font size most of its characters have
    markers: tuple[str, ...] = ()  # footnote markers it carried
    column: int = 0  # 0 left or only, 1 right, -1 over both
    heading: bool = False


@dataclass
class Page:
    """A page's lines, as pdfminer found them, and its size; ``images`` counts pictures."""

    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    images: int = 0


@dataclass
class Text:
    """Paragraphs joined by blank lines, and where each page's part starts: ``pages`` holds
    (offset, page) pairs, the page of ``text[offset:]`` up to the next pair."""

    text: str = ""
    pages: list[tuple[int, int]] = field(default_factory=list)

    def add(self, piece: str, page: int, separator: str) -> None:
        if self.text:
            self.text += separator
        if not self.pages or self.pages[-1][1] != page:
            self.pages.append((len(self.text), page))
        self.text += piece


def page_lines(layout, number: int) -> Page:
    """The lines of one pdfminer page layout (an ``LTPage``)."""
    from pdfminer.layout import LTChar, LTFigure, LTImage, LTTextBox, LTTextLine

    page = Page(number, layout.width, layout.height)

    def walk(item) -> None:
        if isinstance(item, LTTextLine):
            if (line := _line(item, number)) is not None:
                page.lines.append(line)
        elif isinstance(item, (LTTextBox, LTFigure)):
            for child in item:
                walk(child)
        if isinstance(item, LTImage) or (isinstance(item, LTFigure) and not any(isinstance(c, LTChar) for c in item)):
            page.images += 1

    for item in layout:
        walk(item)
    return page


def _line(item, number: int) -> Line | None:
    """A Line from a pdfminer text line, footnote markers taken out."""
    from pdfminer.layout import LTChar

    chars = [c for c in item if isinstance(c, LTChar) and c.get_text().strip()]
    if not chars:
        return None
    size = Counter(round(c.size, 1) for c in chars).most_common(1)[0][0]
    baseline = statistics.median(c.y0 for c in chars if round(c.size, 1) == size)
    out, markers = [], []
    for piece in item:
        text = piece.get_text()
        if (isinstance(piece, LTChar) and text in MARKER_CHARS and piece.size < MARKER_RATIO * size
                and piece.y0 > baseline + 0.15 * size):
            markers.append(text)
            continue
        out.append(text)
    text = " ".join("".join(out).split())
    if not text:
        return None
    return Line(text, number, item.x0, item.x1, item.y0, item.y1, size, tuple(markers))


def body_size(pages: list[Page]) -> float:
    """The font size most characters of the document have."""
    sizes = Counter()
    for page in pages:
        for line in page.lines:
            sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def furniture(pages: list[Page]) -> set[tuple[int, int]]:
    """(page, index) of the running headers, footers and page numbers."""
    def band(page: Page, line: Line) -> str | None:
        if line.y0 > page.height * (1 - BAND):
            return "top"
        if line.y1 < page.height * BAND:
            return "bottom"
        return None

    def key(line: Line) -> str:
        return re.sub(r"\d+", "#", line.text.casefold())

    recurring = Counter()
    for page in pages:
        recurring.update({(b, key(line)) for line in page.lines if (b := band(page, line))})
    found = set()
    for page in pages:
        for index, line in enumerate(page.lines):
            b = band(page, line)
            if b and (_PAGE_NUMBER.fullmatch(line.text) or recurring[(b, key(line))] >= 2):
                found.add((page.number, index))
    return found


def split_notes(pages: list[Page], size: float) -> tuple[list[list[Line]], list[list[Line]]]:
    """Each page's body lines and footnote lines, headers and footers dropped; headings marked."""
    dropped = furniture(pages)
    bodies, notes = [], []
    for page in pages:
        body, note = [], []
        for index, line in enumerate(page.lines):
            if (page.number, index) in dropped:
                continue
            if line.size < NOTE_RATIO * size and line.y1 < page.height / 2:
                note.append(line)
            else:
                line.heading = line.size > HEADING_RATIO * size
                body.append(line)
        bodies.append(reading_order(body))
        notes.append(sorted(note, key=lambda ln: (-ln.y1, ln.x0)))
    return bodies, notes


def reading_order(lines: list[Line]) -> list[Line]:
    """The lines of one page in reading order: bands cut by lines over both columns, each band
    read left column first."""
    if not lines:
        return []
    left, right = min(ln.x0 for ln in lines), max(ln.x1 for ln in lines)
    middle = (left + right) / 2
    slack = (right - left) * 0.02
    for line in lines:
        line.column = 0 if line.x1 <= middle + slack else 1 if line.x0 >= middle - slack else -1
    if not any(line.column == 1 for line in lines):  # one column
        for line in lines:
            line.column = 0
        return sorted(lines, key=lambda ln: (-ln.y1, ln.x0))
    ordered: list[Line] = []
    band: list[Line] = []
    for line in sorted(lines, key=lambda ln: (-ln.y1, ln.x0)):
        if line.column == -1:
            ordered += sorted(band, key=lambda ln: (ln.column, -ln.y1))
            ordered.append(line)
            band = []
        else:
            band.append(line)
    return ordered + sorted(band, key=lambda ln: (ln.column, -ln.y1))


def leading(bodies: list[list[Line]]) -> float:
    """The usual distance between the baselines of two lines of a paragraph."""
    gaps = [round(a.y0 - b.y0, 1) for lines in bodies for a, b in zip(lines, lines[1:])
            if a.column == b.column and not a.heading and not b.heading and 0 < a.y0 - b.y0]
    if not gaps:
        return 12.0
    usual, count = Counter(gaps).most_common(1)[0]
    # Few lines: the smallest distance, at most what fonts usually get (a paragraph gap is larger).
    return usual if count >= 5 else min(min(gaps), 1.25 * statistics.median(ln.size for b in bodies for ln in b))


def paragraphs(lines: list[Line], pitch: float, into: Text | None = None) -> Text:
    """``lines`` (in reading order) joined into paragraphs separated by a blank line."""
    into = into if into is not None else Text()
    edges = _column_edges(lines)
    current: list[Line] = []

    def flush() -> None:
        if current:
            add_paragraph(into, current)
            current.clear()

    for line in lines:
        if current and _breaks(current[-1], line, pitch, edges):
            flush()
        current.append(line)
        if line.heading:
            flush()
    flush()
    return into


def _column_edges(lines: list[Line]) -> dict[tuple[int, int], tuple[float, float]]:
    edges: dict[tuple[int, int], tuple[float, float]] = {}
    for line in lines:
        key = (line.page, line.column)
        x0, x1 = edges.get(key, (line.x0, line.x1))
        edges[key] = (min(x0, line.x0), max(x1, line.x1))
    return edges


def _breaks(prev: Line, line: Line, pitch: float, edges: dict) -> bool:
    """Whether ``line`` starts a new paragraph after ``prev``."""
    if prev.heading or line.heading:
        return True
    left, right = edges[(line.page, line.column)]
    if line.x0 - left > 0.8 * line.size and prev.x0 - edges[(prev.page, prev.column)][0] < 0.8 * line.size:
        return True  # a first-line indent
    if (prev.page, prev.column) == (line.page, line.column):
        return prev.y0 - line.y0 > 1.35 * pitch
    # Across a column or page break: the paragraph ended if the next line's first word would
    # have fitted on the line before (ragged-right text breaks a line only when it must).
    if prev.text.endswith("-"):
        return False
    prev_right = edges[(prev.page, prev.column)][1]
    per_char = (prev.x1 - prev.x0) / max(len(prev.text), 1)
    first_word = line.text.split(" ", 1)[0]
    return prev.x1 + per_char * (len(first_word) + 1) < prev_right - per_char


def add_paragraph(into: Text, lines: list[Line]) -> None:
    separator = "\n\n"
    for index, line in enumerate(lines):
        text = line.text
        if index:
            before = lines[index - 1].text
            if before.endswith("-") and len(before) > 1 and before[-2].isalpha():
                if text[:1].islower():  # a word broken at the line end
                    into.text = into.text[:-1]
                separator = ""
            elif before.endswith("\u00ad"):
                into.text = into.text[:-1]
                separator = ""
            else:
                separator = " "
        into.add(text, line.page, separator)
