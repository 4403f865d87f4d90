"""Articles made ready for a retrieval backend that is not the embedded SQLite + FAISS index: the
windows' vectors on top of what `index.ingest.prepare` makes for both backends (`Prepared`, one class:
sentences, named entities, windows; and the content-hash point ids).

The same steps and settings as `index.embedded.writer` (one home each: `index.ingest.prepare`, `index.embedding.quantize`), so
both backends hold the same windows and the same vectors: a vector is the encoder's output passed
through the 8-bit codes the embedded index keeps (`quantize.decode(encode(v))`), which is also what
`index migrate` reads back from an embedded index, with no re-embedding.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from index.ingest.documents import Document
from index.embedding.encoders import encode_articles
from index.ingest.prepare import Prepared, article_key, chunk_key, point_id, prepare_all  # noqa: F401 - re-exported
from index.embedding.quantize import decode, encode
from index.settings import IndexSettings


def split(docs: Iterable[Document], settings: IndexSettings) -> list[Prepared]:
    """Sentences, entities and windows of each document, as the embedded writer makes them
    (`index.ingest.prepare.prepare`: one home for both backends; no vectors yet); documents with no
    words are dropped (the embedded writer reports them; the caller does here)."""
    return [p for p in prepare_all(docs, settings) if p.chunks]


def as_stored(vectors: np.ndarray) -> np.ndarray:
    """The vectors the embedded index searches: the encoder's output through its 8-bit codes."""
    return decode(encode(vectors))


def embed(prepared: Sequence[Prepared], encoder, batch_size: int = 32) -> None:
    """Fill in every window's vector, each article's windows encoded on their own
    (`index.embedding.encoders.encode_articles`: the same vectors whatever else shares the call)."""
    for p, vectors in zip(prepared, encode_articles(encoder, [[c.embed_text for c in p.chunks] for p in prepared],
                                                     batch_size)):
        p.vectors = as_stored(vectors)
