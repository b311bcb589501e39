"""The gold standard: hand-written annotations of real documents (format: eval/README.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KgError


@dataclass(frozen=True)
class GoldEntity:
    name: str
    type: str
    iso3: str | None
    forms: tuple[str, ...]


@dataclass(frozen=True)
class GoldRelation:
    sentence: str
    subject: str  # a GoldEntity name
    predicate: str
    object: str


@dataclass(frozen=True)
class GoldDocument:
    id: str
    source: Path
    entities: tuple[GoldEntity, ...]
    relations: tuple[GoldRelation, ...]
    negated: tuple[GoldRelation, ...]
    hedged: tuple[GoldRelation, ...]
    path: Path


def load_gold(directory: Path) -> list[GoldDocument]:
    """Every gold file (*.json) of ``directory``, in name order; a bad file is a KgError naming it."""
    paths = sorted(directory.glob("*.json"))
    if not paths:
        raise KgError(f"{directory}: no gold files (*.json) here")
    return [_read(path) for path in paths]


def _read(path: Path) -> GoldDocument:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        entities = tuple(
            GoldEntity(e["name"], e["type"], e.get("iso3"), tuple(e.get("forms", ()))) for e in raw["entities"]
        )
        names = {e.name for e in entities}
        groups = {key: tuple(_relation(r, names) for r in raw.get(key, ())) for key in ("relations", "negated", "hedged")}
        return GoldDocument(
            id=raw["id"], source=(path.parent / raw["source"]).resolve(), entities=entities, path=path, **groups
        )
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise KgError(f"{path}: not a valid gold file ({type(err).__name__}: {err})") from err


def _relation(raw: dict, names: set[str]) -> GoldRelation:
    relation = GoldRelation(raw["sentence"], raw["subject"], raw["predicate"], raw["object"])
    for role in (relation.subject, relation.object):
        if role not in names:
            raise ValueError(f"relation argument {role!r} is not one of the file's entities")
    return relation
