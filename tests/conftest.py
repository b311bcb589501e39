"""Shared fixtures: an Oxigraph SPARQL server for the session, and a store of each backend."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.build import build_store
from kg.resources import SAMPLE_DIR
from kg.store import Store


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"oxigraph serve exited with status {process.returncode}: {process.stderr.read()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"oxigraph serve did not listen on port {port} within {seconds} s")


@pytest.fixture(scope="session")
def sparql_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of an Oxigraph server: ``KG_TEST_SPARQL_URL``, else one started for the session.

    The server runs without ``--union-default-graph``: the store must ask for the union itself.
    Without the ``oxigraph`` command (``pip install -e '.[test]'``) the tests that need it are
    skipped, except in CI, where they fail.
    """
    if os.environ.get("KG_TEST_SPARQL_URL"):
        yield os.environ["KG_TEST_SPARQL_URL"]
        return
    command = shutil.which("oxigraph") or shutil.which("oxigraph", path=str(Path(sys.executable).parent))
    if command is None:
        reason = "the oxigraph command (PyPI package oxigraph) is not installed"
        if os.environ.get("CI"):
            pytest.fail(reason + "; CI must install it (make test does)")
        pytest.skip(reason)
    port = _free_port()
    location = tmp_path_factory.mktemp("oxigraph-server")
    process = subprocess.Popen(
        [command, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        _wait_for(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def remote_store(sparql_server: str) -> Store:
    """The server's store, emptied."""
    store = Store(sparql_server)
    store.update("DROP SILENT ALL")
    return store


@pytest.fixture(params=["embedded", "remote"])
def any_store(request: pytest.FixtureRequest) -> Store:
    """An empty store of each backend: embedded (in memory) and the Oxigraph server."""
    return Store() if request.param == "embedded" else request.getfixturevalue("remote_store")


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample built into a store folder, closed: open it read-only."""
    path = tmp_path_factory.mktemp("sample") / "store"
    _, store = build_store([SAMPLE_DIR], path, workers=1)
    store.close()
    return path
