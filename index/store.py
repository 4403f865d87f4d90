"""SQLite holds everything but the vectors' search structure: articles, sentences, chunks,
an FTS5 keyword index, the embedding cache (by content hash) and the manifest.

All SQL lives here as named constants. One writer at a time (see `index.lock`); readers see the
last committed state (WAL).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.errors import IndexCorruptError

SCHEMA = """
CREATE TABLE IF NOT EXISTS manifest (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    rowid INTEGER PRIMARY KEY,
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
    id INTEGER PRIMARY KEY,
    article INTEGER NOT NULL,
    ordinal INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    sent_lo INTEGER NOT NULL, sent_hi INTEGER NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_article ON chunks(article);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(text, tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_vocab USING fts5vocab(chunks_fts, 'row');
CREATE TABLE IF NOT EXISTS embeddings (hash TEXT PRIMARY KEY, vector BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entities (
    article INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL, label TEXT NOT NULL,
    PRIMARY KEY (article, start)
) WITHOUT ROWID;
"""

GET_MANIFEST = "SELECT key, value FROM manifest"
SET_MANIFEST = "INSERT OR REPLACE INTO manifest(key, value) VALUES (?, ?)"
ARTICLE_COLUMNS = "rowid, id, title, source, published_at, url, path, text, content_hash"
GET_ARTICLE = f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?"
GET_ARTICLE_BY_ROW = f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE rowid = ?"
FIND_BY_PATH = "SELECT id FROM articles WHERE path = ? OR path LIKE ? || ':%'"
LIST_ARTICLES = "SELECT id, title, source, published_at, path FROM articles ORDER BY day, id"
HASH_OF = "SELECT rowid, content_hash FROM articles WHERE id = ?"
ALL_SIMHASHES = "SELECT id, simhash FROM articles"
INSERT_ARTICLE = """INSERT INTO articles(id, title, source, source_key, published_at, day, url, path,
    text, content_hash, simhash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
INSERT_SENTENCE = "INSERT INTO sentences(article, idx, start, end) VALUES (?, ?, ?, ?)"
INSERT_CHUNK = """INSERT INTO chunks(article, ordinal, start, end, sent_lo, sent_hi, hash)
    VALUES (?, ?, ?, ?, ?, ?, ?)"""
INSERT_FTS = "INSERT INTO chunks_fts(rowid, text) VALUES (?, ?)"
CHUNK_IDS_OF = "SELECT id FROM chunks WHERE article = ?"
DELETE_FTS = "DELETE FROM chunks_fts WHERE rowid IN (SELECT id FROM chunks WHERE article = ?)"
DELETE_CHUNKS = "DELETE FROM chunks WHERE article = ?"
DELETE_SENTENCES = "DELETE FROM sentences WHERE article = ?"
DELETE_ARTICLE = "DELETE FROM articles WHERE rowid = ?"
INSERT_ENTITY = "INSERT OR IGNORE INTO entities(article, start, end, label) VALUES (?, ?, ?, ?)"
DELETE_ENTITIES = "DELETE FROM entities WHERE article = ?"
ENTITIES_IN = "SELECT start, end, label FROM entities WHERE article = ? AND start >= ? AND start < ? ORDER BY start"
GET_EMBEDDING = "SELECT vector FROM embeddings WHERE hash = ?"
PUT_EMBEDDING = "INSERT OR IGNORE INTO embeddings(hash, vector) VALUES (?, ?)"
ALL_CHUNK_VECTORS = """SELECT c.id, e.vector FROM chunks c JOIN embeddings e ON e.hash = c.hash
    ORDER BY c.id"""
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
VOCABULARY = "SELECT term, doc FROM chunks_vocab WHERE term >= ? AND term < ? LIMIT ?"
WINDOWS = """SELECT c.id, c.start, c.end, c.sent_lo, c.sent_hi, e.vector FROM chunks c
    JOIN embeddings e ON e.hash = c.hash WHERE c.article = ? AND c.sent_hi >= ? AND c.sent_lo <= ?"""
ORPHAN_CHUNKS = "SELECT count(*) FROM chunks WHERE article NOT IN (SELECT rowid FROM articles)"
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


class Store:
    """A small data-access layer over one SQLite file."""

    def __init__(self, path: Path, readonly: bool = False):
        self.path = path
        try:
            if readonly:
                self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            else:
                self.db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
                self.db.executescript(SCHEMA)
            self.db.execute("SELECT count(*) FROM manifest").fetchone()
        except sqlite3.DatabaseError as exc:
            raise IndexCorruptError(f"The index database {path} is damaged ({exc}); "
                                    "rebuild it with: byline index build --rebuild PATH") from exc

    def close(self) -> None:
        self.db.close()

    # -- transactions
    def begin(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.db.execute("COMMIT")

    def rollback(self) -> None:
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")

    # -- manifest
    def manifest(self) -> dict:
        return {k: json.loads(v) for k, v in self.db.execute(GET_MANIFEST)}

    def set_manifest(self, **values) -> None:
        self.db.executemany(SET_MANIFEST, [(k, json.dumps(v)) for k, v in values.items()])

    # -- articles
    def article(self, article_id: str) -> ArticleRow | None:
        row = self.db.execute(GET_ARTICLE, (article_id,)).fetchone()
        return ArticleRow(*row) if row else None

    def article_by_row(self, rowid: int) -> ArticleRow | None:
        row = self.db.execute(GET_ARTICLE_BY_ROW, (rowid,)).fetchone()
        return ArticleRow(*row) if row else None

    def ids_for_path(self, path: str) -> list[str]:
        return [r[0] for r in self.db.execute(FIND_BY_PATH, (path, path))]

    def list_articles(self) -> list[tuple]:
        return self.db.execute(LIST_ARTICLES).fetchall()

    def hash_of(self, article_id: str) -> tuple[int, str] | None:
        return self.db.execute(HASH_OF, (article_id,)).fetchone()

    def simhashes(self) -> tuple[list[str], np.ndarray]:
        rows = self.db.execute(ALL_SIMHASHES).fetchall()
        return [r[0] for r in rows], np.array([r[1] for r in rows], dtype=np.int64)

    def insert_article(self, doc, simhash: int) -> int:
        source_key = doc.source.casefold() if doc.source else None
        day = doc.published_at[:10] if doc.published_at else None
        cur = self.db.execute(INSERT_ARTICLE, (doc.id, doc.title, doc.source, source_key, doc.published_at,
                                               day, doc.url, doc.path, doc.text, doc.content_hash, simhash))
        return int(cur.lastrowid)

    def insert_sentences(self, article: int, spans: Sequence[tuple[int, int]]) -> None:
        self.db.executemany(INSERT_SENTENCE, [(article, i, s, e) for i, (s, e) in enumerate(spans)])

    def insert_entities(self, article: int, entities: Iterable) -> None:
        self.db.executemany(INSERT_ENTITY, [(article, e.start, e.end, e.label) for e in entities])

    def insert_chunk(self, article: int, chunk, hash_: str) -> int:
        cur = self.db.execute(INSERT_CHUNK, (article, chunk.ordinal, chunk.start, chunk.end,
                                             chunk.sent_lo, chunk.sent_hi, hash_))
        chunk_id = int(cur.lastrowid)
        self.db.execute(INSERT_FTS, (chunk_id, chunk.text))
        return chunk_id

    def delete_article(self, rowid: int) -> list[int]:
        """Remove an article and everything hanging off it; returns its chunk ids."""
        ids = [r[0] for r in self.db.execute(CHUNK_IDS_OF, (rowid,))]
        self.db.execute(DELETE_FTS, (rowid,))
        self.db.execute(DELETE_CHUNKS, (rowid,))
        self.db.execute(DELETE_SENTENCES, (rowid,))
        self.db.execute(DELETE_ENTITIES, (rowid,))
        self.db.execute(DELETE_ARTICLE, (rowid,))
        return ids

    # -- embeddings cache
    def cached_vectors(self, hashes: Iterable[str]) -> dict[str, np.ndarray]:
        found = {}
        for h in hashes:
            row = self.db.execute(GET_EMBEDDING, (h,)).fetchone()
            if row:
                found[h] = np.frombuffer(row[0], dtype=np.float32)
        return found

    def existing_vectors(self, hashes: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(hashes), 500):
            part = hashes[i:i + 500]
            sql = f"SELECT hash FROM embeddings WHERE hash IN ({','.join('?' * len(part))})"
            found.update(r[0] for r in self.db.execute(sql, part))
        return found

    def put_vectors(self, items: Iterable[tuple[str, np.ndarray]]) -> None:
        self.db.executemany(PUT_EMBEDDING, [(h, v.astype(np.float32).tobytes()) for h, v in items])

    def all_chunk_vectors(self, dimension: int) -> tuple[np.ndarray, np.ndarray]:
        ids, vecs = [], []
        for cid, blob in self.db.execute(ALL_CHUNK_VECTORS):
            ids.append(cid)
            vecs.append(np.frombuffer(blob, dtype=np.float32))
        if not ids:
            return np.zeros(0, dtype=np.int64), np.zeros((0, dimension), dtype=np.float32)
        return np.array(ids, dtype=np.int64), np.vstack(vecs)

    # -- reading for search
    def count(self, what: str) -> int:
        return int(self.db.execute(COUNT[what]).fetchone()[0])

    def chunk_rows(self, ids: Sequence[int]) -> dict[int, ChunkRow]:
        if not ids:
            return {}
        sql = CHUNK_ROWS.format(marks=",".join("?" * len(ids)))
        return {r[0]: ChunkRow(*r) for r in self.db.execute(sql, list(ids))}

    def sentences(self, article_rowid: int, lo: int, hi: int) -> list[tuple[int, int, int]]:
        return self.db.execute(SENTENCES_OF, (article_rowid, lo, hi)).fetchall()

    def entities(self, article_rowid: int, start: int, end: int) -> list[tuple[int, int, str]]:
        """(start, end, label) of the named entities that begin inside [start, end) of an article."""
        return self.db.execute(ENTITIES_IN, (article_rowid, start, end)).fetchall()

    def windows(self, article_rowid: int, lo: int, hi: int) -> list[tuple[int, int, int, int, int, np.ndarray]]:
        """Chunks of an article touching sentences lo..hi, with their vectors."""
        return [(cid, s, e, sl, sh, np.frombuffer(v, dtype=np.float32))
                for cid, s, e, sl, sh, v in self.db.execute(WINDOWS, (article_rowid, lo, hi))]

    def outlets(self) -> list[tuple[str, int]]:
        return self.db.execute(OUTLETS).fetchall()

    def doc_freq(self, term: str, prefix: bool) -> int:
        hi = term + "\U0010ffff" if prefix else term + "\x00"
        return int(self.db.execute(DOC_FREQ, (term, hi)).fetchone()[0] or 0)

    def vocabulary(self, prefix: str, limit: int) -> list[tuple[str, int]]:
        """Indexed words starting with `prefix`, with the number of chunks holding each."""
        return self.db.execute(VOCABULARY, (prefix, prefix + "\U0010ffff", limit)).fetchall()

    @staticmethod
    def filter_sql(sources: Sequence[str], since: str | None, until: str | None,
                   no_outlet: bool = False, no_date: bool = False) -> tuple[str, list]:
        """`no_outlet`/`no_date` also admit articles with no outlet/date (alone: only those)."""
        clauses, params = [], []
        outlet = []
        if sources:
            outlet.append(f"a.source_key IN ({','.join('?' * len(sources))})")
            params += [s.casefold() for s in sources]
        if no_outlet:
            outlet.append("a.source_key IS NULL")
        if outlet:
            clauses.append("(" + " OR ".join(outlet) + ")")
        dated = []
        if since:
            dated.append("a.day >= ?")
            params.append(since)
        if until:
            dated.append("a.day <= ?")
            params.append(until)
        day = [" AND ".join(dated)] if dated else []
        if no_date:
            day.append("a.day IS NULL")
        if day:
            clauses.append("(" + " OR ".join(f"({d})" for d in day) + ")")
        return " AND ".join(clauses), params

    def filtered_chunk_ids(self, where: str, params: list) -> np.ndarray:
        rows = self.db.execute(FILTERED_CHUNK_IDS.format(where=where), params).fetchall()
        return np.array([r[0] for r in rows], dtype=np.int64)

    def keyword_search(self, match: str, k: int, where: str = "", params: Sequence = ()) -> list[tuple[int, float]]:
        join = "JOIN chunks c ON c.id = f.rowid JOIN articles a ON a.rowid = c.article" if where else ""
        sql = KEYWORD_SEARCH.format(join=join, where=f"AND {where}" if where else "")
        try:
            return [(int(r), -float(s)) for r, s in self.db.execute(sql, [match, *params, k])]
        except sqlite3.OperationalError:
            return []

    # -- verification
    def integrity_problems(self) -> list[str]:
        problems = []
        result = self.db.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            problems.append(f"SQLite integrity check: {result}")
        if self.count("fts") != self.count("chunks"):
            problems.append(f"keyword index has {self.count('fts')} rows for {self.count('chunks')} chunks")
        for label, sql in (("chunks without an article", ORPHAN_CHUNKS),
                           ("chunks without a vector", MISSING_VECTORS),
                           ("chunks outside their article's text", BAD_SPANS)):
            n = self.db.execute(sql).fetchone()[0]
            if n:
                problems.append(f"{n} {label}")
        return problems
