"""Errors a user can act on. The CLI prints them as one line, never as a traceback."""

from __future__ import annotations


class KgError(Exception):
    """A problem with the user's input or settings, with what to do about it."""


class InputError(KgError):
    """One input file (or one line of it) could not be read as a document."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason
