"""Who a reported-speech sentence comes from: "..., Sullivan said", "according to Ushakov"."""

from __future__ import annotations

import re

from qa.lexicon.titles import ROLE_WORDS, without_title
from qa.lexicon.verbs import SAID
from qa.lexicon.words import STOPWORDS

_NAME = r"((?:[A-Z][\w’'\-.]+\s){0,3}[A-Z][\w’'\-]+)"
_PATTERNS = [
    re.compile(r"according to (?:the )?" + _NAME),
    re.compile(_NAME + r",?\s+(?:[\w\s]{0,40}?,\s+)?" + SAID + r"\b"),
    re.compile(r"\b" + SAID + r"\s+" + _NAME),
]
_NOT_SPEAKERS = {"He", "She", "They", "We", "It", "I", "This", "That", "There", "The", "You"}


def speaker(sentence: str) -> str | None:
    """The named speaker of a sentence of reported speech, or None."""
    for pattern in _PATTERNS:
        for m in pattern.finditer(sentence):
            name = m.group(1).strip().rstrip(".,")
            words = without_title(name).split()
            if not words or words[0] in _NOT_SPEAKERS:
                continue
            return " ".join(words)
    return None


# "What did [the] X say/tell …": X is the run of words before the verb, ending in a capitalised name
# ("Kremlin spokesman Dmitry Peskov", "Secretary of State Wendy Sherman"); a title alone ("the French
# president") names no one. Read from the words, not the parse: loading the parser makes a one-shot
# `byline ask` of such a question 1.7 s instead of 0.8 s.
_ASKED = re.compile(r"^\s*(?i:what did)\s+(?:the\s+)?((?:[\w.’'\-]+\s+){0,6}?[A-Z][\w’'\-]*)"
                    r"\s+(?:say|tell|told|said)\b")


# the words are given to someone the sentence does not name: "…, said a senior State Department official",
# "A spokesman for British Prime Minister Johnson said that …"
_SAID_BY_UNNAMED = re.compile(rf"\b{SAID}\s+((?:a|an|the)\s+(?:[\w’'-]+\s+){{0,5}}?{ROLE_WORDS})\b", re.I)
_UNNAMED_SAYS = re.compile(rf"^\W*((?:[Aa]|[Aa]n|[Tt]he)\s+(?:[\w’'-]+\s+){{0,5}}?{ROLE_WORDS}"
                           rf"(?:\s+(?:for|of|at)\s+[^,.“”\"]{{1,60}}?)?)\s+{SAID}\b")
_QUOTED = re.compile(r"“[^”]*”?|\"[^\"]*\"?")


def unnamed_speaker(sentence: str) -> str | None:
    """How a sentence of reported speech describes a speaker it does not name ("a senior State Department
    official"), or None: it names them, or reports no one's words. The quoted words are left out first: the
    names inside a quote ("As President Biden told President Putin, …") are not its speaker. "The president"
    alone stands for someone named before, and is not read as unnamed."""
    told = _QUOTED.sub(" ", sentence)
    opening = _UNNAMED_SAYS.search(told)
    if opening is None and speaker(told) is not None:
        return None
    m = opening or _SAID_BY_UNNAMED.search(told)
    if m is None or re.fullmatch(r"(?i:the)\s+\S+", m.group(1)):
        return None
    return m.group(1)[0].lower() + m.group(1)[1:]


def asked_speaker(question: str) -> str | None:
    """The person a "What did X say / tell …" question asks about (their last name), or None. A name that
    only ends a role ("the president of France") is not the speaker."""
    m = _ASKED.match(question)
    words = m.group(1).split() if m else []
    if not words or (len(words) > 1 and words[-2] in STOPWORDS):  # "of", "for", "and": not part of a name
        return None
    return words[-1]


_ABOUT = re.compile(r"\s(?:about|on the (?:subject|issue|question) of|regarding|concerning)\s+(.+?)[\s?.!]*$", re.I)


def asked_topic(question: str) -> str | None:
    """What a "What did X say / tell Y about T?" question asks X's words on (T), or None."""
    if asked_speaker(question) is None:
        return None
    m = _ABOUT.search(question)
    return m.group(1) if m else None


_PRONOUN_SAID = re.compile(rf"\b(?:[Hh]e|[Ss]he)\s+{SAID}\b|\b{SAID}\s+(?:he|she)\b")


def pronoun_said(sentence: str) -> bool:
    """The sentence reports the words of someone it calls "he" or "she" ("…, she said.")."""
    return bool(_PRONOUN_SAID.search(sentence))


def quotes(name: str, sentence: str) -> bool:
    """Does the sentence report something `name` said (as speaker, not merely mentioned)?"""
    who = speaker(sentence)
    if who and name in who:
        return True
    n = re.escape(name)
    return bool(re.search(n + r"\W+(?:\w+\W+){0,3}?" + SAID + r"\b", sentence)
                or re.search(r"\b(?:" + SAID + r"|according to)\W+(?:\w+\W+){0,4}?" + n + r"\b", sentence))
