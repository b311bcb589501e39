"""Builds that are killed, interrupted, run twice at once, or fed documents that fail: the store
keeps each document's old content or its new one, never neither, and every failure is one line.

The kill and interrupt cases run the real `kg` command in a process of its own; the slow,
many-times versions of them are in bench/bench_robustness.py.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg import graph
from kg.build import build_store, rewrite_derived
from kg.cli import main
from kg.resources import SAMPLE_DIR
from kg.store import Store
from kg.store.lock import StoreLock

KG = [sys.executable, "-c", "from kg.cli import main; main()"]
ADDED = "\n\nChina and Brazil signed a cooperation agreement on space technology.\n"


def graphs(store_path: Path) -> dict[str, frozenset[str]]:
    """The quads of each document's graph, by graph IRI."""
    store = ox.Store.read_only(str(store_path))
    found: dict[str, set[str]] = {}
    for quad in store.quads_for_pattern(None, None, None, None):
        if quad.graph_name.value.startswith(graph.GRAPH + "doc/"):
            found.setdefault(quad.graph_name.value, set()).add(str(quad))
    return {iri: frozenset(quads) for iri, quads in found.items()}


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict, dict]:
    """The sample's speeches, a store of them, and each document graph before and after every
    speech gains a sentence (the 'after' graphs from a fresh build)."""
    root = tmp_path_factory.mktemp("versions")
    docs = root / "docs"
    shutil.copytree(SAMPLE_DIR / "ungd", docs)
    old_store, new_store = root / "old", root / "new"
    build_store([docs], old_store, workers=1)[1].close()
    for path in docs.iterdir():
        path.write_text(path.read_text(encoding="utf-8") + ADDED, encoding="utf-8")
    build_store([docs], new_store, workers=1)[1].close()
    old, new = graphs(old_store), graphs(new_store)
    assert old.keys() == new.keys() and all(old[iri] != new[iri] for iri in old)
    return docs, old_store, old, new


def run_kg(*args: str, **options) -> subprocess.Popen:
    # Ctrl-C as a terminal delivers it: a test run started in the background (CI scripts, `cmd &`)
    # inherits SIGINT ignored, and so would kg, which then rightly ignores it too.
    return subprocess.Popen([*KG, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, preexec_fn=_default_sigint, **options)


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_rebuild_killed_at_any_moment_keeps_documents_old_or_new_and_facts_matching_them(versions, tmp_path: Path, seed: int) -> None:
    docs, old_store, old, new = versions
    store = tmp_path / "store"
    shutil.copytree(old_store, store)
    delay = random.Random(seed).uniform(0.5, 6.0)
    process = run_kg("build", str(docs), "--store", str(store), "--no-exports", "--workers", "1")
    try:
        process.wait(delay)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    found = graphs(store)
    assert found.keys() == old.keys(), "a document was lost"
    for iri, quads in found.items():
        assert quads in (old[iri], new[iri]), f"{iri} is neither its old nor its new version"
    derived = derived_graphs(store)
    copy = tmp_path / "copy"
    shutil.copytree(store, copy)
    with_all_rewritten = Store(copy)
    rewrite_derived(with_all_rewritten)
    with_all_rewritten.close()
    assert derived_graphs(copy) == derived, "facts or entity descriptions do not match the documents"
    rerun = CliRunner().invoke(main, ["build", str(docs), "--store", str(store), "--no-exports", "--workers", "1"])
    assert rerun.exit_code == 0 and graphs(store) == new


def derived_graphs(store_path: Path) -> dict[str, frozenset[str]]:
    store = ox.Store.read_only(str(store_path))
    return {name: frozenset(str(q) for q in store.quads_for_pattern(None, None, None, ox.NamedNode(name)))
            for name in (graph.FACTS_GRAPH, graph.ENTITIES_GRAPH)}


def test_a_second_build_of_the_same_store_is_refused_with_the_writers_pid(tmp_path: Path) -> None:
    store = tmp_path / "store"
    with StoreLock(store):
        process = run_kg("build", str(SAMPLE_DIR / "ungd" / "CHN_76_2021.txt"), "--store", str(store), "--no-exports")
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 1  # a failed run: the same command works once the other build is done
    assert stderr.strip() == f"kg: error: another kg build is writing {store} (pid {os.getpid()}); " \
                             "wait for it to finish, or build into another --store"
    assert not store.exists() and not store.with_name("store.partial").exists()


def test_two_builds_at_once_leave_one_whole_store(tmp_path: Path) -> None:
    store = tmp_path / "store"
    first = run_kg("build", str(SAMPLE_DIR), "--store", str(store), "--no-exports", "--workers", "1")
    deadline = time.monotonic() + 60
    while not (store.with_name("store.lock").exists() and store.with_name("store.lock").read_text().strip()):
        assert time.monotonic() < deadline and first.poll() is None
        time.sleep(0.01)
    second = run_kg("build", str(SAMPLE_DIR), "--store", str(store), "--no-exports", "--workers", "1")
    _, second_err = second.communicate(timeout=120)
    first.communicate(timeout=120)
    assert first.returncode == 0
    assert second.returncode == 1 and "another kg build is writing" in second_err and "Traceback" not in second_err
    assert len(Store(store, read_only=True).select(f"SELECT ?d {{ ?d a <{graph.KG._NS}Speech> }}")) == 12


def test_ctrl_c_stops_a_build_and_leaves_no_partial_store(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for copy in range(6):  # enough work that the build is still extracting when it is stopped
        for speech in (SAMPLE_DIR / "ungd").iterdir():
            shutil.copy(speech, docs / f"{copy}-{speech.name}")
    store = tmp_path / "store"
    process = run_kg("build", str(docs), "--store", str(store), "--no-exports", "--workers", "2")
    deadline = time.monotonic() + 60
    while not store.with_name("store.partial").exists():
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.01)
    time.sleep(3)  # the workers are extracting (a Ctrl-C in the first second: see the stop 18 note)
    assert process.poll() is None, "the build ended before it could be stopped"
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=30)  # a hang fails here
    assert process.returncode == 1 and stderr.strip() == "Aborted!"
    assert not store.exists() and not store.with_name("store.partial").exists()


def test_a_document_over_its_time_limit_is_one_line_and_the_rest_is_built(tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = CliRunner().invoke(main, ["build", str(SAMPLE_DIR / "ungd"), "--store", str(store), "--no-exports",
                                       "--workers", "1", "--document-timeout", "0.000001"])
    *lines, last = result.stderr.splitlines()
    assert result.exit_code == 1 and len(lines) == 12
    assert all("took over 1e-06 s to extract, skipped; raise --document-timeout" in line for line in lines)
    assert last == f"kg: error: no document could be built, so no store was created at {store}" and not store.exists()


def test_a_document_that_fails_to_serialise_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = graph.document_nquads

    def failing(extraction, compact=False):
        if extraction.document.id == "CHN_76_2021":
            "\udc80".encode("utf-8")  # what an unencodable character used to do, deep in a worker
        return real(extraction, compact)

    monkeypatch.setattr(graph, "document_nquads", failing)
    result = CliRunner().invoke(main, ["build", str(SAMPLE_DIR / "ungd"), "--store", str(tmp_path / "s"),
                                       "--no-exports", "--workers", "1"])
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("kg: error: ") and "CHN_76_2021" in line and "UnicodeEncodeError" in line
    assert "built 11 documents" in result.stdout


def test_a_file_named_like_one_already_built_from_another_folder_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for folder, text in (("a", "China welcomed the Paris Agreement."), ("b", "India joined the BRICS summit.")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.txt").write_text(text, encoding="utf-8")
    store = tmp_path / "store"
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(tmp_path / "a"), "--store", str(store), "--no-exports"]).exit_code == 0
    result = runner.invoke(main, ["build", str(tmp_path / "b"), "--store", str(store), "--no-exports"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"kg: error: {(tmp_path / 'b' / 'report.txt').as_posix()}: document id 'report' is already in the store "
        "from a/report.txt; kept that one (ids come from file names: rename one, "
        "or build with --replace-moved if this is the same document moved)"]
    mentioned = Store(store, read_only=True).query("SELECT ?l { ?d kg:documentId 'report' ; kg:mentions/rdfs:label ?l }", prefixes=graph.PREFIXES)
    assert {row["l"].value for row in mentioned} == {"China", "Paris Agreement"}
    monkeypatch.chdir(tmp_path)  # the same file named from elsewhere is the same document
    assert runner.invoke(main, ["build", "a/report.txt", "--store", str(store), "--no-exports"]).exit_code == 0
    moved = runner.invoke(main, ["build", str(tmp_path / "b"), "--store", str(store), "--no-exports", "--replace-moved"])
    assert moved.exit_code == 0
    mentioned = Store(store, read_only=True).query("SELECT ?l { ?d kg:documentId 'report' ; kg:mentions/rdfs:label ?l }", prefixes=graph.PREFIXES)
    assert {row["l"].value for row in mentioned} == {"India", "BRICS"}


def test_an_entity_no_document_mentions_any_more_leaves_the_graph(tmp_path: Path) -> None:
    note = tmp_path / "docs" / "note.txt"
    note.parent.mkdir()
    note.write_text("The Zorblax Liberation Party (ZLP) met President Quentin Marlowe in Paris.", encoding="utf-8")
    store_path = tmp_path / "store"
    build_store([note.parent], store_path, workers=1)[1].close()
    found = "SELECT ?e { GRAPH graph:entities { ?e rdfs:label ?label } FILTER(CONTAINS(?label, 'Zorblax')) }"
    assert Store(store_path, read_only=True).query(found, prefixes=graph.PREFIXES).__next__()
    note.write_text("France welcomed the Paris Agreement.", encoding="utf-8")
    _, store = build_store([note.parent], store_path, workers=1)
    assert list(store.query(found, prefixes=graph.PREFIXES)) == []


def test_a_document_over_the_size_limit_is_one_line(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "long.txt").write_text("China welcomed the Paris Agreement. " * 40_000, encoding="utf-8")  # 1.4 MB
    (docs / "short.txt").write_text("India joined the BRICS summit.", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(docs), "--store", str(tmp_path / "s"), "--no-exports",
                                       "--max-document-size", "1"])
    assert result.exit_code == 1 and "built 1 documents" in result.stdout
    [line] = result.stderr.splitlines()
    assert "long.txt: 1.44 MB is over the 1 MB limit per document; raise it with --max-document-size" in line
    extracted = CliRunner().invoke(main, ["extract", str(docs), "--max-document-size", "1"])
    assert extracted.exit_code == 1 and len(extracted.stdout.splitlines()) == 1 and "long.txt" in extracted.stderr
