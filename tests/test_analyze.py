"""kg analyze on the bundled sample: measures written to the store, paths with real evidence,
co-mentions and yearly trends that agree with SPARQL, the chart, and the CLI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import analyze
from kg.build import build_store
from kg.cli import main
from kg.errors import InputError, KgError
from kg.graph import ANALYTICS_GRAPH, DOC, ENT
from kg.ingest import read_documents
from kg.store import Store

SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "sample"
INDIA, BRI = ENT + "country/IND", ENT + "initiative/belt-and-road-initiative"
GDI = ENT + "initiative/global-development-initiative"
PREFIXES = "PREFIX kg: <https://w3id.org/irkg/ontology#>\nPREFIX dcterms: <http://purl.org/dc/terms/>\n"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("analyze") / "store"
    _, store = build_store([SAMPLE], path)
    store.close()
    return path


@pytest.fixture
def store(store_path: Path) -> Iterator[Store]:
    opened = Store(store_path)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return {d.id: d.text for d in read_documents([SAMPLE]) if not isinstance(d, InputError)}


def test_centrality_is_written_and_sorted_by_sparql(store: Store) -> None:
    rows = analyze.centrality(analyze.network(store))
    analyze.write_centrality(store, rows)
    analyze.write_centrality(store, rows)  # a second run replaces the first
    found = store.select(PREFIXES + f"""SELECT ?e ?pagerank ?degree ?betweenness {{
        GRAPH <{ANALYTICS_GRAPH}> {{ ?e kg:pageRank ?pagerank ; kg:degree ?degree ; kg:betweenness ?betweenness }}
    }} ORDER BY DESC(?pagerank) ?e""")
    assert len(found) == len(rows) > 20
    assert [r["e"].value for r in found[:5]] == [c.iri for c in rows[:5]]
    by_iri = {c.iri: c for c in rows}
    for row in found:
        expected = by_iri[row["e"].value]
        assert float(row["pagerank"].value) == pytest.approx(expected.pagerank, abs=1e-8)
        assert int(row["degree"].value) == expected.degree
        assert float(row["betweenness"].value) == pytest.approx(expected.betweenness, abs=1e-8)
    assert sum(c.pagerank for c in rows) == pytest.approx(1.0)


def test_communities_partition_the_nodes(store: Store) -> None:
    network = analyze.network(store)
    found = analyze.communities(network)
    members = [iri for c in found for iri in c.members]
    assert sorted(members) == sorted(network) and len(set(members)) == len(members)
    assert [len(c.members) for c in found] == sorted((len(c.members) for c in found), reverse=True)
    assert analyze.communities(network) == found  # fixed seed
    analyze.write_communities(store, found)
    count = store.select(PREFIXES + f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{ANALYTICS_GRAPH}> {{ ?e kg:community ?c }} }}")
    assert int(count[0]["n"].value) == len(network)


def test_path_india_to_bri_has_real_evidence_for_each_hop(store: Store, texts: dict[str, str]) -> None:
    path = analyze.explain_path(store, INDIA, BRI)
    assert path.network == "relations"
    assert (path.entities[0], path.entities[-1]) == (INDIA, BRI)
    assert len(path.hops) == len(path.entities) - 1
    for (a, b), links in zip(zip(path.entities, path.entities[1:]), path.hops):
        assert links
        for link in links:
            assert {link.subject, link.object} == {a, b}
            assert 0 < len(link.evidence) <= link.total
            for evidence in link.evidence:
                text = texts[evidence.document.removeprefix(DOC)]
                assert text[evidence.start:evidence.end] == evidence.sentence
                assert evidence.title


def test_path_falls_back_to_comentions(store: Store) -> None:
    relations, comentions = analyze.network(store), analyze.network(store, "comentions")
    loner = min(iri for iri in comentions if iri not in relations)
    path = analyze.explain_path(store, INDIA, loner)
    assert path.network == "comentions" and path.entities[-1] == loner
    for (a, b), (link,) in zip(zip(path.entities, path.entities[1:]), path.hops):
        assert link.evidence and link.total == comentions.edges[a, b]["weight"]
        for evidence in link.evidence:
            assert store.query(PREFIXES + f"ASK {{ <{evidence.document}> kg:mentions <{a}>, <{b}> }}")


def test_resolve_entity_by_label_alias_code_or_iri(store: Store) -> None:
    for name in ("India", "INDIA", "IND", "in", INDIA, "ent:country/IND"):
        assert analyze.resolve_entity(store, name) == INDIA
    assert analyze.resolve_entity(store, "bri") == BRI
    with pytest.raises(KgError, match="did you mean 'India'"):
        analyze.resolve_entity(store, "Indai")


def test_comentions_count_documents_naming_both(store: Store) -> None:
    network = analyze.network(store, "comentions")
    for a, b, weight in sorted(network.edges(data="weight"), key=lambda e: -e[2])[:5]:
        count = store.select(PREFIXES + f"SELECT (COUNT(DISTINCT ?d) AS ?n) {{ ?d kg:mentions <{a}>, <{b}> }}")
        assert int(count[0]["n"].value) == weight
    table = analyze.format_comentions(network, 3, "table")
    assert table.splitlines()[0].split() == ["rank", "entity", "other", "documents", "iri", "other_iri"]
    assert table.endswith("(3 rows)\n")


def test_gdi_trend_matches_sparql(store: Store) -> None:
    trend = analyze.entity_trend(store, "Global Development Initiative")
    rows = store.select(PREFIXES + f"""SELECT ?year (COUNT(DISTINCT ?d) AS ?docs) (COUNT(DISTINCT ?m) AS ?mentions) {{
        ?m kg:mentionOf <{GDI}> ; kg:inDocument ?d . ?d dcterms:date ?date BIND(SUBSTR(STR(?date), 1, 4) AS ?year)
    }} GROUP BY ?year""")
    expected = {int(r["year"].value): (int(r["docs"].value), int(r["mentions"].value)) for r in rows}
    assert expected and {y.year: (y.documents, y.mentions) for y in trend.years if y.documents} == expected
    assert [y.year for y in trend.years] == list(range(trend.years[0].year, trend.years[-1].year + 1))
    assert min(expected) >= 2021


def test_trend_chart_is_a_png(store: Store, tmp_path: Path) -> None:
    chart = analyze.draw_trend(analyze.entity_trend(store, "GDI"), tmp_path / "charts" / "gdi.png")
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def run(*args: str) -> object:
    return CliRunner().invoke(main, ["analyze", *args], catch_exceptions=False)


def test_cli_centrality(store_path: Path) -> None:
    result = run("centrality", "--store", str(store_path), "--top", "5", "--write")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].split()[:4] == ["rank", "entity", "type", "degree"]
    assert "(5 rows)" in result.stdout and "graph:analytics" in result.stderr
    csv = run("centrality", "--store", str(store_path), "--network", "comentions", "--no-write", "--format", "csv")
    assert csv.exit_code == 0 and csv.stdout.startswith("rank,entity,type,degree,pagerank,betweenness,iri\n")


def test_cli_refuses_to_write_comention_measures(store_path: Path) -> None:
    result = run("communities", "--store", str(store_path), "--network", "comentions", "--write")
    assert result.exit_code == 2 and "leave out --write" in result.stderr


def test_cli_communities(store_path: Path) -> None:
    result = run("communities", "--store", str(store_path), "--no-write")
    assert result.exit_code == 0 and result.stdout.startswith("community  size  members")
    csv = run("communities", "--store", str(store_path), "--format", "csv")
    assert csv.exit_code == 0 and csv.stdout.startswith("community,entity,iri\n1,")


def test_cli_path(store_path: Path) -> None:
    result = run("path", "india", "Belt and Road Initiative", "--store", str(store_path))
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert first.startswith("India -> ") and first.split("  (")[0].endswith("-> Belt and Road Initiative")
    assert "proposes Belt and Road Initiative" in result.stdout and '"' in result.stdout
    csv = run("path", "IND", "BRI", "--store", str(store_path), "--format", "csv")
    assert csv.stdout.startswith("hop,subject,predicate,object,sentence,start,end,document,title,date\n1,")


def test_cli_comentions(store_path: Path) -> None:
    result = run("comentions", "--store", str(store_path), "--top", "4")
    assert result.exit_code == 0 and "(4 rows)" in result.stdout


def test_cli_trend_with_chart(store_path: Path, tmp_path: Path) -> None:
    chart = tmp_path / "gdi-trend.png"
    result = run("trend", "Global Development Initiative", "--store", str(store_path), "--chart", str(chart), "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("year,documents,mentions,share,all_documents\n")
    assert chart.read_bytes().startswith(b"\x89PNG") and str(chart) in result.stderr


def test_cli_unknown_entity_is_one_error_line(store_path: Path) -> None:
    result = run("path", "Indai", "BRI", "--store", str(store_path))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("kg: error: no entity called 'Indai'; did you mean")


@pytest.mark.parametrize("command", sorted(main.commands["analyze"].commands))
def test_every_analyze_command_has_help(command: str) -> None:
    assert main.commands["analyze"].commands[command].help
