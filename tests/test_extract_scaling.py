"""What keeps a long document's cost in proportion to its length (issue 15), checked for
giving the same results as the simple forms it replaced. No test here looks at time: the
figures are bench/bench_long_document.py's."""

from __future__ import annotations

import doctest
import re
from collections import Counter
from dataclasses import replace
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import graph
from kg.extract import acronyms, names, sentences, triggers
from kg.extract.extractor import _PLACE_NAMES, _PRIORITY, Extractor, _Candidate, _settle
from kg.extract.gazetteer import Hit
from kg.extract.kb import load_kb
from kg.extract.lists import _LIST_LINK, Lists
from kg.ingest import read_documents
from kg.model import Document, Entity, Mention
from kg.resources import SAMPLE_DIR

_METHODS = {
    "gazetteer:name": _PRIORITY["kb"], "local-name": _PRIORITY["local"], "acronym": _PRIORITY["local"],
    "pattern:war": _PRIORITY["pattern"], "pattern:organization": _PRIORITY["pattern"],
    "pattern:anniversary": _PRIORITY["pattern"], "gazetteer:demonym": _PRIORITY["weak"],
}
_ENTITIES = [Entity(id=f"country/C{i}", label=f"C{i}", type="Country") for i in range(3)] + [
    Entity(id=f"org/o{i}", label=f"O{i}", type="Organization") for i in range(3)
]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_kb())


def test_lower_case_doctest() -> None:
    assert doctest.testmod(triggers).failed == 0


# Overlaps: the character maps give what comparing each candidate with every kept one gave.


def _settle_by_comparing(candidates: list[_Candidate], original: str) -> tuple[Mention, ...]:
    """The overlap resolution as it was: each nested candidate compared with every mention kept."""
    taken = bytearray(len(original) + 1)
    by_pattern = bytearray(len(original) + 1)
    by_place = bytearray(len(original) + 1)
    kept: list[_Candidate] = []
    for c in sorted(candidates, key=lambda c: (-(c.end - c.start), -c.priority, c.start, c.entity.id)):
        if not any(taken[c.start : c.end]):
            taken[c.start : c.end] = b"\x01" * (c.end - c.start)
            kept.append(c)
            if c.method.startswith("pattern:"):
                by_pattern[c.start : c.end] = b"\x01" * (c.end - c.start)
            if c.method in _PLACE_NAMES:
                by_place[c.start : c.end] = b"\x01" * (c.end - c.start)
        elif (
            c.priority == _PRIORITY["kb"]
            and (c.entity.type != "Country" or all(by_place[c.start : c.end]) or original[max(0, c.start - 3) : c.start] == "of ")
            and all(by_pattern[c.start : c.end])
            and not any(k.start < c.end and c.start < k.end and not k.method.startswith("pattern:") for k in kept)
        ):
            kept.append(replace(c, method=c.method + ":nested"))
    kept.sort(key=lambda c: c.start)
    return tuple(Mention(original[c.start : c.end], c.start, c.end, c.entity, c.confidence, c.method) for c in kept)


@st.composite
def _candidates(draw: st.DrawFn) -> tuple[list[_Candidate], str]:
    text = "".join(draw(st.lists(st.sampled_from(["of ", "ab", " ", "x"]), min_size=1, max_size=30)))
    found = []
    for _ in range(draw(st.integers(0, 25))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))  # finders never match nothing
        method = draw(st.sampled_from(sorted(_METHODS)))
        found.append(_Candidate(start, end, draw(st.sampled_from(_ENTITIES)), 0.9, method, _METHODS[method]))
    return found, text


@given(_candidates())
@settings(max_examples=500, deadline=None)
def test_settle_keeps_what_comparing_every_pair_kept(case: tuple[list[_Candidate], str]) -> None:
    candidates, text = case
    assert _settle(candidates, text) == _settle_by_comparing(candidates, text)


# Lists: counted once per list, they count what walking from each ambiguous name counted.


def _listed_by_walking(hits: list[Hit], index: int, text: str) -> list[Hit]:
    listed = []
    for step in (-1, 1):
        current = index
        while 0 <= current + step < len(hits):
            left, right = sorted((hits[current], hits[current + step]), key=lambda h: h.start)
            if not _LIST_LINK.fullmatch(text[left.end : right.start]):
                break
            current += step
            listed.append(hits[current])
    return listed


@given(st.lists(st.tuples(st.sampled_from([", ", " and ", ", or the ", " x ", ""]), st.integers(1, 4)), max_size=25))
@settings(max_examples=300, deadline=None)
def test_lists_count_what_walking_each_list_counted(parts: list[tuple[str, int]]) -> None:
    text, hits = "", []
    for gap, length in parts:
        text += gap
        hits.append(Hit(len(text), len(text) + length, ()))
        text += "N" * length

    def readings(hit: Hit) -> Counter[str]:
        return Counter({f"type{hit.start % 3}": 1, f"part{hit.end % 2}": hit.end % 2})

    lists = Lists(hits, text, readings)
    for index in range(len(hits)):
        expected: Counter[str] = Counter()
        for neighbour in _listed_by_walking(hits, index, text):
            expected.update(readings(neighbour))
        assert lists.listed_with(index) == +expected


# Name patterns: the bound on a name's words and the start after a capital change nothing in
# runs shorter than the bound.

_VOCABULARY = [
    "Alpha", "BETA", "Gamma", "eBay", "McDONALD", "Bank", "Agreement", "Summit", "Conference", "Party",
    "of", "the", "and", "on", "for", "to", "d'Ivoire", "People's", "Abdel-", "Fattah", "UN", "(UN)", "(AB)",
    "(GDI)", ",", ".", "said",
]


def _unbounded(pattern: re.Pattern[str]) -> re.Pattern[str]:
    source = pattern.pattern.replace(names.NOT_AFTER_CAPITAL, "")
    return re.compile(source.replace(f"{{0,{names.MAX_NAME_WORDS - 1}}}", "*"))


def _matches(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
    return [(m.span(), m.groupdict()) for m in pattern.finditer(text)]


@pytest.mark.parametrize("pattern", [names._HEADED, names._EVENT_OF, acronyms._DEFINITION], ids=["headed", "event-of", "acronym"])
@given(words=st.lists(st.sampled_from(_VOCABULARY), max_size=names.MAX_NAME_WORDS - 5), caps=st.booleans())
@settings(max_examples=300, deadline=None)
def test_name_patterns_match_as_unbounded_ones(pattern: re.Pattern[str], words: list[str], caps: bool) -> None:
    text = " ".join(words)
    text = text.upper() if caps else text
    assert _matches(pattern, text) == _matches(_unbounded(pattern), text)


def test_a_run_longer_than_a_name_is_cut_not_tried_from_every_word() -> None:
    run = " ".join(["Alpha"] * (3 * names.MAX_NAME_WORDS)) + " Bank"
    found = [n for n in names.find_names(run) if n.method == "pattern:organization"]
    assert [len(n.text.split()) for n in found] == [names.MAX_NAME_WORDS + 1]


# Sentences: the boundary tried once per run of full stops, and no piece longer than the bound.

_OLD_BOUNDARY = re.compile(sentences._BOUNDARY.pattern.replace("(?<![.!?])", "", 1))


@given(st.text(alphabet=".!?'\")\n aA1x", max_size=60))
@settings(max_examples=500, deadline=None)
def test_sentence_boundaries_as_before(text: str) -> None:
    assert _matches(sentences._BOUNDARY, text) == _matches(_OLD_BOUNDARY, text)


@given(st.text(alphabet=". ,aA\nx", max_size=120), st.integers(2, 30))
@settings(max_examples=500, deadline=None)
def test_long_sentences_are_cut_within_the_sentence_they_belong_to(text: str, bound: int) -> None:
    whole = list(sentences.split_sentences(text))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sentences, "MAX_SENTENCE", bound)
        pieces = list(sentences.split_sentences(text))
    assert all(text[p.start : p.end] == p.text and 0 < len(p.text) <= bound and p.text == p.text.strip() for p in pieces)
    assert all(a.end <= b.start for a, b in pairwise(pieces))
    assert all(any(s.start <= p.start and p.end <= s.end for s in whole) for p in pieces)
    covered = {i for p in pieces for i in range(p.start, p.end)}
    assert all(i in covered for i, c in enumerate(text) if not c.isspace())


# Lower-casing in pieces: the same as the whole at once.


def _lower_at_once(text: str) -> str:
    lower = text.lower()
    return lower if len(lower) == len(text) else "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


@given(st.text(alphabet="ΣσAa İ'\n.", max_size=80), st.integers(1, 10))
@settings(max_examples=500, deadline=None)
def test_lower_case_in_pieces_as_at_once(text: str, chunk: int) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(triggers, "_CHUNK", chunk)
        assert triggers.lower_case(text) == _lower_at_once(text)


# Serialisation in blocks: the same bytes as at once.


def test_nquads_in_blocks_as_at_once() -> None:
    triples = [(f"<http://x/{i}>", "<http://x/p>", f'"{i}"') for i in range(3 * graph._BLOCK + 7)]
    expected = "".join(f"{s} {p} {o} <http://x/g> .\n" for s, p, o in triples).encode()
    assert graph._nquads(iter(triples), "http://x/g") == expected


# A long document: every offset exact, every evidence sentence bounded.


def _long_texts() -> list[str]:
    sample = "\n\n".join(d.text for d in read_documents([SAMPLE_DIR]) if isinstance(d, Document))
    run_on = re.sub(r"[^\w ]+", " ", sample.replace("\n", " "))  # a transcript without punctuation
    return [sample * 3, run_on, sample.upper()]


@pytest.mark.parametrize("variant", range(3), ids=["sample-x3", "no-punctuation", "capitals"])
def test_offsets_stay_exact_in_a_long_document(extractor: Extractor, variant: int) -> None:
    text = _long_texts()[variant]
    extraction = extractor.extract(Document(id="long", text=text, source="test", speaker_iso3="FRA"))
    assert extraction.mentions
    for m in extraction.mentions:
        assert m.end > m.start and text[m.start : m.end] == m.text
    for r in extraction.relations:
        assert text[r.start : r.end] == r.sentence and len(r.sentence) <= sentences.MAX_SENTENCE
