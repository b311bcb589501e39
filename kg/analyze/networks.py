"""The two networks the analytics run on, both built over :func:`kg.export.entity_graph`.

* The relation network: entities as nodes, a directed link subject -> object for every fact
  stated in at least one sentence, weighted by the number of those sentences (summed over
  predicates). The knowledge base's curated facts (memberships, proposers) carry no sentence
  and are left out: they describe the knowledge base, not what the documents say.
* The co-mention network: entities as nodes, an undirected link between two entities named in
  the same document, weighted by the number of such documents.

Only entities with at least one link are nodes. Nodes keep ``label`` and ``type``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations
from typing import Literal

import networkx as nx

from kg.graph import SPARQL_PREFIXES
from kg.store import Store

NetworkName = Literal["relations", "comentions"]
NETWORKS: tuple[NetworkName, ...] = ("relations", "comentions")

DOCUMENT_ENTITIES = SPARQL_PREFIXES + "SELECT ?d ?e { ?d kg:mentions ?e }"


def relation_network(entities: nx.MultiDiGraph) -> nx.DiGraph:
    """The directed relation network of an :func:`~kg.export.entity_graph`."""
    network = nx.DiGraph()
    for subject, obj, data in entities.edges(data=True):
        if data["evidence"] > 0 and subject != obj:
            _add_weight(network, entities, subject, obj, data["evidence"])
    return network


def comention_network(store: Store, entities: nx.MultiDiGraph) -> nx.Graph:
    """The co-mention network of the entities of ``entities`` over the documents of ``store``."""
    named: defaultdict[str, list[str]] = defaultdict(list)
    for row in store.select(DOCUMENT_ENTITIES):
        if row["e"].value in entities:
            named[row["d"].value].append(row["e"].value)
    pairs = Counter(pair for iris in named.values() for pair in combinations(sorted(iris), 2))
    network = nx.Graph()
    for (a, b), documents in sorted(pairs.items()):
        _add_weight(network, entities, a, b, documents)
    return network


def undirected(network: nx.Graph) -> nx.Graph:
    """``network`` without direction: the weights of a -> b and b -> a are added."""
    if not network.is_directed():
        return network
    result = nx.Graph()
    result.add_nodes_from(network.nodes(data=True))
    for a, b, weight in network.edges(data="weight"):
        previous = result.edges[a, b]["weight"] if result.has_edge(a, b) else 0
        result.add_edge(a, b, weight=previous + weight)
    return result


def _add_weight(network: nx.Graph, entities: nx.MultiDiGraph, a: str, b: str, weight: int) -> None:
    for iri in (a, b):
        if iri not in network:
            network.add_node(iri, label=entities.nodes[iri]["label"], type=entities.nodes[iri]["type"])
    previous = network.edges[a, b]["weight"] if network.has_edge(a, b) else 0
    network.add_edge(a, b, weight=previous + weight)
