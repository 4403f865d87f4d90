"""`QdrantBackend`: the index's read surface (`index.backend.RetrievalBackend`) over Qdrant, so that
`qa` answers from Qdrant exactly as from the embedded index; writes are in `index.qdrant.write`.

`QdrantBackend.open("…")` takes ":memory:", a folder (Qdrant's local mode: the tests) or a URL (a
server or cluster). The layout is described in `index.qdrant.schema`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from qdrant_client import models

from index.errors import BylineError, IndexMismatchError, IndexMissingError, IndexUnreachableError
from index.qdrant import keyword, verify, write
from index.qdrant.schema import (ARTICLES, CHUNKS, DENSE, META, META_ID, Allowed, connect,
                                 create_collections, disconnect, match, one_line, search_filter)
from index.qdrant.keyword import PREFIX_TERMS
from index.qdrant.words import MEMORY_LIMIT, CountedWords, MemoryWords
from index.qdrant.points import article_key, chunk_key
from index.reports import Stats
from index.settings import FORMAT_VERSION, IndexSettings, built_differently
from index.rows import ArticleListing, ArticleRow, ChunkRow, OutletCount, SentenceSpan, Window
from index.terms import tokenize

ARTICLE_CACHE = 512  # articles kept in memory between questions (dropped when a writer commits)
SCROLL = 1_000
WINDOWS_A_READ = 256  # window ids asked for at once when an article's count is not stored


class QdrantBackend:
    """Caches (articles, word counts, the window count) hold one index version: checked once a
    snapshot (every read inside it sees that version's caches) and on every read outside one."""

    def __init__(self, target: str, client, meta: dict):
        self.target = self.path = target
        self.client = client
        self.remote = self._remote(target)
        self._meta = meta
        self.settings = IndexSettings(model=meta["model"], backend=meta["backend"], **meta["chunking"])
        self.dimension = int(meta.get("dimension") or 0)
        self._encoder = None
        self._guard = threading.RLock()
        self._depth = 0
        self._seen: int | None = None  # the version the last snapshot read (to tell the caller it changed)
        self._cached: int | None = None  # the version the caches below hold
        self._articles: OrderedDict[int, dict | None] = OrderedDict()
        self._windows: dict[int, list[Window]] = {}
        self._words = None  # index.qdrant.words, for the cached version
        self._total: int | None = None
        self.memory_words_limit = MEMORY_LIMIT

    # ---------------------------------------------------------------- opening
    @staticmethod
    def _read_meta(client, target: str = "") -> dict | None:
        try:
            if not client.collection_exists(META):
                return None
            found = client.retrieve(META, [META_ID], with_payload=True)
        except Exception as exc:  # a server that is down, refuses or answers garbage: one line
            if isinstance(exc, BylineError):
                raise
            raise IndexUnreachableError(f"Cannot reach the Qdrant index at {target or 'the server'} "
                                        f"({one_line(exc)}); is the server running at that address?") from exc
        return dict(found[0].payload) if found else None

    @staticmethod
    def _remote(target: str) -> bool:
        return target.startswith(("http://", "https://"))

    @classmethod
    def exists(cls, target: str) -> bool:
        if target == ":memory:":
            return False
        if not cls._remote(target) and not Path(target).exists():
            return False
        client = connect(target)
        try:
            return cls._read_meta(client, target) is not None
        finally:
            disconnect(target, client)

    @classmethod
    def open(cls, target: str, *, model: str | None = None) -> "QdrantBackend":
        if not cls._remote(target) and target != ":memory:" and not Path(target).is_dir():
            raise IndexMissingError(f"No index in Qdrant at {target}; build one with: "
                                    f"byline index build PATH --index qdrant+{target}")
        client = connect(target)
        try:
            meta = cls._read_meta(client, target)
        except BylineError:
            disconnect(target, client)  # closed on every way out: no client left to complain at exit
            raise
        if meta is None:
            disconnect(target, client)
            raise IndexMissingError(f"No index in Qdrant at {target}; build one with: "
                                    f"byline index build PATH --index qdrant+{target}")
        if model and meta.get("model") != model:
            disconnect(target, client)
            raise IndexMismatchError(f"The Qdrant index at {target} was built with model {meta.get('model')!r}, "
                                     f"not {model!r}; drop the option or rebuild it")
        return cls(target, client, meta)

    @classmethod
    def create(cls, target: str, settings: IndexSettings | None = None) -> "QdrantBackend":
        """Open the index at `target`, creating the collections (empty) with `settings` if needed."""
        client = connect(target)
        try:
            meta, encoder = cls._read_meta(client, target), None
        except BylineError:
            disconnect(target, client)
            raise
        if meta is None:
            settings = settings or IndexSettings()
            from index.embedding.encoders import load_encoder

            encoder = load_encoder(settings.model, settings.backend)  # its dimension; kept for the writes
            create_collections(client, encoder.dimension, cls._remote(target))
            meta = {"format_version": FORMAT_VERSION, "model": settings.model, "backend": settings.backend,
                    "dimension": encoder.dimension, "chunking": settings.chunking(), "version": 0}
            client.upsert(META, [models.PointStruct(id=META_ID, vector={}, payload=meta)])
        backend = cls(target, client, meta)
        backend._encoder = encoder
        if settings is not None:
            try:
                backend.check_compatible(settings)
            except IndexMismatchError:
                backend.close()
                raise
        return backend

    def check_compatible(self, settings: IndexSettings) -> None:
        built = built_differently(self.settings, settings)
        if built:
            raise IndexMismatchError(f"The Qdrant index at {self.target} was built with {built}; "
                                     "to change them build into a new location")

    def close(self) -> None:
        disconnect(self.target, self.client)

    # ---------------------------------------------------------------- parts
    @property
    def encoder(self):
        if self._encoder is None:
            from index.embedding.encoders import load_encoder

            self._encoder = load_encoder(self.settings.model, self.settings.backend)
        return self._encoder

    @property
    def vectors(self):
        """Qdrant holds the vectors; nothing to load in this process."""
        return self

    def meta(self) -> dict:
        return self._read_meta(self.client, self.target) or {}

    def version(self) -> int:
        return int(self.meta().get("version", 0))

    @contextmanager
    def snapshot(self):
        """Reads inside see the writes committed before it began (Qdrant has no read transaction:
        a write landing meanwhile may show); yields True when a writer committed since the last one."""
        with self._guard:
            if self._depth:
                self._depth += 1
                try:
                    yield False
                finally:
                    self._depth -= 1
                return
            version = self.version()
            changed = self._seen is not None and version != self._seen
            self._seen = version
            self._depth = 1
            try:
                self._fresh(version)
                yield changed
            finally:
                self._depth = 0

    def _fresh(self, version: int | None = None) -> None:
        """Drop the caches when a writer committed since they were filled (checked once a snapshot,
        or on every read outside one)."""
        if self._depth and version is None and self._cached is not None:
            return
        version = self.version() if version is None else version
        if version != self._cached:
            self._forget()
            self._cached = version

    # ---------------------------------------------------------------- writing (index.qdrant.write)
    def add_documents(self, docs, *, progress=None, skip_near_duplicates: bool = False, report=None):
        return write.add_documents(self, docs, progress=progress, report=report)

    def add_paths(self, paths: Sequence[str | Path], **kw):
        return write.add_paths(self, paths, **kw)

    def upsert(self, prepared) -> None:
        write.upsert(self, prepared)

    def delete(self, article_ids: Sequence[str]) -> None:
        write.delete(self, article_ids)

    def remove(self, keys: Sequence[str]) -> list[str]:
        return write.remove(self, keys)

    def committed(self) -> None:
        """After a write: a new version for every reader, and this one drops its caches."""
        version = int(self.meta().get("version", 0)) + 1
        self.client.set_payload(META, payload={"version": version}, points=[META_ID])
        self._forget()

    def _forget(self) -> None:
        self._articles.clear()
        self._windows.clear()
        self._words = None
        self._total = None
        self._cached = None

    # ---------------------------------------------------------------- reading: search
    def filter_ids(self, outlets: Sequence[str] = (), since: str | None = None, until: str | None = None,
                   no_outlet: bool = False, no_date: bool = False) -> Allowed | None:
        flt = search_filter(outlets, since, until, no_outlet, no_date)
        if flt is None:
            return None
        return Allowed(flt, self.client.count(CHUNKS, count_filter=flt, exact=True).count)

    def search_dense(self, vector: np.ndarray, k: int, allowed: Allowed | None = None) -> list[tuple[int, float]]:
        found = self.client.query_points(CHUNKS, query=np.asarray(vector, dtype=np.float32).tolist(), using=DENSE,
                                         limit=k, query_filter=allowed.filter if allowed else None,
                                         with_payload=False)
        return [(int(p.id), float(p.score)) for p in found.points]

    def dense_searcher(self) -> None:
        """None: reads stay on the asking thread (Qdrant's local mode is not documented as thread-safe)."""
        return None

    def search_keyword(self, match_: str, k: int, outlets: Sequence[str] = (), since: str | None = None,
                       until: str | None = None, no_outlet: bool = False,
                       no_date: bool = False) -> list[tuple[int, float]]:
        weighted = keyword.weights(match_, self.chunk_count(), self._vocabulary())
        return keyword.search(self.client, weighted, k, search_filter(outlets, since, until, no_outlet, no_date))

    # ---------------------------------------------------------------- reading: words
    def _vocabulary(self):
        """The words and their window counts (`index.qdrant.words`), for the version being read."""
        self._fresh()
        if self._words is None:
            small = self.chunk_count() <= self.memory_words_limit
            self._words = MemoryWords(self.client) if small else CountedWords(self.client)
        return self._words

    def _words_of(self, prefix: str, limit: int) -> list[tuple[str, int]]:
        return self._vocabulary().words("".join(tokenize(prefix)) or prefix, limit)

    def doc_freq(self, term: str, prefix: bool = False) -> int:
        """Windows holding the word (summed over the words starting with it, with `prefix`), as
        FTS5's vocabulary counts them."""
        if prefix:
            return sum(n for _, n in self._words_of(term, PREFIX_TERMS))
        folded = tokenize(term)
        return self._vocabulary().count(folded[0]) if len(folded) == 1 else 0

    def vocabulary(self, prefix: str, limit: int = 20_000) -> list[tuple[str, int]]:
        return self._words_of(prefix, limit)

    # ---------------------------------------------------------------- reading: rows
    def _article_payload(self, key: int) -> dict | None:
        self._fresh()
        if key in self._articles:
            self._articles.move_to_end(key)
            return self._articles[key]
        found = self.client.retrieve(ARTICLES, [key], with_payload=True)
        payload = dict(found[0].payload) if found else None
        self._articles[key] = payload
        if len(self._articles) > ARTICLE_CACHE:
            self._articles.popitem(last=False)
        return payload

    def article_by_row(self, rowid: int) -> ArticleRow | None:
        p = self._article_payload(int(rowid))
        if p is None:
            return None
        return ArticleRow(int(rowid), p["id"], p.get("title"), p.get("source"), p.get("published_at"),
                          p.get("url"), p.get("path"), p["text"], p["content_hash"], p.get("author"),
                          tuple(p.get("tags") or ()))

    def article(self, article_id: str) -> ArticleRow | None:
        return self.article_by_row(article_key(article_id))

    def chunks(self, ids: Sequence[int]) -> dict[int, ChunkRow]:
        if not ids:
            return {}
        found = self.client.retrieve(CHUNKS, [int(i) for i in ids], with_payload=True)
        return {int(r.id): ChunkRow(int(r.id), r.payload["article_id"], r.payload["start"], r.payload["end"],
                                    r.payload["sent_lo"], r.payload["sent_hi"], int(r.payload["article_key"]))
                for r in found}

    def sentences(self, article_rowid: int, lo: int, hi: int) -> list[SentenceSpan]:
        p = self._article_payload(int(article_rowid))
        spans = p["sentences"] if p else []
        return [SentenceSpan(i, s, e) for i, (s, e) in enumerate(spans) if lo <= i <= hi]

    def windows(self, article_rowid: int, lo: int, hi: int) -> list[Window]:
        return [w for w in self._all_windows(int(article_rowid)) if w.sent_hi >= lo and w.sent_lo <= hi]

    def _all_windows(self, key: int) -> list[Window]:
        """Every window of an article with its vector, read once a version (as the article is)."""
        self._fresh()
        if key not in self._windows:
            points = self._window_points(key)
            points.sort(key=lambda r: r.payload["ordinal"])
            self._windows[key] = [Window(int(r.id), r.payload["start"], r.payload["end"], r.payload["sent_lo"],
                                         r.payload["sent_hi"], np.asarray(r.vector[DENSE], dtype=np.float32))
                                  for r in points]
            if len(self._windows) > ARTICLE_CACHE:
                self._windows.pop(next(iter(self._windows)))
        return self._windows[key]

    def _window_points(self, key: int) -> list:
        """An article's window points, read by id: ids follow from the article and its content hash
        (`index.qdrant.points.chunk_key`, ordinals 0, 1, …), so no filter runs over the collection (a
        filtered scroll scans every point in local mode: 0.4 s an article at 88k windows)."""
        p = self._article_payload(key)
        if p is None:
            return []
        fields = ["ordinal", "start", "end", "sent_lo", "sent_hi"]
        points: list = []
        step = int(p.get("windows") or WINDOWS_A_READ)
        while True:
            ids = [chunk_key(p["id"], p["content_hash"], n) for n in range(len(points), len(points) + step)]
            found = self.client.retrieve(CHUNKS, ids, with_payload=fields, with_vectors=[DENSE])
            points += found
            if len(found) < len(ids) or p.get("windows"):
                return points

    def entities(self, article_rowid: int, start: int, end: int) -> list[tuple[int, int, str]]:
        p = self._article_payload(int(article_rowid))
        found = [(s, e, label) for s, e, label in (p["entities"] if p else []) if start <= s < end]
        return sorted(found)

    def scroll_articles(self, fields: list[str]) -> list:
        out, offset = [], None
        while True:
            points, offset = self.client.scroll(ARTICLES, scroll_filter=models.Filter(must=[match("complete", True)]),
                                                limit=SCROLL, offset=offset, with_payload=fields)
            out += points
            if offset is None:
                return out

    def list(self) -> list[ArticleListing]:
        rows = [ArticleListing(p.payload["id"], p.payload.get("title"), p.payload.get("source"),
                               p.payload.get("published_at"), p.payload.get("path"))
                for p in self.scroll_articles(["id", "title", "source", "published_at", "path"])]
        return sorted(rows, key=lambda r: (r.published_at is not None, (r.published_at or "")[:10], r.id))

    def outlets(self) -> list[OutletCount]:
        counts: dict[str, list] = {}
        for p in self.scroll_articles(["source"]):
            source = p.payload.get("source")
            if source:
                counts.setdefault(source.casefold(), [source, 0])[1] += 1
        return [OutletCount(name, n) for name, n in sorted(counts.values(), key=lambda x: -x[1])]

    def chunk_count(self) -> int:
        self._fresh()
        if self._total is None:
            self._total = self.client.count(CHUNKS, exact=True).count
        return self._total

    def article_ids(self, ids: Sequence[str]) -> list[str]:
        """Those of `ids` held by the index."""
        found = self.client.retrieve(ARTICLES, [article_key(i) for i in ids], with_payload=["id"])
        held = {p.payload["id"] for p in found}
        return [i for i in ids if i in held]

    def stats(self) -> Stats:
        articles = self.client.count(ARTICLES, count_filter=models.Filter(must=[match("complete", True)]),
                                     exact=True).count
        size = 0
        if not self.remote and self.target != ":memory:":
            size = sum(f.stat().st_size for f in Path(self.target).rglob("*") if f.is_file())
        return Stats(f"qdrant+{self.target}", articles, self.chunk_count(), self.settings.model,
                     self.settings.backend, self.dimension, "qdrant", size, int(self._meta["format_version"]),
                     self.settings.chunking(), keyword_index="qdrant")

    def verification(self, full: bool = False):
        from index.embedded.verify import Verification

        problems = []
        incomplete = self.client.count(ARTICLES, count_filter=models.Filter(must=[match("complete", False)]),
                                       exact=True).count
        if incomplete:
            problems.append(f"{incomplete} articles half-written (add them again to finish)")
        problems += verify.problems(self, full)  # points and vectors against the articles' manifest
        return Verification(problems, [])

    def verify(self, full: bool = False) -> list[str]:
        return self.verification(full).problems

