"""A CRC-32 kept with every row that an answer or a write reads (format 5, issue 24): articles (every
column and the compressed text), sentence spans, named entities, windows (chunks) and stored
vectors (embeddings).

SQLite's own checks see the structure of its pages, not the values in them: random bytes written
into a page's cells pass `PRAGMA integrity_check` 9 times of 10. A row's checksum covers its key
and every value an answer or a write uses, so damage that changes a stored value is seen when the
row is read (the CRC-32 of a blob already in memory: about a microsecond for an article's 4 KB of
compressed text), before any answer uses it. `index.embedded.row_checks` checks all of them at once (for
`verify`, before a write, and for `repair`).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from pathlib import Path

from index.errors import IndexCorruptError

# the tables' tags, so that a blob moved to another table's row never matches
ARTICLE, SPANS, ENTITIES = "a", "s", "e"
# windows and vectors, read by the hundred for each answer, are packed as integers: a window row's
# check costs 0.4 us instead of 1.9 (the text form above), which kept warm ask within 3%
_CHUNK, _KEY = struct.Struct("<8q"), struct.Struct("<q")


def _text(value) -> str:
    if value is None:
        return "\x00"
    if type(value) is str:
        return value
    if type(value) is int:
        return str(value)
    if isinstance(value, bytes):  # a blob where a value was (damage to the column's type)
        return "\x01" + value.hex()
    if isinstance(value, float):
        return "\x02" + repr(value)
    return str(int(value))  # numpy integers


def row_crc(tag: str, values: Sequence, blob: bytes | str | None = b"") -> int:
    """CRC-32 of a row: its values (keys included) as text, then its blob."""
    head = "\x1f".join([tag, *map(_text, values)]).encode("utf-8", "surrogatepass")
    if isinstance(blob, str) or blob is None:  # a blob's place holding text (damage, or a format 2 row)
        blob = _text(blob).encode("utf-8", "surrogatepass")
    return zlib.crc32(blob, zlib.crc32(head))


def article_crc(row: Sequence) -> int:
    """An articles row in `index.embedded.sql.ARTICLE_COLUMNS` order (rowid, id, title, source, published_at,
    url, path, text, content_hash, source_key, day, simhash, chars[, crc])."""
    return row_crc(ARTICLE, (*row[:7], *row[8:13]), row[7])


def chunk_crc(row: Sequence) -> int:
    """A chunks row in `index.embedded.sql.CHUNK_COLUMNS` order (id, article, ordinal, start, end, sent_lo,
    sent_hi, hash[, crc]); -1 (never stored) for a value of another type (damage)."""
    try:
        return zlib.crc32(_CHUNK.pack(*row[:8]))
    except (struct.error, TypeError):
        return -1


def vector_crc(key: int, blob: bytes) -> int:
    """A stored vector: its hash key and its 8-bit codes; -1 for a value of another type."""
    try:
        return zlib.crc32(blob, zlib.crc32(_KEY.pack(key)))
    except (struct.error, TypeError):
        return -1


def vectors_crc(vectors) -> int:
    """CRC-32 of an article's window vectors as 8-bit codes, in window order (the Qdrant backend's
    manifest, `index.qdrant.verify`)."""
    import numpy as np

    from index.embedding.quantize import encode

    return zlib.crc32(encode(np.asarray(vectors, dtype=np.float32)).tobytes())


def damaged(db: Path, what: str) -> IndexCorruptError:
    """The one line for a row whose checksum fails."""
    return IndexCorruptError(f"The index database {db} is damaged ({what} fails its checksum); nothing was "
                             f"answered or written from it. Repair it: byline index repair --index {db.parent}")


def check(db: Path, crc: int, expected: int, what: str) -> None:
    if crc != expected:
        raise damaged(db, what)
