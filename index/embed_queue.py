"""Embedding that overlaps with reading: chunk texts are encoded in worker threads (ONNX Runtime
and torch release the GIL) while the caller keeps loading, splitting and chunking articles.
Only the calling thread touches SQLite: finished batches are written to the embedding cache, and
committed, as they come back (in submission order), so an interrupted build resumes from them.

With `sessions` > 1, that many encoder sessions run at once on separate steps of texts, each on its
own threads (`index.prepare.encoder_plan`): ONNX Runtime's intra-op threads stop paying at a few
threads on batches of 32 short windows. A step is the same texts, split into the same batches,
whichever session encodes it, so the vectors do not depend on the number of sessions."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor


class EmbedQueue:
    def __init__(self, store, load_encoder, batch_size: int, step: int = 1024, progress=None,
                 sessions: int = 1, spare_encoder: Callable | None = None):
        """`load_encoder()` is called on the first text that needs encoding, not before: adding
        unchanged articles never loads the model. `spare_encoder()` makes each further session's
        encoder, in its thread, when a step finds every session busy."""
        self.store, self.load_encoder, self.batch_size, self.step = store, load_encoder, batch_size, step
        self.progress = progress
        self.seen: set[str] = set()
        self.pending: dict[str, str] = {}
        self.running: deque[tuple[list[str], Future]] = deque()
        self.embedded = self.cached = self.done = 0
        self.sessions = max(1, sessions) if spare_encoder is not None else 1
        self._spare = spare_encoder
        self._free: list = []
        self._made = 0
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=self.sessions, thread_name_prefix="byline-embed")

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
            if not self._made:  # the first session's encoder is the caller's, loaded here
                self._free.append(self.load_encoder())
                self._made = 1
            hashes = [h for h, _ in todo]
            future = self._pool.submit(self._encode, [t for _, t in todo])
            self.running.append((hashes, future))

    def _encode(self, texts: list[str]):
        with self._lock:
            encoder = self._free.pop() if self._free else None
            if encoder is None:
                self._made += 1  # at most `sessions` tasks run at once, so at most `sessions` encoders
        if encoder is None:
            encoder = self._spare()
        try:
            return encoder.encode(texts, self.batch_size)
        finally:
            with self._lock:
                self._free.append(encoder)

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
