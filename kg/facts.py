"""graph:facts, the store-wide summary of each relation, rewritten at the end of every build.

A relation between two entities is stated as a plain triple in the graph of every document that
states it, and in graph:kb when the knowledge base records it. Listing relations by how many
documents state them, with an example sentence, would otherwise mean joining every assertion of
the store at query time; one kg:Fact per relation makes such listings read a few hundred nodes.
"""

from __future__ import annotations

from kg import graph
from kg.model import Fact
from kg.store import Store

# Each relation in a document's graph or in graph:kb: in how many documents, and whether curated.
_COUNTS = graph.SPARQL_PREFIXES + f"""
SELECT ?s ?p ?o (SUM(?inDocument) AS ?documents) (MAX(?inKb) AS ?curated) WHERE {{
  ?p rdfs:subPropertyOf* kg:relatedTo .
  GRAPH ?g {{ ?s ?p ?o }}
  FILTER(?g = graph:kb || STRSTARTS(STR(?g), "{graph.GRAPH}doc/"))
  BIND(?g = graph:kb AS ?inKb)
  BIND(IF(?inKb, 0, 1) AS ?inDocument)
}} GROUP BY ?s ?p ?o"""
# Assertions that state their relation (not negated, not hedged), with their confidence.
_EVIDENCE = graph.SPARQL_PREFIXES + """
SELECT ?a ?s ?p ?o ?confidence WHERE {
  ?a a kg:RelationAssertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  OPTIONAL { ?a kg:confidence ?confidence }
  FILTER NOT EXISTS { ?a kg:negated true }
  FILTER NOT EXISTS { ?a kg:hedged true }
}"""


def mark_stale(store: Store) -> None:
    """Say in graph:facts that documents are changing; :func:`summarise` takes it back."""
    store.add(graph.stale_nquads())


def is_stale(store: Store) -> bool:
    """True when a build changed documents and did not finish its summaries (it was stopped)."""
    return bool(store.query(f"ASK {{ GRAPH <{graph.FACTS_GRAPH}> {{ <{graph.FACTS_GRAPH}> <{graph.KG._NS}stale> true }} }}"))


def summarise(store: Store) -> int:
    """Rewrite graph:facts from what the store holds now; returns the number of facts."""
    best: dict[tuple[str, str, str], tuple[float, str]] = {}
    for row in store.select(_EVIDENCE):
        key = (row["s"].value, row["p"].value, row["o"].value)
        confidence = float(row["confidence"].value) if "confidence" in row else 0.0
        candidate = (-confidence, row["a"].value)  # the most confident, then the first IRI
        if key not in best or candidate < best[key]:
            best[key] = candidate
    facts = []
    for row in store.select(_COUNTS):
        key = (row["s"].value, row["p"].value, row["o"].value)
        evidence = best[key][1] if key in best else None
        facts.append(Fact(*key, int(row["documents"].value), row["curated"].value == "true", evidence))
    store.replace_graphs([graph.FACTS_GRAPH], graph.facts_nquads(facts))
    return len(facts)
