"""The graph out of the store, as a file: RDF for RDF tools, GraphML and GEXF for Gephi.

RDF formats come straight from the store: TriG, N-Quads and JSON-LD keep the named graphs;
Turtle is the union of all graphs as one graph. GraphML and GEXF hold the entity graph (see
:func:`entity_graph`). Every file is written atomically: a temp file, then a rename.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from kg.graph import PREFIXES, SPARQL_PREFIXES
from kg.model import ENTITY_TYPES
from kg.store import Store

RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
}
NETWORK_FORMATS = {"graphml": nx.write_graphml, "gexf": nx.write_gexf}
FORMATS = (*RDF_FORMATS, *NETWORK_FORMATS)
EXTENSIONS = {"turtle": "ttl", "trig": "trig", "nquads": "nq", "jsonld": "jsonld", "graphml": "graphml", "gexf": "gexf"}

_TYPES = " ".join(f"kg:{name}" for name in ENTITY_TYPES)
ENTITIES = SPARQL_PREFIXES + f"""
SELECT ?e (MIN(?t) AS ?type) (MIN(?l) AS ?label) (MIN(?i) AS ?iso3) {{
  VALUES ?t {{ {_TYPES} }}
  ?e a ?t .
  OPTIONAL {{ ?e rdfs:label ?l }}
  OPTIONAL {{ ?e kg:isoAlpha3 ?i }}
}} GROUP BY ?e"""
MENTIONS = SPARQL_PREFIXES + """
SELECT ?e (SUM(COALESCE(?occurrences, 1)) AS ?mentions) (COUNT(DISTINCT ?d) AS ?documents) {
  ?m kg:mentionOf ?e ; kg:inDocument ?d . OPTIONAL { ?m kg:occurrences ?occurrences }
} GROUP BY ?e"""
# Each fact (subject, predicate, object), its family, and the sentences that state it.
RELATIONS = SPARQL_PREFIXES + """
SELECT ?s ?p ?o ?family (COUNT(DISTINCT ?a) AS ?evidence) (MAX(?c) AS ?confidence) {
  { SELECT DISTINCT ?s ?p ?o ?family {
      ?family rdfs:subPropertyOf kg:relatedTo . ?p rdfs:subPropertyOf+ ?family . ?s ?p ?o } }
  OPTIONAL { ?a a kg:RelationAssertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o . OPTIONAL { ?a kg:confidence ?c } }
} GROUP BY ?s ?p ?o ?family"""


def export(store: Store, fmt: str, path: str | Path) -> Path:
    """Write the graph in ``store`` to ``path`` in ``fmt`` (one of :data:`FORMATS`)."""
    path = Path(path)
    if fmt == "turtle":
        union = store.triples()  # whole, from a server that cuts long answers too
        _atomic(path, lambda tmp: ox.serialize(union, output=str(tmp), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES))
    elif fmt in RDF_FORMATS:
        store.dump(path, RDF_FORMATS[fmt])
    else:
        graph = entity_graph(store)
        _atomic(path, lambda tmp: NETWORK_FORMATS[fmt](graph, str(tmp)))
    return path


def entity_graph(store: Store) -> nx.MultiDiGraph:
    """The entities and the relations between them, one edge per fact.

    Nodes are entity IRIs with ``label``, ``type`` (ontology class), ``iso3`` (countries),
    ``mentions`` and ``documents`` (how often and in how many documents the text names
    them). Edges go from subject to object, keyed by predicate, with ``predicate``,
    ``family`` (cooperation, conflict or structural), ``evidence`` (sentences stating the
    fact; 0 for the knowledge base's curated facts) and ``confidence`` (the best sentence's;
    1.0 for curated facts).
    """
    counts = {row["e"].value: row for row in store.select(MENTIONS)}
    graph = nx.MultiDiGraph()
    for row in sorted(store.select(ENTITIES), key=lambda r: r["e"].value):
        iri = row["e"].value
        found = counts.get(iri, {})
        graph.add_node(
            iri,
            label=row["label"].value if "label" in row else iri.rsplit("/", 1)[-1],
            type=_local(row["type"].value),
            mentions=int(found["mentions"].value) if found else 0,
            documents=int(found["documents"].value) if found else 0,
            **({"iso3": row["iso3"].value} if "iso3" in row else {}),
        )
    for row in sorted(store.select(RELATIONS), key=lambda r: (r["s"].value, r["p"].value, r["o"].value)):
        s, o, predicate = row["s"].value, row["o"].value, _local(row["p"].value)
        if s in graph and o in graph:
            confidence = float(row["confidence"].value) if "confidence" in row else 1.0
            evidence = int(row["evidence"].value)
            graph.add_edge(s, o, key=predicate, predicate=predicate, family=_local(row["family"].value),
                           evidence=evidence, confidence=confidence)
    return graph


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1]


def _atomic(path: Path, write: Callable[[Path], object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    try:
        write(tmp)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
