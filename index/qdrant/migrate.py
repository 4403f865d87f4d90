"""`byline index migrate --to qdrant+URL|PATH`: copy an embedded index into Qdrant, vectors included.

Nothing is re-embedded or re-annotated: articles, sentences, named entities and windows are read
from the embedded index's SQLite file, and each window's vector is its stored 8-bit codes decoded
(`index.embedding.quantize.decode`), the very values FAISS searches. Point ids are the content-hash ids a
direct Qdrant build gives (`index.qdrant.points`), so migrating twice, or migrating then adding the same
files, writes no duplicates.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from index.ingest.annotate import Entity
from index.api import Index
from index.ingest.chunking import Chunk
from index.ingest.documents import Document
from index.qdrant.points import Prepared
from index.qdrant.write import keep_average
from index.reports import AddReport
from index.terms import tokenize

BATCH = 64  # articles a write
WHOLE = 1 << 62  # "every sentence / every entity" of an article


def read_article(index: Index, article_id: str) -> Prepared:
    """One article of an embedded index with its windows and their stored vectors."""
    row = index.article(article_id)
    doc = Document(id=row.id, text=row.text, title=row.title, source=row.source, published_at=row.published_at,
                   url=row.url, author=row.author, tags=row.tags, path=row.path)
    sentences = [(s, e) for _, s, e in index.sentences(row.rowid, 0, WHOLE)]
    entities = [Entity(*e) for e in index.entities(row.rowid, 0, WHOLE)]
    windows = sorted(index.windows(row.rowid, 0, WHOLE), key=lambda w: w.start)
    chunks = [Chunk(n, w.start, w.end, w.sent_lo, w.sent_hi, row.text[w.start:w.end], row.text[w.start:w.end])
              for n, w in enumerate(windows)]
    vectors = np.vstack([w.vector for w in windows]).astype(np.float32) if windows else np.zeros((0, 0), np.float32)
    return Prepared(doc, sentences, chunks, entities, vectors=vectors, seq=row.rowid)  # written in the source's order


def migrate(source: Index, target, progress: Callable[[str, int, int], None] | None = None) -> AddReport:
    """Copy every article of `source` (an embedded Index) into `target` (a QdrantBackend)."""
    report = AddReport()
    ids = [r.id for r in source.list()]
    held = set(target.article_ids(ids))
    with source.snapshot():  # bm25's average window length over every window, as FTS5 has it
        keep_average(target, [len(tokenize(row.text[w.start:w.end])) for row in map(source.article, ids)
                              for w in source.windows(row.rowid, 0, WHOLE)])
    for start in range(0, len(ids), BATCH):
        part = ids[start:start + BATCH]
        with source.snapshot():
            prepared = [read_article(source, i) for i in part]
        target.upsert(prepared)
        for p in prepared:
            (report.updated if p.doc.id in held else report.added).append(p.doc.id)
            report.chunks_cached += len(p.chunks)  # vectors copied, none embedded
        if progress:
            progress("migrating", min(start + BATCH, len(ids)), len(ids))
    return report
