"""Fetched answers kept on disk, so that a rebuild reads them again without asking the server.

One entry per address asked for, under a digest of the address: ``<digest>.body`` holds the
body as received (decompressed), ``<digest>.json`` the address, the address that answered,
the content type, ETag, Last-Modified, whether it came from an internal network, when it was
fetched, and the body's size and SHA-256. The body is written first and each file is moved
into place whole, so an entry is complete or absent; an entry whose body does not match its
record is read as absent. Only successful answers are kept: a 404 or a timeout is asked again.
The folder is tagged with ``CACHEDIR.TAG`` so that backup tools skip it; deleting it loses
nothing but the time to fetch again.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from pathlib import Path

from kg.ingest.fetch import Response
from kg.store import is_url

_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# kg's cache of fetched web pages: safe to delete.\n"


def cache_beside(store: str | Path) -> Path:
    """Where a build into ``store`` keeps fetched pages: ``STORE.web-cache`` beside the store's
    folder (``.kg/store.web-cache``), like its lock; ``.kg/web-cache`` for a store on a SPARQL
    server.

    >>> cache_beside(Path(".kg/store")).as_posix(), cache_beside("http://127.0.0.1:7878").as_posix()
    ('.kg/store.web-cache', '.kg/web-cache')
    """
    if is_url(store):
        return Path(".kg") / "web-cache"
    store = Path(store)
    return store.with_name(store.name + ".web-cache")


class Cache:
    """The answers kept in ``folder`` (None: nothing kept, every run fetches afresh)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def get(self, url: str) -> Response | None:
        """The answer kept for ``url``, or None."""
        if self.folder is None:
            return None
        meta_path, body_path = self._paths(url)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            body = body_path.read_bytes()
        except (OSError, ValueError):
            return None
        if meta.get("url") != url or hashlib.sha256(body).hexdigest() != meta.get("sha256"):
            return None
        return Response(url, meta["final_url"], 200, meta.get("content_type", ""), body, meta.get("etag"),
                        meta.get("last_modified"), bool(meta.get("internal")))

    def put(self, response: Response) -> None:
        """Keep ``response`` (a 2xx) for its address."""
        if self.folder is None:
            return
        meta_path, body_path = self._paths(response.url)
        self._prepare(meta_path.parent)
        _write(body_path, response.body)
        meta = {"url": response.url, "final_url": response.final_url, "content_type": response.content_type,
                "etag": response.etag, "last_modified": response.last_modified, "internal": response.internal,
                "fetched": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "size": len(response.body),
                "sha256": hashlib.sha256(response.body).hexdigest()}
        _write(meta_path, json.dumps(meta, indent=1, ensure_ascii=False).encode("utf-8"))

    def _paths(self, url: str) -> tuple[Path, Path]:
        assert self.folder is not None
        key = hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()
        folder = self.folder / key[:2]
        return folder / f"{key}.json", folder / f"{key}.body"

    def _prepare(self, folder: Path) -> None:
        assert self.folder is not None
        if not (self.folder / "CACHEDIR.TAG").exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            _write(self.folder / "CACHEDIR.TAG", _TAG.encode())
        folder.mkdir(parents=True, exist_ok=True)


def _write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
