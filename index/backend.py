"""The retrieval-backend protocol: what `qa` reads from an index and what a writer changes in it,
and the one place that turns an index location into a backend.

Two backends implement it:
- the embedded `index.api.Index` (SQLite + FTS5 + FAISS in one folder), the default;
- `index.qdrant.backend.QdrantBackend` (`qdrant+PATH` for Qdrant's local mode, `qdrant+URL` for a
  server or cluster; needs `pip install 'byline[cluster]'`).

`qa` calls the read surface below and nothing else, so fusion (RRF), sentence choice, short
answers, abstention and citations are the same code on both. Filters travel as in the embedded
index's API: outlets (`outlets`), an ISO day range (`since`/`until`) and the "unstated outlet/date"
flags; `filter_ids` returns whatever `search_dense` accepts as `allowed` (chunk ids for FAISS, a
counted Qdrant filter for Qdrant) and `len(allowed) == 0` means nothing passes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from index.ingest.documents import Document
from index.errors import InputError
from index.reports import AddReport, Stats
from index.settings import IndexSettings
from index.rows import ArticleListing, ArticleRow, ChunkRow, OutletCount, SentenceSpan, Window

QDRANT_PREFIX = "qdrant+"


@runtime_checkable
class RetrievalBackend(Protocol):
    """The read surface `qa` uses, and the writes every backend supports."""

    settings: IndexSettings

    # -- reading (qa)
    def snapshot(self) -> AbstractContextManager[bool]: ...
    @property
    def encoder(self): ...
    def filter_ids(self, outlets: Sequence[str] = (), since: str | None = None, until: str | None = None,
                   no_outlet: bool = False, no_date: bool = False): ...
    def search_dense(self, vector: np.ndarray, k: int, allowed=None) -> list[tuple[int, float]]: ...
    def dense_searcher(self): ...  # search_dense callable from another thread inside a snapshot, or None
    def search_keyword(self, match: str, k: int, outlets: Sequence[str] = (), since: str | None = None,
                       until: str | None = None, no_outlet: bool = False,
                       no_date: bool = False) -> list[tuple[int, float]]: ...
    def chunks(self, ids: Sequence[int]) -> dict[int, ChunkRow]: ...
    def sentences(self, article_rowid: int, lo: int, hi: int) -> list[SentenceSpan]: ...
    def windows(self, article_rowid: int, lo: int, hi: int) -> list[Window]: ...
    def article(self, article_id: str) -> ArticleRow | None: ...
    def article_by_row(self, rowid: int) -> ArticleRow | None: ...
    def entities(self, article_rowid: int, start: int, end: int) -> list[tuple[int, int, str]]: ...
    def list(self) -> list[ArticleListing]: ...
    def outlets(self) -> list[OutletCount]: ...
    def chunk_count(self) -> int: ...
    def doc_freq(self, term: str, prefix: bool = False) -> int: ...
    def vocabulary(self, prefix: str, limit: int = 20_000) -> list[tuple[str, int]]: ...
    def stats(self) -> Stats: ...
    def close(self) -> None: ...

    # -- writing
    def add_documents(self, docs: Iterable[Document], **kw) -> AddReport: ...
    def add_paths(self, paths: Sequence[str | Path], **kw) -> AddReport: ...
    def remove(self, keys: Sequence[str]) -> list[str]: ...


def is_qdrant(location: str | Path | None) -> bool:
    return location is not None and str(location).startswith(QDRANT_PREFIX)


def qdrant_target(location: str | Path) -> str:
    """`qdrant+http://host:6333` -> the URL; `qdrant+PATH` -> the resolved path; `qdrant+:memory:`."""
    target = str(location)[len(QDRANT_PREFIX):]
    if not target:
        raise InputError(f"{location!r} names no Qdrant location; use qdrant+URL or qdrant+PATH")
    if target == ":memory:" or target.startswith(("http://", "https://")):
        return target
    return str(Path(target).expanduser().resolve())


def _qdrant():
    try:
        from index.qdrant.backend import QdrantBackend
    except ImportError as exc:
        raise InputError("Qdrant indexes need the cluster extra: pip install 'byline[cluster]' "
                         f"({exc.name} is not installed)") from exc
    return QdrantBackend


def exists(location: str | Path) -> bool:
    if is_qdrant(location):
        return _qdrant().exists(qdrant_target(location))
    from index.api import Index

    return Index.exists(location)


def open_index(location: str | Path, *, model: str | None = None):
    """The backend at `location` (an index folder, or `qdrant+…`); it must exist."""
    if is_qdrant(location):
        return _qdrant().open(qdrant_target(location), model=model)
    from index.api import Index

    return Index.open(location, model=model)


def create_index(location: str | Path, settings: IndexSettings | None = None):
    """The backend at `location`, created empty with `settings` when there is none."""
    if is_qdrant(location):
        return _qdrant().create(qdrant_target(location), settings)
    from index.api import Index

    return Index.create(location, settings)
