"""The one module that mints IRIs and writes triples (see docs/graph-model.md).

An Extraction becomes the quads of its document's named graph; knowledge-base entities and
entities found in text become descriptions in graph:kb and graph:entities. Same input, same
quads: IRIs derive from ids, offsets and hashes, never from counters or clocks.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from urllib.parse import quote

import pyoxigraph as ox

from kg import __version__
from kg.extract.kb import KnowledgeBase, slugify
from kg.model import Document, Entity, Extraction, Mention, Relation
from kg.vocab import BASE, KG

ENT = BASE + "id/"
DOC = BASE + "doc/"
GRAPH = BASE + "graph/"
ONTOLOGY_GRAPH = GRAPH + "ontology"
KB_GRAPH = GRAPH + "kb"
ENTITIES_GRAPH = GRAPH + "entities"
NAMES_GRAPH = GRAPH + "names"  # how many documents give each entity found in text each name
ANALYTICS_GRAPH = GRAPH + "analytics"
FACTS_GRAPH = GRAPH + "facts"
FACT = BASE + "fact/"
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
# The same prefixes as a SPARQL prologue, for queries written in the library.
SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


# Terms are written as N-Triples text: a build writes over a million quads, and formatting
# strings is several times faster than building term objects and serialising them.
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _n(iri: str) -> str:
    return f"<{iri}>"


_KG_TERMS = {name: _n(str(KG._NS) + name) for name in KG.__annotations__}


def _kg(term: str) -> str:
    return _KG_TERMS[term]


def _lit(text: str) -> str:
    return f'"{text.translate(_ESCAPES)}"'


def _typed(text: str, datatype: str) -> str:
    return f'"{text.translate(_ESCAPES)}"^^<{XSD}{datatype}>'


A = _n(RDF + "type")
LABEL = _n(RDFS + "label")
PREF_LABEL = _n(SKOS + "prefLabel")
ALT_LABEL = _n(SKOS + "altLabel")
_DATE_TYPES = ((re.compile(r"\d{4}"), "gYear"), (re.compile(r"\d{4}-\d{2}"), "gYearMonth"), (re.compile(r"\d{4}-\d{2}-\d{2}"), "date"))
_SAFE = "/-_.~"
_BLOCK = 4096  # lines encoded at a time


def entity_iri(entity_id: str) -> str:
    return ENT + quote(entity_id, safe=_SAFE)


def document_iri(document_id: str) -> str:
    return DOC + quote(document_id, safe=_SAFE)


def document_graph_iri(document_id: str) -> str:
    return GRAPH + "doc/" + quote(document_id, safe=_SAFE)


def _int(value: int) -> str:
    return f'"{value}"^^<{XSD}integer>'


def _confidence(value: float) -> str:
    return f'"{value:.2f}"^^<{XSD}decimal>'


def _en(text: str) -> str:
    return _lit(text) + "@en"


def _date(value: str) -> str:
    for regex, datatype in _DATE_TYPES:
        if regex.fullmatch(value):
            return _typed(value, datatype)
    return _lit(value)


def _nquads(triples: Iterable[tuple[str, str, str]], graph: str) -> bytes:
    """The triples as N-Quads in ``graph``, encoded a block of lines at a time: a long document's
    lines are never all held as strings beside their bytes."""
    g = _n(graph)
    out = io.BytesIO()
    pending = iter(triples)
    while block := list(islice(pending, _BLOCK)):
        out.write("".join(f"{s} {p} {o} {g} .\n" for s, p, o in block).encode())
    return out.getvalue()


def entity_triples(entity: Entity) -> Iterator[tuple[str, str, str]]:
    """The description of an entity: type, labels, codes, demonyms, capitals, Wikidata match, and
    the lower-cased names (kg:nameKey) that saved queries look it up by."""
    node = _n(entity_iri(entity.id))
    yield node, A, _kg(entity.type)
    yield node, LABEL, _lit(entity.label)
    yield node, PREF_LABEL, _en(entity.label)
    for alias in sorted(set(entity.aliases) - {entity.label}):
        yield node, ALT_LABEL, _en(alias)
    if entity.iso2:
        yield node, _kg("isoAlpha2"), _lit(entity.iso2)
    if entity.iso3:
        yield node, _kg("isoAlpha3"), _lit(entity.iso3)
    for demonym in entity.demonyms:
        yield node, _kg("demonym"), _en(demonym)
    for capital in entity.capitals:
        yield node, _kg("capital"), _en(capital)
    if entity.wikidata:
        yield node, _n(SKOS + "exactMatch"), _n(WIKIDATA + entity.wikidata)
    for key in sorted({name.lower() for name in (entity.label, *entity.aliases, entity.iso3) if name}):
        yield node, _kg("nameKey"), _lit(key)


def kb_nquads(kb: KnowledgeBase) -> bytes:
    """graph:kb: every knowledge-base entity and its curated facts."""
    triples = [t for entity in kb.entities.values() for t in entity_triples(entity)]
    triples += [(_n(entity_iri(f.subject)), _kg(f.predicate), _n(entity_iri(f.object))) for f in kb.facts]
    triples.append((_n(KB_GRAPH), _n(PROV + "wasAttributedTo"), _n(SOFTWARE)))
    return _nquads(triples, KB_GRAPH)


def document_nquads(extraction: Extraction, compact: bool = False) -> bytes:
    """The named graph of one document: its description, mentions, relations and provenance.

    ``compact`` records one mention per entity and form of words, the first, with how many
    times the document uses that form (``kg:occurrences``), instead of every mention. Counts,
    the forms of words and the entities' labels stay as they are; the offsets of the later
    occurrences go.
    """
    return _nquads(_document_triples(extraction, compact), document_graph_iri(extraction.document.id))


def _document_triples(extraction: Extraction, compact: bool) -> Iterator[tuple[str, str, str]]:
    document = extraction.document
    doc_iri = document_iri(document.id)
    doc = _n(doc_iri)
    yield from _describe_document(document, doc, extraction)
    for entity_id in sorted({m.entity.id for m in extraction.mentions}):
        yield doc, _kg("mentions"), _n(entity_iri(entity_id))
    if compact:
        occurrences = Counter((m.entity.id, m.text) for m in extraction.mentions)
        for mention in extraction.mentions:
            count = occurrences.pop((mention.entity.id, mention.text), 0)
            if count:  # the first of its form
                triples = _mention_triples(mention, doc_iri, doc, document.page_at(mention.start))
                yield from triples
                yield triples[0][0], _kg("occurrences"), _int(count)
    else:
        for mention in extraction.mentions:
            yield from _mention_triples(mention, doc_iri, doc, document.page_at(mention.start))
    for entity in extraction.entities:
        if not entity.in_kb:  # what this document says of it; graph:entities is derived from these
            node = _n(entity_iri(entity.id))
            yield node, _kg("labelInDocument"), _lit(entity.label)
            for alias in sorted(set(entity.aliases) - {entity.label}):
                yield node, _kg("aliasInDocument"), _lit(alias)
    asserted_by = extraction.speaker or extraction.publisher
    for relation in extraction.relations:
        yield from _relation_triples(relation, document, relation.asserted_by or asserted_by)
    graph, activity = _n(document_graph_iri(document.id)), _n(doc_iri + "/extraction")
    yield graph, A, _kg("DocumentGraph")
    yield graph, _n(PROV + "wasDerivedFrom"), doc
    yield graph, _n(PROV + "wasGeneratedBy"), activity
    yield activity, A, _kg("ExtractionActivity")
    yield activity, _n(PROV + "used"), doc
    yield activity, _n(PROV + "wasAssociatedWith"), _n(SOFTWARE)


def _mention_triples(mention: Mention, doc_iri: str, doc: str, page: int | None) -> list[tuple[str, str, str]]:
    node = _n(f"{doc_iri}/m/{mention.start}-{mention.end}")
    on_page = [(node, _kg("page"), _int(page))] if page is not None else []  # a PDF's page
    return [
        (node, A, _kg("Mention")),
        (node, _kg("mentionOf"), _n(entity_iri(mention.entity.id))),
        (node, _kg("inDocument"), doc),
        (node, _kg("surfaceForm"), _lit(mention.text)),
        (node, _kg("start"), _int(mention.start)),
        (node, _kg("end"), _int(mention.end)),
        (node, _kg("confidence"), _confidence(mention.confidence)),
        (node, _kg("method"), _lit(mention.method)),
    ] + on_page


def entities_nquads(entities: Iterable[Entity]) -> bytes:
    """graph:entities: the descriptions of ``entities``."""
    return _nquads((t for e in sorted(entities, key=lambda e: e.id) for t in entity_triples(e)), ENTITIES_GRAPH)


def entities_update(replaced: Iterable[str], entities: Iterable[Entity]) -> str:
    """SPARQL Update replacing in graph:entities the descriptions of the entity IRIs ``replaced``
    with those of ``entities``."""
    g = _n(ENTITIES_GRAPH)
    iris = " ".join(_n(iri) for iri in sorted(replaced))
    body = "".join(f"{s} {p} {o} .\n" for e in sorted(entities, key=lambda e: e.id) for s, p, o in entity_triples(e))
    return (f"DELETE {{ GRAPH {g} {{ ?e ?p ?o }} }} WHERE {{ VALUES ?e {{ {iris} }} GRAPH {g} {{ ?e ?p ?o }} }} ;\n"
            f"INSERT DATA {{ GRAPH {g} {{\n{body}}} }}")


def name_counts_nquads(counts: Iterable[tuple[str, str, str, int]]) -> bytes:
    """graph:names from (entity IRI, kind, name, count) rows: how many documents give an entity
    found in text a name as its label or as an alias, and how many of its mentions use a form
    of words ("label", "alias", "surface")."""
    return _nquads((t for row in sorted(counts) for t in _name_count_triples(*row)), NAMES_GRAPH)


def name_counts_update(entities: Iterable[str], counts: Iterable[tuple[str, str, str, int]]) -> str:
    """SPARQL Update replacing in graph:names the counts of the entity IRIs ``entities`` with
    ``counts`` (see :func:`name_counts_nquads`)."""
    g = _n(NAMES_GRAPH)
    iris = " ".join(_n(iri) for iri in sorted(entities))
    body = "".join(f"{s} {p} {o} .\n" for row in sorted(counts) for s, p, o in _name_count_triples(*row))
    return (f"DELETE {{ GRAPH {g} {{ ?u ?p ?o }} }} WHERE {{ VALUES ?e {{ {iris} }} "
            f"GRAPH {g} {{ ?u {_kg('countOf')} ?e ; ?p ?o }} }} ;\n"
            f"INSERT DATA {{ GRAPH {g} {{\n{body}}} }}")


def name_counts_query(entities: Iterable[str]) -> str:
    """SELECT ?e ?kind ?name ?n: graph:names' counts of the entity IRIs ``entities``."""
    iris = " ".join(_n(iri) for iri in sorted(entities))
    return (f"SELECT ?e ?kind ?name ?n {{ VALUES ?e {{ {iris} }} GRAPH {_n(NAMES_GRAPH)} {{ "
            f"?u {_kg('countOf')} ?e ; {_kg('nameKind')} ?kind ; {_kg('countedName')} ?name ; {_kg('nameCount')} ?n }} }}")


def _name_count_triples(iri: str, kind: str, name: str, count: int) -> list[tuple[str, str, str]]:
    node = _n(f"{iri}#{kind}-{hashlib.sha1(name.encode()).hexdigest()[:16]}")
    return [(node, _kg("countOf"), _n(iri)), (node, _kg("nameKind"), _lit(kind)),
            (node, _kg("countedName"), _lit(name)), (node, _kg("nameCount"), _int(count))]


def analytics_update(measures: Mapping[str, Mapping[str, int | float]]) -> str:
    """SPARQL Update replacing, in graph:analytics, every value of each measure in ``measures``.

    ``measures`` maps a kg: term (``"pageRank"``) to entity IRI -> value; int values are
    written as xsd:integer, floats as xsd:decimal with eight decimals. The values of other
    terms stay, so centrality and communities can be written by separate runs.
    """
    g = _n(ANALYTICS_GRAPH)
    parts = [f"DELETE WHERE {{ GRAPH {g} {{ ?e {_kg(term)} ?v }} }}" for term in sorted(measures)]
    triples = [f"{g} {_n(PROV + 'wasAttributedTo')} {_n(SOFTWARE)} ."]
    for term, values in sorted(measures.items()):
        for iri, value in sorted(values.items()):
            literal = _int(value) if isinstance(value, int) else _typed(f"{value:.8f}", "decimal")
            triples.append(f"{_n(iri)} {_kg(term)} {literal} .")
    body = "\n".join(triples)
    parts.append(f"INSERT DATA {{ GRAPH {g} {{\n{body}\n}} }}")
    return " ;\n".join(parts)


def fact_iri(subject: str, predicate: str, obj: str) -> str:
    """A stable IRI for the relation (subject, predicate, object), from a hash of its three IRIs."""
    return FACT + hashlib.sha1(f"{subject} {predicate} {obj}".encode()).hexdigest()[:20]


def facts_update(keys: Iterable[tuple[str, str, str]]) -> str:
    """SPARQL Update rewriting in graph:facts the kg:Fact of each relation ``keys`` names
    (subject, predicate, object IRIs), from what the store holds when it runs: the store does
    the work, in the same request as whatever precedes it, and finds each fact by its IRI.
    See :func:`facts_nquads` for what a fact says."""
    rows = sorted({(fact_iri(*key), *key) for key in keys})
    if not rows:
        return ""
    g = _n(FACTS_GRAPH)
    values = "VALUES (?f ?s ?p ?o) { " + " ".join(f"({' '.join(map(_n, row))})" for row in rows) + " }"
    facts = "VALUES ?f { " + " ".join(_n(row[0]) for row in rows) + " }"
    return (f"DELETE {{ GRAPH {g} {{ ?f ?x ?y }} }} WHERE {{ {facts} GRAPH {g} {{ ?f ?x ?y }} }} ;\n"
            + _facts_insert(values, facts))


def facts_rewrite() -> str:
    """SPARQL Update rewriting graph:facts whole, inside the store: what a SPARQL server runs
    after a build, so that no assertion leaves the server."""
    return f"DROP SILENT GRAPH {_n(FACTS_GRAPH)} ;\n" + _facts_insert("", "")


def _facts_insert(values: str, facts: str) -> str:
    """The updates inserting the facts ``values`` and ``facts`` restrict (VALUES blocks of
    ?f ?s ?p ?o and of ?f; empty: every fact)."""
    g = _n(FACTS_GRAPH)
    return f"""INSERT DATA {{ GRAPH {g} {{ {g} {_n(PROV + 'wasAttributedTo')} {_n(SOFTWARE)} }} }} ;
INSERT {{ GRAPH {g} {{ ?f {A} {_kg('Fact')} ; {_STATED} ; {_kg('documentCount')} ?documents ; {_kg('curated')} ?curated }} }}
WHERE {{ {{ {_fact_counts(values)} }} BIND(?inKb > 0 AS ?curated) }} ;
INSERT {{ GRAPH {g} {{ ?f {_kg('evidence')} ?evidence }} }}
WHERE {{ {{ {_fact_evidence(facts)} }} BIND(IRI(STRAFTER(?best, " ")) AS ?evidence) }}"""


def fact_counts_query() -> str:
    """SELECT, for every fact: ?f ?s ?p ?o ?documents ?inKb (see :func:`facts_nquads`)."""
    return _fact_counts("")


def fact_evidence_query() -> str:
    """SELECT, for every fact some document states: ?f ?best, its best assertion after a space."""
    return _fact_evidence("")


def facts_nquads(counts: Iterable[tuple[str, str, str, str, int, bool]], evidence: Mapping[str, str]) -> bytes:
    """graph:facts from (fact IRI, subject, predicate, object, documents, curated) rows and each
    fact's evidence. A fact counts the documents with an assertion that states it
    (``kg:statesFact``: neither negated nor hedged), says whether graph:kb records it, and points
    at its most confident such assertion (ties: the first IRI)."""
    triples = [(_n(FACTS_GRAPH), _n(PROV + "wasAttributedTo"), _n(SOFTWARE))]
    for fact, s, p, o, documents, curated in sorted(counts):
        node = _n(fact)
        triples += [
            (node, A, _kg("Fact")),
            (node, _n(RDF + "subject"), _n(s)),
            (node, _n(RDF + "predicate"), _n(p)),
            (node, _n(RDF + "object"), _n(o)),
            (node, _kg("documentCount"), _int(documents)),
            (node, _kg("curated"), _typed(str(curated).lower(), "boolean")),
        ]
        if fact in evidence:
            triples.append((node, _kg("evidence"), _n(evidence[fact])))
    return _nquads(triples, FACTS_GRAPH)


_STATED = f"{_n(RDF + 'subject')} ?s ; {_n(RDF + 'predicate')} ?p ; {_n(RDF + 'object')} ?o"


def _fact_counts(values: str) -> str:
    """Per fact (restricted by ``values``, a VALUES of ?f ?s ?p ?o): the documents whose
    assertions state it, and whether graph:kb records it (?inKb > 0)."""
    kb = _n(KB_GRAPH)
    fact = "" if values else (
        f'BIND(IRI(CONCAT("{FACT}", SUBSTR(SHA1(CONCAT(STR(?s), " ", STR(?p), " ", STR(?o))), 1, 20))) AS ?f)')
    return f"""SELECT ?f ?s ?p ?o (COUNT(DISTINCT ?in) AS ?documents) (SUM(?recorded) AS ?inKb) WHERE {{
      {{ {values} GRAPH ?in {{ ?a {_kg('statesFact')} ?f ; {_STATED} }} BIND(0 AS ?recorded) }}
      UNION
      {{ {values} GRAPH {kb} {{ ?s ?p ?o }}
         GRAPH {_n(ONTOLOGY_GRAPH)} {{ ?p {_n(RDFS + 'subPropertyOf')}* {_kg('relatedTo')} }}
         {fact} BIND(1 AS ?recorded) }}
  }} GROUP BY ?f ?s ?p ?o"""


def _fact_evidence(values: str) -> str:
    """Per fact (restricted by ``values``, a VALUES of ?f): ``?best``, "<rank> <IRI>" of its most
    confident assertion, then the first IRI. The rank is 10000 minus the confidence in
    ten-thousandths on five digits (confidences are written with two decimals), so MIN picks
    it in one pass. The optional confidence stands in a GRAPH block of its own: inside the
    assertion's, Oxigraph joins a VALUES of facts a hundred times slower."""
    return f"""SELECT ?f (MIN(?rank) AS ?best) WHERE {{
      {values} GRAPH ?in {{ ?a {_kg('statesFact')} ?f }} OPTIONAL {{ GRAPH ?in {{ ?a {_kg('confidence')} ?given }} }}
      BIND(STR(10000 - {_n(XSD + "integer")}(ROUND(COALESCE(?given, 0.0) * 10000))) AS ?inverse)
      BIND(CONCAT(SUBSTR("00000", STRLEN(?inverse) + 1), ?inverse, " ", STR(?a)) AS ?rank)
  }} GROUP BY ?f"""


def digest_nquads(graph_iri: str, digest: str) -> bytes:
    """A graph's record of the SHA-1 of the data it was written from (kg:sourceDigest)."""
    return _nquads([(_n(graph_iri), _kg("sourceDigest"), _lit(digest))], graph_iri)


def digests_query(graph_iris: Iterable[str]) -> str:
    """SELECT ?g ?digest: the kg:sourceDigest each graph of ``graph_iris`` records."""
    values = " ".join(_n(iri) for iri in graph_iris)
    return f"SELECT ?g ?digest {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?g {_kg('sourceDigest')} ?digest }} }}"


def stale_nquads() -> bytes:
    """The mark a build leaves on graph:facts until it has rewritten it (see kg.facts)."""
    return _nquads([(_n(FACTS_GRAPH), _kg("stale"), _typed("true", "boolean"))], FACTS_GRAPH)


def _describe_document(document: Document, doc: str, extraction: Extraction) -> Iterator[tuple[str, str, str]]:
    title = document.title or document.id
    yield doc, A, _kg(document.type)
    yield doc, LABEL, _lit(title)
    yield doc, _n(DCTERMS + "title"), _lit(title)
    yield doc, _kg("documentId"), _lit(document.id)
    yield doc, _kg("sourceFile"), _lit(document.file or document.source)
    if document.date:
        yield doc, _n(DCTERMS + "date"), _date(document.date)
    if document.url:
        yield doc, _n(SCHEMA + "url"), _lit(document.url)
    if document.author:
        yield doc, _n(DCTERMS + "creator"), _lit(document.author)
    publisher = extraction.publisher
    if publisher is not None:
        yield doc, _kg("publishedBy"), _n(entity_iri(publisher.id))
    if extraction.speaker is not None:
        yield doc, _kg("speaker"), _n(entity_iri(extraction.speaker.id))
    if document.part_of:
        parent = _n(DOC + "report/" + slugify(document.part_of))
        yield doc, _kg("isPartOf"), parent
        yield parent, A, _kg("Report")
        yield parent, LABEL, _lit(document.part_of)
        yield parent, _n(DCTERMS + "title"), _lit(document.part_of)
        if publisher is not None:
            yield parent, _kg("publishedBy"), _n(entity_iri(publisher.id))


def relation_id(document_id: str, relation: Relation) -> str:
    """A stable IRI for one relation assertion: its document and a hash of what it states."""
    key = "\x1f".join((relation.subject.id, relation.predicate, relation.object.id, str(relation.start), str(relation.end)))
    return f"{document_iri(document_id)}/r/{hashlib.sha1(key.encode()).hexdigest()[:12]}"


def _relation_triples(relation: Relation, document: Document, asserted_by: Entity | None) -> list[tuple[str, str, str]]:
    """The evidence of a relation, and the plain fact unless it is negated or hedged."""
    subject, obj = _n(entity_iri(relation.subject.id)), _n(entity_iri(relation.object.id))
    predicate = _kg(relation.predicate)
    node = _n(relation_id(document.id, relation))
    doc = _n(document_iri(document.id))
    plain = not (relation.negated or relation.hedged)
    triples = [(subject, predicate, obj)] if plain else []
    triples += [
        (node, A, _kg("RelationAssertion")),
        (node, _n(RDF + "subject"), subject),
        (node, _n(RDF + "predicate"), predicate),
        (node, _n(RDF + "object"), obj),
        (node, _kg("sentence"), _lit(relation.sentence)),
        (node, _kg("start"), _int(relation.start)),
        (node, _kg("end"), _int(relation.end)),
        *([(node, _kg("page"), _int(page))] if (page := document.page_at(relation.start)) is not None else []),
        (node, _kg("confidence"), _confidence(relation.confidence)),
        (node, _kg("method"), _lit(relation.method)),
        (node, _n(PROV + "wasDerivedFrom"), doc),
    ]
    if plain:
        key = entity_iri(relation.subject.id), str(KG._NS) + relation.predicate, entity_iri(relation.object.id)
        triples.append((node, _kg("statesFact"), _n(fact_iri(*key))))
    if relation.trigger:
        triples.append((node, _kg("trigger"), _lit(relation.trigger)))
    for flag in ("negated", "hedged"):
        if getattr(relation, flag):
            triples.append((node, _kg(flag), _typed("true", "boolean")))
    if asserted_by is not None:
        triples.append((node, _kg("assertedBy"), _n(entity_iri(asserted_by.id))))
    if document.date:
        triples.append((node, _n(DCTERMS + "date"), _date(document.date)))
    return triples


def ontology_nquads(path: str) -> bytes:
    """graph:ontology: the ontology file, so queries can follow subproperties and classes."""
    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    with open(path, "rb") as handle:
        dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object, graph) for t in ox.parse(handle, format=ox.RdfFormat.TURTLE))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)  # stable blank-node labels

    def skolem(term: ox.Term) -> ox.Term:  # blank nodes would get new labels on every load
        return ox.NamedNode(f"{ONTOLOGY_GRAPH}/genid/{term.value}") if isinstance(term, ox.BlankNode) else term

    quads = (ox.Quad(skolem(q.subject), q.predicate, skolem(q.object), graph) for q in dataset)
    return ox.serialize(sorted(quads, key=str), format=ox.RdfFormat.N_QUADS)
