"""Embedding that overlaps with reading: chunk texts are encoded in worker threads (ONNX Runtime
and torch release the GIL) while the caller keeps loading, splitting and chunking articles.
Only the calling thread touches SQLite: finished steps are written to the embedding cache, and
committed, as they come back (in submission order), so an interrupted build resumes from them.

The unit is an article: its windows are encoded together and on their own
(`index.embedding.encoders.encode_articles`), so its vectors are the ones a Qdrant or Ray build gives it
(the int8 model's vectors depend on what shares their batch). A step is whole articles, so an
interrupted build leaves each article cached whole or not at all. An article whose windows are all
in the cache is not encoded; one with some new windows is encoded whole and only the new ones are
stored: a window text already cached (the same text in an earlier article or in an earlier version
of this one) keeps its first vector, which a Qdrant build, encoding every article whole, may give
slightly differently (cosine >= 0.99, the int8 batch effect).

With `sessions` > 1, that many encoder sessions run at once on separate steps, each on its own
threads (`index.ingest.prepare.encoder_plan`): ONNX Runtime's intra-op threads stop paying at a few
threads on batches of 32 short windows. Batches never span articles, so the vectors do not depend
on the number of sessions or on the step."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np

from index.embedding.encoders import encode_articles


class EmbedQueue:
    def __init__(self, store, load_encoder, batch_size: int, step: int = 1024, progress=None,
                 sessions: int = 1, spare_encoder: Callable | None = None):
        """`load_encoder()` is called on the first text that needs encoding, not before: adding
        unchanged articles never loads the model. `spare_encoder()` makes each further session's
        encoder, in its thread, when a step finds every session busy."""
        self.store, self.load_encoder, self.batch_size, self.step = store, load_encoder, batch_size, step
        self.progress = progress
        self.seen: set[int] = set()  # window hashes cached or on their way
        self.pending: list[tuple[list[int], list[str]]] = []  # articles not yet submitted
        self._pending_windows = 0
        self.running: deque[tuple[int, Future]] = deque()  # (new windows, their encoding)
        self.embedded = self.cached = self.done = 0
        self.sessions = max(1, sessions) if spare_encoder is not None else 1
        self._spare = spare_encoder
        self._free: list = []
        self._made = 0
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=self.sessions, thread_name_prefix="byline-embed")

    def add(self, hashes: list[int], texts: list[str]) -> None:
        """One article's windows: their cache keys and texts, in the article's order."""
        self.pending.append((hashes, texts))
        self._pending_windows += len(hashes)
        if self._pending_windows >= self.step:
            self._submit()
        self._drain(wait=False)

    def _submit(self) -> None:
        articles, self.pending, self._pending_windows = self.pending, [], 0
        known = self.store.existing_vectors(sorted({h for hashes, _ in articles for h in hashes} - self.seen))
        todo = []
        for hashes, texts in articles:
            fresh = {h for h in hashes if h not in known and h not in self.seen}
            self.cached += len({h for h in hashes if h in known and h not in self.seen})
            self.seen.update(hashes)
            if fresh:
                todo.append((hashes, texts, fresh))
        if todo:
            if not self._made:  # the first session's encoder is the caller's, loaded here
                self._free.append(self.load_encoder())
                self._made = 1
            self.running.append((sum(len(f) for _, _, f in todo), self._pool.submit(self._encode, todo)))

    def _encode(self, todo: list[tuple[list[int], list[str], set[int]]]) -> list[tuple[int, np.ndarray]]:
        """The new windows' (hash, vector), each article encoded whole and on its own."""
        with self._lock:
            encoder = self._free.pop() if self._free else None
            if encoder is None:
                self._made += 1  # at most `sessions` tasks run at once, so at most `sessions` encoders
        if encoder is None:
            encoder = self._spare()
        try:
            vectors = encode_articles(encoder, [texts for _, texts, _ in todo], self.batch_size)
        finally:
            with self._lock:
                self._free.append(encoder)
        out: dict[int, np.ndarray] = {}
        for (hashes, _, fresh), vecs in zip(todo, vectors):
            out.update((h, v) for h, v in zip(hashes, vecs) if h in fresh and h not in out)
        return list(out.items())

    def _drain(self, wait: bool) -> None:
        while self.running and (wait or self.running[0][1].done()):
            _, future = self.running.popleft()
            vectors = future.result()
            self.store.begin()
            self.store.put_vectors(vectors)
            self.store.commit()
            self.embedded += len(vectors)
            if self.progress:
                self.progress("embedding", self.embedded, self.embedded + sum(n for n, _ in self.running))

    def flush(self) -> None:
        """Encode what is left and wait for every batch to be stored; the queue takes more after.
        What it has seen is forgotten (it is in the cache now): that set grew with the whole add."""
        if self.pending:
            self._submit()
        self._drain(wait=True)
        self.seen.clear()

    def finish(self) -> None:
        """Encode what is left and wait for every batch to be stored."""
        try:
            self.flush()
        finally:
            self.close()

    def close(self) -> None:
        for _, future in self.running:
            future.cancel()
        self._pool.shutdown(wait=True)
