"""The statistical recogniser beside the knowledge base, on made-up sentences."""

from __future__ import annotations

import pickle

import pytest

from kg.extract.extractor import Extractor
from kg.extract.kb import load_kb
from kg.model import Document


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_kb())


def _mentions(extractor: Extractor, text: str, type_: str = "Article"):
    return extractor.extract(Document(id="made-up", text=text, source="written", type=type_)).mentions


def test_a_person_named_without_a_title_is_found(extractor: Extractor) -> None:
    found = {m.text: m for m in _mentions(extractor, "Talks stalled after Yevgeny Prigozhin marched on the capital.")}
    assert found["Yevgeny Prigozhin"].entity.type == "Person"
    assert found["Yevgeny Prigozhin"].method == "ner:PERSON"


def test_a_full_name_then_a_surname_is_one_person(extractor: Extractor) -> None:
    text = "Voters heard Donald Trump speak in Ohio. Later that day, Trump criticised the tariffs."
    people = {m.text: m.entity.id for m in _mentions(extractor, text) if m.entity.type == "Person"}
    assert people == {"Donald Trump": "person/donald-trump", "Trump": "person/donald-trump"}


def test_a_title_is_cut_and_the_surname_joins_the_full_name(extractor: Extractor) -> None:
    text = "The statement was issued by Antony J. Blinken on Monday. Reporters later asked Secretary Blinken about it."
    people = {m.text: m.entity.id for m in _mentions(extractor, text) if m.entity.type == "Person"}
    assert people.get("Blinken") == people["Antony J. Blinken"]


def test_a_surname_two_people_share_is_linked_to_neither(extractor: Extractor) -> None:
    text = "Donald Trump met reporters on Monday. Ivanka Trump joined him later. Trump said nothing."
    by_text = {m.text: m.entity.id for m in _mentions(extractor, text) if m.entity.type == "Person"}
    assert by_text["Donald Trump"] != by_text["Ivanka Trump"]
    assert "Trump" not in by_text


def test_a_knowledge_base_name_keeps_its_entity_whatever_the_model_says(extractor: Extractor) -> None:
    # the model reads "Houthis" as people; the knowledge base lists the group
    text = "Officials said the Houthis fired at a ship while Hezbollah watched."
    found = {m.text: m for m in _mentions(extractor, text)}
    assert (found["Houthis"].entity.id, found["Houthis"].entity.type) == ("org/houthis", "Organization")
    assert found["Houthis"].method.startswith("gazetteer:")


def test_noise_is_dropped(extractor: Extractor) -> None:
    text = ("On Monday, the Secretary met 15 delegates at 10 a.m. to discuss H.R. 3803 and 15 C.F.R. rules. "
            "Dialogue matters, as the dialogue showed; Fellow Delegates, thank you.")
    assert {m.text for m in _mentions(extractor, text) if m.method.startswith("ner:")} == set()


def test_the_recogniser_can_be_switched_off() -> None:
    off = Extractor(load_kb(), ner=False)
    text = "Talks stalled after Yevgeny Prigozhin marched on the capital."
    mentions = off.extract(Document(id="off", text=text, source="written")).mentions
    assert not any(m.method.startswith("ner:") for m in mentions)
    assert off.recognizer is None


def test_the_recogniser_pickles_without_its_loaded_model(extractor: Extractor) -> None:
    # worker processes get the extractor's parts; the model is loaded again on first use there
    _mentions(extractor, "Talks stalled after Yevgeny Prigozhin marched on the capital.")
    copy = pickle.loads(pickle.dumps(extractor.recognizer))
    assert copy.parser._nlp is None
    assert copy.parser.model == extractor.parser.model


def test_a_new_city_is_a_place_with_a_stable_id(extractor: Extractor) -> None:
    found = {m.text: m.entity for m in _mentions(extractor, "The convoy reached Zaporozhets Village before dawn, officials in Mykolaivka said.")}
    cities = {e.id for e in found.values() if e.type in ("Place", "Region")}
    assert all(i.startswith(("place/", "region/")) for i in cities)
