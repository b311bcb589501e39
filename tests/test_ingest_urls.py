"""Web addresses as inputs: pages, PDFs, feeds and sitemaps fetched from servers the tests start
on 127.0.0.1 (http.server in a thread, real sockets, nothing mocked), with every request the
server saw recorded, so that a test can tell what kg asked for and what it did not."""

from __future__ import annotations

import gc
import gzip
import http.server
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import __version__
from kg.cli import main
from kg.errors import InputError
from kg.ingest import html, pdf, read_documents
from kg.ingest.address import Address, address_problem, document_id, is_address
from kg.ingest.fetch import Fetcher
from kg.ingest.web import Web
from kg.ingest.webcache import Cache
from kg.model import Document
from kg.progress import Progress
from kg.store import Store
from tests.pdfs import small_report
from tests.sparql import rows

PAGE = """<!DOCTYPE html><html><head><title>{title}</title>
<meta name="author" content="Ada Rossi"><meta name="date" content="2024-03-05"></head>
<body><nav><a href="/">Home</a></nav><article><h1>{title}</h1>
<p>{text}</p>
<p>The ministers met in Geneva to discuss the next steps of the agreement between the two governments.</p>
</article><footer>Copyright</footer></body></html>"""


def page(title: str, text: str = "China supports the Belt and Road Initiative in Kenya.") -> bytes:
    return PAGE.format(title=title, text=text).encode()


Route = Callable[[http.server.BaseHTTPRequestHandler], None]


class Site:
    """A web site on ``host`` (127.0.0.1) served from a thread: each path answers by its route
    (404 without one), and every request is recorded with its path, headers and arrival time."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str], float]] = []
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                site.requests.append((self.path, dict(self.headers), time.monotonic()))
                route = site.routes.get(self.path)
                if route is None:
                    self.send_error(404)
                else:
                    route(self)

            def log_message(self, *args: object) -> None:
                pass

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client that stopped reading (too large, too slow) is expected

        self.server = Server((host, 0), Handler)
        self.base = f"http://{host}:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return self.base + path

    def serve(self, path: str, body: bytes, content_type: str = "text/html; charset=utf-8", status: int = 200,
              headers: dict[str, str] | None = None) -> str:
        def route(handler: http.server.BaseHTTPRequestHandler) -> None:
            handler.send_response(status)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(body)

        self.routes[path] = route
        return self.url(path)

    def redirect(self, path: str, to: str, status: int = 302) -> str:
        def route(handler: http.server.BaseHTTPRequestHandler) -> None:
            handler.send_response(status)
            handler.send_header("Location", to)
            handler.send_header("Content-Length", "0")
            handler.end_headers()

        self.routes[path] = route
        return self.url(path)

    def count(self, path: str) -> int:
        return sum(1 for asked, _, _ in self.requests if asked == path)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site() -> Iterator[Site]:
    served = Site()
    yield served
    served.close()


def web(cache: Path | None = None, **options: object) -> Web:
    """A Web that does not pause between requests, unless told to."""
    settings = {"host_delay": 0.0, "timeout": 5.0}
    fetch = {key: options.pop(key) for key in ("host_delay", "timeout", "internal", "max_redirects") if key in options}
    return Web(Fetcher(**{**settings, **fetch}), Cache(cache), **options)


def read(url: str, reader: Web | None = None, max_bytes: int = 5_000_000) -> tuple[list[Document], list[str]]:
    """The documents at ``url`` and the error lines."""
    items = list((reader or web()).read(url, max_bytes))
    return [i for i in items if isinstance(i, Document)], [str(i) for i in items if isinstance(i, InputError)]


def only_error(url: str, reader: Web | None = None, max_bytes: int = 5_000_000) -> str:
    documents, errors = read(url, reader, max_bytes)
    assert not documents and len(errors) == 1, errors
    assert errors[0].startswith(f"{url}: ")
    return errors[0][len(url) + 2:]


# --- addresses


def test_an_address_is_a_string_with_a_scheme_and_its_id_is_the_address_without_it(tmp_path: Path) -> None:
    assert is_address("https://example.org/a") and is_address("data:text/plain,hi") and is_address(Address("x"))
    assert not is_address(Path("https://example.org/a")) and not is_address("reports/a.pdf")
    (tmp_path / "file:notes.txt").write_text("x")
    assert not is_address(str(tmp_path / "file:notes.txt"))
    assert document_id("https://www.Example.org/reports/Space%20Race/?lang=en#part-2") == \
        "www.example.org/reports/Space Race?lang=en"
    assert document_id("http://example.org/a") == document_id("https://example.org/a#top") == "example.org/a"
    assert document_id("http://example.org/%00x") == "example.org/%00x"  # never an unprintable id
    long = document_id("https://example.org/" + "a" * 500)
    assert len(long) == 200 and long != document_id("https://example.org/" + "a" * 499)


@pytest.mark.parametrize("url, reason", [
    ("file:///etc/passwd", "only http and https addresses are fetched, not 'file:'"),
    ("ftp://example.org/a.pdf", "only http and https addresses are fetched, not 'ftp:'"),
    ("data:text/html,<p>hi</p>", "only http and https addresses are fetched, not 'data:'"),
    ("www.example.org/page", "not an address: write it with http:// or https://"),
    ("https://user:pw@example.org/", "the address holds a user name or password, which kg does not send: remove it"),
    ("http://example.org:99999/", "not a valid address (Port out of range 0-65535)"),
])
def test_only_http_and_https_addresses_are_fetched(url: str, reason: str) -> None:
    assert address_problem(url) == reason
    assert only_error(url) == reason


def test_doctests() -> None:
    import doctest

    from kg.ingest import address, feeds, fetch, webcache

    for module in (address, feeds, fetch, webcache):
        assert doctest.testmod(module).failed == 0, module.__name__


# --- pages and PDFs


def test_a_page_gives_the_documents_its_saved_file_gives_with_the_address_as_source(site: Site, tmp_path: Path) -> None:
    body = page("Kenya and the Belt and Road")
    url = site.serve("/analysis/kenya.html", body)
    (tmp_path / "kenya.html").write_bytes(body)
    from_file = list(html.read(tmp_path / "kenya.html", "kenya.html"))
    documents, errors = read(url)
    assert not errors
    assert [d.text for d in documents] == [d.text for d in from_file]
    assert [(d.id, d.file, d.source, d.url) for d in documents] == [
        (f"127.0.0.1:{site.base.rsplit(':', 1)[1]}/analysis/kenya.html", url, url, url)]
    assert (documents[0].title, documents[0].author, documents[0].date) == ("Kenya and the Belt and Road", "Ada Rossi",
                                                                             "2024-03-05")


def test_every_request_names_kg_its_version_and_where_to_read_about_it(site: Site) -> None:
    read(site.serve("/a.html", page("A page")))
    agents = {headers["User-Agent"] for _, headers, _ in site.requests}
    assert agents == {f"kg/{__version__} (+https://w3id.org/irkg/)"}
    assert [path for path, _, _ in site.requests] == ["/robots.txt", "/a.html"]


def test_a_pdf_gives_its_chapters_as_its_file_does_even_when_served_as_octet_stream(site: Site, tmp_path: Path) -> None:
    small_report(tmp_path / "report.pdf")
    data = (tmp_path / "report.pdf").read_bytes()
    from_file = list(pdf.read(tmp_path / "report.pdf", "report.pdf"))
    for path, content_type in (("/r/report.pdf", "application/pdf"), ("/download?id=7", "application/octet-stream")):
        url = site.serve(path, data, content_type)
        documents, errors = read(url)
        assert not errors
        assert [(d.text, d.pages, d.title) for d in documents] == [(d.text, d.pages, d.title) for d in from_file]
        assert {d.file for d in documents} == {d.url for d in documents} == {url}
        assert documents[0].id == document_id(url) + "/" + from_file[0].id.split("/", 1)[1]


def test_text_is_decoded_as_declared_else_as_utf8_else_as_windows_1252(site: Site) -> None:
    text = "Côte d'Ivoire and Türkiye signed an agreement on trade and investment in the region of Abidjan."
    declared = site.serve("/latin.html", page("Accord", text).decode().encode("latin-1"), "text/html; charset=ISO-8859-1")
    meta = site.serve("/meta.html", page("Accord", text).decode().replace("<head>", '<head><meta charset="windows-1252">')
                      .encode("cp1252"), "text/html")
    undeclared = site.serve("/plain.txt", f"Accord\n\n{text}\n".encode("cp1252"), "text/plain")
    for url in (declared, meta, undeclared):
        documents, errors = read(url)
        assert not errors and text in documents[0].text, (url, documents[0].text)


def test_json_lines_give_a_document_a_line_with_the_ids_of_their_lines(site: Site) -> None:
    lines = (b'{"id": "a", "text": "Peru and Chile signed a trade agreement."}\n'
             b'{"id": "b"}\n'
             b'{"id": "c", "text": "Kenya supports the initiative.", "title": "C"}\n')
    for path, content_type in (("/data/docs.jsonl", "text/plain"), ("/export", "application/x-ndjson")):
        url = site.serve(path, lines, content_type)
        documents, errors = read(url)
        assert [(d.id, d.file) for d in documents] == [("a", url), ("c", url)]
        assert errors == [f"{url}:2: missing required field 'text'"]


# --- redirects


def test_redirects_are_followed_and_the_address_that_answered_is_recorded(site: Site) -> None:
    final = site.serve("/final.html", page("Final"))
    site.redirect("/b", "/final.html", 301)
    first = site.redirect("/a", site.url("/b"), 307)
    documents, errors = read(first)
    assert not errors
    assert [(d.file, d.url, d.id) for d in documents] == [(first, final, document_id(first))]
    assert [path for path, _, _ in site.requests] == ["/robots.txt", "/a", "/b", "/final.html"]


def test_a_redirect_loop_and_too_many_redirects_are_one_line_each(site: Site) -> None:
    site.redirect("/x", "/y")
    loop = site.redirect("/y", "/x")
    assert only_error(loop) == f"redirect loop ({loop} -> {site.url('/x')} -> {loop})"
    for n in range(5):
        site.redirect(f"/hop{n}", f"/hop{n + 1}")
    assert only_error(site.url("/hop0"), web(max_redirects=3)) == f"more than 3 redirects (the last to {site.url('/hop4')})"


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/a.pdf", "data:text/plain,secret"])
def test_a_redirect_to_another_scheme_is_refused(site: Site, target: str) -> None:
    url = site.redirect("/go", target)
    scheme = target.split(":", 1)[0]
    assert only_error(url) == f"redirected to {target}: only http and https addresses are fetched, not '{scheme}:'"


# --- what the servers do wrong


def test_a_404_and_a_server_error_name_the_status(site: Site) -> None:
    assert only_error(site.url("/missing.html")) == "HTTP 404 Not Found"
    url = site.serve("/busy", b"slow down", "text/plain", status=429)
    assert only_error(url) == "HTTP 429 Too Many Requests (the server asks kg to slow down: raise --host-delay)"


def test_a_server_that_does_not_answer_in_time_is_one_line(site: Site) -> None:
    released = threading.Event()

    def silent(handler: http.server.BaseHTTPRequestHandler) -> None:
        released.wait(30)

    site.routes["/slow"] = silent
    try:
        assert only_error(site.url("/slow"), web(timeout=0.3)) == (
            "no answer from 127.0.0.1 within 0.3 s; raise --fetch-timeout if the server is slow")
    finally:
        released.set()


def test_a_server_that_sends_a_byte_at_a_time_is_stopped_at_the_deadline(site: Site) -> None:
    stop = threading.Event()

    def dribble(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/plain")
        handler.end_headers()
        while not stop.wait(0.05):
            handler.wfile.write(b"a")
            handler.wfile.flush()

    site.routes["/dribble"] = dribble
    try:
        reason = only_error(site.url("/dribble"), web(timeout=0.2))
    finally:
        stop.set()
    assert reason.startswith("the answer took over 2 s to arrive (") and reason.endswith(
        "bytes so far); raise --fetch-timeout if the server is slow")


def test_a_huge_answer_is_refused_by_its_length_or_once_it_is_over_the_limit(site: Site) -> None:
    declared = site.serve("/huge.txt", b"word " * 200_000, "text/plain")
    assert only_error(declared, max_bytes=10_000) == (
        "1 MB is over the 10 KB limit per document; raise it with --max-document-size")

    def undeclared(handler: http.server.BaseHTTPRequestHandler) -> None:  # no Content-Length: read until closed
        handler.send_response(200)
        handler.send_header("Content-Type", "text/plain")
        handler.end_headers()
        for _ in range(1000):
            handler.wfile.write(b"word " * 2000)

    site.routes["/stream.txt"] = undeclared
    assert only_error(site.url("/stream.txt"), max_bytes=10_000) == (
        "larger than the 10 KB limit per document; raise it with --max-document-size")
    bomb = site.serve("/bomb.xml.gz", gzip.compress(b"<urlset>" + b" " * 5_000_000 + b"</urlset>"), "application/gzip")
    assert only_error(bomb, max_bytes=100_000) == (
        "decompressed, larger than the 100 KB limit per document; raise it with --max-document-size")


def test_a_body_kg_does_not_read_is_refused_with_its_content_type(site: Site) -> None:
    png = site.serve("/chart.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "image/png")
    assert only_error(png) == ("image/png: not a kind of document kg reads (HTML, PDF, plain text or Markdown, "
                               "JSON Lines, RSS or Atom feeds, sitemaps)")
    untyped = site.serve("/blob", b"PK\x03\x04" + b"\0" * 100, "application/octet-stream")
    assert only_error(untyped).startswith("application/octet-stream: not a kind of document kg reads")
    xml = site.serve("/data.xml", b"<?xml version='1.0'?><records><r/></records>", "application/xml")
    assert only_error(xml).startswith("an XML document whose root is <records>, neither a feed nor a sitemap; kg reads")
    assert only_error(site.serve("/empty", b"", "text/plain")) == "the server sent an empty answer"


def test_an_unknown_host_and_a_closed_port_are_one_line_each(site: Site) -> None:
    assert only_error("http://nosuch.invalid/a").startswith("cannot find the host nosuch.invalid (")
    site.close()
    assert only_error(site.url("/a")) == f"cannot connect to {site.base[7:]} (Connection refused)"


# --- robots.txt and manners


def test_robots_txt_is_obeyed(site: Site) -> None:
    site.serve("/robots.txt", b"User-agent: *\nDisallow: /private/\n", "text/plain")
    public, private = site.serve("/public.html", page("Public")), site.serve("/private/a.html", page("Private"))
    reader = web()
    assert len(read(public, reader)[0]) == 1
    assert only_error(private, reader) == f"robots.txt of {site.base} does not let kg fetch it"
    assert site.count("/private/a.html") == 0 and site.count("/robots.txt") == 1  # read once for the run
    site.redirect("/moved", "/private/a.html")
    assert only_error(site.url("/moved"), reader) == (
        f"robots.txt of {site.base} does not let kg fetch it (redirected to {private})")


def test_rules_for_kg_apply_and_a_robots_txt_that_cannot_be_read_keeps_kg_away(site: Site) -> None:
    site.serve("/robots.txt", b"User-agent: kg\nDisallow: /\n\nUser-agent: *\nAllow: /\n", "text/plain")
    assert only_error(site.serve("/a.html", page("A"))) == f"robots.txt of {site.base} does not let kg fetch it"
    site.serve("/robots.txt", b"down", "text/plain", status=503)
    assert only_error(site.url("/a.html")) == (
        f"robots.txt of {site.base} could not be read (HTTP 503 Service Unavailable), so kg fetches nothing "
        "there, to be safe; try again later")
    assert site.count("/a.html") == 0


def test_requests_to_one_host_are_spaced_by_the_delay(site: Site) -> None:
    urls = [site.serve(f"/{n}.html", page(f"Page {n}")) for n in range(3)]
    reader = web(host_delay=0.2)
    for url in urls:
        assert read(url, reader)[0]
    times = [at for _, _, at in site.requests]
    assert len(times) == 4 and all(b - a >= 0.2 for a, b in zip(times, times[1:]))


def test_a_found_address_cannot_lead_from_a_public_host_into_an_internal_one(site: Site) -> None:
    """127.0.0.2 plays an intranet host and 127.0.0.1 a public one."""
    intranet = Site("127.0.0.2")
    try:
        secret = intranet.serve("/secret.txt", b"Internal memo\n\nThe minister of Peru met the minister of Chile.\n",
                                "text/plain")
        reader = web(internal=lambda ip: ip == "127.0.0.2")
        site.redirect("/jump", secret)
        feed = site.serve("/feed.xml", rss([secret]), "application/rss+xml")
        assert only_error(site.url("/jump"), reader).startswith("127.0.0.2 is on an internal network (127.0.0.2) and "
                                                                "was reached from a public address")
        documents, errors = read(feed, reader)
        assert not documents and len(errors) == 1 and errors[0].startswith(f"{secret}: 127.0.0.2 is on an internal")
        assert intranet.requests == []  # refused before a byte was sent
        documents, errors = read(secret, web(internal=lambda ip: ip == "127.0.0.2"))  # given directly, it is read
        assert not errors and len(documents) == 1
    finally:
        intranet.close()


# --- feeds and sitemaps


def rss(links: list[str]) -> bytes:
    items = "".join(f"<item><title>Item {n}</title><link>{link}</link></item>" for n, link in enumerate(links))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>{items}</channel></rss>'.encode()


def test_an_rss_feed_gives_the_documents_it_lists(site: Site) -> None:
    first, second = site.serve("/news/1.html", page("First")), site.serve("/news/2.html", page("Second"))
    feed = site.serve("/feed.rss", rss(["/news/1.html", second, "javascript:alert(1)", "/news/1.html"]),
                      "application/rss+xml")
    documents, errors = read(feed)
    assert [(d.file, d.title) for d in documents] == [(first, "First"), (second, "Second")]
    assert errors == [f"javascript:alert(1): only http and https addresses are fetched, not 'javascript:' "
                      f"(listed in {feed})"]


def test_an_atom_feed_gives_its_entries_alternate_links_resolved_against_xml_base(site: Site) -> None:
    first = site.serve("/posts/one.html", page("One"))
    atom = f"""<?xml version="1.0" encoding="utf-8"?>
    <feed xmlns="http://www.w3.org/2005/Atom" xml:base="{site.url('/posts/')}"><title>Posts</title>
      <entry><title>One</title><link rel="self" href="/api/1"/><link href="one.html"/></entry>
      <entry><title>Two</title><link rel="alternate" type="text/html" href="two.html"/></entry>
    </feed>""".encode()
    feed = site.serve("/atom.xml", atom, "application/atom+xml")
    documents, errors = read(feed)
    assert [d.file for d in documents] == [first]
    assert errors == [f"{site.url('/posts/two.html')}: HTTP 404 Not Found (listed in {feed})"]


def test_a_sitemap_index_gives_the_documents_of_its_sitemaps_gzipped_or_not(site: Site) -> None:
    pages = [site.serve(f"/p/{n}.html", page(f"Page {n}")) for n in range(3)]
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    urlset = lambda urls: f'<?xml version="1.0"?><urlset {ns}>{"".join(f"<url><loc>{u}</loc></url>" for u in urls)}</urlset>'
    site.serve("/sitemap-a.xml", urlset(pages[:2]).encode(), "application/xml")
    site.serve("/sitemap-b.xml.gz", gzip.compress(urlset(pages[2:]).encode()), "application/x-gzip")
    index = site.serve("/sitemap.xml", f'<sitemapindex {ns}><sitemap><loc>/sitemap-a.xml</loc></sitemap>'
                       f'<sitemap><loc>/sitemap-b.xml.gz</loc></sitemap></sitemapindex>'.encode(), "text/xml")
    documents, errors = read(index)
    assert not errors
    assert [d.file for d in documents] == pages
    plain = site.serve("/only.xml", urlset(pages[1:]).encode(), "text/xml")
    assert [d.file for d in read(plain)[0]] == pages[1:]


def test_a_list_is_read_up_to_max_entries_and_a_list_in_a_list_is_not_expanded(site: Site) -> None:
    pages = [site.serve(f"/n/{n}.html", page(f"Page {n}")) for n in range(4)]
    inner = site.serve("/inner.rss", rss(pages[:1]), "application/rss+xml")
    feed = site.serve("/feed.rss", rss([inner, *pages]), "application/rss+xml")
    notes: list[str] = []
    documents, errors = read(feed, web(max_entries=3, on_note=notes.append))
    assert [d.file for d in documents] == pages[:2]
    assert errors == [f"{inner}: this RSS feed is listed in another list, and lists are expanded only when given: "
                      f"give its address to read it (listed in {feed})"]
    assert notes == [f"{feed}: read the first 3 documents the RSS feed lists (--max-entries)"]
    assert site.count("/n/3.html") == 0


def test_xml_entities_are_not_substituted(site: Site, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("https://leak.example/")
    hostile = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{tmp_path}/secret.txt">]>'
               '<rss><channel><item><link>&x;</link></item></channel></rss>').encode()
    documents, errors = read(site.serve("/hostile.rss", hostile, "application/rss+xml"))
    assert documents == [] and errors == []
    assert all("leak" not in path for path, _, _ in site.requests)


# --- the cache


def test_a_second_read_asks_the_server_nothing_and_offline_reads_the_cache(site: Site, tmp_path: Path) -> None:
    url = site.serve("/cached.html", page("Cached"), headers={"ETag": '"v1"'})
    first, _ = read(url, web(tmp_path / "cache"))
    asked = len(site.requests)
    again, errors = read(url, web(tmp_path / "cache"))
    assert not errors and again == first and len(site.requests) == asked
    site.close()
    offline, errors = read(url, web(tmp_path / "cache", offline=True))
    assert not errors and offline == first
    assert only_error(site.url("/other.html"), web(tmp_path / "cache", offline=True)) == (
        "not in the cache, and kg was told to work offline (--offline)")
    assert (tmp_path / "cache" / "CACHEDIR.TAG").exists()


def test_refresh_asks_whether_the_page_changed(site: Site, tmp_path: Path) -> None:
    url = site.serve("/doc.html", page("Version one"), headers={"ETag": '"v1"'})
    read(url, web(tmp_path / "cache"))

    def not_modified(handler: http.server.BaseHTTPRequestHandler) -> None:
        assert handler.headers["If-None-Match"] == '"v1"'
        handler.send_response(304)
        handler.end_headers()

    site.routes["/doc.html"] = not_modified
    documents, errors = read(url, web(tmp_path / "cache", refresh=True))
    assert not errors and documents[0].title == "Version one"
    site.serve("/doc.html", page("Version two"), headers={"ETag": '"v2"'})
    assert read(url, web(tmp_path / "cache", refresh=True))[0][0].title == "Version two"
    assert read(url, web(tmp_path / "cache"))[0][0].title == "Version two"


# --- the command line


@pytest.fixture
def served(site: Site, tmp_path: Path) -> dict[str, str]:
    small_report(tmp_path / "report.pdf")
    return {
        "page": site.serve("/analysis/kenya.html", page("Kenya and the Belt and Road")),
        "pdf": site.serve("/reports/trade.pdf", (tmp_path / "report.pdf").read_bytes(), "application/pdf"),
        "feed": site.serve("/feed.rss", rss(["/news/1.html"]), "application/rss+xml"),
        "entry": site.serve("/news/1.html", page("Peru and Chile", "Peru and Chile signed a trade agreement in Lima.")),
    }


def build(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["build", *args, "--no-exports", "--host-delay", "0", "--workers", "1"])
    gc.collect()  # let go of the store
    return result.exit_code, result.stdout, result.stderr


def test_kg_build_of_addresses_makes_documents_whose_source_is_the_address(site: Site, served: dict[str, str],
                                                                           tmp_path: Path) -> None:
    store_path = tmp_path / "store"
    code, out, err = build(served["page"], served["pdf"], served["feed"], "--store", str(store_path))
    assert (code, err) == (0, ""), err
    assert out.startswith("built 3 documents into")
    store = Store(store_path, read_only=True)
    found = rows(store, "SELECT ?id ?source { ?d kg:documentId ?id ; kg:sourceFile ?source } ORDER BY ?source")
    store.close()
    assert [r["source"] for r in found] == [served["page"], served["feed"].replace("feed.rss", "news/1.html"),
                                            served["pdf"]]
    assert [r["id"] for r in found] == [document_id(served["page"]), document_id(served["entry"]),
                                        document_id(served["pdf"]) + "/trade"]
    assert (tmp_path / "store.web-cache" / "CACHEDIR.TAG").exists()
    asked = len(site.requests)
    code, out, err = build(served["page"], served["pdf"], served["feed"], "--store", str(store_path))
    assert (code, err) == (0, "") and "(3 unchanged)" in out
    assert len(site.requests) == asked  # read from the cache


def test_kg_build_urls_reads_a_list_and_reports_each_bad_address(site: Site, served: dict[str, str],
                                                                  tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    missing = site.url("/missing.html")
    listing.write_text(f"# reading list\n\n{served['page']}\n  {served['pdf']}  \nftp://example.org/a.pdf\n"
                       f"www.example.org/page\n{missing}\n")
    code, out, err = build("--urls", str(listing), "--store", str(tmp_path / "store"), "--cache", str(tmp_path / "c"))
    assert code == 1
    assert err.splitlines() == [
        "kg: error: ftp://example.org/a.pdf: only http and https addresses are fetched, not 'ftp:'",
        "kg: error: www.example.org/page: not an address: write it with http:// or https://",
        f"kg: error: {missing}: HTTP 404 Not Found",
    ]
    assert out.startswith("built 2 documents into") and "3 inputs failed" in out.splitlines()[0]
    assert (tmp_path / "c" / "CACHEDIR.TAG").exists() and not (tmp_path / "store.web-cache").exists()


def test_kg_build_of_bad_addresses_only_creates_no_store(tmp_path: Path) -> None:
    code, out, err = build("file:///etc/passwd", "--store", str(tmp_path / "store"))
    assert code == 1
    assert err.splitlines() == [
        "kg: error: file:///etc/passwd: only http and https addresses are fetched, not 'file:'",
        f"kg: error: no document could be built, so no store was created at {tmp_path / 'store'}",
    ]
    assert not (tmp_path / "store").exists()
    code, _, err = build("--store", str(tmp_path / "store"))
    assert code == 2 and "give files, folders or web addresses to read" in err


def test_kg_extract_reads_addresses_and_files_alike(site: Site, served: dict[str, str], tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["extract", served["entry"], "--host-delay", "0"])
    assert result.exit_code == 0, result.stderr
    assert '"id": "' + document_id(served["entry"]) + '"' in result.stdout
    assert "Peru" in result.stdout and "Chile" in result.stdout
    listed = CliRunner().invoke(main, ["extract", "--urls", "-", "--host-delay", "0"], input=f"# one\n{served['entry']}\n")
    assert (listed.exit_code, listed.stdout) == (0, result.stdout)


def test_read_documents_mixes_files_and_addresses_in_order(site: Site, served: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "note.txt").write_text("A note\n\nKenya and Tanzania agreed to cooperate on trade.\n")
    items = list(read_documents([served["entry"], tmp_path / "note.txt"], web=web()))
    assert [(d.id, d.file) for d in items] == [(document_id(served["entry"]), served["entry"]), ("note", "note.txt")]


def test_a_dask_build_fetches_here_and_extracts_on_the_workers(site: Site, served: dict[str, str],
                                                                 tmp_path: Path) -> None:
    from kg.build import build_store
    from kg.engines import Dask

    report, store = build_store([served["entry"], served["pdf"], "ftp://example.org/a"], tmp_path / "store",
                                engine=Dask(workers=1), web=web())
    found = rows(store, "SELECT ?source { ?d kg:sourceFile ?source } ORDER BY ?source")
    store.close()
    assert [r["source"] for r in found] == [served["entry"], served["pdf"]]
    assert report.failed == ["ftp://example.org/a: only http and https addresses are fetched, not 'ftp:'"]


def test_the_progress_line_names_a_slow_fetch() -> None:
    progress = Progress()
    progress.fetching("https://example.org/slow.pdf")
    assert "fetching" not in progress.line()
    progress._fetching = ("https://example.org/slow.pdf", time.monotonic() - 5)
    assert progress.line().endswith("; fetching https://example.org/slow.pdf for 5 s")
    progress.fetching(None)
    assert "fetching" not in progress.line()
