"""Analytics results as text: aligned tables for reading, CSV for other tools.

Tables and CSV come from :func:`kg.query.format_result`, so they look like ``kg query``'s:
IRIs are shortened in tables and written whole in CSV.
"""

from __future__ import annotations

import networkx as nx
import pyoxigraph as ox

from kg.analyze.measures import Centrality, Community
from kg.analyze.paths import Path
from kg.analyze.trends import Trend
from kg.query import Solutions, format_result

FORMATS = ("table", "csv")
MEMBERS_SHOWN = 6  # members named per community in a table

Cell = str | int | float | None


def format_centrality(rows: list[Centrality], fmt: str) -> str:
    """One row per entity: rank, label, type, degree, PageRank, betweenness, IRI."""
    columns = ("rank", "entity", "type", "degree", "pagerank", "betweenness", "iri")
    return _format(columns, [
        (rank, c.label, c.type, c.degree, f"{c.pagerank:.6f}", f"{c.betweenness:.6f}", ox.NamedNode(c.iri))
        for rank, c in enumerate(rows, start=1)
    ], fmt)


def format_communities(found: list[Community], fmt: str) -> str:
    """A table: each community, its size and its most linked members; CSV: one row per entity."""
    if fmt == "csv":
        rows = [(c.number, label, ox.NamedNode(iri)) for c in found for iri, label in zip(c.members, c.labels)]
        return _format(("community", "entity", "iri"), rows, fmt)
    rows = [(c.number, len(c.members), ", ".join(c.labels[:MEMBERS_SHOWN]) + (", …" if len(c.members) > MEMBERS_SHOWN else ""))
            for c in found]
    return format_result(_solutions(("community", "size", "members"), rows), fmt, max_cell=100)


def format_comentions(network: nx.Graph, top: int, fmt: str) -> str:
    """The ``top`` pairs of entities named together in the most documents."""
    pairs = sorted(network.edges(data="weight"), key=lambda e: (-e[2], e[0], e[1]))[:top]
    label = network.nodes
    rows = [(rank, label[a]["label"], label[b]["label"], weight, ox.NamedNode(a), ox.NamedNode(b))
            for rank, (a, b, weight) in enumerate(pairs, start=1)]
    return _format(("rank", "entity", "other", "documents", "iri", "other_iri"), rows, fmt)


def format_trend(found: Trend, fmt: str) -> str:
    """One row per year: documents naming the entity, mentions, share of that year's documents."""
    rows = [(y.year, y.documents, y.mentions, f"{y.share:.3f}", y.corpus) for y in found.years]
    return _format(("year", "documents", "mentions", "share", "all_documents"), rows, fmt)


def format_path(path: Path, fmt: str) -> str:
    """Each hop with its facts and their evidence: as text (``table``) or one CSV row per evidence."""
    name = path.labels
    if fmt == "csv":
        rows = [(hop, name[link.subject], link.predicate, name[link.object], e.sentence, e.start, e.end,
                 ox.NamedNode(e.document), e.title, e.date)
                for hop, links in enumerate(path.hops, start=1) for link in links for e in link.evidence]
        columns = ("hop", "subject", "predicate", "object", "sentence", "start", "end", "document", "title", "date")
        return _format(columns, rows, fmt)
    via = "relations" if path.network == "relations" else "co-mentions (no chain of relations joins them)"
    lines = [f"{' -> '.join(name[iri] for iri in path.entities)}  ({len(path.hops)} hops, via {via})"]
    for hop, links in enumerate(path.hops, start=1):
        for link in links:
            more = f" ({link.total} in all)" if link.total > len(link.evidence) else ""
            lines.append(f"{hop}. {name[link.subject]} {link.predicate} {name[link.object]}{more}")
            for e in link.evidence:
                source = f"{e.title}, {e.date}" if e.date else e.title
                lines.append(f"     \"{e.sentence}\"\n       ({source})" if e.sentence else f"     {source}")
    return "\n".join(lines) + "\n"


def _format(columns: tuple[str, ...], rows: list[tuple[Cell | ox.NamedNode, ...]], fmt: str) -> str:
    return format_result(_solutions(columns, rows), fmt)


def _solutions(columns: tuple[str, ...], rows: list[tuple[Cell | ox.NamedNode, ...]]) -> Solutions:
    def term(cell: Cell | ox.NamedNode) -> ox.NamedNode | ox.Literal | None:
        return cell if isinstance(cell, ox.NamedNode) or cell is None else ox.Literal(str(cell))

    return Solutions(columns, tuple(tuple(term(c) for c in row) for row in rows))
