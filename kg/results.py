"""Query results and the text each output format writes: ``kg query``, ``kg analyze`` and the
endpoint's truncated answers all write them here, so that they look alike.

SELECT results as an aligned table for the terminal, or in the SPARQL 1.1 results formats
(CSV, TSV, JSON, XML) and as newline-delimited JSON, one object per row, for ``jq`` and the
like. Only the table cuts long cells, and only as far as it is asked to.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError
from kg.graph import PREFIXES as GRAPH_PREFIXES

# The graph's prefixes, longest namespace first, to shorten IRIs in tables and Turtle.
PREFIXES = dict(sorted(GRAPH_PREFIXES.items(), key=lambda item: -len(item[1])))
# Output formats by kind of result; "table" is the terminal view of each.
FORMATS = {
    "select": ("table", "csv", "tsv", "json", "xml", "ndjson"),
    "ask": ("table", "csv", "tsv", "json", "xml"),
    "graph": ("table", "turtle", "ntriples"),
}
MAX_CELL = 60  # characters of a table cell before it is cut with "…" (``--width``; 0: never)

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


@dataclass(frozen=True)
class Solutions:
    """The rows of a SELECT query; an unbound cell is None."""

    variables: tuple[str, ...]
    rows: tuple[tuple[Term | None, ...], ...]


@dataclass(frozen=True)
class Answer:
    """The answer to an ASK query."""

    value: bool


@dataclass(frozen=True)
class Triples:
    """The graph built by a CONSTRUCT or DESCRIBE query."""

    triples: tuple[ox.Triple, ...]


QueryOutput = Solutions | Answer | Triples


def format_result(result: QueryOutput, fmt: str, *, max_cell: int = MAX_CELL) -> str:
    """Write a result as text: see ``FORMATS`` for the formats each kind of result takes.

    SELECT: an aligned ``table``, or ``csv``, ``tsv``, ``json`` and ``xml`` (SPARQL 1.1 results
    formats), or ``ndjson``: one JSON object a row, variable -> value (numbers and booleans as
    JSON's, unbound as null). ASK: ``true`` or ``false`` (JSON, XML: the SPARQL boolean result).
    CONSTRUCT and DESCRIBE: ``turtle`` (also the ``table`` view) or ``ntriples``. Table cells
    longer than ``max_cell`` characters are cut (0: never); no other format cuts anything.
    Every format ends with a newline.
    """
    if isinstance(result, Solutions):
        kind = "select"
    else:
        kind = "ask" if isinstance(result, Answer) else "graph"
    if fmt not in FORMATS[kind]:
        valid = ", ".join(FORMATS[kind])
        raise KgError(f"format {fmt!r} does not fit a {kind} result; use one of {valid}")
    if isinstance(result, Answer):
        boolean = json.dumps({"head": {}, "boolean": result.value})
        if fmt == "xml":
            return _xml(boolean)
        return boolean + "\n" if fmt == "json" else str(result.value).lower() + "\n"
    if isinstance(result, Triples):
        if fmt == "ntriples":
            return ox.serialize(result.triples, format=ox.RdfFormat.N_TRIPLES).decode()
        used = " ".join(map(str, result.triples))
        prefixes = {p: ns for p, ns in PREFIXES.items() if ns in used}
        turtle = ox.serialize(result.triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
        return turtle.decode()
    if fmt == "table":
        return _table(result, max_cell)
    if fmt == "xml":
        return _xml(_json(result))
    return {"csv": _csv, "tsv": _tsv, "json": _json, "ndjson": _ndjson}[fmt](result)


def write_output(text: str, out: Path) -> None:
    """Write ``text`` to the file ``out`` atomically (a temp file, then a rename), so that a
    failed or interrupted run leaves the file as it was."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)


def shorten(iri: str) -> str:
    """``iri`` with a known namespace replaced by its prefix: ``ent:country/CHN``.

    >>> shorten("https://w3id.org/irkg/ontology#partnerOf")
    'kg:partnerOf'
    """
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


def _display(term: Term | None) -> str:
    """A term as an analyst reads it: short IRIs, literals as their value."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return shorten(term.value)
    if isinstance(term, ox.Triple):
        return f"<< {_display(term.subject)} {_display(term.predicate)} {_display(term.object)} >>"
    return str(term) if isinstance(term, ox.BlankNode) else term.value


def one_line(text: str, width: int = 0) -> str:
    """``text`` on one line, of at most ``width`` characters (0: any), cut at a space when one
    is near the end.

    >>> one_line("a  long\\nline", 8)
    'a long…'
    """
    text = " ".join(text.split())
    if width <= 0 or len(text) <= width:
        return text
    head = text[: width - 1]
    space = head.rfind(" ")
    return (head[:space] if space > width * 2 // 3 else head) + "…"


def _table(result: Solutions, max_cell: int) -> str:
    """Columns aligned with spaces, a rule under the header, and the count of rows."""
    cells = [[one_line(_display(term), max_cell) for term in row] for row in result.rows]
    header = list(result.variables)
    widths = [max(map(len, column)) for column in zip(header, *cells)]
    lines = [header, ["-" * w for w in widths], *cells]
    text = ["  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip() for line in lines]
    count = len(result.rows)
    return "\n".join([*text, f"({count} row{'' if count == 1 else 's'})"]) + "\n"


def _csv(result: Solutions) -> str:
    """SPARQL 1.1 CSV: IRIs and literals by value, blank nodes as ``_:id``, CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    writer.writerows([_csv_cell(term) for term in row] for row in result.rows)
    return out.getvalue()


def _csv_cell(term: Term | None) -> str:
    if term is None:
        return ""
    return str(term) if isinstance(term, ox.BlankNode | ox.Triple) else term.value


def _tsv(result: Solutions) -> str:
    """SPARQL 1.1 TSV: ``?var`` headers and terms in N-Triples syntax."""
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _json(result: Solutions) -> str:
    """SPARQL 1.1 JSON results."""
    bindings = [
        {v: _json_term(t) for v, t in zip(result.variables, row) if t is not None}
        for row in result.rows
    ]
    document = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def _json_term(term: Term) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        parts = {"subject": term.subject, "predicate": term.predicate, "object": term.object}
        return {"type": "triple", "value": {k: _json_term(v) for k, v in parts.items()}}
    if term.language:
        return {"type": "literal", "value": term.value, "xml:lang": term.language}
    if term.datatype.value == PREFIXES["xsd"] + "string":
        return {"type": "literal", "value": term.value}
    return {"type": "literal", "value": term.value, "datatype": term.datatype.value}


def _xml(json_results: str) -> str:
    """SPARQL 1.1 XML results, from the same results as JSON (pyoxigraph writes the XML)."""
    parsed = ox.parse_query_results(json_results, format=ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=ox.QueryResultsFormat.XML).decode() + "\n"


def _ndjson(result: Solutions) -> str:
    """One JSON object per row, on one line each: what ``jq`` and data tools read as a stream."""
    return "".join(
        json.dumps(dict(zip(result.variables, map(_plain, row))), ensure_ascii=False) + "\n" for row in result.rows
    )


def _plain(term: Term | None) -> object:
    """A term as a plain JSON value: numbers and booleans as JSON's, anything else as its text."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        kind = term.datatype.value.removeprefix(PREFIXES["xsd"])
        try:
            if kind in _INTEGERS:
                return int(term.value)
            if kind in ("decimal", "double", "float"):
                number = float(term.value)
                return number if math.isfinite(number) else term.value  # JSON has no NaN or infinity
        except ValueError:
            return term.value
        if kind == "boolean":
            return term.value in ("true", "1")
    return _csv_cell(term)


_INTEGERS = {"integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "negativeInteger",
             "nonPositiveInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"}
