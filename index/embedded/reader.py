"""Reading an index: one consistent version at a time (the manifest, the database and the vector
segments of one commit), never a mix, even while a writer commits beside it.

Readers take no lock and open SQLite read-only (`immutable` when the directory cannot be written).
Each question runs inside `snapshot()`: one SQLite read transaction whose manifest names the vector
version in memory; when a writer has committed since, the new segment files and the tombstones are
loaded first (segments already in memory are kept: a segment file never changes), and if a merge
already removed one of them, the snapshot is taken again.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from index.embedded import checked, row_checks
from index.errors import DatabaseUnreadableError, IndexCorruptError, IndexMismatchError, IndexMissingError
from index.embedded.lock import writable
from index.reports import Stats
from index.rows import ArticleListing, ArticleRow, ChunkRow, OutletCount, SentenceSpan, Window
from index.embedded.segments import SegmentedVectors, live_files, load, segments_of
from index.settings import FORMAT_VERSION, IndexSettings
from index.terms import Bm25, phrases
from index.embedded.store import Store
from index.embedded.tantivy_keywords import DIR_NAME, KeywordSearcher
from index.embedded.vectors import VectorFileError

DB_NAME = "byline.sqlite"
# tantivy's best windows a keyword search scores again with FTS5's bm25 (`Reader._bm25`): on the 163 searches of
# 100 MultiHop questions, 250 hold FTS5's very top 60 for 159 and its top 10 for all (150: 66 of 75 unfiltered
# searches' top 60; 400: 233 of 234 searches, at 1.3x the time of 250)
EXACT_DEPTH = 250
UPGRADED_FROM = 4  # the format upgraded on open (index.embedded.row_checks.add_checksums)
SNAPSHOT_TRIES = 5  # a writer would have to commit this many times during one snapshot to defeat it


def settings_of(manifest: dict) -> IndexSettings:
    merging = {k: manifest[k] for k in ("max_segments", "merge_tombstones", "keyword_index_above") if k in manifest}
    return IndexSettings(model=manifest["model"], backend=manifest["backend"], **manifest["chunking"],
                         approximate_above=manifest.get("approximate_above", 50_000), **merging)


def check_manifest(path: Path, manifest: dict, model: str | None = None, backend: str | None = None) -> None:
    if not manifest:
        raise IndexCorruptError(f"The index at {path} has no manifest (an interrupted first build?); "
                                f"rebuild it with: byline index build --rebuild PATH --index {path}")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexMismatchError(
            f"The index at {path} has format version {manifest.get('format_version')}, this Byline "
            f"reads version {FORMAT_VERSION}; rebuild it: byline index build --rebuild PATH --index {path}")
    for key, wanted in (("model", model), ("backend", backend)):
        if wanted and manifest.get(key) != wanted:
            raise IndexMismatchError(
                f"The index at {path} was built with {key} {manifest.get(key)!r}, not {wanted!r}; "
                f"drop the option, or rebuild: byline index build --rebuild PATH --{key} {wanted}")


class Reader:
    """A read-only view of the index at `path`; reloads itself when a writer commits."""

    def __init__(self, path: Path, model: str | None = None, backend: str | None = None):
        self.path = path
        self._want = (model, backend)
        self._guard = threading.RLock()
        self._encoder = None
        self.encoder_threads: int | None = None  # ONNX Runtime intra-op threads, when the encoder loads
        self._keywords = KeywordSearcher(path)
        # inside `snapshot()`: (the keyword searcher or None,) as first looked up there; None: not yet
        self._in_snapshot = False
        self._keywords_in_snapshot: tuple[KeywordSearcher | None] | None = None
        self._open_store()

    def _open_store(self) -> None:
        db = self.path / DB_NAME
        if not db.exists():
            raise IndexMissingError(f"No index at {self.path}; build one with: byline index build PATH --index {self.path}")
        mode = "ro" if writable(self.path) else "immutable"
        store = Store(db, mode)
        try:
            if not store.has_manifest_table():
                raise IndexCorruptError(f"The index at {self.path} has no manifest (an interrupted first build?); "
                                        f"rebuild it with: byline index build --rebuild PATH --index {self.path}")
            # SQLite's quick check on open (O(size): ~10 ms for the seeds; see the note of issue 11):
            # a damaged page is reported before any answer is built from it.
            problem = None if checked.unchanged(db) else store.quick_check()  # index.embedded.checked
            if problem:
                raise DatabaseUnreadableError(f"The index database {db} is damaged ({problem}); repair it: byline "
                                              f"index repair --index {self.path} (or rebuild it from your articles)")
            manifest = store.manifest()
            if manifest.get("format_version") == UPGRADED_FROM:
                store.close()
                self._upgrade(db, mode)
                return self._open_store()
            check_manifest(self.path, manifest, *self._want)
        except BaseException:
            store.close()
            raise
        self.store = store
        self._inode = db.stat().st_ino
        self.settings = settings_of(manifest)
        self.dimension = int(manifest.get("dimension") or 0)
        self._vectors: SegmentedVectors | None = None
        self._version: int | None = None

    def _upgrade(self, db: Path, mode: str) -> None:
        """A format 4 index gets its row checksums once (index.embedded.row_checks: seconds at 100k articles),
        under the write lock; a read-only one cannot be, and is refused with what to do."""
        if mode == "immutable":
            raise IndexMismatchError(
                f"The index at {self.path} has format version {UPGRADED_FROM}; this Byline adds checksums to it "
                f"on first open, which needs a writable folder: copy it somewhere writable and open it there "
                f"once, or rebuild it: byline index build --rebuild PATH --index {self.path}")
        row_checks.upgrade(self.path, db, IndexSettings().lock_timeout)

    def close(self) -> None:
        self.store.close()

    # ------------------------------------------------------------- parts, loaded lazily
    @property
    def encoder(self):
        if self._encoder is None:
            from index.embedding.encoders import load_encoder

            encoder = load_encoder(self.settings.model, self.settings.backend, self.encoder_threads)
            if self.dimension and encoder.dimension != self.dimension:
                raise IndexMismatchError(
                    f"The model {self.settings.model!r} gives {encoder.dimension}-dimensional vectors but "
                    f"the index at {self.path} holds {self.dimension}; rebuild it with: byline index build --rebuild")
            self._encoder = encoder
        return self._encoder

    @property
    def vectors(self) -> SegmentedVectors:
        """The vectors of the version being read (inside a snapshot), else of the latest commit."""
        with self.snapshot():
            return self._vectors

    # ------------------------------------------------------------- consistency
    def _replaced(self) -> bool:
        """Whether `--rebuild` swapped a new database in since this reader opened its own."""
        try:
            return (self.path / DB_NAME).stat().st_ino != self._inode
        except FileNotFoundError:
            return False  # mid-swap: keep reading the version we have

    def _sync(self) -> bool:
        """Begin a read transaction whose version matches the vectors in memory; True if reloaded."""
        reloaded = False
        if self._replaced():
            self.store.close()
            self._open_store()
            reloaded = True
        failed_version = None
        for _ in range(SNAPSHOT_TRIES):
            self.store.begin_read()
            manifest = self.store.manifest()
            version = int(manifest.get("vectors_version", 0))
            if version == self._version and self._vectors is not None:
                return reloaded
            try:
                dim = int(manifest.get("dimension") or 0) or self.encoder.dimension
                # a file still missing on the second look at the same version is really gone:
                # SQLite keeps every vector, so search goes on (verify reports it, repair rewrites it)
                self._vectors = load(self.store, self.path, manifest, dim, self.settings.approximate_above,
                                     rebuild_missing=failed_version == version, known=self._vectors)
                self._version, self.dimension = version, int(manifest.get("dimension") or 0)
                return True
            except VectorFileError as exc:
                self.store.end_read()
                if self.store.manifest_value("vectors_version") == version and exc.path.exists():
                    raise  # not a writer moving on: the file itself is damaged
                failed_version = version
        raise IndexCorruptError(f"The index at {self.path} changed {SNAPSHOT_TRIES} times while being read; "
                                "try again when the writer has finished.")

    @contextmanager
    def snapshot(self):
        """Every read inside sees one committed version; yields True when that version is new to
        this reader (caches derived from the index should then be dropped)."""
        with self._guard:
            if self.store.in_read:
                yield False
                return
            try:
                reloaded = self._sync()
            except BaseException:
                self.store.end_read()
                raise
            self._in_snapshot, self._keywords_in_snapshot = True, None
            try:
                yield reloaded
            finally:
                self._in_snapshot, self._keywords_in_snapshot = False, None
                self.store.end_read()

    def version(self) -> int:
        return int(self.store.manifest_value("vectors_version") or 0)

    # ------------------------------------------------------------- reading
    def filter_ids(self, outlets: Sequence[str] = (), since: str | None = None,
                   until: str | None = None, no_outlet: bool = False, no_date: bool = False) -> np.ndarray | None:
        """Chunk ids passing the filters, or None when there is no filter."""
        where, params = Store.filter_sql(outlets, since, until, no_outlet, no_date)
        return self.store.filtered_chunk_ids(where, params) if where else None

    def search_dense(self, vector: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        return self.vectors.search(vector, k, allowed)

    def dense_searcher(self):
        """`search_dense` on the vectors of the version being read, without the snapshot's lock: for
        another thread, while this one holds the snapshot (it reads no SQLite)."""
        return self.vectors.search

    def _tantivy(self, version: int | None = None) -> KeywordSearcher | None:
        """A large index's tantivy keyword directory when it holds the version being read (inside a
        snapshot, the one `_sync` loaded: no query per call), else None (FTS5 answers). Inside a snapshot
        the keyword directory is looked at once (its generation file is read per look: about 0.15 ms,
        some 20 times a question) and every search and word count of the snapshot uses that answer."""
        snapshot = version is None and self.store.in_read and self._version is not None
        if snapshot and self._in_snapshot and self._keywords_in_snapshot is not None:
            return self._keywords_in_snapshot[0]
        if version is None:
            version = self._version if snapshot else self.version()
        found = self._keywords if self._keywords.current(version) else None
        if snapshot and self._in_snapshot:
            self._keywords_in_snapshot = (found,)
        return found

    def search_keyword(self, match: str, k: int, outlets: Sequence[str] = (), since: str | None = None,
                       until: str | None = None, no_outlet: bool = False,
                       no_date: bool = False) -> list[tuple[int, float]]:
        keywords = self._tantivy()
        if keywords is not None:
            found = keywords.search(match, max(k, EXACT_DEPTH), outlets, since, until, no_outlet, no_date)
            return (self._bm25(match, found, keywords) or found)[:k]
        where, params = Store.filter_sql(outlets, since, until, no_outlet, no_date)
        return self.store.keyword_search(match, k, where, params)

    def _bm25(self, match: str, found: list[tuple[int, float]], keywords: KeywordSearcher):
        """tantivy's best windows for `match` ranked by FTS5's own bm25(), to the bit: tantivy stores a window's
        length in one byte and counts a prefix against the length of its prefix field, so its order differs
        from FTS5's (94% of FTS5's top 60 on MultiHop); its best EXACT_DEPTH, scored again from their tokens with
        FTS5's counts (`index.terms.Bm25`), are FTS5's very list for 159 of 163 MultiHop searches. None where
        a phrase has no term here (a prefix of under 4 letters, words in quotes): tantivy's own order stands."""
        if not found:
            return found
        query = phrases(match)
        hits = [keywords.hits(p) for p in query]
        if not query or None in hits:
            return None
        rows, tokens = self.store.keyword_totals()
        if not rows:
            return None
        bm25 = Bm25(query, hits, rows, tokens)
        windows = self.store.window_tokens([i for i, _ in found])
        scored = [(i, bm25.score(*windows[i])) for i, _ in found if i in windows]
        scored.sort(key=lambda t: (-t[1], t[0]))  # FTS5's order: best first, ties by rowid
        return scored

    def chunks(self, ids: Sequence[int]) -> dict[int, ChunkRow]:
        return self.store.chunk_rows(ids)

    def sentences(self, article_rowid: int, lo: int, hi: int) -> list[SentenceSpan]:
        return self.store.sentences(article_rowid, lo, hi)

    def windows(self, article_rowid: int, lo: int, hi: int) -> list[Window]:
        return self.store.windows(article_rowid, lo, hi)

    def article(self, article_id: str) -> ArticleRow | None:
        return self.store.article(article_id)

    def article_by_row(self, rowid: int) -> ArticleRow | None:
        return self.store.article_by_row(rowid)

    def list(self) -> list[ArticleListing]:
        return self.store.list_articles()

    def outlets(self) -> list[OutletCount]:
        return self.store.outlets()

    def chunk_count(self) -> int:
        return self.store.count("chunks")

    def doc_freq(self, term: str, prefix: bool = False) -> int:
        keywords = self._tantivy()  # its term dictionary: no walk of the posting lists
        found = keywords.doc_freq(term, prefix) if keywords is not None else None
        if found is not None:
            return found
        return self.store.doc_freq(term, prefix)

    def entities(self, article_rowid: int, start: int, end: int) -> list[tuple[int, int, str]]:
        """Named entities (start, end, OntoNotes label) beginning inside [start, end) of an article."""
        return self.store.entities(article_rowid, start, end)

    def vocabulary(self, prefix: str, limit: int = 20_000) -> list[tuple[str, int]]:
        """Indexed words starting with `prefix` and their chunk counts (for spelling correction)."""
        keywords = self._tantivy()
        if keywords is not None:
            return keywords.vocabulary(prefix, limit)
        return self.store.vocabulary(prefix, limit)

    def stats(self) -> Stats:
        with self.store.reading():
            m = self.store.manifest()
            articles, chunks = self.store.count("articles"), self.store.count("chunks")
            tombstones = len(self.store.tombstones())
        live = live_files(m)
        size = sum(f.stat().st_size for f in self.path.iterdir()  # the index, not leftovers of a crash
                   if f.is_file() and ".faiss" not in f.name and not f.name.endswith(".lock") or f.name in live)
        size += sum(f.stat().st_size for f in (self.path / DIR_NAME).rglob("*") if f.is_file())  # tantivy's
        kind = self._vectors.kind if self._vectors is not None else (
            "ivf" if chunks > self.settings.approximate_above else "flat")
        segments = segments_of(m)
        return Stats(str(self.path), articles, chunks, m["model"], m["backend"], int(m.get("dimension") or 0),
                     kind, size, m["format_version"], m["chunking"],
                     len(segments) if segments is not None else int(bool(m.get("vectors_version"))), tombstones,
                     "tantivy" if self._tantivy(int(m.get("vectors_version") or 0)) else "fts5")
