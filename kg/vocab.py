"""The one module that knows the ontology's terms.

``KG`` is a closed namespace: a mistyped term raises at import or call time instead of
minting a silent typo into the graph. ``tests/test_vocab.py`` checks that it lists exactly
the terms that ``ontology/kg.ttl`` defines.
"""

from __future__ import annotations

from functools import cache

import pyoxigraph as ox
from rdflib import Namespace
from rdflib.namespace import DefinedNamespace, URIRef

from kg.resources import ONTOLOGY_FILE

BASE = "https://w3id.org/irkg/"
ONTOLOGY_IRI = BASE + "ontology"


class KG(DefinedNamespace):
    """Terms of the kg ontology (ontology/kg.ttl)."""

    _NS = Namespace(ONTOLOGY_IRI + "#")
    _fail = True

    # Entity classes
    Entity: URIRef
    Agent: URIRef
    Country: URIRef
    InternationalOrganization: URIRef
    Initiative: URIRef
    Region: URIRef
    Place: URIRef
    PoliticalParty: URIRef
    Organization: URIRef
    Person: URIRef
    Event: URIRef
    LegalInstrument: URIRef
    # Publications
    Report: URIRef
    Chapter: URIRef
    Article: URIRef
    Speech: URIRef
    # Evidence and provenance
    Mention: URIRef
    RelationAssertion: URIRef
    Fact: URIRef
    ExtractionActivity: URIRef
    DocumentGraph: URIRef

    # Relation families and relations between entities
    relatedTo: URIRef
    cooperation: URIRef
    conflict: URIRef
    structural: URIRef
    partnerOf: URIRef
    cooperatesWith: URIRef
    supports: URIRef
    rivalOf: URIRef
    opposes: URIRef
    proposes: URIRef
    memberOf: URIRef
    partOf: URIRef
    locatedIn: URIRef
    presentIn: URIRef
    agreesWith: URIRef
    consultsWith: URIRef
    aids: URIRef
    demandsFrom: URIRef
    accuses: URIRef
    rejects: URIRef
    threatens: URIRef
    protests: URIRef
    sanctions: URIRef
    coerces: URIRef
    attacks: URIRef
    participatesIn: URIRef
    visits: URIRef
    suppliesArmsTo: URIRef
    designates: URIRef
    hosts: URIRef
    # Publication relations
    mentions: URIRef
    publishedBy: URIRef
    isPartOf: URIRef
    speaker: URIRef
    # Entity descriptions
    isoAlpha2: URIRef
    isoAlpha3: URIRef
    nameKey: URIRef
    demonym: URIRef
    capital: URIRef
    # Mentions and relation assertions
    mentionOf: URIRef
    inDocument: URIRef
    surfaceForm: URIRef
    occurrences: URIRef
    countOf: URIRef
    nameKind: URIRef
    countedName: URIRef
    nameCount: URIRef
    labelInDocument: URIRef
    aliasInDocument: URIRef
    start: URIRef
    end: URIRef
    page: URIRef
    sentence: URIRef
    trigger: URIRef
    negated: URIRef
    hedged: URIRef
    statesFact: URIRef
    documentCount: URIRef
    curated: URIRef
    stale: URIRef
    sourceDigest: URIRef
    evidence: URIRef
    assertedBy: URIRef
    confidence: URIRef
    method: URIRef
    # Documents
    documentId: URIRef
    sourceFile: URIRef
    # Network analytics (graph:analytics)
    degree: URIRef
    pageRank: URIRef
    betweenness: URIRef
    community: URIRef


ENTITY_CLASSES = {
    name: KG[name]
    for name in (
        "Country",
        "InternationalOrganization",
        "Initiative",
        "Region",
        "Place",
        "PoliticalParty",
        "Organization",
        "Person",
        "Event",
        "LegalInstrument",
    )
}
DOCUMENT_CLASSES = {name: KG[name] for name in ("Report", "Chapter", "Article", "Speech")}


FAMILIES = ("cooperation", "conflict", "structural")
_SUB_PROPERTY_OF = "http://www.w3.org/2000/01/rdf-schema#subPropertyOf"
_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SYMMETRIC = "http://www.w3.org/2002/07/owl#SymmetricProperty"
_SUB_CLASS_OF = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
_DOMAIN = "http://www.w3.org/2000/01/rdf-schema#domain"
_RANGE = "http://www.w3.org/2000/01/rdf-schema#range"
_UNION_OF = "http://www.w3.org/2002/07/owl#unionOf"
_FIRST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first"
_REST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"


@cache
def _ontology_triples() -> tuple[ox.Triple, ...]:
    return tuple(ox.parse(path=str(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE))


@cache
def relation_families() -> dict[str, str]:
    """Each relation between entities, by local name, and its family, read from the ontology."""
    families = {str(KG._NS) + family: family for family in FAMILIES}
    found = {
        t.subject.value.removeprefix(str(KG._NS)): families[t.object.value]
        for t in _ontology_triples()
        if t.predicate.value == _SUB_PROPERTY_OF and t.object.value in families
    }
    return dict(sorted(found.items(), key=lambda kv: (FAMILIES.index(kv[1]), kv[0])))


@cache
def symmetric_relations() -> frozenset[str]:
    """Relations the ontology declares symmetric ("partnerOf"), by local name."""
    return frozenset(
        t.subject.value.removeprefix(str(KG._NS))
        for t in _ontology_triples()
        if t.predicate.value == _TYPE and t.object.value == _SYMMETRIC
    )


@cache
def ontology_terms() -> frozenset[str]:
    """Every term the ontology defines (gives a type to), by local name: the closed vocabulary
    that a query's ``kg:`` names must come from."""
    namespace = str(KG._NS)
    return frozenset(
        t.subject.value.removeprefix(namespace)
        for t in _ontology_triples()
        if t.predicate.value == _TYPE and isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(namespace)
    )


@cache
def _objects() -> dict[tuple[object, str], tuple[object, ...]]:
    """The ontology as (subject, predicate IRI) -> objects."""
    index: dict[tuple[object, str], list[object]] = {}
    for t in _ontology_triples():
        index.setdefault((t.subject, t.predicate.value), []).append(t.object)
    return {key: tuple(values) for key, values in index.items()}


@cache
def entity_classes_under(name: str) -> frozenset[str]:
    """The entity classes (local names) that are ``name`` or its subclasses: "Agent" gives
    Country, InternationalOrganization, PoliticalParty, Organization and Person."""
    objects, target = _objects(), ox.NamedNode(str(KG._NS) + name)
    found = set()
    for entity_class in ENTITY_CLASSES:
        todo, seen = [ox.NamedNode(str(KG._NS) + entity_class)], set()
        while todo:
            node = todo.pop()
            if node == target:
                found.add(entity_class)
                break
            seen.add(node)
            todo.extend(parent for parent in objects.get((node, _SUB_CLASS_OF), ()) if parent not in seen)
    return frozenset(found)


@cache
def relation_signatures() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Each relation between entities and the entity classes (local names) its subject and its
    object may have, read from the ontology's rdfs:domain and rdfs:range: a class stands for
    itself and its subclasses, an ``owl:unionOf`` list for the union of its members."""
    objects, namespace = _objects(), str(KG._NS)

    def classes(node: object) -> frozenset[str]:
        if isinstance(node, ox.NamedNode):
            return entity_classes_under(node.value.removeprefix(namespace))
        members: set[str] = set()
        for item in objects.get((node, _UNION_OF), ()):
            while isinstance(item, ox.BlankNode):
                members |= classes(objects[(item, _FIRST)][0])
                item = objects[(item, _REST)][0]
        return frozenset(members)

    def signature(name: str) -> tuple[frozenset[str], frozenset[str]]:
        node = ox.NamedNode(namespace + name)
        return classes(objects[(node, _DOMAIN)][0]), classes(objects[(node, _RANGE)][0])

    return {name: signature(name) for name in relation_families()}
