"""Ingestion: every format, the page splitter on real and made-up pages, and bad input."""

from __future__ import annotations

import codecs
import doctest
import itertools
from pathlib import Path

import pytest

import kg.ingest
from kg.errors import InputError
from kg.ingest import boilerplate, html, pages, read_documents, read_file, text, ungd
from kg.model import Document
from kg.resources import SAMPLE_DIR

DATA = Path(__file__).parent / "data" / "ingest"
ISPI_PAGE = SAMPLE_DIR / "web" / "ispi-china-space-cooperation.txt"
NAVIGATION_WORDS = (
    "Available in",
    "Share",
    "Regions and themes",
    "Related centers and programs",
    "Discover our other research centers and programs",
    "Find out more",
    "Discover all our analyses",
    "Download",
)


def documents(*paths: str | Path) -> list[Document]:
    """Documents of ``paths``; fails the test on any InputError."""
    results = list(read_documents(paths))
    assert not [r for r in results if isinstance(r, InputError)]
    return results  # type: ignore[return-value]


def errors_by_file(results: list[Document | InputError]) -> dict[str, str]:
    return {Path(r.source).name: r.reason for r in results if isinstance(r, InputError)}


# --- the reference page: one capture, five publications ---------------------------------


def test_ispi_page_yields_the_chapter_and_four_related_analyses() -> None:
    docs = documents(ISPI_PAGE)
    assert [(d.id, d.title, d.type) for d in docs] == [
        ("ispi-china-space-cooperation", "China in International Space Cooperation: Heading South", "Chapter"),
        (
            "ispi-china-space-cooperation/jammu-and-kashmir-in-the-aftermath-of-august-2019",
            "Jammu and Kashmir in the Aftermath of August 2019",
            "Article",
        ),
        (
            "ispi-china-space-cooperation/france-s-contributions-to-pacific-maritime-governance",
            "France’s Contributions to Pacific Maritime Governance",
            "Article",
        ),
        (
            "ispi-china-space-cooperation/unlocking-india-s-energy-transition-addressing-grid-"
            "flexibility-challenges-and-solutions",
            "Unlocking India’s Energy Transition: Addressing Grid Flexibility Challenges and Solutions",
            "Article",
        ),
        (
            "ispi-china-space-cooperation/the-china-russia-partnership-and-the-ukraine-war-aligned-but-not-allied",
            "The China-Russia Partnership and the Ukraine War: Aligned but not allied",
            "Article",
        ),
    ]
    assert {d.publisher for d in docs} == {"ISPI"}
    assert docs[0].part_of == "The Sky Is Not the Limit. Geopolitics and Economics of the New Space Race"
    assert [d.part_of for d in docs[1:]] == [None] * 4
    assert {d.source for d in docs} == {ISPI_PAGE.as_posix()}


def test_ispi_texts_are_slices_of_the_page_without_navigation() -> None:
    page = ISPI_PAGE.read_text(encoding="utf-8")
    docs = documents(ISPI_PAGE)
    for doc in docs:
        assert doc.text in page
        assert doc.text.startswith(doc.title or "")
        assert not [word for word in NAVIGATION_WORDS if word in doc.text]
    chapter = docs[0].text
    assert chapter.startswith("China in International Space Cooperation: Heading South\n\nIn only three decades")
    assert chapter.endswith("The bright side for Beijing is that it is already used to doing so.")
    assert chapter.count("\n\n") == 2  # title and its two paragraphs
    assert docs[1].text.endswith("for many decades.")
    assert docs[4].text.endswith("shaped more by pragmatism than trust.")


def test_a_made_up_think_tank_page_is_split_by_the_same_rules() -> None:
    docs = documents(DATA / "text" / "think-tank-page.txt")
    assert [d.title for d in docs] == [
        "Europe’s Critical Raw Materials Act: A Response to China?",
        "Chile’s Lithium Nationalisation Plan",
        "Kazakhstan Between Russia and the West",
    ]
    assert docs[0].type == "Report" and docs[0].part_of is None
    assert docs[0].text.endswith("Chinese investment in African mines.")
    for word in ("Skip to main content", "Menu", "Download", "Share", "Tags", "Read more", "Subscribe"):
        assert not [d.id for d in docs if word in d.text], word


def test_glued_navigation_phrases_are_told_apart_from_titles() -> None:
    def classify(line: str) -> boilerplate.Line:
        return boilerplate.classify(line, 0, len(line))

    glued = classify("Discover all our analysesJammu and Kashmir")
    assert glued.navigation and glued.related and glued.content_start == len("Discover all our analyses")
    only_navigation = classify("Discover our other research centers and programsFind out more")
    assert only_navigation.navigation and not only_navigation.content
    assert classify("Available in:").navigation
    assert classify(">> Download the full report to read this chapter").navigation
    for sentence in ("Share prices fell in Shanghai.", "Related parties met in Geneva.", "Sharing is caring"):
        assert not classify(sentence).navigation, sentence


def test_plain_article_with_no_navigation_is_one_unchanged_document() -> None:
    path = DATA / "text" / "plain-article.txt"
    [doc] = documents(path)
    assert doc.id == "plain-article"
    assert doc.text == path.read_text(encoding="utf-8")
    assert doc.title == "Brazil and China sign space cooperation memorandum"


def test_no_speech_of_the_sample_looks_like_a_page() -> None:
    for path in sorted((SAMPLE_DIR / "ungd").glob("*.txt")):
        assert not pages.is_page(path.read_text(encoding="utf-8")), path.name


# --- UN General Debate speeches ----------------------------------------------------------


def test_sample_speeches_carry_speaker_year_and_type() -> None:
    docs = documents(SAMPLE_DIR / "ungd")
    assert len(docs) >= 10
    for doc in docs:
        code, session, year = doc.id.split("_")
        assert (doc.type, doc.speaker_iso3, doc.date, doc.publisher) == ("Speech", code, year, "United Nations")
        assert doc.text == (SAMPLE_DIR / "ungd" / f"{doc.id}.txt").read_text(encoding="utf-8")
    china = next(d for d in docs if d.id == "CHN_78_2023")
    assert china.title == "China: statement at the general debate of the 78th session of the UN General Assembly (2023)"


def test_speaker_names_are_common_names_and_unknown_codes_are_kept(tmp_path: Path) -> None:
    for name in ("IRN_72_2017.txt", "EU_78_2023.txt", "XYZ_71_2016.txt", "ABC_1_2020.txt"):
        (tmp_path / name).write_text("We call for peace.\n", encoding="utf-8")
    docs = documents(tmp_path)
    assert [d.title for d in docs[1:]] == [
        "European Union: statement at the general debate of the 78th session of the UN General Assembly (2023)",
        "Iran: statement at the general debate of the 72nd session of the UN General Assembly (2017)",
        "XYZ: statement at the general debate of the 71st session of the UN General Assembly (2016)",
    ]
    assert [d.speaker_iso3 for d in docs] == [None, "EU", "IRN", "XYZ"]
    assert docs[0].type == "Report"  # session 1 did not sit in 2020: not a UNGD file


# --- other formats ------------------------------------------------------------------------


def test_markdown_title_is_the_first_heading_and_text_is_unchanged() -> None:
    path = DATA / "text" / "briefing.md"
    [doc] = documents(path)
    assert doc.title == "The Global Security Initiative in Africa"
    assert doc.text == path.read_text(encoding="utf-8")


def test_line_endings_are_normalised_and_a_bom_is_dropped(tmp_path: Path) -> None:
    (tmp_path / "note.txt").write_bytes(codecs.BOM_UTF8 + "Dakar\r\nand Abidjan\rsigned.\r\n".encode())
    [doc] = documents(tmp_path / "note.txt")
    assert doc.text == "Dakar\nand Abidjan\nsigned.\n"


def test_html_article_text_and_metadata() -> None:
    [doc] = documents(DATA / "html" / "atlantic-council-like.html")
    assert (doc.title, doc.author, doc.date, doc.publisher) == (
        "India's G20 presidency gave the Global South a voice",
        "Jane Doe",
        "2023-09-11",
        "Atlantic Council",
    )
    assert doc.url == "https://www.atlanticcouncil.org/blogs/new-atlanticist/india-g20-global-south/"
    assert doc.text.startswith("The New Delhi summit ended")
    assert "Belt and Road Initiative" in doc.text
    for word in ("Skip to main content", "Programs", "Privacy policy", "analytics"):
        assert word not in doc.text


def test_html_page_with_related_box_yields_its_teasers() -> None:
    docs = documents(DATA / "html" / "ispi-like-analysis.html")
    assert [(d.id, d.type, d.publisher) for d in docs] == [
        ("ispi-like-analysis", "Report", "ISPI"),
        ("ispi-like-analysis/japan-s-new-defence-strategy", "Article", "ISPI"),
        ("ispi-like-analysis/asean-and-the-south-china-sea", "Article", "ISPI"),
    ]
    main = docs[0]
    assert (main.title, main.author, main.date) == ("The Indo-Pacific After AUKUS", "Giulia Sciorati", "2023-10-12")
    assert "AUKUS security partnership" in main.text
    for word in ("cookies", "Research", "Subscribe", "All rights reserved", "Japan’s New Defence"):
        assert word not in main.text
    assert docs[1].text == (
        "Japan’s New Defence Strategy\n"
        "Tokyo has committed to doubling its defence spending by 2027, a break with decades of post-war restraint."
    )


def test_html_falls_back_to_lxml_when_trafilatura_finds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *args, **kwargs: None)
    [doc] = documents(DATA / "html" / "atlantic-council-like.html")
    assert doc.title == "India's G20 presidency gave the Global South a voice"
    assert doc.publisher == "Atlantic Council"
    assert "India persuaded the United States, Russia and China" in doc.text
    assert "Skip to main content" not in doc.text and "Privacy policy" not in doc.text


def test_jsonl_documents_with_optional_fields() -> None:
    path = DATA / "jsonl" / "analyses.jsonl"
    first, second = documents(path)
    assert first == Document(
        id="gdi-explainer",
        text="The Global Development Initiative was proposed by Xi Jinping at the UN General Assembly in 2021.",
        source=path.as_posix(),
        title="What is the Global Development Initiative?",
        url="https://example.org/gdi",
        date="2022-03-01",
        publisher="Example Institute",
        author="A. Analyst",
        type="Article",
    )
    assert (second.id, second.type) == ("bri-at-ten", "Report")
    assert second.text == "Ten years after its launch, the Belt and Road Initiative\nspans more than 140 countries."


# --- bad input never stops the batch -----------------------------------------------------


def test_each_bad_file_gives_one_error_and_the_rest_comes_through() -> None:
    results = list(read_documents([DATA / "bad", DATA / "text" / "plain-article.txt"]))
    bad = DATA / "bad"
    assert [str(r) for r in results if isinstance(r, InputError)] == [
        f"{bad}/empty-body.html: no text found in the HTML page (only scripts, menus or markup)",
        f"{bad}/empty.txt: empty file",
        f"{bad}/latin1.txt: not valid UTF-8 at byte 3",
        f"{bad}/mixed.jsonl:2: invalid JSON (Expecting ',' delimiter at column 41)",
        f"{bad}/mixed.jsonl:3: missing required field 'text'",
        f"{bad}/mixed.jsonl:5: field 'type' must be one of Report, Chapter, Article, Speech (got 'Blog')",
        f"{bad}/mixed.jsonl:6: expected a JSON object, got list",
        f"{bad}/whitespace-only.md: empty file (whitespace only)",
    ]
    assert [r.id for r in results if isinstance(r, Document)] == ["ok-1", "ok-2", "plain-article"]


def test_unreadable_and_binary_files_are_errors_in_the_stream(tmp_path: Path) -> None:
    (tmp_path / "a-binary.txt").write_bytes(b"GIF89a\x00\x01\x02")
    (tmp_path / "b-utf16.md").write_bytes("Geneva talks".encode("utf-16"))
    (tmp_path / "c-broken.txt").symlink_to(tmp_path / "missing-target.txt")
    (tmp_path / "d-binary.jsonl").write_bytes(b'{"id": "x", "text": "\x00"}\n')
    (tmp_path / "e-good.txt").write_text("Accra hosted the summit.", encoding="utf-8")
    results = list(read_documents([tmp_path, tmp_path / "missing.txt"]))
    assert errors_by_file(results) == {
        "a-binary.txt": "binary file (contains NUL bytes)",
        "b-utf16.md": "UTF-16 text: save the file as UTF-8",
        "c-broken.txt": "cannot read: broken link",
        "d-binary.jsonl": "binary file (contains NUL bytes)",
        "missing.txt": "cannot read: No such file or directory",
    }
    assert [r.id for r in results if isinstance(r, Document)] == ["e-good"]


def test_invalid_utf8_in_a_jsonl_line_names_the_line_and_byte(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    good, bad = b'{"id": "a", "text": "Lima"}\n', b'{"id": "b", "text": "S\xe3o Paulo"}\n'
    path.write_bytes(good + bad)
    first, second = read_documents([path])
    assert isinstance(first, Document) and isinstance(second, InputError)
    assert str(second) == f"{path.as_posix()}:2: not valid UTF-8 at byte {len(good) + bad.index(0xE3)}"


def test_unsupported_types_are_skipped_in_folders_but_errors_when_named() -> None:
    assert all(isinstance(r, Document) or not r.source.endswith(".pdf") for r in read_documents([DATA / "bad"]))
    [error] = read_file(DATA / "bad" / "report.pdf")
    assert isinstance(error, InputError)
    assert error.reason == "unsupported file type '.pdf' (supported: .htm, .html, .jsonl, .markdown, .md, .txt)"


# --- folders -----------------------------------------------------------------------------


def test_folders_are_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    for name in ("b/z.txt", "b/a/y.md", "a.txt", "c.txt/inner.txt", ".hidden/x.txt", "b/.x.txt", "b/notes.pdf"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(f"Text of {name}.", encoding="utf-8")
    ids = [d.id for d in documents(tmp_path)]
    assert ids == ["a", "y", "z", "inner"]  # a folder named c.txt is a folder
    assert [d.id for d in documents(tmp_path)] == ids
    assert documents(tmp_path)[1].source == f"{tmp_path.as_posix()}/b/a/y.md"


def test_documents_are_streamed_one_by_one() -> None:
    stream = read_documents(itertools.repeat(DATA / "text" / "plain-article.txt"))
    assert [d.id for d in itertools.islice(stream, 3)] == ["plain-article"] * 3


def test_doctests() -> None:
    for module in (kg.ingest, text, ungd, pages, html):
        assert doctest.testmod(module).failed == 0, module.__name__
