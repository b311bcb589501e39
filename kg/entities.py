"""graph:entities: the entities found outside the knowledge base, described from what the
documents say of them.

Each document's graph states the name it gives each such entity (``kg:labelInDocument``) and
the other names it defines (``kg:aliasInDocument``, an acronym). An entity's description is
derived from all of them: its label is the name its mentions use most (ties: the accented, then
the mixed-case, then the first form), the other names are alternative labels, its class follows
from its IRI (``ent:person/…``). Rebuilding or removing a document therefore changes exactly the
descriptions of the entities it names, and an entity no document names any more disappears.

graph:names keeps the counts the descriptions come from (documents per label and alias, mentions
per form of words), so a change adds what the new graphs say and takes away what the old ones
said: describing an entity named in a million documents reads its few names, not the documents.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import unquote

import pyoxigraph as ox

from kg import graph
from kg.model import SEGMENTS, Entity
from kg.store import Change, Store
from kg.vocab import KG

_LABEL, _ALIAS = str(KG._NS) + "labelInDocument", str(KG._NS) + "aliasInDocument"
_MENTION_OF, _SURFACE = str(KG._NS) + "mentionOf", str(KG._NS) + "surfaceForm"
_OCCURRENCES = str(KG._NS) + "occurrences"  # a compact mention stands for this many
_TYPES = {segment: type_ for type_, segment in SEGMENTS.items()}


_DOC_GRAPH = f'FILTER(STRSTARTS(STR(?g), "{graph.GRAPH}doc/"))'
# Per kind of name, each entity found in text, a name and its count over all documents: the
# server aggregates, so only the counts leave it.
_NAMES_QUERIES = {
    "label": f"SELECT ?e ?name (COUNT(*) AS ?n) {{ GRAPH ?g {{ ?e <{_LABEL}> ?name }} {_DOC_GRAPH} }} GROUP BY ?e ?name",
    "alias": f"SELECT ?e ?name (COUNT(*) AS ?n) {{ GRAPH ?g {{ ?e <{_ALIAS}> ?name }} {_DOC_GRAPH} }} GROUP BY ?e ?name",
    "surface": f"""SELECT ?e ?name (SUM(COALESCE(?k, 1)) AS ?n) {{
        GRAPH ?g {{ ?m <{_MENTION_OF}> ?e ; <{_SURFACE}> ?name OPTIONAL {{ ?m <{_OCCURRENCES}> ?k }}
                   FILTER EXISTS {{ ?e <{_LABEL}> ?label }} }}
        {_DOC_GRAPH} }} GROUP BY ?e ?name""",
}


@dataclass
class _Names:
    """What the documents say of one entity: per name, the documents that give it as the
    entity's label or as an alias, and the mentions that use it."""

    counts: dict[str, Counter[str]] = field(default_factory=lambda: {kind: Counter() for kind in _KINDS})

    def add(self, kind: str, name: str, count: int = 1) -> None:
        self.counts[kind][name] += count

    @property
    def labels(self) -> list[str]:
        return [name for name, n in self.counts["label"].items() if n > 0]

    def rows(self, iri: str) -> list[tuple[str, str, str, int]]:
        return [(iri, kind, name, n) for kind, names in self.counts.items() for name, n in names.items() if n > 0]


_KINDS = ("label", "alias", "surface")


def update_for(store: Store, change: Change) -> str:
    """SPARQL Update rewriting the descriptions and name counts of the entities whose names or
    mentions ``change`` alters. Read from ``store`` before the change is applied."""
    touched = _touched(change)
    if not touched:
        return ""
    names: dict[str, _Names] = {}
    for row in store.select(graph.name_counts_query(touched)):
        names.setdefault(row["e"].value, _Names()).add(row["kind"].value, row["name"].value, int(row["n"].value))
    for graph_name, before in change.before.items():
        _collect(names, before, touched, sign=-1)
        _collect(names, change.after[graph_name], touched)
    described = {iri: found for iri, found in names.items() if found.labels}
    return (graph.name_counts_update(touched, (row for iri, found in described.items() for row in found.rows(iri)))
            + " ;\n" + graph.entities_update(touched, (_describe(iri, found) for iri, found in described.items())))


def ensure_counts(store: Store) -> None:
    """Count every entity's names afresh where documents name entities and graph:names is
    missing (a store built before the counts were kept), so updates can add to them."""
    if not store.query(f"ASK {{ GRAPH <{graph.NAMES_GRAPH}> {{ ?u <{KG._NS}countOf> ?e }} }}") and \
            store.query(f"ASK {{ GRAPH ?g {{ ?e <{_LABEL}> ?name }} }}"):
        rewrite_all(store)


def _touched(change: Change) -> set[str]:
    """The entities found in text that a replaced graph names, or mentions under a surface form,
    differently after ``change`` than before it."""
    touched: set[str] = set()
    named: set[str] = set()
    for graph_name, before in change.before.items():
        after = change.after[graph_name]
        mention_of = {q.subject: q.object.value for q in before | after if q.predicate.value == _MENTION_OF}
        named.update(q.subject.value for q in before | after if q.predicate.value == _LABEL)
        for quad in before ^ after:
            predicate = quad.predicate.value
            if predicate in (_LABEL, _ALIAS):
                touched.add(quad.subject.value)
            elif predicate == _MENTION_OF:
                touched.add(quad.object.value)
            elif predicate in (_SURFACE, _OCCURRENCES) and quad.subject in mention_of:
                touched.add(mention_of[quad.subject])
    return touched & named  # every document that mentions such an entity names it


def rewrite_all(store: Store) -> None:
    """Count every entity's names and describe every entity that a document names outside the
    knowledge base, afresh, from the documents."""
    names: dict[str, _Names] = {}
    for kind, query in _NAMES_QUERIES.items():
        for row in store.query(query):
            names.setdefault(row["e"].value, _Names()).add(kind, row["name"].value, int(row["n"].value))
    described = {iri: found for iri, found in names.items() if found.labels}
    data = (graph.entities_nquads(_describe(iri, found) for iri, found in described.items())
            + graph.name_counts_nquads(row for iri, found in described.items() for row in found.rows(iri)))
    store.replace_graphs([graph.ENTITIES_GRAPH, graph.NAMES_GRAPH], data)


def _collect(names: dict[str, _Names], quads: Iterable[ox.Quad], iris: set[str], sign: int = 1) -> None:
    """Add (``sign`` -1: take away) what ``quads`` (one document's graph) say of the entities
    ``iris``."""
    surface: dict[ox.NamedNode | ox.BlankNode, str] = {}
    occurrences: dict[ox.NamedNode | ox.BlankNode, int] = {}
    mentioned: dict[ox.NamedNode | ox.BlankNode, str] = {}
    for quad in quads:
        predicate, value = quad.predicate.value, quad.object.value
        if predicate in (_LABEL, _ALIAS) and quad.subject.value in iris:
            names.setdefault(quad.subject.value, _Names()).add("label" if predicate == _LABEL else "alias", value, sign)
        elif predicate == _SURFACE:
            surface[quad.subject] = value
        elif predicate == _OCCURRENCES:
            occurrences[quad.subject] = int(value)
        elif predicate == _MENTION_OF and value in iris:
            mentioned[quad.subject] = value
    for mention, iri in mentioned.items():
        if mention in surface:
            names.setdefault(iri, _Names()).add("surface", surface[mention], sign * occurrences.get(mention, 1))


def _describe(iri: str, names: _Names) -> Entity:
    surfaces = names.counts["surface"]
    ranked = sorted(names.labels, key=lambda name: (-surfaces[name], name.isupper(),
                                                    -sum(ord(c) > 127 for c in name), name))
    entity_id = unquote(iri.removeprefix(graph.ENT))
    aliases = (set(ranked[1:]) | {name for name, n in names.counts["alias"].items() if n > 0}) - {ranked[0]}
    return Entity(id=entity_id, label=ranked[0], type=_TYPES[entity_id.split("/", 1)[0]],
                  aliases=tuple(sorted(aliases)), in_kb=False)
