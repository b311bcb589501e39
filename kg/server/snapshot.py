"""The store a server answers from, reopened when a build has changed it on disk.

A read-only embedded store sees the database as it was when it was opened. When its folder has
changed since (a build wrote to it, or replaced it) and no build is writing it now, the next
request reopens it, so ``kg serve`` keeps up with ``kg build`` without a restart. Every answer
says when the store it comes from was opened (``X-KG-Store-Opened``).
"""

from __future__ import annotations

import logging
import os
import time
from datetime import datetime, timezone
from pathlib import Path

from kg.errors import KgError
from kg.store import EmbeddedStore, Store
from kg.store.lock import writer

_log = logging.getLogger("kg.server")


class ServedStore:
    """Holds the open store; :meth:`current` is called with forks held off (the server's lock)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._path = store.path if isinstance(store, EmbeddedStore) and store.read_only_mode else None
        self._signature = _signature(self._path)
        self.opened = _now()

    def current(self) -> Store:
        """The store, reopened first if it changed on disk and no build is writing it."""
        if self._path is None:
            return self.store
        signature = _signature(self._path)
        if signature == self._signature or signature is None or writer(self._path) is not None:
            return self.store
        try:
            fresh = Store(self._path, read_only=True)
        except KgError as err:
            _log.warning("kept the store opened at %s: cannot reopen it (%s)", self.opened, err)
            return self.store
        self.store.close()
        self.store, self._signature, self.opened = fresh, signature, _now()
        _log.warning("reopened %s: a build changed it", self._path)
        return self.store


def _signature(path: Path | None) -> tuple[int, int] | None:
    """What changes when a database's files are added, removed or renamed, or its folder replaced."""
    if path is None:
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns


def _now() -> str:
    return datetime.fromtimestamp(time.time(), timezone.utc).isoformat(timespec="seconds")
