"""A query's text read before it runs, for mistakes the store would answer with silence or a dump.

- An update (``DELETE WHERE …``) given to ``kg query``, which only reads.
- A ``kg:`` name that the ontology does not define (``kg:opposse``): the ontology is closed, so
  such a query can only match nothing. It is refused with the closest terms.
- An undeclared prefix, which the parser reports as a list of expected characters: said as
  the prefix that is missing and the prefixes there are.

The text is read lexically: comments and string literals are blanked first (their characters
replaced by spaces, so positions stay), then IRIs, and what is left is searched for prefixed
names. Only text that could be a name in SPARQL's grammar is read as one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from kg.errors import KgError, did_you_mean
from kg.vocab import KG, ontology_terms

KG_NAMESPACE = str(KG._NS)
UPDATE_HELP = ("kg query only reads; to change the store, rebuild or add documents with kg build, remove them "
               "with kg remove, or send SPARQL Update to kg serve --allow-updates --update-token TOKEN")

# String literals (long ones first), IRIs and comments, in the order a lexer meets them: a "#"
# inside an IRI or a string starts no comment, a quote inside a comment starts no string.
_LEXEMES = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                      r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*', re.DOTALL)
_IRI = re.compile(r'<[^<>"{}|^`\\\s]*>')
_DECLARATION = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^<>\s]*)>", re.IGNORECASE)
_DECLARED_NAME = re.compile(r"\bPREFIX\s+(?:[A-Za-z][\w.-]*)?:", re.IGNORECASE)
# A prefixed name: PN_PREFIX? ':' PN_LOCAL?, not inside a longer word, variable or blank node.
_NAME = re.compile(r"(?<![\w.:?$\\-])([A-Za-z](?:[\w.-]*\w)?)?:((?:[\w%:-]|\\[^\s])(?:[\w.%:-]|\\[^\s])*)?")
_UPDATE = re.compile(r"\s*(?:(?:PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*"
                     r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\s", re.IGNORECASE)
_PREFIX_NOT_FOUND = "Prefix not found"


def is_update(text: str) -> bool:
    """Whether ``text`` is a SPARQL Update request rather than a query.

    >>> is_update("# tidy up\\nDELETE WHERE { ?s ?p ?o }"), is_update("SELECT * { ?s ?p ?o }")
    (True, False)
    """
    return _UPDATE.match(_code(text)) is not None


def check_query(text: str, prefixes: Mapping[str, str]) -> None:
    """Refuse an update, or a ``kg:`` term the ontology does not define, with a KgError that
    names the mistake and the fix. ``prefixes`` are those the store declares for every query."""
    if is_update(text):
        raise KgError(f"this is a SPARQL update: {UPDATE_HELP}")
    terms = ontology_terms()
    for name, local in kg_names(text, prefixes):
        if local not in terms:
            hint = did_you_mean(f"kg:{local}", [f"kg:{t}" for t in sorted(terms)], n=3)
            raise KgError(f"{name} is not a term of the kg ontology, so it matches nothing"
                          + (hint or "; its terms are defined in ontology/kg.ttl"))


def explain_syntax_error(text: str, message: str, prefixes: Mapping[str, str]) -> str | None:
    """A one-line message for a parser error that says less than it could, or None.

    An undeclared prefix is named, with the prefixes there are and how to declare it.
    """
    if _PREFIX_NOT_FOUND not in message:
        return None
    declared = {**prefixes, **declarations(text)}
    missing = sorted({prefix for prefix, _, _ in _names(text) if prefix not in declared})
    if not missing:
        return None
    shown = ", ".join(f"{p}:" for p in missing)
    known = ", ".join(f"{p}:" for p in sorted(declared))
    return (f"SPARQL syntax error: the prefix {shown} is not declared; declare it (PREFIX {missing[0]}: <…>) "
            f"or use one of {known}")


def declarations(text: str) -> dict[str, str]:
    """The prefixes ``text`` declares, as prefix -> namespace (the empty prefix as "")."""
    return {m.group(1) or "": m.group(2) for m in _DECLARATION.finditer(_code(text))}


def kg_names(text: str, prefixes: Mapping[str, str]) -> Iterator[tuple[str, str]]:
    """Each name in ``text`` that stands for an IRI of the kg ontology's namespace, as it is
    written and by local name: prefixed names whose prefix means that namespace, and IRIs.

    >>> list(kg_names("SELECT ?s { ?s kg:opposse <https://w3id.org/irkg/ontology#Country> . }",
    ...               {"kg": KG_NAMESPACE}))
    [('kg:opposse', 'opposse'), ('<https://w3id.org/irkg/ontology#Country>', 'Country')]
    """
    declared = {**prefixes, **declarations(text)}
    for prefix, local, written in _names(text):
        if declared.get(prefix) == KG_NAMESPACE and local:
            yield written, local
    for match in _IRI.finditer(_code(text)):
        iri = match.group(0)[1:-1]
        if iri.startswith(KG_NAMESPACE) and iri != KG_NAMESPACE:
            yield match.group(0), iri[len(KG_NAMESPACE):]


def _names(text: str) -> Iterator[tuple[str, str, str]]:
    """(prefix, local name, as written) of each prefixed name outside comments, strings and IRIs;
    the names that declarations declare are left out."""
    code = _code(text, keep_iris=False)
    code = _blank(_DECLARED_NAME, code)
    for match in _NAME.finditer(code):
        local = (match.group(2) or "").rstrip(".")
        yield match.group(1) or "", local.replace("\\", ""), f"{match.group(1) or ''}:{local}"


def _code(text: str, *, keep_iris: bool = True) -> str:
    """``text`` with its comments and string literals (and IRIs unless ``keep_iris``) blanked."""
    return _LEXEMES.sub(lambda m: m.group(0) if keep_iris and m.group(0)[0] == "<" else _spaces(m.group(0)), text)


def _spaces(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def _blank(pattern: re.Pattern[str], text: str) -> str:
    """``text`` with each match of ``pattern`` replaced by as many spaces (newlines kept)."""
    return pattern.sub(lambda m: _spaces(m.group(0)), text)
