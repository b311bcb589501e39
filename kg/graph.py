"""The one module that mints IRIs and writes triples (see docs/graph-model.md).

An Extraction becomes the quads of its document's named graph; knowledge-base entities and
entities found in text become descriptions in graph:kb and graph:entities. Same input, same
quads: IRIs derive from ids, offsets and hashes, never from counters or clocks.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from urllib.parse import quote

import pyoxigraph as ox

from kg import __version__
from kg.extract.kb import KnowledgeBase, slugify
from kg.model import Document, Entity, Extraction, Relation
from kg.vocab import BASE, KG

ENT = BASE + "id/"
DOC = BASE + "doc/"
GRAPH = BASE + "graph/"
ONTOLOGY_GRAPH = GRAPH + "ontology"
KB_GRAPH = GRAPH + "kb"
ENTITIES_GRAPH = GRAPH + "entities"
SOFTWARE = f"{BASE}software/kg/{__version__}"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"
WIKIDATA = "http://www.wikidata.org/entity/"
PREFIXES = {
    "kg": str(KG._NS), "ent": ENT, "doc": DOC, "graph": GRAPH, "rdf": RDF, "rdfs": RDFS,
    "skos": SKOS, "xsd": XSD, "dcterms": DCTERMS, "prov": PROV, "schema": SCHEMA,
}


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _kg(term: str) -> ox.NamedNode:
    return ox.NamedNode(str(KG[term]))


A = _n(RDF + "type")
LABEL = _n(RDFS + "label")
PREF_LABEL = _n(SKOS + "prefLabel")
ALT_LABEL = _n(SKOS + "altLabel")
_INTEGER = _n(XSD + "integer")
_DECIMAL = _n(XSD + "decimal")
_DATE_TYPES = ((re.compile(r"\d{4}"), "gYear"), (re.compile(r"\d{4}-\d{2}"), "gYearMonth"), (re.compile(r"\d{4}-\d{2}-\d{2}"), "date"))


def entity_iri(entity_id: str) -> str:
    return ENT + quote(entity_id, safe="/-_.~")


def document_iri(document_id: str) -> str:
    return DOC + quote(document_id, safe="/-_.~")


def document_graph_iri(document_id: str) -> str:
    return GRAPH + "doc/" + quote(document_id, safe="/-_.~")


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_INTEGER)


def _confidence(value: float) -> ox.Literal:
    return ox.Literal(f"{value:.2f}", datatype=_DECIMAL)


def _en(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


def _date(value: str) -> ox.Literal:
    for regex, datatype in _DATE_TYPES:
        if regex.fullmatch(value):
            return ox.Literal(value, datatype=_n(XSD + datatype))
    return ox.Literal(value)


def entity_triples(entity: Entity) -> Iterator[tuple[ox.NamedNode, ox.NamedNode, ox.Term]]:
    """The description of an entity: type, labels, codes, demonyms, capitals, Wikidata match."""
    node = _n(entity_iri(entity.id))
    yield node, A, _kg(entity.type)
    yield node, LABEL, ox.Literal(entity.label)
    yield node, PREF_LABEL, _en(entity.label)
    for alias in sorted(set(entity.aliases) - {entity.label}):
        yield node, ALT_LABEL, _en(alias)
    if entity.iso2:
        yield node, _kg("isoAlpha2"), ox.Literal(entity.iso2)
    if entity.iso3:
        yield node, _kg("isoAlpha3"), ox.Literal(entity.iso3)
    for demonym in entity.demonyms:
        yield node, _kg("demonym"), _en(demonym)
    for capital in entity.capitals:
        yield node, _kg("capital"), _en(capital)
    if entity.wikidata:
        yield node, _n(SKOS + "exactMatch"), _n(WIKIDATA + entity.wikidata)


def kb_quads(kb: KnowledgeBase) -> list[ox.Quad]:
    """graph:kb: every knowledge-base entity and its curated facts."""
    graph = _n(KB_GRAPH)
    quads = [ox.Quad(s, p, o, graph) for entity in kb.entities.values() for s, p, o in entity_triples(entity)]
    for fact in kb.facts:
        quads.append(ox.Quad(_n(entity_iri(fact.subject)), _kg(fact.predicate), _n(entity_iri(fact.object)), graph))
    quads.append(ox.Quad(graph, _n(PROV + "wasAttributedTo"), _n(SOFTWARE), graph))
    return quads


def discovered_entity_quads(extraction: Extraction) -> list[ox.Quad]:
    """graph:entities: descriptions of the entities found outside the knowledge base."""
    graph = _n(ENTITIES_GRAPH)
    return [
        ox.Quad(s, p, o, graph)
        for entity in extraction.entities
        if not entity.in_kb
        for s, p, o in entity_triples(entity)
    ]


def document_quads(extraction: Extraction) -> list[ox.Quad]:
    """The named graph of one document: its description, mentions, relations and provenance."""
    document = extraction.document
    graph = _n(document_graph_iri(document.id))
    doc = _n(document_iri(document.id))
    triples = list(_describe_document(document, doc, extraction))
    for entity_id in sorted({m.entity.id for m in extraction.mentions}):
        triples.append((doc, _kg("mentions"), _n(entity_iri(entity_id))))
    for mention in extraction.mentions:
        node = _n(f"{doc.value}/m/{mention.start}-{mention.end}")
        triples += [
            (node, A, _kg("Mention")),
            (node, _kg("mentionOf"), _n(entity_iri(mention.entity.id))),
            (node, _kg("inDocument"), doc),
            (node, _kg("surfaceForm"), ox.Literal(mention.text)),
            (node, _kg("start"), _int(mention.start)),
            (node, _kg("end"), _int(mention.end)),
            (node, _kg("confidence"), _confidence(mention.confidence)),
            (node, _kg("method"), ox.Literal(mention.method)),
        ]
    for relation in extraction.relations:
        triples += _relation_triples(relation, doc)
    activity = _n(doc.value + "/extraction")
    triples += [
        (graph, A, _kg("DocumentGraph")),
        (graph, _n(PROV + "wasDerivedFrom"), doc),
        (graph, _n(PROV + "wasGeneratedBy"), activity),
        (activity, A, _kg("ExtractionActivity")),
        (activity, _n(PROV + "used"), doc),
        (activity, _n(PROV + "wasAssociatedWith"), _n(SOFTWARE)),
    ]
    return [ox.Quad(s, p, o, graph) for s, p, o in triples]


def _describe_document(document: Document, doc: ox.NamedNode, extraction: Extraction) -> Iterator[tuple]:
    title = document.title or document.id
    yield doc, A, _kg(document.type)
    yield doc, LABEL, ox.Literal(title)
    yield doc, _n(DCTERMS + "title"), ox.Literal(title)
    yield doc, _kg("documentId"), ox.Literal(document.id)
    yield doc, _kg("sourceFile"), ox.Literal(document.source)
    if document.date:
        yield doc, _n(DCTERMS + "date"), _date(document.date)
    if document.url:
        yield doc, _n(SCHEMA + "url"), ox.Literal(document.url)
    if document.author:
        yield doc, _n(DCTERMS + "creator"), ox.Literal(document.author)
    publisher = extraction.publisher
    if publisher is not None:
        yield doc, _kg("publishedBy"), _n(entity_iri(publisher.id))
    if extraction.speaker is not None:
        yield doc, _kg("speaker"), _n(entity_iri(extraction.speaker.id))
    if document.part_of:
        parent = _n(DOC + "report/" + slugify(document.part_of))
        yield doc, _kg("isPartOf"), parent
        yield parent, A, _kg("Report")
        yield parent, LABEL, ox.Literal(document.part_of)
        yield parent, _n(DCTERMS + "title"), ox.Literal(document.part_of)
        if publisher is not None:
            yield parent, _kg("publishedBy"), _n(entity_iri(publisher.id))


def relation_id(document_id: str, relation: Relation) -> str:
    """A stable IRI for one relation assertion: its document and a hash of what it states."""
    key = "\x1f".join((relation.subject.id, relation.predicate, relation.object.id, str(relation.start), str(relation.end)))
    return f"{document_iri(document_id)}/r/{hashlib.sha1(key.encode()).hexdigest()[:12]}"


def _relation_triples(relation: Relation, doc: ox.NamedNode) -> list[tuple]:
    subject, obj = _n(entity_iri(relation.subject.id)), _n(entity_iri(relation.object.id))
    predicate = _kg(relation.predicate)
    node = _n(relation_id(doc.value[len(DOC):], relation))
    triples = [
        (subject, predicate, obj),
        (node, A, _kg("RelationAssertion")),
        (node, _n(RDF + "subject"), subject),
        (node, _n(RDF + "predicate"), predicate),
        (node, _n(RDF + "object"), obj),
        (node, _kg("sentence"), ox.Literal(relation.sentence)),
        (node, _kg("start"), _int(relation.start)),
        (node, _kg("end"), _int(relation.end)),
        (node, _kg("confidence"), _confidence(relation.confidence)),
        (node, _kg("method"), ox.Literal(relation.method)),
        (node, _n(PROV + "wasDerivedFrom"), doc),
    ]
    if relation.trigger:
        triples.append((node, _kg("trigger"), ox.Literal(relation.trigger)))
    return triples


def ontology_quads(path: str) -> list[ox.Quad]:
    """graph:ontology: the ontology file, so queries can follow subproperties and classes."""
    graph = _n(ONTOLOGY_GRAPH)
    with open(path, "rb") as handle:
        dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object, graph) for t in ox.parse(handle, format=ox.RdfFormat.TURTLE))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)  # stable blank-node labels
    return sorted(dataset, key=str)
