"""Preparing articles for the index: sentences, windows, named entities and the near-duplicate
signature of each, in this process or in a pool of processes (`byline index build --workers N`).

The encoder always runs in the writing process (`index.embedding.embed_queue`), beside this work. With N > 1
workers, batches of articles go to N processes (`forkserver`: nothing of the writer's threads or
SQLite connection is inherited), each with spaCy loaded once, and come back in input order, so the
chunks stored, and their ids, are the same as with one (tested). Reading and cleaning files stay
in the writing process: they are a small share of the work (see bench/README.md, `indexing`).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from index.ingest.annotate import Entity, annotate, pipeline
from index.ingest.chunking import Chunk, chunk_document, sentence_spans
from index.ingest.documents import Document
from index.ingest.near_duplicates import simhash
from index.settings import IndexSettings

# `python -m bench indexing --workers 1,2` on the shared 2-core machine (bench/README.md): preparing
# in 2 processes ran at 0.72x and 0.76x of one (no free core; the encoder already runs beside it), the
# least disturbed builds took 27.4 s with 1 and 44.9 s with 2. One unless asked; more cores may pay.
DEFAULT_WORKERS = 1
BATCH = 4  # articles a task: big enough that pickling is small beside splitting and spaCy
AHEAD = 2  # batches in flight per worker: keeps each busy while the writer consumes in order
# Intra-op threads an encoder session. 16 cores (the lent machine, bench/cores.py), 1,536 MultiHop
# windows: one session of 1/2/4/8/16 threads 200/369/521/693/580 windows/s; sessions x threads
# 2x8 1,069, 4x4 1,239, 8x2 1,742, 16x1 1,034. Building 150 articles: 58.5 s with one session on
# every core, 38.9-40.6 s with 2-8 workers and one session, 22.6 s with 4 workers and 6 sessions of 2.
SESSION_THREADS = 2
# Sentences from which an article's names are found with progress shown (spaCy reads about 12,500
# words/s a core: an article this long takes several seconds; a 10 MB one, minutes).
LONG_ARTICLE = 2_000


def point_id(*parts: str) -> int:
    """63 bits of the SHA-1 of the parts: a stable id, the same on every retry of the same content."""
    h = hashlib.sha1("\x00".join(parts).encode("utf-8")).digest()
    return int.from_bytes(h[:8], "big") >> 1


def article_key(article_id: str) -> int:
    """The row number an article has on a backend without SQLite rowids (Qdrant)."""
    return point_id("article", article_id)


def chunk_key(article_id: str, content_hash: str, ordinal: int) -> int:
    """A window's id on such a backend: its article, that article's content and its place in it (a
    changed article gets new ids; the same article sent twice gets the same ones: no duplicates)."""
    return point_id("chunk", article_id, content_hash, str(ordinal))


@dataclass
class Prepared:
    """One article made ready for a backend: sentences, windows, named entities and the
    near-duplicate signature (the embedded writer), then the windows' vectors and the article's
    place in the write order (Qdrant: `index.qdrant.points.embed`, `index.qdrant.write.number`)."""

    doc: Document
    sentences: list[tuple[int, int]]
    chunks: list[Chunk]
    entities: list[Entity]
    simhash: int = 0
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32))  # one row a chunk
    # the article's place in the order articles were written (what the embedded index's rowids
    # follow; keyword ties are ordered by it): set by the writer (`qdrant_write.number`) when None
    seq: int | None = None

    @property
    def key(self) -> int:
        return article_key(self.doc.id)

    def chunk_ids(self) -> list[int]:
        return [chunk_key(self.doc.id, self.doc.content_hash, c.ordinal) for c in self.chunks]


def prepare(doc: Document, settings: IndexSettings, progress=None) -> Prepared:
    """Sentences, windows, entities and signature of one article; `progress(stage, done, total)` hears
    how the names of a long article (LONG_ARTICLE sentences or more) are found, batch by batch."""
    sentences = sentence_spans(doc)
    chunks = chunk_document(doc, sentences, settings.chunk_words, settings.chunk_stride, settings.embed_header)
    if not chunks:
        return Prepared(doc, sentences, [], [], 0)
    told = None
    if progress and len(sentences) >= LONG_ARTICLE:
        def told(done: int, total: int) -> None:
            progress("finding names (a long article)", done, total)
    return Prepared(doc, sentences, chunks, annotate(doc.text, sentences, told), simhash(doc.text))


def _prepare_batch(docs: list[Document], settings: IndexSettings) -> list[Prepared]:
    return [prepare(d, settings) for d in docs]


def cores() -> int:
    """The cores this process may run on (its affinity: `taskset`, a container's CPU set)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def encoder_threads(workers: int) -> int:
    """Intra-op threads for the encoder beside `workers` preparing processes: the cores left (at
    least one); every core this process may use with one worker. Always a number: left to choose
    (0), ONNX Runtime starts a thread for each core of the machine and pins each to its core,
    outside the process's CPU set (seen under `taskset -c 0`: one of its threads on core 1)."""
    return max(1, cores() - workers) if workers > 1 else cores()


def encoder_plan(workers: int, sessions: int | None = None) -> tuple[int, int]:
    """(encoder sessions, intra-op threads of each) beside `workers` preparing processes: the cores
    the workers leave, in sessions of about SESSION_THREADS threads; `sessions` given: that many,
    sharing the cores left. One session on both cores of a 2-core machine, as before."""
    left = max(1, cores() - (workers if workers > 1 else 0))
    if sessions is None:
        sessions = max(1, left // SESSION_THREADS)
    sessions = max(1, min(sessions, left))
    return sessions, max(1, left // sessions)


def prepare_all(docs: Iterable[Document], settings: IndexSettings,
                workers: int = DEFAULT_WORKERS, progress=None) -> Iterator[Prepared]:
    """`prepare` over `docs`, in order, lazily; with `workers` > 1 in that many processes (where a
    long article's progress is not heard)."""
    if workers <= 1:
        for doc in docs:
            yield prepare(doc, settings, progress)
        return
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("forkserver"), initializer=pipeline)
    pending: deque = deque()
    try:
        batch: list[Document] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) == BATCH:
                pending.append(pool.submit(_prepare_batch, batch, settings))
                batch = []
            while len(pending) > AHEAD * workers:
                yield from pending.popleft().result()
        if batch:
            pending.append(pool.submit(_prepare_batch, batch, settings))
        while pending:
            yield from pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
