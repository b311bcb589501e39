"""How central each entity is: the measure `kg analyze centrality` reports, so both agree.

That measure is PageRank over the relation network of :mod:`kg.analyze.networks`: a directed
link subject -> object for each fact stated in at least one sentence, weighted by the number
of those sentences; the knowledge base's curated facts are left out. When `kg analyze
centrality --write` has stored it in graph:analytics, the view reads it from there; otherwise
it computes it the same way, on the relations it has read. Ties (and the entities the network
leaves out, which have none) go by degree in that network, then by the documents naming them.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from kg.analyze.networks import relation_network, undirected
from kg.graph import ANALYTICS_GRAPH, ENT, SPARQL_PREFIXES
from kg.store import Store

ANALYTICS = SPARQL_PREFIXES + f"""
SELECT ?e ?p ?v WHERE {{ GRAPH <{ANALYTICS_GRAPH}> {{ VALUES ?p {{ kg:pageRank kg:degree }} ?e ?p ?v }} }}"""
MEASURE = "PageRank over the relations stated in documents, weighted by their sentences"


@dataclass(frozen=True)
class Ranking:
    """PageRank and degree of each entity in the relation network, and where they come from."""

    pagerank: dict[str, float]  # by entity id; entities outside the network have none
    degree: dict[str, int]
    source: str  # "graph:analytics" or "computed"

    def key(self, entity: str) -> tuple[float, int, str]:
        """Sort key, most central first: PageRank, degree, id, as kg analyze centrality ranks."""
        return (-round(self.pagerank.get(entity, 0.0), 12), -self.degree.get(entity, 0), entity)

    def describe(self) -> str:
        """What the sizes mean, for the page's legend."""
        where = ("read from graph:analytics, as kg analyze centrality --write stored it"
                 if self.source == "graph:analytics" else
                 "as kg analyze centrality computes it (with --write it is stored in graph:analytics and read from there)")
        return f"{MEASURE}, {where}"


def stored_ranking(store: Store) -> Ranking | None:
    """The PageRank and degree graph:analytics holds, or None when it holds no PageRank."""
    values: dict[str, dict[str, float]] = {"pageRank": {}, "degree": {}}
    for row in store.select(ANALYTICS):
        term = row["p"].value.rsplit("#", 1)[-1]
        values[term][row["e"].value.removeprefix(ENT)] = float(row["v"].value)
    if not values["pageRank"]:
        return None
    degree = {e: int(v) for e, v in values["degree"].items()}
    return Ranking(values["pageRank"], degree, "graph:analytics")


def computed_ranking(
    types: dict[str, tuple[str, str]], sentences: dict[tuple[str, str, str], int]
) -> Ranking:
    """PageRank as `kg analyze centrality` computes it.

    ``types`` maps each entity id to its (label, type); ``sentences`` each relation
    (subject, predicate, object) to the number of assertions that state it.
    """
    entities = nx.MultiDiGraph()
    for eid, (label, kind) in types.items():
        entities.add_node(eid, label=label, type=kind)
    for (s, p, o), count in sorted(sentences.items()):
        entities.add_edge(s, o, key=p, predicate=p, evidence=count)
    network = relation_network(entities)
    pagerank = nx.pagerank(network, weight="weight") if len(network) else {}
    links = undirected(network)
    return Ranking(dict(pagerank), {n: links.degree(n) for n in links}, "computed")
