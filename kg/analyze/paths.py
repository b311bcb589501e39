"""Finding entities by name, and the shortest explained path between two of them.

"How is India linked to the Belt and Road Initiative?": the path with the fewest hops in the
relation network (among those, the one with the most evidence), each hop with the sentences
that state it. When the relation network does not join the two entities, the co-mention
network does, each hop with the documents that name both.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import networkx as nx
import pyoxigraph as ox

from kg.analyze.networks import NetworkName, comention_network, relation_network, undirected
from kg.errors import KgError, RunError, did_you_mean
from kg.export import entity_graph
from kg.graph import ENT, SPARQL_PREFIXES
from kg.model import ENTITY_TYPES
from kg.query import shorten
from kg.store import Store

MAX_EVIDENCE = 3  # sentences or documents shown per link

# Names an entity is found by, best first: its label, then codes, then other names.
_NAME_PROPERTIES = ("rdfs:label", "kg:isoAlpha3", "kg:isoAlpha2", "skos:prefLabel", "skos:altLabel")
NAMES = SPARQL_PREFIXES + f"""
SELECT DISTINCT ?e ?property ?name {{
  VALUES ?t {{ {" ".join(f"kg:{t}" for t in ENTITY_TYPES)} }}
  VALUES ?property {{ {" ".join(_NAME_PROPERTIES)} }}
  ?e a ?t ; ?property ?name .
}}"""
SENTENCES = SPARQL_PREFIXES + """
SELECT DISTINCT ?r ?s ?p ?o ?sentence ?start ?end ?doc ?title ?date {{
  VALUES (?s ?o) {{ ({a} {b}) ({b} {a}) }}
  ?r a kg:RelationAssertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
     kg:sentence ?sentence ; kg:start ?start ; kg:end ?end ; prov:wasDerivedFrom ?doc .
  FILTER EXISTS {{ ?s ?p ?o }}
  FILTER NOT EXISTS {{ ?r kg:negated true }} FILTER NOT EXISTS {{ ?r kg:hedged true }}
  ?doc dcterms:title ?title . OPTIONAL {{ ?doc dcterms:date ?date }}
}}"""
SHARED_DOCUMENTS = SPARQL_PREFIXES + """
SELECT DISTINCT ?doc ?title ?date {{
  ?doc kg:mentions {a}, {b} ; dcterms:title ?title . OPTIONAL {{ ?doc dcterms:date ?date }}
}}"""


@dataclass(frozen=True)
class Evidence:
    """A sentence of a document (relations), or a document that names both entities (co-mentions)."""

    document: str
    title: str
    date: str
    sentence: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Link:
    """One fact of a hop, or a co-mention, with its evidence (at most ``MAX_EVIDENCE``) and count."""

    subject: str
    predicate: str
    object: str
    evidence: tuple[Evidence, ...]
    total: int


@dataclass(frozen=True)
class Path:
    """The entities from source to target, the links of each hop, and the network used."""

    network: NetworkName
    entities: tuple[str, ...]
    labels: dict[str, str]
    hops: tuple[tuple[Link, ...], ...]


def resolve_entity(store: Store, name: str) -> str:
    """The IRI of the entity called ``name``: a label, alias, ISO code or IRI, in any case.

    An unknown name raises a KgError with the closest names (labels first, then other names;
    "&" and "and" alike).
    """
    wanted = name.strip().casefold()
    found: dict[str, tuple[int, str]] = {}
    names: list[tuple[int, str]] = []
    for row in store.select(NAMES):
        iri, prop = row["e"].value, shorten(row["property"].value)
        rank = _NAME_PROPERTIES.index(prop)
        names.append((rank, row["name"].value))
        keys = {row["name"].value.casefold(), iri.casefold(), ("ent:" + iri[len(ENT):]).casefold()}
        if wanted in keys and (wanted not in found or (rank, iri) < found[wanted]):
            found[wanted] = (rank, iri)
    if wanted in found:
        return found[wanted][1]
    hint = did_you_mean(name.strip(), [n for _, n in sorted(names)], n=3) or "; give a label, alias, ISO code or IRI"
    raise KgError(f"no entity called {name!r}{hint}")


def explain_path(store: Store, source: str, target: str, max_evidence: int = MAX_EVIDENCE) -> Path:
    """The shortest path between two entity IRIs, relations first, then co-mentions."""
    if source == target:
        raise KgError("give two different entities")
    entities = entity_graph(store)
    relations = undirected(relation_network(entities))
    route = _shortest(relations, source, target)
    network: NetworkName = "relations"
    if route is None:
        route = _shortest(comention_network(store, entities), source, target)
        network = "comentions"
    if route is None:
        names = " and ".join(entities.nodes[i]["label"] if i in entities else i for i in (source, target))
        raise RunError(f"no path between {names}: no chain of relations or of shared documents joins them")
    explain = _relation_links if network == "relations" else _comention_links
    hops = tuple(explain(store, a, b, max_evidence) for a, b in zip(route, route[1:]))
    return Path(network, tuple(route), {iri: entities.nodes[iri]["label"] for iri in route}, hops)


def _shortest(network: nx.Graph, source: str, target: str) -> list[str] | None:
    """Fewest hops; among those, the most evidence (a hop costs 1 + eps / weight, eps * hops < 1)."""
    if source not in network or target not in network:
        return None
    eps = 1 / (len(network) + 1)
    try:
        return nx.shortest_path(network, source, target, weight=lambda a, b, d: 1 + eps / d["weight"])
    except nx.NetworkXNoPath:
        return None


def _relation_links(store: Store, a: str, b: str, max_evidence: int) -> tuple[Link, ...]:
    """The facts between ``a`` and ``b`` (either direction), each with its sentences."""
    facts: defaultdict[tuple[str, str, str], list[Evidence]] = defaultdict(list)
    for row in store.select(SENTENCES.format(a=f"<{a}>", b=f"<{b}>")):
        fact = (row["s"].value, row["p"].value.rsplit("#", 1)[-1], row["o"].value)
        facts[fact].append(Evidence(
            row["doc"].value, row["title"].value, _value(row, "date"),
            row["sentence"].value, int(row["start"].value), int(row["end"].value),
        ))
    return tuple(Link(*fact, _latest(found, max_evidence), len(found)) for fact, found in sorted(facts.items()))


def _comention_links(store: Store, a: str, b: str, max_evidence: int) -> tuple[Link, ...]:
    """The documents that name both ``a`` and ``b``."""
    rows = store.select(SHARED_DOCUMENTS.format(a=f"<{a}>", b=f"<{b}>"))
    found = [Evidence(r["doc"].value, r["title"].value, _value(r, "date")) for r in rows]
    return (Link(a, "co-mentioned with", b, _latest(found, max_evidence), len(found)),)


def _latest(evidence: list[Evidence], limit: int) -> tuple[Evidence, ...]:
    """The ``limit`` most recent pieces of evidence, in a stable order."""
    return tuple(sorted(evidence, key=lambda e: (e.date, e.document, -(e.start or 0)), reverse=True)[:limit])


def _value(row: dict[str, ox.NamedNode | ox.Literal | ox.BlankNode], name: str) -> str:
    return row[name].value if name in row else ""
