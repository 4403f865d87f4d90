"""Resolve a follow-up ("What did he say about a breakthrough?") against the earlier turns:
the pronoun is replaced by the person the last answers name, and the earlier question is kept
as context for the dense search."""

from __future__ import annotations

import re

from qa.conversation import Conversation

_REFERS_BACK = re.compile(r"\b(he|she|him|her|his|they|them|their|it|its|that|this|those|these|there)\b", re.I)
_STARTS = re.compile(r"^\s*(and|so|also|what about|how about|then)\b", re.I)
_PRONOUN = re.compile(r"\b(he|she|him|her|his|hers)\b", re.I)
_NAME = re.compile(r"(?:[A-Z][a-zà-ÿ’'\-]+|[A-Z]\.)(?:\s+(?:[A-Z][a-zà-ÿ’'\-]+|[A-Z]\.))+")
_NOT_NAMES = {"The", "What", "Which", "Who", "How", "When", "Where", "Why", "Did", "And", "So"}
_TITLES = {"State", "Secretary", "Deputy", "President", "Minister", "Foreign", "Prime", "Chancellor", "General",
           "Ambassador", "Advisor", "Adviser", "Spokesman", "Spokeswoman", "Former", "Senior", "US", "U.S."}


def _strip_titles(name: str) -> str:
    words = name.split()
    while len(words) > 2 and words[0] in _TITLES:
        words = words[1:]
    return " ".join(words)


def refers_back(question: str) -> bool:
    return bool(_REFERS_BACK.search(question) or _STARTS.search(question))


def _person(text: str, question: str) -> str | None:
    """The last multi-word proper name in an answer that the question did not already name."""
    names = [_strip_titles(n) for n in _NAME.findall(text or "") if n.split()[0] not in _NOT_NAMES]
    fresh = [n for n in names if n not in question]
    pick = fresh or names
    return pick[-1] if pick else None


def _speaker(turn) -> str | None:
    if turn.answer is not None:
        for s in turn.answer.sentences:
            if s.speaker:
                return s.speaker
    return None


def resolve(question: str, conversation: Conversation | None) -> tuple[str, str | None]:
    """(the question with its pronoun resolved, context text for the dense search or None)."""
    if not conversation or not conversation.turns or not refers_back(question):
        return question, None
    person = None
    for turn in conversation.turns:  # a turn that itself said "he" keeps the person it meant
        if person and _PRONOUN.search(turn.question):
            continue
        person = _speaker(turn) or _person(turn.text, turn.question) or _person(turn.question, "") or person
    resolved = question
    if person and _PRONOUN.search(question):
        def swap(m: re.Match) -> str:
            return person + "’s" if m.group(1).casefold() in ("his", "hers") else person

        resolved = _PRONOUN.sub(swap, question, count=1)
    last = conversation.turns[-1]
    context = " ".join(t for t in (last.question, last.text[:300]) if t)
    return resolved, context or None
