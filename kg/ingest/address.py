"""Web addresses as inputs: which inputs are addresses, which kg fetches, and the id of each.

An input is an address when it starts with a scheme and ``://`` (``https://…``, ``ftp://…``)
or with one of the schemes that have no ``//`` (``data:``, ``file:``, ``mailto:``,
``javascript:``); a name that exists as a file stays a file. Only ``http`` and ``https`` are
fetched: any other scheme is refused in one line, so that no list, feed or redirect can make kg
read a local file or speak another protocol.

The address is the document's identity: it is the document's kg:sourceFile, and its id is the
address without its scheme, fragment and trailing slash, the host in lower case and the path
percent-decoded where that gives printable text ("https://www.Example.org/reports/Space%20Race/"
gives "www.example.org/reports/Space Race"), so that the same address always gives the same
id and the http and https addresses of a page are the same document.
"""

from __future__ import annotations

import hashlib
import os
import re
from urllib.parse import unquote, urlsplit, urlunsplit

from kg.ingest.characters import MAX_ID_CHARS, id_problem

SCHEMES = ("http", "https")
_WITH_SLASHES = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+://")
_WITHOUT_SLASHES = re.compile(r"^(?:data|file|mailto|javascript|about|blob):", re.I)
_DEFAULT_PORTS = {"http": 80, "https": 443}
ID_CHARS = 200  # an id longer than this is cut and ends with a digest of the whole address
assert ID_CHARS < MAX_ID_CHARS


class Address(str):
    """An input that is a web address whatever it looks like: a line of a list of addresses
    (``kg build --urls FILE``), where a line without a scheme is a mistake to report, not a
    file to look for."""


def is_address(given: object) -> bool:
    """True when ``given`` (an input of a build) is a web address rather than a file's path:
    an :class:`Address`, or a string (not a Path) that starts with a scheme and is not the name
    of an existing file.

    >>> is_address("https://example.org/a"), is_address("ftp://x/y"), is_address("reports/a.pdf")
    (True, True, False)
    """
    if isinstance(given, Address):
        return True
    if not isinstance(given, str):
        return False
    return bool(_WITH_SLASHES.match(given) or _WITHOUT_SLASHES.match(given)) and not os.path.lexists(given)


def read_list(text: str) -> list[Address]:
    """The addresses of a list: one a line, blank lines and lines starting with ``#`` left out.

    >>> read_list("# reports\\nhttps://example.org/a.pdf\\n\\n  https://example.org/b  \\n")
    ['https://example.org/a.pdf', 'https://example.org/b']
    """
    lines = (line.strip() for line in text.splitlines())
    return [Address(line) for line in lines if line and not line.startswith("#")]


def normalized(url: str) -> str:
    """``url`` without surrounding spaces and without its fragment, which names a place in a
    page rather than another page."""
    return urlunsplit(urlsplit(url.strip())._replace(fragment="")) if "#" in url else url.strip()


def address_problem(url: str) -> str | None:
    """Why kg does not fetch ``url``, or None when it does.

    >>> address_problem("ftp://example.org/a.pdf")
    "only http and https addresses are fetched, not 'ftp:'"
    >>> address_problem("https://user:secret@example.org/"), address_problem("https://example.org/")
    ('the address holds a user name or password, which kg does not send: remove it', None)
    """
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as error:
        return f"not a valid address ({error})"
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        return (f"only http and https addresses are fetched, not '{scheme}:'" if scheme
                else "not an address: write it with http:// or https://")
    if not parts.hostname:
        return "the address names no host"
    if parts.username is not None or parts.password is not None:
        return "the address holds a user name or password, which kg does not send: remove it"
    if any(ord(char) < 0x21 or ord(char) == 0x7F for char in url):
        return "the address holds a space or a control character: percent-encode it"
    return None


def document_id(url: str) -> str:
    """The id of the document at ``url`` (see the module's description); a very long address
    gives its first characters and a digest of the whole.

    >>> document_id("https://www.Example.org/reports/Space%20Race/?lang=en#part-2")
    'www.example.org/reports/Space Race?lang=en'
    >>> document_id("http://127.0.0.1:8080/"), document_id("https://example.org:443/a")
    ('127.0.0.1:8080', 'example.org/a')
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port is not None and parts.port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        host += f":{parts.port}"
    found = host + _decoded(parts.path).rstrip("/") + (f"?{_decoded(parts.query)}" if parts.query else "")
    if len(found) > ID_CHARS:
        digest = hashlib.sha1(found.encode("utf-8", "surrogatepass")).hexdigest()[:12]
        found = f"{found[:ID_CHARS - 13]}~{digest}"
    return found


def _decoded(part: str) -> str:
    """``part`` percent-decoded when that gives printable UTF-8 text, else as it is."""
    try:
        decoded = unquote(part, errors="strict")
    except UnicodeDecodeError:
        return part
    return part if id_problem(decoded) else decoded
