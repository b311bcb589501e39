"""Publications as nodes of the view: reports, chapters, articles and speeches.

A publication is linked to the entities it mentions (kg:mentions, with how many times), to
the publication it is part of (kg:isPartOf: a chapter to its report), to its publisher
(kg:publishedBy) and, for a speech, to its speaker (kg:speaker). A view draws the documents
it involves when there are at most ``DOCUMENT_LIMIT`` of them; otherwise the page carries the
``DOCUMENT_LIMIT`` most relevant, hidden until the reader turns them on. A document node is
linked to the ``ABOUT`` entities it names most among those drawn (in a document's own view:
to all of them); the rest are listed when it is clicked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from kg.graph import DOC, SPARQL_PREFIXES, document_graph_iri
from kg.store import Store

KINDS = ("Report", "Chapter", "Article", "Speech")  # the ontology's publication classes
DOCUMENT_LIMIT = 60  # documents a view draws; above, the most relevant on a toggle
ABOUT = 8  # entities a document node is linked to (the ones it names most)
LABEL_LENGTH = 30  # characters of a title shown as a node label
NODE_PREFIX = "doc:"

PUBLICATIONS = SPARQL_PREFIXES + """
SELECT ?d ?kind (MIN(?t) AS ?title) (MIN(?l) AS ?label) (MIN(?i) AS ?id)
       (MIN(STR(?date)) AS ?when) (MIN(STR(?u)) AS ?url) WHERE {
  VALUES ?kind { kg:Report kg:Chapter kg:Article kg:Speech }
  ?d a ?kind .
  OPTIONAL { ?d dcterms:title ?t } OPTIONAL { ?d rdfs:label ?l } OPTIONAL { ?d kg:documentId ?i }
  OPTIONAL { ?d dcterms:date ?date } OPTIONAL { ?d schema:url ?u }
} GROUP BY ?d ?kind"""

# What each document names, publishes, speaks for or is part of.
LINKS = SPARQL_PREFIXES + """
SELECT ?d ?p ?x WHERE { VALUES ?p { kg:mentions kg:publishedBy kg:speaker kg:isPartOf } ?d ?p ?x }"""

@dataclass(frozen=True)
class Publication:
    """A report, chapter, article or speech, as the view draws it."""

    id: str  # the node id: "doc:" and the IRI after doc:, e.g. "doc:CHN_78_2023"
    iri: str
    kind: str  # one of KINDS
    title: str
    doc_id: str | None  # kg:documentId; a report known only from its chapter has none
    year: int | None
    url: str | None  # schema:url, when it is http(s)
    part_of: tuple[str, ...] = ()  # node ids of the publications it is part of
    publishers: tuple[str, ...] = ()  # entity ids
    speakers: tuple[str, ...] = ()  # entity ids
    mentions: tuple[tuple[str, int], ...] = ()  # (entity id, times named), most named first

    @property
    def named(self) -> frozenset[str]:
        """Every entity the document names, publishes or speaks for."""
        return frozenset((*(e for e, _ in self.mentions), *self.publishers, *self.speakers))


def rows_of(store: Store, sparql: str) -> Iterator[tuple[str | None, ...]]:
    """The rows of a SELECT as tuples of values (None where unbound), in the order of its
    variables: for large results, several times faster than reading them as dicts."""
    result = store.query(sparql)
    width = range(len(result.variables))
    for row in result:
        yield tuple(None if (term := row[i]) is None else term.value for i in width)


def node_id(iri: str) -> str:
    """The view's id of the publication ``iri``: ``doc:CHN_78_2023``."""
    return NODE_PREFIX + iri.removeprefix(DOC)


def is_document(node: str) -> bool:
    return node.startswith(NODE_PREFIX)


def read_publications(
    store: Store, entity_id: Callable[[str], str], entities: set[str],
    named_in_graph: dict[tuple[str, str], int],
) -> tuple[dict[str, Publication], dict[str, int], dict[str, tuple[int, ...]]]:
    """The store's publications by node id; for each entity, how many documents name it and
    the years of the dated ones that mention it. ``named_in_graph`` counts the mentions of each
    entity id in each named graph (IRI, entity id)."""
    links: dict[tuple[str, str], set[str]] = defaultdict(set)
    for d, p, x in rows_of(store, LINKS):
        links[d, p.rsplit("#", 1)[-1]].add(x)
    rows = sorted(store.select(PUBLICATIONS), key=lambda r: (r["d"].value, _order(r)))
    graphs = {document_graph_iri(r["id"].value): r["d"].value for r in rows if "id" in r}
    times: dict[str, dict[str, int]] = defaultdict(dict)
    for (graph, eid), n in named_in_graph.items():
        if (doc := graphs.get(graph)) is not None and eid in entities:
            times[doc][eid] = n
    found: dict[str, Publication] = {}
    for row in rows:
        iri = row["d"].value
        if node_id(iri) in found:  # typed twice: the most specific class came first
            continue
        value = {k: row[k].value for k in ("title", "label", "id", "when", "url") if k in row}
        year = value.get("when", "")[:4]
        url = value.get("url")
        own = {p: tuple(sorted(e for x in links[iri, p] if (e := entity_id(x)) in entities))
               for p in ("publishedBy", "speaker")}
        named = {e: 0 for x in links[iri, "mentions"] if (e := entity_id(x)) in entities} | times[iri]
        found[node_id(iri)] = Publication(
            id=node_id(iri), iri=iri, kind=row["kind"].value.rsplit("#", 1)[-1],
            title=value.get("title") or value.get("label") or value.get("id") or iri.removeprefix(DOC),
            doc_id=value.get("id"),
            year=int(year) if year.isdigit() else None,
            url=url if url and url.startswith(("https://", "http://")) else None,
            part_of=tuple(sorted(node_id(x) for x in links[iri, "isPartOf"])),
            publishers=own["publishedBy"], speakers=own["speaker"],
            mentions=_mentions(named, {*own["publishedBy"], *own["speaker"]}),
        )
    for doc in found.values():  # a part whose whole the store does not describe
        if any(p not in found for p in doc.part_of):
            found[doc.id] = replace(doc, part_of=tuple(p for p in doc.part_of if p in found))
    return dict(sorted(found.items())), *_per_entity(store, entity_id, links, times, found)


def _per_entity(
    store: Store, entity_id: Callable[[str], str], links: dict[tuple[str, str], set[str]],
    times: dict[str, dict[str, int]], found: dict[str, Publication],
) -> tuple[dict[str, int], dict[str, tuple[int, ...]]]:
    """Documents naming each entity (by kg:mentions, publishedBy, speaker or a mention), and
    the years of the dated publications that mention it (kg:mentions)."""
    docs: dict[str, set[str]] = defaultdict(set)
    years: dict[str, set[int]] = defaultdict(set)
    year_of = {doc.iri: doc.year for doc in found.values() if doc.year}
    for (doc, p), targets in links.items():
        if p == "isPartOf":
            continue
        for x in targets:
            eid = entity_id(x)
            docs[eid].add(doc)
            if p == "mentions" and doc in year_of:
                years[eid].add(year_of[doc])
    for doc, named in times.items():
        for eid in named:
            docs[eid].add(doc)
    return ({e: len(d) for e, d in docs.items()},
            {e: tuple(sorted(y)) for e, y in years.items()})


def _mentions(named: dict[str, int], own: set[str]) -> tuple[tuple[str, int], ...]:
    """What a document names, most first; its publisher or speaker only if the text names it."""
    kept = {e: n for e, n in named.items() if n or e not in own}
    return tuple(sorted(kept.items(), key=lambda kv: (-kv[1], kv[0])))


def _order(row: dict) -> int:
    """Chapter, Article and Speech before Report: a subclass is the more telling name."""
    kind = row["kind"].value.rsplit("#", 1)[-1]
    return (KINDS.index(kind) + 3) % len(KINDS) if kind in KINDS else len(KINDS)


def short_label(doc: Publication, labels: dict[str, str]) -> str:
    """A node label: a speech by its speaker and year, anything else by its title, cut short.

    >>> d = Publication("doc:x", "x", "Article", "Jammu and Kashmir in the Aftermath of August 2019", "x", 2019, None)
    >>> short_label(d, {})
    'Jammu and Kashmir in the…'
    """
    if doc.kind == "Speech" and doc.speakers and doc.speakers[0] in labels:
        return f"{labels[doc.speakers[0]]} speech{f' {doc.year}' if doc.year else ''}"
    if len(doc.title) <= LABEL_LENGTH:
        return doc.title
    cut = doc.title[: LABEL_LENGTH - 1].rsplit(" ", 1)[0].rstrip(" ,.:;–-")
    return cut + "…"


def about(
    doc: Publication, drawn: set[str], rank_key: Callable[[str], tuple], limit: int | None = ABOUT
) -> list[str]:
    """The drawn entities ``doc`` names most, the most central first among equals (speaker
    and publisher have links of their own)."""
    own = {*doc.publishers, *doc.speakers}
    counts = dict(doc.mentions)
    named = sorted((e for e in counts if e in drawn and e not in own),
                   key=lambda e: (-counts[e], rank_key(e)))
    return named if limit is None else named[:limit]


def by_entity(documents: dict[str, Publication]) -> dict[str, list[str]]:
    """For each entity, the publications that name it: most mentions first, then newest."""
    found: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for doc in documents.values():
        counts = dict(doc.mentions)
        for e in doc.named:
            found[e].append((-counts.get(e, 0), -(doc.year or 0), doc.id))
    return {e: [d for *_, d in sorted(items)] for e, items in found.items()}
