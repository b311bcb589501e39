"""The SPARQL 1.1 service description of the endpoint, in Turtle."""

from __future__ import annotations

import pyoxigraph as ox

from kg.server.messages import ServerSettings
from kg.server.negotiate import GRAPH_FORMATS, RESULT_FORMATS, W3C_FORMATS

SD = "http://www.w3.org/ns/sparql-service-description#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DCTERMS_TITLE = ox.NamedNode("http://purl.org/dc/terms/title")


def service_description(endpoint: str, settings: ServerSettings) -> bytes:
    """What ``endpoint`` speaks: languages, result formats, and the union default graph."""
    service, dataset, default_graph = ox.BlankNode(), ox.BlankNode(), ox.BlankNode()
    languages = ["SPARQL11Query"] + (["SPARQL11Update"] if settings.allow_updates else [])
    features = ["UnionDefaultGraph"] + (["BasicFederatedQuery"] if settings.allow_service else [])
    facts = [
        (service, RDF_TYPE, _sd("Service")),
        (service, _sd("endpoint"), ox.NamedNode(endpoint)),
        (service, DCTERMS_TITLE, ox.Literal("kg SPARQL endpoint")),
        *((service, _sd("supportedLanguage"), _sd(name)) for name in languages),
        *((service, _sd("feature"), _sd(name)) for name in features),
        *((service, _sd("resultFormat"), ox.NamedNode(W3C_FORMATS + f.w3c)) for f in RESULT_FORMATS + GRAPH_FORMATS),
        (service, _sd("defaultDataset"), dataset),
        (dataset, RDF_TYPE, _sd("Dataset")),
        (dataset, _sd("defaultGraph"), default_graph),
        (default_graph, RDF_TYPE, _sd("Graph")),
    ]
    triples = [ox.Triple(*fact) for fact in facts]
    prefixes = {"sd": SD, "fmt": W3C_FORMATS, "dcterms": "http://purl.org/dc/terms/"}
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)
