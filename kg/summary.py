"""What the graph in a store holds, counted with SPARQL: the summary `kg build` prints.

Each count reads an index the store keeps small (documents, the distinct entities they mention,
graph:facts), not the mentions and assertions themselves, so the summary after adding one
document to a large store costs a fraction of a second.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.graph import ENTITIES_GRAPH, FACTS_GRAPH, KB_GRAPH, SPARQL_PREFIXES
from kg.store import Store


@dataclass(frozen=True)
class Summary:
    documents: int
    entities_by_type: dict[str, int]  # entities some document mentions, by their kg: class
    relations_by_type: dict[str, int]  # facts (distinct subject, predicate, object) some document states
    evidence: int  # relation assertions, one per sentence that states, hedges or denies a relation


def summarize(store: Store) -> Summary:
    documents = _count(store, "SELECT (COUNT(*) AS ?n) { ?d kg:documentId ?id }")
    # Types come from graph:kb and graph:entities only: every document's graph types the
    # entities it mentions too, and joining those would read the store's mentions again.
    entities = _by(store, f"""
        SELECT ?key (COUNT(DISTINCT ?e) AS ?n) {{
          {{ SELECT DISTINCT ?e {{ ?doc kg:mentions ?e }} }}
          VALUES ?g {{ <{KB_GRAPH}> <{ENTITIES_GRAPH}> }} GRAPH ?g {{ ?e a ?class }}
          FILTER(STRSTARTS(STR(?class), STR(kg:)))
          BIND(STRAFTER(STR(?class), STR(kg:)) AS ?key)
        }} GROUP BY ?key""")
    relations = _by(store, f"""
        SELECT ?key (COUNT(*) AS ?n) {{
          GRAPH <{FACTS_GRAPH}> {{ ?f rdf:predicate ?p ; kg:documentCount ?documents FILTER(?documents > 0) }}
          BIND(STRAFTER(STR(?p), STR(kg:)) AS ?key)
        }} GROUP BY ?key""")
    evidence = _count(store, "SELECT (COUNT(*) AS ?n) { ?r a kg:RelationAssertion }")
    return Summary(documents, entities, relations, evidence)


def format_summary(summary: Summary) -> str:
    lines = [f"documents: {summary.documents}", "entities by type:"]
    lines += [f"  {k:<26} {v:>7}" for k, v in sorted(summary.entities_by_type.items(), key=lambda kv: (-kv[1], kv[0]))]
    lines.append(f"relations by type ({summary.evidence} evidence sentences):")
    lines += [f"  {k:<26} {v:>7}" for k, v in sorted(summary.relations_by_type.items(), key=lambda kv: (-kv[1], kv[0]))]
    return "\n".join(lines)


def _count(store: Store, query: str) -> int:
    rows = store.select(SPARQL_PREFIXES + query)
    return int(rows[0]["n"].value) if rows else 0


def _by(store: Store, query: str) -> dict[str, int]:
    return {row["key"].value: int(row["n"].value) for row in store.select(SPARQL_PREFIXES + query)}
