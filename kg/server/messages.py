"""What the server takes and gives: its settings, one HTTP request, one response.

Plain frozen dataclasses, so that the protocol logic runs and is tested without a socket.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import KgError
from kg.resources import QUERIES_DIR

TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class ServerSettings:
    """How ``kg serve`` runs. Updates need ``allow_updates`` and a token, or it refuses to start."""

    host: str = "127.0.0.1"
    port: int = 7879  # beside Oxigraph's 7878
    timeout: float = 10.0  # seconds a query may run before its process is killed
    max_results: int = 10_000  # rows of a SELECT, triples of a CONSTRUCT or DESCRIBE
    workers: int = 4  # queries running at once; more wait for a free slot
    allow_updates: bool = False
    update_token: str | None = None
    allow_service: frozenset[str] = frozenset()  # hosts that SERVICE may call
    graph_html: Path = Path("exports") / "graph.html"
    queries_dir: Path = QUERIES_DIR

    def __post_init__(self) -> None:
        if self.allow_updates and not self.update_token:
            raise KgError("--allow-updates needs a token: give --update-token or set KG_UPDATE_TOKEN")
        if self.timeout <= 0 or self.max_results <= 0 or self.workers <= 0:
            raise KgError("--timeout, --max-results and the number of workers must be positive")
        object.__setattr__(self, "allow_service", frozenset(h.lower() for h in self.allow_service))


@dataclass(frozen=True)
class Request:
    """One HTTP request; header names are lower-case."""

    method: str
    target: str  # path and query string, as in the request line
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(frozen=True)
class Response:
    """One HTTP response."""

    status: int
    body: bytes
    content_type: str = TEXT
    headers: tuple[tuple[str, str], ...] = ()


class HttpError(Exception):
    """A request the server refuses: an error status and a plain-text reason."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status

    def response(self) -> Response:
        return Response(self.status, (str(self) + "\n").encode())
