"""The extractor's rules one by one: sentences, the name trie, acronyms, names, relations."""

from __future__ import annotations

import doctest
import re

import pytest

from kg.extract import acronyms, sentences, trie
from kg.extract.acronyms import find_definitions
from kg.extract.names import find_names, head_type
from kg.extract.relations import find_relations
from kg.extract.triggers import find_triggers
from kg.extract.sentences import Sentence, split_sentences
from kg.extract.trie import trie_pattern
from kg.model import Entity, Mention


@pytest.mark.parametrize("module", [sentences, trie, acronyms])
def test_doctests(module) -> None:
    assert doctest.testmod(module).failed == 0


def test_sentences_keep_offsets_and_abbreviations() -> None:
    text = "China and the U.S. met in Geneva. Dr. Lee spoke!  Then Mr. Smith left.\nA new line"
    found = list(split_sentences(text))
    assert [s.text for s in found] == ["China and the U.S. met in Geneva.", "Dr. Lee spoke!", "Then Mr. Smith left.", "A new line"]
    assert all(text[s.start : s.end] == s.text for s in found)


def test_trie_prefers_the_longest_name_at_word_boundaries() -> None:
    regex = re.compile(r"(?<!\w)" + trie_pattern(["Guinea", "Guinea-Bissau", "Papua New Guinea", "Niger", "Nigeria"]) + r"(?!\w)")
    text = "Guinea-Bissau, Papua New Guinea, Guinea, Nigeria and Niger; not Nigerien"
    assert [m.group() for m in regex.finditer(text)] == ["Guinea-Bissau", "Papua New Guinea", "Guinea", "Nigeria", "Niger"]


def test_acronym_definitions_spell_their_initials() -> None:
    text = (
        "the new Global Development Initiative (GDI) and Global Security Initiative (GSI). "
        "The agenda of the Bharatiya Janata Party (BJP). Jammu and Kashmir (J&K). renewable energy (RE)."
    )
    assert [(d.long, d.short) for d in find_definitions(text)] == [
        ("Global Development Initiative", "GDI"),
        ("Global Security Initiative", "GSI"),
        ("Bharatiya Janata Party", "BJP"),
        ("Jammu and Kashmir", "J&K"),
    ]
    for d in find_definitions(text):
        assert text[d.long_start : d.long_end] == d.long and text[d.short_start : d.short_end] == d.short


@pytest.mark.parametrize(
    ("text", "name", "type_"),
    [
        ("Since then, President Xi Jinping has proposed it.", "Xi Jinping", "Person"),
        ("Since then, President  Xi  Jinping has proposed it.", "Xi Jinping", "Person"),
        ("Secretary-General António Guterres said so.", "António Guterres", "Person"),
        ("on the agenda of the Bharatiya Janata Party for decades", "Bharatiya Janata Party", "PoliticalParty"),
        ("The China-Russia Partnership and the Ukraine War: Aligned", "Ukraine War", "Event"),
        ("We look forward to the Summit of the Future next year.", "Summit of the Future", "Event"),
        ("At COP28 in Dubai we agreed.", "COP28", "Event"),
        ("The abrogation of Article 370 changed that.", "Article 370", "LegalInstrument"),
        ("under resolution 2231 (2015) of the Council", "Resolution 2231 (2015)", "LegalInstrument"),
        ("We ratified the Convention on the Rights of the Child.", "Convention on the Rights of the Child", "LegalInstrument"),
        ("We commend His Excellency, Antonio Guterres, Secretary-General of the United Nations.", "Antonio Guterres", "Person"),
        ("I thank your predecessor, Volkan Bozkir, for his work.", "Volkan Bozkir", "Person"),
        ("President Abdel- Fattah Al-Burhan spoke first.", "Abdel-Fattah Al-Burhan", "Person"),
        ("The talks with General Mohamed Hamdan Dagalo failed.", "Mohamed Hamdan Dagalo", "Person"),
        ("The Right Reverend Justin Badi Arama led the prayers.", "Justin Badi Arama", "Person"),
        ("The Archbishop of the Catholic Church was there.", "Catholic Church", "Organization"),
        ("We back the Secretary-General’s New Agenda for Peace.", "New Agenda for Peace", "Initiative"),
        ("We welcome the Decade of Action and the Paris Agreement.", "Decade of Action", "Initiative"),
        ("The Sudan People’s Liberation Army in Opposition signed.", "Sudan People’s Liberation Army", "Organization"),
        ("at the twenty-sixth session of the Conference of the Parties in Glasgow", "COP26", "Event"),
        ("before the 28th Conference of the Parties", "COP28", "Event"),
        ("We mark the seventy-fifth anniversary of the United Nations.", "seventy-fifth anniversary of the United Nations", "Event"),
        ("The war in Ukraine must end.", "War in Ukraine", "Event"),
        ("We recall resolutions 2445 (2018) and 2469 (2019).", "Resolution 2469 (2019)", "LegalInstrument"),
        ("Georgia hosted the Rugby World Cup and the European Youth Olympic Festival.", "Rugby World Cup", "Event"),
        ("Georgia hosted the 2015 UEFA Super Cup.", "2015 UEFA Super Cup", "Event"),
        ("in breach of the 4th Geneva Convention", "4th Geneva Convention", "LegalInstrument"),
        ("the Pyongyang Joint Declaration of September 2018", "Pyongyang Joint Declaration", "LegalInstrument"),
        ("We joined the African Leaders’ Malaria Alliance.", "African Leaders’ Malaria Alliance", "Organization"),
        ("talks between General Al-Burhan and the Rapid Support Forces", "Rapid Support Forces", "Organization"),
        ("We back the WHO’s Strategic Preparedness and Response Plan.", "Strategic Preparedness and Response Plan", "Initiative"),
        ("We thank the Church of Scotland for its help.", "Church of Scotland", "Organization"),
        ("a debate in the Senate of Côte d’Ivoire", "Senate of Côte d’Ivoire", "Organization"),
        ("progress on Sustainable Development Goal 13 and SDG 3", "Sustainable Development Goal 3", "Initiative"),
        ("the goals of our Vision 2030 plan", "Vision 2030", "Initiative"),
    ],
)
def test_names_outside_the_knowledge_base_are_typed(text: str, name: str, type_: str) -> None:
    found = {(n.text, n.type) for n in find_names(text)}
    assert (name, type_) in found
    for n in find_names(text):
        spelled = re.sub(r"-[ ]", "-", re.sub(r"\s+", " ", text[n.start : n.end]))
        assert n.text == spelled or n.method in ("pattern:numbered", "pattern:war")


def test_an_owner_before_a_name_is_not_part_of_it() -> None:
    # "the African Union's Agenda": the Union's agenda, not a name "African Union's Agenda".
    assert [n.text for n in find_names("in line with the African Union’s Agenda 2063")] == []


def test_title_cased_headlines_give_no_names() -> None:
    headline = "Unlocking India’s Energy Transition: Addressing Grid Flexibility Challenges and Solutions"
    assert list(find_names(headline)) == []
    assert head_type("Labour Party") == "PoliticalParty"


def _entity(key: str, type_: str = "Country") -> Entity:
    return Entity(id=f"country/{key}", label=key, type=type_)


def _mentions(text: str, entities: dict[str, Entity]) -> list[Mention]:
    found = []
    for surface, entity in entities.items():
        for m in re.finditer(re.escape(surface), text):
            found.append(Mention(surface, m.start(), m.end(), entity, 0.9, "test"))
    return sorted(found, key=lambda m: m.start)


def _found(text: str, entities: dict[str, Entity], speaker: Entity | None = None) -> list:
    sentence = Sentence(0, len(text), text)
    return list(find_relations(sentence, _mentions(text, entities), find_triggers(text), speaker))


def _relations(text: str, entities: dict[str, Entity], speaker: Entity | None = None) -> set[tuple[str, str, str]]:
    """The plain relations: neither negated nor hedged."""
    return {(r.subject.label, r.predicate, r.object.label) for r in _found(text, entities, speaker) if not (r.negated or r.hedged)}


CHN, RUS, USA, UKR = (_entity(k) for k in ("CHN", "RUS", "USA", "UKR"))
GDI = Entity(id="initiative/gdi", label="GDI", type="Initiative")


def test_coordinated_subjects_share_the_relation() -> None:
    text = "China and Russia maintain a strategic partnership rooted in shared opposition to the U.S. and liberal democracies."
    assert _relations(text, {"China": CHN, "Russia": RUS, "U.S.": USA}) == {
        ("CHN", "partnerOf", "RUS"), ("CHN", "opposes", "USA"), ("RUS", "opposes", "USA"),
    }


def test_direction_follows_the_trigger() -> None:
    both = {"Russia": RUS, "Ukraine": UKR}
    assert _relations("Russia condemned Ukraine.", both) == {("RUS", "protests", "UKR")}
    assert _relations("Ukraine condemned Russia.", both) == {("UKR", "protests", "RUS")}
    assert _relations("Ukraine was invaded by Russia.", both) == {("RUS", "attacks", "UKR")}
    assert _relations("Russia accuses Ukraine of provocations.", both) == {("RUS", "accuses", "UKR")}


@pytest.mark.parametrize(
    ("text", "predicate"),
    [
        ("China signed an agreement with Russia.", "agreesWith"),
        ("China held talks with Russia.", "consultsWith"),
        ("China provided vaccines to Russia.", "aids"),
        ("China called on Russia to withdraw.", "demandsFrom"),
        ("China rejected Russia's claims.", "rejects"),
        ("China threatened Russia.", "threatens"),
        ("China imposed sanctions on Russia.", "sanctions"),
        ("China occupies parts of Russia.", "coerces"),
        ("China launched an attack on Russia.", "attacks"),
    ],
)
def test_event_families(text: str, predicate: str) -> None:
    assert ("CHN", predicate, "RUS") in _relations(text, {"China": CHN, "Russia": RUS})


def test_a_specific_trigger_hides_the_generic_one_inside_it() -> None:
    assert _relations("Russia's aggression against Ukraine.", {"Russia": RUS, "Ukraine": UKR}) == {("RUS", "attacks", "UKR")}


def test_negated_and_hedged_relations_are_marked_not_dropped() -> None:
    negated = _found("China does not support Russia.", {"China": CHN, "Russia": RUS})
    assert [(r.predicate, r.negated, r.hedged) for r in negated] == [("supports", True, False)]
    hedged = _found("China could support Russia.", {"China": CHN, "Russia": RUS})
    assert [(r.predicate, r.negated, r.hedged) for r in hedged] == [("supports", False, True)]
    conditional = _found("If Palestine were to join the BRICS, it would matter.", {"Palestine": _entity("PSE"), "BRICS": _entity("BRICS", "InternationalOrganization")})
    assert all(r.hedged for r in conditional) and conditional
    assert not _found("To this end, I would like to propose a GDI.", {"GDI": GDI}, speaker=CHN)[0].hedged


def test_first_person_in_a_speech_is_the_speaker() -> None:
    text = "To this end, I would like to propose a GDI."
    assert _relations(text, {"GDI": GDI}, speaker=CHN) == {("CHN", "proposes", "GDI")}


def test_types_constrain_arguments() -> None:
    # An initiative cannot be a partner, a country cannot be proposed.
    assert _relations("China proposed Russia.", {"China": CHN, "Russia": RUS}) == set()


def test_first_person_objects_are_the_speaker() -> None:
    assert _relations("Russia attacked my country in 2008.", {"Russia": RUS}, speaker=UKR) == {("RUS", "attacks", "UKR")}
    # "the capital of my country" is not the subject of "against".
    text = "attacks against the capital of my country, as well as against Russia."
    assert ("UKR", "attacks", "RUS") not in _relations(text, {"Russia": RUS}, speaker=UKR)


def test_members_listed_after_a_bloc() -> None:
    from kg.extract.relations import listed_members

    brics = Entity(id="igo/brics", label="BRICS", type="InternationalOrganization")
    text = "the BRICS countries Brazil, Russia, India, China and South Africa have potential."
    entities = {"BRICS": brics, **{name: _entity(name) for name in ("Brazil", "Russia", "India", "China", "South Africa")}}
    found = {(r.subject.label, r.predicate, r.object.label) for r in listed_members(Sentence(0, len(text), text), _mentions(text, entities))}
    assert found == {(name, "memberOf", "BRICS") for name in ("Brazil", "Russia", "India", "China", "South Africa")}


def test_a_name_qualifying_the_object_is_not_the_object() -> None:
    unga = Entity(id="igo/unga", label="General Assembly", type="InternationalOrganization")
    text = "Italy and Japan voted against the General Assembly resolution to combat the glorification of Nazism."
    assert _relations(text, {"Italy": _entity("ITA"), "Japan": _entity("JPN"), "General Assembly": unga}) == set()


def test_only_events_are_held_somewhere() -> None:
    africa, abuja = Entity(id="region/africa", label="Africa", type="Region"), Entity(id="region/abuja", label="Abuja", type="Region")
    summit = Entity(id="event/summit", label="Security Summit", type="Event")
    assert _relations("The Summit for Africa, held in Abuja, ended.", {"Africa": africa, "Abuja": abuja}) == set()
    assert _relations("The Security Summit was held in Abuja.", {"Security Summit": summit, "Abuja": abuja}) == {
        ("Security Summit", "locatedIn", "Abuja")
    }


def test_a_participle_adjective_is_no_relation() -> None:
    poland = _entity("POL")
    assert _relations("Poland, a neighbour of attacked Ukraine, took in refugees.", {"Poland": poland, "Ukraine": UKR}) == set()


def test_a_possessor_in_another_clause_is_not_the_subject() -> None:
    poland = _entity("POL")
    text = "We have consistently opposed Russia’s imperialist policy and have supported Ukraine."
    found = _relations(text, {"Russia": RUS, "Ukraine": UKR}, speaker=poland)
    assert ("RUS", "supports", "UKR") not in found
    assert ("CHN", "supports", "GDI") in _relations("China’s strong support for the GDI is clear.", {"China": CHN, "GDI": GDI})
