"""SQLite holds everything but the vectors' search structure: articles, sentences, chunks,
an FTS5 keyword index, the embedding cache (by content hash) and the manifest.

All SQL lives here as named constants. One writer at a time (see `index.lock`); readers see the
last committed state (WAL) and read one snapshot inside a read transaction (`Store.reading`).
Every SQLite error leaves this module as a `BylineError` with one line (see `translate`).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

from index.errors import IndexBusyError, IndexCorruptError, IndexReadOnlyError

BASE_SCHEMA = """
CREATE TABLE IF NOT EXISTS manifest (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    rowid INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    title TEXT, source TEXT, source_key TEXT, published_at TEXT, day TEXT, url TEXT, path TEXT,
    text TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    simhash INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS articles_source ON articles(source_key);
CREATE INDEX IF NOT EXISTS articles_day ON articles(day);
CREATE INDEX IF NOT EXISTS articles_path ON articles(path);
CREATE TABLE IF NOT EXISTS sentences (
    article INTEGER NOT NULL, idx INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    PRIMARY KEY (article, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: a stale vector id can only miss, never mislead
    article INTEGER NOT NULL,
    ordinal INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    sent_lo INTEGER NOT NULL, sent_hi INTEGER NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_article ON chunks(article);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(text, tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_vocab USING fts5vocab(chunks_fts, 'row');
CREATE TABLE IF NOT EXISTS embeddings (hash TEXT PRIMARY KEY, vector BLOB NOT NULL) WITHOUT ROWID;
"""
# Format 2 (issue 11): the resolved file an article was loaded from, for `index remove PATH`.
SOURCE_PATH_SCHEMA = """
CREATE TABLE IF NOT EXISTS article_files (
    article INTEGER PRIMARY KEY,  -- articles.rowid
    file TEXT NOT NULL            -- os.path.realpath of the file it was loaded from
);
CREATE INDEX IF NOT EXISTS article_files_file ON article_files(file);
"""
SCHEMA = BASE_SCHEMA + SOURCE_PATH_SCHEMA

GET_MANIFEST = "SELECT key, value FROM manifest"
GET_MANIFEST_KEY = "SELECT value FROM manifest WHERE key = ?"
SET_MANIFEST = "INSERT OR REPLACE INTO manifest(key, value) VALUES (?, ?)"
HAS_MANIFEST_TABLE = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'manifest'"
ARTICLE_COLUMNS = "rowid, id, title, source, published_at, url, path, text, content_hash"
GET_ARTICLE = f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?"
GET_ARTICLE_BY_ROW = f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE rowid = ?"
FIND_BY_FILE = """SELECT a.id FROM articles a JOIN article_files f ON f.article = a.rowid
    WHERE f.file = ? OR substr(f.file, 1, ?) = ? ORDER BY a.rowid"""
FIND_BY_STORED_PATH = "SELECT id FROM articles WHERE path = ? ORDER BY rowid"
LIST_ARTICLES = "SELECT id, title, source, published_at, path FROM articles ORDER BY day, id"
HASH_OF = "SELECT rowid, content_hash FROM articles WHERE id = ?"
ALL_SIMHASHES = "SELECT id, simhash FROM articles"
INSERT_ARTICLE = """INSERT INTO articles(id, title, source, source_key, published_at, day, url, path,
    text, content_hash, simhash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
INSERT_FILE = "INSERT OR REPLACE INTO article_files(article, file) VALUES (?, ?)"
INSERT_SENTENCE = "INSERT INTO sentences(article, idx, start, end) VALUES (?, ?, ?, ?)"
INSERT_CHUNK = """INSERT INTO chunks(article, ordinal, start, end, sent_lo, sent_hi, hash)
    VALUES (?, ?, ?, ?, ?, ?, ?)"""
INSERT_FTS = "INSERT INTO chunks_fts(rowid, text) VALUES (?, ?)"
CHUNK_IDS_OF = "SELECT id FROM chunks WHERE article = ?"
DELETE_FTS = "DELETE FROM chunks_fts WHERE rowid IN (SELECT id FROM chunks WHERE article = ?)"
DELETE_CHUNKS = "DELETE FROM chunks WHERE article = ?"
DELETE_SENTENCES = "DELETE FROM sentences WHERE article = ?"
DELETE_FILE = "DELETE FROM article_files WHERE article = ?"
DELETE_ARTICLE = "DELETE FROM articles WHERE rowid = ?"
GET_EMBEDDING = "SELECT vector FROM embeddings WHERE hash = ?"
PUT_EMBEDDING = "INSERT OR IGNORE INTO embeddings(hash, vector) VALUES (?, ?)"
ALL_CHUNK_VECTORS = """SELECT c.id, e.vector FROM chunks c JOIN embeddings e ON e.hash = c.hash
    ORDER BY c.id"""
ALL_CHUNK_IDS = "SELECT id FROM chunks ORDER BY id"
CHUNK_VECTORS_OF = """SELECT c.id, e.vector FROM chunks c JOIN embeddings e ON e.hash = c.hash
    WHERE c.id IN ({marks})"""
COUNT = {"articles": "SELECT count(*) FROM articles", "chunks": "SELECT count(*) FROM chunks",
         "fts": "SELECT count(*) FROM chunks_fts", "embeddings": "SELECT count(*) FROM embeddings",
         "sentences": "SELECT count(*) FROM sentences"}
CHUNK_ROWS = """SELECT c.id, a.id, c.start, c.end, c.sent_lo, c.sent_hi, a.rowid
    FROM chunks c JOIN articles a ON a.rowid = c.article WHERE c.id IN ({marks})"""
SENTENCES_OF = "SELECT idx, start, end FROM sentences WHERE article = ? AND idx BETWEEN ? AND ?"
OUTLETS = "SELECT source, count(*) FROM articles WHERE source IS NOT NULL GROUP BY source_key ORDER BY 2 DESC"
FILTERED_CHUNK_IDS = "SELECT c.id FROM chunks c JOIN articles a ON a.rowid = c.article WHERE {where}"
KEYWORD_SEARCH = """SELECT f.rowid, bm25(chunks_fts) AS score FROM chunks_fts f {join}
    WHERE chunks_fts MATCH ? {where} ORDER BY score LIMIT ?"""
DOC_FREQ = "SELECT sum(doc) FROM chunks_vocab WHERE term >= ? AND term < ?"
WINDOWS = """SELECT c.id, c.start, c.end, c.sent_lo, c.sent_hi, e.vector FROM chunks c
    JOIN embeddings e ON e.hash = c.hash WHERE c.article = ? AND c.sent_hi >= ? AND c.sent_lo <= ?"""
ORPHAN_CHUNKS = "SELECT count(*) FROM chunks WHERE article NOT IN (SELECT rowid FROM articles)"
ARTICLES_WITHOUT_CHUNKS = "SELECT count(*) FROM articles WHERE rowid NOT IN (SELECT article FROM chunks)"
ARTICLES_WITHOUT_SENTENCES = "SELECT count(*) FROM articles WHERE rowid NOT IN (SELECT article FROM sentences)"
MISSING_VECTORS = "SELECT count(*) FROM chunks c LEFT JOIN embeddings e ON e.hash = c.hash WHERE e.hash IS NULL"
BAD_SPANS = """SELECT count(*) FROM chunks c JOIN articles a ON a.rowid = c.article
    WHERE c.start < 0 OR c.end > length(a.text) OR c.start >= c.end"""


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


def one_line(report: str) -> str:
    """SQLite's multi-line check report as one line ("On tree page 335 cell 5: invalid page ...")."""
    lines = [line.strip() for line in str(report).splitlines() if line.strip() and not line.startswith("***")]
    return "; ".join(lines) or str(report).strip()


def translate(exc: sqlite3.Error, path: Path) -> Exception:
    """One line a user can act on for an SQLite error."""
    text = one_line(str(exc))
    low = text.lower()
    if "locked" in low or "busy" in low:
        return IndexBusyError(f"The index database {path} is busy ({text}); try again in a moment.")
    if "readonly" in low or "read-only" in low:
        return IndexReadOnlyError(f"This index is read-only ({path.parent}); copy it somewhere writable to change it.")
    return IndexCorruptError(f"The index database {path} is damaged ({text}); rebuild it from your articles: "
                             f"byline index build --rebuild PATH --index {path.parent}")


class Store:
    """A small data-access layer over one SQLite file.

    mode "rw": a writer's connection (WAL, full sync); "ro": read-only (no lock, no write);
    "immutable": read-only for a directory nobody can write (no -wal/-shm files needed)."""

    def __init__(self, path: Path, mode: str = "rw"):
        self.path = path
        self.mode = mode
        self.in_read = False
        try:
            if mode == "rw":
                self.db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=FULL")  # a commit survives a power cut, not only a kill
            else:
                query = "mode=ro&immutable=1" if mode == "immutable" else "mode=ro"
                self.db = sqlite3.connect(f"{path.resolve().as_uri()}?{query}", uri=True,
                                          check_same_thread=False, isolation_level=None)
            self.db.execute("PRAGMA busy_timeout=5000")
            self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error as exc:
            raise translate(exc, path) from exc

    def close(self) -> None:
        self.db.close()

    # -- one place where SQL runs, so that every SQLite error becomes one line
    def _rows(self, sql: str, params: Sequence = ()) -> list:
        try:
            return self.db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from exc

    def _one(self, sql: str, params: Sequence = ()):
        try:
            return self.db.execute(sql, params).fetchone()
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from exc

    def _run(self, sql: str, params: Sequence = ()) -> sqlite3.Cursor:
        try:
            return self.db.execute(sql, params)
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from exc

    def _many(self, sql: str, rows: Iterable) -> None:
        try:
            self.db.executemany(sql, rows)
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from exc

    def create_schema(self) -> None:
        try:
            self.db.executescript(SCHEMA)
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from exc

    def has_manifest_table(self) -> bool:
        return bool(self._one(HAS_MANIFEST_TABLE)[0])

    def quick_check(self) -> str | None:
        """None when SQLite's quick check passes, else its first complaint."""
        result = self._one("PRAGMA quick_check")[0]
        return None if result == "ok" else one_line(result)

    # -- transactions
    def begin(self) -> None:
        self._run("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self._run("COMMIT")

    def rollback(self) -> None:
        if self.db.in_transaction:
            self._run("ROLLBACK")

    def begin_read(self) -> None:
        """A read transaction: every read until `end_read` sees one committed state."""
        self._run("BEGIN")
        self.in_read = True

    def end_read(self) -> None:
        self.in_read = False
        if self.db.in_transaction:
            self._run("COMMIT")

    @contextmanager
    def reading(self):
        """A read transaction, or the one already open."""
        if self.in_read or self.db.in_transaction:
            yield self
            return
        self.begin_read()
        try:
            yield self
        finally:
            self.end_read()

    # -- manifest
    def manifest(self) -> dict:
        return {k: json.loads(v) for k, v in self._rows(GET_MANIFEST)}

    def manifest_value(self, key: str):
        row = self._one(GET_MANIFEST_KEY, (key,))
        return json.loads(row[0]) if row else None

    def set_manifest(self, **values) -> None:
        self._many(SET_MANIFEST, [(k, json.dumps(v)) for k, v in values.items()])

    # -- articles
    def article(self, article_id: str) -> ArticleRow | None:
        row = self._one(GET_ARTICLE, (article_id,))
        return ArticleRow(*row) if row else None

    def article_by_row(self, rowid: int) -> ArticleRow | None:
        row = self._one(GET_ARTICLE_BY_ROW, (rowid,))
        return ArticleRow(*row) if row else None

    def ids_for_file(self, resolved: str) -> list[str]:
        """Articles loaded from the file `resolved`, or from any file under the folder `resolved`."""
        folder = resolved.rstrip(os.sep) + os.sep
        return [r[0] for r in self._rows(FIND_BY_FILE, (resolved, len(folder), folder))]

    def ids_for_stored_path(self, path: str) -> list[str]:
        return [r[0] for r in self._rows(FIND_BY_STORED_PATH, (path,))]

    def list_articles(self) -> list[ArticleListing]:
        return [ArticleListing(*r) for r in self._rows(LIST_ARTICLES)]

    def hash_of(self, article_id: str) -> StoredHash | None:
        row = self._one(HASH_OF, (article_id,))
        return StoredHash(*row) if row else None

    def simhashes(self) -> tuple[list[str], np.ndarray]:
        rows = self._rows(ALL_SIMHASHES)
        return [r[0] for r in rows], np.array([r[1] for r in rows], dtype=np.int64)

    def insert_article(self, doc, simhash: int, file: str | None) -> int:
        source_key = doc.source.casefold() if doc.source else None
        day = doc.published_at[:10] if doc.published_at else None
        cur = self._run(INSERT_ARTICLE, (doc.id, doc.title, doc.source, source_key, doc.published_at,
                                         day, doc.url, doc.path, doc.text, doc.content_hash, simhash))
        rowid = int(cur.lastrowid)
        if file:
            self._run(INSERT_FILE, (rowid, file))
        return rowid

    def insert_sentences(self, article: int, spans: Sequence[tuple[int, int]]) -> None:
        self._many(INSERT_SENTENCE, [(article, i, s, e) for i, (s, e) in enumerate(spans)])

    def insert_chunk(self, article: int, chunk, hash_: str) -> int:
        cur = self._run(INSERT_CHUNK, (article, chunk.ordinal, chunk.start, chunk.end,
                                       chunk.sent_lo, chunk.sent_hi, hash_))
        chunk_id = int(cur.lastrowid)
        self._run(INSERT_FTS, (chunk_id, chunk.text))
        return chunk_id

    def delete_article(self, rowid: int) -> list[int]:
        """Remove an article and everything hanging off it; returns its chunk ids."""
        ids = [r[0] for r in self._rows(CHUNK_IDS_OF, (rowid,))]
        for sql in (DELETE_FTS, DELETE_CHUNKS, DELETE_SENTENCES, DELETE_FILE, DELETE_ARTICLE):
            self._run(sql, (rowid,))
        return ids

    # -- embeddings cache
    def cached_vectors(self, hashes: Iterable[str]) -> dict[str, np.ndarray]:
        found = {}
        for h in hashes:
            row = self._one(GET_EMBEDDING, (h,))
            if row:
                found[h] = np.frombuffer(row[0], dtype=np.float32)
        return found

    def existing_vectors(self, hashes: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(hashes), 500):
            part = hashes[i:i + 500]
            sql = f"SELECT hash FROM embeddings WHERE hash IN ({','.join('?' * len(part))})"
            found.update(r[0] for r in self._rows(sql, part))
        return found

    def put_vectors(self, items: Iterable[tuple[str, np.ndarray]]) -> None:
        self._many(PUT_EMBEDDING, [(h, v.astype(np.float32).tobytes()) for h, v in items])

    def all_chunk_vectors(self, dimension: int) -> tuple[np.ndarray, np.ndarray]:
        rows = self._rows(ALL_CHUNK_VECTORS)
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros((0, dimension), dtype=np.float32)
        return (np.array([r[0] for r in rows], dtype=np.int64),
                np.vstack([np.frombuffer(r[1], dtype=np.float32) for r in rows]))

    def chunk_ids(self) -> np.ndarray:
        return np.array([r[0] for r in self._rows(ALL_CHUNK_IDS)], dtype=np.int64)

    def chunk_vectors(self, ids: Sequence[int]) -> dict[int, np.ndarray]:
        out: dict[int, np.ndarray] = {}
        for i in range(0, len(ids), 500):
            part = [int(x) for x in ids[i:i + 500]]
            sql = CHUNK_VECTORS_OF.format(marks=",".join("?" * len(part)))
            out.update((r[0], np.frombuffer(r[1], dtype=np.float32)) for r in self._rows(sql, part))
        return out

    # -- reading for search
    def count(self, what: str) -> int:
        return int(self._one(COUNT[what])[0])

    def chunk_rows(self, ids: Sequence[int]) -> dict[int, ChunkRow]:
        if not ids:
            return {}
        sql = CHUNK_ROWS.format(marks=",".join("?" * len(ids)))
        return {r[0]: ChunkRow(*r) for r in self._rows(sql, list(ids))}

    def sentences(self, article_rowid: int, lo: int, hi: int) -> list[SentenceSpan]:
        return [SentenceSpan(*r) for r in self._rows(SENTENCES_OF, (article_rowid, lo, hi))]

    def windows(self, article_rowid: int, lo: int, hi: int) -> list[Window]:
        """Chunks of an article touching sentences lo..hi, with their vectors."""
        return [Window(cid, s, e, sl, sh, np.frombuffer(v, dtype=np.float32))
                for cid, s, e, sl, sh, v in self._rows(WINDOWS, (article_rowid, lo, hi))]

    def outlets(self) -> list[OutletCount]:
        return [OutletCount(*r) for r in self._rows(OUTLETS)]

    def doc_freq(self, term: str, prefix: bool) -> int:
        hi = term + "\U0010ffff" if prefix else term + "\x00"
        return int(self._one(DOC_FREQ, (term, hi))[0] or 0)

    @staticmethod
    def filter_sql(sources: Sequence[str], since: str | None, until: str | None) -> tuple[str, list]:
        clauses, params = [], []
        if sources:
            clauses.append(f"a.source_key IN ({','.join('?' * len(sources))})")
            params += [s.casefold() for s in sources]
        if since:
            clauses.append("a.day >= ?")
            params.append(since)
        if until:
            clauses.append("a.day <= ?")
            params.append(until)
        return " AND ".join(clauses), params

    def filtered_chunk_ids(self, where: str, params: list) -> np.ndarray:
        rows = self._rows(FILTERED_CHUNK_IDS.format(where=where), params)
        return np.array([r[0] for r in rows], dtype=np.int64)

    def keyword_search(self, match: str, k: int, where: str = "", params: Sequence = ()) -> list[tuple[int, float]]:
        join = "JOIN chunks c ON c.id = f.rowid JOIN articles a ON a.rowid = c.article" if where else ""
        sql = KEYWORD_SEARCH.format(join=join, where=f"AND {where}" if where else "")
        try:
            return [(int(r), -float(s)) for r, s in self.db.execute(sql, [match, *params, k])]
        except sqlite3.OperationalError as exc:
            if "fts5" in str(exc) or "syntax" in str(exc):
                return []  # a query FTS5 cannot parse finds nothing
            raise translate(exc, self.path) from exc
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from exc

    # -- verification
    def integrity_problems(self, full: bool = False) -> list[str]:
        """SQLite's own check (quick, or the full integrity check) and the tables' agreement."""
        problems = []
        result = self._one("PRAGMA integrity_check" if full else "PRAGMA quick_check")[0]
        if result != "ok":
            return [f"SQLite integrity check: {one_line(result)}"]
        if self.count("fts") != self.count("chunks"):
            problems.append(f"keyword index has {self.count('fts')} rows for {self.count('chunks')} chunks")
        for label, sql in (("chunks without an article", ORPHAN_CHUNKS),
                           ("articles without chunks (half-written)", ARTICLES_WITHOUT_CHUNKS),
                           ("articles without sentences (half-written)", ARTICLES_WITHOUT_SENTENCES),
                           ("chunks without a vector", MISSING_VECTORS),
                           ("chunks outside their article's text", BAD_SPANS)):
            n = self._one(sql)[0]
            if n:
                problems.append(f"{n} {label}")
        return problems
