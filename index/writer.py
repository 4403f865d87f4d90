"""Writing an index: one writer at a time, under the lock, with one commit path for every change.

A write happens in two phases so that nothing is lost and nothing is half-done:
1. outside any article transaction, new chunk texts are embedded and stored in the embedding cache
   (a pure function of the text, safe to keep if interrupted: a rerun resumes from it);
2. `_commit`: one SQLite transaction changes articles, sentences, chunks and keyword rows; the new
   vector file `vectors-<n+1>.faiss` is written beside the current one (temporary name, fsync,
   rename) and its checksum recorded; the SQLite commit switches to it. Old files go after.
A kill at any point leaves the last committed version whole (see `index.faults` for the tests).
Before writing, SQLite's quick check must pass: a damaged database is never written to.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from index import swap
from index.annotate import annotate
from index.chunking import chunk_document, sentence_spans
from index.documents import Document, LoadIssue
from index.embed_queue import EmbedQueue
from index.errors import IndexCorruptError, InputError
from index.faults import fault_point
from index.lock import writer_lock
from index.near_duplicates import closest, simhash
from index.reader import DB_NAME, check_manifest, load_vectors, settings_of, vector_file
from index.reports import AddReport
from index.settings import FORMAT_VERSION, IndexSettings
from index.store import Store
from index.vectors import VectorFileError, VectorIndex

Progress = Callable[[str, int, int], None]
_OURS = re.compile(r"^vectors-\d+\.faiss(\.tmp\d+)?$")


def chunk_hash(text: str) -> int:
    """The embedding cache's key: 63 bits of the SHA-1 of the embedded text (an SQLite integer
    rowid, 8 bytes instead of 40 hex characters). Two of 15M windows collide with odds of ~1 in 80,000."""
    return int.from_bytes(hashlib.sha1(text.encode("utf-8")).digest()[:8], "big") >> 1


class Writer:
    """Holds the write lock and a read-write connection; use `Writer.session(...)`."""

    def __init__(self, path: Path, store: Store, settings: IndexSettings, encoder: Callable):
        self.path, self.store, self.settings, self._encoder = path, store, settings, encoder
        self._checked: tuple[int, VectorIndex] | None = None  # vectors loaded by check_vectors, used once

    @classmethod
    @contextmanager
    def session(cls, path: Path, encoder: Callable, *, create: IndexSettings | None = None,
                lock_timeout: float | None = None):
        """Take the lock, finish any interrupted rebuild, check the database, remove leftovers."""
        timeout = lock_timeout if lock_timeout is not None else (create or IndexSettings()).lock_timeout
        with writer_lock(path, timeout):
            swap.recover(path)
            db = path / DB_NAME
            if create is None and not db.exists():
                from index.errors import IndexMissingError

                raise IndexMissingError(f"No index at {path}; build one with: byline index build PATH --index {path}")
            path.mkdir(parents=True, exist_ok=True)
            fresh = not db.exists()
            if not fresh:
                _check_before_writing(db, path)
            store = Store(db, "rw")
            try:
                if fresh or not store.has_manifest_table() or not store.manifest():
                    _initialise(store, create or IndexSettings())
                manifest = store.manifest()
                check_manifest(path, manifest)
                writer = cls(path, store, settings_of(manifest), encoder)
                writer.remove_leftovers(int(manifest.get("vectors_version", 0)))
                yield writer
            finally:
                store.close()

    @property
    def encoder(self):
        return self._encoder()

    def remove_leftovers(self, version: int) -> None:
        """Temporary and older vector files of interrupted writes (we hold the lock: none is live)."""
        keep = vector_file(self.path, version).name
        for f in self.path.iterdir():
            if _OURS.match(f.name) and f.name != keep:
                f.unlink(missing_ok=True)

    def check_vectors(self) -> None:
        """Refuse to write beside a damaged vector file (a missing one is rebuilt from SQLite)."""
        manifest = self.store.manifest()
        if int(manifest.get("vectors_version", 0)) and int(manifest.get("dimension") or 0):
            try:
                vectors = self._current_vectors(int(manifest["dimension"]))
            except VectorFileError as exc:
                if exc.path.exists():
                    raise
            else:
                self._checked = (int(manifest["vectors_version"]), vectors)

    # ------------------------------------------------------------------ the one commit path
    def _dimension(self) -> int:
        return int(self.store.manifest().get("dimension") or 0) or self.encoder.dimension

    def _current_vectors(self, dim: int) -> VectorIndex:
        """The committed vectors, checked; a damaged file is refused, never copied forward."""
        manifest = self.store.manifest()
        checked, self._checked = self._checked, None
        if checked and checked[0] == int(manifest.get("vectors_version", 0)):
            return checked[1]
        return load_vectors(self.store, self.path, manifest, dim, self.settings.approximate_above)

    def _commit(self, change: Callable[[Store], tuple[list[int], list[int], list[str]]], *,
                from_database: bool = False) -> None:
        """Apply `change(store)` -> (removed chunk ids, new chunk ids, their hashes) and the matching
        vector change as one new version. `from_database` rebuilds the vectors from SQLite."""
        store = self.store
        dim = self._dimension()
        vectors = None
        if not from_database:
            try:
                vectors = self._current_vectors(dim)
            except VectorFileError as exc:
                if exc.path.exists():
                    raise  # damaged: refused, never copied into the next version
                # missing: rebuilt from the database below
        version = int(store.manifest().get("vectors_version", 0))
        target = vector_file(self.path, version + 1)
        store.begin()
        try:
            removed, new_ids, new_hashes = change(store)
            total = store.count("chunks")
            approximate = total > self.settings.approximate_above
            if vectors is None or approximate != (vectors.kind == "ivf"):
                ids, vecs = store.all_chunk_vectors(dim)  # repair, or crossing the size line
                vectors = VectorIndex.build(ids, vecs, dim, approximate=approximate)
            else:
                cache = store.cached_vectors(set(new_hashes))
                mat = np.vstack([cache[h] for h in new_hashes]) if new_hashes else np.zeros((0, dim), np.float32)
                vectors.remove(removed)
                vectors.add(np.array(new_ids, dtype=np.int64), mat)
            digest = vectors.save(target, before_rename=lambda: fault_point("before_rename"))
            fault_point("after_rename")
            store.set_manifest(vectors_version=version + 1, vectors_checksum=digest, dimension=dim,
                               articles=store.count("articles"), chunks=total)
            store.commit()
        except BaseException:
            store.rollback()
            target.unlink(missing_ok=True)
            target.with_name(target.name + f".tmp{os.getpid()}").unlink(missing_ok=True)
            raise
        fault_point("after_commit")
        self.remove_leftovers(version + 1)

    # ------------------------------------------------------------------ changes
    def add_documents(self, docs: Iterable[Document], report: AddReport, *, progress: Progress | None = None,
                      skip_near_duplicates: bool = False) -> AddReport:
        self.check_vectors()  # before anything is embedded or stored
        plan = []
        queue = EmbedQueue(self.store, lambda: self.encoder, self.settings.batch_size, progress=progress)
        try:
            for item in self._plan(docs, report, skip_near_duplicates, progress):
                plan.append(item)
                for c in item[2]:
                    queue.add(chunk_hash(c.embed_text), c.embed_text)
            queue.finish()
        finally:
            queue.close()
        report.chunks_embedded, report.chunks_cached = queue.embedded, queue.cached
        if plan:
            fault_point("after_embedding")
            self._commit(lambda store: _insert(store, plan, progress))
        return report

    def _plan(self, docs, report: AddReport, skip_near: bool, progress):
        """Yield (document, sentences, chunks) for new or changed documents; unchanged ones are a no-op."""
        seen, planned = set(), 0
        sim_ids, sim_values = self.store.simhashes()
        s = self.settings
        for doc in docs:
            if doc.id in seen:
                report.issues.append(LoadIssue(doc.path or doc.id, f"duplicate article id {doc.id!r}; kept the first"))
                continue
            seen.add(doc.id)
            existing = self.store.hash_of(doc.id)
            if existing and existing.content_hash == doc.content_hash:
                report.unchanged.append(doc.id)
                continue
            sentences = sentence_spans(doc)
            chunks = chunk_document(doc, sentences, s.chunk_words, s.chunk_stride, s.embed_header)
            if not chunks:
                report.issues.append(LoadIssue(doc.path or doc.id, "no words to index, skipped", "error"))
                continue
            doc.extra["_entities"] = annotate(doc.text, sentences)  # while the encoder works on earlier chunks
            sig = simhash(doc.text)
            if not existing:
                near = closest(sig, sim_ids, sim_values)
                if near:
                    report.near_duplicates.append((doc.id, near[0], near[1]))
                    if skip_near:
                        report.skipped.append(doc.id)
                        continue
            sim_ids.append(doc.id)
            sim_values = np.append(sim_values, np.int64(sig))
            doc.extra["_simhash"] = sig
            (report.updated if existing else report.added).append(doc.id)
            planned += 1
            if progress:
                progress("reading", planned, 0)
            yield doc, sentences, chunks

    def remove(self, keys: Sequence[str]) -> list[str]:
        """Remove articles by id, by the file they were loaded from, or by every file under a folder.
        Paths are resolved first, so any spelling of the same file matches; no wildcards."""
        ids: list[str] = []
        for key in keys:
            found = [key] if self.store.hash_of(key) else self.store.ids_for_file(os.path.realpath(key))
            found = found or self.store.ids_for_stored_path(key)
            if not found:
                raise InputError(f"No article with id or path {key!r} in {self.path}; see: byline index list")
            ids += [i for i in found if i not in ids]

        def change(store: Store):
            removed: list[int] = []
            for article_id in ids:
                removed += store.delete_article(store.hash_of(article_id).rowid)
            return removed, [], []

        self._commit(change)
        return ids

    def repair(self) -> int:
        """Write a new vector file from the vectors SQLite keeps (nothing is re-embedded)."""
        self._commit(lambda store: ([], [], []), from_database=True)
        return self.store.count("chunks")


def _check_before_writing(db: Path, path: Path) -> None:
    """SQLite's quick check through a read-only connection: a damaged database is never opened for
    writing (even closing a writer's connection may write to it)."""
    checker = Store(db, "ro")
    try:
        problem = checker.quick_check()
    finally:
        checker.close()
    if problem:
        raise IndexCorruptError(f"The index database {db} is damaged ({problem}); nothing was written. "
                                f"Rebuild it from your articles: byline index build --rebuild PATH --index {path}")


def _initialise(store: Store, settings: IndexSettings) -> None:
    store.create_schema()
    store.begin()
    store.set_manifest(format_version=FORMAT_VERSION, model=settings.model, backend=settings.backend,
                       dimension=0, chunking=settings.chunking(), vectors_version=0,
                       approximate_above=settings.approximate_above, articles=0, chunks=0)
    store.commit()


def _insert(store: Store, plan, progress) -> tuple[list[int], list[int], list[str]]:
    removed: list[int] = []
    new_ids, new_hashes = [], []
    for n, (doc, sentences, chunks) in enumerate(plan):
        existing = store.hash_of(doc.id)
        if existing:
            removed += store.delete_article(existing.rowid)
        rowid = store.insert_article(doc, doc.extra.pop("_simhash"), doc.file)
        store.insert_sentences(rowid, sentences)
        store.insert_entities(rowid, doc.extra.pop("_entities", ()))
        for c in chunks:
            h = chunk_hash(c.embed_text)
            new_ids.append(store.insert_chunk(rowid, c, h))
            new_hashes.append(h)
        if progress:
            progress("storing", n + 1, len(plan))
    return removed, new_ids, new_hashes
