"""Proper names in questions and sentences, and when two of them name the same party.

Questions are analysed without a statistical pipeline (asking must stay a few milliseconds and
never load spaCy): a name is a run of capitalised words. Sentences use the entities stored at
index time. Two mentions name the same party when they are equal after case-folding and the
possessive, when one is the demonym of the other (Russia / Russian, Ukraine / Ukrainian), or when
the gazetteer (`qa.lexicon.places`) gives them to one country: its name, demonym, capital and seat of
government (Russia, Russians, Moscow, the Kremlin).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz import fuzz

from qa.lexicon.places import demonyms, party_groups
from qa.lexicon.words import STOPWORDS

FOLDED_TEXTS = 256  # folded texts kept: the articles a few questions retrieve
# no combining mark lies below U+0300 or among the general punctuation (curly quotes, dashes)
_MAYBE_MARK = re.compile(r"[^\x00-\u02ff\u2000-\u206f]")
_NOT_A_NAME = re.compile(r"^(?:[A-Z]\d[\w:]*|[A-Z]{1,2})$")  # "T21" (from a timestamp), "PM"
FUZZY_MIN = 6  # names at least this long also match another spelling…
FUZZY_SCORE = 88  # …this similar (rapidfuzz partial ratio, 0-100)
STEM_SHARE = 0.6  # demonym match: a shared prefix of at least 4 letters and this share of the shorter
# lower-case words inside a name: "Ursula von der Leyen", "Charles de Gaulle", "Mohammed bin Salman"
_PARTICLES = r"(?:von|van|de|der|da|al|bin|la|le|du|del)"
_NAME = re.compile(rf"(?<![\w’'-])(?:[A-Z][\w’'.\-]*|[A-Z]{{2,}})(?:\s+(?:(?:of|the|{_PARTICLES})\s+){{0,2}}"
                   r"(?:[A-Z][\w’'.\-]*))*")


@lru_cache(maxsize=FOLDED_TEXTS)
def fold(text: str) -> str:
    """Case and accents folded: "Pokémon" = "pokemon". An article's text is folded once for all the
    names checked against it (cached), and the combining marks are found among its distinct
    characters, not character by character."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    if not _MAYBE_MARK.search(decomposed):
        return decomposed  # only characters that are never combining marks (most news text)
    for mark in [ch for ch in set(decomposed) if unicodedata.combining(ch)]:
        decomposed = decomposed.replace(mark, "")  # a few marks a text: each a C scan, not a call a character
    return decomposed


_DEMONYM = re.compile(r"^[A-Z][a-z]+(?:an|ian|ese|ish|i|ch)$")  # Russian, Ukrainian, Chinese, British, Israeli, French


def demonym(word: str) -> bool:
    """A word that names a nationality: a demonym of a known country or region, or "US". Shaped like one
    is not enough: "Yuri", "Ivan" and "Helsinki" end as "Israeli" and "Russian" do."""
    if word in ("US", "U.S."):
        return True
    return bool(_DEMONYM.match(word)) and (word.casefold() in REGIONAL or word.casefold() in demonyms())


# Adjectives of a region, not of one nation: "Which European leaders…" asks for leaders of any nation in it.
REGIONAL = frozenset("""european asian african latin western eastern northern southern arab nordic
    baltic balkan scandinavian slavic caucasian""".split())


def regional(word: str) -> bool:
    return word.casefold() in REGIONAL


_POSSESSIVE = re.compile(r"(?:’s|'s|’|')$")


def without_possessive(name: str) -> str:
    """"Sam Altman’s", "the Vikings'": the name without its possessive ending."""
    return _POSSESSIVE.sub("", name)


def normalise(name: str) -> str:
    n = without_possessive(fold(name).strip(" .,;:“”\"'’"))
    return re.sub(r"^the\s+", "", n)


def _party_groups() -> tuple[frozenset[str], ...]:
    """The names of each country (and union) as one party, normalised (`qa.lexicon.places`: name, demonym,
    other names, capital, seat of government); a form two countries share names neither."""
    groups = [frozenset(normalise(n) for n in group) - {""} for group in party_groups()]
    seen: dict[str, int] = {}
    for group in groups:
        for n in group:
            seen[n] = seen.get(n, 0) + 1
    return tuple(frozenset(n for n in group if seen[n] == 1) for group in groups)


# One group per party that news text names in several ways (Russia, Russian, Moscow, the Kremlin).
ALIASES = _party_groups()
_GROUP = {name: i for i, group in enumerate(ALIASES) for name in group}


def polity(name: str) -> bool:
    """A country (or union) by one of its names: "France", "Russia", "the EU"."""
    return normalise(name) in _GROUP


def other_polity(place: str, side: str) -> bool:
    """The place is known to stand for another country than the side: "Moscow" for "Which
    Ukrainian city…"."""
    group = _GROUP.get(normalise(place))
    return group is not None and group != _GROUP.get(normalise(side))


def same_party(a: str, b: str) -> bool:
    x, y = normalise(a), normalise(b)
    if not x or not y:
        return False
    if x == y:
        return True
    gx, gy = _GROUP.get(x), _GROUP.get(y)
    if gx is not None and gx == gy:
        return True
    short, long_ = sorted((x, y), key=len)
    if " " in long_ and short in long_.split() and len(short) >= 3:
        return True  # "Biden" and "Joe Biden"
    if " " in short or len(short) < 4:
        return False
    common = 0
    for p, q in zip(short, long_):
        if p != q:
            break
        common += 1
    return common >= 4 and common >= STEM_SHARE * len(short)


def mentions(text: str, name: str) -> bool:
    """Does `text` name the party `name` (in any of the forms above)?"""
    form = _forms(name)
    if form is None:
        return False
    key, forms, initials, acronym, stem, last = form
    low = fold(text)
    if any(_at_word_start(f, low) for f in forms):
        return True
    if initials and initials in text and re.search(r"(?<!\w)" + initials + r"[\d-]*(?!\w)", text):
        return True  # "NS2" names Nord Stream 2, "NSC" the National Security Council…
    if acronym and _expansion(acronym).search(text):
        return True  # …and back
    if len(key) >= FUZZY_MIN and fuzz.partial_ratio(key, low, score_cutoff=FUZZY_SCORE):
        return True  # another spelling: Zelenskyy / Zelensky, Blinkin / Blinken
    if stem and (_at_word_start(stem, low) if _WORD_START.match(stem) else re.search(r"\b" + re.escape(stem), low)):
        return True  # a demonym: "Ukrain" for Ukrainian
    return bool(last) and last in low and re.search(r"\b" + re.escape(last) + r"\b", low) is not None


@lru_cache(maxsize=1024)
def _forms(name: str):
    """What `mentions` looks for, worked out once a name: (its key, the forms of its party, its
    initials, the acronym it is, a demonym stem, the last of several words), or None."""
    key = normalise(name)
    if not key:
        return None
    words = [w for w in re.findall(r"[\w’']+", name) if w[:1].isupper()]
    acronym = name.strip()
    parts = key.split()
    return (key, tuple(ALIASES[_GROUP[key]]) if key in _GROUP else (key,),
            "".join(w[0] for w in words) if len(words) >= 2 else "",
            acronym if _acronym(acronym) else "",
            key[: max(4, int(len(key) * STEM_SHARE + 0.5))] if len(parts) == 1 and len(key) >= 5 else "",
            parts[-1] if len(parts) > 1 else "")


_WORD_START = re.compile(r"\w")


def _at_word_start(form: str, low: str) -> bool:
    """`form` occurs in `low` where no word character precedes it (a regex `(?<!\\w)form`, found by
    substring search: the texts are whole articles, and most forms are not in most of them)."""
    at = low.find(form)
    while at != -1:
        if at == 0 or not (low[at - 1].isalnum() or low[at - 1] == "_"):
            return True
        at = low.find(form, at + 1)
    return False


_CONNECTORS = "of|for|and|in|on|the|de|du|la"  # small words that take no initial: "Organization for Security"


@lru_cache(maxsize=4096)
def _expansion(acronym: str) -> re.Pattern:
    gap = rf"(?:\s+(?:{_CONNECTORS}))*\s+"
    return re.compile(r"(?<![\w’'-])" + gap.join(re.escape(ch) + r"[\w’'-]*" for ch in acronym))


def expansion_in(acronym: str, text: str) -> bool:
    """The words an acronym stands for, written out in the text: "OSCE" in "the Organization for
    Security and Cooperation in Europe" (small connecting words are not part of the initials)."""
    return _acronym(acronym) and _expansion(acronym).search(text) is not None


def _acronym(word: str) -> bool:
    return 3 <= len(word) <= 8 and word.isalpha() and word.isupper()  # "US": too many pairs


def expansion_spans(acronym: str, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Where text[start:end] writes an acronym out ("Organization for Security and Cooperation in Europe")."""
    if not expansion_in(acronym, text[start:end]):
        return []
    return [m.span() for m in _expansion(acronym).finditer(text, start, len(text) if end is None else end)]


def proper_names(text: str) -> list[str]:
    """Runs of capitalised words, less question words and a sentence's first word when it is common."""
    out = []
    for m in _NAME.finditer(text):
        words = m.group().split()
        if m.start() == len(text) - len(text.lstrip()) and len(words) == 1 and not words[0].isupper():
            continue  # a capital only because the question starts there ("Besides Ukraine, …")
        while words and words[0].casefold() in STOPWORDS:
            words = words[1:]
        if not words:
            continue
        name = " ".join(words).strip(".,’'")
        name = re.sub(r"[-–][a-z][\w-]*", "", name)  # "Spider-themed" names Spider
        for part in re.split(r"[-–](?=[A-Z])|(?<=[’']s)\s+", name):  # "Biden-Putin", "Polygon's Spider"
            part = without_possessive(part)
            if len(part) >= 2 and not _NOT_A_NAME.match(part):
                out.append(part)
    return out


AFFILIATIONS = frozenset({"NATO", "EU", "UN", "OSCE", "Kremlin", "Pentagon"})  # "NATO Secretary General": no Russian


FEMININE = frozenset({"she", "her", "hers", "herself"})
MASCULINE = frozenset({"he", "him", "his", "himself"})
_FEMALE_TITLE = re.compile(r"\b(?:Ms|Mrs|Madam|Madame|Mme|Lady|Queen|Duchess|Spokeswoman|Chairwoman)\b\.?")
GENDER_WINDOW = 120  # characters after a name searched for the pronoun that refers to it


def gender(name: str, texts: list[str], others: list[str] = ()) -> str | None:
    """"f", "m" or None: from a title before the name, else the pronoun that follows it before any
    of the `others` is named."""
    surname = name.split()[-1]
    mention = re.compile(r"\b" + re.escape(surname) + r"\b")
    stops = [o.split()[-1] for o in others if o.split()[-1] != surname]
    votes = {"f": 0, "m": 0}
    for text in texts:
        if surname not in text:
            continue  # most retrieved articles never name the person: no scan of their text
        for m in mention.finditer(text):
            before = text[max(0, m.start() - 30):m.start()]
            if _FEMALE_TITLE.search(before):
                votes["f"] += 2
            after = text[m.end():m.end() + GENDER_WINDOW]
            for other in stops:
                at = after.find(other)
                after = after[:at] if at >= 0 else after
            p = re.search(r"\b(she|her|he|his|him)\b", after, re.I)
            if p:
                votes["f" if p.group(1).casefold() in FEMININE else "m"] += 1
    if votes["f"] == votes["m"]:
        return None
    return "f" if votes["f"] > votes["m"] else "m"


@lru_cache(maxsize=1024)  # asked once a candidate name, of the same retrieved texts
def gender_in(name: str, texts: tuple[str, ...]) -> str | None:
    """`gender` of a name across the retrieved articles, read once for them."""
    return gender(name, list(texts))


_PARTICLE_RUN = re.compile(rf"(?:\s+{_PARTICLES}){{0,2}}\s+[A-Z][\w’'\-]+")
_ENDS_IN_PARTICLE = re.compile(rf"\s{_PARTICLES}$")


def name_end(text: str, start: int, end: int) -> int:
    """The end of a person's name that a tagger cut at a lower-case particle: "Ursula von" is
    "Ursula von der Leyen", "Charles de" is "Charles de Gaulle"."""
    if not _ENDS_IN_PARTICLE.search(text[start:end]):
        return end
    m = _PARTICLE_RUN.match(text, end)
    return m.end() if m else end
