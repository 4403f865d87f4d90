"""Sentence boundaries with character offsets, from a real rule-based splitter (pysbd).

Paragraphs (lines) are split separately: a line break always ends a sentence, which is what
news text means by it, and it keeps the splitter fast on long articles.
"""

from __future__ import annotations

import re
from functools import lru_cache

_LINE = re.compile(r"[^\n]+")
_WORDISH = re.compile(r"\w")


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    # char_span=True would compile one regex per sentence to find it again; we find offsets ourselves
    return pysbd.Segmenter(language="en", clean=False, char_span=False)


def _split(segment: str) -> list[str]:
    """pysbd's sentences without its span search, which compiles one regex per sentence."""
    seg = _segmenter()
    return [p for p in seg.processor(segment).process() if p]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each sentence in `text`, whitespace trimmed, in order.

    Fragments with no letter or digit (a stray "." after a quote) are folded into the sentence before.
    """
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        base = line.start()
        segment = line.group()
        if not segment.strip():
            continue
        pieces = _split(segment) if len(segment) > 40 else None
        if not pieces:
            _append(spans, text, base, base + len(segment))
            continue
        cursor = 0
        for piece in pieces:
            at = segment.find(piece, cursor)
            if at < 0:  # the splitter changed the text: keep the rest of the line as one sentence
                _append(spans, text, base + cursor, base + len(segment))
                break
            _append(spans, text, base + at, base + at + len(piece))
            cursor = at + len(piece)
    return spans


def _append(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return
    if not _WORDISH.search(text, start, end) and spans and "\n" not in text[spans[-1][1]:start]:
        spans[-1] = (spans[-1][0], end)  # a stray punctuation fragment belongs to the sentence before
        return
    spans.append((start, end))
