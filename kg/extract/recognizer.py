"""The statistical recogniser: spaCy's named entities beside the knowledge base.

The gazetteer knows the names the knowledge base lists; the typed patterns (names.py) find
titled people and names with a head word. The recogniser runs spaCy's entity model on the
sentences where a name may still hide (a capitalised word, not the sentence's first, that no
knowledge-base name covers) and proposes what it finds there, typed by these rules:

    PERSON -> Person            ORG -> Organization (a "... Party" a PoliticalParty)
    GPE    -> Place (a city), Region when its last word says so ("... Province")
    LOC    -> Region            FAC -> Place
    EVENT  -> Event             LAW -> LegalInstrument
    NORP   -> a bloc adjective's bloc ("Western": the West); nationalities are the gazetteer's

The knowledge base wins wherever it knows a name: a span the gazetteer matched, or one
crossing a knowledge-base name, is left to it (see ``Extractor._recognized``), so a listed
name keeps its id, type and ISO code whatever label the model gives it. Noise is dropped
before typing: dates and numbers (labels not above), titles and sentence-openers alone,
lower-case spans, spans across a line break, and a single word the document also writes in
lower case ("Dialogue" opening a sentence). Titles are cut from people's names ("Secretary
Blinken" is Blinken). Each proposal carries its spaCy label for ``Mention.method``
("ner:PERSON").

Document-level identity of people (:func:`people_by_surname`): a surname alone names the one
person of the document whose full name ends with it, and nobody if two do.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kg.extract.names import HEADS, LEADING_WORDS, TITLES, head_type, label
from kg.extract.parse import Parser
from kg.extract.sentences import Sentence

# spaCy's labels and the class each gives a name the knowledge base does not list.
NER_TYPES = {
    "PERSON": "Person",
    "ORG": "Organization",
    "GPE": "Place",
    "LOC": "Region",
    "FAC": "Place",
    "EVENT": "Event",
    "LAW": "LegalInstrument",
    "NORP": "Region",  # only the bloc adjectives of BLOC_ADJECTIVES
}
# Adjectives of blocs without a membership, and the knowledge-base entity each names.
BLOC_ADJECTIVES = {"Western": "region/the-west"}
# Last words that make a GPE or place a region rather than a city.
_REGION_WORDS = re.compile(
    r"\b(?:Province|Oblast|Region|Governorate|State|District|County|Prefecture|Territory|Territories|Krai"
    r"|Republic|Island|Islands|Sea|Ocean|Strait|Gulf|Bay|Valley|Mountains|Peninsula|Coast|Desert|Basin)$"
)
# Titles and ranks cut from the front of a person's name ("Secretary Blinken", "Gen. Milley").
_TITLE_WORDS = frozenset(
    w for title in TITLES.replace("\\", "").replace("[- ]", " ").replace("?", "").split("|") for w in title.split()
) | frozenset(
    """Secretary Senator Sen. Rep. Representative Gen. Lt. Col. Maj. Adm. Admiral Capt. Sgt. Deputy Assistant
    Under Special Envoy Spokesperson Spokesman Spokeswoman Foreign Defense Defence Chief Acting Former Interim
    Lord Lady Sir Dame Justice Counselor Counsellor Administrator Ambassador-at-Large Professor Prof. Director
    Chair Leader Commander Mr Mrs Ms Dr Ms. Mrs. Mr. Dr. Hon. Honorable Honourable Excellency His Her""".split()
)
# Words that are not a name on their own, whatever label the model gives them.
_NOT_NAMES = LEADING_WORDS | _TITLE_WORDS | frozenset(
    """January February March April May June July August September October November December Monday
    Tuesday Wednesday Thursday Friday Saturday Sunday Department Government Administration Ministry Embassy
    Office Agency Committee Council Court Parliament Assembly Cabinet Treasury State States Republic Kingdom
    Union Federation Coalition Forces Army Navy Police Party Parties Mission Bureau Commission Centre Center
    Press Statement Readout Media Note Senior Officials Official Organization Organisation Secretariat Alliance
    Delegations Delegates Delegation North South East West Summit Charter Treaty Conference Protocol Headquarters
    Declaration Convention Agreement Resolution Initiative Agenda""".split()
)
# Words that open a person's title, not an organization's name ("Spokesperson Ned Price").
_PERSON_TITLES = frozenset(
    "Spokesperson Spokesman Spokeswoman Secretary Ambassador Senator Minister President Prime King Queen Prince Sheikh "
    "Envoy Chairman Chair Mr. Mrs. Ms. Dr. Mr Mrs Ms Dr".split()
)
# A government or its embassy is the state (a form of the country in the gold), not a body of its own.
_STATE_WORDS = re.compile(r"\b(?:Government|Governments|Administration|Embassy|Embassies|Consulate|Regime)\b")
# Words that make a capitalised phrase an organization's name.
_ORG_WORDS = re.compile(
    rf"(?:{HEADS['Organization']}|Office|Bureau|Survey|Register|Service|Services|Guard|Corps|Partnership|Inc|Co"
    r"|Ltd|LLC|Corp|Associates|Consortium|Times|Post|News|Press|Media|Group|Holdings|Industries|Energy|Airlines)"
)
_JOINS = frozenset("of for on and the to in at de del la le du".split())
_INITIALS = re.compile(r"(?:[A-Z]\.)+[A-Z]?")
# Names the model labels that are no actor of international relations.
_NOT_ACTORS = frozenset("Moon Mars Earth Sun Venus Jupiter Saturn Islam Christianity Judaism Internet".split())
# "North-South", "South-South cooperation", "China-Russia Partnership": a pair, not one name.
_COMPASS_PAIR = re.compile(r"\b(?:North|South|East|West)-[A-Z]|\b[A-Z][a-z]+-(?:North|South|East|West)\b")
# Words the model reads as people's names that name none ("Almighty Allah", "Monroe Doctrine").
_NOT_PEOPLE = frozenset("Almighty Allah God Lord Doctrine Statement Joint Brigade Initiative Plan".split())
_CAPITALISED = re.compile(r"(?<![\w'’.-])[A-Z][\w'’.-]*")
_POSSESSIVE = re.compile(r"['’]s?$")
_PERSON_JOINS = re.compile(r"\b(?:and|or|of|for|the)\b|[,;:/&()\"“”]")
_PERSON_WORD = re.compile(r"(?:[A-ZÀ-Þ][\w'’.-]*|(?:al|el|bin|ibn|van|von|der|de|del|da|la|le|du|di|dos|y)-?|[A-Z]\.)$")


@dataclass(frozen=True)
class Recognized:
    """A name the model proposes: its span in the text, its label (title and article cut) and class."""

    start: int
    end: int
    name: str
    type: str
    ner_label: str  # spaCy's label: PERSON, ORG, ...
    entity_id: str | None = None  # set for a bloc adjective: the knowledge-base entity it names

    @property
    def method(self) -> str:
        return f"ner:{self.ner_label}"


class Recognizer:
    """Runs the entity model on the sentences that need it and cleans what it proposes."""

    def __init__(self, parser: Parser) -> None:
        self.parser = parser

    def find(self, text: str, sentences: Iterable[Sentence], covered: bytearray) -> list[Recognized]:
        """Names in ``text`` outside the spans marked in ``covered`` (knowledge-base names)."""
        lowered = _lower_words(text)
        sentences = list(sentences)
        chosen = [i for i, s in enumerate(sentences) if may_name_more(s, covered, lowered)]
        if not chosen:
            return []
        openings = {s.start for s in sentences}
        chunks = list(_chunks(sentences, chosen))
        found = []
        for (start, end), doc in zip(chunks, self.parser.entities(text[start:end] for start, end in chunks)):
            for span in doc.ents:
                begin = start + span.start_char
                if (name := clean(text, begin, start + span.end_char, span.label_, begin in openings, lowered)) is not None:
                    found.append(name)
        return found


def _chunks(sentences: list[Sentence], chosen: list[int], most: int = 2000) -> Iterator[tuple[int, int]]:
    """Runs of chosen sentences that follow each other, as (start, end) spans of the text: the
    model reads a name that a sentence split cut ("Antony J." / "Blinken") whole."""
    run: list[Sentence] = []
    previous = -2
    for index in chosen:
        sentence = sentences[index]
        if run and (index != previous + 1 or sentence.end - run[0].start > most):
            yield run[0].start, run[-1].end
            run = []
        run.append(sentence)
        previous = index
    if run:
        yield run[0].start, run[-1].end


def may_name_more(sentence: Sentence, covered: bytearray, lowered: frozenset[str] = frozenset()) -> bool:
    """Whether a sentence holds a capitalised word that no knowledge-base name covers and that
    is not its first, or is a first word the document never writes in lower case ("Prigozhin
    said", not "Officials said"): only then can the model add a name the others miss."""
    for word in _CAPITALISED.finditer(sentence.text):
        start = sentence.start + word.start()
        if word.group() == "I" or covered[start]:
            continue
        if sentence.text[: word.start()].strip():
            return True
        if word.group().rstrip(".,;:") not in _NOT_NAMES and word.group().lower() not in lowered:
            return True
    return False


def clean(text: str, start: int, end: int, ner_label: str, opens: bool, lowered: frozenset[str]) -> Recognized | None:
    """The name a span of the model's names, typed, or None when it is noise. ``opens``: the
    span opens a sentence; ``lowered``: the words the document writes in lower case."""
    if ner_label not in NER_TYPES:
        return None
    if ner_label != "PERSON" and text[start:end].split(" ", 1)[0] in _PERSON_TITLES:
        ner_label = "PERSON"  # "Spokesperson Ned Price" read as an organization: a titled person
    if ner_label == "PERSON":
        start = _first_name_before(text, start)
    start, end = _trim(text, start, end, ner_label)
    if start is None or end <= start:
        return None
    spelled = text[start:end]
    words = spelled.split()
    if _noise(spelled, words, ner_label) or (len(words) == 1 and (spelled.lower() in lowered or (opens and ner_label not in ("PERSON", "NORP")))):
        return None  # a single common word ("Dialogue"), or one that opens its sentence
    name = label(spelled)
    if ner_label == "NORP":
        entity_id = BLOC_ADJECTIVES.get(name)
        return Recognized(start, end, name, "Region", ner_label, entity_id) if entity_id else None
    if ner_label == "PERSON":
        if _PERSON_JOINS.search(name) or not all(_PERSON_WORD.match(w) for w in words) or words[-1][0].islower() \
                or any(w in _NOT_NAMES or w in _NOT_PEOPLE for w in words):
            return None  # "Lavrov and Lukashenko", "Houthi rebels", "Ursula von": not one person
    elif words[0] in _PERSON_TITLES or _STATE_WORDS.search(name):
        return None  # "Spokesperson Ned Price" as an organization; "Government of Rwanda" is the state
    elif len(words) == 1 and ner_label == "ORG" and not (spelled.isupper() or _ORG_WORDS.fullmatch(spelled)):
        return None  # one capitalised word the model calls an organization: "Micro", "Ibadi"
    if _generic(words, lowered, ner_label == "ORG"):
        return None  # "International Affairs", "Fellow Delegates": a capitalised phrase, not a name
    return Recognized(start, end, name, _type(ner_label, name), ner_label)


def _first_name_before(text: str, start: int) -> int:
    """Where a person's name starts when the model left its first name out ("Antony" before
    "J. Blinken"): capitalised words just before it that are no title."""
    while match := _WORD_BEFORE.search(text, max(0, start - 30), start):
        if match.group(1) in _NOT_NAMES or match.group(1) in _TITLE_WORDS or match.group(1) in _JOINS:
            break
        start = match.start(1)
    return start


_WORD_BEFORE = re.compile(r"(?<![\w.])([A-Z][a-z]+)[ ]$")


def _noise(spelled: str, words: list[str], ner_label: str) -> bool:
    """Spans that are never a name: lower case, across lines, numbers and codes ("H.R. 3803",
    "C.F.R."), abbreviations of two letters ("TX"), titles or months alone, heavenly bodies."""
    letters = [c for c in spelled if c.isalpha()]
    return (
        "\n" in spelled or not spelled[0].isupper() or spelled.islower() or len(letters) <= 2
        or (ner_label not in ("EVENT", "LAW") and any(c.isdigit() or c == "§" for c in spelled))
        or bool(_INITIALS.fullmatch(spelled)) or spelled.count("(") != spelled.count(")")
        or all(w.rstrip(".,") in _NOT_NAMES for w in words) or spelled in _NOT_ACTORS
        or ":" in spelled or "/" in spelled or (len(words) > 1 and spelled.isupper()) or bool(_COMPASS_PAIR.search(spelled))
    )


def has_body_word(name: str) -> bool:
    """Whether a name holds a word that makes it a body's ("Survey", "Inc.", "Ministry")."""
    return any(_ORG_WORDS.fullmatch(w.rstrip(".,")) for w in name.split())


def _generic(words: list[str], lowered: frozenset[str], organization: bool) -> bool:
    """A name made only of words the document also writes in lower case ("Fellow Delegates"),
    for an organization with no word that makes a name a body's ("Office", "Inc.", "Survey")."""
    content = [w for w in words if w not in _JOINS]
    if organization and any(_ORG_WORDS.fullmatch(w.rstrip(".,")) for w in content):
        return False
    return all(w.lower().rstrip(".,") in lowered for w in content)


def _trim(text: str, start: int, end: int, ner_label: str) -> tuple[int | None, int]:
    """Cut an article and a possessive ("the Kremlin's"), and for a person the titles before the name."""
    spelled = text[start:end]
    for article in ("the ", "The "):
        if spelled.startswith(article):
            start += 4
            spelled = spelled[4:]
    if possessive := _POSSESSIVE.search(spelled):
        end -= len(possessive.group())
        spelled = spelled[: possessive.start()]
    if "(" in spelled and not spelled.endswith(")"):  # "Organisation of Islamic Cooperation (OIC"
        end -= len(spelled) - spelled.index("(")
        spelled = spelled[: spelled.index("(")]
    while spelled and spelled[-1] in " .,;:-–" and not re.search(r"\b[A-Z][a-z]?\.$|\bInc\.$|\bJr\.$|\bCo\.$", spelled):
        end -= 1
        spelled = spelled[:-1]
    while (last := spelled.rsplit(" ", 1))[-1] in _JOINS and len(last) == 2:  # "Miller Hull Partnership of"
        end -= len(spelled) - len(last[0])
        spelled = last[0]
    if ner_label == "PERSON":
        while (first := spelled.split(" ", 1))[0].rstrip(",") in _TITLE_WORDS:
            if len(first) == 1:
                return None, end
            start += len(spelled) - len(first[1])
            spelled = first[1].lstrip()
    return start, end


def _type(ner_label: str, name: str) -> str:
    """The class of a name the knowledge base does not list."""
    type_ = NER_TYPES[ner_label]
    if ner_label == "ORG":  # "Summit of the Americas" is an event; "Institute for the Study of War" a body
        headed = head_type(name) or head_type(name.split(" of ")[0])
        is_body = any(_ORG_WORDS.fullmatch(w.rstrip(".,")) for w in name.split())
        return headed if headed in ("PoliticalParty", "Event", "LegalInstrument") and not is_body else "Organization"
    if ner_label in ("GPE", "FAC", "LOC") and (_REGION_WORDS.search(name) or name.startswith("Republic of ")):
        return "Region"
    return type_


def _lower_words(text: str) -> frozenset[str]:
    """The words a document writes in lower case: a capitalised one among them is a common word."""
    return frozenset(re.findall(r"\b[a-z][a-z'-]+\b", text))


def surname(name: str) -> str:
    """The family name of a person's full name ("Joseph R. Biden Jr." -> "Biden")."""
    words = [w for w in name.split() if w.rstrip(".,") not in ("Jr", "Sr", "II", "III", "IV")]
    return words[-1] if words else name


def people_by_surname(names: Iterable[tuple[str, str]]) -> dict[str, str | None]:
    """For each surname of the full names given (name, entity id), the one entity it names, or
    None when two different people share it ("Trump" with Donald and Ivanka Trump).

    >>> people_by_surname([("Donald Trump", "p/dt"), ("Antony J. Blinken", "p/ab"), ("Ivanka Trump", "p/it")])
    {'Trump': None, 'Blinken': 'p/ab'}
    """
    found: dict[str, str | None] = {}
    for name, entity_id in names:
        if len(name.split()) < 2:
            continue
        key = surname(name)
        found[key] = entity_id if found.get(key, entity_id) == entity_id else None
    return found


def same_people(names: Iterable[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    """Pairs (entity id, the id it is the same person as) for names that differ only by a
    first name or initials left out: "Antony Blinken" and "J. Blinken" are "Antony J. Blinken"
    (the longest name is kept). Names with the same surname but another first name stay apart.

    >>> sorted(same_people([("Antony J. Blinken", "a"), ("J. Blinken", "b"), ("Antony Blinken", "c"), ("Ivanka Trump", "d")]))
    [('b', 'a'), ('c', 'a')]
    """
    pairs = sorted(((n, i) for n, i in names if len(n.split()) >= 2), key=lambda p: (-len(p[0]), p[1]))
    for index, (name, entity_id) in enumerate(pairs):
        words = set(name.split())
        longer = [i for n, i in pairs[:index] if surname(n) == surname(name) and words <= set(n.split()) and i != entity_id]
        if longer:
            yield entity_id, longer[0]
