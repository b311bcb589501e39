"""PDF reports: text in reading order by pdfminer.six, one document per chapter.

pdfminer.six (MIT) was chosen over pypdf (BSD) and pdfplumber (MIT, built on pdfminer.six)
on measured quality and speed (see the README's Performance section and
``bench/bench_pdf.py``): pypdf reads faster but gives text in the order it was written into
the file, without the positions that put two columns, running headers and footnotes right;
pdfplumber gives the positions too, at a third of pdfminer's speed. PyMuPDF is AGPL.

A report with an outline (bookmarks) gives one Chapter per top-level entry, ``isPartOf`` the
report, with ids ``<file stem>/<slug of the chapter title>`` as for the chapters of a captured
page (:mod:`kg.ingest.pages`); without one, the file is one Report. Each document carries the
page of each part of its text (:attr:`kg.model.Document.pages`), so evidence keeps its page.

A PDF that cannot give text says why in one line: not a PDF, cut short, damaged, encrypted,
scanned without a text layer (OCR it first), over the size limit.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Iterator

from kg.errors import InputError
from kg.ingest import pdflayout
from kg.ingest.decode import DEFAULT_MAX_DOCUMENT_BYTES, binary_kind, over_limit, read_bytes
from kg.ingest.pages import slug
from kg.model import Document

_SIGNATURE = b"%PDF-"
_HEAD = 1024  # the signature may follow a little junk, as readers allow
_TAIL = 2048  # where the end-of-file marker must be
_MONTHS = ("January February March April May June July August September October November "
           "December").split()
_DATE = re.compile(r"\b(?:(?:(?P<day1>\d{1,2}) )?(?P<month>" + "|".join(_MONTHS)
                   + r")(?: (?P<day2>\d{1,2}),?)? (?P<year>(?:19|20)\d\d))\b")
_PDF_DATE = re.compile(r"D:((?:19|20)\d\d)(\d\d)?(\d\d)?")
_ORGANIZATION = re.compile(r"\b(?:Institute|Service|Council|Center|Centre|Foundation|Ministry|Office|"
                           r"University|Agency|Commission|Department|Organi[sz]ation|Programme|Program)\b")
_FILE_TITLE = re.compile(r"(?i)\.(?:docx?|pdf|indd|tex|odt)$|^microsoft word - |^untitled")
FRONT_MATTER_WORDS = 50  # text before the first chapter, beyond the title page, worth a document


def read(path: Path, source: str, max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES) -> Iterator[Document]:
    """The chapters of one PDF report, or the whole report as one document."""
    yield from from_bytes(read_bytes(path, source, max_bytes), path.stem, source, max_bytes)


def from_bytes(data: bytes, doc_id: str, source: str, max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES) -> list[Document]:
    """The chapters of the PDF ``data`` (a file's or a fetched one), with ids under ``doc_id``."""
    check(data, source)
    pages, info, outline = parse(data, source)
    return documents(pages, info, outline, doc_id, source, max_bytes)


def check(data: bytes, source: str) -> None:
    """InputError unless ``data`` looks like a whole PDF file."""
    if not data:
        raise InputError(source, "empty file")
    if _SIGNATURE not in data[:_HEAD]:
        kind = binary_kind(data)
        what = kind.split(", convert it")[0].split(", save it")[0] if kind else "text"
        raise InputError(source, f"not a PDF despite its name: it holds {what}; rename it")
    if b"%%EOF" not in data[-_TAIL:]:
        raise InputError(source, "the PDF is cut short (no end-of-file marker): download or export it again")


def parse(data: bytes, source: str) -> tuple[list[pdflayout.Page], dict, list[tuple[str, int, float | None]]]:
    """The pages' lines, the document information and the top-level outline (title, page, top)."""
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.psexceptions import PSException

    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        manager = PDFResourceManager()
        device = PDFPageAggregator(manager, laparams=LAParams(boxes_flow=None))
        interpreter = PDFPageInterpreter(manager, device)
        pages, ids = [], {}
        for number, page in enumerate(PDFPage.create_pages(document), 1):
            ids[page.pageid] = number
            interpreter.process_page(page)
            pages.append(pdflayout.page_lines(device.get_result(), number))
        info = _info(document)
        outline = _outline(document, ids)
    except PDFPasswordIncorrect:
        raise InputError(source, "the PDF is encrypted and needs a password: save a copy without one") from None
    except PDFEncryptionError as error:
        raise InputError(source, f"the PDF is encrypted in a way that cannot be read ({error})") from None
    except (PSException, ValueError, KeyError, TypeError, AttributeError) as error:
        reason = str(error) or type(error).__name__
        raise InputError(source, f"damaged PDF ({reason}): open it in a viewer and save it again") from None
    if not pages:
        raise InputError(source, "the PDF has no pages")
    return pages, info, outline


def _info(document) -> dict[str, str]:
    """The document information dictionary, as text."""
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    info: dict[str, str] = {}
    for entry in document.info:
        for key, value in resolve1(entry).items():
            value = resolve1(value)
            if isinstance(value, bytes):
                value = decode_text(value)
            if isinstance(value, str) and value.strip():
                info[key] = " ".join(value.split())
    return info


def _outline(document, ids: dict[int, int]) -> list[tuple[str, int, float | None]]:
    """The outline's entries at its first useful level: (title, page, top of the destination).

    A lone top entry (the book's own title) stands for its children."""
    from pdfminer.pdfdocument import PDFNoOutlines
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    try:
        entries = list(document.get_outlines())
    except PDFNoOutlines:
        return []
    levels = sorted({level for level, *_ in entries})
    if not levels:
        return []
    level = levels[0]
    if len([e for e in entries if e[0] == level]) == 1 and len(levels) > 1:
        level = levels[1]
    found = []
    for entry_level, title, dest, action, _ in entries:
        if entry_level != level:
            continue
        dest = resolve1(dest) if dest is not None else resolve1(resolve1(action).get("D")) if action else None
        if isinstance(dest, (bytes, str)) or hasattr(dest, "name"):
            name = dest if isinstance(dest, (bytes, str)) else dest.name
            dest = resolve1(document.get_dest(name))
        if isinstance(dest, dict):
            dest = resolve1(dest.get("D"))
        if not isinstance(dest, list) or not dest:
            continue
        page = ids.get(getattr(dest[0], "objid", None))
        top = resolve1(dest[3]) if len(dest) > 3 and isinstance(resolve1(dest[3]), (int, float)) else None
        if page is not None:
            found.append((decode_text(title) if isinstance(title, bytes) else str(title), page, top))
    return found


def documents(pages: list[pdflayout.Page], info: dict[str, str], outline: list[tuple[str, int, float | None]],
              stem: str, source: str, max_bytes: int) -> list[Document]:
    """The report's chapters (or the report) as documents."""
    size = pdflayout.body_size(pages)
    bodies, notes = pdflayout.split_notes(pages, size)
    if not any(bodies) and not any(notes):
        images = sum(page.images for page in pages)
        if images:
            raise InputError(source, f"no text layer: the {len(pages)} page(s) are images, as scanned "
                                     "(run OCR first, for example `ocrmypdf in.pdf out.pdf`, and build the result)")
        raise InputError(source, f"no text found in the PDF ({len(pages)} page(s))")
    pitch = pdflayout.leading(bodies)
    lines = [line for body in bodies for line in body]
    total = sum(len(line.text) + 1 for line in lines)
    if total > max_bytes:
        raise InputError(source, f"its text: {over_limit(total, max_bytes)}")
    meta = _metadata(info, pages[0], stem)
    starts = _chapter_starts(lines, outline)
    if not starts:
        text = pdflayout.paragraphs(lines, pitch)
        _footnotes(text, [n for page in notes for n in page])
        return [Document(id=stem, text=text.text, source=source, pages=tuple(text.pages), **meta)]
    result = []
    front = lines[: starts[0][1]]
    if sum(len(line.text.split()) for line in front if line.page > 1) >= FRONT_MATTER_WORDS:
        starts.insert(0, ("Front matter", 0))
    bounds = [index for _, index in starts] + [len(lines)]
    title = meta["title"]
    for (chapter, start), end in zip(starts, bounds[1:]):
        body = lines[start:end]
        if body and body[0].heading and _same(body[0].text, chapter):
            body = body[1:]  # the chapter's heading is its title
        if not body:
            continue
        text = pdflayout.paragraphs(body, pitch)
        _footnotes(text, [n for page in {line.page for line in body} for n in notes[page - 1]
                          if _note_belongs(n, body, lines)])
        result.append(Document(
            id=f"{stem}/{slug(chapter) or 'chapter'}", text=text.text, source=source, pages=tuple(text.pages),
            **{**meta, "title": chapter}, type="Chapter", part_of=title))
    return result


def _footnotes(text: pdflayout.Text, notes: list[pdflayout.Line]) -> None:
    """The footnotes after the text, each a paragraph (a line starting with a number starts one)."""
    current: list[pdflayout.Line] = []
    for line in notes:
        if current and re.match(r"[0-9*†‡§]", line.text):
            pdflayout.add_paragraph(text, current)
            current = []
        current.append(line)
    if current:
        pdflayout.add_paragraph(text, current)


def _note_belongs(note: pdflayout.Line, body: list[pdflayout.Line], lines: list[pdflayout.Line]) -> bool:
    """Whether a footnote line of a page belongs to the chapter ``body``: its number is one of the
    markers of the chapter's lines on that page, or (a continuation, or no marker found) the
    chapter holds the page's last line."""
    number = re.match(r"\S+", note.text)
    on_page = [line for line in body if line.page == note.page]
    markers = {m for line in on_page for m in line.markers}
    if number and number.group() in markers:
        return True
    all_markers = {m for line in lines if line.page == note.page for m in line.markers}
    if number and number.group() in all_markers:
        return False
    last = [line for line in lines if line.page == note.page][-1:]
    return bool(last) and last[0] in on_page


def _chapter_starts(lines: list[pdflayout.Line], outline: list[tuple[str, int, float | None]]) -> list[tuple[str, int]]:
    """(title, index of its first line) for each outline entry found in ``lines``."""
    starts: list[tuple[str, int]] = []
    position = 0
    for title, page, top in outline:
        index = _find_start(lines, title, page, top, position)
        if index is not None:
            starts.append((title, index))
            position = index + 1
    return starts


def _find_start(lines: list[pdflayout.Line], title: str, page: int, top: float | None, after: int) -> int | None:
    """The line a chapter starts at: its heading on its page, else the page's first line below
    the destination's top, else the page's first line."""
    on_page = [i for i in range(after, len(lines)) if lines[i].page == page]
    for i in on_page:
        if _same(lines[i].text, title) or (lines[i].heading and _same(title, lines[i].text, prefix=True)):
            return i
    below = [i for i in on_page if top is None or lines[i].y1 <= top + 2]
    if below:
        return below[0]
    later = [i for i in range(after, len(lines)) if lines[i].page > page]
    return later[0] if later else None


def _same(text: str, title: str, prefix: bool = False) -> bool:
    a, b = (re.sub(r"\W+", "", s.casefold()) for s in (text, title))
    return bool(a) and (a == b or (prefix and b.startswith(a)))


def _metadata(info: dict[str, str], first: pdflayout.Page, stem: str) -> dict[str, str | None]:
    """Title, author, date and publisher: from the document information, else the first page."""
    lines = sorted(first.lines, key=lambda ln: (-ln.y1, ln.x0))
    title = info.get("Title")
    if not title or _FILE_TITLE.search(title):
        biggest = max((line.size for line in lines), default=0)
        title = " ".join(line.text for line in lines if line.size == biggest) or None
    text = "\n".join(line.text for line in lines)
    date = None
    if match := _DATE.search(text):
        month = _MONTHS.index(match["month"]) + 1
        day = match["day1"] or match["day2"]
        date = f"{match['year']}-{month:02d}" + (f"-{int(day):02d}" if day else "")
    elif match := _PDF_DATE.match(info.get("CreationDate", "")):
        date = "-".join(part for part in match.groups() if part)
    author = info.get("Author") or next((line.text[3:] for line in lines if line.text.startswith("By ")), None)
    publisher = info.get("Publisher") or next(
        (line.text for line in lines if _ORGANIZATION.search(line.text) and line.text != title), None)
    return {"title": title or stem, "author": author, "date": date, "publisher": publisher}
