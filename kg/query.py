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

import difflib
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import pyoxigraph as ox

from kg.errors import KgError, did_you_mean
from kg.query_check import KG_NAMESPACE, check_query, explain_syntax_error, is_update
from kg.resources import QUERIES_DIR
from kg.results import (  # noqa: F401 - results and formats, imported from here before kg.results
    FORMATS,
    MAX_CELL,
    PREFIXES,
    Answer,
    QueryOutput,
    Solutions,
    Term,
    Triples,
    format_result,
    one_line,
    shorten,
    write_output,
)
from kg.store import Store
from kg.store.embedded import SYNTAX_ERROR

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
    r"\{\s*SELECT\s+DISTINCT\s+\?(\w+)\s+WHERE\s*\{\s*VALUES\s+\?param_(\w+)\s*\{\s*(" + _STRING
    + r")\s*\}(?:" + _TOKEN + r"|\{" + _TOKEN + r"*\})*\}\s*\}",
    re.IGNORECASE,
)
_PROLOGUE = re.compile(r"^\s*(?:PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)", re.IGNORECASE | re.MULTILINE)


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


def format_saved_queries(saved: list[SavedQuery]) -> str:
    """What ``kg query --list`` prints: each query's name and title, its parameters with what
    they take, and a command to try (the header's example, else the query without parameters)."""
    lines = []
    for query in saved:
        lines.append(f"{query.name:<28} {query.title}")
        lines += [f"    --param {name}=…  {doc}" for name, doc in query.params.items()]
        example = " ".join(f"--param {shlex.quote(f'{k}={v}')}" for k, v in query.example.items())
        lines.append(f"    e.g. kg query {query.name}" + (f" {example}" if example else ""))
    return "\n".join(lines) + "\n"


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
    if _KEYWORD.search(arg) or is_update(arg):  # an update is refused when it is run, with the reason
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
    (which VALUES cannot hold) stays as it is. A lookup that finds nothing is a KgError: an
    entity's name is resolved as ``kg viz --focus`` and ``kg analyze path`` resolve it (IRIs and
    ISO codes too), else the error gives the closest names; any other value, the closest values
    the lookup knows.
    """
    prologue = "".join(match.group(0).strip() + "\n" for match in _PROLOGUE.finditer(query))
    found: dict[str, str] = {}

    def values(match: re.Match[str]) -> str:
        block = match.group(0)
        if block not in found:
            terms = _lookup(store, prologue, block) or _lookup_again(store, prologue, match, header_params(query))
            if any(isinstance(term, ox.BlankNode) for term in terms):
                found[block] = block
            else:
                listed = " ".join("UNDEF" if term is None else str(term) for term in terms)
                found[block] = f"{{ VALUES ?{match.group(1)} {{ {listed} }} }}"
        return found[block]

    return _LOOKUP.sub(values, query)


def listing_cut(store: Store, query: str, params: Mapping[str, str], result: QueryOutput) -> int | None:
    """The number of rows a saved listing (``LIMIT n  # ?param_limit``) stopped at when it left
    rows out, else None. It asks the query again for one row more, so the answer is exact."""
    bound = _LIMIT.search(query)
    if bound is None or not isinstance(result, Solutions) or not result.rows:
        return None
    limit = int(params["limit"]) if "limit" in params else int(re.findall(r"\d+", bound.group(0))[0])
    more = run_query(store, query, {**params, "limit": str(limit + 1)})
    return limit if isinstance(more, Solutions) and len(more.rows) > len(result.rows) else None


def _lookup(store: Store, prologue: str, block: str) -> list[Term | None]:
    """What the lookup ``block`` (``{ SELECT DISTINCT ?x WHERE { … } }``) finds, run on its own."""
    result = store.query(prologue + block.strip()[1:-1], prefixes=PREFIXES)
    assert isinstance(result, ox.QuerySolutions)
    return [row[0] for row in result]


def _lookup_again(store: Store, prologue: str, match: re.Match[str], docs: Mapping[str, str]) -> list[Term | None]:
    """What a lookup that found nothing finds for the entity its value names in another way
    (an IRI, an ISO code); else a KgError with the closest names or values."""
    block, param, literal = match.group(0), match.group(2), match.group(3)
    value = _literal_value(literal)
    takes = f" ({param}: {docs[param]})" if docs.get(param) else ""
    if "kg:nameKey" not in block:
        unbound = store.query(prologue + block.replace(literal, "UNDEF", 1).strip()[1:-1], prefixes=PREFIXES)
        assert isinstance(unbound, ox.QuerySolutions)
        known = sorted({_local_name(row[0].value) for row in unbound if isinstance(row[0], ox.NamedNode)})
        raise KgError(f"parameter {param}: {value!r} matches nothing in the store{did_you_mean(value, known)}{takes}")
    # Imported here: it needs networkx, and only a lookup that found nothing needs it.
    from kg.analyze.paths import resolve_entity

    try:
        iri = resolve_entity(store, value)
    except KgError as err:
        raise KgError(f"parameter {param}: {err}") from None
    for row in store.select(f"SELECT ?key {{ <{iri}> <{KG_NAMESPACE}nameKey> ?key }} ORDER BY ?key LIMIT 1"):
        if terms := _lookup(store, prologue, block.replace(literal, str(row["key"]), 1)):
            return terms
    kinds = sorted(_local_name(r["c"].value) for r in store.select(f"SELECT DISTINCT ?c {{ <{iri}> a ?c }}")
                   if r["c"].value.startswith(KG_NAMESPACE))
    raise KgError(f"parameter {param}: {value!r} names {shorten(iri)}, {' and '.join(kinds) or 'an entity'}, "
                  f"which this parameter does not take{takes}")


def _literal_value(literal: str) -> str:
    """The text of a literal as :func:`bind_params` writes it (N-Triples escapes)."""
    triple = next(iter(ox.parse(f"<urn:x> <urn:x> {literal} .", format=ox.RdfFormat.N_TRIPLES)))
    return triple.object.value


def _local_name(iri: str) -> str:
    """The last part of an IRI, decoded: ``kg:opposes`` -> "opposes", ``doc:CHN_76_2021`` -> "CHN_76_2021"."""
    return unquote(re.split(r"[#/]", iri)[-1])


def run_query(store: Store, query: str, params: Mapping[str, str] | None = None) -> QueryOutput:
    """Bind ``params`` into ``query``, resolve its lookups (:func:`resolve_lookups`), run it over
    the whole store and read the result in full.

    An update, or a ``kg:`` term the ontology does not define, is refused before it runs
    (:mod:`kg.query_check`). A syntax error is a KgError whose message is the parser's, on one
    line, or says which prefix is not declared.
    """
    check_query(query, PREFIXES)
    bound = bind_params(query, params or {})
    try:
        result = store.query(resolve_lookups(store, bound), prefixes=PREFIXES)
    except KgError as err:
        if not str(err).startswith(SYNTAX_ERROR):  # a name that matches nothing, a server that fails
            raise
        raise KgError(explain_syntax_error(query, str(err), PREFIXES) or one_line(str(err), 300)) from err
    if isinstance(result, ox.QuerySolutions):
        variables = tuple(v.value for v in result.variables)
        rows = tuple(tuple(solution[v] for v in variables) for solution in result)
        return Solutions(variables, rows)
    if isinstance(result, ox.QueryBoolean):
        return Answer(bool(result))
    return Triples(tuple(result))
