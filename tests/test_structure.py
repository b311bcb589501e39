"""Relations read from the dependency parse (kg/extract/structure.py) and the event lexicon."""

from __future__ import annotations

import json

import pytest

from kg.extract.extractor import Extractor
from kg.extract.kb import load_kb
from kg.extract.lexicon import load_lexicon
from kg.extract.triggers import TRIGGERS, lower_case
from kg.model import Document
from kg.resources import TRIGGERS_FILE

LEXICON = load_lexicon()
TRIGGER_DATA = json.loads(TRIGGERS_FILE.read_text(encoding="utf-8"))["triggers"]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_kb(), relations=("structure",))


def relations(extractor: Extractor, text: str, speaker: str | None = "KEN") -> set[tuple[str, str, str, str]]:
    found = extractor.extract(Document(id="t", source="t", text=text, speaker_iso3=speaker)).relations
    return {(r.subject.label, r.predicate, r.object.label, "negated" if r.negated else "hedged" if r.hedged else "") for r in found}


@pytest.mark.parametrize("entry", sorted(LEXICON.entries.values(), key=lambda e: (e.lemma, e.pos)), ids=lambda e: f"{e.lemma}-{e.pos}")
def test_every_lexicon_entry_reads_its_example(extractor: Extractor, entry) -> None:
    found = extractor.extract(Document(id="t", source="t", text=entry.example, speaker_iso3="KEN")).relations
    assert any(r.method == f"structure:{entry.lemma}" and r.predicate in entry.predicates for r in found), entry.example


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ukraine was invaded by Russia in 2022.", ("Russia", "attacks", "Ukraine", "")),
        ("Finland and Sweden joined NATO.", ("Sweden", "memberOf", "North Atlantic Treaty Organization", "")),
        ("China's continued support of Russia worries Japan.", ("China", "supports", "Russia", "")),
        ("Talks between India and Pakistan resumed.", ("India", "consultsWith", "Pakistan", "")),
        ("Japan and China signed an agreement.", ("China", "agreesWith", "Japan", "")),
        ("Russia, which invaded Ukraine, was condemned by the European Union.", ("European Union", "protests", "Russia", "")),
        ("The United Nations is urged to listen to Africa.", ("Kenya", "demandsFrom", "United Nations", "")),
        ("We commend the role of Qatar in the talks.", ("Kenya", "supports", "Qatar", "")),
        ("We applaud and appreciate the efforts of Ghana.", ("Kenya", "supports", "Ghana", "")),
        ("Egypt agreed to support the African Union plan.", ("Egypt", "supports", "African Union", "")),
        ("The Government of Chad condemned Sudan.", ("Chad", "protests", "Sudan", "")),
        ("U.S. Ambassador Linda Thomas-Greenfield visited Kenya.", ("Linda Thomas-Greenfield", "visits", "Kenya", "")),
        ("The U.S. ambassador visited Kenya.", ("United States", "visits", "Kenya", "")),
        ("The United States is taking measures to increase support for Cuba.", ("United States", "supports", "Cuba", "")),
        ("Ghana remains committed to working with Togo.", ("Ghana", "cooperatesWith", "Togo", "")),
        ("The Secretary thanked Greece for its support to Ukraine.", ("Greece", "supports", "Ukraine", "")),
        ("Allow me to congratulate Peru on its election.", ("Kenya", "supports", "Peru", "")),
        ("We congratulate Cuba on reaching an agreement with Mexico.", ("Cuba", "agreesWith", "Mexico", "")),
    ],
)
def test_arguments_come_from_the_tree(extractor: Extractor, text: str, expected: tuple[str, str, str, str]) -> None:
    assert expected in relations(extractor, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("France did not support Mali.", ("France", "supports", "Mali", "negated")),
        ("Georgia's admission to NATO will be crucial.", ("Georgia", "memberOf", "North Atlantic Treaty Organization", "hedged")),
        ("Moscow is considering an attack on Ukraine.", ("Russia", "attacks", "Ukraine", "hedged")),
        ("If Iran attacked Israel, the region would burn.", ("Iran", "attacks", "Israel", "hedged")),
        ("Will Japan support India?", ("Japan", "supports", "India", "hedged")),
        ("Peru could join the OECD next year.", ("Peru", "memberOf", "Organisation for Economic Co-operation and Development", "hedged")),
    ],
)
def test_negation_and_hedges_are_marked(extractor: Extractor, text: str, expected: tuple[str, str, str, str]) -> None:
    assert expected in relations(extractor, text)


@pytest.mark.parametrize(
    "text",
    [
        "In the face of pressure from Azerbaijan, we held firm.",  # no one pressed the speaker's partner
        "Our neighbours, India and China, are large.",  # a list is not a relation
        "China, Egypt and Iran have signed but not ratified the treaty.",  # signing a treaty is no pact among them
        "We thank the President of the General Assembly.",  # an office of the Assembly is a person
    ],
)
def test_no_relation_without_a_predicate_that_states_it(extractor: Extractor, text: str) -> None:
    found = relations(extractor, text)
    assert not {r for r in found if {r[0], r[2]} <= {"Azerbaijan", "India", "China", "Egypt", "Iran", "UN General Assembly", "General Assembly"}}, found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ships left Odesa, Ukraine, on Monday.", {("Odesa", "locatedIn", "Ukraine", "")}),
        ("Ministers from Chad, Mali, Niger and Togo met.", set()),
        ("Flights to Kharkiv, Kyiv and Lviv resumed.", set()),
    ],
)
def test_a_place_and_its_country(text: str, expected: set) -> None:
    found = relations(Extractor(load_kb(), relations=("lists",)), text)
    assert {r for r in found if r[1] == "locatedIn"} == expected


@pytest.mark.parametrize("trigger", TRIGGERS, ids=lambda t: f"{t.name}:{t.pattern.pattern[7:40]}")
def test_every_trigger_reads_its_example(trigger) -> None:
    [example] = [e["example"] for e in TRIGGER_DATA if _same(e, trigger)]
    found = Extractor(load_kb(), relations=("triggers",)).extract(
        Document(id="t", source="t", text=example, speaker_iso3="KEN")).relations
    assert trigger.pattern.search(lower_case(example)), example
    assert any(r.method == f"pattern:{trigger.name}" and r.predicate == trigger.predicate for r in found), example


def _same(entry: dict, trigger) -> bool:
    return entry["predicate"] == trigger.predicate and entry["form"] == trigger.form and f"(?:{entry['words']})" in trigger.pattern.pattern


def test_reported_speech_is_asserted_by_the_one_who_says_it(extractor: Extractor) -> None:
    [said] = extractor.extract(Document(id="t", source="t", text="Egypt said that Israel attacked Syria.")).relations
    assert (said.subject.label, said.predicate, said.object.label, said.asserted_by.label, said.hedged) == (
        "Israel", "attacks", "Syria", "Egypt", False)
    [claimed] = extractor.extract(Document(id="t", source="t", text="Iran claimed that Israel attacked Syria.")).relations
    assert claimed.asserted_by.label == "Iran" and claimed.hedged
    [plain] = extractor.extract(Document(id="t", source="t", text="Israel attacked Syria.")).relations
    assert plain.asserted_by is None


def test_the_graph_records_who_asserts_a_reported_relation(extractor: Extractor) -> None:
    from kg.graph import document_nquads

    extraction = extractor.extract(Document(id="t", source="t", text="Egypt said that Israel attacked Syria."))
    nquads = document_nquads(extraction).decode()
    assert "<https://w3id.org/irkg/ontology#assertedBy> <https://w3id.org/irkg/id/country/EGY>" in nquads


def test_a_long_enumeration_states_no_pairs() -> None:
    text = "Chile, Peru, Mexico, Brazil, Canada and Japan are partners, and Chile and Peru are allies."
    found = relations(Extractor(load_kb()), text)
    assert {(r[0], r[2]) for r in found if r[1] == "partnerOf"} == {("Chile", "Peru")}
