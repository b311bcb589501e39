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
    per_client: int | None = None  # queries one client address may run at once (default: workers - 1)
    max_query_memory: int = 1 << 30  # bytes a query's process may grow by before it is stopped
    allow_updates: bool = False
    update_token: str | None = None
    allow_service: frozenset[str] = frozenset()  # hosts that SERVICE may call
    queries_dir: Path = QUERIES_DIR

    def __post_init__(self) -> None:
        if self.allow_updates and not self.update_token:
            raise KgError("--allow-updates needs a token: give --update-token or set KG_UPDATE_TOKEN")
        if self.timeout <= 0 or self.max_results <= 0 or self.workers <= 0 or self.max_query_memory <= 0:
            raise KgError("--timeout, --max-results, --max-query-memory and the number of workers must be positive")
        if self.per_client is None:
            object.__setattr__(self, "per_client", max(1, self.workers - 1))
        object.__setattr__(self, "allow_service", frozenset(h.lower() for h in self.allow_service))


@dataclass(frozen=True)
class Request:
    """One HTTP request; header names are lower-case."""

    method: str
    target: str  # path and query string, as in the request line
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    client: str = ""  # the client's address, for its share of the query slots


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
