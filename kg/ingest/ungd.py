"""UN General Debate speeches: ``ISO3_SESSION_YEAR.txt`` files of the UNGD corpus."""

from __future__ import annotations

import re
from pathlib import Path

import pycountry

from kg.model import Document

# The corpus names a speech by speaker code, session and year; session N sat in 1945 + N.
_NAME = re.compile(r"^(?P<code>[A-Z]{2,3})_(?P<session>\d{1,3})_(?P<year>\d{4})$")
FIRST_SESSION_YEAR = 1945
# Speakers the corpus names with codes that are not ISO 3166-1 countries.
OTHER_SPEAKERS = {"EU": "European Union"}


def is_ungd(path: Path) -> bool:
    """True for a ``.txt`` named like a UN General Debate speech (session matching year)."""
    match = _NAME.match(path.stem)
    return (
        path.suffix.lower() == ".txt"
        and match is not None
        and int(match["year"]) - FIRST_SESSION_YEAR == int(match["session"])
    )


def speech(path: Path, source: str, text: str) -> Document:
    """The Document of one speech; ``path`` must satisfy :func:`is_ungd`."""
    match = _NAME.match(path.stem)
    assert match is not None, path
    session, year = int(match["session"]), match["year"]
    title = (
        f"{speaker_name(match['code'])}: statement at the general debate of the "
        f"{ordinal(session)} session of the UN General Assembly ({year})"
    )
    return Document(
        id=path.stem,
        text=text,
        source=source,
        title=title,
        date=year,
        publisher="United Nations",
        type="Speech",
        speaker_iso3=match["code"],
    )


def speaker_name(code: str) -> str:
    """Common English name of a speaker code, the code itself when unknown.

    >>> speaker_name("IRN"), speaker_name("EU"), speaker_name("XYZ")
    ('Iran', 'European Union', 'XYZ')
    """
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return OTHER_SPEAKERS.get(code, code)
    return getattr(country, "common_name", None) or country.name


def ordinal(number: int) -> str:
    """``78`` -> ``"78th"``, ``71`` -> ``"71st"``, ``112`` -> ``"112th"``."""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"
