"""What a long build is doing, shown on a terminal as one status line that rewrites itself.

The build reports into :class:`Progress`; :class:`StatusLine` draws it every second on a
terminal, and not at all when the output goes to a file or a pipe, so logs and tests see only
the build's own lines. A document that keeps the build waiting is named, with how long it has
taken so far: one long document is visible, not a silent stall.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from typing import TextIO

from kg.model import Document

SLOW_DOCUMENT = 10.0  # seconds of waiting on one document before the line names it


class Progress:
    """Counts of a build, updated by it as it goes (from any thread)."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.documents = 0
        self.stage = "extracting"
        self._waiting: deque[str] = deque()  # documents sent to extraction, oldest first
        self._since = self.started  # when the last document came back

    def sending(self, documents: Iterable[Document]) -> Iterator[Document]:
        """``documents``, noted as they go to extraction (results come back in the same order)."""
        for document in documents:
            self._waiting.append(document.source)
            yield document

    def extracted(self) -> None:
        if self._waiting:
            self._waiting.popleft()
        self.documents += 1
        self._since = time.monotonic()

    def line(self) -> str:
        now = time.monotonic()
        elapsed = now - self.started
        text = f"{self.stage}: {self.documents} documents in {elapsed:.0f} s"
        if self.documents and elapsed >= 1:
            text += f" ({self.documents / elapsed:.1f}/s)"
        waited = now - self._since
        if self.stage == "extracting" and self._waiting and waited >= SLOW_DOCUMENT:
            text += f"; {self._waiting[0]} has taken {waited:.0f} s so far"
        return text


class StatusLine:
    """Draws ``progress`` on ``stream`` every ``interval`` seconds while it runs, when ``stream``
    is a terminal; the line is erased when it stops."""

    def __init__(self, progress: Progress, stream: TextIO, interval: float = 1.0) -> None:
        self.progress = progress
        self.stream = stream
        self.interval = interval
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._draw, daemon=True)

    def __enter__(self) -> StatusLine:
        if self.stream.isatty():
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._thread.is_alive():
            self._stop.set()
            self._thread.join()
            self._write("")

    def echo(self, line: str) -> None:
        """Write ``line`` on a line of its own, above the status line."""
        self._write(line + "\n") if self._thread.is_alive() else print(line, file=self.stream, flush=True)

    def _draw(self) -> None:
        while not self._stop.wait(self.interval):
            self._write(self.progress.line()[:200])

    def _write(self, text: str) -> None:
        with self._lock:
            self.stream.write("\r\033[K" + text)
            self.stream.flush()
