"""Refusing SERVICE calls and LOADs to hosts that were not allowed: pyoxigraph would make them.

pyoxigraph calls the IRI of a ``SERVICE`` (in a query or an update's WHERE) and of a ``LOAD``
over HTTP from the server, and has no switch to turn that off. So the request is read with
rdflib's SPARQL parser, every SERVICE and LOAD is found in the parse tree, and each target must
be a plain ``http(s)://host[:port]/path`` IRI of an allowed host.

Parsing costs milliseconds, so it is done only when a cheap prefilter says the text might call
out: once ``\\uXXXX`` escapes are expanded (SPARQL 1.1 §19.2) and the text casefolded, it holds
"service" (or "load" in an update). That is a superset of what oxigraph reads as a call.

rdflib and oxigraph are different parsers, so wherever they could read a text two ways the
check fails closed:

- oxigraph ends a comment at CR as well as LF, rdflib only at LF: CRs become LFs before parsing.
- oxigraph expands escapes inside strings and IRIs only, rdflib's own pass everywhere and with a
  different length rule: the escapes are expanded here, exactly as §19.2 says, and the grammar is
  called directly. An escape that gives an ASCII symbol, space or control (a quote, ``>``, a line
  break…) could end a string, IRI or comment for one parser and not the other: refused.
- A text that rdflib cannot parse is refused, as are variable, relative or unusual targets.
- BASE is refused beside a call: two BASE lines resolve differently from parser to parser.

``check_service`` and ``check_update`` return the endpoints called, so the caller can leave the
network closed to a query that calls none (see kg.server.sandbox).
"""

from __future__ import annotations

import copy
import ipaddress
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

from pyparsing import ParserElement, ParseResults
from rdflib import URIRef, Variable
from rdflib.plugins.sparql import parser as sparql_parser
from rdflib.plugins.sparql.parserutils import Comp, CompValue

from kg.errors import KgError
from kg.server.messages import HttpError

MAX_CHECKED = 32_768  # characters rdflib parses at most: about 100 µs a character, with the GIL held
_SERVICE = "_SERVICE"  # the name of SERVICE patterns in the copied grammar (see _grammars)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_HOST = r"[a-z0-9-]+(?:\.[a-z0-9-]+)*\.?|\[[0-9a-f:.]+\]"  # a name, IPv4 or [IPv6]: no %, @ or backslash
# ASCII: under IGNORECASE alone, [a-z] would also match the Kelvin sign and the long s.
_HOST_ONLY = re.compile(_HOST, re.IGNORECASE | re.ASCII)
_ENDPOINT = re.compile(
    rf"(?P<scheme>https?)://(?P<host>{_HOST})(?::(?P<port>[0-9]{{1,5}}))?(?P<path>/[^\x00-\x20\x7f\\]*)?",
    re.IGNORECASE | re.ASCII,
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_LOCAL_ESCAPE = re.compile(r"\\(.)")
_FIX = "write the endpoint as an absolute http(s)://host[:port]/path IRI of an allowed host"


@dataclass(frozen=True)
class Host:
    """An allowed host; ``port`` None allows every port."""

    name: str
    port: int | None = None


def check_service(sparql: str, allowed: Iterable[str], prefixes: Mapping[str, str]) -> tuple[str, ...]:
    """The SERVICE endpoints a query calls; HttpError 400 when any is not on an ``allowed`` host.

    ``prefixes`` are those pyoxigraph is given, which the query may use undeclared.

    >>> check_service("SELECT * { ?s ?p ?o }", set(), {})
    ()
    """
    return _check(sparql, allowed, prefixes, update=False)


def check_update(sparql: str, allowed: Iterable[str], prefixes: Mapping[str, str]) -> tuple[str, ...]:
    """The SERVICE endpoints and LOAD sources of an update; HttpError 400 as ``check_service``."""
    return _check(sparql, allowed, prefixes, update=True)


def prepare() -> None:
    """Build the parser now, so that the query processes a server forks inherit it instead of
    each building it again (0.3 s)."""
    _grammars()


def allowed_hosts(entries: Iterable[str]) -> frozenset[Host]:
    """``--allow-service`` entries (``host``, ``host:port``, ``[v6]:port``, ``v6``) normalised;
    KgError names an entry that is none of these."""
    return _allowed_hosts(frozenset(entries))


def _check(sparql: str, allowed: Iterable[str], prefixes: Mapping[str, str], *, update: bool) -> tuple[str, ...]:
    text, escaped = _expand_escapes(sparql.replace("\r", "\n"))
    folded = text.casefold()
    if "service" not in folded and not (update and "load" in folded):
        return ()
    mentions = "the update mentions SERVICE or LOAD" if update else "the query mentions SERVICE"
    if escaped:
        raise HttpError(400, f"{mentions} and escapes an ASCII symbol ({escaped}), which parsers read "
                             "differently, so it is refused; write the character itself (\\' \\\" \\\\ in strings)")
    calls, has_base = _calls(_parse(text, update, mentions), prefixes)
    if calls and has_base:
        raise HttpError(400, f"BASE is refused beside SERVICE or LOAD, since parsers resolve it differently; "
                             f"drop BASE and {_FIX}")
    hosts = allowed_hosts(allowed) if calls else frozenset()
    return tuple(_endpoint(keyword, target, hosts) for keyword, target in calls)


def _expand_escapes(text: str) -> tuple[str, str | None]:
    """``text`` with its codepoint escapes expanded, and the first escape that gave an ASCII
    character other than a letter or digit (None if none did)."""
    symbols: list[str] = []

    def expand(match: re.Match[str]) -> str:
        code = int(match[1] or match[2], 16)
        if code > 0x10FFFF:  # no character: left as written, so the parse fails
            return match[0]
        if code < 0x80 and not chr(code).isalnum():
            symbols.append(match[0])
        return chr(code)

    expanded = _ESCAPE.sub(expand, text)
    return expanded, (symbols[0] if symbols else None)


def _parse(text: str, update: bool, mentions: str) -> ParseResults | CompValue:
    """rdflib's parse tree of ``text``, escapes already expanded; HttpError 400 (its reason
    opening with ``mentions``) when rdflib cannot read it, since oxigraph might read a call."""
    if len(text) > MAX_CHECKED:
        raise HttpError(400, f"{mentions} and is over {MAX_CHECKED} characters, too long to check; shorten it, "
                             "or split an update into several")
    query_grammar, update_grammar = _grammars()
    try:
        if update:
            return update_grammar.parse_string(text, parse_all=True)[0]
        return query_grammar.parse_string(text, parse_all=True)
    except Exception as err:  # any failure to read is a refusal, whatever raised it
        reason = " ".join(str(err).split())[:160]
        raise HttpError(400, f"{mentions} but could not be checked (rdflib's parser: {reason}), so it is "
                             "refused; write it in plain SPARQL 1.1, or keep the word out of strings and "
                             "comments") from err


@cache
def _grammars() -> tuple[ParserElement, ParserElement]:
    """rdflib's query and update grammars, copied, with SERVICE patterns renamed ``_SERVICE``.

    rdflib's ServiceGraphPattern, once matched, searches the whole text again for its source
    (``service_string``): seconds for a few kilobytes and many SERVICEs, and an error after a
    ``\\#`` in a local name. The renamed copy skips that and leaves rdflib's own grammar alone.
    """
    memo: dict[int, object] = {}
    grammars = copy.deepcopy(sparql_parser.QueryUnit, memo), copy.deepcopy(sparql_parser.UpdateUnit, memo)
    services = [e for e in memo.values() if isinstance(e, Comp) and e.name == "ServiceGraphPattern"]
    if len(services) != 1:
        raise RuntimeError(f"rdflib's SPARQL grammar has {len(services)} ServiceGraphPattern elements, not 1; "
                           "kg.server.service needs updating for this rdflib version")
    services[0].set_name(_SERVICE)
    return grammars


def _calls(tree: ParseResults | CompValue, defaults: Mapping[str, str]) -> tuple[list[tuple[str, str]], bool]:
    """Each SERVICE and LOAD in the tree as (keyword, target IRI or ``?var``), and whether a BASE
    is declared. Prefixes are resolved in order, the last declaration winning, as oxigraph does."""
    if isinstance(tree, CompValue):  # an update: each operation sees the prologues before it
        scopes = list(zip(tree.get("prologue") or [], tree.get("request") or []))
    else:
        scopes = [(tree[0], tree[1])]
    prefixes = dict(defaults)
    calls: list[tuple[str, str]] = []
    has_base = False
    for prologue, body in scopes:
        for decl in prologue:
            has_base |= decl.name == "Base"
            if decl.name == "PrefixDecl":
                prefixes[decl.get("prefix") or ""] = str(decl["iri"])
        calls.extend((keyword, _resolve(term, prefixes)) for keyword, term in _find_calls(body))
    return calls, has_base


def _find_calls(node: object) -> Iterator[tuple[str, object]]:
    """Every SERVICE target and LOAD source under ``node``, however deeply nested."""
    if isinstance(node, CompValue):
        if node.name == _SERVICE:
            yield "SERVICE", node["term"]
        elif node.name == "Load":
            yield "LOAD", node["iri"]
        for value in node.values():
            yield from _find_calls(value)
    elif isinstance(node, (list, tuple, ParseResults)):
        for value in node:
            yield from _find_calls(value)


def _resolve(term: object, prefixes: Mapping[str, str]) -> str:
    """An IRI, a prefixed name expanded (``\\#`` in a local name is ``#``), or ``?var``."""
    if isinstance(term, Variable):
        return "?" + term
    if isinstance(term, URIRef):
        return str(term)
    prefix = term.get("prefix") or ""
    if prefix not in prefixes:
        raise HttpError(400, f"the prefix {prefix}: is not declared; declare it with PREFIX {prefix}: <…>")
    return prefixes[prefix] + _LOCAL_ESCAPE.sub(r"\1", term.get("localname") or "")


def _endpoint(keyword: str, target: str, hosts: frozenset[Host]) -> str:
    """``target`` when it is a plain http(s) IRI on an allowed host; HttpError 400 otherwise."""
    if target.startswith("?"):
        raise HttpError(400, f"{keyword} {target}: a variable could call any host; {_FIX}")
    match = _ENDPOINT.fullmatch(target)
    host = _normal_host(match["host"]) if match else None
    if match is None or host is None or int(match["port"] or 0) > 65535:
        raise HttpError(400, f"{keyword} <{target}>: not a plain http(s)://host[:port]/path IRI (relative IRIs, "
                             "userinfo, backslashes, spaces, percent-encoded or non-ASCII hosts are refused); "
                             f"{_FIX}, with a non-ASCII host in its xn-- form")
    port = int(match["port"] or _DEFAULT_PORTS[match["scheme"].lower()])
    if Host(host) not in hosts and Host(host, port) not in hosts:
        allow = ", ".join(sorted(h.name if h.port is None else f"{h.name}:{h.port}" for h in hosts)) or "none"
        calls = "SERVICE calls to" if keyword == "SERVICE" else "LOADs from"
        raise HttpError(400, f"{calls} {host} are not allowed on this endpoint (allowed hosts: {allow}; "
                             "start kg serve with --allow-service HOST)")
    return target


def _normal_host(host: str) -> str | None:
    """A host as compared: lower case, no trailing dot, IPv6 in brackets and compressed;
    None for a bracketed text that is no IPv6 address."""
    if host.startswith("["):
        try:
            return f"[{ipaddress.IPv6Address(host[1:-1]).compressed}]"
        except ValueError:
            return None
    return host.lower().removesuffix(".")


@lru_cache(maxsize=16)
def _allowed_hosts(entries: frozenset[str]) -> frozenset[Host]:
    return frozenset(_allowed_host(entry) for entry in entries)


def _allowed_host(entry: str) -> Host:
    name, port = entry.strip(), None
    if name.count(":") > 1 and not name.startswith("["):  # a bare IPv6 address
        name = f"[{name}]"
    bracket = name.rfind("]")
    if name.rfind(":") > bracket:
        name, _, digits = name.rpartition(":")
        port = int(digits) if digits.isdigit() and int(digits) <= 65535 else -1
    try:
        ascii_name = name.encode("idna").decode("ascii") if not name.isascii() else name
    except UnicodeError:
        ascii_name = ""
    host = _normal_host(ascii_name) if _HOST_ONLY.fullmatch(ascii_name) else None
    if host is None or port == -1:
        raise KgError(f"--allow-service {entry!r}: not a host; give HOST, HOST:PORT or [IPv6]:PORT, "
                      "e.g. --allow-service query.wikidata.org")
    return Host(host, port)
