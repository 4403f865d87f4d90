"""Misspelled question words, corrected against the index's own vocabulary (the FTS5 `fts5vocab`
table): a word that no indexed chunk holds, in any form, is replaced by the closest indexed word of
similar length that shares its first two letters ("Zelenksy" → "Zelensky", "sanctons" →
"sanctions"), when one is close enough. The caller shows the question as it was read."""

from __future__ import annotations

import re
from collections.abc import Callable

from rapidfuzz import fuzz, process

from qa.query import STOPWORDS, stem

MIN_LENGTH = 4  # shorter words are left alone: too many near neighbours
MIN_SCORE = 80  # rapidfuzz ratio (0-100) a replacement must reach
LENGTH_SLACK = 2  # a replacement is at most this many letters longer or shorter
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def correct(question: str, doc_freq: Callable[[str, bool], int],
            vocabulary: Callable[[str], list[tuple[str, int]]]) -> tuple[str, list[tuple[str, str]]]:
    """(the question with unknown words replaced, [(word, replacement), …])."""
    fixes: list[tuple[str, str]] = []

    def fix(m: re.Match) -> str:
        word = m.group()
        low = word.casefold()
        if len(low) < MIN_LENGTH or low in STOPWORDS or doc_freq(low, False) or doc_freq(stem(low), True):
            return word
        terms = [(t, n) for t, n in vocabulary(low[:2]) if abs(len(t) - len(low)) <= LENGTH_SLACK]
        if not terms:
            return word
        best = process.extractOne(low, [t for t, _ in terms], scorer=fuzz.ratio, score_cutoff=MIN_SCORE)
        if best is None:
            return word
        right = best[0]
        if word[0].isupper():
            right = right[0].upper() + right[1:]
        fixes.append((word, right))
        return right

    fixed = _WORD.sub(fix, question)
    return fixed, fixes
