"""The gazetteer's matching rules, checked against a brute-force reference: every name tried
with a regex of its own at every position, the longest whole-word match kept."""

from __future__ import annotations

import doctest
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract import gazetteer
from kg.extract.gazetteer import Gazetteer, fold, normalize
from kg.extract.kb import SurfaceForm

NAMES = [
    "China", "Côte d'Ivoire", "Türkiye", "Papua New Guinea", "Guinea", "Guinea-Bissau", "Niger", "Nigeria",
    "South Sudan", "Sudan", "Republic of Guinea", "Guinea-Conakry", "U.S.", "J&K", "the West", "the West Bank",
]


def _gazetteer(names: list[str]) -> Gazetteer:
    return Gazetteer(SurfaceForm(name, f"id/{name}", "name", False) for name in names)


def _found(gazetteer: Gazetteer, text: str) -> list[str]:
    text = normalize(text)
    return [text[h.start : h.end] for h in gazetteer.find(text)]


def test_doctests() -> None:
    assert doctest.testmod(gazetteer).failed == 0


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("China", ["China"]),
        ("Chinaé, China&, &China, China_, China1, 1China, _China, éChina", []),
        ("(China)", ["China"]),
        ("Côte d’Ivoire and Côte d'Ivoire", ["Côte d'Ivoire", "Côte d'Ivoire"]),
        ("Türkiye's, not Türkiyeé", ["Türkiye"]),
        ("Papua\nNew  Guinea", ["Papua\nNew  Guinea"]),
        ("Papua\r\n\tNew\u00a0Guinea", ["Papua\r\n\tNew\u00a0Guinea"]),
        ("Guinea-\nBissau, Guinea- Bissau", ["Guinea-\nBissau", "Guinea- Bissau"]),
        ("Guinea-  Bissau", ["Guinea"]),  # a hyphen takes one white-space character, no more
        ("Guinea-Bissaus", ["Guinea"]),  # the longer name fails its boundary: back to the shorter
        ("Nigerian, Nigeria's, Niger.", ["Nigeria", "Niger"]),
        ("South Sudanese; South Sudan", ["South Sudan"]),
        ("Republic of Guinea-Conakry", ["Guinea-Conakry"]),  # the compound rule
        ("Republic of Guinea-Bissau", ["Guinea-Bissau"]),
        ("U.S., U.S.A., J&K", ["U.S.", "J&K"]),
        ("the West Bank, the West Banks, the West", ["the West Bank", "the West", "the West"]),
        ("", []),
    ],
)
def test_table(text: str, found: list[str]) -> None:
    assert _found(_gazetteer(NAMES), text) == found


def test_names_are_matched_as_their_folded_spelling() -> None:
    """A name written with a line break or a double space is found like its one-space form."""
    names = _gazetteer(["Papua  New\nGuinea", "Guinea- Bissau"])
    hits = list(names.find("Papua New Guinea and Guinea-Bissau"))
    assert [(h.start, h.end, h.forms[0].text) for h in hits] == [(0, 16, "Papua  New\nGuinea"), (21, 34, "Guinea- Bissau")]
    assert "Papua New Guinea" in names and "China" not in names


# --- against a brute-force reference --------------------------------------------------------


def _name_regex(name: str) -> re.Pattern[str]:
    """One name, whole word: a space matches any run of white space, a hyphen may be followed by
    one white-space character."""
    spelled = "".join(r"\s+" if c == " " else r"-\s?" if c == "-" else re.escape(c) for c in name)
    return re.compile(r"(?<![\w&])" + spelled + r"(?![\w&])")


def _reference(names: list[str], text: str) -> list[tuple[int, int, str]]:
    regexes = [_name_regex(name) for name in set(names)]

    def longest(at: int) -> int | None:
        return max((m.end() for rx in regexes if (m := rx.match(text, at))), default=None)

    hits, at = [], 0
    while at <= len(text):
        end = longest(at)
        if end is None:
            at += 1
            continue
        start = at
        if text.startswith("-", end):  # a hyphenated name starting inside and running past wins
            for word in re.finditer(r"\b\w", text[start:end]):
                longer = longest(start + word.start())
                if longer is not None and longer > end:
                    start, end = start + word.start(), longer
                    break
        hits.append((start, end, fold(text[start:end])))
        at = end
    return hits


_WORD = st.text(alphabet="abAé1.'&", min_size=1, max_size=3)


@st.composite
def _names(draw: st.DrawFn) -> str:
    words = draw(st.lists(_WORD, min_size=1, max_size=3))
    name = words[0] + "".join(draw(st.sampled_from([" ", "-"])) + word for word in words[1:])
    # names that start or end with a space or hyphen take the walk's rarer paths
    return draw(st.sampled_from(["", "", "", " ", "-"])) + name + draw(st.sampled_from(["", "", "", " ", "-"]))


_GLUE = [" ", "  ", "\n", " \n ", "\u00a0", "-", "- ", "-\n", "-  ", "&", "_", "é", ".", "'", "a", "A1", "("]


@settings(max_examples=600, deadline=None)
@given(names=st.lists(_names(), min_size=1, max_size=6), data=st.data())
def test_matches_the_brute_force_reference(names: list[str], data: st.DataObject) -> None:
    pieces = st.one_of(
        st.sampled_from(names),
        st.sampled_from(names).map(lambda name: name.replace(" ", "\n  ").replace("-", "-\n")),
        st.sampled_from(names).flatmap(lambda name: st.integers(1, len(name)).map(lambda k: name[:k])),
        st.sampled_from(_GLUE),
    )
    text = "".join(data.draw(st.lists(pieces, max_size=12)))
    found = [(h.start, h.end, h.forms[0].text) for h in _gazetteer(names).find(text)]
    assert found == _reference(names, text)
