"""The objects that travel through the pipeline.

    documents --ingest--> Document --extract--> Extraction --graph--> RDF quads

All are frozen dataclasses: a stage returns new objects, it never edits the ones it was given.
Offsets are Python string indices into ``Document.text`` (end exclusive).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

# Ontology classes an entity can have (local names in the kg: ontology).
ENTITY_TYPES = (
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

# The first part of an entity's id, by class: "country/CHN", "party/bharatiya-janata-party".
SEGMENTS = {
    "Country": "country",
    "InternationalOrganization": "igo",
    "Initiative": "initiative",
    "Region": "region",
    "Place": "place",
    "PoliticalParty": "party",
    "Organization": "org",
    "Person": "person",
    "Event": "event",
    "LegalInstrument": "instrument",
}

# Ontology classes a document can have: all are kinds of kg:Report (a publication).
DOCUMENT_TYPES = ("Report", "Chapter", "Article", "Speech")


@dataclass(frozen=True)
class Document:
    """One publication: its text and what is known about it.

    ``id`` is stable across runs (derived from the file name, a JSONL ``id`` or a title),
    so that rebuilding a document replaces its named graph.
    """

    id: str
    text: str
    source: str
    title: str | None = None
    url: str | None = None
    date: str | None = None  # ISO 8601: "2023", "2023-09" or "2023-09-19"
    publisher: str | None = None
    author: str | None = None
    type: str = "Report"  # one of DOCUMENT_TYPES
    part_of: str | None = None  # title of the publication this one is part of
    speaker_iso3: str | None = None  # country a speech is delivered for
    # The file's name in the graph (kg:sourceFile), the same wherever the build runs: its path
    # under the folder the build was given, starting with that folder's name ("sample/ungd/
    # CHN_76_2021.txt"); ``source`` is the path as given, for messages.
    file: str | None = None
    # The pages of a PDF's text: (offset, page) pairs, the 1-based page of text[offset:] up to
    # the next pair; empty for a format without pages.
    pages: tuple[tuple[int, int], ...] = ()

    def page_at(self, offset: int) -> int | None:
        """The page the character at ``offset`` is printed on, if the document has pages.

        >>> Document("r", "ab\n\ncd", "r.pdf", pages=((0, 3), (4, 4))).page_at(5)
        4
        """
        index = bisect.bisect_right(self.pages, (offset, float("inf")))
        return self.pages[index - 1][1] if index else None


@dataclass(frozen=True)
class Entity:
    """A canonical thing the graph talks about.

    ``id`` is ``<segment>/<key>`` (for example ``country/CHN`` or
    ``initiative/belt-and-road-initiative``); the graph module turns it into an IRI.
    """

    id: str
    label: str
    type: str  # one of ENTITY_TYPES
    aliases: tuple[str, ...] = ()
    iso2: str | None = None
    iso3: str | None = None
    wikidata: str | None = None
    official_name: str | None = None
    demonyms: tuple[str, ...] = ()
    capitals: tuple[str, ...] = ()
    in_kb: bool = True  # False for names found in text outside the knowledge base


@dataclass(frozen=True)
class Mention:
    """A span of the document text that refers to an entity."""

    text: str
    start: int
    end: int
    entity: Entity
    confidence: float
    method: str  # how it was found, e.g. "gazetteer", "acronym", "pattern:party"


@dataclass(frozen=True)
class Relation:
    """A typed link between two entities, stated in one sentence of a document."""

    subject: Entity
    predicate: str  # local name of an ontology property, e.g. "partnerOf"
    object: Entity
    sentence: str
    start: int  # offsets of the sentence in the document text
    end: int
    confidence: float
    method: str  # extractor rule, e.g. "pattern:partnerOf"
    trigger: str = ""  # the words that signalled the relation
    negated: bool = False  # "does not support": kept as evidence, not as a fact
    hedged: bool = False  # "could support", "if X were to join": likewise
    asserted_by: Entity | None = None  # "X said that ...": who the document reports as saying it


@dataclass(frozen=True)
class Extraction:
    """What the extractor found in one document."""

    document: Document
    mentions: tuple[Mention, ...] = ()
    relations: tuple[Relation, ...] = ()
    publisher: Entity | None = None  # the organization that published the document
    speaker: Entity | None = None  # the country a speech is delivered for

    @property
    def entities(self) -> tuple[Entity, ...]:
        """Distinct entities mentioned, related, publishing or speaking, in first-seen order."""
        seen: dict[str, Entity] = {}
        for entity in (
            *(m.entity for m in self.mentions),
            *(e for r in self.relations for e in (r.subject, r.object)),
            *(e for e in (self.publisher, self.speaker) if e is not None),
        ):
            seen.setdefault(entity.id, entity)
        return tuple(seen.values())


DOCUMENT_TIMEOUT = 120.0  # seconds one document may take to extract; a normal one takes under one
# Fifty times the largest UN speech (100 KB), five times a long report, yet low enough for a
# build to stay under 1 GB: two 4.9 MB texts extracted at once peaked at 705 MiB, one 4.9 MB
# HTML page (parsed in the main process, extracted in a worker) at 520 MiB.
DEFAULT_MAX_DOCUMENT_BYTES = 5_000_000


@dataclass
class BuildReport:
    """Counts and failures of one build, for the CLI summary."""

    documents: int = 0  # documents built (written, or found unchanged in the store)
    written: int = 0  # of those, documents whose graph the build wrote: new or changed
    failed: list[str] = field(default_factory=list)  # one line per failed input
    created: bool = False  # the build made a new store
