"""Who a reported-speech sentence comes from: "..., Sullivan said", "according to Ushakov"."""

from __future__ import annotations

import re

_NAME = r"((?:[A-Z][\w’'\-.]+\s){0,3}[A-Z][\w’'\-]+)"
_VERBS = r"(?:said|says|told|warned|added|noted|admitted|announced|stressed|insisted|recalled|declared|wrote|assures|confirmed)"
_PATTERNS = [
    re.compile(r"according to (?:the )?" + _NAME),
    re.compile(_NAME + r",?\s+(?:[\w\s]{0,40}?,\s+)?" + _VERBS + r"\b"),
    re.compile(r"\b" + _VERBS + r"\s+" + _NAME),
]
_TITLES = {"President", "Secretary", "Minister", "Foreign", "Deputy", "Prime", "Chancellor", "Spokesman",
           "Spokeswoman", "National", "Security", "Advisor", "Adviser", "US", "U.S.", "The", "A", "An", "But", "And", "He", "She",
           "They", "We", "It", "This", "That", "Kremlin"}
_NOT_SPEAKERS = {"He", "She", "They", "We", "It", "I", "This", "That", "There", "The", "You"}


def speaker(sentence: str) -> str | None:
    """The named speaker of a sentence of reported speech, or None."""
    for pattern in _PATTERNS:
        for m in pattern.finditer(sentence):
            name = m.group(1).strip().rstrip(".,")
            words = name.split()
            while words and words[0] in _TITLES and len(words) > 1:
                words = words[1:]
            if not words or words[0] in _NOT_SPEAKERS:
                continue
            return " ".join(words)
    return None
