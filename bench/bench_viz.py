"""Benchmark `kg viz`: page size, generation time and time to interactive in Chromium.

    .venv/bin/python bench/bench_viz.py [--sizes 500 2000 10000] [--spring-max 2000] [--out DIR]

Synthetic stores in the shape of docs/graph-model.md (entities of every class, relations
with evidence, documents with mentions; degrees and mentions skewed like real text) are
drawn with `write_graph_html`, at its default ``max_nodes`` and with every entity drawn.
The baseline, measured in the same run on the 500-entity graph, is pyvis's own way:
``add_node``/``add_edge`` one at a time, its template, physics on. Time to interactive is
from navigation start until vis-network has drawn the laid-out graph (for the baseline:
until its physics stabilization is done and the graph is drawn); "remote" counts the
requests the page tried to send off the machine (aborted); "docs" the document nodes the page
carries (the synthetic corpus has n/5 documents: more than a view draws, so the 60 most relevant
ride along on the page's toggle); a TTI of "inf" did not come within a minute. "layout s" is the part of the
generation spent in kg.viz.layout; the layout baseline (sizes up to --spring-max, as it
grows to minutes) is networkx's spring_layout of every drawn relation, the layout kg viz
used before. Needs Playwright and /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.model import ENTITY_TYPES  # noqa: E402
from kg.store import Store  # noqa: E402
import kg.viz.draw as kg_draw  # noqa: E402
from kg.viz import write_graph_html  # noqa: E402
from kg.viz.read import read_graph, relation_families  # noqa: E402
from tests.browser import open_page  # noqa: E402

KG = "https://w3id.org/irkg/ontology#"
ENT = "https://w3id.org/irkg/id/"
DOC = "https://w3id.org/irkg/doc/"
GRAPH = "https://w3id.org/irkg/graph/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
TITLE = ox.NamedNode("http://purl.org/dc/terms/title")
DATE = ox.NamedNode("http://purl.org/dc/terms/date")
YEAR = ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear")
DECIMAL = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
DERIVED = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
TYPE_WEIGHTS = (40, 10, 8, 6, 8, 12, 8, 4, 4)  # per ENTITY_TYPES
DRAWN_AT = "window.kgDrawnAt !== undefined"
DATA_BLOCK = r'<script type="application/json" id="kg-data">(.*?)</script>'


def kg(name: str) -> ox.NamedNode:
    return ox.NamedNode(KG + name)


def synthetic_store(n: int, seed: int = 1) -> Store:
    """``n`` entities, about 2n relations with evidence, n/5 documents of 12 mentions."""
    rng = random.Random(seed)
    kb = ox.NamedNode(GRAPH + "kb")
    types = rng.choices(ENTITY_TYPES, TYPE_WEIGHTS, k=n)
    ents = [ox.NamedNode(f"{ENT}{t.lower()}/e{i}") for i, t in enumerate(types)]
    quads = []
    for i, (node, t) in enumerate(zip(ents, types, strict=True)):
        quads += [ox.Quad(node, RDF_TYPE, kg(t), kb),
                  ox.Quad(node, LABEL, ox.Literal(f"{t} {i}"), kb)]
        if t == "Country":
            quads.append(ox.Quad(node, kg("isoAlpha3"), ox.Literal(f"C{i:02d}"[-3:]), kb))
    popular = [1.0 / (i + 1) ** 0.8 for i in range(n)]  # Zipf-like: low indices are hubs
    predicates = list(relation_families())
    for d in range(max(1, n // 5)):
        doc = ox.NamedNode(f"{DOC}d{d}")
        g = ox.NamedNode(f"{GRAPH}doc/d{d}")
        quads += [ox.Quad(doc, RDF_TYPE, kg("Article"), g),
                  ox.Quad(doc, TITLE, ox.Literal(f"Document {d}"), g),
                  ox.Quad(doc, DATE, ox.Literal(str(2000 + d % 24), datatype=YEAR), g)]
        mentioned = {rng.choices(range(n), popular)[0] for _ in range(12)}
        quads += [ox.Quad(doc, kg("mentions"), ents[i], g) for i in sorted(mentioned)]
        for r in range(10):
            s, o = rng.choices(range(n), popular)[0], rng.randrange(n)
            if s == o:
                continue
            p = kg(rng.choice(predicates))
            a = ox.NamedNode(f"{DOC}d{d}/r/{r}")
            quads += [
                ox.Quad(ents[s], p, ents[o], g),
                ox.Quad(a, RDF_TYPE, kg("RelationAssertion"), g),
                ox.Quad(a, ox.NamedNode(RDF + "subject"), ents[s], g),
                ox.Quad(a, ox.NamedNode(RDF + "predicate"), p, g),
                ox.Quad(a, ox.NamedNode(RDF + "object"), ents[o], g),
                ox.Quad(a, kg("sentence"), ox.Literal(f"Sentence {r} of document {d}."), g),
                ox.Quad(a, kg("confidence"), ox.Literal(
                    f"0.{rng.randrange(50, 96)}", datatype=DECIMAL), g),
                ox.Quad(a, DERIVED, doc, g),
            ]
    store = Store()
    store.add(quads)
    return store


def time_to_interactive(path: Path) -> tuple[float, int]:
    """Milliseconds from navigation start until drawn (inf if not within a minute), and
    requests that would leave."""
    from playwright.sync_api import TimeoutError as PageTimeout

    try:
        with open_page(path.as_uri(), width=1400, height=900, wait_for=DRAWN_AT) as (page, log):
            return float(page.evaluate("window.kgDrawnAt")), len(log.foreign_requests())
    except PageTimeout:
        return math.inf, 0


def documents_in(path: Path) -> int:
    """Document nodes the page carries (drawn or on its toggle)."""
    block = re.search(DATA_BLOCK, path.read_text(encoding="utf-8"), re.S)
    if block is None:  # pyvis's own page
        return 0
    return sum(n.get("kind") == "document" for n in json.loads(block.group(1))["nodes"])


def pyvis_baseline(store: Store, path: Path) -> tuple[float, Path]:
    """pyvis's default way: one add_node/add_edge per item, physics on, its template."""
    from pyvis.network import Network

    start = time.perf_counter()
    data = read_graph(store)
    net = Network(directed=True, cdn_resources="in_line")
    for e in data.entities.values():
        net.add_node(e.id, label=e.label, title=f"{e.label} ({e.type})", value=e.documents)
    for r in data.relations:
        net.add_edge(r.subject, r.object, title=r.predicate)
    html = net.generate_html()
    seconds = time.perf_counter() - start
    # Mark when physics has stabilized and the result is drawn (bench only).
    hook = ("network.once('stabilizationIterationsDone', function () {"
            " network.once('afterDrawing', function () {"
            " window.kgDrawnAt = performance.now(); }); });\n return network;")
    path.write_text(html.replace("return network;", hook, 1), encoding="utf-8")
    return seconds, path


def spring_baseline(path: Path) -> float:
    """Seconds networkx's spring_layout takes for the graph the page at ``path`` draws."""
    import networkx as nx

    data = json.loads(re.search(DATA_BLOCK, path.read_text(encoding="utf-8"), re.S).group(1))
    graph = nx.Graph()
    graph.add_edges_from(sorted((min(e["from"], e["to"]), max(e["from"], e["to"]))
                                for e in data["edges"]))
    start = time.perf_counter()
    nx.spring_layout(graph, seed=7, k=2.0 / math.sqrt(max(len(graph), 1)), method="force")
    return time.perf_counter() - start


class LayoutClock:
    """Adds up the seconds spent in kg.viz.layout.layout while installed."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._layout = kg_draw.layout

    def __enter__(self) -> LayoutClock:
        def timed(*args, **kwargs):  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            try:
                return self._layout(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start
        kg_draw.layout = timed
        return self

    def __exit__(self, *exc: object) -> None:
        kg_draw.layout = self._layout


def row(name: str, entities: int, drawn: int, path: Path, gen: float, lay: float | None) -> str:
    tti, foreign = time_to_interactive(path)
    lay_text = f"{lay:>10.2f}" if lay is not None else f"{'-':>10}"
    return (f"{name:<26}{entities:>9,}{drawn:>7,}{documents_in(path):>6,}{path.stat().st_size / 1e6:>9.2f}"
            f"{gen:>10.2f}{lay_text}{tti / 1000:>9.2f}{foreign:>9}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 10000])
    parser.add_argument("--spring-max", type=int, default=2000,
                        help="largest size for which to time the spring_layout baseline")
    parser.add_argument("--out", type=Path, default=Path(tempfile.mkdtemp(prefix="bench-viz-")))
    args = parser.parse_args()
    print(f"pages in {args.out}")
    print(f"{'run':<26}{'entities':>9}{'drawn':>7}{'docs':>6}{'MB':>9}{'gen s':>10}{'layout s':>10}"
          f"{'TTI s':>9}{'remote':>9}")
    for n in args.sizes:
        store = synthetic_store(n)
        for label, max_nodes in (("kg viz (max_nodes=300)", 300), ("kg viz (all drawn)", n)):
            if max_nodes == n and n <= 300:
                continue
            path = args.out / f"kg-{n}-{max_nodes}.html"
            start = time.perf_counter()
            with LayoutClock() as clock:
                report = write_graph_html(store, path, max_nodes=max_nodes)
            gen = time.perf_counter() - start
            print(row(label, n, report.nodes, path, gen, clock.seconds), flush=True)
        if n <= args.spring_max:
            print(f"{'  spring_layout (baseline)':<26}{n:>9,}{n:>7,}{'':>6}{'':>9}{'':>10}"
                  f"{spring_baseline(path):>10.2f}", flush=True)
        if n == min(args.sizes):
            gen, path = pyvis_baseline(store, args.out / f"pyvis-{n}.html")
            print(row("pyvis default (baseline)", n, n, path, gen, None), flush=True)


if __name__ == "__main__":
    main()
