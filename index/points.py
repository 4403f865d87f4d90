"""An article made ready for a retrieval backend that is not the embedded SQLite + FAISS index:
sentences, named entities, windows, their vectors and their keyword terms, as plain data.

The same steps and settings as `index.writer` (one home each: `index.prepare`, `index.quantize`), so
both backends hold the same windows and the same vectors: a vector is the encoder's output passed
through the 8-bit codes the embedded index keeps (`quantize.decode(encode(v))`), which is also what
`index migrate` reads back from an embedded index, with no re-embedding.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from index.chunking import Chunk
from index.documents import Document
from index.prepare import prepare_all
from index.quantize import decode, encode
from index.settings import IndexSettings


def point_id(*parts: str) -> int:
    """63 bits of the SHA-1 of the parts: a stable id, the same on every retry of the same content."""
    h = hashlib.sha1("\x00".join(parts).encode("utf-8")).digest()
    return int.from_bytes(h[:8], "big") >> 1


def article_key(article_id: str) -> int:
    """The row number an article has on a backend without SQLite rowids."""
    return point_id("article", article_id)


def chunk_key(article_id: str, content_hash: str, ordinal: int) -> int:
    """A window's id: its article, that article's content and its place in it (a changed article
    gets new ids; the same article sent twice gets the same ones, so a retry writes no duplicate)."""
    return point_id("chunk", article_id, content_hash, str(ordinal))


@dataclass
class Prepared:
    """One article and everything a backend stores for it."""

    doc: Document
    sentences: list[tuple[int, int]]
    entities: list[tuple[int, int, str]]
    chunks: list[Chunk]
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32))  # one row a chunk
    # the article's place in the order articles were written (what the embedded index's rowids
    # follow; keyword ties are ordered by it): set by the writer (`qdrant_write.upsert`) when None
    seq: int | None = None

    @property
    def key(self) -> int:
        return article_key(self.doc.id)

    def chunk_ids(self) -> list[int]:
        return [chunk_key(self.doc.id, self.doc.content_hash, c.ordinal) for c in self.chunks]


def split(docs: Iterable[Document], settings: IndexSettings) -> list[Prepared]:
    """Sentences, entities and windows of each document, as the embedded writer makes them
    (`index.prepare.prepare`: one home for both backends; no vectors yet); documents with no
    words are dropped (the embedded writer reports them; the caller does here)."""
    return [Prepared(p.doc, p.sentences, [(e.start, e.end, e.label) for e in p.entities], p.chunks)
            for p in prepare_all(docs, settings) if p.chunks]


def as_stored(vectors: np.ndarray) -> np.ndarray:
    """The vectors the embedded index searches: the encoder's output through its 8-bit codes."""
    return decode(encode(vectors))


def embed(prepared: Sequence[Prepared], encoder, batch_size: int = 32) -> None:
    """Fill in every window's vector, encoding all windows of the batch together."""
    texts = [c.embed_text for p in prepared for c in p.chunks]
    if not texts:
        return
    vectors = as_stored(encoder.encode(texts, batch_size))
    at = 0
    for p in prepared:
        p.vectors = vectors[at:at + len(p.chunks)]
        at += len(p.chunks)
