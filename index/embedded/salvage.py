"""`repair` of a database SQLite cannot read whole (a damaged page inside a table's tree): every
row that can still be read and passes its checksum is carried into a new index built beside the
old one and swapped in under the lock, as `--rebuild` does (`index.embedded.swap`).

Articles come back from their stored text (sentences, entities and windows derived again, as an
add would); vectors from the database's intact rows, else from an intact vector file, and only the
windows no copy holds are embedded again. An article whose row cannot be read or fails its
checksum is named, with its file, to be re-added (`index.embedded.repair.LOST`). When the articles cannot
even be counted (the manifest unreadable), nothing is changed and the one line says to rebuild.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

from index.embedded import swap
from index.embedded.checksums import article_crc, vector_crc
from index.errors import BylineError, IndexCorruptError
from index.embedded.lock import writer_lock
from index.embedding.quantize import from_blob, to_blob
from index.embedded.reader import DB_NAME, settings_of
from index.embedded.repair import LOST, RepairReport, StoredDocument, intact_files, vector_of
from index.reports import AddReport
from index.embedded.sql import ARTICLE_COLUMNS, CHUNK_HASHES, FILE_OF, GET_ARTICLE_META, GET_MANIFEST, LAST_ID, RAW_ARTICLE
from index.embedded.writer import Writer

ARTICLE_BY_ROW = f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE rowid = ?"
REFERENCED = ("SELECT article FROM sentence_spans", "SELECT article FROM article_entities",
              "SELECT article FROM article_files", "SELECT DISTINCT article FROM chunks")
VECTORS = "SELECT hash, vector, crc FROM embeddings"


def _try(db, sql: str, params=()) -> list:
    try:
        return db.execute(sql, params).fetchall()
    except sqlite3.Error:
        return []


def _articles(db, path: Path) -> tuple[list[StoredDocument], list[dict]]:
    """The articles whose row reads and passes its checksum, and the others (named to re-add)."""
    last = _try(db, LAST_ID, ("articles",))
    rowids = set(range(1, int(last[0][0]) + 1)) if last else set()
    for sql in REFERENCED:
        rowids |= {r[0] for r in _try(db, sql)}
    docs, lost = [], []
    for rowid in sorted(rowids):
        row = _try(db, ARTICLE_BY_ROW, (rowid,))
        file = _try(db, FILE_OF, (rowid,))
        file = file[0][0] if file else None
        if row and article_crc(row[0]) == row[0][13]:
            r = row[0]
            try:
                from index.embedded.packing import unpack_text

                meta = _try(db, GET_ARTICLE_META, (rowid,))  # author and tags (no such table before)
                author, tags = (meta[0][0], tuple(json.loads(meta[0][1]))) if meta else (None, ())
                docs.append(StoredDocument(id=r[1], text=unpack_text(r[7]), title=r[2], source=r[3],
                                           published_at=r[4], url=r[5], author=author, tags=tags, path=r[6],
                                           file=file, stored_hash=r[8]))
                continue
            except Exception:  # noqa: BLE001 - a blob that passes its checksum but does not unpack: lost
                pass
        if row or file:  # a row that is there but damaged, or one only its file names
            raw = _try(db, RAW_ARTICLE, (rowid,))
            lost.append({"id": str(raw[0][0]) if raw else f"row {rowid}", "file": file or (raw[0][1] if raw else None)})
    return docs, lost


def _vectors(db, path: Path, manifest: dict, dim: int, report: RepairReport) -> dict[int, bytes]:
    """hash -> 8-bit codes, from the database's intact rows, else from an intact vector file."""
    found = {}
    try:
        for h, blob, crc in db.execute(VECTORS):
            if vector_crc(h, blob) == crc:
                found[h] = blob
    except sqlite3.Error:
        pass  # a damaged page: what was read is kept, the rest may come from the vector file
    files = intact_files(path, manifest, dim, report)
    for cid, h, _, _ in _try(db, CHUNK_HASHES):
        if h not in found:
            v = vector_of(files, [cid])
            if v is not None:
                found[h] = to_blob(v)
                report.from_file += 1
    return found


def _once(make: Callable) -> Callable:
    made = []
    return lambda: made[0] if made else (made.append(make()) or made[0])


def salvage(path: Path, encoder: Callable | None, lock_timeout: float) -> RepairReport:
    """Carry what can be read into a new index swapped in for the one at `path` (see the module's
    docstring); `encoder` loads the model, only if a vector must be embedded again."""
    db_path = path / DB_NAME
    report = RepairReport(salvaged=True)
    with writer_lock(path, lock_timeout):
        swap.recover(path)
        db = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            manifest = {k: json.loads(v) for k, v in db.execute(GET_MANIFEST)}
            settings = settings_of(manifest)
            if encoder is None:
                from index.embedding.encoders import load_encoder

                encoder = _once(lambda: load_encoder(settings.model, settings.backend))
        except (sqlite3.Error, KeyError, ValueError) as exc:
            db.close()
            raise IndexCorruptError(f"The index database {db_path} cannot be read ({exc}); repair cannot mend it. "
                                    f"Rebuild it from your articles: byline index build --rebuild PATH "
                                    f"--index {path}") from exc
        try:
            docs, lost = _articles(db, path)
            vectors = _vectors(db, path, manifest, int(manifest.get("dimension") or 0), report)
        finally:
            db.close()
        if len(docs) + len(lost) < int(manifest.get("articles") or 0):
            raise IndexCorruptError(
                f"The index database {db_path} is damaged where its articles are listed: {len(docs)} of "
                f"{manifest.get('articles')} articles can be read and {len(lost)} named; repair changed nothing. "
                f"Rebuild it from your articles: byline index build --rebuild PATH --index {path}")
        staging = swap.sibling(path, swap.BUILDING)
        shutil.rmtree(staging, ignore_errors=True)
        try:
            with Writer.session(staging, encoder, create=settings, lock_timeout=lock_timeout) as writer:
                writer.store.begin()
                writer.store.put_vectors((h, from_blob(b)) for h, b in vectors.items())
                writer.store.commit()
                added = writer.add_documents(docs, AddReport())
                if lost:
                    writer.store.begin()
                    writer.store.set_manifest(**{LOST: lost})
                    writer.store.commit()
                report.vectors = writer.store.count("chunks")
        except BylineError:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        swap.swap_in(path)
    report.reembedded, report.rederived, report.lost = added.chunks_embedded, [d.id for d in docs], lost
    report.keywords_rebuilt = True
    return report
