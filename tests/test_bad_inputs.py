"""Bad data never stops a batch: hostile inputs built with the CLI beside good documents.

Every case is put in one folder beside a good speech and the folder is built once with
``kg build``. Each refused input must give exactly one line on stderr that names it (and
its line, for JSON Lines) and the reason; each repaired input must be in the store; no
traceback anywhere; the good documents are in the store; the exit status is 1.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.ingest import DEFAULT_MAX_DOCUMENT_BYTES
from kg.ingest.html import MAX_DEPTH
from kg.resources import SAMPLE_DIR
from kg.store import Store
from tests.sparql import rows

GOOD_SPEECH = SAMPLE_DIR / "ungd" / "FJI_76_2021.txt"
GOOD_RECORD = {"text": "Peru and Chile signed a trade agreement in Lima."}
AS_ROOT = os.geteuid() == 0


def _write(name: str, data: bytes | str) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        path = os.path.join(os.fsencode(folder), os.fsencode(name))  # names need not be UTF-8
        with open(path, "wb") as handle:
            handle.write(data.encode() if isinstance(data, str) else data)

    return make


def _jsonl(name: str, bad_line: str | bytes) -> Callable[[Path], None]:
    """A JSON Lines file whose first record is good and whose second is ``bad_line``."""
    good = json.dumps({"id": f"fine-{name.removesuffix('.jsonl')}", **GOOD_RECORD}).encode()
    return _write(name, good + b"\n" + (bad_line if isinstance(bad_line, bytes) else bad_line.encode()) + b"\n")


def _link(name: str, target: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).symlink_to(target)


def _fifo(name: str) -> Callable[[Path], None]:
    return lambda folder: os.mkfifo(folder / name)


def _unreadable(name: str) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        _write(name, "Peru and Chile.")(folder)
        (folder / name).chmod(0)

    return make


def _sparse(name: str, size: int) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        with open(folder / name, "wb") as handle:
            handle.truncate(size)

    return make


def _folder(name: str, inner: str) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        (folder / name).mkdir()
        _write(inner, "Peru and Chile.")(folder / name)

    return make


def _deep_folders(depth: int, inner: str) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        for _ in range(depth):
            folder = folder / "d"
            folder.mkdir()
        _write(inner, "Peru and Chile.")(folder)

    return make


def _remove_deep_folders(top: Path) -> None:
    """Remove the chain ``top/d/d/…`` bottom up: pytest's clean-up recurses, and would fail on it."""
    chain = [top / "d"]
    while (chain[-1] / "d").is_dir():
        chain.append(chain[-1] / "d")
    for folder in reversed(chain):
        shutil.rmtree(folder)


def _pdf(name: str, cut: bool = False, **options) -> Callable[[Path], None]:
    """A small PDF report (tests/pdfs.py), cut in half when ``cut``."""
    def make(folder: Path) -> None:
        from tests.pdfs import small_report

        small_report(folder / name, **options)
        if cut:
            data = (folder / name).read_bytes()
            (folder / name).write_bytes(data[: len(data) // 2])

    return make


def _scanned_pdf(name: str) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        from tests.pdfs import make_scanned

        make_scanned(folder / name)

    return make


def _owner_password() -> object:
    from reportlab.lib.pdfencrypt import StandardEncryption

    return StandardEncryption("", ownerPassword="owner", canCopy=0)


def _nested_html(depth: int) -> str:
    paragraph = "<p>Peru and Chile signed a trade agreement in Lima after long talks.</p>"
    return f"<html><body>{'<div>' * depth}{paragraph}{'</div>' * depth}</body></html>"


@dataclass(frozen=True)
class Refused:
    """A bad input: the location its error line names (as printed) and a fragment of the reason."""

    case: str
    make: Callable[[Path], None]
    where: str
    reason: str
    skip: str | None = None


@dataclass(frozen=True)
class Repaired:
    """An input that looks bad but is read: the id of the document that must be in the store,
    and what becomes of it (for the report's table)."""

    case: str
    make: Callable[[Path], None]
    document_id: str
    outcome: str


MB = DEFAULT_MAX_DOCUMENT_BYTES
LONG_LINE = json.dumps({"id": "long", "text": "x" * MB})
REFUSED = [
    Refused("empty file", _write("empty.txt", b""), "empty.txt", "empty file"),
    Refused("whitespace only", _write("blank.md", " \n\t\r\n"), "blank.md", "empty file (whitespace only)"),
    Refused("Latin-1 text", _write("latin1.txt", "Café in Côte".encode("latin-1")), "latin1.txt",
            "not valid UTF-8 at byte 3 (invalid continuation byte): if it is text, save it as UTF-8"),
    Refused("UTF-8 cut inside a character", _write("cut.txt", "Peru and Côte".encode()[:11]), "cut.txt",
            "not valid UTF-8 at byte 10 (unexpected end of data)"),
    Refused("UTF-16 without a byte-order mark", _write("utf16.txt", "Peru and Chile".encode("utf-16-le")),
            "utf16.txt", "UTF-16-LE text without a byte-order mark, save it as UTF-8"),
    Refused("binary data", _write("noise.txt", bytes(range(256)) * 4), "noise.txt",
            "not a text file: binary data (contains NUL bytes)"),
    Refused("a PDF named .txt", _write("report.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), "report.txt",
            "not a text file: a PDF document, convert it to text first"),
    Refused("a PNG named .html", _write("chart.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "chart.html",
            "not a text file: a PNG image"),
    Refused("a ZIP (.docx) named .md", _write("brief.md", b"PK\x03\x04\x14\x00\x06\x00"), "brief.md",
            "not a text file: a ZIP archive (or a .docx, .xlsx or .epub file)"),
    Refused("encrypted PDF", _pdf("locked.pdf", encrypt="secret"), "locked.pdf",
            "the PDF is encrypted and needs a password: save a copy without one"),
    Refused("scanned PDF without a text layer", _scanned_pdf("scanned.pdf"), "scanned.pdf",
            "no text layer: the 2 page(s) are images, as scanned (run OCR first"),
    Refused("truncated PDF", _pdf("cut.pdf", cut=True), "cut.pdf",
            "the PDF is cut short (no end-of-file marker): download or export it again"),
    Refused("PDF over the size limit", _sparse("huge.pdf", MB + 1_000_000), "huge.pdf",
            "is over the 5 MB limit per document; raise it with --max-document-size"),
    Refused("text named .pdf", _write("notes.pdf", "Peru and Chile."), "notes.pdf",
            "not a PDF despite its name: it holds text; rename it"),
    Refused("damaged PDF", _write("damaged.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 4 + b"\n%%EOF\n"),
            "damaged.pdf", "damaged PDF (No /Root object! - Is this really a PDF?): open it in a viewer"),
    Refused("HTML with only scripts", _write("scripts.html", "<html><body><script>var a = 1;</script></body></html>"),
            "scripts.html", "no text found in the HTML page (only scripts, menus or markup)"),
    Refused(f"HTML nested deeper than {MAX_DEPTH}", _write("too-deep.html", _nested_html(MAX_DEPTH + 10)),
            "too-deep.html", f"HTML nested deeper than {MAX_DEPTH} elements, where the parser stops"),
    Refused("a named pipe (would block)", _fifo("pipe.txt"), "pipe.txt", "cannot read: a named pipe, not a file"),
    Refused("/dev/zero (endless)", _link("zero.txt", "/dev/zero"), "zero.txt", "cannot read: a device, not a file"),
    Refused("broken symbolic link", _link("broken.txt", "missing.txt"), "broken.txt",
            "cannot read: broken link (its target missing.txt does not exist)"),
    Refused("symbolic link loop", _link("loop.txt", "loop.txt"), "loop.txt", "cannot read: a loop of symbolic links"),
    Refused("no read permission", _unreadable("secret.txt"), "secret.txt", "cannot read: Permission denied",
            skip="root reads files whatever their permissions" if AS_ROOT else None),
    Refused("newline in the file name", _write("new\nline.txt", "Peru."), "new\\nline.txt",
            "the path holds the unprintable character U+000A: rename the file or its folder"),
    Refused("file name not UTF-8", _write("caf\udce9.txt", "Peru."), "caf\\xe9.txt",
            "the path holds a byte that is not UTF-8 (\\xe9): rename the file or its folder"),
    Refused("file over the size limit", _sparse("huge.txt", MB + 1_000_000), "huge.txt",
            "is over the 5 MB limit per document; raise it with --max-document-size"),
    Refused("JSONL line over the size limit", _jsonl("long.jsonl", LONG_LINE), "long.jsonl:2",
            f"{len(LONG_LINE):,} bytes is over the 5 MB limit per document"),
    Refused("JSONL invalid JSON", _jsonl("syntax.jsonl", '{"id": "b", "text": "no brace"'), "syntax.jsonl:2",
            "invalid JSON (Expecting ',' delimiter at column 31)"),
    Refused("JSONL missing text", _jsonl("notext.jsonl", '{"id": "b"}'), "notext.jsonl:2",
            "missing required field 'text'"),
    Refused("JSONL text only spaces", _jsonl("spaces.jsonl", '{"id": "b", "text": "   "}'), "spaces.jsonl:2",
            "field 'text' is empty"),
    Refused("JSONL id a number", _jsonl("number.jsonl", '{"id": 7, "text": "Peru."}'), "number.jsonl:2",
            "field 'id' must be a string, got a number"),
    Refused("JSONL lone surrogate in the id", _jsonl("surrogate.jsonl", r'{"id": "b\udc80", "text": "Peru."}'),
            "surrogate.jsonl:2", "field 'id' holds the unprintable character U+DC80"),
    Refused("JSONL control character in the id", _jsonl("control.jsonl", r'{"id": "b\u001b[2J", "text": "Peru."}'),
            "control.jsonl:2", "field 'id' holds the unprintable character U+001B"),
    Refused("JSONL id of 5,000 characters", _jsonl("longid.jsonl", json.dumps({"id": "b" * 5000, "text": "Peru."})),
            "longid.jsonl:2", "field 'id' is 5000 characters long, over 1000"),
    Refused("JSONL duplicate key", _jsonl("twice.jsonl", '{"id": "b", "text": "Peru.", "text": "Chile."}'),
            "twice.jsonl:2", "field 'text' is given twice: keep one"),
    Refused("JSONL nested 100,000 deep", _jsonl("deep.jsonl", "[" * 100_000 + "]" * 100_000), "deep.jsonl:2",
            "invalid JSON (nested too deeply for the parser)"),
    Refused("JSONL not an object", _jsonl("array.jsonl", '["Peru", "Chile"]'), "array.jsonl:2",
            "expected a JSON object, got an array"),
    Refused("JSONL unknown type", _jsonl("type.jsonl", '{"id": "b", "text": "Peru.", "type": "Blog"}'),
            "type.jsonl:2", "field 'type' must be one of Report, Chapter, Article, Speech (got 'Blog')"),
    Refused("JSONL impossible date", _jsonl("date.jsonl", '{"id": "b", "text": "Peru.", "date": "2023-13-45"}'),
            "date.jsonl:2", "field 'date' must be an ISO 8601 date, YYYY, YYYY-MM or YYYY-MM-DD (got '2023-13-45')"),
    Refused("JSONL invalid UTF-8 in a line", _jsonl("bytes.jsonl", b'{"id": "b", "text": "S\xe3o"}'),
            "bytes.jsonl:2", "not valid UTF-8 at byte"),
    Refused("JSONL raw NUL byte in a line", _jsonl("nul.jsonl", '{"id": "b", "text": "Pe\x00ru"}'), "nul.jsonl:2",
            "binary data (contains NUL bytes)"),
    Refused("JSONL saved as UTF-16", _write("utf16.jsonl", json.dumps({"id": "b", **GOOD_RECORD}).encode("utf-16")),
            "utf16.jsonl", "UTF-16-LE text: JSON Lines must be UTF-8, save the file as UTF-8"),
]
REPAIRED = [
    Repaired("JSONL lone surrogates in text and title",
             _write("mended.jsonl", r'{"id": "mended", "text": "Peru\udc80 and Chile.", "title": "T\ud800"}' "\n"),
             "mended", "title T\ufffd"),
    Repaired("JSONL NUL, ESC and U+FFFF escaped in text",
             _write("controls.jsonl", r'{"id": "controls", "text": "Peru\u0000 and\u001b Chile\uffff."}' "\n"),
             "controls", "each becomes U+FFFD"),
    Repaired("control characters and form feeds in a .txt", _write("pdftotext.txt", "Peru\x1b and\fChile.\x0c"),
             "pdftotext", "form feed becomes a newline, ESC U+FFFD"),
    Repaired("UTF-16 with a byte-order mark", _write("windows.txt", "Peru and Chile.".encode("utf-16")),
             "windows", "read"),
    Repaired("UTF-32 with a byte-order mark", _write("utf32.md", "Peru and Chile.".encode("utf-32")),
             "utf32", "read"),
    Repaired("JSONL id with slash, spaces, punctuation",
             _write("ids.jsonl", json.dumps({"id": "reports/2023 #4 (draft)!", **GOOD_RECORD}) + "\n"),
             "reports/2023 #4 (draft)!", "kept; the IRI percent-encodes it"),
    Repaired("JSONL id only punctuation", _write("punct.jsonl", json.dumps({"id": "!!!", **GOOD_RECORD}) + "\n"),
             "!!!", "kept"),
    Repaired("JSONL number of 100,000 digits",
             _write("bignum.jsonl", '{"id": "bignum", "text": "Peru.", "n": ' + "9" * 100_000 + "}\n"),
             "bignum", "ignored field, read as a float"),
    Repaired("JSONL raw tab inside a string", _write("tab.jsonl", '{"id": "tab", "text": "Peru\tand Chile."}\n'),
             "tab", "kept"),
    Repaired("JSONL date-time",
             _write("dated.jsonl", '{"id": "dated", "text": "Peru.", "date": "2023-09-19T10:00Z"}\n'),
             "dated", "date 2023-09-19"),
    Repaired("PDF with an owner password only", _pdf("owner.pdf", encrypt=_owner_password()), "owner/trade",
             "read: no password is needed to open it"),
    Repaired("HTML nested 1,000 deep", _write("nested.html", _nested_html(1000)), "nested", "text read"),
    Repaired("a folder named like a file", _folder("folder.txt", "inner.txt"), "inner", "read as a folder"),
    Repaired("folders nested 1,500 deep", _deep_folders(1500, "bottom.txt"), "bottom", "walked without recursion"),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """Every case in one folder beside a good speech, built once by the CLI."""
    root = tmp_path_factory.mktemp("bad-inputs")
    folder = root / "inputs"
    folder.mkdir()
    shutil.copy(GOOD_SPEECH, folder)
    for case in [*(case for case in REFUSED if not case.skip), *REPAIRED]:
        case.make(folder)
    result = CliRunner().invoke(main, ["build", str(folder), "--store", str(root / "store"), "--no-exports"])
    # The result's traceback keeps the build's store open; keep only what the tests read.
    built = {"folder": folder.as_posix(), "exit_code": result.exit_code, "stdout": result.stdout,
             "stderr": result.stderr, "exception": type(result.exception)}
    del result
    gc.collect()
    built["store"] = Store(root / "store", read_only=True)
    built["ids"] = {r["id"] for r in rows(built["store"], "SELECT ?id { ?d kg:documentId ?id }")}
    yield built
    _remove_deep_folders(folder)


def test_the_batch_exits_1_without_a_traceback(built: dict) -> None:
    assert built["exit_code"] == 1, built["stdout"] + built["stderr"]
    assert built["exception"] is SystemExit
    assert "Traceback" not in built["stdout"] + built["stderr"]


def test_every_stderr_line_is_one_error_for_one_refused_input(built: dict) -> None:
    lines = built["stderr"].splitlines()
    assert all(line.startswith(f"kg: error: {built['folder']}/") for line in lines), lines
    assert len(lines) == len([case for case in REFUSED if not case.skip])
    assert f"{len(lines)} inputs failed" in built["stdout"]


def test_the_good_documents_are_in_the_store(built: dict) -> None:
    assert GOOD_SPEECH.stem in built["ids"]
    good_lines = {f"fine-{case.where.split('.jsonl')[0]}" for case in REFUSED if ".jsonl:" in case.where}
    assert good_lines <= built["ids"]
    countries = rows(built["store"], f"""SELECT ?label {{ ?d kg:documentId "{GOOD_SPEECH.stem}" ;
                                          kg:mentions/rdfs:label ?label }}""")
    assert {"Fiji"} <= {r["label"] for r in countries}


@pytest.mark.parametrize(
    "case", [pytest.param(c, id=c.case, marks=pytest.mark.skipif(bool(c.skip), reason=c.skip or "")) for c in REFUSED]
)
def test_a_refused_input_gives_one_line_naming_it_and_why(built: dict, case: Refused) -> None:
    prefix = f"kg: error: {built['folder']}/{case.where}: "
    lines = [line for line in built["stderr"].splitlines() if line.startswith(prefix)]
    assert len(lines) == 1, built["stderr"]
    assert case.reason in lines[0]


@pytest.mark.parametrize("case", [pytest.param(c, id=c.case) for c in REPAIRED])
def test_a_repaired_input_is_built(built: dict, case: Repaired) -> None:
    assert case.document_id in built["ids"]  # and no error line: each line is a refused input


def test_repaired_values_are_what_the_store_holds(built: dict) -> None:
    [title] = rows(built["store"], 'SELECT ?t { ?d kg:documentId "mended" ; dcterms:title ?t }')
    assert title["t"] == "T\ufffd"  # a mark where a character was lost
    [date] = rows(built["store"], 'SELECT ?date { ?d kg:documentId "dated" ; dcterms:date ?date }')
    assert date["date"] == "2023-09-19"
