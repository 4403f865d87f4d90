"""Small overlapping word windows that remember the sentences they touch.

A window of `chunk_words` words starts every `chunk_stride` words. Short windows retrieve a
fact inside a long news sentence far better than whole sentences do with MiniLM (the
"100,000 troops" sentence ranks 1st-2nd as a 20-word window, 45th as a sentence); the sentence
offsets kept per window let the answer cite exactly one sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.ingest.documents import Document
from index.ingest.sentences import split_sentences

_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Chunk:
    ordinal: int  # position in the article
    start: int  # character span in the cleaned text
    end: int
    sent_lo: int  # first and last sentence index (inclusive) the window touches
    sent_hi: int
    text: str  # the window's own text (what keyword search indexes)
    embed_text: str  # what is embedded (the window, optionally under a header)


def header(doc: Document) -> str:
    parts = [p for p in (doc.title, doc.source, (doc.published_at or "")[:10]) if p]
    return " | ".join(parts)


def chunk_document(doc: Document, sentences: list[tuple[int, int]], chunk_words: int,
                   chunk_stride: int, embed_header: bool = False) -> list[Chunk]:
    """Cut `doc.text` into overlapping windows; the last window always reaches the end."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(doc.text)]
    if not words:
        return []
    starts = list(range(0, max(1, len(words) - chunk_words + chunk_stride), chunk_stride))
    if starts[-1] + chunk_words < len(words):
        starts.append(len(words) - chunk_words)
    prefix = header(doc) + "\n" if embed_header and header(doc) else ""
    chunks: list[Chunk] = []
    sent_i = 0
    for ordinal, w0 in enumerate(starts):
        w1 = min(len(words), w0 + chunk_words)
        start, end = words[w0][0], words[w1 - 1][1]
        while sent_i + 1 < len(sentences) and sentences[sent_i][1] <= start:
            sent_i += 1
        lo = sent_i
        hi = lo
        while hi + 1 < len(sentences) and sentences[hi + 1][0] < end:
            hi += 1
        text = doc.text[start:end]
        chunks.append(Chunk(ordinal, start, end, lo, hi, text, prefix + text))
    return chunks


def sentence_spans(doc: Document) -> list[tuple[int, int]]:
    spans = split_sentences(doc.text)
    return spans or [(0, len(doc.text))]
