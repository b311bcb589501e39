"""Every mistake gets one error line naming the problem and the fix, a non-zero exit status, and
no side effect: nothing is created or written by a command that failed or had nothing to do.

Exit statuses: 2 when what was typed is wrong (a usage error), 1 when the run failed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kg.cli import main
from kg.resources import SAMPLE_DIR
from kg.store import Store

FIJI = SAMPLE_DIR / "ungd" / "FJI_76_2021.txt"


def kg(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=stdin)


def one_error_line(result: Result, code: int, *words: str) -> None:
    """The run ended with ``code``, nothing on stdout and one error line holding ``words``."""
    assert result.exit_code == code, (result.exit_code, result.output)
    assert result.stdout == ""
    assert result.stderr.startswith("kg: error: ") and result.stderr.count("\n") == 1, result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder: no store, no exports."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


# kg build: paths that name nothing


def test_build_of_a_missing_path_names_it_and_creates_nothing(workdir: Path) -> None:
    one_error_line(kg("build", "/nonexistent/path"), 2, "/nonexistent/path: no such file or folder")
    assert listing(workdir) == []


def test_build_of_an_empty_folder_creates_nothing(workdir: Path) -> None:
    (workdir / "empty").mkdir()
    (workdir / "empty" / "notes.pdf").write_bytes(b"%PDF-1.4")
    one_error_line(kg("build", "empty"), 2, "empty: no documents in this folder", ".txt")
    assert listing(workdir) == ["empty", "empty/notes.pdf"]


def test_build_where_every_input_fails_creates_no_store(workdir: Path) -> None:
    (workdir / "in").mkdir()
    (workdir / "in" / "broken.jsonl").write_text("{oops\n", encoding="utf-8")
    result = kg("build", "in")
    assert result.exit_code == 1 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert "broken.jsonl" in lines[0] and "no store was created" in lines[-1] and len(lines) == 2
    assert not (workdir / ".kg" / "store").exists() and not (workdir / ".kg" / "store.partial").exists()
    assert not (workdir / "exports").exists()


def test_extract_of_a_missing_path_is_a_usage_error(workdir: Path) -> None:
    one_error_line(kg("extract", "nowhere.txt"), 2, "nowhere.txt: no such file or folder")


# Read commands on a missing store


READ_COMMANDS = {
    "query": ["query", "top-entities"],
    "viz": ["viz"],
    "validate": ["validate"],
    "export": ["export"],
    "serve": ["serve", "--get", "/sparql?query=ASK%7B%7D"],
    "serve-updates": ["serve", "--allow-updates", "--update-token", "t", "--get", "/"],
    "remove": ["remove", "CHN_76_2021"],
    "centrality": ["analyze", "centrality"],
    "centrality-write": ["analyze", "centrality", "--write"],
    "communities": ["analyze", "communities"],
    "path": ["analyze", "path", "China", "India"],
    "comentions": ["analyze", "comentions"],
    "trend": ["analyze", "trend", "China"],
}


@pytest.mark.parametrize("command", sorted(READ_COMMANDS))
def test_read_commands_on_a_missing_store_create_nothing(workdir: Path, command: str) -> None:
    result = kg(*READ_COMMANDS[command])
    one_error_line(result, 2, "no store at .kg/store; build one with `kg build DOCUMENTS --store .kg/store`")
    assert listing(workdir) == []


def test_an_empty_folder_is_not_a_store(workdir: Path) -> None:
    (workdir / "store").mkdir()
    one_error_line(kg("analyze", "communities", "--store", "store"), 2, "no store at store")
    assert listing(workdir) == ["store"]


def test_analyze_writes_to_the_store_only_with_write(built_sample: Path, tmp_path: Path) -> None:
    copy = tmp_path / "store"
    shutil.copytree(built_sample, copy)
    ask = "ASK { GRAPH <https://w3id.org/irkg/graph/analytics> { ?s ?p ?o } }"
    for command in ("centrality", "communities"):
        result = kg("analyze", command, "--store", str(copy))
        assert result.exit_code == 0 and "graph:analytics" not in result.stderr
    store = Store(copy, read_only=True)
    assert not bool(store.query(ask))
    store.close()
    assert kg("analyze", "centrality", "--store", str(copy), "--write").exit_code == 0
    store = Store(copy, read_only=True)
    assert bool(store.query(ask))
    store.close()


# Exit statuses, help


def test_h_is_help_everywhere() -> None:
    for args in (["-h"], ["query", "-h"], ["analyze", "-h"], ["analyze", "path", "-h"], ["build", "-h"]):
        result = kg(*args)
        assert result.exit_code == 0 and result.stdout.startswith("Usage: "), args


def test_serve_get_exits_like_kg_query(built_sample: Path) -> None:
    store = str(built_sample)
    one_error_line(kg("serve", "--store", store, "--get", "/sparql?query=SELECT"), 2, "HTTP 400", "syntax error")
    one_error_line(kg("query", "SELECT", "--store", store), 2, "syntax error")
    one_error_line(kg("serve", "--store", store, "--get", "/nowhere"), 2, "HTTP 404")
    ok = kg("serve", "--store", store, "--get", "/sparql?query=ASK%7B%7D&format=json")
    assert ok.exit_code == 0 and '"boolean"' in ok.stdout
