"""Per-entity measures over a network, and writing them back into the store.

Which graph each measure uses, and why:

* degree: undirected; the number of distinct entities an entity is linked to (either role).
* PageRank: directed (subject -> object), weighted by evidence: an entity ranks high when
  well-ranked entities support, propose, join or oppose it. The co-mention network has no
  direction, so there PageRank runs on the undirected links.
* betweenness: undirected, a link's length being 1 / weight, so that shortest paths prefer
  well-evidenced links; normalised. Exact up to ``BETWEENNESS_EXACT`` nodes, else sampled
  from ``BETWEENNESS_SAMPLE`` sources with a fixed seed.
* communities: Louvain on the undirected network weighted by evidence, with a fixed seed.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from kg.analyze.networks import undirected
from kg.graph import analytics_update
from kg.store import Store

SEED = 42
BETWEENNESS_EXACT = 2_000  # nodes: above this, betweenness is sampled
BETWEENNESS_SAMPLE = 500  # source nodes of sampled betweenness


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
    return sorted(rows, key=lambda c: (-c.pagerank, -c.degree, c.iri))


def betweenness(links: nx.Graph) -> dict[str, float]:
    """Normalised betweenness with 1 / weight as length; sampled above ``BETWEENNESS_EXACT`` nodes."""
    sample = BETWEENNESS_SAMPLE if len(links) > BETWEENNESS_EXACT else None
    return nx.betweenness_centrality(links, k=sample, weight=_length, seed=SEED)


def _length(a: str, b: str, data: dict[str, int]) -> float:
    """A link's length for shortest paths: the more evidence, the shorter."""
    return 1 / data["weight"]


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
