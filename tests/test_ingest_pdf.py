"""PDF reports: chapters as documents, text as written, pages in the evidence.

The PDFs are made here with reportlab (tests/pdfs.py): a report written for the tests (two
columns, running headers, page numbers, footnotes, hyphenated words) and a CRS report of the
news corpus (public domain, tests/data/crs-R48903v3.json) set in two columns with its
chapters running on, written into the file right column first, bottom line first.
"""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.ingest import read_file
from kg.model import Document
from kg.store import Store
from tests.pdfs import SPACE_REPORT, SPACE_REPORT_TITLE, Chapter, chapters_of, make_report
from tests.sparql import rows

CRS = json.loads((Path(__file__).parent / "data" / "crs-R48903v3.json").read_text())
CRS_CHAPTERS = chapters_of(CRS["text"])


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("pdfs") / "reports"
    folder.mkdir()
    space = make_report(folder / "space.pdf", SPACE_REPORT_TITLE, SPACE_REPORT, author="Ada Rossi and Ben Ito",
                        date="March 2024", publisher="Institute for Orbital Affairs")
    crs = make_report(folder / "hormuz.pdf", CRS["title"], CRS_CHAPTERS, author=CRS["authors"],
                      date="April 10, 2026", publisher=CRS["publisher"], chapter_per_page=False, reverse=True)
    return {"folder": folder, "space": space, "crs": crs}


def _read(path: Path) -> list[Document]:
    items = list(read_file(path))
    assert all(isinstance(item, Document) for item in items), items
    return items


@pytest.mark.parametrize("name, chapters", [("space", SPACE_REPORT), ("hormuz", CRS_CHAPTERS)])
def test_each_chapter_is_a_document_part_of_the_report(pdfs: dict, name: str, chapters: list[Chapter]) -> None:
    documents = _read(pdfs["folder"] / f"{name}.pdf")
    assert [d.title for d in documents] == [c.title for c in chapters]
    assert {d.type for d in documents} == {"Chapter"}
    assert documents[0].id == f"{name}/{documents[0].title.lower()}"  # as the chapters of a web page
    assert {d.part_of for d in documents} == {SPACE_REPORT_TITLE if name == "space" else CRS["title"]}


@pytest.mark.parametrize("name, chapters", [("space", SPACE_REPORT), ("hormuz", CRS_CHAPTERS)])
def test_the_text_is_the_source_paragraphs(pdfs: dict, name: str, chapters: list[Chapter]) -> None:
    """Reading order, headers and footers gone, hyphenated words joined, markers detached,
    footnotes after the chapter's paragraphs."""
    for document, chapter in zip(_read(pdfs["folder"] / f"{name}.pdf"), chapters, strict=True):
        assert document.text == chapter.expected_text()


@pytest.mark.parametrize("name", ["space", "hormuz"])
def test_each_paragraph_is_on_its_page(pdfs: dict, name: str) -> None:
    documents = _read(pdfs["folder"] / f"{name}.pdf")
    for document, pages in zip(documents, pdfs["crs" if name == "hormuz" else name].paragraph_pages, strict=True):
        starts = [0]
        for paragraph in document.text.split("\n\n")[: len(pages) - 1]:
            starts.append(starts[-1] + len(paragraph) + 2)
        assert [document.page_at(start) for start in starts] == pages
    assert any(len(document.pages) > 1 for document in documents) == (name == "hormuz")  # runs over a page


def test_the_report_metadata_comes_from_the_file_and_its_first_page(pdfs: dict) -> None:
    space = _read(pdfs["folder"] / "space.pdf")[0]
    assert (space.author, space.date, space.publisher) == ("Ada Rossi and Ben Ito", "2024-03",
                                                           "Institute for Orbital Affairs")
    crs = _read(pdfs["folder"] / "hormuz.pdf")[0]
    assert (crs.author, crs.date, crs.publisher) == (CRS["authors"], "2026-04-10", CRS["publisher"])


def test_a_report_without_an_outline_is_one_document(tmp_path: Path) -> None:
    make_report(tmp_path / "plain.pdf", SPACE_REPORT_TITLE, SPACE_REPORT[:2], outline=False, metadata=False)
    [document] = _read(tmp_path / "plain.pdf")
    assert (document.id, document.type, document.title) == ("plain", "Report", SPACE_REPORT_TITLE)
    assert "Coalitions on the Moon\n\nRussia cooperates with China" in document.text
    assert document.text.endswith("2 The instrument was announced in a joint statement of the two space agencies.")
    assert [page for _, page in document.pages] == [1, 2, 3, 2, 3]  # the title page, the chapters, their notes


@pytest.fixture(scope="module")
def built(pdfs: dict, tmp_path_factory: pytest.TempPathFactory):
    store_path = tmp_path_factory.mktemp("pdf-store") / "store"
    result = CliRunner().invoke(main, ["build", str(pdfs["folder"]), "--store", str(store_path), "--no-exports"])
    assert result.exit_code == 0, result.output
    del result
    gc.collect()
    return Store(store_path, read_only=True)


def test_a_query_asks_which_page_of_which_report_says_china_supports_something(built) -> None:
    found = rows(built, """SELECT DISTINCT ?report ?chapter ?page ?object ?sentence {
        ?a a kg:RelationAssertion ; rdf:subject/kg:isoAlpha3 "CHN" ; rdf:predicate kg:supports ;
           rdf:object/rdfs:label ?object ; kg:page ?page ; kg:sentence ?sentence ; prov:wasDerivedFrom ?d .
        ?d dcterms:title ?chapter ; kg:isPartOf/dcterms:title ?report }""")
    assert [(r["report"], r["chapter"], r["page"]) for r in found] == [(SPACE_REPORT_TITLE, "Introduction", "2")]
    assert found[0]["sentence"].startswith("China supports the International Lunar Research Station")


def test_every_mention_and_assertion_of_a_pdf_has_the_page_of_its_text(built) -> None:
    missing = rows(built, """SELECT (COUNT(*) AS ?n) { VALUES ?type { kg:Mention kg:RelationAssertion }
        ?x a ?type ; kg:inDocument|prov:wasDerivedFrom ?d .
        ?d kg:isPartOf ?report . FILTER NOT EXISTS { ?x kg:page ?page } }""")
    assert missing == [{"n": "0"}]
    pages = rows(built, """SELECT DISTINCT ?page { ?m kg:inDocument ?d ; kg:page ?page .
        ?d kg:isPartOf/dcterms:title ?title FILTER(STRSTARTS(?title, "The Strait")) } ORDER BY ?page""")
    assert [r["page"] for r in pages] == ["2", "3", "4"]
