"""Every stored row against its checksum (`index.embedded.checksums`), FTS5's own integrity check, and the
format 4 -> 5 upgrade that adds the checksums to an existing index.

`scan` reads every checked row (or, for a quick `verify`, every article-level row and a window of
the large tables) and says which fail: `verify` reports them, a writer refuses to write beside
them (`index.embedded.writer`), and `repair` mends them (`index.embedded.repair`). A row SQLite cannot read at all
(a damaged page) is reported as unreadable.
"""

from __future__ import annotations

import sqlite3
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from index.embedded import checked
from index.embedded.checksums import ENTITIES, SPANS, article_crc, chunk_crc, row_crc, vector_crc
from index.errors import BylineError, IndexCorruptError
from index.embedded.lock import writer_lock
from index.embedded.sql import (ADD_CRC, ARTICLES_WITHOUT_CHUNKS, ARTICLES_WITHOUT_SENTENCES, BAD_SPANS, CHECK_ARTICLES,
                       CHECK_CHUNKS, CHECK_ENTITIES, CHECK_SPANS, CHECK_VECTORS, CRC_TABLES, DROP_EXPECTED, EXPECTED_FTS, EXPECTED_WALK, FTS_CHECK, FTS_WALK,
                       FTS_WALK_TABLE, INSERT_EXPECTED, KEYWORDS_DIFFER, KEYWORDS_MISSING, ARTICLE_TEXTS, CHUNKS_BY_ARTICLE, HAS_CRC,
                       MISSING_VECTORS, ORPHAN_CHUNKS, SET_CRC)

PAGE = 16_384  # rows of the large tables read at a time
QUICK_ROWS = 200_000  # windows and vectors a quick verify checks (all of them with --full)
FTS_BUSY_MS = 500  # a quick look: the check needs the write lock, and a writer may hold it


@dataclass
class Damage:
    """Rows whose checksum fails: article rowids, windows (chunk id -> the article its row names)
    and stored vectors (by hash); `unreadable`: what SQLite said when a table could not be read."""

    articles: set[int] = field(default_factory=set)
    spans: set[int] = field(default_factory=set)
    entities: set[int] = field(default_factory=set)
    chunks: dict[int, int] = field(default_factory=dict)
    vectors: set[int] = field(default_factory=set)
    unreadable: str | None = None

    @property
    def rows(self) -> int:
        return len(self.articles) + len(self.spans) + len(self.entities) + len(self.chunks) + len(self.vectors)

    def problems(self, db: Path, fix: bool = True) -> list[str]:
        then = f" (byline index repair --index {db.parent})" if fix else ""
        out = [f"the database cannot be read ({self.unreadable}){then}"] if self.unreadable else []
        parts = [f"{len(v)} {label}" for label, v in (
            ("article rows", self.articles), ("sentence rows", self.spans), ("entity rows", self.entities),
            ("window rows", self.chunks), ("stored vectors", self.vectors)) if v]
        if parts:
            out.append(f"{', '.join(parts)} fail their checksums{then}")
        return out


def _paged(store, sql: str, limit: int | None):
    """Rows of a large table a page at a time (first column the key), `limit` rows at most."""
    after, seen = -(1 << 63), 0
    while rows := store.db.execute(sql, (after, PAGE)).fetchall():
        yield from rows
        seen += len(rows)
        if limit is not None and seen >= limit:
            return
        after = rows[-1][0] + 1


def scan(store, full: bool = True) -> Damage:
    """Rows of `store` whose checksum fails (with `full` false, the first QUICK_ROWS windows and
    vectors only)."""
    out, limit = Damage(), None if full else QUICK_ROWS
    try:
        for row in store.db.execute(CHECK_ARTICLES):
            if article_crc(row) != row[13]:
                out.articles.add(row[0])
        for sql, tag, found in ((CHECK_SPANS, SPANS, out.spans), (CHECK_ENTITIES, ENTITIES, out.entities)):
            for key, blob, crc in store.db.execute(sql):
                if row_crc(tag, (key,), blob) != crc:
                    found.add(key)
        for row in _paged(store, CHECK_CHUNKS, limit):
            if chunk_crc(row) != row[8]:
                out.chunks[row[0]] = row[1]
        for key, blob, crc in _paged(store, CHECK_VECTORS, limit):
            if vector_crc(key, blob) != crc:
                out.vectors.add(key)
    except sqlite3.Error as exc:
        out.unreadable = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return out


def table_problems(store, full: bool = False) -> list[str]:
    """SQLite's own check (quick, or the full integrity check; a failure is the one problem then)
    and the tables' agreement."""
    from index.embedded.store import one_line

    result = store._one("PRAGMA integrity_check" if full else "PRAGMA quick_check")[0]
    if result != "ok":
        return [f"SQLite integrity check: {one_line(result)}"]
    problems = []
    if store.count("fts") != store.count("chunks"):
        problems.append(f"keyword index has {store.count('fts')} rows for {store.count('chunks')} chunks")
    for label, sql in (("chunks without an article", ORPHAN_CHUNKS),
                       ("articles without chunks (half-written)", ARTICLES_WITHOUT_CHUNKS),
                       ("articles without sentences (half-written)", ARTICLES_WITHOUT_SENTENCES),
                       ("chunks without a vector", MISSING_VECTORS),
                       ("chunks outside their article's text", BAD_SPANS)):
        n = store._one(sql)[0]
        if n:
            problems.append(f"{n} {label}")
    return problems


def fts_problem(db: Path) -> str | None:
    """FTS5's own integrity check of the keyword index, or None when it passes. FTS5 runs it as an
    INSERT, which needs a read-write connection (it writes no page) and the write lock: a writer
    holding it skips the check. In a read-only folder every posting is read instead (fts5vocab
    'instance'): of 10 trials of random bytes over the keyword index's pages, both caught the same 7."""
    from index.embedded.lock import writable

    if not writable(db.parent):
        return _walk_problem(db)
    try:
        con = sqlite3.connect(f"{db.resolve().as_uri()}?mode=rw", uri=True, isolation_level=None)
        try:
            con.execute(f"PRAGMA busy_timeout={FTS_BUSY_MS}")
            con.execute(FTS_CHECK)
        finally:
            con.close()
    except sqlite3.Error as exc:
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            return None
        return f"the keyword index fails FTS5's integrity check ({str(exc).splitlines()[0]})"
    return None


def _walk_problem(db: Path) -> str | None:
    try:
        con = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            con.execute(FTS_WALK_TABLE)
            con.execute(FTS_WALK).fetchone()
        finally:
            con.close()
    except sqlite3.Error as exc:
        return f"the keyword index cannot be read whole ({str(exc).splitlines()[0]})"
    return None


def keyword_rows(store, skip: set[int] | frozenset = frozenset()):
    """(window id, its text) of every window, article by article (but the rowids in `skip`): what
    the keyword index holds."""
    from index.embedded.packing import unpack_text

    for rowid, blob in store.db.execute(ARTICLE_TEXTS.format(what="rowid, text")).fetchall():
        if rowid in skip:
            continue
        text = unpack_text(blob)
        yield from ((cid, text[s:e]) for cid, s, e in store.db.execute(CHUNKS_BY_ARTICLE, (rowid,)).fetchall())


def keyword_problem(store, skip: set[int] | frozenset = frozenset()) -> str | None:
    """The stored keyword index against one made anew, in memory, from the windows' text (every
    term, window and position). FTS5's own check cannot see a contentless index whose postings were
    changed consistently (1 of 12 trials of random bytes in its pages: 1,250 terms became 1,229).
    About 1 s per 10,000 windows (MultiHop-60, 9,725 windows: 0.15 s to index, 0.8 s to compare)."""
    own = not store.db.in_transaction  # one transaction: a temporary FTS5 insert a commit costs 17x
    try:
        if own:
            store.db.execute("PRAGMA temp_store=MEMORY")
            store.db.execute("BEGIN")
        _drop_expected(store)
        for sql in (EXPECTED_FTS, EXPECTED_WALK, FTS_WALK_TABLE):
            store.db.execute(sql)
        store.db.executemany(INSERT_EXPECTED, keyword_rows(store, skip))
        extra, missing = (store.db.execute(sql).fetchone()[0] for sql in (KEYWORDS_DIFFER, KEYWORDS_MISSING))
    except (sqlite3.Error, zlib.error, UnicodeDecodeError) as exc:
        return f"the keyword index cannot be read whole ({str(exc).splitlines()[0]})"
    finally:
        _drop_expected(store)
        if own and store.db.in_transaction:
            store.db.execute("ROLLBACK")
    if extra or missing:
        return f"the keyword index differs from the windows' text ({extra} entries that should not be there, {missing} missing)"
    return None


def _drop_expected(store) -> None:
    for sql in DROP_EXPECTED:
        try:
            store.db.execute(sql)
        except sqlite3.Error:
            pass


def add_checksums(store) -> None:
    """Format 4 -> 5, inside the caller's transaction: a checksum column in each checked table,
    computed from the rows as they are (checked by SQLite's quick check just before)."""
    for table in CRC_TABLES:
        if not store.db.execute(HAS_CRC, (table,)).fetchone()[0]:
            store.db.execute(ADD_CRC.format(table=table))
    updates = {
        "articles": ((article_crc(r), r[0]) for r in store.db.execute(CHECK_ARTICLES).fetchall()),
        "sentence_spans": ((row_crc(SPANS, (k,), b), k) for k, b, _ in store.db.execute(CHECK_SPANS).fetchall()),
        "article_entities": ((row_crc(ENTITIES, (k,), b), k)
                             for k, b, _ in store.db.execute(CHECK_ENTITIES).fetchall()),
        "chunks": ((chunk_crc(r), r[0]) for r in list(_paged(store, CHECK_CHUNKS, None))),
        "embeddings": ((vector_crc(k, b), k) for k, b, _ in list(_paged(store, CHECK_VECTORS, None))),
    }
    for table, rows in updates.items():
        store.db.executemany(SET_CRC[table], rows)
    store.set_manifest(format_version=5)


def upgrade(path: Path, db: Path, timeout: float) -> None:
    """Add the checksums to a format 4 index at `path`, under the write lock (a reader that finds
    one calls this once; a writer does it in its session)."""
    from index.embedded.store import Store

    with writer_lock(path, timeout):
        checker = Store(db, "ro")
        try:
            problem = checker.quick_check()
            version = checker.manifest_value("format_version")
        finally:
            checker.close()
        if problem:
            raise IndexCorruptError(f"The index database {db} is damaged ({problem}); rebuild it from your "
                                    f"articles: byline index build --rebuild PATH --index {path}")
        if version != 4:
            return  # upgraded meanwhile by another process
        checked.drop(db)
        store = Store(db, "rw")
        try:
            store.begin()
            try:
                add_checksums(store)
                store.commit()
            except (sqlite3.Error, BylineError):
                store.rollback()
                raise
            store.truncate_log()
        finally:
            store.close()
        checked.stamp(db)
