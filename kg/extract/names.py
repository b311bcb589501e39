"""Names outside the knowledge base, found by patterns that type them.

A name is a run of capitalised words; its type comes from a title before it ("President
Xi Jinping" is a Person) or a head word that ends it ("Bharatiya Janata Party" is a
PoliticalParty, "Paris Agreement" a LegalInstrument, "Ukraine War" an Event). A bare
capitalised phrase with neither is not taken: sentence starts and title-cased headlines are
full of those.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĖĘĚĞĢĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŘŚŞŠŢŤŪŮŰŲŸŹŻŽ"
# "Ki-moon", "People's Republic", "Leaders' Malaria Alliance", "Abdel- Fattah" (hyphenated across
# a line end); not "Iran's"
WORD = rf"[{UPPER}]\w*(?:-(?:[ ](?=[{UPPER}]))?\w+|['’](?!s\b)\w+)*(?:['’]s?(?=[ \t]+[{UPPER}]))?"
JOIN = r"(?:of|for|on|and|the|de|del|da|do|dos|la|le|du|al|el|bin|ibn|van|von|to|in)"
SP = r"[ \t]+"  # names never run across a line break
# More capitalised words in a row than this are a headline or a list run together, not a name
# (the longest found in the UN General Debate corpus has 21); the bound keeps a pattern from
# trying every word of such a run from every word before it.
MAX_NAME_WORDS = 40
NAME = rf"{WORD}(?:{SP}(?:{JOIN}{SP})*(?:[dl]['’])?{WORD}){{0,{MAX_NAME_WORDS - 1}}}"  # "Côte d'Ivoire": a particle inside
# A name does not start inside a word after a capital: where one starting at that capital fails,
# one starting after it fails too ("ALL CAPITALS" would otherwise be tried from every letter).
NOT_AFTER_CAPITAL = rf"(?<![{UPPER}])"

# Head words that end a name and give its type.
HEADS = {
    "Region": "River|Basin|Valley|Delta|Desert|Mountains|Peninsula|Plateau|Corridor",
    "PoliticalParty": "Party",
    "Initiative": "Initiative|Agenda|Strategy|Programme|Program|Pathway|Facility|Roadmap|Road Map|Vision"
    "|Decade|Plans?",
    "Event": "Summit|Conference|War|Forum|Olympics|Games|Expo|Congress|Revolution|Genocide"
    "|Pandemic|Crisis|Dialogue|Days?|Week|Cup|Festival|Championships?|Tournament",
    "LegalInstrument": "Treaty|Agreement|Convention|Protocol|Accords?|Charter|Declaration"
    "|Covenant|Compact|Statute|Act|Pact|Resolution|Constitution|Plan of Action"
    "|Programme of Action|Framework",
    "Organization": "Organi[sz]ation|Agency|Institute|Institution|Foundation|Bank|Funds?"
    "|Corporation|Company|Association|Federation|Commission|Committee|Authority|Movement"
    "|Front|Army|Network|Centre|Center|University|Ministry|Secretariat|Court|Tribunal"
    "|Board|Alliance|Council|Church|Forces|Command|Department|Panel|Brigade|Parliament|Senate"
    "|Chamber|Coalition|Group",
}
TITLES = (
    r"President|Vice[- ]President|President-elect|Prime Minister|Deputy Prime Minister"
    r"|Foreign Minister|Minister|Secretary[- ]General|Secretary of State|Chancellor|King|Queen"
    r"|Crown Prince|Prince|Princess|Emperor|Pope|Sheikh|Sheikha|Emir|Amir|Sultan|Premier"
    r"|Chairman|Chairperson|Ambassador|Director[- ]General|High Commissioner|Special Envoy"
    r"|Senator|Governor|Commissioner|Judge|Archbishop|Bishop|Cardinal|Right Reverend|Reverend|Imam"
    r"|Lieutenant General|Major General|General|Field Marshal|Marshal|Colonel|Mayor"
    r"|Mr\.?|Mrs\.?|Ms\.?|Dr\.?"
)
# Honorifics that may come before a title ("His Excellency Mr. …") or, with a comma, before the
# name itself ("His Excellency, Antonio Guterres").
HONORIFICS = r"(?:His|Her)[ \t]+(?:Excellency|Majesty|Royal[ \t]+Highness|Holiness)"
# Roles that introduce a person's name after a comma ("our envoy, Jane Doe,"): the apposed name
# is a person even without a title of its own.
APPOSED_ROLES = rf"predecessor|successor|counterpart|leader|envoy|founder|(?:{TITLES})(?:{SP}of{SP}(?:the{SP})?{NAME})?"

# Capitalised words that open a sentence or a clause rather than a name.
LEADING_WORDS = frozenset(
    """The A An This That These Those Our My Its His Her Their Your In On At For With By As And
    But Or Since When While If We I It Today Yesterday Now Then Also Both All Every Each No Not
    Many Some Any Such Through Under Over After Before During Despite From To Of Let Why How
    What Where Which Who Last Next New Another Other According Following Given Regarding Thanks
    Recalling Welcoming Like Unlike Including Under Within Without Among Against Chairman Chairperson
    Deputy Chief Head Director Secretary Minister President Vice Member Members""".split()
)
# Capitalised words that are not parts of a person's name.
_NOT_NAME = frozenset(
    """Government Republic Kingdom State States Nations United Assembly Council Excellency
    Minister President Secretary General Ambassador Federation Union Party Prime Foreign The
    And Of In On For With At His Her Our Their I We It Mr Mrs Ms Dr""".split()
)
_STYLED_BY_TITLE = frozenset("Pope King Queen Prince Princess Emperor Sheikh Sheikha Emir Amir Sultan".split())
_NOT_PARTY_START = frozenset("State States Working Third Contracting Host Interested".split())


@dataclass(frozen=True)
class Name:
    start: int
    end: int
    text: str
    type: str
    method: str
    role: str = ""  # the title before a person's name


_PERSON = re.compile(rf"\b(?P<title>{TITLES}|{HONORIFICS},?(?!{SP}(?:{TITLES})\b)){SP}(?P<name>{WORD}(?:{SP}{WORD}){{0,3}})")
# A name between commas, then the role just before the first comma.
_APPOSED = re.compile(rf",{SP}(?!(?:{TITLES}|{HONORIFICS})\b)(?P<name>{WORD}(?:{SP}{WORD}){{1,3}})(?=[,.;])")
_APPOSED_ROLE = re.compile(rf"\b(?P<title>{APPOSED_ROLES})$")
# Capitalised possessives that belong to a name ("Sudan People's Liberation Army"); any other
# possessive names an owner ("the African Union's Agenda 2063"), not a part of the name.
_NAME_POSSESSIVES = frozenset("People Peoples Workers Women Children Citizens Farmers Martyrs".split())
_POSSESSIVE = re.compile(rf"(?P<owner>[{UPPER}][\w-]*)['’]s{SP}")
# A role and "of (the)" before an organization's name: "Archbishop of the Catholic Church".
_ROLE_OF = re.compile(
    rf"^(?:(?:The|A|An){SP})?(?:{TITLES}|Moderator|Chief|Head|Leader|Chair|Staff|Members?|Commander)\b.*?"
    rf"{SP}of{SP}(?:the{SP})?"
)
# A pattern name stops at "and the": what follows is a second name ("the X Decade and the Y
# Agreement"), never part of the first.
_AND_THE_TAIL = re.compile(rf"{SP}and{SP}the{SP}.*$")
# Text before a name that shows the name does not open a sentence: a word or comma before it.
_MID_SENTENCE = re.compile(r"[\w,;:’']\s+$")
_ANY_HEAD = "|".join(f"(?:{h})" for h in HEADS.values())
_HEADED = re.compile(
    rf"{NOT_AFTER_CAPITAL}(?P<name>{NAME}{SP}(?P<head>{_ANY_HEAD})\b"
    rf"(?:{SP}(?:of|on|for|against|to){SP}(?:the{SP})?{NAME})?)"
)
# An organization named by its head word and a place or purpose: "Church of Scotland", "Senate of Côte d'Ivoire".
_HEAD_OF = re.compile(rf"\b(?P<name>(?:{HEADS['Organization']}){SP}of{SP}(?:the{SP})?{NAME})")
_EVENT_OF = re.compile(
    rf"\b(?P<name>(?:{WORD}{SP}){{0,{MAX_NAME_WORDS - 1}}}(?:Summit|Conference|Decade|Year|Day|Week|Forum)"
    rf"{SP}(?:of|on|for){SP}(?:the{SP})?{NAME})"
)
_FEATURE_OF = re.compile(rf"\b(?P<name>(?:Gulf|Bay|Sea|Lake|Strait|Straits|Horn|Isthmus|Sea of|River) of {NAME}|Lake {WORD})")
_INSTRUMENT_OF = re.compile(
    rf"\b(?P<name>(?:Treaty|Convention|Protocol|Declaration|Covenant|Charter|Agreement)"
    rf"{SP}(?:of|on|for|against){SP}(?:the{SP})?{NAME})"
)
# "The China-Russia Partnership and the Ukraine War": two names; "Belt and Road Forum": one.
_LAST_AND = re.compile(rf"^.*{SP}and{SP}the{SP}(?={WORD})")
_ORDINALS = {
    word: n for n, word in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
        "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth".split(), start=1)
}
_ORDINALS |= {f"{tens}-{word}": 10 * t + n for t, tens in ((2, "twenty"), (3, "thirty")) for word, n in list(_ORDINALS.items())[:9]}
_ORDINALS |= {"twentieth": 20, "thirtieth": 30}
_ORDINAL = "|".join(sorted(_ORDINALS, key=len, reverse=True))
# "the twenty-sixth session of the Conference of the Parties", "28th Conference of the Parties":
# found by its end, then its ordinal is read just before it.
_PARTIES = re.compile(rf"\bConference{SP}of{SP}the{SP}Parties\b")
_COP_ORDINAL = re.compile(
    rf"\b(?:(?P<word>{_ORDINAL})|(?P<n>\d{{1,2}})(?:st|nd|rd|th))(?:{SP}session{SP}of)?{SP}(?:the{SP})?$", re.IGNORECASE
)
# "the seventy-fifth anniversary of the United Nations", "75th Anniversary of the UN"
# Found by "anniversary of", then the ordinal is read just before it.
_ANNIVERSARY = re.compile(rf"\b[Aa]nniversary{SP}of{SP}(?:the{SP})?{NAME}")
_ANNIVERSARY_ORDINAL = re.compile(r"\b(?:[\w-]+-(?:first|second|third|[a-z]+th)|[A-Za-z]+th|\d+(?:st|nd|rd|th))[ \t]+$")
# "the war in Ukraine", "the war against Yemen": a war named by its place.
_WAR_IN = re.compile(rf"\b[Ww]ar{SP}(?P<prep>in|on|against){SP}(?!the\b)(?P<place>{WORD}(?:{SP}{WORD})?)")
# A year or an ordinal before an event's or instrument's name is part of it.
_ORDINAL_PREFIX = re.compile(r"\b(?:(?:19|20)\d\d|\d{1,2}(?:st|nd|rd|th))[ \t]+$")
_OF_MONTH = re.compile(
    rf"{SP}(?:of|in){SP}(?:January|February|March|April|May|June|July|August|September|October|November|December)$"
)
# "resolutions 2445 (2018) and 2469 (2019)": each resolution of a list.
_RESOLUTION_LIST = re.compile(r"\b[Rr]esolutions\s+(?P<list>\d{2,4}\s*\(\d{4}\)(?:\s*(?:,|and|,\s*and)\s*\d{2,4}\s*\(\d{4}\))+)")
_LISTED_RESOLUTION = re.compile(r"(?P<n>\d{2,4})\s*\((?P<year>\d{4})\)")
_NUMBERED = (
    (re.compile(r"\bCOP\s?-?(?P<n>\d{1,2})\b"), "Event", "COP{n}"),
    (re.compile(r"\b[Rr]esolution\s+(?P<n>\d{2,4}(?:/\d{1,4})?(?:\s*\(\d{4}\))?)"), "LegalInstrument", "Resolution {n}"),
    (re.compile(r"\bArticle\s+(?P<n>\d{1,3}[A-Z]?)\b"), "LegalInstrument", "Article {n}"),
    (re.compile(r"\b(?:Sustainable Development Goal|SDG)\s?(?P<n>1[0-7]|[1-9])\b(?![.,]\d)"), "Initiative", "Sustainable Development Goal {n}"),
    (re.compile(r"\bVision\s+(?P<n>20\d\d)\b"), "Initiative", "Vision {n}"),
    (re.compile(r"\b(?:World War (?P<n>II|I|One|Two))\b"), "Event", "World War {n}"),
    (re.compile(r"\b(?P<n>(?:Hurricane|Cyclone|Typhoon|Tropical Storm) [A-Z][a-z]+)\b"), "Event", "{n}"),
)
_HEAD_TYPE = {type_: re.compile(rf"\b(?:{heads})$") for type_, heads in HEADS.items()}
_WORDS = re.compile(r"\S+")


def find_names(text: str) -> Iterator[Name]:
    """Yield typed names found by pattern (they may overlap; the caller resolves overlaps)."""
    yield from _persons(text)
    yield from _headed(text)
    for match in _EVENT_OF.finditer(text):
        type_ = "Initiative" if "Decade" in match.group("name") else "Event"  # "Decade of Action"
        name = _AND_THE_TAIL.sub("", match.group("name"))
        yield from _trimmed(text, match.start("name"), name, type_, f"pattern:{type_.lower()}")
    for match in _HEAD_OF.finditer(text):
        name = _AND_THE_TAIL.sub("", match.group("name"))
        yield from _trimmed(text, match.start("name"), name, "Organization", "pattern:organization")
    for match in _FEATURE_OF.finditer(text):
        name = re.sub(r"\s+", " ", match.group("name"))
        yield Name(match.start("name"), match.end("name"), name, "Region", "pattern:feature")
    for match in _INSTRUMENT_OF.finditer(text):
        name = _AND_THE_TAIL.sub("", match.group("name"))
        yield from _trimmed(text, match.start("name"), name, "LegalInstrument", "pattern:instrument")
    for regex, type_, template in _NUMBERED:
        for match in regex.finditer(text):
            number = re.sub(r"\s+", " ", match.group("n"))
            yield Name(match.start(), match.end(), template.format(n=number), type_, "pattern:numbered")
    for parties in _PARTIES.finditer(text):
        window = max(0, parties.start() - 40)
        if ordinal := _COP_ORDINAL.search(text, window, parties.start()):
            number = _ORDINALS[ordinal["word"].lower()] if ordinal["word"] else int(ordinal["n"])
            yield Name(ordinal.start(), parties.end(), f"COP{number}", "Event", "pattern:numbered")
    for match in _RESOLUTION_LIST.finditer(text):
        for item in _LISTED_RESOLUTION.finditer(match.group("list")):
            start = match.start("list") + item.start()
            yield Name(start, match.start("list") + item.end(), f"Resolution {item['n']} ({item['year']})",
                       "LegalInstrument", "pattern:numbered")
    for match in _ANNIVERSARY.finditer(text):
        if ordinal := _ANNIVERSARY_ORDINAL.search(text, max(0, match.start() - 30), match.start()):
            name = _AND_THE_TAIL.sub("", text[ordinal.start() : match.end()])
            yield Name(ordinal.start(), ordinal.start() + len(name), label(name), "Event", "pattern:anniversary")
    for match in _WAR_IN.finditer(text):
        place = match.group("place")
        yield Name(match.start(), match.end("place"), f"War {match['prep']} {label(place)}", "Event", "pattern:war")


def head_type(name: str) -> str | None:
    """The type a name's last word gives it, if any: ``head_type("Labour Party")`` is PoliticalParty."""
    for type_, regex in _HEAD_TYPE.items():
        if regex.search(name):
            return type_
    return None


def _persons(text: str) -> Iterator[Name]:
    apposed = (
        (role, match) for match in _APPOSED.finditer(text)
        if (role := _APPOSED_ROLE.search(text, max(0, match.start() - 80), match.start()))
    )
    titled = ((match, match) for match in _PERSON.finditer(text))
    for title, match in (*titled, *apposed):
        kept: list[re.Match[str]] = []
        for word in _WORDS.finditer(match.group("name")):
            if any(part in _NOT_NAME for part in word.group().rstrip(".,").split("-")):
                break
            kept.append(word)
        if not kept or (len(kept) == 1 and len(kept[0].group()) < 3):
            continue
        start = match.start("name")
        end = start + kept[-1].end()
        name = label(text[start:end])
        role = re.sub(r"\s+", " ", title.group("title")).rstrip(".,")
        if role in _STYLED_BY_TITLE and len(kept) == 1:  # "Pope Francis", "King Abdullah"
            name, start = f"{role} {name}", title.start("title")
        yield Name(start, end, name, "Person", "pattern:title", role)


def _headed(text: str) -> Iterator[Name]:
    for match in _HEADED.finditer(text):
        type_ = head_type(match.group("head")) or "Organization"
        start, name = match.start("name"), match.group("name")
        before_head = name[: match.start("head") - start]
        cut = _LAST_AND.match(before_head)  # "X Partnership and the Ukraine War": keep the last name
        if cut:
            first = re.sub(rf"{SP}and{SP}the{SP}$", "", cut.group())
            whole = _HEADED.fullmatch(first)
            if whole:  # "the Rugby World Cup and the European Youth Olympic Festival": both
                first_type = head_type(whole.group("head")) or "Organization"
                yield from _trimmed(text, start, first, first_type, f"pattern:{first_type.lower()}")
            start, name = start + cut.end(), name[cut.end() :]
        for owner in reversed(list(_POSSESSIVE.finditer(name[: match.start("head") - start]))):
            if owner.group("owner") not in _NAME_POSSESSIVES:  # "Africa's Agenda 2063": the owner's
                start, name = start + owner.end(), name[owner.end() :]
                break
        while type_ != "Person" and (role := _ROLE_OF.match(name)):  # "Archbishop of the Catholic Church"
            start, name = start + role.end(), name[role.end() :]
        for name in _trimmed(text, start, name, type_, f"pattern:{type_.lower()}"):
            if type_ == "PoliticalParty" and name.text.split()[0] in _NOT_PARTY_START:
                continue
            yield name


def _trimmed(text: str, start: int, name: str, type_: str, method: str) -> Iterator[Name]:
    """Drop leading words that open a sentence rather than a name; keep two words at least.
    "New" opens names ("New Agenda for Peace") unless it opens the sentence."""
    name = _OF_MONTH.sub("", name)  # "Pyongyang Joint Declaration of September", "… in August"
    words = list(_WORDS.finditer(name))
    mid_sentence = bool(_MID_SENTENCE.search(text[max(0, start - 10) : start]))
    while len(words) > 1 and (
        (words[0].group() in LEADING_WORDS and not (mid_sentence and words[0].group() == "New"))
        or words[0].group().islower()
    ):
        words = words[1:]
        mid_sentence = True
    if len(words) < 2:
        return
    begin, end = start + words[0].start(), start + words[-1].end()  # ``name`` is text[start:…]
    if type_ in ("Event", "LegalInstrument") and (prefix := _ORDINAL_PREFIX.search(text[max(0, begin - 8) : begin])):
        begin -= len(prefix.group())  # "2015 UEFA Super Cup", "4th Geneva Convention"
    yield Name(begin, end, label(text[begin:end]), type_, method)


def label(name: str) -> str:
    """A name as a label: one space between words, no line-end hyphenation ("Abdel- Fattah")."""
    return re.sub(r"-[ ]", "-", re.sub(r"\s+", " ", name))
