"""Benchmark: reading PDF reports, pages per second, against the library's raw text extraction.

    python bench/bench_pdf.py [--pages 40] [--repeat 3]

Makes two reports with tests/pdfs.py (reportlab, a test dependency): the report written for the
tests, its chapters repeated up to about ``--pages`` pages, and the CRS report of
tests/data/crs-R48903v3.json likewise, in two columns written into the file bottom line first.
On each it times, in CPU seconds (best of ``--repeat``):

- ``kg`` — :func:`kg.ingest.read_file`: pdfminer.six's layout, then reading order, headers and
  footers, footnotes, hyphenation, chapters;
- ``pdfminer raw`` — ``pdfminer.high_level.extract_text`` with its default layout analysis,
  the baseline: what the library gives alone;
- ``pypdf raw`` and ``pdfplumber raw`` when they are installed (they are not dependencies), for
  the choice of library.

The "vs kg" column is each reader's speed over kg's. It also says, for each reader, whether the raw text keeps the right reading order (the first
words of the right column come after the last words of the left column's first paragraph).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.ingest import read_file  # noqa: E402
from tests.pdfs import SPACE_REPORT, SPACE_REPORT_TITLE, Chapter, chapters_of, make_report  # noqa: E402


def _readers() -> dict:
    readers = {"kg": lambda path: "\n\n".join(d.text for d in read_file(path))}

    from pdfminer.high_level import extract_text
    readers["pdfminer raw"] = lambda path: extract_text(str(path))
    try:
        import pypdf
        readers["pypdf raw"] = lambda path: "\n".join(p.extract_text() for p in pypdf.PdfReader(path).pages)
    except ImportError:
        pass
    try:
        import pdfplumber

        def plumber(path: Path) -> str:
            with pdfplumber.open(path) as pdf:
                return "\n".join(p.extract_text() or "" for p in pdf.pages)
        readers["pdfplumber raw"] = plumber
    except ImportError:
        pass
    return readers


def _make(folder: Path, pages: int) -> list[tuple[str, Path, int, list[Chapter]]]:
    crs = json.loads((ROOT / "tests" / "data" / "crs-R48903v3.json").read_text())
    made = []
    for name, title, chapters, options in (
        ("space", SPACE_REPORT_TITLE, SPACE_REPORT, {"date": "March 2024"}),
        ("crs", crs["title"], chapters_of(crs["text"]), {"chapter_per_page": False, "reverse": True}),
    ):
        path = folder / f"{name}.pdf"
        one = make_report(path, title, chapters, **options).pages
        copies = max(1, round(pages / one))
        repeated = [Chapter(f"{c.title} {i + 1}", c.paragraphs, c.footnotes) for i in range(copies) for c in chapters]
        laid = make_report(path, title, repeated, **options)
        made.append((name, path, laid.pages, chapters))
    return made


def _in_order(text: str, chapters: list[Chapter]) -> bool:
    """Whether every paragraph of the first chapter appears, whole, in order."""
    flat = " ".join(text.replace("-\n", "").split())
    position = 0
    for paragraph in chapters[0].expected_text().split("\n\n"):
        found = flat.find(" ".join(paragraph.split()), position)
        if found < 0:
            return False
        position = found
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    readers = _readers()
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'report':8} {'pages':>5}  {'reader':15} {'pages/s':>8} {'vs kg':>6}  first chapter whole and in order")
        for name, path, pages, chapters in _make(Path(tmp), args.pages):
            timings = {}
            for reader, read in readers.items():
                best = float("inf")
                for _ in range(args.repeat):
                    start = time.process_time()
                    text = read(path)
                    best = min(best, time.process_time() - start)
                timings[reader] = (best, _in_order(text, chapters))
            for reader, (seconds, ordered) in timings.items():
                ratio = timings["kg"][0] / seconds
                print(f"{name:8} {pages:5}  {reader:15} {pages / seconds:8.1f} {ratio:6.2f}  {'yes' if ordered else 'no'}")


if __name__ == "__main__":
    main()
