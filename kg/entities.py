"""graph:entities: the entities found outside the knowledge base, described from what the
documents say of them.

Each document's graph states the name it gives each such entity (``kg:labelInDocument``) and
the other names it defines (``kg:aliasInDocument``, an acronym). An entity's description is
derived from all of them: its label is the name its mentions use most (ties: the accented, then
the mixed-case, then the first form), the other names are alternative labels, its class follows
from its IRI (``ent:person/…``). Rebuilding or removing a document therefore changes exactly the
descriptions of the entities it names, and an entity no document names any more disappears.
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


def _names_queries(entities: str) -> dict[str, str]:
    """Per kind of name, a query for each (entity, document graph, name, count) of the entities
    ``entities`` binds (a VALUES block; empty: every entity a document labels)."""
    doc_graph = f'FILTER(STRSTARTS(STR(?g), "{graph.GRAPH}doc/"))'
    labelled = "" if entities else f"?e <{_LABEL}> ?label ."  # the entities found in text
    return {
        "label": f"SELECT ?e ?g ?name (1 AS ?n) {{ {entities} GRAPH ?g {{ ?e <{_LABEL}> ?name }} {doc_graph} }}",
        "alias": f"SELECT ?e ?g ?name (1 AS ?n) {{ {entities} GRAPH ?g {{ ?e <{_ALIAS}> ?name }} {doc_graph} }}",
        "surface": f"""SELECT ?e ?g ?name (SUM(COALESCE(?k, 1)) AS ?n) {{ {entities}
            GRAPH ?g {{ {labelled} ?m <{_MENTION_OF}> ?e ; <{_SURFACE}> ?name OPTIONAL {{ ?m <{_OCCURRENCES}> ?k }} }}
            {doc_graph} }} GROUP BY ?e ?g ?name""",
    }


@dataclass
class _Names:
    """What the documents say of one entity."""

    labels: set[str] = field(default_factory=set)
    aliases: set[str] = field(default_factory=set)
    surfaces: Counter[str] = field(default_factory=Counter)

    def add(self, kind: str, name: str, count: int = 1) -> None:
        if kind == "label":
            self.labels.add(name)
        elif kind == "alias":
            self.aliases.add(name)
        else:
            self.surfaces[name] += count


def update_for(store: Store, change: Change) -> str:
    """SPARQL Update rewriting the descriptions of the entities whose names or mentions
    ``change`` alters. Read from ``store`` before the change is applied."""
    touched = _touched(change)
    if not touched:
        return ""
    replaced = {g.value for g in change.before}
    names = _read(store, touched, skip=replaced)
    for quads in change.after.values():
        _collect(names, quads, touched)
    return graph.entities_update(touched, (_describe(iri, found) for iri, found in names.items() if found.labels))


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
    """Describe every entity that a document names outside the knowledge base, afresh."""
    names = _read(store, None, skip=set())
    store.replace_graphs([graph.ENTITIES_GRAPH],
                         graph.entities_nquads(_describe(iri, found) for iri, found in names.items() if found.labels))


def _read(store: Store, iris: set[str] | None, skip: set[str]) -> dict[str, _Names]:
    """What the graphs of ``store`` other than ``skip`` say of the entities ``iris`` (all
    entities with a label in some document when None)."""
    values = "" if iris is None else "VALUES ?e { " + " ".join(f"<{iri}>" for iri in sorted(iris)) + " }"
    found: dict[str, _Names] = {}
    for kind, query in _names_queries(values).items():
        for row in store.query(query):
            if row["g"].value not in skip:
                found.setdefault(row["e"].value, _Names()).add(kind, row["name"].value, int(row["n"].value))
    return found


def _collect(names: dict[str, _Names], quads: Iterable[ox.Quad], iris: set[str]) -> None:
    """Add what ``quads`` (one document's graph) say of the entities ``iris``."""
    surface: dict[ox.NamedNode | ox.BlankNode, str] = {}
    occurrences: dict[ox.NamedNode | ox.BlankNode, int] = {}
    mentioned: dict[ox.NamedNode | ox.BlankNode, str] = {}
    for quad in quads:
        predicate, value = quad.predicate.value, quad.object.value
        if predicate in (_LABEL, _ALIAS) and quad.subject.value in iris:
            names.setdefault(quad.subject.value, _Names()).add("label" if predicate == _LABEL else "alias", value)
        elif predicate == _SURFACE:
            surface[quad.subject] = value
        elif predicate == _OCCURRENCES:
            occurrences[quad.subject] = int(value)
        elif predicate == _MENTION_OF and value in iris:
            mentioned[quad.subject] = value
    for mention, iri in mentioned.items():
        if mention in surface:
            names.setdefault(iri, _Names()).add("surface", surface[mention], occurrences.get(mention, 1))


def _describe(iri: str, names: _Names) -> Entity:
    ranked = sorted(names.labels, key=lambda name: (-names.surfaces[name], name.isupper(),
                                                    -sum(ord(c) > 127 for c in name), name))
    entity_id = unquote(iri.removeprefix(graph.ENT))
    aliases = (set(ranked[1:]) | names.aliases) - {ranked[0]}
    return Entity(id=entity_id, label=ranked[0], type=_TYPES[entity_id.split("/", 1)[0]],
                  aliases=tuple(sorted(aliases)), in_kb=False)
