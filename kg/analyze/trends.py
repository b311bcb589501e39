"""How often the documents name an entity, year by year, and the chart of it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.graph import SPARQL_PREFIXES
from kg.store import Store

NAMED_PER_YEAR = SPARQL_PREFIXES + """
SELECT ?year (COUNT(DISTINCT ?d) AS ?documents) (SUM(?n) AS ?mentions) {{
  {{ SELECT DISTINCT ?d ?year {{ ?d kg:mentions {entity} ; dcterms:date ?date . BIND(SUBSTR(STR(?date), 1, 4) AS ?year) }} }}
  ?m kg:mentionOf {entity} ; kg:inDocument ?d .
  OPTIONAL {{ ?m kg:occurrences ?occurrences }}
  BIND(COALESCE(?occurrences, 1) AS ?n)
}} GROUP BY ?year"""
DOCUMENTS_PER_YEAR = SPARQL_PREFIXES + """
SELECT ?year (COUNT(DISTINCT ?d) AS ?documents) {
  ?d kg:documentId ?id ; dcterms:date ?date .
  BIND(SUBSTR(STR(?date), 1, 4) AS ?year)
} GROUP BY ?year"""


@dataclass(frozen=True)
class Year:
    """One year: documents naming the entity, its mentions in them, and all documents dated then."""

    year: int
    documents: int
    mentions: int
    corpus: int

    @property
    def share(self) -> float:
        """The fraction of that year's documents that name the entity."""
        return self.documents / self.corpus if self.corpus else 0.0


@dataclass(frozen=True)
class Trend:
    """An entity's yearly figures over every year the store has dated documents for."""

    iri: str
    label: str
    years: tuple[Year, ...]


def trend(store: Store, iri: str, label: str) -> Trend:
    """Documents naming ``iri`` and its mentions, per year of the documents' dates."""
    corpus = {int(r["year"].value): int(r["documents"].value) for r in store.select(DOCUMENTS_PER_YEAR)}
    named = {int(r["year"].value): r for r in store.select(NAMED_PER_YEAR.format(entity=f"<{iri}>"))}
    years = range(min(corpus), max(corpus) + 1) if corpus else range(0)
    return Trend(iri, label, tuple(
        Year(y, int(named[y]["documents"].value), int(named[y]["mentions"].value), corpus.get(y, 0))
        if y in named else Year(y, 0, 0, corpus.get(y, 0))
        for y in years
    ))


def draw_trend(found: Trend, path: str | Path) -> Path:
    """Write a PNG chart of ``found``: documents per year as bars, mentions as a line."""
    from matplotlib.figure import Figure  # heavy, and only needed here
    from matplotlib.ticker import MaxNLocator

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    years = [y.year for y in found.years]
    figure = Figure(figsize=(8, 4.5), dpi=100, layout="constrained")
    axes = figure.add_subplot()
    bars = axes.bar(years, [y.documents for y in found.years], color="#4c78a8", label="documents naming it")
    axes.bar_label(bars, padding=2, fontsize=8)
    axes.set_ylabel("documents")
    axes.set_xticks(years)
    mentions = axes.twinx()
    mentions.plot(years, [y.mentions for y in found.years], color="#e45756", marker="o", label="mentions")
    mentions.set_ylabel("mentions")
    for counts in (axes, mentions):
        counts.margins(y=0.12)  # room above the tallest bar's label
        counts.set_ylim(bottom=0)
        counts.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title(f"{found.label}: documents and mentions per year")
    figure.legend(loc="upper left", bbox_to_anchor=(0.08, 0.9))
    figure.savefig(path, format="png")
    return path
