"""Embedding that overlaps with reading: chunk texts are encoded in a worker thread (ONNX Runtime
and torch release the GIL) while the caller keeps loading, splitting and chunking articles.
Only the calling thread touches SQLite: finished batches are written to the embedding cache, and
committed, as they come back, so an interrupted build resumes from them."""

from __future__ import annotations

from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor


class EmbedQueue:
    def __init__(self, store, load_encoder, batch_size: int, step: int = 1024, progress=None):
        """`load_encoder()` is called on the first text that needs encoding, not before: adding
        unchanged articles never loads the model."""
        self.store, self.load_encoder, self.batch_size, self.step = store, load_encoder, batch_size, step
        self.progress = progress
        self.seen: set[str] = set()
        self.pending: dict[str, str] = {}
        self.running: deque[tuple[list[str], Future]] = deque()
        self.embedded = self.cached = self.done = 0
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="byline-embed")

    def add(self, hash_: str, text: str) -> None:
        if hash_ in self.seen:
            return
        self.seen.add(hash_)
        self.pending[hash_] = text
        if len(self.pending) >= self.step:
            self._submit()
        self._drain(wait=False)

    def _submit(self) -> None:
        known = self.store.existing_vectors(list(self.pending))
        todo = [(h, t) for h, t in self.pending.items() if h not in known]
        self.cached += len(self.pending) - len(todo)
        self.pending = {}
        if todo:
            hashes = [h for h, _ in todo]
            future = self._pool.submit(self.load_encoder().encode, [t for _, t in todo], self.batch_size)
            self.running.append((hashes, future))

    def _drain(self, wait: bool) -> None:
        while self.running and (wait or self.running[0][1].done()):
            hashes, future = self.running.popleft()
            vectors = future.result()
            self.store.begin()
            self.store.put_vectors(zip(hashes, vectors))
            self.store.commit()
            self.embedded += len(hashes)
            if self.progress:
                self.progress("embedding", self.embedded, self.embedded + sum(len(h) for h, _ in self.running))

    def finish(self) -> None:
        """Encode what is left and wait for every batch to be stored."""
        if self.pending:
            self._submit()
        try:
            self._drain(wait=True)
        finally:
            self.close()

    def close(self) -> None:
        for _, future in self.running:
            future.cancel()
        self._pool.shutdown(wait=True)
