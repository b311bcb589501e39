"""Per-entity measures over a network, and writing them back into the store.

Which graph each measure uses, and why:

* degree: undirected; the number of distinct entities an entity is linked to (either role).
* PageRank: directed (subject -> object), weighted by evidence: an entity ranks high when
  well-ranked entities support, propose, join or oppose it. The co-mention network has no
  direction, so there PageRank runs on the undirected links.
* betweenness: undirected, a link's length being 1 / weight, so that shortest paths prefer
  well-evidenced links; normalised and exact, computed by igraph (see :func:`betweenness`).
* communities: Louvain on the undirected network weighted by evidence, with a fixed seed.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from kg.analyze.networks import undirected
from kg.graph import analytics_update
from kg.store import Store

SEED = 42


@dataclass(frozen=True)
class Centrality:
    """The centrality of one entity."""

    iri: str
    label: str
    type: str
    degree: int
    pagerank: float
    betweenness: float


@dataclass(frozen=True)
class Community:
    """One Louvain community: its number (1 = largest) and its members, most linked first."""

    number: int
    members: tuple[str, ...]
    labels: tuple[str, ...]


def centrality(network: nx.Graph) -> list[Centrality]:
    """Degree, PageRank and betweenness of every node, by PageRank (highest first)."""
    links = undirected(network)
    pagerank = nx.pagerank(network, weight="weight") if len(network) else {}
    between = betweenness(links)
    rows = [
        Centrality(iri, data["label"], data["type"], links.degree(iri), pagerank[iri], between[iri])
        for iri, data in network.nodes(data=True)
    ]
    # PageRank rounded, so that float noise does not break ties differently here and in the view
    return sorted(rows, key=lambda c: (-round(c.pagerank, 12), -c.degree, c.iri))


def betweenness(links: nx.Graph) -> dict[str, float]:
    """Exact normalised betweenness (as networkx computes it), a link's length being 1 / weight.

    Handed to igraph: on the UN General Debate co-mention network (4,758 nodes, 234,144
    links) networkx needs 0.2-0.5 s per source node, 16 minutes or more exact and minutes
    even sampled from a few hundred sources; igraph takes 11-15 s exact (bench/bench_analyze.py).
    """
    import igraph  # only this step needs it

    nodes = list(links)
    if len(nodes) < 3:
        return dict.fromkeys(nodes, 0.0)
    index = {iri: i for i, iri in enumerate(nodes)}
    edges = list(links.edges(data="weight"))
    graph = igraph.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b, _ in edges])
    raw = graph.betweenness(weights=[1 / weight for _, _, weight in edges], directed=False)
    scale = 2 / ((len(nodes) - 1) * (len(nodes) - 2))  # pairs, each counted once
    return {iri: value * scale for iri, value in zip(nodes, raw)}


def communities(network: nx.Graph) -> list[Community]:
    """Louvain communities of the undirected network; they partition its nodes."""
    links = undirected(network)
    found = nx.community.louvain_communities(links, weight="weight", seed=SEED)
    ordered = sorted(found, key=lambda members: (-len(members), min(members)))
    result = []
    for number, members in enumerate(ordered, start=1):
        ranked = sorted(members, key=lambda iri: (-links.degree(iri, weight="weight"), iri))
        result.append(Community(number, tuple(ranked), tuple(links.nodes[iri]["label"] for iri in ranked)))
    return result


def write_centrality(store: Store, rows: list[Centrality]) -> None:
    """Replace kg:degree, kg:pageRank and kg:betweenness in graph:analytics with ``rows``."""
    store.update(analytics_update({
        "degree": {c.iri: c.degree for c in rows},
        "pageRank": {c.iri: c.pagerank for c in rows},
        "betweenness": {c.iri: c.betweenness for c in rows},
    }))


def write_communities(store: Store, found: list[Community]) -> None:
    """Replace kg:community in graph:analytics with the numbers of ``found``."""
    store.update(analytics_update({"community": {iri: c.number for c in found for iri in c.members}}))
