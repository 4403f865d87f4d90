"""The plain rows the store hands out: articles, chunks, sentences, windows, outlet counts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np


@dataclass(frozen=True)
class ArticleRow:
    rowid: int
    id: str
    title: str | None
    source: str | None
    published_at: str | None
    url: str | None
    path: str | None
    text: str
    content_hash: str
    author: str | None = None  # read by `Store.article` only (the viewer), not on the question path
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChunkRow:
    id: int
    article_id: str
    start: int
    end: int
    sent_lo: int
    sent_hi: int
    article_rowid: int


class ArticleListing(NamedTuple):
    id: str
    title: str | None
    outlet: str | None
    published_at: str | None
    path: str | None


class StoredHash(NamedTuple):
    rowid: int
    content_hash: str


class SentenceSpan(NamedTuple):
    idx: int
    start: int
    end: int


class Window(NamedTuple):
    chunk_id: int
    start: int
    end: int
    sent_lo: int
    sent_hi: int
    vector: np.ndarray


class OutletCount(NamedTuple):
    outlet: str
    articles: int
