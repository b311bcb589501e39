"""What a build is given, checked before anything is created: every path must name something to read.

A mistyped path or a folder without documents is a mistake in the command, not a bad input
among good ones: the build refuses it in one line before it takes the store's lock or
creates a store, so nothing is left behind.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from kg.errors import KgError, printable
from kg.ingest import READERS, _walk
from kg.ingest.address import is_address


def check_paths(paths: Iterable[str | Path]) -> None:
    """Raise a KgError naming the first of ``paths`` that does not exist, or that is a folder
    holding no file of a type kg reads (hidden entries aside). A folder is read only up to its
    first document; an unreadable folder is left to the build, which reports it. Web addresses
    are left to the build too: whether one can be read is known only by fetching it."""
    for given in paths:
        if is_address(given):
            continue
        path = Path(given)
        shown = printable(path.as_posix())
        if not os.path.lexists(path):
            raise KgError(f"{shown}: no such file or folder; give files or folders of documents")
        if path.is_dir() and next(_walk(path), None) is None:
            raise KgError(f"{shown}: no documents in this folder (kg reads {', '.join(sorted(READERS))} files)")
