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
_TYPES = {segment: type_ for type_, segment in SEGMENTS.items()}


def _names_query(entities: str) -> str:
    """Per entity of ``entities`` (a VALUES or a sub-query binding ?e) and per document graph:
    its label, its aliases, and its mentions counted by surface form."""
    return f"""SELECT ?e ?g ?kind ?name (COUNT(*) AS ?n) WHERE {{
  {entities}
  {{ GRAPH ?g {{ ?e <{_LABEL}> ?name }} BIND("label" AS ?kind) }}
  UNION {{ GRAPH ?g {{ ?e <{_ALIAS}> ?name }} BIND("alias" AS ?kind) }}
  UNION {{ GRAPH ?g {{ ?m <{_MENTION_OF}> ?e ; <{_SURFACE}> ?name }} BIND("surface" AS ?kind) }}
  FILTER(STRSTARTS(STR(?g), "{graph.GRAPH}doc/"))
}} GROUP BY ?e ?g ?kind ?name"""


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
    """SPARQL Update rewriting the descriptions of the entities the documents of ``change`` name,
    before or after it. Read from ``store`` before the change is applied."""
    touched = {q.subject.value for quads in (*change.before.values(), *change.after.values())
               for q in quads if q.predicate.value in (_LABEL, _ALIAS)}
    if not touched:
        return ""
    replaced = {g.value for g in change.before}
    names = _read(store, touched, skip=replaced)
    for quads in change.after.values():
        _collect(names, quads, touched)
    return graph.entities_update(touched, (_describe(iri, found) for iri, found in names.items() if found.labels))


def rewrite_all(store: Store) -> None:
    """Describe every entity that a document names outside the knowledge base, afresh."""
    names = _read(store, None, skip=set())
    store.update(graph.entities_update(None, (_describe(iri, found) for iri, found in names.items() if found.labels)))


def _read(store: Store, iris: set[str] | None, skip: set[str]) -> dict[str, _Names]:
    """What the graphs of ``store`` other than ``skip`` say of the entities ``iris`` (all
    entities with a label in some document when None)."""
    if iris is None:
        query = _names_query(f"{{ SELECT DISTINCT ?e {{ GRAPH ?any {{ ?e <{_LABEL}> ?label }} }} }}")
    else:
        query = _names_query("VALUES ?e { " + " ".join(f"<{iri}>" for iri in sorted(iris)) + " }")
    found: dict[str, _Names] = {}
    for row in store.query(query):
        if row["g"].value not in skip:
            found.setdefault(row["e"].value, _Names()).add(row["kind"].value, row["name"].value, int(row["n"].value))
    return found


def _collect(names: dict[str, _Names], quads: Iterable[ox.Quad], iris: set[str]) -> None:
    """Add what ``quads`` (one document's graph) say of the entities ``iris``."""
    surface: dict[ox.NamedNode | ox.BlankNode, str] = {}
    mentioned: dict[ox.NamedNode | ox.BlankNode, str] = {}
    for quad in quads:
        predicate, value = quad.predicate.value, quad.object.value
        if predicate in (_LABEL, _ALIAS) and quad.subject.value in iris:
            names.setdefault(quad.subject.value, _Names()).add("label" if predicate == _LABEL else "alias", value)
        elif predicate == _SURFACE:
            surface[quad.subject] = value
        elif predicate == _MENTION_OF and value in iris:
            mentioned[quad.subject] = value
    for mention, iri in mentioned.items():
        if mention in surface:
            names.setdefault(iri, _Names()).add("surface", surface[mention])


def _describe(iri: str, names: _Names) -> Entity:
    ranked = sorted(names.labels, key=lambda name: (-names.surfaces[name], name.isupper(),
                                                    -sum(ord(c) > 127 for c in name), name))
    entity_id = unquote(iri.removeprefix(graph.ENT))
    aliases = (set(ranked[1:]) | names.aliases) - {ranked[0]}
    return Entity(id=entity_id, label=ranked[0], type=_TYPES[entity_id.split("/", 1)[0]],
                  aliases=tuple(sorted(aliases)), in_kb=False)
