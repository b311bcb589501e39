"""Benchmark: `kg analyze` measures with networkx on the whole UN General Debate corpus.

    python bench/bench_analyze.py [CORPUS_DIR] [--store /tmp/anacorpus/store]

Builds the corpus into the store (or reuses it when it exists), then prints the size of the
relation and co-mention networks and the wall time of each step on each, against a baseline
measured in the same run: reading the entity graph out of the store (the step every command
starts with). Betweenness is timed exact and sampled (the library samples above
BETWEENNESS_EXACT nodes). Tell whether a step needs a faster library (igraph) from these.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import networkx as nx

from kg.analyze import measures
from kg.analyze.networks import comention_network, relation_network, undirected
from kg.analyze.paths import explain_path, resolve_entity
from kg.analyze.trends import trend
from kg.export import entity_graph
from kg.store import Store

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "ungd"
NX_EXACT_BETWEENNESS = 2_000  # nodes: above this networkx's betweenness is timed on a sample
NX_SAMPLE = 20  # source nodes of that sample, to extrapolate from


def timed(name: str, step: Callable[[], object], baseline: float | None = None) -> object:
    started = time.perf_counter()
    result = step()
    seconds = time.perf_counter() - started
    ratio = f"  ({seconds / baseline:5.2f} x baseline)" if baseline else ""
    print(f"  {name:<44} {seconds:8.3f} s{ratio}", flush=True)
    return result


def bench_network(name: str, network: nx.Graph, baseline: float) -> None:
    links = undirected(network)
    print(f"{name}: {len(network)} nodes, {network.number_of_edges()} edges "
          f"({links.number_of_edges()} undirected), {nx.number_connected_components(links)} components")
    timed("degree (networkx)", lambda: dict(links.degree()), baseline)
    timed("PageRank (networkx)", lambda: nx.pagerank(network, weight="weight"), baseline)
    sources = len(links) if len(links) <= NX_EXACT_BETWEENNESS else NX_SAMPLE
    label = "exact" if sources == len(links) else f"sampled, k={sources}"
    sample = None if sources == len(links) else sources
    started = time.perf_counter()
    timed(f"betweenness (networkx, {label})", lambda: nx.betweenness_centrality(
        links, k=sample, weight=lambda a, b, d: 1 / d["weight"], seed=measures.SEED), baseline)
    if sources < len(links):
        per_source = (time.perf_counter() - started) / sources
        print(f"  {'betweenness (networkx, exact), extrapolated':<44} {per_source * len(links):8.0f} s")
    timed("betweenness (igraph, exact; what kg uses)", lambda: measures.betweenness(links), baseline)
    timed(f"Louvain (networkx, seed {measures.SEED})",
          lambda: nx.community.louvain_communities(links, weight="weight", seed=measures.SEED), baseline)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--store", type=Path, default=Path("/tmp/anacorpus/store"))
    args = parser.parse_args()
    if not args.store.exists():
        print(f"building {args.corpus} into {args.store} …", flush=True)
        kg = Path(sys.executable).with_name("kg")
        subprocess.run([str(kg), "build", str(args.corpus), "--store", str(args.store), "--no-exports"], check=True,
                       stdout=subprocess.DEVNULL)
    store = Store(args.store)
    print(f"store {args.store}: {store.count_quads()} quads")
    started = time.perf_counter()
    entities = entity_graph(store)
    baseline = time.perf_counter() - started
    print(f"baseline: entity_graph(store) {baseline:.3f} s: {len(entities)} entities, {entities.number_of_edges()} facts")
    relations = timed("relation network", lambda: relation_network(entities), baseline)
    comentions = timed("co-mention network (SPARQL + pairs)", lambda: comention_network(store, entities), baseline)
    bench_network("relation network", relations, baseline)
    bench_network("co-mention network", comentions, baseline)
    print("commands' steps:")
    rows = timed("centrality() of the relation network", lambda: measures.centrality(relations), baseline)
    timed("write centrality to graph:analytics", lambda: measures.write_centrality(store, rows), baseline)
    india, bri = resolve_entity(store, "India"), resolve_entity(store, "Belt and Road Initiative")
    timed("resolve an entity by name", lambda: resolve_entity(store, "Global Development Initiative"), baseline)
    timed("path India -> Belt and Road Initiative", lambda: explain_path(store, india, bri), baseline)
    gdi = resolve_entity(store, "GDI")
    timed("trend of the Global Development Initiative", lambda: trend(store, gdi, "GDI"), baseline)


if __name__ == "__main__":
    main()
