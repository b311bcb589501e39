"""Run SPARQL over a store in tests, with the project's prefixes, and get plain values."""

from __future__ import annotations

from kg.graph import SPARQL_PREFIXES
from kg.store import Store


def rows(store: Store, query: str) -> list[dict[str, str]]:
    return [{k: v.value for k, v in row.items()} for row in store.select(SPARQL_PREFIXES + query)]
