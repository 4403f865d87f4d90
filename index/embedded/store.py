"""SQLite holds everything but the vectors' search structure: articles, sentences, chunks,
an FTS5 keyword index, the embedding cache (8-bit codes by content hash, see `index.embedding.quantize`)
and the manifest.

All SQL lives in `index.embedded.sql` as named constants. One writer at a time (see `index.embedded.lock`); readers see the
last committed state (WAL) and read one snapshot inside a read transaction (`Store.reading`).
Every SQLite error leaves this module as a `BylineError` with one line (see `translate`).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import numpy as np

from index.embedded.checksums import ENTITIES, SPANS, article_crc, check, chunk_crc, damaged, row_crc, vector_crc
from index.errors import IndexBusyError, IndexCorruptError, IndexReadOnlyError
from index.embedded.packing import (Unpacked, pack_entities, pack_spans, pack_text, unpack_entities, unpack_spans,
                                    unpack_text, varint)
from index.embedding.quantize import decode, from_blob, to_blob
from index.terms import folded, tokenized
from index.rows import ArticleListing, ArticleRow, ChunkRow, OutletCount, SentenceSpan, StoredHash, Window
from index.embedded.sql import (
    SCHEMA, GET_MANIFEST, GET_MANIFEST_KEY,
    SET_MANIFEST, HAS_MANIFEST_TABLE, GET_ARTICLE, GET_ARTICLE_BY_ROW,
    FIND_BY_FILE, FILES_OF, FIND_BY_STORED_PATH, LIST_ARTICLES, HAS_ARTICLE_META, GET_ARTICLE_META,
    INSERT_ARTICLE_META, DELETE_ARTICLE_META, HASH_OF, ALL_SIMHASHES,
    INSERT_ARTICLE, INSERT_FILE, INSERT_SENTENCES, INSERT_CHUNK, INSERT_FTS,
    CHUNKS_OF, LAST_ID, DELETE_FTS, DELETE_CHUNKS, DELETE_SENTENCES, DELETE_FILE,
    DELETE_ARTICLE, GET_EMBEDDING, PUT_EMBEDDING, ALL_CHUNK_IDS, CHUNK_VECTORS_AFTER,
    CHUNK_VECTORS_OF, COUNT, CHUNK_ROWS, SENTENCES_OF, OUTLETS, WINDOWS_AT, FTS_AVERAGES,
    FILTERED_CHUNK_IDS, KEYWORD_SEARCH, DOC_FREQ, VOCABULARY, WINDOWS,
    INSERT_ENTITIES, DELETE_ENTITIES, ENTITIES_OF, filter_clause,
    HAS_TOMBSTONES_TABLE, ALL_TOMBSTONES, ADD_TOMBSTONE, REMOVE_TOMBSTONE, CLEAR_TOMBSTONES, LIVE_TOMBSTONES,
)


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


READER_CACHE_KB = 16 * 1024  # SQLite page cache of a read-only connection


WINDOW_TOKENS = 20_000  # windows whose tokens are kept for keyword scoring (`Store.window_tokens`): about 8 MB


class Store:
    """A small data-access layer over one SQLite file.

    mode "rw": a writer's connection (WAL, full sync); "ro": read-only (no lock, no write);
    "immutable": read-only for a directory nobody can write (no -wal/-shm files needed)."""

    def __init__(self, path: Path, mode: str = "rw"):
        self.path = path
        self.mode = mode
        self.in_read = False
        self._unpacked = Unpacked()  # (what, article rowid) -> its unpacked text, spans or entities
        self._tokens: dict[int, tuple[str, int]] = {}  # window id -> its tokens (`window_tokens`)
        self._last: dict[str, int] = {}  # table -> the last id given in this transaction
        try:
            if mode == "rw":
                self.db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=FULL")  # a commit survives a power cut, not only a kill
            else:
                query = "mode=ro&immutable=1" if mode == "immutable" else "mode=ro"
                self.db = sqlite3.connect(f"{path.resolve().as_uri()}?{query}", uri=True,
                                          check_same_thread=False, isolation_level=None)
                # a reader's page cache: 16 MB, not SQLite's 2 MB, holds the keyword index pages a question's
                # FTS5 searches and word counts walk again and again (8% off those searches on the MultiHop index)
                self.db.execute(f"PRAGMA cache_size=-{READER_CACHE_KB}")
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

    def truncate_log(self) -> None:
        """Copy the write-ahead log into the database and empty it, when no reader holds it (else
        the next write does). A build writes as much log as it adds (100 MB of -wal beside a
        3k-article index, a third of its size, before this); readers then open no long log."""
        try:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        except sqlite3.Error:
            pass  # busy: a reader holds the log; it stays, whole and valid

    # -- transactions
    def begin(self) -> None:
        self._last.clear()
        self._run("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self._run("COMMIT")

    def rollback(self) -> None:
        self._last.clear()
        if self.db.in_transaction:
            self._run("ROLLBACK")

    def begin_read(self) -> None:
        """A read transaction: every read until `end_read` sees one committed state."""
        self._run("BEGIN")
        self.in_read = True

    def end_read(self) -> None:
        self.in_read = False
        try:
            open_transaction = self.db.in_transaction
        except sqlite3.ProgrammingError:  # closed (the database was swapped while reopening)
            return
        if open_transaction:
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
    def _article(self, row) -> ArticleRow | None:
        if not row:
            return None
        check(self.path, article_crc(row), row[13], f"the stored row of article {row[1]!r}")
        return ArticleRow(*row[:7], self._unpacked.get(("text", row[0]), lambda: unpack_text(row[7])), row[8])

    def article(self, article_id: str) -> ArticleRow | None:
        """The whole article, with its author and tags (which only the viewer reads)."""
        row = self._article(self._one(GET_ARTICLE, (article_id,)))
        if row is None or not self._one(HAS_ARTICLE_META)[0]:  # an index no write has touched since issue 24
            return row
        meta = self._one(GET_ARTICLE_META, (row.rowid,))
        return replace(row, author=meta[0], tags=tuple(json.loads(meta[1]))) if meta else row

    def article_by_row(self, rowid: int) -> ArticleRow | None:  # kept: a question reads each of its articles often
        return self._unpacked.get(("row", rowid), lambda: self._article(self._one(GET_ARTICLE_BY_ROW, (rowid,))))

    def ids_for_file(self, resolved: str) -> list[str]:
        """Articles loaded from the file `resolved`, or from any file under the folder `resolved`."""
        folder = resolved.rstrip(os.sep) + os.sep
        return [r[0] for r in self._rows(FIND_BY_FILE, (resolved, len(folder), folder))]

    def files_of(self, article_id: str) -> list[str]:
        """The resolved files an article was loaded from (none for one added as a document)."""
        return [r[0] for r in self._rows(FILES_OF, (article_id,))]

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

    def _next_id(self, table: str) -> int:
        """The id AUTOINCREMENT would give next (given explicitly, so that the checksum covers it)."""
        if table not in self._last:
            row = self._one(LAST_ID, (table,))
            self._last[table] = int(row[0]) if row else 0
        self._last[table] += 1
        return self._last[table]

    def insert_article(self, doc, simhash: int, file: str | None) -> int:
        source_key = doc.source.casefold() if doc.source else None
        day = doc.published_at[:10] if doc.published_at else None
        rowid = self._next_id("articles")
        row = [rowid, doc.id, doc.title, doc.source, doc.published_at, doc.url, doc.path, pack_text(doc.text),
               doc.content_hash, source_key, day, int(simhash), len(doc.text)]
        self._run(INSERT_ARTICLE, (*row[:4], source_key, doc.published_at, day, doc.url, doc.path,
                                   doc.content_hash, int(simhash), len(doc.text), row[7], article_crc(row)))
        if file:
            self._run(INSERT_FILE, (rowid, file))
        if doc.author or doc.tags:
            self._run(INSERT_ARTICLE_META, (rowid, doc.author, json.dumps(list(doc.tags), ensure_ascii=False)))
        return rowid

    def insert_sentences(self, article: int, spans: Sequence[tuple[int, int]]) -> None:
        blob = pack_spans(spans)
        self._run(INSERT_SENTENCES, (article, blob, row_crc(SPANS, (article,), blob)))

    def insert_entities(self, article: int, entities: Iterable) -> None:
        blob = pack_entities(entities)
        self._run(INSERT_ENTITIES, (article, blob, row_crc(ENTITIES, (article,), blob)))

    def insert_chunk(self, article: int, chunk, hash_: int) -> int:
        row = (self._next_id("chunks"), article, chunk.ordinal, chunk.start, chunk.end, chunk.sent_lo,
               chunk.sent_hi, int(hash_))
        self._run(INSERT_CHUNK, (*row, chunk_crc(row)))
        self._run(INSERT_FTS, (row[0], chunk.text))
        return row[0]

    def chunks_of(self, rowid: int) -> list[tuple]:
        """The chunk rows of an article (`index.embedded.sql.CHUNK_COLUMNS`), each checked."""
        rows = self._rows(CHUNKS_OF, (rowid,))
        for r in rows:
            if chunk_crc(r) != r[8]:
                raise damaged(self.path, f"window {r[0]}")
        return rows

    def delete_article(self, rowid: int) -> list[int]:
        """Remove an article and everything hanging off it; returns its chunk ids."""
        chunks = self.chunks_of(rowid)
        article = self.article_by_row(rowid)  # checked
        if article and chunks:
            self._many(DELETE_FTS, [(r[0], article.text[r[3]:r[4]]) for r in chunks])
        self.delete_rows(rowid)
        return [r[0] for r in chunks]

    def delete_rows(self, rowid: int) -> None:
        """An article's rows, its keyword rows left as they are (`delete_article`; `index.embedded.repair`)."""
        for sql in (DELETE_CHUNKS, DELETE_SENTENCES, DELETE_ENTITIES, DELETE_FILE, DELETE_ARTICLE_META, DELETE_ARTICLE):
            self._run(sql, (rowid,))

    # -- embeddings cache
    def cached_vectors(self, hashes: Iterable[str]) -> dict[str, np.ndarray]:
        found = {}
        for h in hashes:
            row = self._one(GET_EMBEDDING, (h,))
            if row:
                check(self.path, vector_crc(h, row[0]), row[1], f"the stored vector {h}")
                found[h] = from_blob(row[0])
        return found

    def existing_vectors(self, hashes: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(hashes), 500):
            part = hashes[i:i + 500]
            sql = f"SELECT hash FROM embeddings WHERE hash IN ({','.join('?' * len(part))})"
            found.update(r[0] for r in self._rows(sql, part))
        return found

    def put_vectors(self, items: Iterable[tuple[str, np.ndarray]]) -> None:
        blobs = [(int(h), to_blob(v)) for h, v in items]  # 8-bit codes (index.embedding.quantize)
        self._many(PUT_EMBEDDING, [(h, b, vector_crc(h, b)) for h, b in blobs])

    def _checked_codes(self, rows: list) -> bytes:
        """The codes of (chunk id, vector, hash, crc) rows, each checked."""
        for r in rows:
            if vector_crc(r[2], r[1]) != r[3]:
                raise damaged(self.path, f"the stored vector of window {r[0]}")
        return b"".join(r[1] for r in rows)

    def all_chunk_vectors(self, dimension: int) -> tuple[np.ndarray, np.ndarray]:
        none = (np.zeros(0, np.int64), np.zeros((0, dimension), np.float32))
        blocks = [*self.chunk_vector_blocks(dimension, 1 << 20)] or [none]
        return np.concatenate([b[0] for b in blocks]), np.vstack([b[1] for b in blocks])

    def chunk_vector_blocks(self, dimension: int, block: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Every live vector as (ids, float32 rows) blocks of up to `block`, in id order (index.embedded.merging)."""
        last = -1
        while rows := self._rows(CHUNK_VECTORS_AFTER, (last, block)):
            last = rows[-1][0]
            yield (np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)),
                   decode(np.frombuffer(self._checked_codes(rows), dtype=np.uint8).reshape(len(rows), dimension)))

    def chunk_ids(self) -> np.ndarray:
        """Every chunk id, in order, read as a stream (a list of rows held 1.3 GB at 14M windows)."""
        return np.fromiter((r[0] for r in self._run(ALL_CHUNK_IDS)), dtype=np.int64)

    def chunk_vectors(self, ids: Sequence[int]) -> dict[int, np.ndarray]:
        found, rows = self.chunk_vector_rows(ids)
        return dict(zip(found.tolist(), rows))

    def chunk_vector_rows(self, ids: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """(the ids found, their float32 rows) of `ids`, in no set order, 500 a query, decoded at once."""
        found, codes = [], []
        for i in range(0, len(ids), 500):
            part = [int(x) for x in ids[i:i + 500]]
            rows = self._rows(CHUNK_VECTORS_OF.format(marks=",".join("?" * len(part))), part)
            found += [r[0] for r in rows]
            codes.append(self._checked_codes(rows))
        if not found:
            return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
        return (np.array(found, dtype=np.int64),
                decode(np.frombuffer(b"".join(codes), dtype=np.uint8).reshape(len(found), -1)))

    # -- tombstones: removed chunk ids whose vectors a segment file still holds (index.embedded.segments)
    def tombstones(self) -> np.ndarray:
        """An index written before segments has no table, hence no tombstones."""
        if not self._one(HAS_TOMBSTONES_TABLE)[0]:
            return np.zeros(0, dtype=np.int64)
        return np.array([r[0] for r in self._rows(ALL_TOMBSTONES)], dtype=np.int64)

    def add_tombstones(self, ids: Iterable[int]) -> None:
        self._many(ADD_TOMBSTONE, [(int(i),) for i in ids])

    def remove_tombstones(self, ids: Iterable[int]) -> None:
        self._many(REMOVE_TOMBSTONE, [(int(i),) for i in ids])

    def clear_tombstones(self) -> None:
        self._run(CLEAR_TOMBSTONES)

    def live_tombstones(self) -> int:
        """Tombstoned ids that are live chunks again (never, unless damaged)."""
        return int(self._one(LIVE_TOMBSTONES)[0]) if self._one(HAS_TOMBSTONES_TABLE)[0] else 0

    # -- reading for search
    def count(self, what: str) -> int:
        return int(self._one(COUNT[what])[0])

    def chunk_rows(self, ids: Sequence[int]) -> dict[int, ChunkRow]:
        if not ids:
            return {}
        sql = CHUNK_ROWS.format(marks=",".join("?" * len(ids)))
        rows = self._rows(sql, list(ids))
        for r in rows:  # (c.id, a.id, start, end, sent_lo, sent_hi, a.rowid, article, ordinal, hash, crc)
            if chunk_crc((r[0], r[7], r[8], r[2], r[3], r[4], r[5], r[9])) != r[10]:
                raise damaged(self.path, f"window {r[0]}")
        return {r[0]: ChunkRow(*r[:7]) for r in rows}

    def _unpack(self, what: str, sql: str, article_rowid: int, unpack) -> list:
        tag = SPANS if what == "sentences" else ENTITIES

        def load():
            row = self._one(sql, (article_rowid,))
            if not row:
                return None
            check(self.path, row_crc(tag, (article_rowid,), row[0]), row[1],
                  f"the stored {what} of the article in row {article_rowid}")
            return unpack(row[0])

        return self._unpacked.get((what, article_rowid), load) or []

    def sentences(self, article_rowid: int, lo: int, hi: int) -> list[SentenceSpan]:
        spans = self._unpack("sentences", SENTENCES_OF, article_rowid, unpack_spans)
        return [SentenceSpan(i, s, e) for i, (s, e) in enumerate(spans[max(lo, 0):hi + 1], start=max(lo, 0))]

    def windows(self, article_rowid: int, lo: int, hi: int) -> list[Window]:
        """Chunks of an article touching sentences lo..hi, with their vectors."""
        rows = self._rows(WINDOWS, (article_rowid, lo, hi))
        for cid, s, e, sl, sh, v, article, ordinal, h, crc, vcrc in rows:
            if chunk_crc((cid, article, ordinal, s, e, sl, sh, h)) != crc or vector_crc(h, v) != vcrc:
                raise damaged(self.path, f"window {cid} or its stored vector")
        if len({len(r[5]) for r in rows}) != 1:
            return [Window(r[0], r[1], r[2], r[3], r[4], from_blob(r[5])) for r in rows]
        # one decode for all the codes (about 40 windows a call): the same float32 values as row by row
        vectors = decode(np.frombuffer(b"".join(r[5] for r in rows), dtype=np.uint8).reshape(len(rows), -1))
        return [Window(r[0], r[1], r[2], r[3], r[4], v) for r, v in zip(rows, vectors)]

    def outlets(self) -> list[OutletCount]:
        return [OutletCount(*r) for r in self._rows(OUTLETS)]

    def entities(self, article_rowid: int, start: int, end: int) -> list[tuple[int, int, str]]:
        """(start, end, label) of the named entities that begin inside [start, end) of an article."""
        found = self._unpack("entities", ENTITIES_OF, article_rowid, unpack_entities)
        return [e for e in found if start <= e[0] < end]

    def vocabulary(self, prefix: str, limit: int) -> list[tuple[str, int]]:
        """Indexed words starting with `prefix`, with the number of chunks holding each."""
        return self._rows(VOCABULARY, (prefix, prefix + "\U0010ffff", limit))

    def doc_freq(self, term: str, prefix: bool) -> int:
        hi = term + "\U0010ffff" if prefix else term + "\x00"
        return int(self._one(DOC_FREQ, (term, hi))[0] or 0)

    filter_sql = staticmethod(filter_clause)  # the SQL of the outlet and date filters (index.embedded.sql)

    def filtered_chunk_ids(self, where: str, params: list) -> np.ndarray:
        rows = self._rows(FILTERED_CHUNK_IDS.format(where=where), params)
        return np.array([r[0] for r in rows], dtype=np.int64)

    def window_tokens(self, ids: Sequence[int]) -> dict[int, tuple[str, int]]:
        """Each window's tokens as FTS5 tokenized it, joined by spaces, and their count (`index.terms.tokenized`);
        kept, up to `WINDOW_TOKENS` windows (then all let go): a window never changes, its id is never reused."""
        kept = self._tokens
        out = {}
        for i in ids:
            found = kept.get(i)
            if found is not None:
                out[i] = found
        missing = [i for i in ids if i not in out]
        if missing:
            if len(kept) + len(missing) > WINDOW_TOKENS:
                kept.clear()
            for cid, article, start, end in self._rows(WINDOWS_AT.format(marks=",".join("?" * len(missing))), missing):
                row = self.article_by_row(article)
                if row is not None:  # an article is folded once for all its windows, when it is ASCII
                    whole = self._unpacked.get(("folded", article), lambda: folded(row.text) or "")
                    out[cid] = kept[cid] = tokenized(row.text[start:end], whole[start:end] if whole else None)
        return out

    def keyword_totals(self) -> tuple[int, int]:
        """The rows of the keyword table and the tokens they hold, as FTS5 counts them for bm25() (its
        averages record); (0, 0) for an empty table."""
        row = self._one(FTS_AVERAGES)
        if not row or not row[0]:
            return 0, 0
        rows, at = varint(row[0], 0)
        tokens, _ = varint(row[0], at)
        return rows, tokens

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
