"""Ingestion: every format, the page splitter on real and made-up pages, and bad input."""

from __future__ import annotations

import codecs
import dataclasses
import doctest
import itertools
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import kg.errors
import kg.ingest
from kg.errors import InputError
from kg.ingest import boilerplate, characters, decode, html, jsonl, pages, read_documents, read_file, text, ungd
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
        file="analyses.jsonl",
    )
    assert (second.id, second.type) == ("bri-at-ten", "Report")
    assert second.text == "Ten years after its launch, the Belt and Road Initiative\nspans more than 140 countries."


def test_a_file_is_named_in_the_graph_from_the_folder_given_wherever_the_build_runs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "reports" / "2024"
    folder.mkdir(parents=True)
    (folder / "note.txt").write_text("China welcomed the Paris Agreement.", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for given in ("reports", tmp_path / "reports", "./reports/../reports"):
        [doc] = read_documents([given])
        assert doc.file == "reports/2024/note.txt"
    [alone] = read_documents([folder / "note.txt"])
    assert alone.file == "note.txt" and alone.source == (folder / "note.txt").as_posix()


# --- bad input never stops the batch -----------------------------------------------------


def test_each_bad_file_gives_one_error_and_the_rest_comes_through() -> None:
    results = list(read_documents([DATA / "bad", DATA / "text" / "plain-article.txt"]))
    bad = DATA / "bad"
    assert [str(r) for r in results if isinstance(r, InputError)] == [
        f"{bad}/empty-body.html: no text found in the HTML page (only scripts, menus or markup)",
        f"{bad}/empty.txt: empty file",
        f"{bad}/latin1.txt: not valid UTF-8 at byte 3 (invalid continuation byte): if it is text, save it as UTF-8",
        f"{bad}/mixed.jsonl:2: invalid JSON (Expecting ',' delimiter at column 41)",
        f"{bad}/mixed.jsonl:3: missing required field 'text'",
        f"{bad}/mixed.jsonl:5: field 'type' must be one of Report, Chapter, Article, Speech (got 'Blog')",
        f"{bad}/mixed.jsonl:6: expected a JSON object, got an array",
        f"{bad}/report.pdf: the PDF is cut short (no end-of-file marker): download or export it again",
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
        "a-binary.txt": "not a text file: a GIF image, convert it to text first",
        "c-broken.txt": f"cannot read: broken link (its target {tmp_path}/missing-target.txt does not exist)",
        "d-binary.jsonl": "not a text file: binary data (contains NUL bytes)",
        "missing.txt": "no such file or folder",
    }
    assert [r.id for r in results if isinstance(r, Document)] == ["b-utf16", "e-good"]


def test_invalid_utf8_in_a_jsonl_line_names_the_line_and_byte(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    good, bad = b'{"id": "a", "text": "Lima"}\n', b'{"id": "b", "text": "S\xe3o Paulo"}\n'
    path.write_bytes(good + bad)
    first, second = read_documents([path])
    assert isinstance(first, Document) and isinstance(second, InputError)
    at = len(good) + bad.index(0xE3)
    assert str(second) == (
        f"{path.as_posix()}:2: not valid UTF-8 at byte {at} (invalid continuation byte): save the file as UTF-8"
    )


def test_unsupported_types_are_skipped_in_folders_but_errors_when_named(tmp_path: Path) -> None:
    (tmp_path / "brief.docx").write_bytes(b"PK\x03\x04")
    assert list(read_documents([tmp_path])) == []
    [error] = read_file(tmp_path / "brief.docx")
    assert isinstance(error, InputError)
    assert error.reason == "unsupported file type '.docx' (supported: .htm, .html, .jsonl, .markdown, .md, .pdf, .txt)"


# --- hostile input: characters, sizes, encodings, special files --------------------------


def write_jsonl(path: Path, *lines: str) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_unwritable_characters_are_repaired_one_for_one(tmp_path: Path) -> None:
    record = r'{"id": "r", "text": "Accra\udc80 and\u0000 Lom\u00e9\uffff.\fNext", "title": "\ud800Title"}'
    [doc] = documents(write_jsonl(tmp_path / "records.jsonl", record))
    assert doc.text == "Accra\ufffd and\ufffd Lomé\ufffd.\nNext"  # one character for one: offsets hold
    assert doc.title == "\ufffdTitle"
    (tmp_path / "page.txt").write_bytes("Dakar\x1b signed.\vPage\x0c2 \u2028ok".encode())
    [page] = documents(tmp_path / "page.txt")
    assert page.text == "Dakar\ufffd signed.\nPage\n2 \u2028ok"


def test_every_string_field_of_a_document_is_repaired() -> None:
    names = [field.name for field in dataclasses.fields(Document)]
    document = characters.repaired(Document(**dict.fromkeys(names, "a\x00b\udc80")))
    assert [getattr(document, name) for name in names] == ["a\ufffdb\ufffd"] * len(names)
    clean = Document(id="x", text="Text\twith tab\n", source="x.txt")
    assert characters.repaired(clean) is clean


def test_unusable_ids_are_refused_and_odd_but_usable_ones_kept(tmp_path: Path) -> None:
    ids = ["a\\udc80", "a\\u001bb", "tab\\there", "x" * 1001, "reports/2023 #4 (draft)!", "!!!", "  padded  "]
    path = write_jsonl(tmp_path / "ids.jsonl", *(f'{{"id": "{i}", "text": "Lima."}}' for i in ids))
    results = list(read_documents([path]))
    assert [str(r).split(": ", 1)[1] for r in results if isinstance(r, InputError)] == [
        "field 'id' holds the unprintable character U+DC80: ids must be printable text",
        "field 'id' holds the unprintable character U+001B: ids must be printable text",
        "field 'id' holds the unprintable character U+0009: ids must be printable text",
        "field 'id' is 1001 characters long, over 1000: use a shorter key",
    ]
    assert [r.source for r in results if isinstance(r, InputError)] == [f"{path.as_posix()}:{n}" for n in (1, 2, 3, 4)]
    assert [r.id for r in results if isinstance(r, Document)] == ["reports/2023 #4 (draft)!", "!!!", "padded"]


def test_paths_that_cannot_name_a_document_give_one_escaped_line(tmp_path: Path) -> None:
    (tmp_path / "new\nline.txt").write_text("Lima.", encoding="utf-8")
    (tmp_path / "tab\there.txt").write_text("Lima.", encoding="utf-8")
    with open(os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt"), "wb") as handle:
        handle.write(b"Lima.")
    errors = [str(r) for r in read_documents([tmp_path]) if isinstance(r, InputError)]
    folder = tmp_path.as_posix()
    assert errors == [
        f"{folder}/caf\\xe9.txt: the path holds a byte that is not UTF-8 (\\xe9): rename the file or its folder",
        f"{folder}/new\\nline.txt: the path holds the unprintable character U+000A: rename the file or its folder",
        f"{folder}/tab\\there.txt: the path holds the unprintable character U+0009: rename the file or its folder",
    ]


def test_error_messages_are_one_printable_line_whatever_they_quote() -> None:
    message = str(InputError("a\nb\u2028c\udce9.txt", "reason\r\nwith\x1b[31m escapes"))
    assert message == "a\\nb\\u2028c\\xe9.txt: reason\\r\\nwith\\x1b[31m escapes"
    assert len(message.splitlines()) == 1
    message.encode("utf-8")  # printable to any UTF-8 stream


def test_files_and_lines_over_the_size_limit_are_refused(tmp_path: Path) -> None:
    (tmp_path / "at-limit.txt").write_text("x" * 100, encoding="utf-8")
    (tmp_path / "over-limit.txt").write_text("x" * 101, encoding="utf-8")
    line = '{"id": "long", "text": "%s"}' % ("x" * 200)
    write_jsonl(tmp_path / "records.jsonl", '{"id": "a", "text": "Lima."}', line, '{"id": "b", "text": "Quito."}')
    results = list(read_documents([tmp_path], max_bytes=100))
    limit = "the 100 bytes limit per document; raise it with --max-document-size"
    assert [str(r) for r in results if isinstance(r, InputError)] == [
        f"{tmp_path.as_posix()}/over-limit.txt: 101 bytes is over {limit}",
        f"{tmp_path.as_posix()}/records.jsonl:2: {len(line)} bytes is over {limit}",
    ]
    assert [r.id for r in results if isinstance(r, Document)] == ["at-limit", "a", "b"]
    assert decode.format_size(48_012_345) == "48 MB" and decode.format_size(5_000_000) == "5 MB"


def test_a_file_whose_size_is_not_known_is_read_no_further_than_the_limit(tmp_path: Path) -> None:
    (tmp_path / "maps.txt").symlink_to("/proc/self/maps")  # a regular file of size 0, yet not empty
    [error] = read_file(tmp_path / "maps.txt", max_bytes=100)
    assert isinstance(error, InputError) and error.reason.startswith("larger than the 100 bytes limit per document")


def test_special_files_are_refused_without_waiting(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")  # open() would wait for a writer forever
    (tmp_path / "zero.txt").symlink_to("/dev/zero")  # and this would never end
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    (tmp_path / "folder.md").mkdir()
    results: list[Document | InputError] = []
    reading = threading.Thread(
        target=lambda: results.extend(r for name in ("pipe.txt", "zero.txt", "loop.txt", "folder.md")
                                      for r in read_file(tmp_path / name)),
        daemon=True,
    )
    reading.start()
    reading.join(timeout=30)
    assert not reading.is_alive(), "reading a special file blocked"
    assert errors_by_file(results) == {
        "pipe.txt": "cannot read: a named pipe, not a file",
        "zero.txt": "cannot read: a device, not a file",
        "loop.txt": "cannot read: a loop of symbolic links",
        "folder.md": "cannot read: a folder, not a file",
    }


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_an_unreadable_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("Lima.", encoding="utf-8")
    path.chmod(0)
    assert errors_by_file(list(read_file(path))) == {"secret.txt": "cannot read: Permission denied"}


def test_utf16_and_utf32_are_read_when_a_byte_order_mark_says_so(tmp_path: Path) -> None:
    text = "Geneva talks: Côte d’Ivoire and 中国"
    for name, data in {
        "utf16.txt": text.encode("utf-16"),
        "utf16be.md": codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        "utf32.txt": text.encode("utf-32"),
        "utf8bom.html": codecs.BOM_UTF8 + f"<html><body><p>{text}</p></body></html>".encode(),
    }.items():
        (tmp_path / name).write_bytes(data)
    assert {d.id: d.text for d in documents(tmp_path)} == dict.fromkeys(["utf16", "utf16be", "utf32", "utf8bom"], text)


def test_encodings_that_cannot_be_read_are_named(tmp_path: Path) -> None:
    files = {
        "no-mark.txt": "Geneva talks".encode("utf-16-le"),
        "no-mark-be.txt": "Geneva talks".encode("utf-16-be"),
        "odd.txt": "Geneva".encode("utf-16") + b"\x00",
        "lone.txt": codecs.BOM_UTF16_LE + b"G\x00\x00\xdc",
        "cut.txt": "Côte".encode()[:2],
        "utf16.jsonl": '{"id": "a", "text": "Lima"}\n'.encode("utf-16"),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    assert errors_by_file(list(read_documents([tmp_path]))) == {
        "no-mark.txt": "not a text file: UTF-16-LE text without a byte-order mark, save it as UTF-8",
        "no-mark-be.txt": "not a text file: UTF-16-BE text without a byte-order mark, save it as UTF-8",
        "odd.txt": "not valid UTF-16-LE at byte 14 (truncated data): if it is text, save it as UTF-8",
        "lone.txt": "not valid UTF-16-LE at byte 4 (illegal encoding): if it is text, save it as UTF-8",
        "cut.txt": "not valid UTF-8 at byte 1 (unexpected end of data): if it is text, save it as UTF-8",
        "utf16.jsonl": "UTF-16-LE text: JSON Lines must be UTF-8, save the file as UTF-8",
    }


def test_other_formats_under_a_text_extension_are_named(tmp_path: Path) -> None:
    files = {
        "report.txt": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        "chart.html": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "brief.md": b"PK\x03\x04\x14\x00\x06\x00",
        "feed.jsonl": b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
        "noise.txt": bytes(range(256)),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    assert errors_by_file(list(read_documents([tmp_path]))) == {
        "report.txt": "not a text file: a PDF document, convert it to text first",
        "chart.html": "not a text file: a PNG image, convert it to text first",
        "brief.md": "not a text file: a ZIP archive (or a .docx, .xlsx or .epub file), convert it to text first",
        "feed.jsonl": "not a text file: a gzip archive, convert it to text first",
        "noise.txt": "not a text file: binary data (contains NUL bytes)",
    }


def test_json_records_the_parser_would_choke_on_are_one_line_each(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "records.jsonl",
        '{"id": "deep", "text": "x", "extra": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"id": "twice", "text": "first", "text": "second"}',
        '{"id": "big-number", "text": "Lima.", "count": ' + "9" * 100_000 + "}",
        '{"id": 42, "text": "Lima."}',
        "null",
        '{"id": "raw-tab", "text": "Lima\tand Quito."}',
        '{"id": "nested-twice", "text": "Lima.", "meta": {"a": 1, "a": 2}}',
        '{"id": "nul", "text": "Li\x00ma."}',
    )
    results = list(read_documents([path]))
    assert [str(r).split(": ", 1)[1] for r in results if isinstance(r, InputError)] == [
        "invalid JSON (nested too deeply for the parser)",
        "field 'text' is given twice: keep one",
        "field 'id' must be a string, got a number",
        "expected a JSON object, got null",
        "binary data (contains NUL bytes)",
    ]
    assert [r.id for r in results if isinstance(r, Document)] == ["big-number", "raw-tab", "nested-twice"]


def test_jsonl_dates_are_iso_dates_to_the_day(tmp_path: Path) -> None:
    dates = ["2023", "2023-09", "2023-09-19T10:00:00+02:00", "2023-13-45", "Tue, 19 Sep 2023 10:00:00 GMT"]
    records = (json.dumps({"id": f"d{i}", "text": "Lima.", "date": date}) for i, date in enumerate(dates))
    path = write_jsonl(tmp_path / "dated.jsonl", *records)
    results = list(read_documents([path]))
    assert [r.date for r in results if isinstance(r, Document)] == ["2023", "2023-09", "2023-09-19"]
    assert [str(r).split(": ", 1)[1] for r in results if isinstance(r, InputError)] == [
        "field 'date' must be an ISO 8601 date, YYYY, YYYY-MM or YYYY-MM-DD (got '2023-13-45')",
        "field 'date' must be an ISO 8601 date, YYYY, YYYY-MM or YYYY-MM-DD (got 'Tue, 19 Sep 2023 10:00:00 GMT')",
    ]


def test_concatenated_jsonl_files_may_each_start_with_a_byte_order_mark(tmp_path: Path) -> None:
    part = '{"id": "%s", "text": "Lima."}\n'
    (tmp_path / "joined.jsonl").write_bytes(b"".join(codecs.BOM_UTF8 + (part % i).encode() for i in ("a", "b")))
    assert [d.id for d in documents(tmp_path / "joined.jsonl")] == ["a", "b"]


def test_deeply_nested_html_gives_its_text_or_says_why_not(tmp_path: Path) -> None:
    def page(depth: int) -> str:
        paragraph = "<p>China and Russia signed a partnership treaty in Geneva after long talks.</p>"
        return f"<html><body>{'<div>' * depth}{paragraph}{'</div>' * depth}<p>After the nesting.</p></body></html>"

    (tmp_path / "deep.html").write_text(page(1000), encoding="utf-8")  # libxml2 alone stops at 256
    (tmp_path / "too-deep.html").write_text(page(html.MAX_DEPTH + 10), encoding="utf-8")
    results = list(read_documents([tmp_path]))
    [doc] = [r for r in results if isinstance(r, Document)]
    assert "China and Russia signed a partnership treaty" in doc.text
    assert errors_by_file(results) == {
        "too-deep.html": "HTML nested deeper than 2048 elements, where the parser stops (unclosed tags?): "
        "the text beyond would be lost; save the page as text"
    }


def test_a_reader_bug_becomes_one_error_line_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(path: Path, source: str, max_bytes: int) -> Iterator[Document]:
        raise RuntimeError("boom\nin two lines")

    monkeypatch.setitem(kg.ingest.READERS, ".md", broken)
    (tmp_path / "a.md").write_text("Lima.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Quito.", encoding="utf-8")
    results = list(read_documents([tmp_path]))
    assert [str(r) for r in results if isinstance(r, InputError)] == [
        f"{tmp_path.as_posix()}/a.md: cannot be read (RuntimeError: boom\\nin two lines); please report it"
    ]
    assert [r.id for r in results if isinstance(r, Document)] == ["b"]


# --- folders -----------------------------------------------------------------------------


def test_folders_are_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    for name in ("b/z.txt", "b/a/y.md", "a.txt", "c.txt/inner.txt", ".hidden/x.txt", "b/.x.txt", "b/notes.docx"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(f"Text of {name}.", encoding="utf-8")
    ids = [d.id for d in documents(tmp_path)]
    assert ids == ["a", "y", "z", "inner"]  # a folder named c.txt is a folder
    assert [d.id for d in documents(tmp_path)] == ids
    assert documents(tmp_path)[1].source == f"{tmp_path.as_posix()}/b/a/y.md"


def test_a_folder_tree_deeper_than_the_recursion_limit_is_walked(tmp_path: Path) -> None:
    folder = tmp_path
    for _ in range(1500):
        folder = folder / "d"
        folder.mkdir()
    (folder / "bottom.txt").write_text("Lima.", encoding="utf-8")
    try:
        assert [d.id for d in documents(tmp_path)] == ["bottom"]
    finally:  # pytest's clean-up recurses, and would fail on this tree
        (folder / "bottom.txt").unlink()
        while folder != tmp_path:
            folder.rmdir()
            folder = folder.parent


def test_a_folder_reached_again_through_a_link_is_walked_once(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "note.txt").write_text("Lima.", encoding="utf-8")
    (tmp_path / "a" / "up").symlink_to(tmp_path)  # a loop
    (tmp_path / "b").symlink_to(tmp_path / "a")
    assert [d.source for d in documents(tmp_path)] == [f"{tmp_path.as_posix()}/a/note.txt"]


def test_a_path_that_does_not_exist_is_named_as_such() -> None:
    [error] = read_documents(["no-such-folder"])
    assert str(error) == "no-such-folder: no such file or folder"


def test_documents_are_streamed_one_by_one() -> None:
    stream = read_documents(itertools.repeat(DATA / "text" / "plain-article.txt"))
    assert [d.id for d in itertools.islice(stream, 3)] == ["plain-article"] * 3


def test_doctests() -> None:
    for module in (kg.ingest, text, ungd, pages, html, jsonl, characters, decode, kg.errors):
        assert doctest.testmod(module).failed == 0, module.__name__
