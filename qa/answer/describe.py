"""What a sentence says a person is: "Who is Yuri Ushakov?" is answered "Putin's foreign policy
advisor", the title news writes before a name ("national security adviser Jake Sullivan") or sets
off after it ("Dmitry Peskov, the Kremlin spokesman,")."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from qa.lexicon.names import mentions
from qa.lexicon.titles import RANKS, ROLE
from qa.lexicon.verbs import past_form
from qa.lexicon.words import lemma, tokens

_BOUNDARY = frozenset("""a an while and but that which who whom by with as said says told from on in when after
    before since if than then also""".split())  # "of", "for", "at", "to", "the" may sit inside a title
_INSIDE = frozenset("of for at to the".split())
_CAPITALISED = re.compile(r"[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*")
_RANK_LEMMAS = frozenset(lemma(w) for w in RANKS)  # as a title's words are compared: "deputy", "acting" read as lemmas
TITLE_WORDS = 9  # a title before a name is this short ("Director for Russia at the National Security Council")
APPOSITIVE_WORDS = 10  # ", the Kremlin spokesman," after it


def title_before(text: str, lo: int, start: int) -> tuple[int, int] | None:
    words = list(re.finditer(r"[^\s“”\"]+[“”\"]?", text[lo:start]))  # "territory”Kremlin": two words
    first = len(words)
    for i in range(len(words) - 1, max(-1, len(words) - 1 - TITLE_WORDS), -1):
        w = words[i].group()
        low = w.casefold()
        if low in _BOUNDARY or re.search(r"[,;:.“”\"()]$", w) or (w[:1].islower() and past_form(low)):
            break  # a clause ends there, or a verb ("admitted", "briefed") comes before the title
        first = i
    while first < len(words) and words[first].group().casefold() in _INSIDE:
        first += 1
    if first >= len(words):
        return None
    s, e = lo + words[first].start(), lo + words[-1].end()
    return (s, e) if ROLE.search(text[s:e]) else None


def appositive(text: str, end: int, hi: int) -> tuple[int, int] | None:
    m = re.match(r",\s+((?:the|a|an)\s+)?([^,.;:“”\"()]+?)(?=[,.;)]|\s(?:who|which|that|and)\s)", text[end:hi])
    if not m or len(m.group(2).split()) > APPOSITIVE_WORDS or not ROLE.search(m.group(2)):
        return None
    return end + m.start(2), end + m.end(2)


_PREDICATE = re.compile(r"\s+(?:is|was|has been|became)(?:\s+(?:named|appointed|elected|made))?"
                        r"\s+(?:the\s+|a\s+|an\s+)?([^,.;:“”\"()]+?)"
                        r"(?=[,.;)]|\s(?:who|which|that|and|since|until|after|before|in|at|as)\s)")


def _predicate(text: str, end: int, hi: int) -> tuple[int, int] | None:
    """The title a clause gives the name: "Sweeney is Epic’s CEO", "Jones was named Wallabies coach"."""
    m = _PREDICATE.match(text, end, hi)
    if not m or len(m.group(1).split()) > APPOSITIVE_WORDS or not ROLE.search(m.group(1)):
        return None
    return m.start(1), m.end(1)


def description(name: str, text: str, lo: int, hi: int, entities: list) -> tuple[int, int] | None:
    """The span in text[lo:hi] that says what the person `name` is, or None."""
    spans = [(s, e) for s, e, label in entities if label == "PERSON" and mentions(text[s:e], name.split()[-1])]
    if not spans:  # the tagger missed the name ("Ursula von der Leyen" read as an organisation)
        at = text.find(name, lo, hi)
        spans = [(at, at + len(name))] if at >= 0 else []
    for s, e in spans:
        found = title_before(text, lo, s) or appositive(text, e, hi)
        if found:
            return found
    return None


SPELLING = 85  # rapidfuzz ratio (0-100) at which two narrowing words are one spelt two ways: defence / defense


def _spelt(word: str, words: set[str]) -> bool:
    return word in words or any(fuzz.ratio(word, w, score_cutoff=SPELLING) for w in words)


def title_of(text: str, lo: int, hi: int, start: int, core: int, end: int) -> str:
    """What the sentence text[lo:hi] titles the name at [core, end) (its phrase starting at `start`): the
    phrase's own title, the title written before it, the description set off after it and the one a clause
    gives it ("Sweeney is Epic’s CEO"), joined; "" when it gives none."""
    spans = [(start, core)] if core > start else []
    spans += [s for s in (title_before(text, lo, start), appositive(text, end, hi), _predicate(text, end, hi)) if s]
    return " ".join(" ".join(text[s:e].split()) for s, e in spans)


def role_tie(role, text: str, lo: int, hi: int, start: int, core: int, end: int) -> int:
    """How the sentence text[lo:hi] ties the name at [core, end) (its phrase starting at `start`, a
    title included) to the asked `role` (`qa.question.structure.Role`): 2 by a title that names every party
    the role belongs to (or the role has none), 1 by a title that names no owner of its own (a
    nationality, a team, a company) in a paragraph that names the asked parties, else 0: "Foreign Minister
    Sergey Lavrov", in a paragraph on Russia's demands, is not Ukraine's, though the article names Ukraine. The title
    (the name's own, or the description set off after it) must hold the role's noun and every word
    that narrows it, and no rank the role lacks. "Canadian Foreign Minister Mélanie Joly" is not
    "Germany's finance minister", "Jets head coach Robert Saleh" not the Chiefs' coach, "Deputy
    Foreign Minister" not the foreign minister, and "Kremlin spokesman Dmitry Peskov" is not the head
    of a Kremlin team."""
    said = title_of(text, lo, hi, start, core, end)
    words = {lemma(w) for w in tokens(said)}
    if role.head not in words or not all(_spelt(w, words) for w in role.narrowing):
        return 0
    if (words & _RANK_LEMMAS) - set(role.narrowing):  # a deputy foreign minister is not the foreign minister
        return 0
    missing = [p for p in role.parties if not mentions(said, p)]
    if not missing:
        return 2
    asked = {lemma(w) for w in tokens(role.phrase)}
    for run in _CAPITALISED.findall(said):  # "Epic Games" in "Epic Games CEO" names Epic
        own = [w for w in run.split() if lemma(w) not in asked and not ROLE.fullmatch(w) and w.casefold() not in RANKS]
        if own and not any(mentions(run, p) for p in role.parties):
            return 0  # the title names an owner of its own: "Jets head coach", "Canadian Foreign Minister"
    around = paragraph(text, lo, hi)
    return 1 if all(mentions(around, p) for p in missing) else 0  # untitled: its paragraph names the asked owner


def paragraph(text: str, lo: int, hi: int) -> str:
    """The paragraph (lines end them) that holds text[lo:hi]."""
    end = text.find("\n", hi)
    return text[text.rfind("\n", 0, lo) + 1:end if end >= 0 else len(text)]
