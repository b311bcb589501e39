"""The `kg` command as a user runs it: build the sample, query it, extract, fail cleanly."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.query import list_saved_queries
from kg.resources import SAMPLE_DIR

# What each saved query's header gives as an example, asked of the sample.
PARAMS = {saved.name: saved.example for saved in list_saved_queries()}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("built")
    paths = {"store": root / "store", "exports": root / "exports"}
    result = CliRunner().invoke(
        main, ["build", str(SAMPLE_DIR), "--store", str(paths["store"]), "--exports", str(paths["exports"])]
    )
    assert result.exit_code == 0, result.output
    paths["output"] = result.output  # type: ignore[assignment]
    return paths


def kg(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_every_command_has_help() -> None:
    for name, command in main.commands.items():
        assert command.help, f"kg {name} has no help text"
        code, out, _ = kg(name, "--help")
        assert code == 0 and "Usage" in out


def test_build_prints_a_summary_and_writes_exports(built: dict) -> None:
    output = built["output"]
    for line in ("documents: 17", "entities by type:", "relations by type"):
        assert line in output
    assert "Country" in output and "proposes" in output
    trig = built["exports"] / "graph.trig"
    assert len(list(ox.parse(path=str(trig), format=ox.RdfFormat.TRIG))) > 10_000
    assert (built["exports"] / "graph.html").stat().st_size > 10_000


@pytest.mark.parametrize("saved", [q.name for q in list_saved_queries()])
def test_every_saved_query_answers_on_the_sample(built: dict, saved: str) -> None:
    params = [f"--param={k}={v}" for k, v in PARAMS.get(saved, {}).items()]
    code, out, err = kg("query", saved, "--store", str(built["store"]), "--format", "csv", *params)
    assert code == 0, err
    assert len(list(csv.reader(io.StringIO(out)))) > 1, f"{saved} returned no rows"


def test_initiative_countries_names_chinas_initiatives(built: dict) -> None:
    code, out, _ = kg("query", "initiative-countries", "--store", str(built["store"]), "--format", "json")
    rows = json.loads(out)["results"]["bindings"]
    pairs = {(r["initiative"]["value"], r["country"]["value"]) for r in rows}
    for initiative in ("Belt and Road Initiative", "Global Development Initiative", "Global Security Initiative"):
        assert (initiative, "China") in pairs


def test_ad_hoc_query_with_project_prefixes(built: dict) -> None:
    code, out, _ = kg("query", "ASK { ent:country\\/CHN kg:partnerOf ent:country\\/RUS }", "--store", str(built["store"]))
    assert code == 0 and out.strip() == "true"


def test_query_errors_are_one_line(built: dict) -> None:
    code, _, err = kg("query", "SELECT ?x WHERE { ?x", "--store", str(built["store"]))
    assert code == 2 and err.count("\n") == 1 and "syntax" in err.lower()
    code, _, err = kg("query", "no-such-query", "--store", str(built["store"]))
    assert code == 2 and "partners-of" in err


def test_query_without_a_store_says_what_to_do(tmp_path: Path) -> None:
    code, _, err = kg("query", "top-entities", "--store", str(tmp_path / "none"))
    assert code == 2 and "kg build" in err


def test_extract_prints_one_json_object_per_document() -> None:
    code, out, _ = kg("extract", str(SAMPLE_DIR / "web"), str(SAMPLE_DIR / "ungd" / "FJI_76_2021.txt"))
    assert code == 0
    documents = [json.loads(line) for line in out.splitlines()]
    assert len(documents) == 6
    fiji = documents[-1]
    assert "FJI_76_2021" in fiji["id"]
    assert set(fiji) >= {"id", "title", "mentions", "relations"}
    mention = fiji["mentions"][0]
    assert set(mention) >= {"text", "start", "end", "entity", "label", "type", "iso3"}
    relation = documents[0]["relations"][0]
    assert set(relation) >= {"subject", "predicate", "object", "sentence", "start", "end", "confidence"}
    assert relation["subject"].startswith("https://w3id.org/irkg/id/")


def test_extract_jsonl_uses_the_line_ids(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    path.write_text(json.dumps({"id": "wire-42", "text": "India joined the Shanghai Cooperation Organisation."}) + "\n", encoding="utf-8")
    code, out, _ = kg("extract", str(path))
    document = json.loads(out)
    assert document["id"] == "wire-42"
    assert {m["iso3"] for m in document["mentions"]} >= {"IND"}


def test_build_with_bad_input_reports_it_and_exits_1(tmp_path: Path) -> None:
    shutil.copy(SAMPLE_DIR / "ungd" / "FJI_76_2021.txt", tmp_path)
    (tmp_path / "broken.jsonl").write_text("{oops\n", encoding="utf-8")
    code, out, err = kg("build", str(tmp_path), "--store", str(tmp_path / "store"), "--no-exports")
    assert code == 1
    assert "broken.jsonl" in err and "invalid JSON" in err
    assert "documents: 1" in out


def test_the_built_sample_passes_the_shapes(built: dict) -> None:
    code, out, _ = kg("validate", "--store", str(built["store"]))
    assert code == 0, out
    assert "no violations" in out
