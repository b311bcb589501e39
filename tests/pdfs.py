"""PDF reports made for the tests and the benchmark, with reportlab, from text we know.

:func:`make_report` lays out chapters of paragraphs the way think-tank reports are printed: a
title page, then two columns of ragged-right text, running headers, page numbers in the
footer, footnotes in a smaller font at the foot of the page with raised markers in the text,
and words broken with a hyphen at line ends. It returns what a reader should give back: each
chapter's paragraphs (and footnotes) and the page each paragraph starts on, so a test can
compare the text exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

PAGE_WIDTH, PAGE_HEIGHT = 612.0, 792.0  # US Letter, in points
MARGIN = 54.0
GUTTER = 18.0
BODY_FONT, BODY_SIZE, LEADING = "Helvetica", 10.0, 13.0
HEADING_FONT, HEADING_SIZE = "Helvetica-Bold", 15.0
NOTE_SIZE, NOTE_LEADING = 7.5, 9.5
MARKER_SIZE, MARKER_RISE = 6.0, 3.5
PARAGRAPH_GAP = 7.0
BODY_TOP = PAGE_HEIGHT - MARGIN - 6
BODY_BOTTOM = MARGIN + 6
_MARKER = re.compile(r"\{(\d+)\}")  # a footnote marker in source text: "China{1} supports"


@dataclass
class Chapter:
    """A chapter as written: title, paragraphs (markers as ``{n}``) and footnotes by number."""

    title: str
    paragraphs: list[str]
    footnotes: dict[int, str] = field(default_factory=dict)

    def expected_text(self) -> str:
        """The text a reader should give: the paragraphs without markers, then the footnotes."""
        body = [_MARKER.sub("", paragraph) for paragraph in self.paragraphs]
        notes = [f"{number} {text}" for number, text in sorted(self.footnotes.items())]
        return "\n\n".join(body + notes)


@dataclass
class Laid:
    """What was printed: the page (1-based) each paragraph of each chapter starts on."""

    pages: int = 0
    paragraph_pages: list[list[int]] = field(default_factory=list)


def make_report(path: Path, title: str, chapters: list[Chapter], *, author: str | None = None,
                date: str | None = None, publisher: str | None = None, columns: int = 2,
                chapter_per_page: bool = True, outline: bool = True, metadata: bool = True,
                hyphenate: bool = True, encrypt: str | None = None, reverse: bool = False) -> Laid:
    """Write ``chapters`` as a PDF report at ``path``; return the pages the paragraphs are on.

    ``reverse`` writes each page's text into the file from its last line to its first (right
    column first), so that only the positions give the reading order."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), pagesize=letter, invariant=1, encrypt=encrypt)
    if metadata:
        canvas.setTitle(title)
        canvas.setAuthor(author or "")
        canvas.setSubject(publisher or "")
        canvas.setCreator(publisher or "")
    writer = _Writer(_Buffer(canvas, reverse), title, publisher or "", columns, hyphenate)
    writer.title_page(title, author, date, publisher)
    laid = Laid()
    for number, chapter in enumerate(chapters):
        if chapter_per_page or number == 0:
            writer.new_page()
        key = f"chapter-{number}"
        pages = writer.chapter(chapter, key, chapter_per_page)
        laid.paragraph_pages.append(pages)
        if outline:
            canvas.addOutlineEntry(chapter.title, key, level=0)
    writer.finish_page()
    canvas.save()
    laid.pages = writer.page
    return laid


class _Buffer:
    """A canvas whose text operations on a page are written when the page ends, in order or
    reversed."""

    def __init__(self, canvas, reverse: bool) -> None:
        self._canvas, self._reverse, self._ops = canvas, reverse, []

    def __getattr__(self, name: str):
        if name in ("setFont", "drawString", "drawRightString", "drawCentredString"):
            return lambda *args: self._ops.append((name, args))
        return getattr(self._canvas, name)

    def showPage(self) -> None:
        font = None
        for index, (name, args) in enumerate(self._ops):  # each drawing with the font before it
            if name == "setFont":
                font = args
            else:
                self._ops[index] = (name, args, font)
        draws = [op for op in self._ops if len(op) == 3]
        for name, args, font in reversed(draws) if self._reverse else draws:
            self._canvas.setFont(*font)
            getattr(self._canvas, name)(*args)
        self._ops = []
        self._canvas.showPage()


class _Writer:
    """Lays text out line by line in columns, page by page."""

    def __init__(self, canvas, title: str, publisher: str, columns: int, hyphenate: bool) -> None:
        self.canvas, self.title, self.publisher = canvas, title, publisher
        self.columns, self.hyphenate = columns, hyphenate
        self.width = (PAGE_WIDTH - 2 * MARGIN - GUTTER * (columns - 1)) / columns
        self.page = 0
        self.column = 0
        self.y = BODY_TOP
        self.notes: list[tuple[int, str]] = []  # footnotes to print at the foot of this page
        self.on_page = False
        self._column_top = BODY_TOP  # below a chapter heading that spans the columns

    def title_page(self, title: str, author: str | None, date: str | None, publisher: str | None) -> None:
        self.page = 1
        self.on_page = True
        c = self.canvas
        c.setFont(HEADING_FONT, 22)
        c.drawString(MARGIN, PAGE_HEIGHT - 200, title)
        c.setFont(BODY_FONT, 12)
        for offset, line in enumerate(x for x in (author, date, publisher) if x):
            c.drawString(MARGIN, PAGE_HEIGHT - 240 - 18 * offset, line)

    def new_page(self) -> None:
        self.finish_page()
        self.page += 1
        self.on_page = True
        self.column, self.y = 0, BODY_TOP
        self._column_top = BODY_TOP
        c = self.canvas
        c.setFont(BODY_FONT, 8)  # running header and footer
        c.drawString(MARGIN, PAGE_HEIGHT - 36, self.title)
        c.drawRightString(PAGE_WIDTH - MARGIN, PAGE_HEIGHT - 36, self.publisher)
        c.drawCentredString(PAGE_WIDTH / 2, 30, f"Page {self.page}")

    def finish_page(self) -> None:
        if not self.on_page:
            return
        y = BODY_BOTTOM + NOTE_LEADING * (sum(len(self._note_lines(n, t)) for n, t in self.notes) - 1)
        for number, text in self.notes:
            for line in self._note_lines(number, text):
                self.canvas.setFont(BODY_FONT, NOTE_SIZE)
                self.canvas.drawString(MARGIN, y, line)
                y -= NOTE_LEADING
        self.notes = []
        self.canvas.showPage()
        self.on_page = False

    def _note_lines(self, number: int, text: str) -> list[str]:
        return _break(f"{number} {text}".split(" "), PAGE_WIDTH - 2 * MARGIN, NOTE_SIZE, False)

    def _bottom(self) -> float:
        notes = sum(len(self._note_lines(n, t)) for n, t in self.notes)
        return BODY_BOTTOM + (notes * NOTE_LEADING + 6 if notes else 0)

    def _advance(self, height: float) -> None:
        """Move down ``height``, to the next column or page when this one is full."""
        if self.y - height < self._bottom():
            if self.column + 1 < self.columns:
                self.column, self.y = self.column + 1, self._column_top
            else:
                self.new_page()
        self.y -= height

    def chapter(self, chapter: Chapter, key: str, chapter_per_page: bool) -> list[int]:
        c = self.canvas
        if chapter_per_page:  # the heading spans the columns
            c.bookmarkHorizontal(key, 0, PAGE_HEIGHT - MARGIN)
            c.setFont(HEADING_FONT, HEADING_SIZE)
            c.drawString(MARGIN, BODY_TOP - HEADING_SIZE, chapter.title)
            self.y = self._column_top = BODY_TOP - HEADING_SIZE - 14
        else:  # the heading is a line of the column
            if self.y < BODY_TOP - 1:
                self._advance(PARAGRAPH_GAP * 2)
            self._advance(HEADING_SIZE + 4)
            c.bookmarkHorizontal(key, 0, self.y + HEADING_SIZE + 4)
            c.setFont(HEADING_FONT, HEADING_SIZE - 3)
            c.drawString(self._x, self.y, chapter.title)
        pages = []
        for paragraph in chapter.paragraphs:
            if self.y < self._column_top - 1:
                self.y -= PARAGRAPH_GAP
            words = paragraph.split(" ")
            lines = _break(words, self.width, BODY_SIZE, self.hyphenate)
            first = True
            for line in lines:
                self._advance(LEADING)
                if first:
                    pages.append(self.page)
                    first = False
                self._draw_line(line, chapter.footnotes)
        return pages

    @property
    def _x(self) -> float:
        return MARGIN + self.column * (self.width + GUTTER)

    def _draw_line(self, line: str, footnotes: dict[int, str]) -> None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        x = self._x
        for piece in re.split(r"(\{\d+\})", line):
            if match := _MARKER.fullmatch(piece):  # a raised, smaller number
                self.canvas.setFont(BODY_FONT, MARKER_SIZE)
                self.canvas.drawString(x, self.y + MARKER_RISE, match.group(1))
                x += stringWidth(match.group(1), BODY_FONT, MARKER_SIZE)
                number = int(match.group(1))
                self.notes.append((number, footnotes[number]))
            elif piece:
                self.canvas.setFont(BODY_FONT, BODY_SIZE)
                self.canvas.drawString(x, self.y, piece)
                x += stringWidth(piece, BODY_FONT, BODY_SIZE)


def _width(text: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(_MARKER.sub(lambda m: m.group(1), text), BODY_FONT, size) - (
        sum(stringWidth(m.group(1), BODY_FONT, size) - stringWidth(m.group(1), BODY_FONT, MARKER_SIZE)
            for m in _MARKER.finditer(text)))


def _break(words: list[str], width: float, size: float, hyphenate: bool) -> list[str]:
    """Greedy line breaking; a long lower-case word that does not fit is split with a hyphen."""
    lines: list[str] = []
    line = ""
    for word in words:
        candidate = f"{line} {word}" if line else word
        if _width(candidate, size) <= width:
            line = candidate
            continue
        if hyphenate and line and re.fullmatch(r"[a-z]{8,}[,.;]?", word):
            for cut in range(len(word.rstrip(",.;")) - 3, 3, -1):
                head = f"{line} {word[:cut]}-"
                if _width(head, size) <= width:
                    lines.append(head)
                    line = word[cut:]
                    break
            else:
                lines.append(line)
                line = word
            continue
        if line:
            lines.append(line)
        line = word
    if line:
        lines.append(line)
    return lines


# A report written for the tests: three chapters, footnotes, words long enough to be broken.
SPACE_REPORT_TITLE = "Orbits of Influence: Space Cooperation and Rivalry"
SPACE_REPORT = [
    Chapter("Introduction", [
        "Space has become a domain of strategic competition. Governments increasingly treat "
        "satellites, launchers and lunar programmes as instruments of international influence, "
        "and the number of spacefaring nations has grown considerably over the past decade.{1}",
        "This report examines how states build coalitions around exploration programmes, how "
        "commercial operators complicate traditional diplomacy, and where cooperation persists "
        "despite geopolitical tensions between the major powers.",
        "China supports the International Lunar Research Station and invites other governments "
        "to join it. The United States promotes the Artemis Accords as a set of principles for "
        "responsible exploration of the Moon and beyond.",
    ], {1: "Counts of spacefaring nations follow the definitions used by the United Nations Office "
           "for Outer Space Affairs."}),
    Chapter("Coalitions on the Moon", [
        "Russia cooperates with China on the lunar station, and Pakistan agreed to send an "
        "instrument on a Chinese mission.{2} The partnership illustrates how exploration "
        "programmes create durable institutional commitments that outlast individual missions.",
        "India signed the Artemis Accords in 2023, and Japan participates in the Artemis "
        "programme with a pressurised rover. Supporters of the accords emphasise "
        "interoperability, transparency and the peaceful character of activities on the Moon.",
        "Critics argue that bilateral arrangements fragment governance. Several governments "
        "prefer multilateral negotiations within the Committee on the Peaceful Uses of Outer "
        "Space, where decisions require consensus among participating states.",
        "The competition extends to launch services. Commercial providers have reduced costs "
        "dramatically, which enables smaller countries to place satellites into orbit without "
        "developing indigenous launch capabilities of their own.",
        "Developing countries weigh the offers of each coalition carefully. Training programmes, "
        "ground stations and shared data are often more valuable to them than participation in "
        "crewed missions, and both coalitions have adjusted their offers accordingly.",
        "Brazil and Argentina have explored regional cooperation on small satellites, while "
        "Nigeria and Egypt operate national space agencies with ambitious programmes for Earth "
        "observation and telecommunications.",
        "European governments occupy an intermediate position. Several signed the accords, yet "
        "the European Space Agency continues to cooperate with partners across the coalitions "
        "on scientific missions and climate monitoring.",
        "Negotiators increasingly discuss resource extraction. Questions about property rights, "
        "safety zones and the registration of activities remain unresolved, and interpretations "
        "of the Outer Space Treaty diverge considerably.",
        "Observers expect that the coming decade will test whether the two coalitions can "
        "coordinate on safety, debris mitigation and the notification of manoeuvres.",
        "Interoperability standards for docking, communications and navigation could become "
        "the practical foundation of such coordination, independently of political alignments.",
    ], {2: "The instrument was announced in a joint statement of the two space agencies."}),
    Chapter("Rivalry in Orbit", [
        "The United States accuses Russia of testing an anti-satellite weapon that created "
        "thousands of fragments of debris.{3} Many governments condemned the test, and a "
        "growing group of states has pledged not to conduct destructive tests.",
        "Military uses of space complicate every negotiation. Navigation, reconnaissance and "
        "communication satellites are indispensable to modern armed forces, which makes them "
        "attractive targets in any conflict.",
        "Confidence-building measures remain modest. Notifications of launches and exchanges "
        "of orbital data reduce the risk of misunderstandings, but verification of intentions "
        "is notoriously difficult.",
    ], {3: "Estimates of the number of fragments vary between tracking organisations."}),
]


def chapters_of(text: str) -> list[Chapter]:
    """The chapters of a text whose paragraphs are separated by blank lines and whose headings
    are short paragraphs without a final full stop (the CRS reports of the news corpus)."""
    chapters: list[Chapter] = []
    for paragraph in text.split("\n\n"):
        paragraph = " ".join(paragraph.split())
        if len(paragraph) < 80 and paragraph[-1] not in ".:;,":
            chapters.append(Chapter(paragraph, []))
        elif chapters:
            chapters[-1].paragraphs.append(paragraph)
    return chapters


def make_scanned(path: Path, pages: int = 2) -> None:
    """A PDF of page images without a text layer, as a scanner makes."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    image = Image.new("L", (300, 400), 255)
    ImageDraw.Draw(image).text((20, 20), "Peru and Chile signed a trade agreement.", fill=0)
    canvas = Canvas(str(path), invariant=1)
    for _ in range(pages):
        canvas.drawImage(ImageReader(image), 0, 0, PAGE_WIDTH, PAGE_HEIGHT)
        canvas.showPage()
    canvas.save()


def small_report(path: Path, **options) -> Laid:
    """A one-chapter report of two short paragraphs."""
    chapter = Chapter("Trade", ["Peru and Chile signed a trade agreement in Lima.",
                                "Brazil supports the agreement."])
    return make_report(path, "A Short Report", [chapter], **options)
