"""The index's SQLite schema and every query, as named constants (used by `index.embedded.store` only), and the
WHERE clause of the outlet and date filters."""

from __future__ import annotations

from collections.abc import Sequence

BASE_SCHEMA = """
CREATE TABLE IF NOT EXISTS manifest (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    rowid INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    title TEXT, source TEXT, source_key TEXT, published_at TEXT, day TEXT, url TEXT, path TEXT,
    content_hash TEXT NOT NULL,
    simhash INTEGER NOT NULL DEFAULT 0,
    chars INTEGER NOT NULL,  -- len(text) in characters
    crc INTEGER NOT NULL DEFAULT 0,  -- format 5: index.checksums.row_crc of every column above and the text
    text BLOB NOT NULL  -- format 4: zlib-compressed UTF-8 (index.packing), last so the small columns stay on the row's first page
);
CREATE INDEX IF NOT EXISTS articles_source ON articles(source_key);
CREATE INDEX IF NOT EXISTS articles_day ON articles(day);
CREATE INDEX IF NOT EXISTS articles_path ON articles(path);
-- format 4: one blob an article, the sentence spans in order (index.packing)
CREATE TABLE IF NOT EXISTS sentence_spans (article INTEGER PRIMARY KEY, spans BLOB NOT NULL,
    crc INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: a stale vector id can only miss, never mislead
    article INTEGER NOT NULL,
    ordinal INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    sent_lo INTEGER NOT NULL, sent_hi INTEGER NOT NULL,
    hash INTEGER NOT NULL,  -- index.writer.chunk_hash: 63 bits of the SHA-1 of the embedded text
    crc INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS chunks_article ON chunks(article);
-- contentless (format 3, issue 13): a window's text is its article's text[start:end], kept once in `articles`
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(text, content='', tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_vocab USING fts5vocab(chunks_fts, 'row');
-- Format 3 (issue 13): a rowid table keyed by the 63-bit hash, each vector as 384 bytes of 8-bit codes
CREATE TABLE IF NOT EXISTS embeddings (hash INTEGER PRIMARY KEY, vector BLOB NOT NULL, crc INTEGER NOT NULL DEFAULT 0);
"""
# Format 2 (issue 11): the resolved file an article was loaded from, for `index remove PATH`.
SOURCE_PATH_SCHEMA = """
CREATE TABLE IF NOT EXISTS article_files (
    article INTEGER PRIMARY KEY,  -- articles.rowid
    file TEXT NOT NULL            -- os.path.realpath of the file it was loaded from
);
CREATE INDEX IF NOT EXISTS article_files_file ON article_files(file);
"""
# Format 2 (issue 10): the named entities of each sentence, found by spaCy at index time (index.ingest.annotate).
# Format 4: one blob an article (index.embedded.packing), not a row an entity.
ENTITY_SCHEMA = """
CREATE TABLE IF NOT EXISTS article_entities (article INTEGER PRIMARY KEY, entities BLOB NOT NULL,
    crc INTEGER NOT NULL DEFAULT 0);
"""
# Segments (issue 13): chunk ids removed since the last merge whose vectors are still in a segment file
# (index.embedded.segments); a search drops them, a merge empties the table. Ids are never reused (chunks.id).
TOMBSTONE_SCHEMA = """
CREATE TABLE IF NOT EXISTS tombstones (id INTEGER PRIMARY KEY);
"""
# Issue 24: what a JSON article says of itself beyond the columns above (author, tags), one row an article
# that has any; added to older indexes by their next write, read only by the article viewer.
ARTICLE_META_SCHEMA = """
CREATE TABLE IF NOT EXISTS article_meta (
    article INTEGER PRIMARY KEY,  -- articles.rowid
    author TEXT,                  -- "A, B" when several
    tags TEXT NOT NULL            -- a JSON list of strings
);
"""
SCHEMA = BASE_SCHEMA + SOURCE_PATH_SCHEMA + ENTITY_SCHEMA + TOMBSTONE_SCHEMA + ARTICLE_META_SCHEMA
HAS_ARTICLE_META = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'article_meta'"
GET_ARTICLE_META = "SELECT author, tags FROM article_meta WHERE article = ?"
INSERT_ARTICLE_META = "INSERT OR REPLACE INTO article_meta(article, author, tags) VALUES (?, ?, ?)"
DELETE_ARTICLE_META = "DELETE FROM article_meta WHERE article = ?"

GET_MANIFEST = "SELECT key, value FROM manifest"
GET_MANIFEST_KEY = "SELECT value FROM manifest WHERE key = ?"
SET_MANIFEST = "INSERT OR REPLACE INTO manifest(key, value) VALUES (?, ?)"
HAS_MANIFEST_TABLE = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'manifest'"
# the first nine make an ArticleRow; the rest, with them, its checksum (index.embedded.checksums)
ARTICLE_COLUMNS = "rowid, id, title, source, published_at, url, path, text, content_hash, source_key, day, simhash, chars, crc"
GET_ARTICLE = f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?"
GET_ARTICLE_BY_ROW = f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE rowid = ?"
FIND_BY_FILE = """SELECT a.id FROM articles a JOIN article_files f ON f.article = a.rowid
    WHERE f.file = ? OR substr(f.file, 1, ?) = ? ORDER BY a.rowid"""
FILES_OF = """SELECT f.file FROM articles a JOIN article_files f ON f.article = a.rowid WHERE a.id = ?"""
FIND_BY_STORED_PATH = "SELECT id FROM articles WHERE path = ? ORDER BY rowid"
LIST_ARTICLES = "SELECT id, title, source, published_at, path FROM articles ORDER BY day, id"
HASH_OF = "SELECT rowid, content_hash FROM articles WHERE id = ?"
ALL_SIMHASHES = "SELECT id, simhash FROM articles"
# ids are given (the next of sqlite_sequence, as AUTOINCREMENT would) so that the checksum covers them
LAST_ID = "SELECT seq FROM sqlite_sequence WHERE name = ?"
INSERT_ARTICLE = """INSERT INTO articles(rowid, id, title, source, source_key, published_at, day, url, path,
    content_hash, simhash, chars, text, crc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
INSERT_FILE = "INSERT OR REPLACE INTO article_files(article, file) VALUES (?, ?)"
INSERT_SENTENCES = "INSERT OR REPLACE INTO sentence_spans(article, spans, crc) VALUES (?, ?, ?)"
INSERT_CHUNK = """INSERT INTO chunks(id, article, ordinal, start, end, sent_lo, sent_hi, hash, crc)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"""
INSERT_FTS = "INSERT INTO chunks_fts(rowid, text) VALUES (?, ?)"
# a chunk row as its checksum covers it (index.embedded.checksums.chunk_crc), then the checksum
CHUNK_COLUMNS = "c.id, c.article, c.ordinal, c.start, c.end, c.sent_lo, c.sent_hi, c.hash, c.crc"
CHUNKS_OF = f"SELECT {CHUNK_COLUMNS} FROM chunks c WHERE c.article = ?"
# a contentless FTS5 row is deleted by giving back the exact text it indexed
DELETE_FTS = "INSERT INTO chunks_fts(chunks_fts, rowid, text) VALUES ('delete', ?, ?)"
DELETE_CHUNKS = "DELETE FROM chunks WHERE article = ?"
DELETE_SENTENCES = "DELETE FROM sentence_spans WHERE article = ?"
INSERT_ENTITIES = "INSERT OR REPLACE INTO article_entities(article, entities, crc) VALUES (?, ?, ?)"
DELETE_ENTITIES = "DELETE FROM article_entities WHERE article = ?"
ENTITIES_OF = "SELECT entities, crc FROM article_entities WHERE article = ?"
DELETE_FILE = "DELETE FROM article_files WHERE article = ?"
DELETE_ARTICLE = "DELETE FROM articles WHERE rowid = ?"
GET_EMBEDDING = "SELECT vector, crc FROM embeddings WHERE hash = ?"
PUT_EMBEDDING = "INSERT OR IGNORE INTO embeddings(hash, vector, crc) VALUES (?, ?, ?)"
ALL_CHUNK_IDS = "SELECT id FROM chunks ORDER BY id"
CHUNK_VECTORS_AFTER = """SELECT c.id, e.vector, e.hash, e.crc FROM chunks c JOIN embeddings e ON e.hash = c.hash
    WHERE c.id > ? ORDER BY c.id LIMIT ?"""
CHUNK_VECTORS_OF = """SELECT c.id, e.vector, e.hash, e.crc FROM chunks c JOIN embeddings e ON e.hash = c.hash
    WHERE c.id IN ({marks})"""
HAS_TOMBSTONES_TABLE = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'tombstones'"
ALL_TOMBSTONES = "SELECT id FROM tombstones ORDER BY id"
ADD_TOMBSTONE = "INSERT OR IGNORE INTO tombstones(id) VALUES (?)"
REMOVE_TOMBSTONE = "DELETE FROM tombstones WHERE id = ?"
CLEAR_TOMBSTONES = "DELETE FROM tombstones"
LIVE_TOMBSTONES = "SELECT count(*) FROM tombstones t JOIN chunks c ON c.id = t.id"
COUNT = {"articles": "SELECT count(*) FROM articles", "chunks": "SELECT count(*) FROM chunks",
         "fts": "SELECT count(*) FROM chunks_fts", "embeddings": "SELECT count(*) FROM embeddings",
         "sentences": "SELECT count(*) FROM sentence_spans"}
CHUNK_ROWS = """SELECT c.id, a.id, c.start, c.end, c.sent_lo, c.sent_hi, a.rowid, c.article, c.ordinal, c.hash, c.crc
    FROM chunks c JOIN articles a ON a.rowid = c.article WHERE c.id IN ({marks})"""
SENTENCES_OF = "SELECT spans, crc FROM sentence_spans WHERE article = ?"
OUTLETS = "SELECT source, count(*) FROM articles WHERE source IS NOT NULL GROUP BY source_key ORDER BY 2 DESC"
FILTERED_CHUNK_IDS = "SELECT c.id FROM chunks c JOIN articles a ON a.rowid = c.article WHERE {where}"
KEYWORD_SEARCH = """SELECT f.rowid, bm25(chunks_fts) AS score FROM chunks_fts f {join}
    WHERE chunks_fts MATCH ? {where} ORDER BY score LIMIT ?"""
# the windows of chunks, article by article (index.embedded.tantivy_keywords): every chunk, or those of ids
WINDOW_SPANS = "SELECT id, article, start, end FROM chunks {where} ORDER BY article, id"
WINDOWS_AT = "SELECT id, article, start, end FROM chunks WHERE id IN ({marks})"
# FTS5's "averages" record (rowid 1 of its data table): varints, the table's rows, then its tokens (one column)
FTS_AVERAGES = "SELECT block FROM chunks_fts_data WHERE id = 1"
ARTICLE_KEYS = "SELECT text, source_key, day FROM articles WHERE rowid = ?"
DOC_FREQ = "SELECT sum(doc) FROM chunks_vocab WHERE term >= ? AND term < ?"
VOCABULARY = "SELECT term, doc FROM chunks_vocab WHERE term >= ? AND term < ? LIMIT ?"
WINDOWS = """SELECT c.id, c.start, c.end, c.sent_lo, c.sent_hi, e.vector, c.article, c.ordinal, c.hash, c.crc,
    e.crc FROM chunks c
    JOIN embeddings e ON e.hash = c.hash WHERE c.article = ? AND c.sent_hi >= ? AND c.sent_lo <= ?"""
ORPHAN_CHUNKS = "SELECT count(*) FROM chunks WHERE article NOT IN (SELECT rowid FROM articles)"
ARTICLES_WITHOUT_CHUNKS = "SELECT count(*) FROM articles WHERE rowid NOT IN (SELECT article FROM chunks)"
ARTICLES_WITHOUT_SENTENCES = "SELECT count(*) FROM articles WHERE rowid NOT IN (SELECT article FROM sentence_spans)"
MISSING_VECTORS = "SELECT count(*) FROM chunks c LEFT JOIN embeddings e ON e.hash = c.hash WHERE e.hash IS NULL"
BAD_SPANS = """SELECT count(*) FROM chunks c JOIN articles a ON a.rowid = c.article
    WHERE c.start < 0 OR c.end > a.chars OR c.start >= c.end"""


def filter_clause(outlets: Sequence[str], since: str | None, until: str | None,
                  no_outlet: bool = False, no_date: bool = False) -> tuple[str, list]:
    """(WHERE clause over `articles a`, parameters) for outlets and a date range; `no_outlet`/`no_date`
    also admit articles with no outlet/date (alone: only those)."""
    clauses, params = [], []
    outlet = []
    if outlets:
        outlet.append(f"a.source_key IN ({','.join('?' * len(outlets))})")
        params += [s.casefold() for s in outlets]
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

# -- every row with its checksum (index.embedded.row_checks); `{after}` pages through the large tables
CHECK_ARTICLES = f"SELECT {ARTICLE_COLUMNS} FROM articles"
CHECK_SPANS = "SELECT article, spans, crc FROM sentence_spans"
CHECK_ENTITIES = "SELECT article, entities, crc FROM article_entities"
CHECK_CHUNKS = f"SELECT {CHUNK_COLUMNS} FROM chunks c WHERE c.id >= ? ORDER BY c.id LIMIT ?"
CHECK_VECTORS = "SELECT hash, vector, crc FROM embeddings WHERE hash >= ? ORDER BY hash LIMIT ?"
FTS_CHECK = "INSERT INTO chunks_fts(chunks_fts) VALUES ('integrity-check')"
FTS_DELETE_ALL = "INSERT INTO chunks_fts(chunks_fts) VALUES ('delete-all')"
# format 4 -> 5: a checksum column in each checked table (index.embedded.row_checks.upgrade)
ADD_CRC = "ALTER TABLE {table} ADD COLUMN crc INTEGER NOT NULL DEFAULT 0"
CRC_TABLES = ("articles", "sentence_spans", "article_entities", "chunks", "embeddings")
HAS_CRC = "SELECT count(*) FROM pragma_table_info(?) WHERE name = 'crc'"
SET_CRC = {"articles": "UPDATE articles SET crc = ? WHERE rowid = ?",
           "sentence_spans": "UPDATE sentence_spans SET crc = ? WHERE article = ?",
           "article_entities": "UPDATE article_entities SET crc = ? WHERE article = ?",
           "chunks": "UPDATE chunks SET crc = ? WHERE id = ?",
           "embeddings": "UPDATE embeddings SET crc = ? WHERE hash = ?"}
PUT_VECTOR = "UPDATE embeddings SET vector = ?, crc = ? WHERE hash = ?"
DELETE_VECTOR = "DELETE FROM embeddings WHERE hash = ?"
# repair (index.embedded.repair)
CHUNK_HASHES = "SELECT id, hash, article, ordinal FROM chunks"
RAW_ARTICLE = "SELECT id, path FROM articles WHERE rowid = ?"
FILE_OF = "SELECT file FROM article_files WHERE article = ?"
ARTICLE_TEXTS = "SELECT {what} FROM articles ORDER BY rowid"
CHUNKS_BY_ARTICLE = "SELECT id, start, end FROM chunks WHERE article = ? ORDER BY id"
DELETE_CHUNK = "DELETE FROM chunks WHERE id = ?"
# every posting of the keyword index read once (a read-only stand-in for FTS5's integrity check)
FTS_WALK_TABLE = "CREATE VIRTUAL TABLE temp.fts_walk USING fts5vocab(main, chunks_fts, 'instance')"
FTS_WALK = "SELECT count(*), sum(doc), sum(offset) FROM temp.fts_walk"
# the keyword index as the windows' text makes it, in memory, to compare with the stored one
# (index.embedded.row_checks.keyword_problem); the tokenizer as chunks_fts's in BASE_SCHEMA
EXPECTED_FTS = """CREATE VIRTUAL TABLE temp.expected USING fts5(text, content='',
    tokenize='unicode61 remove_diacritics 2')"""
EXPECTED_WALK = "CREATE VIRTUAL TABLE temp.expected_walk USING fts5vocab(temp, expected, 'instance')"
INSERT_EXPECTED = "INSERT INTO temp.expected(rowid, text) VALUES (?, ?)"
KEYWORDS_DIFFER = """SELECT count(*) FROM (SELECT term, doc, offset FROM temp.fts_walk
    EXCEPT SELECT term, doc, offset FROM temp.expected_walk)"""
KEYWORDS_MISSING = """SELECT count(*) FROM (SELECT term, doc, offset FROM temp.expected_walk
    EXCEPT SELECT term, doc, offset FROM temp.fts_walk)"""
DROP_EXPECTED = ("DROP TABLE IF EXISTS temp.expected_walk", "DROP TABLE IF EXISTS temp.fts_walk",
                 "DROP TABLE IF EXISTS temp.expected")
