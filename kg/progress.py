"""What a long command is doing, shown on a terminal as one status line that rewrites itself.

A command reports into :class:`Progress` (what it is doing, how many of how many items it has
done); :class:`StatusLine` draws it every second on a terminal, and not at all when the output
goes to a file or a pipe or the user asked for quiet, so logs and tests see only the command's
own lines. With a total, the line says how long is left at the rate so far. In a build, a
document that keeps it waiting is named, with how long it has taken so far: one long document
is visible, not a silent stall.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from typing import TextIO

from kg.model import Document

SLOW_DOCUMENT = 10.0  # seconds of waiting on one document before the line names it
SLOW_FETCH = 2.0  # seconds of waiting on one web address before the line names it


class Progress:
    """Counts of a command, updated by it as it goes (from any thread); without a ``unit``,
    only the stage it is at."""

    def __init__(self, stage: str = "extracting", unit: str = "documents", total: int | None = None) -> None:
        self.started = time.monotonic()
        self.stage = stage
        self.unit = unit
        self.total = total
        self.done = 0
        self._waiting: deque[str] = deque()  # documents sent to extraction, oldest first
        self._since = self.started  # when the last item was done
        self._fetching: tuple[str, float] | None = None  # the web address being fetched, since when

    def sending(self, documents: Iterable[Document]) -> Iterator[Document]:
        """``documents``, noted as they go to extraction (results come back in the same order)."""
        for document in documents:
            self._waiting.append(document.source)
            yield document

    def extracted(self) -> None:
        if self._waiting:
            self._waiting.popleft()
        self.advance()

    def advance(self, count: int = 1) -> None:
        self.done += count
        self._since = time.monotonic()

    def fetching(self, url: str | None) -> None:
        """Note the web address being fetched (None: the fetch is over)."""
        self._fetching = (url, time.monotonic()) if url else None

    def line(self) -> str:
        now = time.monotonic()
        elapsed = now - self.started
        if not self.unit:  # a stage without counts: what it is doing, and for how long
            return f"{self.stage}: {elapsed:.0f} s"
        of = f" of {self.total}" if self.total and self.total >= self.done else ""
        text = f"{self.stage}: {self.done}{of} {self.unit} in {elapsed:.0f} s"
        if self.done and elapsed >= 1:
            rate = self.done / elapsed
            text += f" ({rate:.1f}/s"
            if of and self.total > self.done:
                text += f", about {(self.total - self.done) / rate:.0f} s left"
            text += ")"
        waited = now - self._since
        if self.stage == "extracting" and self._waiting and waited >= SLOW_DOCUMENT:
            text += f"; {self._waiting[0]} has taken {waited:.0f} s so far"
        if (fetching := self._fetching) and now - fetching[1] >= SLOW_FETCH:
            text += f"; fetching {fetching[0]} for {now - fetching[1]:.0f} s"
        return text


class StatusLine:
    """Draws ``progress`` on ``stream`` every ``interval`` seconds while it runs, when ``stream``
    is a terminal and ``quiet`` is false; the line is erased when it stops."""

    def __init__(self, progress: Progress, stream: TextIO, interval: float = 1.0, quiet: bool = False) -> None:
        self.progress = progress
        self.stream = stream
        self.interval = interval
        self.quiet = quiet
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._draw, daemon=True)

    def __enter__(self) -> StatusLine:
        if self.stream.isatty() and not self.quiet:
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
