"""Sentences across hard line breaks: wrapped text runs on; paragraphs, headings and lists end a sentence."""

from __future__ import annotations

import itertools
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract.sentences import Sentence, split_sentences

PARAGRAPH = (
    "The Secretary-General of the United Nations called on all Member States to support the "
    "Global Development Initiative, which China proposed in 2021. Russia and China signed a treaty "
    "of friendship in Moscow, and the European Union imposed sanctions on Russia after the invasion "
    "of Ukraine in February 2022; the United States did the same. We must work together!"
)
SENTENCES = [
    ("The Secretary-General of the United Nations called on all Member States to support the "
     "Global Development Initiative, which China proposed in 2021."),
    ("Russia and China signed a treaty of friendship in Moscow, and the European Union imposed "
     "sanctions on Russia after the invasion of Ukraine in February 2022; the United States did the same."),
    "We must work together!",
]


def texts(text: str) -> list[str]:
    """The sentences of ``text``, each on one line (white space folded, as they are shown)."""
    found = list(split_sentences(text))
    for s in found:  # a verbatim quote of the text at its offsets
        assert text[s.start : s.end] == s.text and s.text == s.text.strip()
    return [" ".join(s.text.split()) for s in found]


@pytest.mark.parametrize("width", [30, 45, 60, 70, 80, 100])
def test_a_wrapped_paragraph_reads_as_unwrapped(width: int) -> None:
    assert texts(textwrap.fill(PARAGRAPH, width)) == SENTENCES


@pytest.mark.parametrize("width", [50, 70, 90])
def test_wrapped_paragraphs_apart_by_blank_lines(width: int) -> None:
    second = "A second paragraph follows and it is also wrapped at the same width as the first one was."
    text = textwrap.fill(PARAGRAPH, width) + "\n\n" + textwrap.fill(second, width)
    assert texts(text) == [*SENTENCES, second]


def test_the_offsets_are_those_of_the_original_text() -> None:
    text = "It is the UN COVID-19 Response and\nRecovery Fund that we support."
    [sentence] = split_sentences(text)
    assert sentence == Sentence(0, len(text), text)


def test_a_blank_line_ends_a_sentence_without_final_punctuation() -> None:
    assert texts("A heading without a full stop\n\nThe next one") == ["A heading without a full stop", "The next one"]
    assert texts("Made in the U.S.\n\nThe next paragraph.") == ["Made in the U.S.", "The next paragraph."]


def test_final_punctuation_at_a_line_end_still_ends_the_sentence() -> None:
    assert texts("We agreed.\nthey did not.") == ["We agreed.", "they did not."]
    assert texts("Did we agree?\nYes!\n“Indeed.”\nSo be it") == ["Did we agree?", "Yes!", "“Indeed.”", "So be it"]


def test_an_abbreviation_at_a_line_end_does_not() -> None:
    assert texts("Aid from the U.S.\nGovernment arrived.") == ["Aid from the U.S. Government arrived."]
    assert texts("We met Mr.\nGuterres and Dr.\nLee, among others, etc.\nand then left.") == [
        "We met Mr. Guterres and Dr. Lee, among others, etc. and then left."
    ]


HEADINGS = """\
INTRODUCTION
The text begins here, in a paragraph wrapped at a
width of fifty characters or so.
Peace and security
We call on all parties to respect the ceasefire.
1. Development
Growth returned.
II. Climate change
The sea is rising.
2.1 Adaptation
Islands adapt."""


def test_headings_end_sentences() -> None:
    assert texts(HEADINGS) == [
        "INTRODUCTION",
        "The text begins here, in a paragraph wrapped at a width of fifty characters or so.",
        "Peace and security",
        "We call on all parties to respect the ceasefire.",
        "1. Development",
        "Growth returned.",
        "II. Climate change",
        "The sea is rising.",
        "2.1 Adaptation",
        "Islands adapt.",
    ]


def test_list_items_end_sentences_and_run_on_when_wrapped() -> None:
    text = (
        "Our priorities are the following:\n"
        "- an adequate food system with school canteens\n"
        "- health care for all, which protects the poorest\n"
        "  and the most vulnerable\n"
        "* clean water\n"
        "• energy\n"
        "– debt relief\n"
        "-\ttabbed item\n"
        "And then a new sentence."
    )
    assert texts(text) == [
        "Our priorities are the following:",
        "- an adequate food system with school canteens",
        "- health care for all, which protects the poorest and the most vulnerable",
        "* clean water",
        "• energy",
        "– debt relief",
        "- tabbed item",
        "And then a new sentence.",
    ]


def test_numbered_and_lettered_lists() -> None:
    text = "We propose:\n1. a ceasefire\n2) talks\n(a) in Geneva\nb) in Doha\ni. soon\n(iv) now\n10. Later items"
    assert texts(text) == ["We propose:", "1. a ceasefire", "2) talks", "(a) in Geneva", "b) in Doha", "i. soon", "(iv) now", "10. Later items"]


def test_a_number_that_opens_a_line_is_not_a_sentence() -> None:
    assert texts("1. The Assembly met.\n2. It adjourned.") == ["1. The Assembly met.", "2. It adjourned."]
    assert texts("It grew in 2015. The end.") == ["It grew in 2015.", "The end."]


def test_salutations_stay_apart_from_the_speech() -> None:
    text = "Mr. President,\nExcellencies,\nLadies and gentlemen,\nAllow me to begin by congratulating you."
    assert texts(text) == ["Mr. President,", "Excellencies,", "Ladies and gentlemen,", "Allow me to begin by congratulating you."]
    address = "Honorable Delegates\nLadies and Gentlemen\nYour Excellencies\nI would like to begin my remarks."
    assert texts(address) == ["Honorable Delegates", "Ladies and Gentlemen", "Your Excellencies", "I would like to begin my remarks."]


def test_an_address_with_lower_case_lines_reads_as_one() -> None:
    assert texts("Excellencies,\nladies and gentlemen,\nThe world is watching.") == [
        "Excellencies, ladies and gentlemen,",
        "The world is watching.",
    ]


def test_salutations_before_paragraphs_of_a_speech() -> None:
    speech = (
        "Mr. President of the General Assembly,\nMr. Secretary-General,\nYour Excellencies, Distinguished Delegates,\n"
        + "Let me begin by congratulating His Excellency Mr. Volkan Bozkir on his election as President of the "
        "General Assembly at its seventy-fifth session, and assure him of the full support of my delegation.\n"
        + "Mr. President:\n“The pandemic has shown that no country can stand alone, and that only together can we "
        "recover from it, rebuild our economies and protect the most vulnerable among our peoples.”\n"
    )
    assert texts(speech)[:4] == [
        "Mr. President of the General Assembly,",
        "Mr. Secretary-General,",
        "Your Excellencies, Distinguished Delegates,",
        ("Let me begin by congratulating His Excellency Mr. Volkan Bozkir on his election as President of the "
         "General Assembly at its seventy-fifth session, and assure him of the full support of my delegation."),
    ]
    assert texts(speech)[4] == "Mr. President:"


def test_a_quotation_on_its_own_line_after_a_colon() -> None:
    """As the gold copies it: the line that introduces a quotation is a sentence of its own,
    unless the text is wrapped and the line was full."""
    body = "We must act together now, as the founders of the Organization did in their time. " * 2
    text = f"{body.strip()}\nAs Kofi Annan said:\n“More than ever before in human history, we share a common destiny.”\n"
    assert texts(text)[-2:] == ["As Kofi Annan said:", "“More than ever before in human history, we share a common destiny.”"]
    wrapped = textwrap.fill("As the former Secretary-General of the United Nations, Kofi Annan, once said: “More than ever "
                            "before in human history, we share a common destiny.” We agree.", 60)
    assert texts(wrapped)[0].endswith("we share a common destiny.”")


def test_lines_of_paragraphs_apart_when_not_wrapped() -> None:
    """Text whose lines are whole paragraphs: a line without final punctuation still ends there,
    unless the next line clearly continues it."""
    long_line = "The Organization must be reformed so that it can respond to the crises of our time " * 3
    text = f"{long_line.strip()}\nThe next paragraph begins here and goes on for a while, as paragraphs do in speeches.\n"
    assert len(texts(text)) == 2
    joined = f"{long_line}and the\nUnited Nations must lead it.\n"
    assert len(texts(joined)) == 1


def test_capitals_lines_and_page_furniture_end_sentences() -> None:
    text = "Only by doing so, can we\n15-29940 5/18\n\n\nA/70/PV.27 02/10/2015\nhope for a future.\n* * *\nNext part."
    assert texts(text) == ["Only by doing so, can we", "15-29940 5/18", "A/70/PV.27 02/10/2015", "hope for a future.", "* * *", "Next part."]


def test_a_line_broken_after_a_hyphen_runs_on_as_it_is() -> None:
    assert texts("the inter-\nnational community") == ["the inter- national community"]


def test_newlines_already_normalised_from_windows() -> None:
    wrapped = textwrap.fill(PARAGRAPH, 60)
    normalised = wrapped.replace("\n", "\r\n").replace("\r\n", "\n")
    assert texts(normalised) == SENTENCES


def test_the_same_text_gives_the_same_sentences() -> None:
    text = textwrap.fill(PARAGRAPH, 55) + "\n\n" + HEADINGS
    assert list(split_sentences(text)) == list(split_sentences(text))


@given(st.text(alphabet=" \n\t.,:;-•(1aAIU)“”\"'x", max_size=120))
@settings(max_examples=400, deadline=None)
def test_sentences_are_stripped_ordered_and_cover_the_words(text: str) -> None:
    found = list(split_sentences(text))
    assert all(text[s.start : s.end] == s.text and s.text == s.text.strip() and s.text for s in found)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))
    covered = {i for s in found for i in range(s.start, s.end)}
    assert all(i in covered for i, c in enumerate(text) if not c.isspace())


def test_a_wrapped_press_statement_with_heading_and_list() -> None:
    """A statement wrapped at 72 characters, paragraphs apart by a single line break only."""
    paragraphs = [
        "Joint Statement on Maritime Security",
        "Geneva, 12 March 2024",
        ("The Foreign Ministers of Japan, the Philippines and the United States met in Geneva on "
         "12 March to discuss maritime security in the South China Sea and the East China Sea. The "
        "Ministers reaffirmed their commitment to the United Nations Convention on the Law of the "
        "Sea and called on all parties to settle their disputes peacefully."),
        "The Ministers agreed to:",
        "- hold joint coast guard exercises every year, starting in the second half of 2024 in the waters off Luzon",
        "- share information on vessels that enter their exclusive economic zones",
        ("Japan will provide five patrol vessels to the Philippine Coast Guard under its Official "
         "Security Assistance programme."),
    ]
    text = "\n".join(textwrap.fill(p, 72, subsequent_indent="  " if p.startswith("-") else "") for p in paragraphs)
    assert texts(text) == [
        "Joint Statement on Maritime Security",
        "Geneva, 12 March 2024",
        ("The Foreign Ministers of Japan, the Philippines and the United States met in Geneva on "
         "12 March to discuss maritime security in the South China Sea and the East China Sea."),
        ("The Ministers reaffirmed their commitment to the United Nations Convention on the Law of the "
         "Sea and called on all parties to settle their disputes peacefully."),
        "The Ministers agreed to:",
        "- hold joint coast guard exercises every year, starting in the second half of 2024 in the waters off Luzon",
        "- share information on vessels that enter their exclusive economic zones",
        ("Japan will provide five patrol vessels to the Philippine Coast Guard under its Official "
         "Security Assistance programme."),
    ]


def test_a_long_wrapped_run_is_cut_at_a_line_break_or_space() -> None:
    run = textwrap.fill("and the talks went on " * 200, 70)
    pieces = list(split_sentences(run))
    assert len(pieces) > 1 and all(len(p.text) <= 2000 and run[p.start : p.end] == p.text for p in pieces)
    assert all(not p.text.endswith(("an", "th", "tal")) for p in pieces)


def test_a_page_break_inside_a_sentence() -> None:
    text = "We call on the Council to insist on the holding of an\n \n\nindependent referendum without delay.\n\nNext."
    assert texts(text) == ["We call on the Council to insist on the holding of an independent referendum without delay.", "Next."]
    assert texts("The first paragraph ends here.\n\nthe second starts in lower case") == [
        "The first paragraph ends here.",
        "the second starts in lower case",
    ]
    assert texts("Our priorities\n\na) food\n\nb) water") == ["Our priorities", "a) food", "b) water"]
