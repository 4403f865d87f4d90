"""The `Index`: the one small API `qa` uses. FAISS for vectors, SQLite for everything else.

A thin facade over two classes with one job each: `index.embedded.reader.Reader` reads one consistent
version (no lock, read-only SQLite) and `index.embedded.writer.Writer` changes the index under the write
lock through one commit path. `index.embedded.verify` checks it; `index.embedded.swap` makes `--rebuild` atomic.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np

from index.embedded import swap
from index.ingest.documents import Document
from index.errors import DatabaseUnreadableError, IndexMismatchError, IndexMissingError, InputError
from index.embedded.lock import writable, writer_lock
from index.ingest.prepare import DEFAULT_WORKERS, encoder_plan
from index.embedded.reader import DB_NAME, Reader
from index.embedded.repair import RepairReport
from index.reports import AddReport, OptimizeReport, Stats
from index.rows import ArticleListing, ArticleRow, ChunkRow, OutletCount, SentenceSpan, Window
from index.settings import IndexSettings, built_differently
from index.embedded.verify import Verification, verify
from index.embedded.writer import COMMIT_WINDOWS, Writer

__all__ = ["AddReport", "DB_NAME", "Index", "OptimizeReport", "Stats", "Verification", "default_corpus_paths"]

Progress = Callable[[str, int, int], None]


def default_corpus_paths() -> list[Path]:
    import index.corpus

    return sorted(Path(index.corpus.__file__).parent.glob("*.txt"))


def _recover_if_needed(path: Path) -> None:
    """A reader that finds a rebuild cut short finishes it first (needs the lock, briefly)."""
    if swap.interrupted(path) and writable(path.parent):
        with writer_lock(path, IndexSettings().lock_timeout):
            swap.recover(path)


class Index:
    """Open with `Index.open(dir)` (must exist) or `Index.create(dir, settings)` (new or existing)."""

    def __init__(self, reader: Reader, lock_timeout: float | None = None):
        self.reader = reader
        self.path = reader.path
        self.lock_timeout = lock_timeout

    # ---------------------------------------------------------------- opening
    @classmethod
    def exists(cls, path: str | Path) -> bool:
        path = Path(path).expanduser()
        return (path / DB_NAME).exists() or swap.interrupted(path)

    @classmethod
    def open(cls, path: str | Path, *, model: str | None = None, backend: str | None = None,
             readonly: bool = True, lock_timeout: float | None = None) -> "Index":
        """`readonly` is kept for callers of the first API: reading never writes or locks anyway."""
        path = Path(path).expanduser().resolve()
        _recover_if_needed(path)
        if not (path / DB_NAME).exists():
            raise IndexMissingError(f"No index at {path}; build one with: byline index build PATH --index {path}")
        return cls(Reader(path, model, backend), lock_timeout)

    @classmethod
    def create(cls, path: str | Path, settings: IndexSettings | None = None) -> "Index":
        """Open the index at `path`, creating an empty one with `settings` if there is none."""
        path = Path(path).expanduser().resolve()
        if cls.exists(path):
            index = cls.open(path)
            if settings is not None:
                index.check_compatible(settings)
            return index
        settings = settings or IndexSettings()
        with Writer.session(path, lambda: None, create=settings):
            pass
        return cls.open(path)

    def check_compatible(self, settings: IndexSettings) -> None:
        """Refuse (one line) settings that differ from the ones the index was built with."""
        built = built_differently(self.settings, settings)
        if built:
            raise IndexMismatchError(f"The index at {self.path} was built with {built}; to change them rebuild: "
                                     f"byline index build --rebuild PATH --index {self.path}")

    def close(self) -> None:
        self.reader.close()

    # ---------------------------------------------------------------- parts
    @property
    def settings(self) -> IndexSettings:
        return self.reader.settings

    @property
    def store(self):
        return self.reader.store

    @property
    def dimension(self) -> int:
        return self.reader.dimension

    @property
    def encoder(self):
        return self.reader.encoder

    @property
    def vectors(self):
        return self.reader.vectors

    def snapshot(self):
        """`with index.snapshot() as changed:` all reads inside see one committed version; `changed`
        is True when it is newer than the last one this object read (drop derived caches)."""
        return self.reader.snapshot()

    # ---------------------------------------------------------------- writing
    def _session(self, **kw):
        return Writer.session(self.path, lambda: self.reader.encoder, lock_timeout=self.lock_timeout, **kw)

    def add_documents(self, docs: Iterable[Document], *, progress: Progress | None = None,
                      skip_near_duplicates: bool = False, report: AddReport | None = None,
                      workers: int = DEFAULT_WORKERS, encoders: int | None = None,
                      commit_windows: int = COMMIT_WINDOWS) -> AddReport:
        """Add new or changed documents; `workers` processes split and annotate them (index.ingest.prepare)
        while the encoder runs here, on the cores they leave, in `encoders` sessions (None: as
        `index.ingest.prepare.encoder_plan` divides them). Committed in batches of about `commit_windows`
        windows (whole articles), each a whole version: memory stays flat however many are added."""
        report = report or AddReport()
        sessions, threads = encoder_plan(workers, encoders)
        self.reader.encoder_threads = threads  # if the encoder is not loaded yet
        with self._session() as writer:
            writer.add_documents(docs, report, progress=progress, skip_near_duplicates=skip_near_duplicates,
                                 workers=workers, sessions=sessions, threads=threads, commit_windows=commit_windows)
        return report

    def add_paths(self, paths: Sequence[str | Path], *, follow_symlinks: bool = False, **kw) -> AddReport:
        """Add the articles of files and folders (`index.ingest.loading`); a symlink leading out of a folder
        is followed only with `follow_symlinks`."""
        from index.ingest.loading import iter_documents

        report = AddReport()
        for p in paths:
            if not Path(p).exists():
                raise InputError(f"No such file or folder: {p}")
        docs = iter_documents(paths, report.issues, max_bytes=self.settings.max_file_bytes,
                              follow_symlinks=follow_symlinks)
        return self.add_documents(docs, report=report, **kw)

    def remove(self, keys: Sequence[str]) -> list[str]:
        """Remove articles by id or by the path they were loaded from; returns the removed ids."""
        with self._session() as writer:
            return writer.remove([str(k) for k in keys])  # a Path names its file

    def repair(self) -> RepairReport:
        """Mend the damaged copies from the intact ones (`index.embedded.repair`); says what it could not mend.
        A database SQLite cannot read whole is carried into a new one (`index.embedded.salvage`)."""
        try:
            with self._session(repairing=True) as writer:
                return writer.repair()
        except DatabaseUnreadableError:
            from index.embedded.salvage import salvage

            return salvage(self.path, lambda: self.reader.encoder, self.lock_timeout or IndexSettings().lock_timeout)

    @classmethod
    def repair_at(cls, path: str | Path) -> RepairReport:
        """`repair` of the index at `path`, also when it cannot be opened (SQLite's check fails)."""
        try:
            index = cls.open(path)
        except DatabaseUnreadableError:
            from index.embedded.salvage import salvage

            return salvage(Path(path).expanduser().resolve(), None, IndexSettings().lock_timeout)
        try:
            return index.repair()
        finally:
            index.close()

    def optimize(self) -> OptimizeReport:
        """Merge every vector segment into one and drop removed vectors, atomically, under the lock."""
        with self._session() as writer:
            writer.check_vectors()  # a damaged segment is refused here as by any write (repair rebuilds it)
            return writer.optimize()

    @classmethod
    def rebuild(cls, path: str | Path, paths: Sequence[str | Path], settings: IndexSettings, **kw) -> AddReport:
        """Build a fresh index beside `path` and swap it in, under `path`'s write lock: readers keep
        the old one until the swap; a crash at any point leaves one whole index (see index.embedded.swap)."""
        path = Path(path).expanduser().resolve()
        staging = swap.sibling(path, swap.BUILDING)
        with writer_lock(path, settings.lock_timeout):
            swap.recover(path)
            try:
                index = cls.create(staging, settings)
                try:
                    report = index.add_paths(paths, **kw)
                finally:
                    index.close()
            except BaseException:  # nothing of a failed rebuild is left beside the index (a kill: the next open)
                swap.discard(path)
                raise
            swap.swap_in(path)
        return report

    # ---------------------------------------------------------------- reading
    def filter_ids(self, outlets: Sequence[str] = (), since: str | None = None,
                   until: str | None = None, no_outlet: bool = False, no_date: bool = False) -> np.ndarray | None:
        return self.reader.filter_ids(outlets, since, until, no_outlet, no_date)

    def search_dense(self, vector: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        return self.reader.search_dense(vector, k, allowed)

    def dense_searcher(self):
        return self.reader.dense_searcher()

    def search_keyword(self, match: str, k: int, outlets: Sequence[str] = (), since: str | None = None,
                       until: str | None = None, no_outlet: bool = False,
                       no_date: bool = False) -> list[tuple[int, float]]:
        return self.reader.search_keyword(match, k, outlets, since, until, no_outlet, no_date)

    def chunks(self, ids: Sequence[int]) -> dict[int, ChunkRow]:
        return self.reader.chunks(ids)

    def sentences(self, article_rowid: int, lo: int, hi: int) -> list[SentenceSpan]:
        return self.reader.sentences(article_rowid, lo, hi)

    def windows(self, article_rowid: int, lo: int, hi: int) -> list[Window]:
        return self.reader.windows(article_rowid, lo, hi)

    def article(self, article_id: str) -> ArticleRow | None:
        return self.reader.article(article_id)

    def article_by_row(self, rowid: int) -> ArticleRow | None:
        return self.reader.article_by_row(rowid)

    def list(self) -> list[ArticleListing]:
        return self.reader.list()

    def outlets(self) -> list[OutletCount]:
        return self.reader.outlets()

    def chunk_count(self) -> int:
        return self.reader.chunk_count()

    def doc_freq(self, term: str, prefix: bool = False) -> int:
        return self.reader.doc_freq(term, prefix)

    def entities(self, article_rowid: int, start: int, end: int) -> list[tuple[int, int, str]]:
        return self.reader.entities(article_rowid, start, end)

    def vocabulary(self, prefix: str, limit: int = 20_000) -> list[tuple[str, int]]:
        return self.reader.vocabulary(prefix, limit)

    def stats(self) -> Stats:
        return self.reader.stats()

    def verify(self, full: bool = False) -> list[str]:
        """Problems found, or an empty list when the index is whole and consistent."""
        return verify(self.reader, full).problems

    def verification(self, full: bool = False) -> Verification:
        """Problems and leftovers of interrupted writes (not damage: the next write removes them)."""
        return verify(self.reader, full)

    @staticmethod
    def destroy(path: str | Path) -> None:
        shutil.rmtree(path, ignore_errors=True)
