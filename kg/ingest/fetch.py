"""Fetch one web address politely and within limits, or say in one line why not.

The standard library's ``http.client``, one connection per request, so that every limit is
kg's own: a connect and a read timeout (``timeout``, each) and a whole answer within
``TOTAL_TIMEOUTS`` times that, so a server that sends a byte a second cannot hold a build;
at most ``max_bytes`` read, the body streamed and dropped as soon as it is over (and a
gzip-encoded body decompressed up to the same limit); up to ``MAX_REDIRECTS`` redirects,
each checked like the first address; robots.txt obeyed for the "kg" user agent (its
Crawl-delay too, up to ``MAX_CRAWL_DELAY``); ``host_delay`` seconds at least between the end
of one request to a host and the start of the next; a User-Agent naming kg, its version and
where to read about it.

Security. Only http and https are spoken, on redirects too: a redirect to ``file:``,
``ftp:`` or ``data:`` is refused. Addresses on private, loopback and link-local networks are
fetched, since an analyst's sources may be on an intranet and the tests serve on 127.0.0.1;
but an address kg found rather than was given (a redirect's target, a feed's or a sitemap's
entry) may reach such a network only from such a network: a public page cannot steer kg into
the intranet. The address actually connected to is checked, before anything is sent.

robots.txt: a 404 (or 410) means no rules; any other failure to read it (an error status,
a timeout, a refused connection) keeps kg off the host for the run, to be safe, and says so.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import SplitResult, quote, urljoin, urlsplit
from urllib.robotparser import RobotFileParser

from kg import __version__
from kg.errors import InputError
from kg.ingest.address import address_problem
from kg.ingest.decode import over_limit

PROJECT_URL = "https://w3id.org/irkg/"  # the project's namespace (kg.vocab.BASE), which names kg
USER_AGENT = f"kg/{__version__} (+{PROJECT_URL})"
ROBOTS_AGENT = "kg"  # the name robots.txt rules address
TIMEOUT = 30.0
HOST_DELAY = 1.0
TOTAL_TIMEOUTS = 10  # a whole answer must arrive within this many read timeouts
MAX_REDIRECTS = 10
MAX_CRAWL_DELAY = 60.0
ROBOTS_BYTES = 500_000  # what RFC 9309 asks a crawler to read of robots.txt at least
_REDIRECTS = (301, 302, 303, 307, 308)
_CHUNK = 1 << 16
_ACCEPT = ("text/html,application/xhtml+xml,application/pdf;q=0.9,text/plain;q=0.8,"
           "application/rss+xml,application/atom+xml,application/xml;q=0.7,*/*;q=0.1")


@dataclass(frozen=True)
class Response:
    """What a server answered to ``url``, after redirects."""

    url: str  # the address asked for
    final_url: str  # the address that answered
    status: int
    content_type: str = ""  # the Content-Type header as sent
    body: bytes = b""  # decompressed
    etag: str | None = None
    last_modified: str | None = None
    internal: bool = False  # the answer came from a private, loopback or link-local address
    location: str = ""  # where a redirect (3xx) points


def is_internal(address: str) -> bool:
    """Whether an IP address is on a network of its own (private, loopback, link-local, ...)
    rather than the public internet.

    >>> is_internal("127.0.0.1"), is_internal("10.2.3.4"), is_internal("::ffff:192.168.0.1"), is_internal("8.8.8.8")
    (True, True, True, False)
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


class Fetcher:
    """HTTP GET with kg's limits and manners, for the addresses of one run.

    ``internal`` tells an internal IP address from a public one (:func:`is_internal`);
    ``on_fetch`` is told the address being fetched, and None when it is done, so that a
    progress line can name a slow one.
    """

    def __init__(self, *, timeout: float = TIMEOUT, host_delay: float = HOST_DELAY, user_agent: str = USER_AGENT,
                 max_redirects: int = MAX_REDIRECTS, internal: Callable[[str], bool] = is_internal,
                 on_fetch: Callable[[str | None], None] = lambda url: None) -> None:
        self.timeout = timeout
        self.host_delay = host_delay
        self.user_agent = user_agent
        self.max_redirects = max_redirects
        self.internal = internal
        self.on_fetch = on_fetch
        self._robots: dict[str, RobotFileParser | str] = {}  # by origin: its rules, or why it is off limits
        self._crawl_delays: dict[str, float] = {}  # by host, from robots.txt
        self._last: dict[str, float] = {}  # by host: when its last request ended
        self._tls = ssl.create_default_context()

    def get(self, url: str, max_bytes: int, *, internal_ok: bool = True, headers: dict[str, str] | None = None,
            robots: bool = True) -> Response:
        """The answer to GET ``url``, redirects followed; raises InputError(url, reason) for
        anything but a 2xx (or a 304 to a conditional request with ``headers``).

        ``internal_ok``: whether the first address may be internal (it was given by the
        user, or found on an internal host); each redirect's target may be only if the
        address before it was.
        """
        chain = [url]
        current = url
        while True:
            if problem := address_problem(current):
                raise InputError(url, problem if current == url else f"redirected to {current}: {problem}")
            if robots:
                self._check_robots(current, url, internal_ok)
            response = self._request(current, url, max_bytes, internal_ok, headers or {})
            if response.status not in _REDIRECTS:
                return response
            target = urljoin(current, response.location)
            if target in chain:
                raise InputError(url, f"redirect loop ({' -> '.join(chain[chain.index(target):] + [target])})")
            if len(chain) > self.max_redirects:
                raise InputError(url, f"more than {self.max_redirects} redirects (the last to {target})")
            chain.append(target)
            current, internal_ok = target, response.internal

    def _check_robots(self, url: str, asked: str, internal_ok: bool) -> None:
        """Raise InputError(asked, …) unless robots.txt lets kg fetch ``url``."""
        parts = urlsplit(url)
        origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        if origin not in self._robots:
            try:
                self._robots[origin] = self._read_robots(origin, internal_ok)
            except _InternalAddress as error:
                raise InputError(asked, error.reason) from None
        rules = self._robots[origin]
        if isinstance(rules, str):
            raise InputError(asked, rules)
        if not rules.can_fetch(ROBOTS_AGENT, url):
            where = "" if url == asked else f" (redirected to {url})"
            raise InputError(asked, f"robots.txt of {origin} does not let kg fetch it{where}")

    def _read_robots(self, origin: str, internal_ok: bool) -> RobotFileParser | str:
        """The rules of ``origin``'s robots.txt, or why kg stays off the host."""
        rules = RobotFileParser(f"{origin}/robots.txt")
        try:
            response = self.get(f"{origin}/robots.txt", ROBOTS_BYTES, internal_ok=internal_ok, robots=False)
        except _InternalAddress:
            raise  # a refusal of this page, not a failure of the host: not kept for the run
        except _Unreachable as error:
            return error.reason  # no host, or nothing listening: said as it is
        except InputError as error:
            if error.reason.startswith(("HTTP 404", "HTTP 410")):
                rules.parse([])
                return rules
            return (f"robots.txt of {origin} could not be read ({error.reason}), so kg fetches nothing "
                    "there, to be safe; try again later")
        rules.parse(response.body.decode("utf-8", "replace").splitlines())
        if (delay := rules.crawl_delay(ROBOTS_AGENT)) is not None:
            self._crawl_delays[urlsplit(origin).hostname or ""] = min(float(delay), MAX_CRAWL_DELAY)
        return rules

    def _request(self, url: str, asked: str, max_bytes: int, internal_ok: bool, headers: dict[str, str]) -> Response:
        """One GET of ``url``, on behalf of the address ``asked`` for, without following a
        redirect (a 3xx Response carries its Location); every failure as an InputError."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        self._wait(host)
        self.on_fetch(url)
        try:
            return self._exchange(url, asked, parts, max_bytes, internal_ok, headers)
        except InputError:
            raise
        except (TimeoutError, socket.timeout):
            raise InputError(asked, f"no answer from {host} within {self.timeout:g} s; raise --fetch-timeout "
                                    "if the server is slow") from None
        except socket.gaierror as error:
            raise _Unreachable(asked, f"cannot find the host {host} ({error.strerror or error})") from None
        except ssl.SSLError as error:
            reason = getattr(error, "verify_message", None) or error.reason or error
            raise _Unreachable(asked, f"secure connection to {host} failed ({reason})") from None
        except http.client.IncompleteRead as error:
            raise InputError(asked, f"the answer was cut short after {len(error.partial)} bytes") from None
        except (http.client.HTTPException, ValueError) as error:
            raise InputError(asked, f"bad HTTP answer from {host} ({type(error).__name__}: {error})") from None
        except OSError as error:
            raise _Unreachable(asked, f"cannot connect to {parts.netloc} ({error.strerror or error})") from None
        finally:
            self._last[host] = time.monotonic()
            self.on_fetch(None)

    def _exchange(self, url: str, asked: str, parts: SplitResult, max_bytes: int, internal_ok: bool,
                  headers: dict[str, str]) -> Response:
        """Connect, check the address connected to, send the request and read the answer."""
        deadline = time.monotonic() + self.timeout * TOTAL_TIMEOUTS
        https = parts.scheme.lower() == "https"
        port = parts.port or (443 if https else 80)
        sock = socket.create_connection((parts.hostname, port), timeout=self.timeout)
        connection = (http.client.HTTPSConnection if https else http.client.HTTPConnection)(
            parts.hostname, port, timeout=self.timeout)
        try:
            peer = sock.getpeername()[0]
            internal = self.internal(peer)
            if internal and not internal_ok:  # checked on the socket connected, before a byte is sent
                raise _InternalAddress(asked, f"{parts.hostname} is on an internal network ({peer}) and was "
                                              "reached from a public address; kg goes there only when given "
                                              "an address there")
            if https:
                sock = self._tls.wrap_socket(sock, server_hostname=parts.hostname)
            connection.sock = sock
            target = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~") + (
                f"?{quote(parts.query, safe='/?%:@!$&()*+,;=-._~')}" if parts.query else "")
            connection.request("GET", target, headers={
                "User-Agent": self.user_agent, "Accept": _ACCEPT, "Accept-Encoding": "gzip",
                "Connection": "close", **headers})
            answer = connection.getresponse()
            status = answer.status
            if status in _REDIRECTS and answer.getheader("Location"):
                location = answer.getheader("Location", "").strip()
                return Response(asked, url, status, internal=internal, location=location)
            if status == 304 and headers:
                return Response(asked, url, status, internal=internal)
            if not 200 <= status < 300:
                raise InputError(asked, _status_reason(status, answer.reason, url, asked))
            length = answer.getheader("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise InputError(asked, over_limit(int(length), max_bytes))
            body = _read_body(answer, max_bytes, deadline, asked, self.timeout)
            body = _decoded(body, answer.getheader("Content-Encoding", ""), max_bytes, asked)
            return Response(asked, url, status, answer.getheader("Content-Type", ""), body,
                            answer.getheader("ETag"), answer.getheader("Last-Modified"), internal)
        finally:
            connection.close()
            sock.close()

    def _wait(self, host: str) -> None:
        """Sleep until ``host`` has rested its delay since its last request."""
        last = self._last.get(host)
        if last is not None:
            delay = max(self.host_delay, self._crawl_delays.get(host, 0.0))
            if (rest := last + delay - time.monotonic()) > 0:
                time.sleep(rest)


class _InternalAddress(InputError):
    """A found address that leads from a public host into an internal network."""


class _Unreachable(InputError):
    """A host that cannot be found, connected to or trusted (TLS)."""


def _status_reason(status: int, reason: str, url: str, asked: str) -> str:
    where = "" if url == asked else f" at {url}"
    text = f"HTTP {status} {reason}".strip() + where
    if status == 429:
        text += " (the server asks kg to slow down: raise --host-delay)"
    return text


def _read_body(answer: http.client.HTTPResponse, max_bytes: int, deadline: float, asked: str, timeout: float) -> bytes:
    """The body, read a piece at a time: no more than ``max_bytes`` and none after ``deadline``."""
    pieces, size = [], 0
    while piece := answer.read1(_CHUNK):
        size += len(piece)
        if size > max_bytes:
            raise InputError(asked, over_limit(None, max_bytes))
        if time.monotonic() > deadline:
            raise InputError(asked, f"the answer took over {timeout * TOTAL_TIMEOUTS:g} s to arrive "
                                    f"({size} bytes so far); raise --fetch-timeout if the server is slow")
        pieces.append(piece)
    return b"".join(pieces)


def _decoded(body: bytes, encoding: str, max_bytes: int, asked: str) -> bytes:
    """``body`` without its Content-Encoding (gzip), decompressed to at most ``max_bytes``."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return body
    if encoding not in ("gzip", "x-gzip"):
        raise InputError(asked, f"the answer is compressed as '{encoding}', which kg does not read")
    return gunzip(body, max_bytes, asked)


def gunzip(data: bytes, max_bytes: int, source: str) -> bytes:
    """gzip ``data`` decompressed, refused once over ``max_bytes`` (a small file can expand to
    gigabytes)."""
    inflater = zlib.decompressobj(wbits=31)
    try:
        out = inflater.decompress(data, max_bytes + 1)
    except zlib.error as error:
        raise InputError(source, f"damaged gzip data ({error})") from None
    if len(out) > max_bytes or inflater.unconsumed_tail:
        raise InputError(source, f"decompressed, {over_limit(None, max_bytes)}")
    return out
