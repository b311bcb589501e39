"""Refusing SERVICE calls to hosts that were not allowed: pyoxigraph would make them.

The query is scanned like SPARQL's lexer does: string literals and comments are set aside and
IRIs kept whole, so a ``#`` inside an IRI is no comment and ``"SERVICE <x>"`` in a string is no
call. A SERVICE target is an IRI, a prefixed name (resolved with the query's PREFIX lines and
the project's prefixes) or a variable; a variable or an IRI without a host is refused.

One case reads two ways: ``?a<?b,'>'`` is a comparison to pyoxigraph's parser but holds an IRI
candidate for a lexer. When such a ``<`` (after an operand, inside parentheses, with a quote or
``#`` before its ``>``) meets the word SERVICE in what the scan took for a string or comment,
the query is refused rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from urllib.parse import urljoin, urlsplit

from kg.server.messages import HttpError

_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_TOKEN = re.compile(
    r"(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|"(?:[^"\\\n\r]|\\.)*")'
    rf"|(?P<iri><(?:[^<>\"{{}}|^`\\\x00-\x20]|{_UCHAR})*>)"
    r"|(?P<comment>#[^\n\r]*)"
    r"|(?P<other>[^'\"<#]+|.)",
    re.DOTALL,
)
_NAME = r"[A-Za-z_\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*"
_SERVICE = re.compile(
    rf"(?<![\w:?$])SERVICE(?:\s+SILENT)?(?:\s*<(?P<iri>[^>]*)>|\s*(?P<var>[?$]\w+)"
    rf"|\s+(?P<prefix>(?:{_NAME})?):(?P<local>\S*?)(?=[\s{{]))",
    re.IGNORECASE,
)
_PREFIX = re.compile(rf"\bPREFIX\s+(?P<prefix>(?:{_NAME})?):\s*<(?P<iri>[^>]*)>", re.IGNORECASE)
_BASE = re.compile(r"\bBASE\s*<(?P<iri>[^>]*)>", re.IGNORECASE)
_OPERAND_END = re.compile(r"[\w'\")\]>]\s*$")


def check_service(sparql: str, allowed: Iterable[str], prefixes: Mapping[str, str]) -> None:
    """Raise HttpError 400 when ``sparql`` calls SERVICE on a host not in ``allowed``."""
    code, hidden, ambiguous = _scan(sparql)
    hosts = {h.lower() for h in allowed}
    declared = {**prefixes, **{m["prefix"]: m["iri"] for m in _PREFIX.finditer(code)}}
    base = next((m["iri"] for m in _BASE.finditer(code)), "")
    for match in _SERVICE.finditer(code):
        target = _target(match, declared, base)
        parts = urlsplit(target or "")
        if not parts.hostname:
            raise HttpError(400, f"SERVICE {match.group(0)[8:].strip()!r}: cannot tell which host it calls; "
                                 "SERVICE needs an absolute IRI of an allowed host")
        if parts.hostname.lower() not in hosts and parts.netloc.lower() not in hosts:
            allow = ", ".join(sorted(hosts)) or "none"
            raise HttpError(400, f"SERVICE calls to {parts.hostname} are not allowed on this endpoint "
                                 f"(allowed hosts: {allow}; start kg serve with --allow-service HOST)")
    if ambiguous and re.search(r"\bSERVICE\b", hidden, re.IGNORECASE):
        raise HttpError(400, "the query reads two ways around a '<' and mentions SERVICE, so it is refused; "
                             "write comparisons with spaces: ?a < ?b")


def _scan(sparql: str) -> tuple[str, str, bool]:
    """The query's code (strings emptied, comments dropped), the text set aside, and whether a
    ``<`` could be read both as an IRI and as a comparison hiding a quote or ``#``."""
    code: list[str] = []
    hidden: list[str] = []
    depth = 0
    ambiguous = False
    for match in _TOKEN.finditer(sparql):
        kind, text = match.lastgroup, match.group(0)
        if kind == "string":
            code.append('""')
            hidden.append(text)
        elif kind == "comment":
            code.append(" ")
            hidden.append(text)
        else:
            if kind == "iri" and depth and re.search(r"['\"#]", text) and _OPERAND_END.search("".join(code[-3:])):
                ambiguous = True
            if kind == "other":
                depth = max(0, depth + text.count("(") - text.count(")"))
            code.append(text)
    return "".join(code), "\n".join(hidden), ambiguous


def _target(match: re.Match[str], prefixes: Mapping[str, str], base: str) -> str | None:
    """The IRI a SERVICE clause calls, or None for a variable or an unknown prefix."""
    if match["iri"] is not None:
        return urljoin(base, match["iri"]) if base else match["iri"]
    if match["var"]:
        return None
    namespace = prefixes.get(match["prefix"])
    return None if namespace is None else namespace + match["local"]
