"""Find what a view is about in the store: an entity by name, a document by id.

Names are matched with SPARQL, case-insensitively, against rdfs:label, skos:altLabel and
kg:isoAlpha3 (or given as an entity IRI or id). An unknown name is a KgError that lists the
closest known names, so a typo is one command away from the right one.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from kg.errors import KgError
from kg.graph import document_graph_iri
from kg.store import Store
from kg.viz.read import ENTITY_BASE, PREFIXES, GraphData, entity_id, relation_families

MAX_SUGGESTIONS = 5

NAMED = PREFIXES + """
SELECT DISTINCT ?e ?how WHERE {{
  {{ ?e rdfs:label ?n BIND(1 AS ?how) }} UNION {{ ?e kg:isoAlpha3 ?n BIND(2 AS ?how) }}
  UNION {{ ?e skos:altLabel ?n BIND(3 AS ?how) }}
  FILTER(LCASE(STR(?n)) = LCASE({name}))
}}"""

DOCUMENT = PREFIXES + """
SELECT ?d (MIN(?t) AS ?title) WHERE {{
  ?d kg:documentId {doc_id} . OPTIONAL {{ ?d dcterms:title ?t }}
}} GROUP BY ?d"""

DOCUMENT_IDS = PREFIXES + "SELECT DISTINCT ?id WHERE { ?d kg:documentId ?id }"

DOCUMENT_CONTENT = PREFIXES + """
SELECT DISTINCT ?e WHERE {{ GRAPH <{graph}> {{
  {{ ?d kg:mentions ?e }} UNION {{ ?m kg:mentionOf ?e }}
  UNION {{ ?e ?p ?x VALUES ?p {{ {names} }} }} UNION {{ ?x ?p ?e VALUES ?p {{ {names} }} }}
}} }}"""

DOCUMENT_RELATIONS = PREFIXES + """
SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ VALUES ?p {{ {names} }} ?s ?p ?o }} }}"""


@dataclass(frozen=True)
class DocumentInfo:
    """A document and the entities and relations of its named graph."""

    id: str
    iri: str
    title: str
    entities: frozenset[str]
    relations: frozenset[tuple[str, str, str]]  # (subject, predicate local name, object)


def find_entity(store: Store, data: GraphData, name: str, kind: str | None = None) -> str:
    """The id of the entity called ``name`` (of class ``kind`` if given).

    A label beats an ISO code, which beats an alias; among equals, the most mentioned wins.
    """
    wanted = name.strip()
    direct = entity_id(wanted)
    if direct in data.entities and (kind is None or data.entities[direct].type == kind):
        return direct
    rows = store.select(NAMED.format(name=sparql_string(wanted)))
    found = sorted(
        (int(r["how"].value), -data.entities[e].documents, e)
        for r in rows
        if (e := entity_id(r["e"].value)) in data.entities
        and (kind is None or data.entities[e].type == kind)
    )
    if found:
        return found[0][2]
    names = sorted({
        n for e in data.entities.values() if kind is None or e.type == kind
        for n in (e.label, e.iso3, *e.aliases) if n
    })
    what = f"no {'entity' if kind is None else kind.lower()} called {wanted!r}"
    raise KgError(f"{what} in the store{_suggest(wanted, names)}")


def find_document(store: Store, doc_id: str) -> DocumentInfo:
    """The document with kg:documentId ``doc_id`` and what its graph holds."""
    rows = store.select(DOCUMENT.format(doc_id=sparql_string(doc_id)))
    if not rows:
        ids = sorted(r["id"].value for r in store.select(DOCUMENT_IDS))
        raise KgError(f"no document with id {doc_id!r} in the store{_suggest(doc_id, ids)}")
    iri = rows[0]["d"].value
    graph = document_graph_iri(doc_id)
    names = " ".join(f"kg:{name}" for name in relation_families())
    content = store.select(DOCUMENT_CONTENT.format(graph=graph, names=names))
    entities = frozenset(
        entity_id(r["e"].value) for r in content if r["e"].value.startswith(ENTITY_BASE)
    )
    relations = frozenset(
        (entity_id(r["s"].value), r["p"].value.rsplit("#", 1)[-1], entity_id(r["o"].value))
        for r in store.select(DOCUMENT_RELATIONS.format(graph=graph, names=names))
    )
    title = rows[0]["title"].value if "title" in rows[0] else doc_id
    return DocumentInfo(doc_id, iri, title, entities, relations)


def sparql_string(text: str) -> str:
    """``text`` as a SPARQL string literal.

    >>> print(sparql_string('say "hi"'))
    "say \\"hi\\""
    """
    escaped = re.sub(r'[\\"]', lambda m: "\\" + m.group(0), text)
    return '"' + escaped.replace("\n", "\\n").replace("\r", "\\r") + '"'


def _suggest(wanted: str, names: list[str]) -> str:
    by_lower = {n.lower(): n for n in names}
    close = difflib.get_close_matches(wanted.lower(), list(by_lower), n=MAX_SUGGESTIONS, cutoff=0.6)
    return "; did you mean: " + ", ".join(by_lower[c] for c in close) + "?" if close else ""
