"""Writing an index: one writer at a time, under the lock, with one commit path for every change.

A write happens in two phases so that nothing is lost and nothing is half-done:
1. outside any article transaction, new chunk texts are embedded and stored in the embedding cache
   (a pure function of the text, safe to keep if interrupted: a rerun resumes from it);
2. `_commit`: one SQLite transaction changes articles, sentences, chunks and keyword rows; the new
   vectors go to a new segment file `vectors-<n+1>.faiss` (temporary name, fsync, rename), removed
   ones to the tombstones table, or segments are merged (`index.embedded.segments`); the segment list with
   each file's checksum is recorded in the manifest, and the SQLite commit switches to it. Files no
   longer listed go after.
A long add repeats both phases a batch of whole articles at a time (`COMMIT_WINDOWS`), each batch
its own commit, so that its memory stays flat however many articles it adds; merges read the
vectors back from SQLite a block at a time (`index.embedded.merging`).
A kill at any point leaves the last committed version whole (see `index.faults` for the tests).
Before writing, SQLite's quick check must pass: a damaged database is never written to.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import zlib
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from index.embedded import checked, row_checks, swap, tantivy_keywords
from index.ingest.documents import Document, LoadIssue
from index.embedding.embed_queue import EmbedQueue
from index.errors import DatabaseUnreadableError, IndexCorruptError, InputError
from index.faults import fault_point
from index.embedded.lock import writer_lock
from index.embedded.merging import merged, merged_ids
from index.ingest.near_duplicates import closest
from index.ingest.prepare import DEFAULT_WORKERS, prepare_all
from index.embedded.reader import DB_NAME, UPGRADED_FROM, check_manifest, settings_of
from index.embedded.repair import LOST, RepairReport, repair, still_lost
from index.reports import AddReport, OptimizeReport
from index.embedded.segments import (APPEND, MERGE_ALL, MERGE_SMALL, Segment, check_files, live_files, plan, segments_of,
                            vector_file)
from index.settings import FORMAT_VERSION, IndexSettings
from index.embedded.store import Store
from index.embedded.vectors import VectorIndex

Progress = Callable[[str, int, int], None]
# Windows an add commits at a time (whole articles; see Writer.add_documents). Building 3,000 generated
# articles (381k windows; bench/README.md, "Issue 13, fifth part"): one commit peaked at 2,890 MB and
# took 177.3 CPU s; batches of 20k / 50k / 150k windows peaked at 966 / 1,021 / 1,142 MB and took
# 182.3 / 181.4 / 178.7 CPU s. 50k: ~2% more CPU, ~70 MB a batch, 280 batches at 100k articles.
COMMIT_WINDOWS = 50_000
_OURS = re.compile(r"^vectors-\d+\.faiss(\.tmp\d+)?$")


def chunk_hash(text: str) -> int:
    """The embedding cache's key: 63 bits of the SHA-1 of the embedded text (an SQLite integer
    rowid, 8 bytes instead of 40 hex characters). Two of 15M windows collide with odds of ~1 in 80,000."""
    return int.from_bytes(hashlib.sha1(text.encode("utf-8")).digest()[:8], "big") >> 1


class Writer:
    """Holds the write lock and a read-write connection; use `Writer.session(...)`."""

    def __init__(self, path: Path, store: Store, settings: IndexSettings, encoder: Callable):
        self.path, self.store, self.settings, self._encoder = path, store, settings, encoder

    @classmethod
    @contextmanager
    def session(cls, path: Path, encoder: Callable, *, create: IndexSettings | None = None,
                lock_timeout: float | None = None, repairing: bool = False):
        """Take the lock, finish any interrupted rebuild, check the database (every row's checksum
        too, unless `repairing`: then `index.embedded.repair` reads them), remove leftovers."""
        timeout = lock_timeout if lock_timeout is not None else (create or IndexSettings()).lock_timeout
        with writer_lock(path, timeout):
            swap.recover(path)
            db = path / DB_NAME
            if create is None and not db.exists():
                from index.errors import IndexMissingError

                raise IndexMissingError(f"No index at {path}; build one with: byline index build PATH --index {path}")
            path.mkdir(parents=True, exist_ok=True)
            fresh = not db.exists()
            if not fresh and not checked.unchanged(db):  # unchanged since a clean write: checked then
                _check_before_writing(db, path, rows=not repairing)
            checked.drop(db)
            store = Store(db, "rw")
            try:
                if not fresh:
                    if store.has_manifest_table() and store.manifest():
                        if store.manifest_value("format_version") == UPGRADED_FROM:
                            _upgrade(store)
                        check_manifest(path, store.manifest())  # another format: refused before any table is added
                    store.create_schema()  # tables added since the index was made (tombstones)
                if fresh or not store.has_manifest_table() or not store.manifest():
                    _initialise(store, create or IndexSettings())
                manifest = store.manifest()
                check_manifest(path, manifest)
                writer = cls(path, store, settings_of(manifest), encoder)
                writer.remove_leftovers(manifest)
                yield writer
                store.truncate_log()
            finally:
                store.close()
            checked.stamp(db)  # reached only when the write ended cleanly

    @property
    def encoder(self):
        return self._encoder()

    def remove_leftovers(self, manifest: dict) -> None:
        """Temporary and unused vector files of interrupted writes and merges (we hold the lock:
        none is live)."""
        keep = live_files(manifest)
        for f in self.path.iterdir():
            if _OURS.match(f.name) and f.name not in keep:
                f.unlink(missing_ok=True)
        shutil.rmtree(self.path / tantivy_keywords.BUILDING, ignore_errors=True)  # a keyword build cut short

    def check_vectors(self) -> None:
        """Refuse to write beside a damaged vector file (a missing one is rebuilt from SQLite)."""
        check_files(self.path, self.store.manifest())

    # ------------------------------------------------------------------ the one commit path
    def _dimension(self) -> int:
        return int(self.store.manifest().get("dimension") or 0) or self.encoder.dimension

    def _commit(self, change: Callable[[Store], tuple[list[int], list[int], list[str]]], *,
                merge: bool = False, append: bool = False) -> str:
        """Apply `change(store)` -> (removed chunk ids, new chunk ids, their hashes) and the matching
        vector change as one new version: a segment of the new vectors, tombstones for the removed
        ones, or a merge (`index.embedded.segments.plan`; `merge` forces one of everything, from SQLite;
        `append` a segment, unless files are missing). Returns APPEND, MERGE_SMALL or MERGE_ALL."""
        store = self.store
        dim = self._dimension()
        manifest = store.manifest()
        segments = segments_of(manifest)
        # a file written before segments, or a missing one, is rewritten from the database
        merge = merge or segments is None or not check_files(self.path, manifest)
        version = int(manifest.get("vectors_version", 0))
        target = vector_file(self.path, version + 1)
        store.begin()
        try:
            removed, new_ids, new_hashes = change(store)
            if merge or manifest.get("chunks") is None:
                total = store.count("chunks")
            else:  # kept up to date, not counted: counting 13M rows (100k articles) costs about a second
                total = int(manifest["chunks"]) - len(removed) + len(new_ids)
            s = self.settings
            how = MERGE_ALL if merge else APPEND if append else plan(
                segments, len(new_ids), len(store.tombstones()) + len(removed), total > s.approximate_above,
                s.max_segments, s.merge_tombstones)
            if how == MERGE_ALL:  # read back from SQLite a block at a time (index.embedded.merging)
                store.clear_tombstones()
                approximate = total > s.approximate_above
                # a merge a write triggers keeps the trained IVF lists of the first segment (training is
                # most of a merge's time); optimize, repair and crossing approximate_above train anew
                trained = _trained_ivf(self.path, segments, dim) if approximate and not merge else None
                written = merged(store, dim, approximate, trained)
                kept = []
            else:
                store.add_tombstones(removed)
                ids, vecs = np.array(new_ids, dtype=np.int64), _cached(store, new_hashes, dim)
                kept = segments
                if how == MERGE_SMALL:
                    kept = segments[:1]
                    written = merged_ids(store, _live_ids(store, self.path, segments[1:], dim), ids, vecs, dim)
                else:
                    written = VectorIndex.build(ids, vecs, dim) if len(ids) else None
            if written is not None and written.size:
                digest = written.save(target, before_rename=lambda: fault_point("before_rename"))
                fault_point("after_rename")
                kept = [*kept, Segment.written(target, version + 1, digest, written)]
            store.set_manifest(vectors_version=version + 1, segments=[k.to_json() for k in kept],
                               vectors_checksum=None, dimension=dim, articles=store.count("articles"), chunks=total)
            if store.manifest_value(LOST):  # an article lost to damage is found again once re-added
                store.set_manifest(**{LOST: still_lost(store)})
            store.commit()
        except BaseException:
            store.rollback()
            target.unlink(missing_ok=True)
            target.with_name(target.name + f".tmp{os.getpid()}").unlink(missing_ok=True)
            raise
        fault_point("after_commit")
        tantivy_keywords.sync(self.path, store, self.settings.keyword_index_above, version, version + 1,
                              removed, new_ids, total, merge)
        self.remove_leftovers(store.manifest())
        return how

    # ------------------------------------------------------------------ changes
    def add_documents(self, docs: Iterable[Document], report: AddReport, *, progress: Progress | None = None,
                      skip_near_duplicates: bool = False, workers: int = DEFAULT_WORKERS, sessions: int = 1,
                      threads: int | None = None, commit_windows: int = COMMIT_WINDOWS) -> AddReport:
        """Add new or changed documents, committed a batch of whole articles at a time (about
        `commit_windows` windows each), so that memory stays flat however many are added. Each batch
        commit is a whole version; a rerun after a crash skips the articles committed (same content
        hash) and finds the vectors of the batch cut short in the embedding cache. The batches but
        the last each append a segment (no merge, whatever `plan` says: a long add would merge again
        and again); the last commit merges as `plan` says (a build from nothing: one segment,
        trained on every vector, as one commit makes)."""
        self.check_vectors()  # before anything is embedded or stored

        def spare():  # a further encoder session (index.embedding.embed_queue), on `threads` threads
            from index.embedding.encoders import load_encoder

            return load_encoder(self.settings.model, self.settings.backend, threads)

        queue = EmbedQueue(self.store, lambda: self.encoder, self.settings.batch_size, progress=progress,
                           sessions=sessions, spare_encoder=spare)
        batch, windows, committed = [], 0, 0
        try:
            for item in self._plan(docs, report, skip_near_duplicates, progress, workers):
                batch.append(item)
                windows += len(item[2])
                queue.add([chunk_hash(c.embed_text) for c in item[2]], [c.embed_text for c in item[2]])
                if windows >= commit_windows:
                    queue.flush()
                    self._commit_batch(batch, progress, append=True)
                    batch, windows, committed = [], 0, committed + 1
            queue.finish()
        finally:
            queue.close()
            report.chunks_embedded, report.chunks_cached = queue.embedded, queue.cached
        if batch or committed:
            self._commit_batch(batch, progress, append=False)
        return report

    def _commit_batch(self, batch: list, progress: Progress | None, append: bool) -> None:
        fault_point("after_embedding")
        self._commit(lambda store: _insert(store, batch, progress), append=append)

    def _changed(self, docs, report: AddReport):
        """The documents that are new or changed; a repeated id or an unchanged article is reported."""
        seen = set()
        for doc in docs:
            if doc.id_origin == "file" and doc.file:
                doc.id = self._file_id(doc)
            if doc.id in seen:
                report.issues.append(LoadIssue(doc.path or doc.id, f"duplicate article id {doc.id!r}; kept the first"))
                continue
            seen.add(doc.id)
            existing = self.store.hash_of(doc.id)
            if existing and existing.content_hash == doc.content_hash:
                report.unchanged.append(doc.id)
                continue
            yield doc

    def _file_id(self, doc) -> str:
        """The id of a one-article file: the one it already has in the index (however the folder was
        named then, or when ids were file names), else its path under the folder (the loader's), told
        apart by a hash of the file when an article of another file that still exists holds it (a moved
        file takes its id over)."""
        held = self.store.ids_for_file(doc.file)
        if len(held) == 1:
            return held[0]
        others = self.store.files_of(doc.id)
        if doc.file not in others and any(os.path.exists(f) for f in others):
            return f"{doc.id}~{zlib.crc32(doc.file.encode()):08x}"
        return doc.id

    def _plan(self, docs, report: AddReport, skip_near: bool, progress, workers: int):
        """Yield (document, sentences, chunks) for new or changed documents; unchanged ones are a no-op.
        Sentences, windows and entities come from `index.ingest.prepare` (in `workers` processes)."""
        planned = 0
        sim_ids, sim_values = self.store.simhashes()
        for item in prepare_all(self._changed(docs, report), self.settings, workers, progress):
            doc, sentences, chunks = item.doc, item.sentences, item.chunks
            if not chunks:
                report.issues.append(LoadIssue(doc.path or doc.id, "no words to index, skipped", "error"))
                continue
            doc.extra["_entities"] = item.entities
            existing = self.store.hash_of(doc.id)
            if not existing:
                near = closest(item.simhash, sim_ids, sim_values)
                if near:
                    report.near_duplicates.append((doc.id, near[0], near[1]))
                    if skip_near:
                        report.skipped.append(doc.id)
                        continue
            sim_ids.append(doc.id)
            sim_values = np.append(sim_values, np.int64(item.simhash))
            doc.extra["_simhash"] = item.simhash
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

    def repair(self) -> RepairReport:
        """Mend the damaged side from the intact copies (`index.embedded.repair`), then write the vector file
        anew from the database."""
        return repair(self)

    def optimize(self) -> OptimizeReport:
        """Merge every segment into one and drop the tombstones (IVF retrained when in use)."""
        manifest = self.store.manifest()
        segments = segments_of(manifest) or []
        report = OptimizeReport(len(segments) or int(bool(int(manifest.get("vectors_version", 0)))),
                                len(self.store.tombstones()))
        self._commit(lambda store: ([], [], []), merge=True)
        report.vectors = self.store.count("chunks")
        return report


def _check_before_writing(db: Path, path: Path, rows: bool = True) -> None:
    """SQLite's quick check through a read-only connection (a damaged database is never opened for
    writing: even closing a writer's connection may write to it), then every row's checksum and
    FTS5's check, and the keyword index against the windows' text (`index.embedded.row_checks`): what `ask` or
    `verify` would refuse, a write refuses first. Skipped while the file is as the last clean write
    left it (`index.embedded.checked`)."""
    checker = Store(db, "ro")
    try:
        problem = checker.quick_check()
        if not problem and rows and checker.manifest_value("format_version") == FORMAT_VERSION:
            problems = row_checks.scan(checker).problems(db, fix=False) or [row_checks.fts_problem(db)]
            problems = [p for p in problems if p] or [row_checks.keyword_problem(checker)]
            if any(problems):
                raise IndexCorruptError(f"The index database {db} is damaged ({'; '.join(p for p in problems if p)}); "
                                        f"nothing was written. Repair it: byline index repair --index {path}")
    finally:
        checker.close()
    if problem:
        raise DatabaseUnreadableError(f"The index database {db} is damaged ({problem}); nothing was written. "
                                      f"Repair it: byline index repair --index {path} (or rebuild it from your articles)")


def _upgrade(store: Store) -> None:
    """Format 4 -> 5: the row checksums added (`index.embedded.row_checks.add_checksums`), in one commit."""
    store.begin()
    try:
        row_checks.add_checksums(store)
        store.commit()
    except BaseException:
        store.rollback()
        raise


def _initialise(store: Store, settings: IndexSettings) -> None:
    store.create_schema()
    store.begin()
    store.set_manifest(format_version=FORMAT_VERSION, model=settings.model, backend=settings.backend,
                       dimension=0, chunking=settings.chunking(), vectors_version=0, segments=[],
                       approximate_above=settings.approximate_above, max_segments=settings.max_segments,
                       merge_tombstones=settings.merge_tombstones,
                       keyword_index_above=settings.keyword_index_above, articles=0, chunks=0)
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


def _cached(store: Store, hashes: list[int], dim: int) -> np.ndarray:
    """The vectors of `hashes` from the embedding cache, in order."""
    cache = store.cached_vectors(set(hashes))
    return np.vstack([cache[h] for h in hashes]) if hashes else np.zeros((0, dim), np.float32)


def _live_ids(store: Store, path: Path, small: list[Segment], dim: int) -> np.ndarray:
    """The live ids of the `small` segments (tombstones dropped), read one file at a time; the
    tombstones those segments held are dropped from the table."""
    held = np.concatenate([VectorIndex.load(vector_file(path, s.version), dim, s.checksum).ids() for s in small])
    dead = np.intersect1d(held, store.tombstones())
    store.remove_tombstones(dead)
    return np.setdiff1d(held, dead)


def _trained_ivf(path: Path, segments: list[Segment] | None, dim: int) -> VectorIndex | None:
    """The first segment's trained IVF lists, emptied (its file read and checked), when it is an IVF
    index, else None."""
    if not segments or segments[0].kind != "ivf":
        return None
    return VectorIndex.load(vector_file(path, segments[0].version), dim, segments[0].checksum).emptied()
