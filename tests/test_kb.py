"""The shipped entity knowledge base: its data, its loader and its fit to real text."""

from __future__ import annotations

import doctest
import json
import re
from collections import defaultdict
from pathlib import Path

import pycountry
import pytest

from kg.extract import kb as kb_module
from kg.extract.kb import (
    FORM_KINDS,
    PREDICATES,
    EntityDataError,
    Fact,
    KnowledgeBase,
    load_kb,
    slugify,
)
from kg.model import ENTITY_TYPES
from kg.resources import ENTITY_DATA_DIR

UNGD_2023 = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "ungd" / "2023"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


def ids(kb: KnowledgeBase, text: str) -> set[str]:
    return {form.entity_id for form in kb.lookup(text)}


def test_doctests() -> None:
    assert doctest.testmod(kb_module).failed == 0


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Belt and Road Initiative", "belt-and-road-initiative"),
        ("Côte d'Ivoire", "cote-d-ivoire"),
        ("Médecins Sans Frontières", "medecins-sans-frontieres"),
        ("India-Middle East-Europe Economic Corridor", "india-middle-east-europe-economic-corridor"),
        ("--G20--", "g20"),
        ("", ""),
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_every_iso_country_is_present_with_its_codes(kb: KnowledgeBase) -> None:
    assert len(pycountry.countries) == 249
    for record in pycountry.countries:
        entity = kb.country(record.alpha_3)
        assert entity.type == "Country"
        assert (entity.iso2, entity.iso3) == (record.alpha_2, record.alpha_3)
        assert ", " not in entity.label or entity.label == record.name  # no "Korea, Republic of"


def test_user_assigned_and_historical_states(kb: KnowledgeBase) -> None:
    assert kb.country("XKX").label == "Kosovo"
    for code in ("SUN", "YUG", "CSK", "DDR"):
        assert f"country/{code}" in kb.historical
    assert ids(kb, "USSR") == {"country/SUN"}
    assert "country/USA" not in kb.historical


def test_labels_are_the_names_analysts_use(kb: KnowledgeBase) -> None:
    labels = {"KOR": "South Korea", "PRK": "North Korea", "RUS": "Russia", "IRN": "Iran",
              "TUR": "Türkiye", "COD": "Democratic Republic of the Congo", "VAT": "Holy See",
              "TWN": "Taiwan", "PSE": "Palestine", "GBR": "United Kingdom", "VNM": "Vietnam"}
    for code, label in labels.items():
        assert kb.country(code).label == label


@pytest.mark.parametrize("name", ["US", "U.S.", "USA", "United States", "United States of America"])
def test_united_states_names(kb: KnowledgeBase, name: str) -> None:
    assert ids(kb, name) == {"country/USA"}
    assert not any(form.ambiguous for form in kb.lookup(name))


def test_forms_are_case_sensitive(kb: KnowledgeBase) -> None:
    assert kb.lookup("us") == ()
    assert kb.lookup("who") == ()


@pytest.mark.parametrize(
    ("text", "entity_id", "kind"),
    [
        ("GDI", "initiative/global-development-initiative", "acronym"),
        ("BRI", "initiative/belt-and-road-initiative", "acronym"),
        ("Chinese", "country/CHN", "demonym"),
        ("Russian", "country/RUS", "demonym"),
        ("Beijing", "country/CHN", "capital"),
        ("Kyiv", "country/UKR", "capital"),
        ("J&K", "region/jammu-and-kashmir", "acronym"),
        ("Kashmir", "region/jammu-and-kashmir", "alias"),
        ("Viet Nam", "country/VNM", "alias"),
        ("Türkiye", "country/TUR", "name"),
        ("Turkey", "country/TUR", "alias"),
        ("Cote d’Ivoire", "country/CIV", "alias"),  # the curly apostrophe of UN transcripts
        ("Democratic People’s Republic of Korea", "country/PRK", "alias"),
        ("the West", "region/the-west", "name"),
        ("The West", "region/the-west", "name"),
        ("the West Bank", "region/west-bank", "name"),  # not cut short by "the West"
        ("Security Council", "igo/united-nations-security-council", "alias"),
        ("ISPI", "org/italian-institute-for-international-political-studies", "acronym"),
    ],
)
def test_surface_forms(kb: KnowledgeBase, text: str, entity_id: str, kind: str) -> None:
    (form,) = kb.lookup(text)
    assert (form.entity_id, form.kind, form.ambiguous) == (entity_id, kind, False)


def test_west_alone_is_not_a_form(kb: KnowledgeBase) -> None:
    assert kb.lookup("West") == ()


def test_niger_and_nigeria_are_distinct(kb: KnowledgeBase) -> None:
    assert ids(kb, "Niger") == {"country/NER"}
    assert ids(kb, "Nigeria") == {"country/NGA"}
    assert "Niger" not in kb.country("NGA").aliases
    assert "Nigeria" not in kb.country("NER").aliases


def test_guinea_is_distinct_from_the_longer_guineas(kb: KnowledgeBase) -> None:
    assert ids(kb, "Guinea") == {"country/GIN"}
    others = {"Papua New Guinea": "PNG", "Equatorial Guinea": "GNQ", "Guinea-Bissau": "GNB"}
    for name, code in others.items():
        assert ids(kb, name) == {f"country/{code}"}
        assert "Guinea" not in kb.country(code).aliases


@pytest.mark.parametrize("text", ["Georgia", "Congo", "Korea", "Korean", "America", "Washington", "Male"])
def test_ambiguous_forms(kb: KnowledgeBase, text: str) -> None:
    forms = kb.lookup(text)
    assert forms and all(form.ambiguous for form in forms)


def test_shared_forms_are_ambiguous(kb: KnowledgeBase) -> None:
    by_text: dict[str, set[str]] = defaultdict(set)
    for form in kb.forms:
        by_text[form.text].add(form.entity_id)
    for text, owners in by_text.items():
        if len(owners) > 1:
            assert all(form.ambiguous for form in kb.lookup(text)), text
    assert ids(kb, "Congo") == {"country/COD", "country/COG"}


def test_forms_are_well_formed(kb: KnowledgeBase) -> None:
    for form in kb.forms:
        assert form.text == form.text.strip() and form.text, form
        assert form.kind in FORM_KINDS
        assert form.entity_id in kb.entities
    assert not kb.lookup("Antarctica")[0].entity_id.startswith("country/")


def test_entities_are_well_formed(kb: KnowledgeBase) -> None:
    for entity_id, entity in kb.entities.items():
        segment, key = entity_id.split("/", 1)
        assert entity.id == entity_id and entity.in_kb
        assert entity.type in ENTITY_TYPES
        assert entity.label not in entity.aliases
        if segment == "country":
            assert re.fullmatch(r"[A-Z]{3}", key) and entity.iso3 == key
        else:
            assert key == slugify(entity.label)
        if entity.wikidata:
            assert re.fullmatch(r"Q[1-9][0-9]*", entity.wikidata)


def test_facts_refer_to_known_entities(kb: KnowledgeBase) -> None:
    for fact in kb.facts:
        assert fact.predicate in PREDICATES
        assert fact.subject in kb.entities and fact.object in kb.entities, fact
    assert len(set(kb.facts)) == len(kb.facts)


@pytest.mark.parametrize(
    ("org", "count", "some"),
    [
        ("igo/g7", 7, {"JPN", "ITA"}),
        ("igo/brics", 10, {"EGY", "ETH", "IRN", "ARE"}),
        ("igo/european-union", 27, {"HRV", "IRL"}),
        ("igo/association-of-southeast-asian-nations", 10, {"MMR"}),
        ("igo/north-atlantic-treaty-organization", 32, {"FIN", "SWE", "TUR"}),
        ("igo/gulf-cooperation-council", 6, {"OMN"}),
        ("igo/quadrilateral-security-dialogue", 4, {"IND"}),
        ("igo/aukus", 3, {"AUS"}),
        ("igo/united-nations", 193, {"SSD", "CHE"}),
    ],
)
def test_memberships(kb: KnowledgeBase, org: str, count: int, some: set[str]) -> None:
    members = {f.subject for f in kb.facts if f.predicate == "memberOf" and f.object == org}
    assert len(members) == count
    assert {f"country/{code}" for code in some} <= members
    assert "country/SAU" not in members or org != "igo/brics"


def test_curated_facts(kb: KnowledgeBase) -> None:
    facts = set(kb.facts)
    assert Fact("country/CHN", "proposes", "initiative/global-development-initiative") in facts
    assert Fact("igo/european-union", "proposes", "initiative/global-gateway") in facts
    assert Fact("region/crimea", "locatedIn", "country/UKR") in facts
    assert Fact("igo/united-nations-security-council", "partOf", "igo/united-nations") in facts
    assert Fact("igo/european-union", "memberOf", "igo/g20") in facts
    taiwan_un = Fact("country/TWN", "memberOf", "igo/united-nations")
    assert taiwan_un not in facts


def test_find_resolves_publishers(kb: KnowledgeBase) -> None:
    ispi = kb.find("ISPI")
    assert ispi is not None and ispi.type == "Organization"
    assert kb.find("Italian Institute for International Political Studies") == ispi
    assert kb.find("italian institute for international political studies") == ispi
    assert kb.find("Medecins sans Frontieres") == kb.find("Médecins Sans Frontières") is not None
    assert kb.find("the Brookings Institution") == kb.find("Brookings")
    assert kb.find("Congo") is None  # two countries: the caller cannot tell which
    assert kb.find("Chinese") is None  # a demonym, not a name
    assert kb.find("No Such Institute") is None


def test_get_names_a_missing_id(kb: KnowledgeBase) -> None:
    with pytest.raises(KeyError, match="country/XXX"):
        kb.get("country/XXX")


def test_data_files_are_sorted_and_readable() -> None:
    for path in sorted(ENTITY_DATA_DIR.glob("*.json")):
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
        assert text == json.dumps(data, ensure_ascii=False, indent=2) + "\n", path.name
        if path.name == "countries.json":
            assert list(data) == sorted(data)
        else:
            labels = [entry["label"].casefold() for entry in data["entities"]]
            assert labels == sorted(labels), path.name


def test_no_redundant_article_forms_in_data() -> None:
    """An alias "the X" next to "X" only makes a matcher start a match too early."""
    for path in sorted(ENTITY_DATA_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data.values() if path.name == "countries.json" else data["entities"]
        for entry in entries:
            names = {entry.get("label"), *entry.get("aliases", []), *entry.get("acronyms", [])}
            for name in names:
                if name and name.startswith(("the ", "The ")):
                    assert name[4:] not in names, (path.name, name)


# --- validation errors name the file and the entry ------------------------------------


def write_data(tmp_path: Path, entities: list[dict], type_: str = "InternationalOrganization") -> Path:
    (tmp_path / "countries.json").write_text("{}", encoding="utf-8")
    doc = {"type": type_, "entities": entities}
    (tmp_path / "orgs.json").write_text(json.dumps(doc), encoding="utf-8")
    return tmp_path


def test_load_kb_on_minimal_data(tmp_path: Path) -> None:
    data = write_data(tmp_path, [{"label": "Group of Two", "acronyms": ["G2"], "members": ["USA", "CHN"]}])
    kb = load_kb(data)
    assert len([e for e in kb.entities.values() if e.type == "Country"]) == 249
    assert ids(kb, "G2") == {"igo/group-of-two"}
    assert Fact("country/CHN", "memberOf", "igo/group-of-two") in kb.facts


@pytest.mark.parametrize(
    ("entities", "type_", "message"),
    [
        ([{"label": "Alpha"}, {"label": "alpha"}], "Region", "orgs.json: 'alpha': duplicate id 'region/alpha'"),
        ([{"label": "Alpha", "members": ["XYZ"]}], "InternationalOrganization", "orgs.json: 'Alpha'.*unknown entity 'XYZ'"),
        ([{"label": "Alpha", "aliases": ["Beta"]}, {"label": "Beta"}], "Region", "surface form 'Beta' is claimed by several"),
        ([{"label": "Alpha", "aliases": ["China"]}], "Region", "surface form 'China'.*countries.json: CHN"),
        ([{"label": "Alpha"}], "Planet", "orgs.json: unknown entity type 'Planet'"),
        ([{"label": "Alpha", "acronym": ["A"]}], "Region", "orgs.json: 'Alpha'.*unknown field"),
        ([{"label": "Alpha", "ambiguous": ["Beta"]}], "Region", "'ambiguous' lists \\['Beta'\\]"),
    ],
)
def test_invalid_data_is_reported(tmp_path: Path, entities: list[dict], type_: str, message: str) -> None:
    with pytest.raises(EntityDataError, match=message):
        load_kb(write_data(tmp_path, entities, type_))


def test_shared_form_is_accepted_when_marked_ambiguous(tmp_path: Path) -> None:
    entities = [
        {"label": "Alpha", "aliases": ["Beta"], "ambiguous": ["Beta"]},
        {"label": "Gamma", "aliases": ["Beta"], "ambiguous": ["Beta"]},
    ]
    kb = load_kb(write_data(tmp_path, entities, "Region"))
    assert ids(kb, "Beta") == {"region/alpha", "region/gamma"}


# --- against real speeches (only in a checkout next to the shared corpus) -------------


@pytest.mark.skipif(not UNGD_2023.is_dir(), reason="no UN General Debate corpus next to this checkout")
def test_real_speeches(kb: KnowledgeBase) -> None:
    files = sorted(UNGD_2023.glob("*.txt"))
    speakers = {path.name.split("_")[0] for path in files}
    assert kb.find("EU") == kb.get("igo/european-union")  # the EU speaks too, as "EU_78_2023"
    assert all(f"country/{code}" in kb.entities for code in speakers - {"EU"})

    texts = sorted({form.text for form in kb.forms}, key=len, reverse=True)
    matcher = re.compile(r"(?<![\w&])(?:" + "|".join(map(re.escape, texts)) + r")(?![\w&])")
    sample = files[:: max(1, len(files) // 20)][:20]
    self_mentions = 0
    for path in sample:
        text = path.read_text(encoding="utf-8")
        found = {f.entity_id for m in matcher.finditer(text) for f in kb.lookup(m.group()) if not f.ambiguous}
        assert "igo/united-nations" in found or "igo/united-nations-general-assembly" in found, path.name
        speaker = path.name.split("_")[0]
        self_mentions += (f"country/{speaker}" if speaker != "EU" else "igo/european-union") in found
        # the longest name wins: no bare "Guinea" reading inside "Papua New Guinea"
        for match in matcher.finditer(text):
            assert not (match.group() == "Guinea" and text[max(0, match.start() - 4) : match.start()] == "New "), path.name
    assert self_mentions >= 15  # speakers name their own country
