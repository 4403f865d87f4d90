"""What a sentence says a person is: "Who is Yuri Ushakov?" is answered "Putin's foreign policy
advisor", the title news writes before a name ("national security adviser Jake Sullivan") or sets
off after it ("Dmitry Peskov, the Kremlin spokesman,")."""

from __future__ import annotations

import re

from qa.names import mentions
from qa.verbs import past_form

ROLE = re.compile(r"\b(?:president|minister|secretary|director|ambassador|chancellor|spokes(?:man|woman|person)|"
                  r"general|advis[eo]r|senator|envoy|chief|head|deputy|governor|mayor|judge|ceo|chair(?:man|woman)?|"
                  r"correspondent|commissioner|representative|official|leader|diplomat|historian|analyst|expert|"
                  r"professor|founder|executive|journalist|reporter|editor|coach|officer|commander|premier|"
                  r"king|queen|prince|prosecutor|lawyer|attorney|economist|researcher|scientist|author)s?\b", re.I)
_BOUNDARY = frozenset("""a an while and but that which who whom by with as said says told from on in when after
    before since if than then also""".split())  # "of", "for", "at", "to", "the" may sit inside a title
_INSIDE = frozenset("of for at to the".split())
TITLE_WORDS = 9  # a title before a name is this short ("Director for Russia at the National Security Council")
APPOSITIVE_WORDS = 10  # ", the Kremlin spokesman," after it


def _title_before(text: str, lo: int, start: int) -> tuple[int, int] | None:
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


def _after(text: str, end: int, hi: int) -> tuple[int, int] | None:
    m = re.match(r",\s+((?:the|a|an)\s+)?([^,.;:“”\"()]+?)(?=[,.;)]|\s(?:who|which|that|and)\s)", text[end:hi])
    if not m or len(m.group(2).split()) > APPOSITIVE_WORDS or not ROLE.search(m.group(2)):
        return None
    return end + m.start(2), end + m.end(2)


def description(name: str, text: str, lo: int, hi: int, entities: list) -> tuple[int, int] | None:
    """The span in text[lo:hi] that says what the person `name` is, or None."""
    spans = [(s, e) for s, e, label in entities if label == "PERSON" and mentions(text[s:e], name.split()[-1])]
    if not spans:  # the tagger missed the name ("Ursula von der Leyen" read as an organisation)
        at = text.find(name, lo, hi)
        spans = [(at, at + len(name))] if at >= 0 else []
    for s, e in spans:
        found = _title_before(text, lo, s) or _after(text, e, hi)
        if found:
            return found
    return None
