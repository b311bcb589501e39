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
    (workdir / "empty" / "notes.docx").write_bytes(b"PK\x03\x04")
    one_error_line(kg("build", "empty"), 2, "empty: no documents in this folder", ".txt")
    assert listing(workdir) == ["empty", "empty/notes.docx"]


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


def test_a_run_that_fails_exits_1(built_sample: Path) -> None:
    one_error_line(kg("query", "top-entities", "--store", "http://127.0.0.1:9"), 1, "cannot reach the SPARQL server")


# kg query: names the store or the ontology does not know


@pytest.mark.parametrize(("args", "words"), [
    (["partners-of", "--param", "entity=Chna"], ["parameter entity: no entity called 'Chna'", "'China'"]),
    (["supporters-by-year", "--param", "initiative=Belt & Road"], ["no entity called 'Belt & Road'", "'Belt and Road'"]),
    (["supporters-by-year", "--param", "initiative=China"], ["'China' names ent:country/CHN, Country", "an initiative"]),
    (["relation-evidence", "--param", "predicate=opposse"], ["'opposse' matches nothing", "did you mean 'opposes'"]),
    (["document-mentions", "--param", "document=CHN_76_2012"], ["'CHN_76_2012' matches nothing", "'CHN_76_2021'"]),
    (["top-entities", "--param", "type=Contry"], ["'Contry' matches nothing", "did you mean 'Country'?"]),
])
def test_a_parameter_that_names_nothing_gets_the_closest_names(built_sample: Path, args: list[str], words: list[str]) -> None:
    one_error_line(kg("query", *args, "--store", str(built_sample)), 2, *words)


def test_entity_parameters_resolve_as_viz_and_analyze_do(built_sample: Path) -> None:
    by_name = kg("query", "partners-of", "--param", "entity=China", "--store", str(built_sample), "--format", "csv")
    for other in ("CN", "ent:country/CHN", "https://w3id.org/irkg/id/country/CHN"):
        again = kg("query", "partners-of", "--param", f"entity={other}", "--store", str(built_sample), "--format", "csv")
        assert again.exit_code == 0 and again.stdout == by_name.stdout, other


def test_a_kg_term_the_ontology_lacks_is_refused_with_the_closest(built_sample: Path) -> None:
    result = kg("query", "SELECT ?s ?o { ?s kg:opposse ?o }", "--store", str(built_sample))
    one_error_line(result, 2, "kg:opposse is not a term of the kg ontology", "did you mean 'kg:opposes'")
    result = kg("query", "SELECT ?s { ?s a <https://w3id.org/irkg/ontology#Contry> }", "--store", str(built_sample))
    one_error_line(result, 2, "#Contry> is not a term", "'kg:Country'")
    words_in_strings = kg("query", 'SELECT ?s { ?s ?p "kg:opposse" } # kg:opposse', "--store", str(built_sample))
    assert words_in_strings.exit_code == 0


def test_an_undeclared_prefix_is_named_with_the_prefixes_there_are(built_sample: Path) -> None:
    result = kg("query", "SELECT ?s ?o { ?s foo:opposes ?o }", "--store", str(built_sample))
    one_error_line(result, 2, "the prefix foo: is not declared", "PREFIX foo: <", "kg:", "ent:")
    assert len(result.stderr) < 250


def test_an_update_is_refused_as_such(built_sample: Path) -> None:
    for update in ("DELETE WHERE { ?s ?p ?o }", "PREFIX kg: <https://w3id.org/irkg/ontology#>\nINSERT DATA { kg:a kg:b kg:c }"):
        one_error_line(kg("query", update, "--store", str(built_sample)), 2, "kg query only reads", "kg serve --allow-updates")


# kg query: input, output, listings, tables, formats


def test_query_from_standard_input(built_sample: Path) -> None:
    result = kg("query", "-", "--store", str(built_sample), stdin="ASK { ?s a kg:Country }")
    assert result.exit_code == 0 and result.stdout == "true\n"
    one_error_line(kg("query", "-", "--store", str(built_sample), stdin="  \n"), 2, "no query on standard input")


def test_out_writes_a_file_whole_or_not_at_all(built_sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "sub" / "countries.csv"
    ok = kg("query", "SELECT ?c { ?c a kg:Country } LIMIT 3", "--store", str(built_sample), "--format", "csv", "--out", str(out))
    assert ok.exit_code == 0 and ok.stdout == "" and out.read_text().splitlines()[0] == "c"
    failed = kg("query", "SELECT ?c { ?c a kg:Contry }", "--store", str(built_sample), "--out", str(out))
    assert failed.exit_code == 2 and len(out.read_text().splitlines()) == 4
    assert sorted(p.name for p in out.parent.iterdir()) == ["countries.csv"]
    dash = kg("query", "ASK {}", "--store", str(built_sample), "--out", "-")
    assert dash.stdout == "true\n" and not Path("-").exists()


def test_a_cut_listing_says_so_on_stderr(built_sample: Path) -> None:
    cut = kg("query", "top-entities", "--store", str(built_sample), "--format", "csv")
    assert cut.exit_code == 0 and len(cut.stdout.splitlines()) == 101
    assert cut.stderr == "kg: note: the listing stops at 100 rows; --param limit=1000 shows more\n"
    two = kg("query", "top-entities", "--param", "limit=2", "--store", str(built_sample))
    assert "(2 rows)" in two.stdout and "stops at 2 rows" in two.stderr
    whole = kg("query", "top-entities", "--param", "limit=100000", "--store", str(built_sample), "--format", "csv")
    assert whole.exit_code == 0 and whole.stderr == "" and len(whole.stdout.splitlines()) > 101
    assert kg("query", "partners-of", "--param", "entity=China", "--store", str(built_sample)).stderr == ""


def test_table_width_and_full_cells_elsewhere(built_sample: Path) -> None:
    args = ["query", "partners-of", "--param", "entity=China", "--store", str(built_sample)]
    longest = lambda text: max(len(cell.strip()) for line in text.splitlines() for cell in line.split("  "))  # noqa: E731
    assert longest(kg(*args).stdout) <= 60
    assert longest(kg(*args, "--width", "20").stdout) <= 20
    full = kg(*args, "--width", "0").stdout
    assert longest(full) > 100 and "…" not in full
    for fmt in ("csv", "tsv", "json", "xml", "ndjson"):
        text = kg(*args, "--format", fmt, "--width", "10").stdout
        assert "…" not in text and max(map(len, text.split('"'))) > 100, fmt


def test_xml_and_ndjson_outputs(built_sample: Path) -> None:
    import json

    import pyoxigraph as ox

    query = "SELECT ?c ?label (COUNT(?d) AS ?n) { ?c a kg:Country ; rdfs:label ?label . ?d kg:mentions ?c } GROUP BY ?c ?label"
    xml = kg("query", query, "--store", str(built_sample), "--format", "xml").stdout
    parsed = ox.parse_query_results(xml.encode(), format=ox.QueryResultsFormat.XML)
    assert [v.value for v in parsed.variables] == ["c", "label", "n"] and len(list(parsed)) > 10
    rows = [json.loads(line) for line in kg("query", query, "--store", str(built_sample), "--format", "ndjson").stdout.splitlines()]
    assert len(rows) > 10 and set(rows[0]) == {"c", "label", "n"} and isinstance(rows[0]["n"], int)
    assert rows[0]["c"].startswith("https://w3id.org/irkg/id/")
    ask = kg("query", "ASK {}", "--store", str(built_sample), "--format", "xml").stdout
    assert bool(ox.parse_query_results(ask.encode(), format=ox.QueryResultsFormat.XML)) is True


def test_list_shows_parameters_and_an_example() -> None:
    out = kg("query", "--list").stdout
    assert "--param entity=…  label, alias or code of the entity" in out
    assert "e.g. kg query partners-of --param entity=China" in out
    assert "e.g. kg query top-entities\n" in out and "--param limit=…" in out


def test_saved_query_names_complete_in_the_shell() -> None:
    env = {"_KG_COMPLETE": "bash_complete", "COMP_WORDS": "kg query partn", "COMP_CWORD": "2"}
    result = CliRunner().invoke(main, [], env=env, prog_name="kg")
    assert result.stdout.split() == ["plain,partners-and-opponents", "plain,partners-of"]


def test_doctests() -> None:
    import doctest

    from kg import errors, query_check, results

    for module in (errors, query_check, results):
        assert doctest.testmod(module).failed == 0, module.__name__
