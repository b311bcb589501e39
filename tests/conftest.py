"""Shared fixtures: an Oxigraph SPARQL server and a Virtuoso for the session, and a store of each backend."""

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


def _wait_for(port: int, process: subprocess.Popen, seconds: float = 30.0, name: str = "oxigraph serve") -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with status {process.returncode}: {process.stderr.read()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{name} did not listen on port {port} within {seconds} s")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


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
        _stop(process)


# What a new Virtuoso needs to take kg's writes, as the README says: the SPARQL user, whose rights
# /sparql and /sparql-graph-crud run with, may update.
VIRTUOSO_GRANTS = 'GRANT SPARQL_UPDATE TO "SPARQL";'


def _virtuoso_ini(folder: Path, sql_port: int, http_port: int) -> str:
    """A virtuoso.ini for a database in ``folder``, on 127.0.0.1 only, with the limits Debian's
    own virtuoso.ini sets (ResultSetMaxRows 10000 among them), and little memory."""
    return f"""[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CheckpointInterval = 60
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
EnabledDavVSP = 0
ServerThreads = 10
MaxClientConnections = 10
[SPARQL]
ResultSetMaxRows = 10000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 60
"""


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The store URL of a Virtuoso: ``KG_TEST_VIRTUOSO_URL``, else one started for the session.

    Debian's virtuoso-opensource (``virtuoso-t``, ``isql-vt``) runs a new database in a temporary
    folder on free ports of 127.0.0.1, with the grants of :data:`VIRTUOSO_GRANTS`. Without it the
    tests that need it are skipped, except in CI, where they fail (``make test`` installs it).
    """
    if os.environ.get("KG_TEST_VIRTUOSO_URL"):
        yield os.environ["KG_TEST_VIRTUOSO_URL"]
        return
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if server is None or isql is None:
        reason = "Virtuoso is not installed (Debian: apt-get install virtuoso-opensource)"
        if os.environ.get("CI"):
            pytest.fail(reason + "; CI must install it (make test does)")
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = _free_port(), _free_port()
    (folder / "virtuoso.ini").write_text(_virtuoso_ini(folder, sql_port, http_port))
    process = subprocess.Popen([server, "+foreground", "+configfile", "virtuoso.ini"], cwd=folder,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(sql_port, process, 120, "virtuoso-t")
        _wait_for(http_port, process, 120, "virtuoso-t")
        granted = subprocess.run([isql, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={VIRTUOSO_GRANTS}"],
                                 capture_output=True, text=True, timeout=60, check=False)
        if granted.returncode or "*** Error" in granted.stderr:  # isql-vt exits 0 after an SQL error
            raise RuntimeError(f"isql-vt could not grant what kg needs: {granted.stderr.strip()}")
        yield f"virtuoso+http://127.0.0.1:{http_port}"
    finally:
        _stop(process)


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
