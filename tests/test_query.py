"""Saved queries and the query library, on a hand-written graph: data/graphs/query-sample.trig."""

from __future__ import annotations

import csv
import doctest
import io
import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

import kg.query
from kg.errors import KgError
from kg.facts import summarise
from kg.graph import entity_triples
from kg.model import Entity
from kg.query import (
    Answer,
    Solutions,
    Triples,
    bind_params,
    format_result,
    list_saved_queries,
    load_saved_query,
    parse_header,
    read_saved_query,
    resolve_lookups,
    resolve_query,
    run_query,
)
from kg.resources import ONTOLOGY_FILE
from kg.store import Store
from kg.vocab import ENTITY_CLASSES

FIXTURE = Path(__file__).parent / "data" / "graphs" / "query-sample.trig"
KG = "https://w3id.org/irkg/ontology#"
ONTOLOGY_GRAPH = ox.NamedNode("https://w3id.org/irkg/graph/ontology")
KB_GRAPH = ox.NamedNode("https://w3id.org/irkg/graph/kb")
NAME_KEY = ox.NamedNode(KG + "nameKey")
NAMES = f"""SELECT DISTINCT ?e ?name {{
  VALUES ?class {{ {" ".join(f"<{iri}>" for iri in ENTITY_CLASSES.values())} }}
  ?e a ?class ; <http://www.w3.org/2000/01/rdf-schema#label>|<{KG}isoAlpha3>
     |<http://www.w3.org/2004/02/skos/core#prefLabel>|<http://www.w3.org/2004/02/skos/core#altLabel> ?name
}}"""

# Parameters for running every saved query once.
SAMPLE_PARAMS = {
    "co-mentions": {"x": "China", "y": "India"},
    "document-mentions": {"document": "CHN_76_2021"},
    "entity-profile": {"entity": "China"},
    "initiative-speeches": {"initiative": "GDI"},
    "partners-of": {"entity": "China"},
    "relation-evidence": {"predicate": "partnerOf"},
    "supporters-by-year": {"initiative": "GDI"},
}


def with_name_keys(store: Store) -> Store:
    """``store`` with the kg:nameKey of every name of its entities, as `kg build` writes them
    (the hand-written fixture leaves them out)."""
    names = store.select(NAMES)
    store.add([ox.Quad(r["e"], NAME_KEY, ox.Literal(r["name"].value.lower()), KB_GRAPH) for r in names])
    return store


@pytest.fixture(scope="module")
def store() -> Store:
    store = Store()
    store.add(ox.parse(path=str(FIXTURE), format=ox.RdfFormat.TRIG))
    with_name_keys(store)
    summarise(store)
    return store


def rows(store: Store, name: str, **params: str) -> list[dict[str, str | None]]:
    """A saved query's rows, each cell as its IRI or lexical value."""
    result = run_query(store, load_saved_query(name).text, params)
    assert isinstance(result, Solutions)
    return [
        {v: None if t is None else t.value for v, t in zip(result.variables, row)}
        for row in result.rows
    ]


def pick(records: list[dict[str, str | None]], *columns: str) -> list[tuple[str | None, ...]]:
    return [tuple(r[c] for c in columns) for r in records]


# Saved queries: headers


def test_saved_queries_are_documented_and_declare_their_params() -> None:
    queries = list_saved_queries()
    assert len(queries) >= 10
    assert [q.name for q in queries] == sorted(q.name for q in queries)
    for query in queries:
        assert query.path.name == f"{query.name}.rq"
        assert query.title and len(query.description) > 40, query.name
        placeholders = set(re.findall(r"VALUES \?param_(\w+) \{ UNDEF \}", query.text))
        placeholders |= {"limit"} if re.search(r"LIMIT \d+\s+# \?param_limit", query.text) else set()
        assert set(query.params) == placeholders, query.name
        assert all(query.params.values()), query.name
        required = {n for n, doc in query.params.items() if not doc.startswith("(optional)")}
        assert required <= set(query.example) <= set(query.params), query.name


def test_every_saved_query_runs_and_finds_rows(store: Store) -> None:
    for query in list_saved_queries():
        result = run_query(store, query.text, SAMPLE_PARAMS.get(query.name))
        assert isinstance(result, Solutions) and result.rows, query.name


def test_parse_header_reads_keys_params_and_continuation_lines() -> None:
    text = (
        "# name: demo\n# title: A demo\n# description: First line,\n#   second line.\n"
        "# param: x  label of X\n# param: y  (optional) label of Y: any\n"
        "SELECT * WHERE { ?s ?p ?o }\n# name: not-a-header-line\n"
    )
    header = parse_header(text)
    assert header["name"] == ["demo"]
    assert header["description"] == ["First line, second line."]
    assert header["param"] == ["x  label of X", "y  (optional) label of Y: any"]


def test_read_saved_query_requires_its_name_and_a_title(tmp_path: Path) -> None:
    good = tmp_path / "demo.rq"
    good.write_text("# name: demo\n# title: Demo\n# param: x  (optional) X\nASK {}\n")
    query = read_saved_query(good)
    assert (query.name, query.title, query.description, query.params) == (
        "demo",
        "Demo",
        "",
        {"x": "(optional) X"},
    )
    bad = tmp_path / "other.rq"
    bad.write_text("# name: demo\n# title: Demo\nASK {}\n")
    with pytest.raises(KgError, match="# name: other"):
        read_saved_query(bad)


def test_unknown_saved_query_lists_the_valid_names_and_the_closest() -> None:
    with pytest.raises(KgError) as err:
        load_saved_query("partner-of")
    message = str(err.value)
    assert "did you mean 'partners-of'" in message
    assert all(q.name in message for q in list_saved_queries())


# Saved queries: content on the fixture


def test_initiative_countries(store: Store) -> None:
    found = pick(rows(store, "initiative-countries"), "initiative", "country", "predicate",
                 "documents", "curated")
    assert found == [
        ("Belt and Road Initiative", "China", KG + "proposes", "1", "true"),
        ("Belt and Road Initiative", "India", KG + "opposes", "1", "false"),
        ("Global Development Initiative", "China", KG + "proposes", "2", "true"),
    ]
    only_gdi = rows(store, "initiative-countries", entity="gdi")
    assert pick(only_gdi, "initiative", "country") == [("Global Development Initiative", "China")]


def test_partners_and_opponents_give_evidence_and_document(store: Store) -> None:
    found = rows(store, "partners-and-opponents")
    assert len(found) == 6
    assert {
        "subject": "India",
        "predicate": KG + "opposes",
        "object": "Belt and Road Initiative",
        "family": "conflict",
        "documents": "1",
        "sentence": "India has consistently opposed the Belt and Road Initiative.",
        "document": "India and China: Rivals in the Global South",
    } in found
    conflict = rows(store, "partners-and-opponents", family="Conflict")
    assert {r["family"] for r in conflict} == {"conflict"} and len(conflict) == 3
    assert len(rows(store, "partners-and-opponents", limit="2")) == 2


def test_document_mentions_by_id_or_title(store: Store) -> None:
    found = pick(rows(store, "document-mentions", document="chn_76_2021"), "entity", "type",
                 "mentions", "forms")
    assert ("Global South", "Region", "1", "developing countries") in found
    assert len(found) == 4
    by_title = rows(store, "document-mentions", document="China's pitch to the Global South")
    china = next(r for r in by_title if r["entity"] == "China")
    assert china["mentions"] == "3" and set(china["forms"].split(" | ")) == {"China", "Beijing"}


def test_top_entities_count_distinct_documents(store: Store) -> None:
    found = pick(rows(store, "top-entities"), "type", "entity", "documents")
    assert found[0] == ("Country", "China", "3")
    assert ("Region", "Global South", "3") in found
    assert pick(rows(store, "top-entities", type="initiative"), "entity", "documents") == [
        ("Belt and Road Initiative", "2"),
        ("Global Development Initiative", "2"),
    ]


def test_co_mentions(store: Store) -> None:
    assert pick(rows(store, "co-mentions", x="China", y="india"), "id") == [
        ("ispi-india-china-rivalry",)
    ]
    both = rows(store, "co-mentions", x="Global South", y="GDI")
    assert pick(both, "id", "type", "publisher") == [
        ("ispi-china-global-south", "Chapter", "ISPI"),
        ("CHN_76_2021", "Speech", "United Nations"),
    ]


def test_partners_of_gives_evidence_in_both_directions(store: Store) -> None:
    china = rows(store, "partners-of", entity="China")
    assert pick(china, "partner", "predicate", "direction") == [
        ("Russia", KG + "partnerOf", "outgoing"),
        ("United Nations", KG + "supports", "outgoing"),
    ]
    assert china[0]["sentence"] == (
        'China and Russia declared a partnership with "no limits" in February 2022.'
    )
    assert china[0]["document"] == "China's Pitch to the Global South"
    russia = rows(store, "partners-of", entity="Russian Federation")
    assert pick(russia, "partner", "direction") == [("China", "incoming")]


def test_entity_profile(store: Store) -> None:
    profile = pick(rows(store, "entity-profile", entity="PRC"), "field", "value", "documents")
    assert profile[0] == ("type", "Country", None)
    for fact in [
        ("label", "China", None),
        ("alias", "People's Republic of China", None),
        ("isoAlpha3", "CHN", None),
        ("capital", "Beijing", None),
        ("memberOf", "BRICS", None),
        ("proposes", "Belt and Road Initiative", None),
        ("mentioned in", None, "3"),
    ]:
        assert fact in profile
    co_mentioned = [(v, n) for f, v, n in profile if f == "co-mentioned"]
    assert co_mentioned[0] == ("Global South", "3")
    assert ("Russia", "1") in co_mentioned and len(co_mentioned) == 7


def test_publications_by_publisher_with_parts(store: Store) -> None:
    found = pick(rows(store, "publications-by-publisher"), "publisher", "publication", "type",
                 "part")
    assert found == [  # newest first for each publisher; undated last
        ("ISPI", "India and China: Rivals in the Global South", "Article", None),
        ("ISPI", "A World Order in Flux", "Report", "China's Pitch to the Global South"),
        ("United Nations", "China, 76th session of the UN General Assembly (2021)", "Speech",
         None),
    ]
    newest = pick(rows(store, "publications-by-publisher", limit="1"), "publication", "date")
    assert newest == [("India and China: Rivals in the Global South", "2023-09-12")]
    assert len(rows(store, "publications-by-publisher", publisher="italian institute for "
                    "international political studies")) == 2


def test_speeches_by_country_and_year(store: Store) -> None:
    expected = [("China", "1", "2021", "CHN_76_2021")]
    assert pick(rows(store, "speeches-by-country-year"), "country", "speeches", "years",
                "ids") == expected
    assert pick(rows(store, "speeches-by-country-year", country="chn"), "country", "speeches",
                "years", "ids") == expected
    assert rows(store, "speeches-by-country-year", country="India") == []


def test_speeches_mentioning_an_initiative_by_year(store: Store) -> None:
    found = pick(rows(store, "initiative-speeches", initiative="GDI"), "initiative", "year",
                 "speeches", "speakers")
    assert found == [("Global Development Initiative", "2021", "1", "China")]
    assert rows(store, "initiative-speeches", initiative="BRI") == []


def test_relation_evidence_by_name_label_or_family(store: Store) -> None:
    partners = rows(store, "relation-evidence", predicate="partnerOf")
    assert pick(partners, "subject", "object", "trigger", "start", "end") == [
        ("China", "Russia", "partnership", "155", "230"),
        ("India", "United States", "partnership", "70", "139"),
    ]
    assert rows(store, "relation-evidence", predicate="kg:PartnerOf") == partners
    assert rows(store, "relation-evidence", predicate="partner of") == partners
    conflict = rows(store, "relation-evidence", predicate="conflict")
    assert {r["predicate"] for r in conflict} == {KG + "rivalOf", KG + "opposes"}


def test_relations_by_family(store: Store) -> None:
    found = pick(rows(store, "relations-by-family"), "family", "subject", "predicate", "object",
                 "documents", "curated", "example")
    assert ("structural", "India", KG + "memberOf", "BRICS", "0", "true", None) in found
    assert ("cooperation", "China", KG + "partnerOf", "Russia", "1", "false",
            'China and Russia declared a partnership with "no limits" in February 2022.') in found
    assert ("conflict", "India", KG + "rivalOf", "China", "1", "false",
            "India sees China as its main rival for leadership of the Global South.") in found
    assert len(found) == 11
    structural = rows(store, "relations-by-family", family="structural")
    assert {r["predicate"] for r in structural} == {KG + "memberOf", KG + "proposes"}
    # The limit keeps the relations most documents state.
    top = pick(rows(store, "relations-by-family", limit="1"), "subject", "object", "documents")
    assert top == [("China", "Global Development Initiative", "2")]


@pytest.mark.skipif(not ONTOLOGY_FILE.exists(), reason="ontology/kg.ttl not written yet")
def test_family_queries_work_with_the_shipped_ontology(store: Store) -> None:
    fixture = [q for q in ox.parse(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
               if q.graph_name != ONTOLOGY_GRAPH]
    ontology = ox.parse(path=str(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE)
    shipped = Store()
    shipped.add(fixture + [ox.Quad(t.subject, t.predicate, t.object, ONTOLOGY_GRAPH)
                           for t in ontology])
    with_name_keys(shipped)
    summarise(shipped)
    for name in ("relations-by-family", "partners-and-opponents", "initiative-countries"):
        assert rows(shipped, name) == rows(store, name), name
    for name, params in SAMPLE_PARAMS.items():
        assert rows(shipped, name, **params) == rows(store, name, **params), name


# resolve_query


def test_resolve_query_reads_text_files_and_saved_names(tmp_path: Path) -> None:
    text = "select ?s where { ?s ?p ?o }"
    assert resolve_query(text) == text
    path = tmp_path / "mine.sparql"
    path.write_text("ASK { ?s ?p ?o }")
    assert resolve_query(str(path)) == "ASK { ?s ?p ?o }"
    assert resolve_query("partners-of") == load_saved_query("partners-of").text
    with pytest.raises(KgError, match="cannot read"):
        resolve_query(str(tmp_path / "missing.rq"))
    with pytest.raises(KgError, match="no saved query named 'nope'"):
        resolve_query("nope")


def test_every_saved_query_name_resolves_to_its_file() -> None:
    for query in list_saved_queries():
        assert resolve_query(query.name) == query.text


# bind_params

ECHO = "SELECT ?v WHERE { VALUES ?param_v { UNDEF } BIND(?param_v AS ?v) }"


@pytest.mark.parametrize(
    "value",
    ['a"b\\c}', 'x" } } ; DROP ALL #', "\\u0022) } #", "line\nbreak\t'quote'", "", "中国"],
)
def test_parameters_are_bound_as_one_literal(store: Store, value: str) -> None:
    result = run_query(store, ECHO, {"v": value})
    assert isinstance(result, Solutions)
    assert [row[0] for row in result.rows] == [ox.Literal(value)]


def test_a_hostile_parameter_matches_nothing(store: Store) -> None:
    hostile = 'China" ) } } UNION { ?e ?p ?o } #\\'
    with pytest.raises(KgError, match="parameter entity: no entity called 'China\" \\) } } UNION"):
        rows(store, "partners-of", entity=hostile)


def test_parameters_match_labels_case_insensitively(store: Store) -> None:
    expected = rows(store, "partners-of", entity="China")
    for spelling in ("china", "CHINA", "chn", "prc", "People's republic of China"):
        assert rows(store, "partners-of", entity=spelling) == expected


def test_unknown_and_missing_parameters_name_the_valid_ones() -> None:
    co_mentions = load_saved_query("co-mentions").text
    with pytest.raises(KgError, match=r"unknown parameter z; this query takes: x, y"):
        bind_params(co_mentions, {"x": "China", "y": "India", "z": "?"})
    with pytest.raises(KgError, match=r"missing parameter y; this query takes: x, y"):
        bind_params(co_mentions, {"x": "China"})
    with pytest.raises(KgError, match=r"entity \(optional\)"):
        bind_params(load_saved_query("initiative-countries").text, {"country": "China"})
    with pytest.raises(KgError, match="takes no parameters"):
        bind_params("ASK { ?s ?p ?o }", {"x": "1"})


def test_optional_parameters_may_be_left_out() -> None:
    text = load_saved_query("top-entities").text
    assert bind_params(text, {}) == text
    assert 'VALUES ?param_type { "Country" }' in bind_params(text, {"type": "Country"})


# run_query and format_result


def test_syntax_error_is_one_line_with_the_parsers_message(store: Store) -> None:
    for bad in ("SELECT ?x WHERE { ?x ?y }", "SELECT * WHERE {\n ?x ?y ?z .\n FILTER(\n"):
        with pytest.raises(KgError, match="SPARQL syntax error: error at") as err:
            run_query(store, bad)
        assert "\n" not in str(err.value) and len(str(err.value)) <= 300


def test_table_shortens_iris_and_cuts_long_cells(store: Store) -> None:
    result = run_query(store, load_saved_query("partners-of").text, {"entity": "China"})
    table = format_result(result, "table")
    lines = table.splitlines()
    assert lines[0].split() == list(result.variables)
    assert set(lines[1].replace(" ", "")) == {"-"}
    assert "kg:partnerOf" in table and "https://" not in table
    assert "China and Russia declared a partnership with" in table and "…" in table
    assert lines[-1] == "(2 rows)"
    assert "…" not in format_result(result, "table", max_cell=200)
    iris = run_query(store, "SELECT ?s WHERE { ?s <https://w3id.org/irkg/ontology#speaker> ?o }")
    assert "doc:CHN_76_2021" in format_result(iris, "table").splitlines()[2]


def test_csv_tsv_and_json_parse_back(store: Store) -> None:
    result = run_query(store, load_saved_query("relation-evidence").text,
                       {"predicate": "rivalOf"})
    assert isinstance(result, Solutions)
    values = [["" if t is None else t.value for t in row] for row in result.rows]

    table = list(csv.reader(io.StringIO(format_result(result, "csv"), newline="")))
    assert table == [list(result.variables), *values]

    tsv = format_result(result, "tsv").splitlines()
    assert tsv[0].split("\t") == [f"?{v}" for v in result.variables]
    assert tsv[1].split("\t")[1] == f"<{KG}rivalOf>"
    assert '"0.8"^^<http://www.w3.org/2001/XMLSchema#decimal>' in tsv[1]

    document = json.loads(format_result(result, "json"))
    assert document["head"]["vars"] == list(result.variables)
    bindings = document["results"]["bindings"]
    assert [[b[v]["value"] for v in result.variables] for b in bindings] == values
    assert bindings[0]["predicate"] == {"type": "uri", "value": KG + "rivalOf"}
    assert bindings[0]["start"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"
    assert bindings[0]["subject"] == {"type": "literal", "value": "China"}


def test_json_omits_unbound_cells_and_keeps_languages(store: Store) -> None:
    query = (
        "SELECT ?label ?missing WHERE { <https://w3id.org/irkg/id/country/CHN> "
        "<http://www.w3.org/2004/02/skos/core#prefLabel> ?label OPTIONAL { ?label ?p ?missing } }"
    )
    result = run_query(store, query)
    assert json.loads(format_result(result, "json"))["results"]["bindings"] == [
        {"label": {"type": "literal", "value": "China", "xml:lang": "en"}}
    ]
    assert format_result(result, "csv") == "label,missing\r\nChina,\r\n"
    for fmt in ("table", "tsv", "json"):
        assert format_result(result, fmt).endswith("\n"), fmt


def test_ask_prints_true_or_false(store: Store) -> None:
    yes = run_query(store, "ASK { ?s a <https://w3id.org/irkg/ontology#Speech> }")
    no = run_query(store, "ASK { ?s a <https://w3id.org/irkg/ontology#Person> }")
    assert yes == Answer(True) and no == Answer(False)
    assert format_result(yes, "table") == "true\n" and format_result(no, "csv") == "false\n"
    assert json.loads(format_result(yes, "json")) == {"head": {}, "boolean": True}


def test_construct_writes_turtle_and_ntriples_that_parse_back(store: Store) -> None:
    query = (
        "PREFIX kg: <https://w3id.org/irkg/ontology#> "
        "CONSTRUCT { ?s kg:rivalOf ?o } WHERE { ?s kg:rivalOf ?o }"
    )
    result = run_query(store, query)
    assert isinstance(result, Triples) and len(result.triples) == 2
    turtle = format_result(result, "turtle")
    assert "@prefix kg:" in turtle and "@prefix skos:" not in turtle
    assert format_result(result, "table") == turtle
    for text, rdf_format in ((turtle, ox.RdfFormat.TURTLE),
                             (format_result(result, "ntriples"), ox.RdfFormat.N_TRIPLES)):
        assert {q.triple for q in ox.parse(text, format=rdf_format)} == set(result.triples)


def test_a_format_that_does_not_fit_lists_the_valid_ones(store: Store) -> None:
    select = run_query(store, ECHO, {"v": "x"})
    with pytest.raises(KgError, match="use one of table, csv, tsv, json"):
        format_result(select, "turtle")
    graph = run_query(store, "CONSTRUCT WHERE { ?s a <https://w3id.org/irkg/ontology#Speech> }")
    with pytest.raises(KgError, match="use one of table, turtle, ntriples"):
        format_result(graph, "csv")


def test_docstring_examples() -> None:
    assert doctest.testmod(kg.query).failed == 0


def test_supporters_by_year_answers_as_of_each_year(store: Store) -> None:
    found = rows(store, "supporters-by-year", initiative="Global Development Initiative")
    assert {(r["year"], r["supporter"], r["relation"]) for r in found} >= {("2021", "China", "proposes")}


# Parameter lookups, resolved before the main query


def test_entity_triples_write_a_lower_cased_key_per_name() -> None:
    entity = Entity("country/CHN", "China", "Country", aliases=("PRC", "China"), iso3="CHN")
    keys = [o for _, p, o in entity_triples(entity) if p == f"<{KG}nameKey>"]
    assert keys == ['"china"', '"chn"', '"prc"']


def test_lookups_are_resolved_to_the_iris_they_find(store: Store) -> None:
    text = bind_params(load_saved_query("co-mentions").text, {"x": "PRC", "y": "india"})
    resolved = resolve_lookups(store, text)
    assert "{ VALUES ?x { <https://w3id.org/irkg/id/country/CHN> } }" in resolved
    assert "{ VALUES ?y { <https://w3id.org/irkg/id/country/IND> } }" in resolved
    assert "SELECT DISTINCT" not in resolved
    with pytest.raises(KgError, match="parameter entity: no entity called 'Nowhere'"):
        resolve_lookups(store, bind_params(load_saved_query("partners-of").text, {"entity": "Nowhere"}))
    unbound = load_saved_query("initiative-countries").text
    assert resolve_lookups(store, unbound) == unbound


@pytest.mark.parametrize("name", sorted(SAMPLE_PARAMS))
def test_resolving_lookups_keeps_the_answer(store: Store, name: str) -> None:
    text = bind_params(load_saved_query(name).text, SAMPLE_PARAMS[name])
    inline = store.query(text, prefixes=kg.query.PREFIXES)
    assert isinstance(inline, ox.QuerySolutions)
    result = run_query(store, text)
    assert isinstance(result, Solutions) and result.rows
    assert sorted(map(str, result.rows)) == sorted(str(tuple(row)) for row in inline)


def test_saved_queries_run_unbound_in_any_tool_and_give_all_rows(store: Store) -> None:
    china = rows(store, "partners-of", entity="China")
    everyone = store.query(load_saved_query("partners-of").text)
    assert isinstance(everyone, ox.QuerySolutions)
    partners = {(row["partner"].value, row["direction"].value) for row in everyone}
    assert {(r["partner"], r["direction"]) for r in china} < partners
    assert ("China", "incoming") in partners


def test_limit_parameter_bounds_the_rows(store: Store) -> None:
    everything = rows(store, "top-entities")
    two = rows(store, "top-entities", limit="2")
    assert len(two) == 2 and two == everything[:2]
    with pytest.raises(KgError, match="limit"):
        rows(store, "top-entities", limit="2 } DROP ALL {")
