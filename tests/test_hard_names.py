"""Hard names in real sentences: does the extractor resolve each one to the right entity?

The cases live in ``tests/data/hard_names.json``. Most sentences are copied exactly from the
UN General Debate Corpus (CC0; ``file`` names the speech, whose ISO3 prefix is the speaker);
those marked ``"source": "written"`` were written for this test in the style of the corpus,
where the corpus has no sentence for the case. Each case names a ``surface`` string of the
sentence (its ``occurrence``-th appearance as a whole word, counting from 0) and either

- ``expect``: an entity id; some mention covering the whole surface string must resolve to
  it ("Georgia" in "Ukraine and Georgia" is ``country/GEO``), or
- ``forbid``: entity ids; no mention overlapping the surface string may resolve to any of
  them ("Jordan" in "Michael Jordan" is not ``country/JOR``).

Each case is one sentence (two where "the Union" needs the one before it) extracted alone,
with the speaker of its speech.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kg.extract.extractor import Extractor
from kg.extract.kb import load_kb
from kg.model import Document, Extraction, Mention

DATA = Path(__file__).parent / "data" / "hard_names.json"
CASES = json.loads(DATA.read_text(encoding="utf-8"))["cases"]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_kb())


def _span(case: dict) -> tuple[int, int]:
    """Offsets of the ``occurrence``-th whole-word appearance of the surface string
    ("Niger" is not found inside "Nigeria")."""
    found = list(re.finditer(r"(?<!\w)" + re.escape(case["surface"]) + r"(?!\w)", case["text"]))
    index = case.get("occurrence", 0)
    assert index < len(found), f"{case['id']}: {case['surface']!r} not found often enough in the sentence"
    return found[index].span()


def _extract(extractor: Extractor, case: dict) -> Extraction:
    document = Document(
        id=f"hard-names/{case['id']}",
        text=case["text"],
        source=case["file"] or "written",
        type="Speech",
        speaker_iso3=case["speaker_iso3"],
    )
    return extractor.extract(document)


def _show(mentions: list[Mention]) -> str:
    return ", ".join(f"{m.text!r}[{m.start}:{m.end}] -> {m.entity.id}" for m in mentions) or "nothing"


# Known limits, kept visible: a strict xfail turns into a failure the day they are solved.
KNOWN_LIMITS = {
    "moscow-as-soviet-government": "a capital is read as today's state; telling the Soviet "
    "government from the Russian one needs the time the sentence speaks of",
}


def _marked(case: dict):
    reason = KNOWN_LIMITS.get(case["id"])
    marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
    return pytest.param(case, marks=marks, id=case["id"])


@pytest.mark.parametrize("case", [_marked(c) for c in CASES])
def test_hard_name(extractor: Extractor, case: dict) -> None:
    start, end = _span(case)
    mentions = _extract(extractor, case).mentions
    overlapping = [m for m in mentions if m.start < end and start < m.end]
    where = (
        f"\nsentence ({case['file'] or 'written'}, speaker {case['speaker_iso3']}): {case['text']!r}"
        f"\nsurface: {case['surface']!r}[{start}:{end}]"
        f"\nextractor, on that span: {_show(overlapping)}"
        f"\nextractor, whole sentence: {_show(list(mentions))}"
        + (f"\nnote: {case['note']}" if case.get("note") else "")
    )
    if "expect" in case:
        covering = [m for m in overlapping if m.start <= start and m.end >= end]
        assert any(m.entity.id == case["expect"] for m in covering), f"expected {case['expect']}{where}"
    else:
        wrong = [m for m in overlapping if m.entity.id in case["forbid"]]
        assert not wrong, f"must not be {' or '.join(case['forbid'])}{where}"


def test_cases_are_well_formed() -> None:
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    for case in CASES:
        assert ("expect" in case) != ("forbid" in case), case["id"]
        assert case["source"] in ("corpus", "written"), case["id"]
        assert (case["source"] == "corpus") == bool(case["file"]), case["id"]
        assert case["speaker_iso3"], case["id"]


def test_a_longer_form_of_a_known_name_is_the_known_entity(extractor: Extractor) -> None:
    document = Document(id="prefix", text="We ratified the Paris Agreement on Climate Change in 2016.",
                        source="written", type="Speech")
    found = {(m.text, m.entity.id) for m in extractor.extract(document).mentions}
    assert ("Paris Agreement on Climate Change", "instrument/paris-agreement") in found


def test_a_capital_named_as_a_place_is_the_city_not_the_government(extractor: Extractor) -> None:
    text = "The summit was held in Addis Ababa, and Moscow said it would attend the Minsk talks."
    found = {m.text: m.entity for m in extractor.extract(Document(id="city", text=text, source="written", type="Speech")).mentions}
    assert (found["Addis Ababa"].type, found["Addis Ababa"].label) == ("Place", "Addis Ababa")
    assert found["Moscow"].id == "country/RUS"
    assert "Minsk" not in found  # a city naming talks is neither the place nor the government


def test_a_body_named_after_its_country_is_national(extractor: Extractor) -> None:
    text = "The Japan International Cooperation Agency and the International Fund for Animal Welfare helped."
    found = {m.text: m.entity.type for m in extractor.extract(Document(id="national", text=text, source="written", type="Speech")).mentions}
    assert found["Japan International Cooperation Agency"] == "Organization"


def test_a_name_cut_before_a_known_tail_keeps_exact_offsets(extractor: Extractor) -> None:
    text = "The Abdel- Fattah Cooperation Agency of the United States helped."
    found = extractor.extract(Document(id="offsets", text=text, source="written", type="Speech")).mentions
    agency = next(m for m in found if m.entity.type == "Organization")
    assert (agency.entity.label, text[agency.start : agency.end]) == (
        "Abdel-Fattah Cooperation Agency", "Abdel- Fattah Cooperation Agency")
