"""Content negotiation: the serialization a client gets, from ``?format=`` or its Accept header.

SELECT and ASK results come as SPARQL JSON, XML, CSV or TSV; CONSTRUCT and DESCRIBE graphs as
Turtle, N-Triples, JSON-LD or RDF/XML. ``?format=`` (a short name or a media type) wins over
Accept where Accept allows it; without either, a client gets the first format of each list.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from kg.server.messages import HttpError

W3C_FORMATS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class Format:
    """One serialization: its media types (the first is sent), ``?format=`` names and W3C IRI."""

    media_types: tuple[str, ...]
    names: tuple[str, ...]
    w3c: str
    results: ox.QueryResultsFormat | None = None
    rdf: ox.RdfFormat | None = None

    @property
    def media_type(self) -> str:
        return self.media_types[0]


RESULT_FORMATS = (
    Format(("application/sparql-results+json", "application/json"), ("json", "srj"),
           "SPARQL_Results_JSON", results=ox.QueryResultsFormat.JSON),
    Format(("application/sparql-results+xml", "application/xml", "text/xml"), ("xml", "srx"),
           "SPARQL_Results_XML", results=ox.QueryResultsFormat.XML),
    Format(("text/csv",), ("csv",), "SPARQL_Results_CSV", results=ox.QueryResultsFormat.CSV),
    Format(("text/tab-separated-values",), ("tsv",), "SPARQL_Results_TSV", results=ox.QueryResultsFormat.TSV),
)
GRAPH_FORMATS = (
    Format(("text/turtle", "application/turtle", "application/x-turtle"), ("turtle", "ttl"),
           "Turtle", rdf=ox.RdfFormat.TURTLE),
    Format(("application/n-triples",), ("ntriples", "nt", "n-triples"), "N-Triples", rdf=ox.RdfFormat.N_TRIPLES),
    Format(("application/ld+json", "application/x-json+ld", "application/json"), ("json-ld", "jsonld", "json"),
           "JSON-LD", rdf=ox.RdfFormat.JSON_LD),
    Format(("application/rdf+xml", "application/xml", "text/xml"), ("rdf+xml", "rdfxml", "xml"),
           "RDF_XML", rdf=ox.RdfFormat.RDF_XML),
)


def parse_accept(accept: str) -> dict[str, float]:
    """Media ranges of an Accept header with their quality: ``{"text/csv": 1.0, "*/*": 0.1}``."""
    ranges: dict[str, float] = {}
    for item in accept.split(","):
        media, *params = (part.strip() for part in item.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        if media:
            ranges.setdefault(media.lower(), quality)
    return ranges


def choose(formats: tuple[Format, ...], accept: str | None, format_param: str | None) -> Format:
    """The format to send; HttpError 406 when the client accepts none of ``formats``.

    ``?format=`` wins where the Accept header allows it (or is absent). A format the Accept
    header rules out while it allows another gives way to it; so does a name that fits nothing
    here when the header names an offered type itself (SPARQLWrapper sends ``format=n3`` with
    an Accept header that lists Turtle), but not when it only has wildcards.
    """
    named = _named(formats, format_param) if format_param else None
    ranges = parse_accept(accept) if accept else None
    if named is not None and (ranges is None or _quality(named, ranges) > 0):
        return named
    if ranges is not None:
        best = max(formats, key=lambda fmt: _quality(fmt, ranges))  # the first of equals
        named_explicitly = any(ranges.get(media, 0) > 0 for fmt in formats for media in fmt.media_types)
        if _quality(best, ranges) > 0 and (named is not None or not format_param or named_explicitly):
            return best
    if named is not None:
        return named
    if format_param:
        names = ", ".join(f.names[0] for f in formats)
        raise HttpError(406, f"format {format_param!r} does not fit this result; use one of {names}")
    if ranges is None:
        return formats[0]
    offered = ", ".join(f.media_type for f in formats)
    raise HttpError(406, f"nothing here matches Accept: {accept}; this result is available as {offered}")


def _named(formats: tuple[Format, ...], format_param: str) -> Format | None:
    wanted = format_param.strip().lower()
    return next((fmt for fmt in formats if wanted in fmt.names or wanted in fmt.media_types), None)


def _quality(fmt: Format, ranges: dict[str, float]) -> float:
    """The quality of the most specific range that matches ``fmt``, or 0."""
    for media in fmt.media_types:
        if media in ranges:
            return ranges[media]
    kind = fmt.media_type.split("/")[0] + "/*"
    return ranges.get(kind, ranges.get("*/*", 0.0))
