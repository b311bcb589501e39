"""The curated entity knowledge base: who the extractor can recognise, and by which names.

The data ships as JSON under ``ontology/entities/`` (see its README). Countries come from
pycountry (codes and ISO names) plus the overlay ``countries.json`` (the names analysts use,
aliases, demonyms, capitals); every other file holds one entity type:

    {"type": "InternationalOrganization", "entities": [{"label": ..., "acronyms": [...], ...}]}

``load_kb`` reads and validates it once per process and returns a :class:`KnowledgeBase`:
entities by id, the surface forms a gazetteer matches (case-sensitively, so "US" never
matches "us"), the curated facts (memberships, parts, locations, proposers) and the state
each government body acts for.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pycountry

from kg.errors import KgError
from kg.model import SEGMENTS, Entity
from kg.resources import ENTITY_DATA_DIR

COUNTRIES_FILE = "countries.json"
# The classes the data files may hold (countries come from pycountry and countries.json;
# people, and parties the data does not list, are found in text).
FILE_TYPES = (
    "InternationalOrganization", "Organization", "PoliticalParty", "Initiative", "Region", "Place",
    "LegalInstrument", "Event",
)
# Precedence within one entity. A "seat" is a seat of government that stands for the state
# ("the Kremlin", "the White House"): read like a capital, as the government when it acts.
FORM_KINDS = ("name", "alias", "acronym", "demonym", "capital", "seat")
PREDICATES = ("memberOf", "partOf", "proposes", "locatedIn")
_ENTRY_KEYS = frozenset(
    {"label", "acronyms", "aliases", "demonyms", "capitals", "seats", "wikidata", "official_name",
     "ambiguous", "members", "partOf", "located_in", "of_country", "proposed_by", "historical",
     "user_assigned", "iso2", "match", "source", "note"}
)
_ISO3 = re.compile(r"[A-Z]{3}")
_SOURCE = re.compile(r"https?://\S+")
_APOSTROPHES = ("'", "\u2019")


class EntityDataError(KgError):
    """The shipped entity data is inconsistent; the message names the file and entry."""


def slugify(name: str) -> str:
    """Lower-cased ASCII form of ``name``, with runs of other characters replaced by "-".

    >>> slugify("Belt and Road Initiative")
    'belt-and-road-initiative'
    >>> slugify("Côte d'Ivoire")
    'cote-d-ivoire'
    >>> slugify("  UN Women! ")
    'un-women'
    >>> slugify("Visegrád Group (V4)")
    'visegrad-group-v4'
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


@dataclass(frozen=True)
class SurfaceForm:
    """An exact string of text that names an entity."""

    text: str
    entity_id: str
    kind: str  # one of FORM_KINDS
    ambiguous: bool  # also a common word, a person's name, or shared with another entity


@dataclass(frozen=True)
class Fact:
    """A curated statement between two entities, e.g. ``country/IND memberOf igo/brics``."""

    subject: str
    predicate: str  # one of PREDICATES (kg ontology local names)
    object: str


@dataclass(frozen=True)
class KnowledgeBase:
    """Entities, their surface forms and curated facts, as loaded by :func:`load_kb`."""

    entities: Mapping[str, Entity]
    forms: tuple[SurfaceForm, ...]
    facts: tuple[Fact, ...]
    historical: frozenset[str] = frozenset()  # ids of states and bodies that no longer exist
    # The country a government body (ministry, agency, armed force) is an organ of, by the
    # body's id: ``state_of["org/federal-security-service"] == "country/RUS"``.
    state_of: Mapping[str, str] = field(default_factory=dict)
    _by_text: Mapping[str, tuple[SurfaceForm, ...]] = field(default_factory=dict, repr=False)
    _by_key: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

    def get(self, entity_id: str) -> Entity:
        """The entity with this id; ``KeyError`` names the id when there is none."""
        try:
            return self.entities[entity_id]
        except KeyError:
            raise KeyError(f"no entity {entity_id!r} in the knowledge base") from None

    def country(self, iso3: str) -> Entity:
        """The country with this ISO 3166-1 alpha-3 (or ISO 3166-3) code, e.g. ``"CHN"``."""
        return self.get(f"country/{iso3.upper()}")

    def lookup(self, text: str) -> tuple[SurfaceForm, ...]:
        """Every surface form spelled exactly ``text`` (one, or several if ambiguous)."""
        return self._by_text.get(text, ())

    def find(self, name: str) -> Entity | None:
        """The one entity called ``name`` (a name, alias or acronym), or None.

        Exact spelling first, then ignoring case, accents, apostrophe style and a leading
        "the". A name shared by several entities gives None: the caller cannot tell which.
        """
        exact = {f.entity_id for f in self.lookup(name.strip()) if f.kind in _FIND_KINDS}
        ids = exact or set(self._by_key.get(_find_key(name), ()))
        return self.entities[ids.pop()] if len(ids) == 1 else None


_FIND_KINDS = frozenset({"name", "alias", "acronym"})


def _find_key(name: str) -> str:
    """The loose key :meth:`KnowledgeBase.find` falls back to."""
    key = unicodedata.normalize("NFKD", name.replace("\u2019", "'"))
    key = "".join(c for c in key if not unicodedata.combining(c)).casefold()
    key = " ".join(key.split())
    return key[4:] if key.startswith("the ") else key


@functools.cache
def load_kb(data_dir: Path = ENTITY_DATA_DIR) -> KnowledgeBase:
    """Read, validate and index the entity data in ``data_dir`` (cached per process)."""
    records = [*_country_records(data_dir / COUNTRIES_FILE)]
    for path in sorted(data_dir.glob("*.json")):
        if path.name != COUNTRIES_FILE:
            records.extend(_file_records(path))
    return _build(records)


@dataclass
class _Record:
    """One entry of a data file, before the cross-file checks."""

    where: str  # "<file>: <entry>" for error messages
    entity: Entity
    acronyms: tuple[str, ...]
    raw: Mapping[str, Any]


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EntityDataError(f"{path}: entity data file is missing; reinstall kg") from None
    except json.JSONDecodeError as exc:
        raise EntityDataError(f"{path}: not valid JSON ({exc})") from None


def _strings(raw: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    values = raw.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise EntityDataError(f"{where}: {key!r} must be a list of non-empty strings")
    return tuple(values)


def _check_keys(raw: Any, where: str) -> None:
    if not isinstance(raw, dict) or not isinstance(raw.get("label"), str):
        raise EntityDataError(f"{where}: an entry must be an object with a 'label'")
    unknown = set(raw) - _ENTRY_KEYS
    if unknown:
        raise EntityDataError(
            f"{where}: unknown field(s) {sorted(unknown)}; valid fields: {sorted(_ENTRY_KEYS)}"
        )
    source = raw.get("source")
    if source is not None and not (isinstance(source, str) and _SOURCE.fullmatch(source)):
        raise EntityDataError(f"{where}: 'source' must be one URL (https://...), not {source!r}")


def _unique(values: Iterable[str], exclude: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v != exclude))


def _iso_names(country: Any, label: str) -> Iterator[str]:
    """pycountry's names for a country, minus the inverted "Korea, Republic of" forms."""
    for attr in ("name", "official_name", "common_name"):
        value = getattr(country, attr, None)
        if not value:
            continue
        value = value[4:] if value.startswith("the ") else value
        if ", " not in value or value == label:
            yield value


def _country_records(path: Path) -> Iterator[_Record]:
    overlay = _read_json(path)
    iso = {c.alpha_3: c for c in pycountry.countries}
    for code in sorted(set(iso) | set(overlay)):
        raw = overlay.get(code, {})
        where = f"{path.name}: {code}"
        _check_keys({"label": "", **raw}, where)
        record = iso.get(code) or pycountry.historic_countries.get(alpha_3=code)
        if code not in iso and not (raw.get("historical") or raw.get("user_assigned")):
            raise EntityDataError(
                f"{where}: not an ISO 3166-1 code; mark it \"historical\" or \"user_assigned\""
            )
        label = raw.get("label") or getattr(record, "common_name", None) or record.name
        official = raw.get("official_name") or getattr(record, "official_name", None)
        official = official[4:] if official and official.startswith("the ") else official
        names = [*_strings(raw, "aliases", where), *(_iso_names(record, label) if record else ())]
        if official:
            names.insert(0, official)
        entity = Entity(
            id=f"country/{code}",
            label=label,
            type="Country",
            aliases=_unique([*names, *_strings(raw, "acronyms", where)], label),
            iso2=raw.get("iso2") or (record.alpha_2 if record else None),
            iso3=code,
            wikidata=raw.get("wikidata"),
            official_name=official if official != label else None,
            demonyms=_strings(raw, "demonyms", where),
            capitals=_strings(raw, "capitals", where),
        )
        yield _Record(where, entity, _strings(raw, "acronyms", where), raw)


def _file_records(path: Path) -> Iterator[_Record]:
    data = _read_json(path)
    type_ = data.get("type") if isinstance(data, dict) else None
    if type_ not in FILE_TYPES:
        valid = sorted(FILE_TYPES)
        raise EntityDataError(f"{path.name}: unknown entity type {type_!r}; valid types: {valid}")
    for index, raw in enumerate(data.get("entities", [])):
        label = raw.get("label") if isinstance(raw, dict) else None
        where = f"{path.name}: {label!r}" if isinstance(label, str) else f"{path.name}: entry {index}"
        _check_keys(raw, where)
        acronyms = _strings(raw, "acronyms", where)
        official = raw.get("official_name")
        entity = Entity(
            id=f"{SEGMENTS[type_]}/{slugify(label)}",
            label=label,
            type=type_,
            aliases=_unique([*([official] if official else []),
                             *_strings(raw, "aliases", where), *acronyms], label),
            wikidata=raw.get("wikidata"),
            official_name=official,
            demonyms=_strings(raw, "demonyms", where),
            capitals=_strings(raw, "capitals", where),
        )
        yield _Record(where, entity, acronyms, raw)


def _build(records: list[_Record]) -> KnowledgeBase:
    entities: dict[str, Entity] = {}
    where: dict[str, str] = {}
    for record in records:
        entity_id = record.entity.id
        if entity_id in entities:
            raise EntityDataError(
                f"{record.where}: duplicate id {entity_id!r} (also {where[entity_id]}); "
                "give one of them a different label"
            )
        entities[entity_id] = record.entity
        where[entity_id] = record.where
        if record.entity.wikidata and not re.fullmatch(r"Q[1-9][0-9]*", record.entity.wikidata):
            raise EntityDataError(f"{record.where}: bad Wikidata id {record.entity.wikidata!r}")
    facts = sorted({fact for r in records for fact in _facts(r, entities)},
                   key=lambda f: (f.predicate, f.object, f.subject))
    state_of = {r.entity.id: _state(r, entities) for r in records if "of_country" in r.raw}
    in_country = {f.subject for f in facts if f.predicate == "locatedIn" and f.object.startswith("country/")}
    for record in records:
        if record.entity.type == "Place" and record.entity.id not in in_country:
            raise EntityDataError(f"{record.where}: a Place needs its country in 'located_in' (ISO alpha-3)")
    forms = [form for r in records if r.raw.get("match", True) for form in _forms(r)]
    forms += _article_guards(forms)
    by_text = _index_forms(forms, where)
    by_key: dict[str, set[str]] = defaultdict(set)
    for form in forms:
        if form.kind in _FIND_KINDS:
            by_key[_find_key(form.text)].add(form.entity_id)
    return KnowledgeBase(
        entities=MappingProxyType(entities),
        forms=tuple(forms),
        facts=tuple(facts),
        historical=frozenset(r.entity.id for r in records if r.raw.get("historical")),
        state_of=MappingProxyType(state_of),
        _by_text=MappingProxyType(by_text),
        _by_key=MappingProxyType({k: tuple(sorted(v)) for k, v in by_key.items()}),
    )


def _ref(value: str, record: _Record, key: str, entities: Mapping[str, Entity]) -> str:
    """Resolve an ISO3 code or an entity id written in the data to a known entity id."""
    entity_id = f"country/{value}" if _ISO3.fullmatch(value) else value
    if entity_id not in entities:
        raise EntityDataError(
            f"{record.where}: {key!r} refers to unknown entity {value!r}; "
            "use an ISO alpha-3 code or an id such as 'igo/european-union'"
        )
    return entity_id


def _state(record: _Record, entities: Mapping[str, Entity]) -> str:
    """The country named by an entry's ``of_country`` (one ISO alpha-3 code)."""
    value = record.raw["of_country"]
    if not (isinstance(value, str) and _ISO3.fullmatch(value) and f"country/{value}" in entities):
        raise EntityDataError(
            f"{record.where}: 'of_country' must be the ISO alpha-3 code of one country, not {value!r}"
        )
    return f"country/{value}"


def _facts(record: _Record, entities: Mapping[str, Entity]) -> Iterator[Fact]:
    """The graph's statements of an entry; a body's ``of_country`` is stated as locatedIn."""
    me, raw = record.entity.id, record.raw
    for value in _strings(raw, "members", record.where):
        yield Fact(_ref(value, record, "members", entities), "memberOf", me)
    for value in _strings(raw, "partOf", record.where):
        yield Fact(me, "partOf", _ref(value, record, "partOf", entities))
    for value in _strings(raw, "located_in", record.where):
        yield Fact(me, "locatedIn", _ref(value, record, "located_in", entities))
    if "of_country" in raw:
        yield Fact(me, "locatedIn", _state(record, entities))
    for value in _strings(raw, "proposed_by", record.where):
        yield Fact(_ref(value, record, "proposed_by", entities), "proposes", me)


def _variants(text: str) -> Iterator[str]:
    """The spellings real text uses for a form: sentence-initial "The", both apostrophes."""
    texts = [text, "The " + text[4:]] if text.startswith("the ") else [text]
    for t in texts:
        yield t
        for a, b in (_APOSTROPHES, _APOSTROPHES[::-1]):
            if a in t:
                yield t.replace(a, b)


def _forms(record: _Record) -> Iterator[SurfaceForm]:
    entity = record.entity
    acronyms = set(record.acronyms)
    by_kind = {
        "name": [entity.label],
        "alias": [a for a in entity.aliases if a not in acronyms],
        "acronym": list(record.acronyms),
        "demonym": list(entity.demonyms),
        "capital": list(entity.capitals),
        "seat": list(_strings(record.raw, "seats", record.where)),
    }
    ambiguous = set(_strings(record.raw, "ambiguous", record.where))
    listed = {text for texts in by_kind.values() for text in texts}
    if ambiguous - listed:
        raise EntityDataError(
            f"{record.where}: 'ambiguous' lists {sorted(ambiguous - listed)}, "
            "which are not among its names, aliases, acronyms, demonyms, capitals or seats"
        )
    seen: set[str] = set()
    for kind in FORM_KINDS:
        for text in by_kind[kind]:
            for variant in _variants(text):
                if variant not in seen:
                    seen.add(variant)
                    yield SurfaceForm(variant, entity.id, kind, text in ambiguous)


def _article_guards(forms: list[SurfaceForm]) -> list[SurfaceForm]:
    """"the Y" forms for names Y that a "the X" form would otherwise cut short.

    A matcher scans left to right, so "the West" would win over "West Bank" in "the West
    Bank"; adding "the West Bank" (same entity, kind and ambiguity) lets the longer name win.
    """
    heads = {f.text[4:] for f in forms if f.text.startswith("the ")}
    existing = {(f.text, f.entity_id) for f in forms}
    guards: dict[tuple[str, str], SurfaceForm] = {}
    for form in forms:
        for head in heads:
            if form.text.startswith(head) and form.text[len(head) : len(head) + 1] in (" ", "-"):
                for article in ("the ", "The "):
                    key = (article + form.text, form.entity_id)
                    if key not in existing:
                        guards.setdefault(key, SurfaceForm(key[0], form.entity_id, form.kind, form.ambiguous))
    return list(guards.values())


def _index_forms(
    forms: list[SurfaceForm], where: Mapping[str, str]
) -> dict[str, tuple[SurfaceForm, ...]]:
    """Forms by exact text; a text claimed by two entities must be ambiguous in both."""
    by_text: dict[str, list[SurfaceForm]] = defaultdict(list)
    for form in forms:
        by_text[form.text].append(form)
    for text, claims in by_text.items():
        if len(claims) > 1 and not all(c.ambiguous for c in claims):
            owners = "; ".join(f"{where[c.entity_id]} ({c.kind})" for c in claims)
            raise EntityDataError(
                f"surface form {text!r} is claimed by several entities: {owners}. "
                "List it under \"ambiguous\" in each entry, or keep it in one entry only"
            )
    return {text: tuple(claims) for text, claims in by_text.items()}
