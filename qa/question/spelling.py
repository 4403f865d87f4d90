"""Misspelled question words, corrected against the index's own vocabulary (the FTS5 `fts5vocab`
table): a word that no indexed chunk holds, in any form, is replaced by the closest indexed word of
similar length that shares its first letter ("Zelenksy" → "Zelensky", "sanctons" →
"sanctions"), when one is close enough: one edit away for a short word (a letter added, dropped,
changed or two swapped), two for a longer one, so that a real word the articles happen not to use
("rate") is not read as another ("rather"). The caller shows the question as it was read."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

from rapidfuzz.distance import OSA

from qa.lexicon.words import STOPWORDS, indexed

MIN_LENGTH = 4  # shorter words are left alone: too many near neighbours
SHORT_WORD = 5  # words up to this long take one edit (optimal string alignment distance), longer ones two
LENGTH_SLACK = 2  # a replacement is at most this many letters longer or shorter
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# An English word is a typo of an indexed one only when that one is far more common in English: readers
# mistype about one word in fifty, so "minster" (0.46M in the frequency list) is read as "minister" (44M),
# while "died" stays died (36M; "did" 275M) and "tanks" stays tanks (8.5M; "talks" 15M).
TYPO_ODDS = 50


@cache
def english() -> dict[str, int]:
    """Word -> count in English text: symspellpy's frequency list (82,765 words, carried in its wheel)."""
    import symspellpy

    path = Path(symspellpy.__file__).parent / "frequency_dictionary_en_82_765.txt"
    counts = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            word, _, n = line.partition(" ")
            counts[word] = int(n)
    return counts


def correct(question: str, doc_freq: Callable[[str, bool], int],
            vocabulary: Callable[[str], list[tuple[str, int]]]) -> tuple[str, list[tuple[str, str]]]:
    """(the question with unknown words replaced, [(word, replacement), …])."""
    fixes: list[tuple[str, str]] = []

    def fix(m: re.Match) -> str:
        word = m.group()
        low = word.casefold()
        if len(low) < MIN_LENGTH or low in STOPWORDS or indexed(low, doc_freq) or word.isupper():
            return word  # an acronym ("OSCE") is not a misspelt word: the articles may spell it out
        name = word[0].isupper() and m.start() > 0  # a name: one edit, and only to a word of the articles
        right = _nearest(low, vocabulary, name)
        if right is None:
            return word
        if word[0].isupper():
            right = right[0].upper() + right[1:]
        fixes.append((word, right))
        return right

    fixed = _WORD.sub(fix, question)
    return fixed, fixes


def _nearest(low: str, vocabulary: Callable[[str], list[tuple[str, int]]], name: bool = False) -> str | None:
    """The word `low` was meant to be: the fewest edits away, an indexed word before an English one
    (the articles' spelling first), then the most frequent. An English word the articles do not use
    counts too ("diference" is "difference", not the indexed "divergence"), and a real English word
    stays itself unless an indexed one is TYPO_ODDS times more common. A `name` the articles do not
    hold is read as an indexed one only a single edit away ("Zelenksy"), never as an English word
    ("Jinping" is not "joining")."""
    most = 1 if len(low) <= SHORT_WORD or name else 2
    near = [(d, 0, -n, t) for t, n in vocabulary(low[:1]) if abs(len(t) - len(low)) <= LENGTH_SLACK
            and (d := OSA.distance(low, t, score_cutoff=most)) <= most]
    near += [] if name else [
        (d, 1, -n, t) for t, n in _english_by_letter().get(low[:1], ()) if abs(len(t) - len(low)) <= LENGTH_SLACK
        and t != low and (d := OSA.distance(low, t, score_cutoff=most)) <= most]
    if not near:
        return None
    right = min(near)[3]
    counts = english()
    if low in counts and counts.get(right, 0) < TYPO_ODDS * counts[low]:
        return None  # a real word the articles happen not to use
    return right


@cache
def _english_by_letter() -> dict[str, list[tuple[str, int]]]:
    by: dict[str, list[tuple[str, int]]] = {}
    for word, n in english().items():
        by.setdefault(word[:1], []).append((word, n))
    return by
