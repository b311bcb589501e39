"""What the graph in a store holds, counted with SPARQL: the summary `kg build` prints."""

from __future__ import annotations

from dataclasses import dataclass

from kg.graph import SPARQL_PREFIXES
from kg.store import Store



@dataclass(frozen=True)
class Summary:
    documents: int
    entities_by_type: dict[str, int]
    relations_by_type: dict[str, int]  # distinct (subject, predicate, object) facts
    evidence: int  # relation assertions, one per sentence that states a fact
    triples: int


def summarize(store: Store) -> Summary:
    documents = _count(store, "SELECT (COUNT(DISTINCT ?d) AS ?n) { ?d kg:documentId ?id }")
    entities = _by(store, """
        SELECT ?key (COUNT(DISTINCT ?e) AS ?n) {
          ?doc kg:mentions ?e . ?e a ?class . FILTER(STRSTARTS(STR(?class), STR(kg:)))
          BIND(STRAFTER(STR(?class), STR(kg:)) AS ?key)
        } GROUP BY ?key""")
    relations = _by(store, """
        SELECT ?key (COUNT(*) AS ?n) {
          { SELECT DISTINCT ?s ?p ?o { ?r a kg:RelationAssertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o } }
          BIND(STRAFTER(STR(?p), STR(kg:)) AS ?key)
        } GROUP BY ?key""")
    evidence = _count(store, "SELECT (COUNT(?r) AS ?n) { ?r a kg:RelationAssertion }")
    return Summary(documents, entities, relations, evidence, store.count_quads())


def format_summary(summary: Summary) -> str:
    lines = [f"documents: {summary.documents}", "entities by type:"]
    lines += [f"  {k:<26} {v:>7}" for k, v in sorted(summary.entities_by_type.items(), key=lambda kv: (-kv[1], kv[0]))]
    lines.append(f"relations by type ({summary.evidence} evidence sentences):")
    lines += [f"  {k:<26} {v:>7}" for k, v in sorted(summary.relations_by_type.items(), key=lambda kv: (-kv[1], kv[0]))]
    lines.append(f"triples: {summary.triples}")
    return "\n".join(lines)


def _count(store: Store, query: str) -> int:
    rows = store.select(SPARQL_PREFIXES + query)
    return int(rows[0]["n"].value) if rows else 0


def _by(store: Store, query: str) -> dict[str, int]:
    return {row["key"].value: int(row["n"].value) for row in store.select(SPARQL_PREFIXES + query)}
