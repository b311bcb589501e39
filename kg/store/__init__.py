"""The triple store: an embedded Oxigraph database in a folder, or any SPARQL 1.1 server.

``Store(location)`` opens either, by what ``location`` is (see :class:`Store`); both answer
the same queries the same way, with the union of all named graphs as the default graph.
"""

from __future__ import annotations

import os
from pathlib import Path

from kg.store.base import Change, Derive, QueryResult, Row, Store, is_url
from kg.store.embedded import EmbeddedStore, require_store
from kg.store.endpoints import PRESETS, Endpoints, endpoints
from kg.store.remote import RemoteStore

DEFAULT_STORE_DIR = Path(".kg") / "store"
STORE_ENV = "KG_STORE"  # the store's folder or URL when none is given


def default_location() -> str | Path:
    """The store named by ``KG_STORE``, else ``.kg/store``."""
    return os.environ.get(STORE_ENV) or DEFAULT_STORE_DIR


def open_existing(location: str | Path, *, read_only: bool = True) -> Store:
    """Open the store at ``location`` for a command that reads it (or updates what it holds):
    a folder that holds no store is a KgError saying how to build one, and nothing is created.
    A server's store is not checked here: it answers for itself."""
    if not is_url(location):
        require_store(Path(location))
    return Store(location, read_only=read_only)


def open_store(location: str | Path | None = None, *, read_only: bool = False) -> Store:
    """Open the store at ``location`` (a folder or a SPARQL server URL; default: :func:`default_location`)."""
    return Store(location or default_location(), read_only=read_only)


__all__ = [
    "DEFAULT_STORE_DIR", "PRESETS", "STORE_ENV", "Change", "Derive", "EmbeddedStore", "Endpoints", "QueryResult",
    "RemoteStore", "Row", "Store", "default_location", "endpoints", "is_url", "open_existing",
    "open_store", "require_store",
]
