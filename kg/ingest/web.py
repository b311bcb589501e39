"""Documents from web addresses: fetched (or read from the cache), sniffed, and read by the
same readers as files.

An HTML page goes through :func:`kg.ingest.html.documents`, a PDF through
:func:`kg.ingest.pdf.from_bytes` and plain text or Markdown through
:func:`kg.ingest.text.documents`, so a page read from the web gives the documents its saved
file would, with the address as their kg:sourceFile and an id made from it
(:func:`kg.ingest.address.document_id`). JSON Lines (``application/x-ndjson``, or a ``.jsonl``
address served as text) give a document a line, with the ids of their lines, as a file does.
What a body is comes from its first bytes where they
tell (a PDF served as ``application/octet-stream``, a page labelled ``text/plain``), else from
its Content-Type; anything else (an image, an archive, JSON) is refused in one line. Text is
decoded as its Content-Type, byte-order mark or ``<meta charset>`` says, else as UTF-8, else
as Windows-1252, as browsers do.

An RSS or Atom feed, a sitemap or a sitemap index gives the documents it lists, up to
``max_entries`` for each address given; a list found in a list is read only below a sitemap
index. An address is read once per run, however often it is given or listed.

Each address is fetched once: the answer is kept in the cache (:mod:`kg.ingest.webcache`)
and read from there afterwards, without a request. ``refresh`` asks the server whether a kept
answer changed (a conditional request), keeping it when the server cannot be reached;
``offline`` never asks, and an address not in the cache fails.
"""

from __future__ import annotations

import codecs
import dataclasses
import io
import re
from collections.abc import Callable, Iterator
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from kg.errors import InputError
from kg.ingest import feeds, html, jsonl, pdf, text
from kg.ingest.address import address_problem, document_id, normalized
from kg.ingest.characters import id_problem, repaired
from kg.ingest.decode import binary_kind, normalize_newlines, over_limit, text_encoding
from kg.ingest.fetch import Fetcher, Response, gunzip
from kg.ingest.webcache import Cache
from kg.model import DEFAULT_MAX_DOCUMENT_BYTES, Document

MAX_ENTRIES = 1000  # documents read from one feed or sitemap (with the sitemaps of an index)
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_XML_TYPES = ("application/xml", "text/xml", "application/rss+xml", "application/atom+xml", "application/rdf+xml")
_TEXT_TYPES = ("text/plain", "text/markdown", "text/x-markdown")
_UNTYPED = ("", "application/octet-stream", "binary/octet-stream")
_GZIP_TYPES = ("application/gzip", "application/x-gzip")
_JSONL_TYPES = ("application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines",
                "application/jsonlines")
_READ = "HTML, PDF, plain text or Markdown, JSON Lines, RSS or Atom feeds, sitemaps"
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.-]+)""")
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)


class Web:
    """Documents of the web addresses of one run: its fetcher, cache and settings, and the
    addresses read so far. ``on_note`` is told, in one line, what a user should know that is
    not a failure (a list cut at ``max_entries``, a kept answer used when refreshing failed)."""

    def __init__(self, fetcher: Fetcher | None = None, cache: Cache | None = None, *, refresh: bool = False,
                 offline: bool = False, max_entries: int = MAX_ENTRIES,
                 on_note: Callable[[str], None] = lambda line: None) -> None:
        self.fetcher = fetcher or Fetcher()
        self.cache = cache or Cache(None)
        self.refresh = refresh
        self.offline = offline
        self.max_entries = max_entries
        self.on_note = on_note
        self._seen: set[str] = set()  # ids of the addresses read in this run

    def read(self, url: str, max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES) -> Iterator[Document | InputError]:
        """The documents at ``url`` (those a feed or sitemap there lists), or the InputError
        of each address that gives none."""
        yield from self._read(normalized(url), max_bytes, lists=True, internal_ok=True, listed_in=None)

    def _read(self, url: str, max_bytes: int, *, lists: bool, internal_ok: bool,
              listed_in: str | None) -> Iterator[Document | InputError]:
        """The documents at ``url``; ``lists``: whether a feed or sitemap there is expanded."""
        where = f" (listed in {listed_in})" if listed_in else ""
        if problem := address_problem(url):
            yield InputError(url, problem + where)
            return
        doc_id = document_id(url)
        if doc_id in self._seen:
            return
        self._seen.add(doc_id)
        try:
            response = self._response(url, max_bytes, internal_ok)
            kind = content_kind(response)
            found = feeds.listing(response.body, response.final_url) if kind == "xml" else None
            if found is None:
                yield from _documents(response, "html" if kind == "xml" else kind, doc_id, max_bytes)
                return
        except InputError as error:
            yield InputError(url, error.reason + where)
            return
        except ValueError as error:  # XML that is neither a page nor a list
            yield InputError(url, f"{error}; kg reads {_READ}{where}")
            return
        except Exception as error:  # noqa: BLE001 - a bug on one page must not stop the batch
            yield InputError(url, f"cannot be read ({type(error).__name__}: {error}); please report it")
            return
        if lists:
            yield from self._expand(url, found, max_bytes, response.internal)
        else:
            yield InputError(url, f"this {found.kind} is listed in another list, and lists are expanded only "
                                  f"when given: give its address to read it{where}")

    def _expand(self, url: str, found: feeds.Listing, max_bytes: int,
                internal: bool) -> Iterator[Document | InputError]:
        """The documents of each entry of ``found``, the list at ``url``, up to ``max_entries``
        in all (a sitemap index's sitemaps together)."""
        lists = [(url, found, internal)]
        left = self.max_entries
        while lists:
            source, listing, on_internal = lists.pop(0)
            for entry in map(normalized, listing.entries):
                if listing.of_lists:
                    try:
                        lists.extend(self._sitemap(entry, max_bytes, on_internal))
                    except InputError as error:
                        yield InputError(entry, f"{error.reason} (listed in {source})")
                    continue
                if left <= 0:
                    self.on_note(f"{url}: read the first {self.max_entries} documents the {found.kind} lists "
                                 "(--max-entries)")
                    return
                left -= 1
                yield from self._read(entry, max_bytes, lists=False, internal_ok=on_internal, listed_in=source)

    def _sitemap(self, url: str, max_bytes: int, internal_ok: bool) -> list[tuple[str, feeds.Listing, bool]]:
        """The sitemap at ``url``, which a sitemap index lists (none if it was read before)."""
        if problem := address_problem(url):
            raise InputError(url, problem)
        if document_id(url) in self._seen:
            return []
        self._seen.add(document_id(url))
        response = self._response(url, max_bytes, internal_ok)
        try:
            found = feeds.listing(response.body, response.final_url) if content_kind(response) == "xml" else None
        except ValueError as error:
            raise InputError(url, str(error)) from None
        if found is None or found.of_lists:
            raise InputError(url, "not a sitemap, which is all a sitemap index may list")
        return [(url, found, response.internal)]

    def _response(self, url: str, max_bytes: int, internal_ok: bool) -> Response:
        """The answer for ``url`` (gzip data unpacked): kept in the cache, or fetched and kept."""
        kept = self.cache.get(url)
        if self.offline and kept is None:
            raise InputError(url, "not in the cache, and kg was told to work offline (--offline)")
        if kept is not None and (self.offline or not self.refresh):
            if len(kept.body) > max_bytes:
                raise InputError(url, f"(kept in the cache) {over_limit(len(kept.body), max_bytes)}")
            return _unpacked(kept, max_bytes)
        validators = {} if kept is None else {
            name: value for name, value in (("If-None-Match", kept.etag), ("If-Modified-Since", kept.last_modified))
            if value}
        try:
            response = self.fetcher.get(url, max_bytes, internal_ok=internal_ok, headers=validators or None)
        except InputError as error:
            if kept is None or error.reason.startswith(("HTTP ", "robots.txt")):
                raise
            self.on_note(f"{url}: {error.reason}; read the copy kept in the cache")
            return _unpacked(kept, max_bytes)
        if response.status == 304 and kept is not None:
            return _unpacked(kept, max_bytes)
        self.cache.put(response)
        return _unpacked(response, max_bytes)


def _unpacked(response: Response, max_bytes: int) -> Response:
    """``response`` with a gzip body (a ``sitemap.xml.gz``) decompressed, up to ``max_bytes``."""
    media = response.content_type.split(";", 1)[0].strip().lower()
    if not (media in _GZIP_TYPES or response.body.startswith(b"\x1f\x8b")):
        return response
    return dataclasses.replace(response, body=gunzip(response.body, max_bytes, response.url), content_type="")


def content_kind(response: Response) -> str:
    """What ``response``'s body is: "pdf", "jsonl", "xml" (perhaps a feed), "html", "text" or
    "markdown"; InputError for anything else."""
    body = response.body
    media = response.content_type.split(";", 1)[0].strip().lower()
    if not body:
        raise InputError(response.url, "the server sent an empty answer")
    if b"%PDF-" in body[:1024] or media in ("application/pdf", "application/x-pdf"):
        return "pdf"
    if media in _JSONL_TYPES or (urlsplit(response.final_url).path.lower().endswith(".jsonl")
                                 and media in (*_TEXT_TYPES, *_UNTYPED, "application/json")):
        return "jsonl"
    if feeds.is_xml(body[:1024]):
        return "xml"
    if media in _HTML_TYPES or _HTML_START.match(body[:1024]):
        return "html"
    if media in _XML_TYPES:
        return "xml"
    if media in _TEXT_TYPES:
        return "markdown" if "markdown" in media else "text"
    if media in _UNTYPED and binary_kind(body) is None:
        return "text"
    what = media or (binary_kind(body) or "binary data").split(",")[0]
    raise InputError(response.url, f"{what}: not a kind of document kg reads ({_READ})")


def _documents(response: Response, kind: str, doc_id: str, max_bytes: int) -> Iterator[Document | InputError]:
    """The documents of ``response``, read as ``kind``, with kg:sourceFile its address."""
    url = response.url
    if kind == "jsonl":  # ids come from the lines, as in a file
        for item in jsonl.read_stream(io.BytesIO(response.body), url, max_bytes):
            yield dataclasses.replace(repaired(item), file=url) if isinstance(item, Document) else item
        return
    if problem := id_problem(doc_id):
        raise InputError(url, problem)
    if kind == "pdf":
        found = pdf.from_bytes(response.body, doc_id, url, max_bytes)
    elif kind == "html":
        found = html.documents(decoded_text(response), doc_id, url)
    else:
        name = PurePosixPath(urlsplit(response.final_url).path or "/").name or "index"
        suffix = ".md" if kind == "markdown" else PurePosixPath(name).suffix.lower()
        name = PurePosixPath(name).with_suffix(suffix if suffix in (".md", ".markdown", ".txt") else ".txt")
        found = text.documents(decoded_text(response), name, doc_id, url)
    for document in found:  # the page's own address where it does not give one; a PDF's chapters are all at it
        yield dataclasses.replace(repaired(document), file=url, url=document.url or (
            response.final_url if kind == "pdf" or document.id == doc_id else None))


def decoded_text(response: Response) -> str:
    """The body as text, line endings normalised: in the charset a byte-order mark, the
    Content-Type or the page itself declares (a byte it does not allow becomes U+FFFD, as in a
    browser), else UTF-8, else Windows-1252."""
    body = response.body
    encoding, skipped = text_encoding(body)
    declared = encoding if skipped else _declared_charset(response.content_type, body)
    if declared:
        return normalize_newlines(body[skipped:].decode(declared, "replace"))
    try:
        return normalize_newlines(body.decode("utf-8"))
    except UnicodeDecodeError:
        return normalize_newlines(body.decode("cp1252", "replace"))


def _declared_charset(content_type: str, body: bytes) -> str | None:
    """The charset of the Content-Type, else of a ``<meta>`` or XML declaration near the top."""
    match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_:.-]+)", content_type, re.I)
    found = match[1] if match else None
    if found is None and (match := _META_CHARSET.search(body[:2048]) or _XML_ENCODING.match(body[:200])):
        found = match[1].decode("ascii")
    if found is None:
        return None
    try:
        name = codecs.lookup(found).name
    except LookupError:
        return None
    if name.startswith(("utf-16", "utf-32")):  # declared without a byte-order mark: browsers read UTF-8
        return "utf-8"
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name  # as browsers read them
