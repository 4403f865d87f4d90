"""Writing to a Qdrant index (`index.qdrant.backend.QdrantBackend`): the write surface of the backend
protocol.

Every write is idempotent: point ids are hashes of content (`index.qdrant.points`), so writing the same
article twice (a retried Ray task, a rerun build) overwrites the same points. An article is written
in three steps: its article point with `complete: false`, its windows (after deleting the windows of
an older version of it), then `complete: true`. A write cut short leaves an incomplete article that
`list`/`stats` leave out, `verify` reports and the next add of the same article finishes; readers
never meet a window whose article point is missing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, islice
from pathlib import Path

from qdrant_client import models

from index.ingest.chunking import chunk_document, sentence_spans
from index.ingest.documents import Document, LoadIssue
from index.errors import InputError
from index.qdrant.points import Prepared, article_key, embed, split
from index.qdrant.schema import (ARTICLES, CHUNKS, DENSE, KEYWORD, META, META_ID, TERMS, WRITE_BATCH,
                                 article_payload, chunk_payload, match_any)
from index.reports import AddReport
from index.terms import chunk_terms, heads, term_id, tokenize

ARTICLES_A_BATCH = 64  # articles split, embedded and written together
AVERAGE_FROM = 1_000  # articles of a first build whose windows set bm25's average window length


def _batches(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def upsert(backend, prepared: Sequence[Prepared]) -> None:
    """Write articles whose windows carry vectors (`index.qdrant.points.embed`), replacing older versions."""
    if not prepared:
        return
    client = backend.client
    avg = average_tokens(backend, prepared)
    number(backend, prepared)
    client.upsert(ARTICLES, [models.PointStruct(id=p.key, vector={}, payload=article_payload(p, False))
                             for p in prepared])
    keep = [cid for p in prepared for cid in p.chunk_ids()]
    client.delete(CHUNKS, points_selector=models.FilterSelector(filter=models.Filter(
        must=[match_any("article_id", [p.doc.id for p in prepared])],
        must_not=[models.HasIdCondition(has_id=keep)])))
    points, words = [], set()
    for p in prepared:
        for chunk, cid, vector in zip(p.chunks, p.chunk_ids(), p.vectors):
            terms = chunk_terms(chunk.text, avg)
            words.update(terms.words)
            points.append(models.PointStruct(id=cid, payload=chunk_payload(p, chunk, terms.words + terms.pairs), vector={
                DENSE: vector.tolist(),
                KEYWORD: models.SparseVector(indices=list(terms.indices), values=list(terms.values))}))
    for part in _batches(points, WRITE_BATCH):
        client.upsert(CHUNKS, part)
    new_words = sorted(words)
    for part in _batches(new_words, WRITE_BATCH * 4):
        client.upsert(TERMS, [models.PointStruct(id=term_id(w), vector={}, payload={"term": w, "heads": heads(w)})
                              for w in part])
    client.set_payload(ARTICLES, payload={"complete": True}, points=[p.key for p in prepared])
    backend.committed()


def measure_average(backend, docs: Sequence[Document]) -> None:
    """Before an index's first write: bm25's average window length over the windows of the articles
    about to be written (up to AVERAGE_FROM of them), cut as `split` cuts them. FTS5 averages over
    every window it holds, so a first build of up to AVERAGE_FROM articles scores exactly as FTS5
    does, whichever batch (or Ray block) lands first; measured on the first batch only, MultiHop's
    average was 24.90 tokens for FTS5's 24.84."""
    if backend.meta().get("avg_tokens"):
        return
    s = backend.settings
    keep_average(backend, [len(tokenize(c.text)) for d in docs[:AVERAGE_FROM]
                           for c in chunk_document(d, sentence_spans(d), s.chunk_words, s.chunk_stride, s.embed_header)])


def keep_average(backend, lengths: Sequence[int]) -> None:
    """bm25's average window length (tokens), kept in the meta for every later write."""
    if lengths and not backend.meta().get("avg_tokens"):
        backend.client.set_payload(META, payload={"avg_tokens": sum(lengths) / len(lengths)}, points=[META_ID])


def average_tokens(backend, prepared: Sequence[Prepared]) -> float:
    """bm25's average window length, in tokens: measured on the first articles written and then
    kept in the index's meta (FTS5 keeps its own average up to date; a fixed one changes scores by
    well under 1% as the corpus grows, and keeps every stored term weight valid)."""
    meta = backend.meta()
    if meta.get("avg_tokens"):
        return float(meta["avg_tokens"])
    lengths = [len(tokenize(c.text)) for p in prepared for c in p.chunks]
    avg = sum(lengths) / len(lengths) if lengths else float(backend.settings.chunk_words)
    backend.client.set_payload(META, payload={"avg_tokens": avg}, points=[META_ID])
    return avg


def reserve(backend, count: int) -> int:
    """The first of `count` places in the write order, taken for articles about to be written (a
    Ray build numbers its articles in input order before they are split in parallel)."""
    first = int(backend.meta().get("next_seq") or 0)
    backend.client.set_payload(META, payload={"next_seq": first + count}, points=[META_ID])
    return first


def number(backend, prepared: Sequence[Prepared]) -> None:
    """Give each article its place in the write order (`Prepared.seq`), as the embedded index's
    rowids give it: after every article written before, in the order given. Keyword ties are
    ordered by it on both backends (`index.qdrant.backend._written_order`)."""
    todo = [p for p in prepared if p.seq is None]
    first = reserve(backend, len(todo)) if todo else 0
    for n, p in enumerate(todo):
        p.seq = first + n
    top = max(p.seq for p in prepared) + 1
    if top > int(backend.meta().get("next_seq") or 0):  # places given elsewhere (migrate: the rowids)
        backend.client.set_payload(META, payload={"next_seq": top}, points=[META_ID])


def delete(backend, article_ids: Sequence[str]) -> None:
    """Remove articles and their windows (their words' counts and IDF follow at once)."""
    if not article_ids:
        return
    client = backend.client
    client.delete(CHUNKS, points_selector=models.FilterSelector(filter=models.Filter(
        must=[match_any("article_id", list(article_ids))])))
    client.delete(ARTICLES, points_selector=models.PointIdsList(points=[article_key(i) for i in article_ids]))
    backend.committed()


def stored_hashes(backend, ids: Sequence[str]) -> dict[str, str]:
    """Content hashes of the complete articles among `ids`."""
    found = backend.client.retrieve(ARTICLES, [article_key(i) for i in ids],
                                    with_payload=["id", "content_hash", "complete"])
    return {p.payload["id"]: p.payload["content_hash"] for p in found if p.payload.get("complete")}


def changed_batches(backend, docs: Iterable[Document], report: AddReport, size: int) -> Iterator[list[Document]]:
    """The new and changed documents, in batches of up to `size` checked together against the
    stored content hashes; unchanged ones and repeated ids go to `report`."""
    seen: set[str] = set()
    pending: list[Document] = []

    def check() -> list[Document]:
        stored = stored_hashes(backend, [d.id for d in pending])
        report.unchanged.extend(d.id for d in pending if stored.get(d.id) == d.content_hash)
        todo = [d for d in pending if stored.get(d.id) != d.content_hash]
        pending.clear()
        return todo

    for doc in docs:
        if doc.id in seen:
            report.issues.append(LoadIssue(doc.path or doc.id, f"duplicate article id {doc.id!r}; kept the first"))
            continue
        seen.add(doc.id)
        pending.append(doc)
        if len(pending) >= size:
            yield check()
    if pending:
        yield check()


def note_written(report: AddReport, prepared: Sequence[Prepared], held: set[str]) -> None:
    """Added or updated (`held`: already in the index)."""
    for p in prepared:
        (report.updated if p.doc.id in held else report.added).append(p.doc.id)
    report.chunks_embedded += sum(len(p.chunks) for p in prepared)


def note_empty(report: AddReport, docs: Sequence[Document]) -> None:
    """The documents that were neither added nor updated had no words to index."""
    done = set(report.added) | set(report.updated)
    report.issues.extend(LoadIssue(d.path or d.id, "no words to index, skipped", "error")
                         for d in docs if d.id not in done)


def add_documents(backend, docs: Iterable[Document], *, progress=None, report: AddReport | None = None) -> AddReport:
    """New and changed articles are split, annotated, embedded and written in batches; unchanged
    ones (same content hash) are a no-op, as in the embedded index."""
    report = report or AddReport()
    written = 0
    docs = iter(docs)
    first = list(islice(docs, AVERAGE_FROM))
    measure_average(backend, first)
    for todo in changed_batches(backend, chain(first, docs), report, ARTICLES_A_BATCH):
        held = set(backend.article_ids([d.id for d in todo]))  # complete or not: an update either way
        prepared = split(todo, backend.settings)
        embed(prepared, backend.encoder, backend.settings.batch_size)
        upsert(backend, prepared)
        note_written(report, prepared, held)
        note_empty(report, todo)
        written += len(prepared)
        if progress:
            progress("storing", written, 0)
    return report


def add_paths(backend, paths: Sequence[str | Path], *, follow_symlinks: bool = False, **kw) -> AddReport:
    from index.ingest.loading import iter_documents

    report = AddReport()  # a path that does not exist is refused at once, before anything is written
    docs = iter_documents(paths, report.issues, max_bytes=backend.settings.max_file_bytes,
                          follow_symlinks=follow_symlinks)
    kw.pop("skip_near_duplicates", None)  # near-duplicate detection is the embedded index's (simhash in SQLite)
    kw.pop("workers", None)  # preparing in processes is the embedded writer's; Qdrant scales out with --ray
    return add_documents(backend, docs, report=report, **kw)


def remove(backend, keys: Sequence[str]) -> list[str]:
    """Remove articles by id, or every article loaded from a file (or from the files under a folder)."""
    listing = None
    ids: list[str] = []
    for key in keys:
        found = backend.article_ids([key])
        if not found:
            if listing is None:
                listing = [p.payload for p in backend.scroll_articles(["id", "file", "path"])]
            real = os.path.realpath(key)
            folder = real.rstrip(os.sep) + os.sep
            found = [a["id"] for a in listing if a.get("file") and (a["file"] == real or a["file"].startswith(folder))]
            found = found or [a["id"] for a in listing if a.get("path") == key]
        if not found:
            raise InputError(f"No article with id or path {key!r} in qdrant+{backend.target}; see: byline index list")
        ids += [i for i in found if i not in ids]
    delete(backend, ids)
    return ids
