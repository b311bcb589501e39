"""Read what the view draws from the store: entities, relations and their evidence.

Every query runs over the union of all named graphs (see docs/graph-model.md); rows are
sorted here, not by the store, so the same store always gives the same view. Which
relations exist, their family and whether they are symmetric come from the ontology file.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from kg.export import ENTITIES
from kg.graph import ENT, SPARQL_PREFIXES
from kg.model import ENTITY_TYPES
from kg.store import Store
from kg.viz.centrality import Ranking, computed_ranking, stored_ranking
from kg.viz.documents import Publication, read_publications, rows_of
from kg.vocab import relation_families, symmetric_relations

ENTITY_BASE = ENT
MAX_SURFACE_FORMS = 3

PREFIXES = SPARQL_PREFIXES
_TYPES = " ".join(f"kg:{name}" for name in ENTITY_TYPES)

ALIASES = PREFIXES + """SELECT DISTINCT ?e ?alias WHERE { ?e skos:altLabel ?alias }"""

# How many times each graph names each entity in each form of words: one join of two patterns
# in named graphs (the union default graph costs more), counted, so that it stays cheap on a
# large store. Compact stores (kg:occurrences) add what each kept mention stands for.
MENTIONS = PREFIXES + """
SELECT ?g ?e ?form (COUNT(?m) AS ?n) WHERE { GRAPH ?g { ?m kg:mentionOf ?e ; kg:surfaceForm ?form } }
GROUP BY ?g ?e ?form"""
OCCURRENCES = PREFIXES + """
SELECT ?g ?e ?form (SUM(?o) - COUNT(?m) AS ?n) WHERE {
  GRAPH ?g { ?m kg:occurrences ?o ; kg:mentionOf ?e ; kg:surfaceForm ?form }
} GROUP BY ?g ?e ?form"""

RELATIONS = PREFIXES + """
SELECT DISTINCT ?s ?p ?o WHERE {{
  VALUES ?p {{ {relations} }}
  ?s ?p ?o .
}}"""

# One row per assertion (in the documents' graphs); titles and years come from the publications.
EVIDENCE = PREFIXES + """
SELECT ?a ?s ?p ?o ?sentence ?doc ?confidence WHERE { GRAPH ?g {
  ?a a kg:RelationAssertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
     kg:sentence ?sentence .
  OPTIONAL { ?a kg:confidence ?confidence }
  OPTIONAL { ?a prov:wasDerivedFrom ?doc }
} }"""


@dataclass(frozen=True)
class EntityInfo:
    """One entity as the view shows it."""

    id: str  # `<segment>/<key>`, as Entity.id
    label: str
    type: str  # one of ENTITY_TYPES
    iso3: str | None
    documents: int  # distinct documents that mention it
    surface_forms: tuple[str, ...]  # most frequent first
    aliases: tuple[str, ...] = ()  # skos:altLabel, sorted
    years: tuple[int, ...] = ()  # of the dated documents that mention it, sorted


@dataclass(frozen=True)
class Evidence:
    """One sentence that states a relation, and the document it comes from."""

    sentence: str
    document: str  # the document's title, else its IRI, else ""
    confidence: float
    source: str = ""  # the document's IRI
    year: int | None = None  # of the document's dcterms:date
    assertions: int = 1  # kg:RelationAssertions with this sentence in this document


@dataclass(frozen=True)
class RelationInfo:
    """A relation between two entities, with its evidence (strongest first)."""

    subject: str
    predicate: str  # local name, a key of relation_families()
    object: str
    family: str  # one of kg.vocab.FAMILIES
    symmetric: bool
    evidence: tuple[Evidence, ...]

    @property
    def confidence(self) -> float | None:
        """The best evidence's confidence; None for a curated fact without evidence."""
        return max((ev.confidence for ev in self.evidence), default=None)

    @property
    def years(self) -> tuple[int, ...]:
        """The years of the documents that state it, sorted."""
        return tuple(sorted({ev.year for ev in self.evidence if ev.year is not None}))

    @property
    def documents(self) -> int:
        """How many documents state it (0 for a curated fact)."""
        return len({ev.source for ev in self.evidence})


@dataclass(frozen=True)
class GraphData:
    """Everything the view needs, read from one store."""

    entities: dict[str, EntityInfo]  # by id, sorted by id
    relations: tuple[RelationInfo, ...]  # between known entities, sorted
    documents: dict[str, Publication] = field(default_factory=dict)  # by node id, sorted
    ranking: Ranking = field(default_factory=lambda: Ranking({}, {}, "computed"))

    def rank_key(self, entity: str) -> tuple[float, int, str]:
        """Sort key of an entity, most central first."""
        return self.ranking.key(entity)


def read_graph(store: Store) -> GraphData:
    """Read entities, relations, evidence, documents and centrality from ``store``."""
    rows = sorted(store.select(ENTITIES), key=lambda r: r["e"].value)
    known = {entity_id(r["e"].value) for r in rows}
    in_graph, forms = _mentions(store, known)
    documents, counts, years = read_publications(store, entity_id, known, in_graph)
    aliases = _aliases(store)
    entities: dict[str, EntityInfo] = {}
    for row in rows:
        eid = entity_id(row["e"].value)
        entities[eid] = EntityInfo(
            id=eid,
            label=row["label"].value if "label" in row else eid.rsplit("/", 1)[-1],
            type=_local(row["type"].value),
            iso3=row["iso3"].value if "iso3" in row else None,
            documents=counts.get(eid, 0),
            surface_forms=forms.get(eid, ()),
            aliases=aliases.get(eid, ()),
            years=years.get(eid, ()),
        )
    evidence = _evidence(store, {d.iri: d for d in documents.values()})
    relations = []
    families, symmetric = relation_families(), symmetric_relations()
    names = " ".join(f"kg:{name}" for name in families)
    for row in store.select(RELATIONS.format(relations=names)):
        s, p, o = key = (
            entity_id(row["s"].value), _local(row["p"].value), entity_id(row["o"].value)
        )
        if s in entities and o in entities and s != o:
            relations.append(RelationInfo(
                s, p, o, families[p], p in symmetric, tuple(evidence.get(key, ()))
            ))
    relations.sort(key=lambda r: (r.subject, r.predicate, r.object))
    ranking = stored_ranking(store) or computed_ranking(
        {e.id: (e.label, e.type) for e in entities.values()},
        {(r.subject, r.predicate, r.object): sum(ev.assertions for ev in r.evidence) for r in relations},
    )
    return GraphData(entities, tuple(relations), documents, ranking)


def _mentions(
    store: Store, known: set[str]
) -> tuple[dict[tuple[str, str], int], dict[str, tuple[str, ...]]]:
    """Mentions of each entity in each named graph, and each entity's most used forms of words."""
    in_graph: dict[tuple[str, str], int] = defaultdict(int)
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for query in (MENTIONS, OCCURRENCES):
        for graph, e, form, n in rows_of(store, query):
            eid = entity_id(e)
            if eid in known:
                in_graph[graph, eid] += int(n)
                forms[eid][form] += int(n)
    return dict(in_graph), {
        eid: tuple(f for f, _ in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_SURFACE_FORMS])
        for eid, c in forms.items()
    }


def _aliases(store: Store) -> dict[str, tuple[str, ...]]:
    found: dict[str, set[str]] = defaultdict(set)
    for row in store.select(ALIASES):
        found[entity_id(row["e"].value)].add(row["alias"].value)
    return {eid: tuple(sorted(names)) for eid, names in found.items()}


def _evidence(
    store: Store, documents: dict[str, Publication]
) -> dict[tuple[str, str, str], list[Evidence]]:
    """The sentences stating each relation: one per sentence and document, counting its
    assertions, with the best confidence."""
    grouped: dict[tuple[str, str, str, str, str], list[float]] = defaultdict(list)
    for _, s, p, o, sentence, doc, confidence in rows_of(store, EVIDENCE):
        key = (entity_id(s), _local(p), entity_id(o), sentence, doc or "")
        grouped[key].append(float(confidence) if confidence is not None else 0.0)
    found: dict[tuple[str, str, str], list[Evidence]] = defaultdict(list)
    for (s, p, o, sentence, source), confidences in grouped.items():
        doc = documents.get(source)
        found[s, p, o].append(Evidence(
            sentence, doc.title if doc else source, max(confidences), source,
            doc.year if doc else None, len(confidences),
        ))
    for items in found.values():
        items.sort(key=lambda ev: (-ev.confidence, ev.document, ev.sentence))
    return found


def entity_id(iri: str) -> str:
    """An entity IRI as the id the view uses: `country/CHN`."""
    return iri.removeprefix(ENTITY_BASE)


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1]
