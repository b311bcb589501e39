"""Saved analyst queries, and running SPARQL over the store: ``kg query`` is a thin layer on this.

A saved query is one ``queries/<name>.rq`` file that opens with a comment header::

    # name: partners-of
    # title: Partners of an entity
    # description: Who cooperates with the entity, in either direction, with the evidence.
    # param: entity  label, alias or ISO code of the entity, e.g. "China"
    # param: family  (optional) restrict to one relation family, e.g. "conflict"

A ``#`` line without a known key continues the value above it. A parameter whose description
starts with ``(optional)`` may be left out; the others are required.

A parameter ``<name>`` is written in the query as ``VALUES ?param_<name> { UNDEF }``, so the
file runs as is in any SPARQL tool (the parameter unbound). :func:`bind_params` replaces
``UNDEF`` with the value as one escaped string literal; the queries compare it with ``LCASE``
(entities by their lower-cased names, ``kg:nameKey``), so matching names is case-insensitive.

A parameter is best resolved in a *lookup*, a sub-query that opens with the parameter::

    { SELECT DISTINCT ?e WHERE {
        VALUES ?param_entity { UNDEF }
        BIND(LCASE(STR(?param_entity)) AS ?key)   # unbound: ?key too, and every entity matches
        ?e kg:nameKey ?key } }

Oxigraph evaluates a sub-query on its own and joins it afterwards, so however few entities it
finds, the main pattern is matched in full first. :func:`run_query` therefore runs each lookup
whose parameter is bound as a query of its own, then puts ``{ VALUES ?e { <iri> … } }`` in its
place: the same answer, from an index lookup and a pattern narrowed to those entities.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError
from kg.graph import PREFIXES as GRAPH_PREFIXES
from kg.resources import QUERIES_DIR
from kg.store import Store

# The graph's prefixes, longest namespace first, to shorten IRIs in tables and Turtle.
PREFIXES = dict(sorted(GRAPH_PREFIXES.items(), key=lambda item: -len(item[1])))
# Output formats by kind of result; "table" is the terminal view of each.
FORMATS = {
    "select": ("table", "csv", "tsv", "json"),
    "ask": ("table", "csv", "tsv", "json"),
    "graph": ("table", "turtle", "ntriples"),
}
MAX_CELL = 60  # characters of a table cell before it is cut with "…"

_HEADER_KEYS = ("name", "title", "description", "param", "example")
_HEADER_LINE = re.compile(r"#\s*(\w+)\s*:\s*(.*)")
# A saved query may bound its rows with "LIMIT n  # ?param_limit": the limit parameter changes n.
_LIMIT = re.compile(r"LIMIT\s+\d+\s*#\s*\?param_limit\b")
_PLACEHOLDER = re.compile(r"VALUES\s+\?param_(\w+)\s*\{\s*UNDEF\s*\}", re.IGNORECASE)
_KEYWORD = re.compile(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE|PREFIX|BASE)\b", re.IGNORECASE)
_OPTIONAL = "(optional)"
_STRING = r'"(?:[^"\\\n]|\\.)*"'  # a short double-quoted literal, as bind_params writes them
_TOKEN = r"(?:[^{}\"'#<]|" + _STRING + r"|<[^<>\"{}\s]*>)"  # no brace, comment or '…' string
# A lookup (see the module's docstring) whose parameter is bound. Its body may hold groups one
# level deep ({ … } of EXISTS, OPTIONAL, UNION) but no comments or '…' strings, so that the
# match ends exactly where the lookup ends; a lookup that does not fit is left to run inline.
_LOOKUP = re.compile(
    r"\{\s*SELECT\s+DISTINCT\s+\?(\w+)\s+WHERE\s*\{\s*VALUES\s+\?param_\w+\s*\{\s*" + _STRING
    + r"\s*\}(?:" + _TOKEN + r"|\{" + _TOKEN + r"*\})*\}\s*\}",
    re.IGNORECASE,
)
_PROLOGUE = re.compile(r"^\s*(?:PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)", re.IGNORECASE | re.MULTILINE)

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


@dataclass(frozen=True)
class SavedQuery:
    """One ``queries/<name>.rq`` file. ``params`` maps each parameter to its description;
    ``example`` (the ``# example: name=value ...`` header line) gives values that show it."""

    name: str
    title: str
    description: str
    params: dict[str, str]
    text: str
    path: Path
    example: dict[str, str]


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


def parse_header(text: str) -> dict[str, list[str]]:
    """The ``# key: value`` lines that open ``text``, as key -> values (``param`` repeats)."""
    fields: dict[str, list[str]] = {}
    key = None
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("#"):
            break
        match = _HEADER_LINE.fullmatch(line)
        if match and match.group(1).lower() in _HEADER_KEYS:
            key = match.group(1).lower()
            fields.setdefault(key, []).append(match.group(2).strip())
        elif key and line.lstrip("#").strip():
            fields[key][-1] += " " + line.lstrip("#").strip()
    return fields


def header_params(text: str) -> dict[str, str]:
    """The ``# param: <name> <description>`` lines of a query's header, as name -> description."""
    params = {}
    for value in parse_header(text).get("param", []):
        name, _, doc = value.partition(" ")
        params[name] = doc.strip()
    return params


def read_saved_query(path: Path) -> SavedQuery:
    """Read one saved query; its header must give its name (the file's stem) and a title."""
    text = path.read_text(encoding="utf-8")
    header = parse_header(text)
    name = header.get("name", [""])[0]
    if name != path.stem or "title" not in header:
        raise KgError(f"{path}: the header needs '# name: {path.stem}' and a '# title:' line")
    return SavedQuery(
        name=name,
        title=header["title"][0],
        description=header.get("description", [""])[0],
        params=header_params(text),
        text=text,
        path=path,
        example=dict(pair.partition("=")[::2] for value in header.get("example", []) for pair in value.split()),
    )


def list_saved_queries(directory: Path = QUERIES_DIR) -> list[SavedQuery]:
    """Every saved query in ``directory``, sorted by name."""
    return sorted((read_saved_query(p) for p in directory.glob("*.rq")), key=lambda q: q.name)


def load_saved_query(name: str, directory: Path = QUERIES_DIR) -> SavedQuery:
    """The saved query called ``name``; a KgError lists the valid names when there is none."""
    queries = {query.name: query for query in list_saved_queries(directory)}
    if name in queries:
        return queries[name]
    close = difflib.get_close_matches(name, queries, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise KgError(f"no saved query named {name!r}{hint}; saved queries: {', '.join(queries)}")


def resolve_query(arg: str, directory: Path = QUERIES_DIR) -> str:
    """The SPARQL text that a ``kg query`` argument stands for, tried in this order.

    1. One line ending in ``.rq`` or ``.sparql``: the path of a file holding the query.
    2. Text containing SELECT, CONSTRUCT, ASK, DESCRIBE, PREFIX or BASE: the query itself.
    3. Anything else: the name of a saved query (see :func:`list_saved_queries`).
    """
    stripped = arg.strip()
    if "\n" not in stripped and stripped.endswith((".rq", ".sparql")):
        path = Path(stripped).expanduser()
        try:
            return path.read_text(encoding="utf-8")
        except OSError as err:
            raise KgError(f"{path}: cannot read the query file ({err.strerror})") from err
    if _KEYWORD.search(arg):
        return arg
    return load_saved_query(stripped, directory).text


def bind_params(query: str, params: Mapping[str, str]) -> str:
    """``query`` with each ``VALUES ?param_<name> { UNDEF }`` bound to ``params[name]``.

    A value becomes one escaped string literal, so it cannot change the query's structure. An
    unknown parameter, or a missing required one, raises a KgError naming the valid ones.
    """
    docs = header_params(query)
    names = list(dict.fromkeys([*_PLACEHOLDER.findall(query), *(["limit"] if _LIMIT.search(query) else [])]))
    required = [n for n in names if n in docs and not docs[n].startswith(_OPTIONAL)]
    valid = ", ".join(n if n in required else f"{n} {_OPTIONAL}" for n in names)
    takes = f"this query takes: {valid}" if names else "this query takes no parameters"
    unknown = sorted(set(params) - set(names))
    if unknown:
        raise KgError(f"unknown parameter {', '.join(unknown)}; {takes}")
    missing = [n for n in required if n not in params]
    if missing:
        raise KgError(f"missing parameter {', '.join(missing)}; {takes}")

    def bind(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in params:
            return match.group(0)
        return f"VALUES ?param_{name} {{ {ox.Literal(params[name])} }}"

    if "limit" in params:
        if not params["limit"].isdigit() or int(params["limit"]) < 1:
            raise KgError(f"limit must be a whole number of rows, at least 1, not {params['limit']!r}")
        query = _LIMIT.sub(f"LIMIT {int(params['limit'])}  # ?param_limit", query)
    return _PLACEHOLDER.sub(bind, query)


def resolve_lookups(store: Store, query: str) -> str:
    """``query`` with each lookup of a bound parameter replaced by the values it finds in ``store``.

    See the module's docstring. Identical lookups run once; a lookup that finds a blank node
    (which VALUES cannot hold) stays as it is.
    """
    prologue = "".join(match.group(0).strip() + "\n" for match in _PROLOGUE.finditer(query))
    found: dict[str, str] = {}

    def values(match: re.Match[str]) -> str:
        block = match.group(0)
        if block not in found:
            result = store.query(prologue + block.strip()[1:-1], prefixes=PREFIXES)
            assert isinstance(result, ox.QuerySolutions)
            terms = [row[0] for row in result]
            if any(isinstance(term, ox.BlankNode) for term in terms):
                found[block] = block
            else:
                listed = " ".join("UNDEF" if term is None else str(term) for term in terms)
                found[block] = f"{{ VALUES ?{match.group(1)} {{ {listed} }} }}"
        return found[block]

    return _LOOKUP.sub(values, query)


def run_query(store: Store, query: str, params: Mapping[str, str] | None = None) -> QueryOutput:
    """Bind ``params`` into ``query``, resolve its lookups (:func:`resolve_lookups`), run it over
    the whole store and read the result in full.

    A syntax error is a KgError whose message is the parser's, on one line.
    """
    try:
        result = store.query(resolve_lookups(store, bind_params(query, params or {})), prefixes=PREFIXES)
    except KgError as err:
        raise KgError(_cut(str(err), 300)) from err
    if isinstance(result, ox.QuerySolutions):
        variables = tuple(v.value for v in result.variables)
        rows = tuple(tuple(solution[v] for v in variables) for solution in result)
        return Solutions(variables, rows)
    if isinstance(result, ox.QueryBoolean):
        return Answer(bool(result))
    return Triples(tuple(result))


def format_result(result: QueryOutput, fmt: str, *, max_cell: int = MAX_CELL) -> str:
    """Write a result as text: see ``FORMATS`` for the formats each kind of result takes.

    SELECT: an aligned ``table``, or ``csv``, ``tsv`` and ``json`` (SPARQL 1.1 results formats).
    ASK: ``true`` or ``false`` (JSON: the SPARQL boolean result). CONSTRUCT and DESCRIBE:
    ``turtle`` (also the ``table`` view) or ``ntriples``. Table cells longer than ``max_cell``
    characters are cut. Every format ends with a newline.
    """
    if isinstance(result, Solutions):
        kind = "select"
    else:
        kind = "ask" if isinstance(result, Answer) else "graph"
    if fmt not in FORMATS[kind]:
        valid = ", ".join(FORMATS[kind])
        raise KgError(f"format {fmt!r} does not fit a {kind} result; use one of {valid}")
    if isinstance(result, Answer):
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result.value}) + "\n"
        return str(result.value).lower() + "\n"
    if isinstance(result, Triples):
        if fmt == "ntriples":
            return ox.serialize(result.triples, format=ox.RdfFormat.N_TRIPLES).decode()
        used = " ".join(map(str, result.triples))
        prefixes = {p: ns for p, ns in PREFIXES.items() if ns in used}
        turtle = ox.serialize(result.triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
        return turtle.decode()
    if fmt == "table":
        return _table(result, max_cell)
    return {"csv": _csv, "tsv": _tsv, "json": _json}[fmt](result)


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


def _cut(text: str, width: int) -> str:
    """One line of at most ``width`` characters, cut at a space when one is near the end."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    head = text[: width - 1]
    space = head.rfind(" ")
    return (head[:space] if space > width * 2 // 3 else head) + "…"


def _table(result: Solutions, max_cell: int) -> str:
    """Columns aligned with spaces, a rule under the header, and the count of rows."""
    cells = [[_cut(_display(term), max_cell) for term in row] for row in result.rows]
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
