"""The `Index`: the one small API `qa` uses. FAISS for vectors, SQLite for everything else.

Writes happen in two phases so that nothing is lost and nothing is half-done:
1. outside any transaction, new chunk texts are embedded and stored in the embedding cache
   (a pure function of the text, safe to keep if interrupted: a rerun resumes from it);
2. one SQLite transaction inserts articles, sentences, chunks and keyword rows, a new vector file
   `vectors-<n+1>.faiss` is written beside the current one, and the commit switches to it.
A crash or kill at any point leaves the last committed index as it was.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np

from index.annotate import annotate
from index.chunking import chunk_document, sentence_spans
from index.documents import Document, LoadIssue
from index.embed_queue import EmbedQueue
from index.errors import IndexCorruptError, IndexMismatchError, IndexMissingError, InputError
from index.lock import writer_lock
from index.near_duplicates import closest, simhash
from index.reports import AddReport, Stats
from index.settings import FORMAT_VERSION, IndexSettings
from index.store import ArticleRow, ChunkRow, Store
from index.vectors import VectorIndex

Progress = Callable[[str, int, int], None]
DB_NAME = "byline.sqlite"


def default_corpus_paths() -> list[Path]:
    import index.corpus

    return sorted(Path(index.corpus.__file__).parent.glob("*.txt"))


def _chunk_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class Index:
    """Open with `Index.open(dir)` (must exist) or `Index.create(dir, settings)` (new or existing)."""

    def __init__(self, path: Path, store: Store, settings: IndexSettings, readonly: bool):
        self.path = path
        self.store = store
        self.settings = settings
        self.readonly = readonly
        self._encoder = None
        self._vectors: VectorIndex | None = None
        self.dimension = int(store.manifest().get("dimension") or 0)

    # ---------------------------------------------------------------- opening
    @classmethod
    def exists(cls, path: str | Path) -> bool:
        return (Path(path) / DB_NAME).exists()

    @classmethod
    def open(cls, path: str | Path, *, model: str | None = None, backend: str | None = None,
             readonly: bool = False) -> "Index":
        path = Path(path).expanduser().resolve()
        if not cls.exists(path):
            raise IndexMissingError(f"No index at {path}; build one with: byline index build PATH")
        store = Store(path / DB_NAME, readonly=readonly)
        manifest = store.manifest()
        if not manifest:
            store.close()
            raise IndexCorruptError(f"The index at {path} has no manifest (an interrupted first build?); "
                                    f"rebuild it with: byline index build --rebuild PATH --index {path}")
        if manifest.get("format_version") != FORMAT_VERSION:
            store.close()
            raise IndexMismatchError(
                f"The index at {path} has format version {manifest.get('format_version')}, this Byline "
                f"reads version {FORMAT_VERSION}; rebuild it: byline index build --rebuild PATH --index {path}")
        for key, wanted in (("model", model), ("backend", backend)):
            if wanted and manifest.get(key) != wanted:
                store.close()
                raise IndexMismatchError(
                    f"The index at {path} was built with {key} {manifest.get(key)!r}, not {wanted!r}; "
                    f"drop the option, or rebuild: byline index build --rebuild PATH --{key} {wanted}")
        settings = IndexSettings(model=manifest["model"], backend=manifest["backend"], **manifest["chunking"],
                                 approximate_above=manifest.get("approximate_above", 50_000))
        return cls(path, store, settings, readonly)

    @classmethod
    def create(cls, path: str | Path, settings: IndexSettings | None = None) -> "Index":
        """Open the index at `path`, creating an empty one with `settings` if there is none."""
        path = Path(path).expanduser().resolve()
        if cls.exists(path):
            index = cls.open(path)
            if settings is not None:
                index._check_compatible(settings)
            return index
        settings = settings or IndexSettings()
        path.mkdir(parents=True, exist_ok=True)
        with writer_lock(path, settings.lock_timeout):
            store = Store(path / DB_NAME)
            if not store.manifest():
                store.begin()
                store.set_manifest(format_version=FORMAT_VERSION, model=settings.model, backend=settings.backend,
                                   dimension=0, chunking=settings.chunking(), vectors_version=0,
                                   approximate_above=settings.approximate_above)
                store.commit()
        store.close()
        return cls.open(path)

    def _check_compatible(self, settings: IndexSettings) -> None:
        mine = (self.settings.model, self.settings.backend, self.settings.chunking())
        theirs = (settings.model, settings.backend, settings.chunking())
        if mine != theirs:
            raise IndexMismatchError(
                f"The index at {self.path} was built with model {mine[0]!r}, backend {mine[1]!r}, "
                f"chunking {mine[2]}; to change them rebuild: byline index build --rebuild PATH --index {self.path}")

    def close(self) -> None:
        self.store.close()

    # ---------------------------------------------------------------- parts, loaded lazily
    @property
    def encoder(self):
        if self._encoder is None:
            from index.encoders import load_encoder

            self._encoder = load_encoder(self.settings.model, self.settings.backend)
            if self.dimension and self._encoder.dimension != self.dimension:
                raise IndexMismatchError(
                    f"The model {self.settings.model!r} gives {self._encoder.dimension}-dimensional vectors but "
                    f"the index at {self.path} holds {self.dimension}; rebuild it with: byline index build --rebuild")
        return self._encoder

    def _vector_file(self, version: int) -> Path:
        return self.path / f"vectors-{version}.faiss"

    @property
    def vectors(self) -> VectorIndex:
        if self._vectors is None:
            self._vectors = self._load_vectors()
        return self._vectors

    def _load_vectors(self) -> VectorIndex:
        manifest = self.store.manifest()
        dim = int(manifest.get("dimension") or 0) or self.encoder.dimension
        file = self._vector_file(int(manifest.get("vectors_version", 0)))
        chunks = self.store.count("chunks")
        if file.exists():
            vectors = VectorIndex.load(file, dim)
            if vectors.size == chunks:
                return vectors
        ids, vecs = self.store.all_chunk_vectors(dim)  # derived data: rebuild from SQLite
        return VectorIndex.build(ids, vecs, dim, approximate=len(ids) > self.settings.approximate_above)

    # ---------------------------------------------------------------- writing
    def add_documents(self, docs: Iterable[Document], *, progress: Progress | None = None,
                      skip_near_duplicates: bool = False, report: AddReport | None = None) -> AddReport:
        if self.readonly:
            raise InputError("This index was opened read-only")
        report = report or AddReport()
        with writer_lock(self.path, self.settings.lock_timeout):
            plan = []
            queue = EmbedQueue(self.store, lambda: self.encoder, self.settings.batch_size, progress=progress)
            try:
                for item in self._plan(docs, report, skip_near_duplicates, progress):
                    plan.append(item)
                    for c in item[2]:
                        queue.add(_chunk_hash(c.embed_text), c.embed_text)
                queue.finish()
            finally:
                queue.close()
            report.chunks_embedded, report.chunks_cached = queue.embedded, queue.cached
            if plan:
                self._commit(plan, progress)
        return report

    def add_paths(self, paths: Sequence[str | Path], **kw) -> AddReport:
        from index.loading import iter_documents

        report = AddReport()
        for p in paths:
            if not Path(p).exists():
                raise InputError(f"No such file or folder: {p}")
        docs = iter_documents(paths, report.issues, max_bytes=self.settings.max_file_bytes)
        return self.add_documents(docs, report=report, **kw)

    def _plan(self, docs, report: AddReport, skip_near: bool, progress):
        """Yield (document, sentences, chunks) for new or changed documents; unchanged ones are a no-op."""
        seen, planned = set(), 0
        sim_ids, sim_values = self.store.simhashes()
        for doc in docs:
            if doc.id in seen:
                report.issues.append(LoadIssue(doc.path or doc.id, f"duplicate article id {doc.id!r}; kept the first"))
                continue
            seen.add(doc.id)
            existing = self.store.hash_of(doc.id)
            if existing and existing[1] == doc.content_hash:
                report.unchanged.append(doc.id)
                continue
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
            sentences = sentence_spans(doc)
            doc.extra["_entities"] = annotate(doc.text, sentences)  # while the encoder works on earlier chunks
            s = self.settings
            chunks = chunk_document(doc, sentences, s.chunk_words, s.chunk_stride, s.embed_header)
            doc.extra["_simhash"] = sig
            (report.updated if existing else report.added).append(doc.id)
            planned += 1
            if progress:
                progress("reading", planned, 0)
            yield doc, sentences, chunks

    def _commit(self, plan, progress) -> None:
        store = self.store
        vectors = self.vectors
        dim = self.dimension or self.encoder.dimension
        manifest = store.manifest()
        version = int(manifest.get("vectors_version", 0))
        store.begin()
        try:
            removed: list[int] = []
            new_ids, new_hashes = [], []
            for n, (doc, sentences, chunks) in enumerate(plan):
                existing = store.hash_of(doc.id)
                if existing:
                    removed += store.delete_article(existing[0])
                rowid = store.insert_article(doc, doc.extra.pop("_simhash"))
                store.insert_sentences(rowid, sentences)
                store.insert_entities(rowid, doc.extra.pop("_entities", ()))
                for c in chunks:
                    h = _chunk_hash(c.embed_text)
                    new_ids.append(store.insert_chunk(rowid, c, h))
                    new_hashes.append(h)
                if progress:
                    progress("storing", n + 1, len(plan))
            cache = store.cached_vectors(set(new_hashes))
            mat = np.vstack([cache[h] for h in new_hashes]) if new_hashes else np.zeros((0, dim), np.float32)
            vectors.remove(removed)
            total = vectors.size + len(new_ids)
            approximate = total > self.settings.approximate_above
            if approximate != (vectors.kind == "ivf"):
                ids, vecs = store.all_chunk_vectors(dim)  # crossing the size line: rebuild from SQLite
                vectors = VectorIndex.build(ids, vecs, dim, approximate=approximate)
            else:
                vectors.add(np.array(new_ids, dtype=np.int64), mat)
            vectors.save(self._vector_file(version + 1))
            store.set_manifest(vectors_version=version + 1, dimension=dim,
                               articles=store.count("articles"), chunks=store.count("chunks"))
            store.commit()
        except BaseException:
            store.rollback()
            self._vectors = None  # the in-memory index may hold uncommitted changes
            self._vector_file(version + 1).unlink(missing_ok=True)
            raise
        self._vectors, self.dimension = vectors, dim
        for old in self.path.glob("vectors-*.faiss"):
            if old.name != self._vector_file(version + 1).name:
                old.unlink(missing_ok=True)

    def remove(self, keys: Sequence[str]) -> list[str]:
        """Remove articles by id or by the path they were loaded from; returns the removed ids."""
        with writer_lock(self.path, self.settings.lock_timeout):
            ids: list[str] = []
            for key in keys:
                found = [key] if self.store.hash_of(key) else self.store.ids_for_path(str(Path(key).resolve()))
                found = found or self.store.ids_for_path(key)
                if not found:
                    raise InputError(f"No article with id or path {key!r} in {self.path}; see: byline index list")
                ids += found
            vectors = self.vectors
            version = int(self.store.manifest().get("vectors_version", 0))
            self.store.begin()
            try:
                removed = []
                for article_id in ids:
                    removed += self.store.delete_article(self.store.hash_of(article_id)[0])
                vectors.remove(removed)
                vectors.save(self._vector_file(version + 1))
                self.store.set_manifest(vectors_version=version + 1, articles=self.store.count("articles"),
                                        chunks=self.store.count("chunks"))
                self.store.commit()
            except BaseException:
                self.store.rollback()
                self._vectors = None
                raise
            self._vector_file(version).unlink(missing_ok=True)
            return ids

    # ---------------------------------------------------------------- reading
    def filter_ids(self, sources: Sequence[str] = (), since: str | None = None,
                   until: str | None = None, no_outlet: bool = False, no_date: bool = False) -> np.ndarray | None:
        """Chunk ids passing the filters, or None when there is no filter."""
        where, params = Store.filter_sql(sources, since, until, no_outlet, no_date)
        return self.store.filtered_chunk_ids(where, params) if where else None

    def search_dense(self, vector: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        return self.vectors.search(vector, k, allowed)

    def search_keyword(self, match: str, k: int, sources: Sequence[str] = (), since: str | None = None,
                       until: str | None = None, no_outlet: bool = False,
                       no_date: bool = False) -> list[tuple[int, float]]:
        where, params = Store.filter_sql(sources, since, until, no_outlet, no_date)
        return self.store.keyword_search(match, k, where, params)

    def chunks(self, ids: Sequence[int]) -> dict[int, ChunkRow]:
        return self.store.chunk_rows(ids)

    def sentences(self, article_rowid: int, lo: int, hi: int) -> list[tuple[int, int, int]]:
        return self.store.sentences(article_rowid, lo, hi)

    def entities(self, article_rowid: int, start: int, end: int) -> list[tuple[int, int, str]]:
        """Named entities (start, end, OntoNotes label) beginning inside [start, end) of an article."""
        return self.store.entities(article_rowid, start, end)

    def windows(self, article_rowid: int, lo: int, hi: int):
        return self.store.windows(article_rowid, lo, hi)

    def article(self, article_id: str) -> ArticleRow | None:
        return self.store.article(article_id)

    def article_by_row(self, rowid: int) -> ArticleRow | None:
        return self.store.article_by_row(rowid)

    def list(self) -> list[tuple]:
        return self.store.list_articles()

    def outlets(self) -> list[tuple[str, int]]:
        return self.store.outlets()

    def chunk_count(self) -> int:
        return self.store.count("chunks")

    def doc_freq(self, term: str, prefix: bool = False) -> int:
        return self.store.doc_freq(term, prefix)

    def vocabulary(self, prefix: str, limit: int = 20_000) -> list[tuple[str, int]]:
        """Indexed words starting with `prefix` and their chunk counts (for spelling correction)."""
        return self.store.vocabulary(prefix, limit)

    def stats(self) -> Stats:
        m = self.store.manifest()
        size = sum(f.stat().st_size for f in self.path.iterdir() if f.is_file())
        kind = self._vectors.kind if self._vectors is not None else (
            "ivf" if m.get("chunks", 0) > self.settings.approximate_above else "flat")
        return Stats(str(self.path), self.store.count("articles"), self.store.count("chunks"), m["model"],
                     m["backend"], int(m.get("dimension") or 0), kind, size, m["format_version"], m["chunking"])

    def verify(self) -> list[str]:
        """Problems found, or an empty list when the index is whole and consistent."""
        problems = self.store.integrity_problems()
        m = self.store.manifest()
        file = self._vector_file(int(m.get("vectors_version", 0)))
        chunks = self.store.count("chunks")
        if chunks and not file.exists():
            problems.append(f"vector file {file.name} is missing (byline index build rebuilds it)")
        elif file.exists():
            try:
                vec = VectorIndex.load(file, int(m.get("dimension") or 0))
                if vec.size != chunks:
                    problems.append(f"vector file holds {vec.size} vectors for {chunks} chunks")
            except IndexCorruptError as exc:
                problems.append(str(exc))
        if m.get("articles") not in (None, self.store.count("articles")):
            problems.append(f"manifest says {m.get('articles')} articles, database holds {self.store.count('articles')}")
        return problems

    @staticmethod
    def destroy(path: str | Path) -> None:
        """Delete an index directory (used by --rebuild after the new one is in place)."""
        shutil.rmtree(path, ignore_errors=True)
