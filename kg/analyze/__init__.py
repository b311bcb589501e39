"""Network analytics over the store, with networkx: ``kg analyze`` is a thin layer on this.

    store --entity_graph--> relation / co-mention network --> centrality, communities, paths
    store --SPARQL--> yearly trends --> PNG chart

Measures can be written back into the store's graph:analytics (kg:degree, kg:pageRank,
kg:betweenness, kg:community) so that SPARQL can sort by them. See :mod:`kg.analyze.measures`
for which network each measure uses.
"""

from __future__ import annotations

import networkx as nx

from kg.analyze.measures import (
    Centrality,
    Community,
    centrality,
    communities,
    write_centrality,
    write_communities,
)
from kg.analyze.networks import (
    NETWORKS,
    NetworkName,
    comention_network,
    relation_network,
)
from kg.analyze.paths import Evidence, Link, Path, explain_path, resolve_entity
from kg.analyze.report import (
    FORMATS,
    format_centrality,
    format_comentions,
    format_communities,
    format_path,
    format_trend,
)
from kg.analyze.trends import Trend, Year, draw_trend, trend
from kg.export import entity_graph
from kg.store import Store


def network(store: Store, name: NetworkName = "relations") -> nx.Graph:
    """The relation network (directed) or the co-mention network of the store's entities."""
    entities = entity_graph(store)
    return relation_network(entities) if name == "relations" else comention_network(store, entities)


def entity_trend(store: Store, name: str) -> Trend:
    """The yearly trend of the entity called ``name`` (label, alias, ISO code or IRI)."""
    iri = resolve_entity(store, name)
    labels = store.select(f"SELECT ?l {{ <{iri}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }} LIMIT 1")
    return trend(store, iri, labels[0]["l"].value if labels else name)


__all__ = [
    "FORMATS", "NETWORKS", "Centrality", "Community", "Evidence", "Link", "NetworkName", "Path", "Trend", "Year",
    "centrality", "comention_network", "communities", "draw_trend", "entity_trend", "explain_path",
    "format_centrality", "format_comentions", "format_communities", "format_path", "format_trend", "network",
    "relation_network", "resolve_entity", "trend", "write_centrality", "write_communities",
]
