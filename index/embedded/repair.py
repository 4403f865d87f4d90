"""`byline index repair`: mend a damaged index from the copies that are still intact, and say what
could not be mended. It never turns damage into a clean-looking index.

Every vector is kept twice, in SQLite (8-bit codes with a row checksum, `index.embedded.checksums`) and in
a vector file (a checksum a file in the manifest), so repair knows which copy is right:
- a stored vector whose row fails its checksum is restored from an intact vector file (the same
  8-bit codes: nothing is re-embedded); the vector files are then rewritten from the database,
  which mends a damaged or missing file the other way round;
- when neither copy is intact, the article is re-derived from its stored text and only the
  windows whose vectors are missing are embedded again (counted in the report);
- an article whose sentence, entity or window rows fail their checksum is re-derived from its
  stored text the same way (sentences, entities and windows are a pure function of the text);
- an article whose own row (its text) fails is removed, and reported with the file to re-add: no
  copy holds its text. The manifest keeps the list (`lost_articles`) until they are re-added, and
  `verify` reports them;
- the keyword index is rebuilt from the articles' text when it fails FTS5's check or when rows
  were removed.
A database SQLite cannot read at all is refused with one line: rebuild it from the articles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index.embedded import row_checks
from index.embedded.checksums import vector_crc
from index.ingest.documents import Document
from index.errors import DatabaseUnreadableError
from index.embedding.quantize import to_blob
from index.reports import AddReport
from index.embedded.segments import segments_of, vector_file
from index.embedded.sql import (ARTICLE_TEXTS, CHUNK_HASHES, DELETE_CHUNK, DELETE_VECTOR, FILE_OF, FTS_DELETE_ALL, INSERT_FTS,
                       PUT_VECTOR, RAW_ARTICLE)
from index.embedded.vectors import VectorFileError, VectorIndex, file_checksum

LOST = "lost_articles"  # manifest key: [{"id": …, "file": …}] of articles whose text no copy holds


@dataclass
class RepairReport:
    vectors: int = 0  # vectors written to the new vector file
    from_file: int = 0  # stored vectors restored from an intact vector file
    reembedded: int = 0  # windows embedded again (no intact copy of their vector)
    rederived: list[str] = field(default_factory=list)  # articles rebuilt from their stored text
    lost: list[dict] = field(default_factory=list)  # articles to re-add: {"id", "file"}
    keywords_rebuilt: bool = False
    damaged_files: list[str] = field(default_factory=list)  # vector files that failed their checksum
    salvaged: bool = False  # SQLite could not read the database whole: a new one was built (index.embedded.salvage)

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def intact_files(path: Path, manifest: dict, dim: int, report: RepairReport) -> list[VectorIndex]:
    out = []
    for segment in segments_of(manifest) or []:
        file = vector_file(path, segment.version)
        try:
            if segment.checksum is None or file_checksum(file) != segment.checksum:
                report.damaged_files.append(file.name)
                continue
            out.append(VectorIndex.load(file, dim, segment.checksum))
        except (OSError, VectorFileError):
            report.damaged_files.append(file.name)
    return out


def vector_of(files: list[VectorIndex], chunk_ids: list[int]) -> np.ndarray | None:
    for cid in chunk_ids:
        for f in files:
            v = f.vector(cid)
            if v is not None:
                return v
    return None


def repair(writer) -> RepairReport:
    """Mend what `index.embedded.row_checks.scan` and the vector files' checksums say is damaged (see the
    module's docstring); `writer` holds the lock."""
    store, path = writer.store, writer.path
    db = store.path
    damage = row_checks.scan(store, full=True)
    if damage.unreadable:  # mended by carrying what can be read into a new index (index.embedded.salvage)
        raise DatabaseUnreadableError(f"The index database {db} cannot be read ({damage.unreadable})")
    keywords_bad = (row_checks.fts_problem(db) is not None
                    or row_checks.keyword_problem(store, damage.articles) is not None)
    report = RepairReport()
    manifest = store.manifest()
    dim = int(manifest.get("dimension") or 0) or writer.encoder.dimension
    files = intact_files(path, manifest, dim, report)
    by_hash: dict[int, list[int]] = {}
    article_of: dict[int, int] = {}
    chunks_of: dict[int, list[int]] = {}
    ordinals: dict[int, list[int]] = {}
    for cid, h, article, ordinal in store.db.execute(CHUNK_HASHES):
        by_hash.setdefault(h, []).append(cid)
        article_of[cid] = article
        chunks_of.setdefault(article, []).append(cid)
        if cid not in damage.chunks:
            ordinals.setdefault(article, []).append(ordinal)
    rederive = set(damage.spans) | set(damage.entities) | set(damage.chunks.values())
    if damage.chunks:  # a damaged window row may name another article: its own has a gap
        rederive |= {a for a, found in ordinals.items() if sorted(found) != list(range(len(found)))}
    fixed = {}
    for h in damage.vectors:
        v = vector_of(files, [c for c in by_hash.get(h, []) if c not in damage.chunks])
        if v is not None:
            fixed[h] = to_blob(v)
        else:  # no intact copy: the articles using it are re-derived and the window embedded again
            rederive |= {article_of[c] for c in by_hash.get(h, [])}
    rederive -= damage.articles
    live = {r[0] for r in store.db.execute(ARTICLE_TEXTS.format(what="rowid"))}
    rederive &= live
    docs = [_document(store, rowid) for rowid in sorted(rederive)]
    lost = [_lost(store, rowid) for rowid in sorted(damage.articles & live)]

    def change(s):
        removed = []
        for h, blob in fixed.items():
            s._run(PUT_VECTOR, (blob, vector_crc(h, blob), h))
        for h in damage.vectors - set(fixed):
            s._run(DELETE_VECTOR, (h,))
        for rowid in sorted(rederive | damage.articles & live):
            removed += chunks_of.get(rowid, [])
            s.delete_rows(rowid)
        s._many(DELETE_CHUNK, [(c,) for c in damage.chunks])
        if keywords_bad or rederive or damage.articles or damage.chunks:
            _rebuild_keywords(s)
            report.keywords_rebuilt = True
        if lost:
            s.set_manifest(**{LOST: [*(s.manifest_value(LOST) or []), *lost]})
        return removed, [], []

    writer._commit(change, merge=True)
    report.from_file, report.lost = len(fixed), lost
    if docs:  # rows removed above, re-derived from the stored text; only missing vectors are embedded
        added = writer.add_documents(docs, AddReport())
        report.reembedded = added.chunks_embedded
        report.rederived = [d.id for d in docs]
    report.vectors = store.count("chunks")
    return report


@dataclass
class StoredDocument(Document):
    """An article re-derived from its stored row: its content hash is the stored one (it covers
    metadata the row does not keep)."""

    stored_hash: str = ""

    @property
    def content_hash(self) -> str:
        return self.stored_hash


def _document(store, rowid: int) -> Document:
    article = store.article(store.article_by_row(rowid).id)  # its checksum holds (else it would be lost)
    file = store._one(FILE_OF, (rowid,))
    return StoredDocument(id=article.id, text=article.text, title=article.title, source=article.source,
                          published_at=article.published_at, url=article.url, author=article.author,
                          tags=tuple(article.tags or ()), path=article.path, file=file[0] if file else None,
                          stored_hash=article.content_hash)


def _lost(store, rowid: int) -> dict:
    """What the damaged row still says of its article (its id and file may be damaged too)."""
    row = store._one(RAW_ARTICLE, (rowid,)) or (None, None)
    file = store._one(FILE_OF, (rowid,))
    return {"id": str(row[0]), "file": file[0] if file else row[1]}


def _rebuild_keywords(store) -> None:
    """The contentless keyword index emptied and filled again from the windows' text."""
    store._run(FTS_DELETE_ALL)
    store._many(INSERT_FTS, list(row_checks.keyword_rows(store)))


def still_lost(store) -> list[dict]:
    """The lost articles not re-added since (a write calls this: a re-add clears its entry)."""
    return [x for x in store.manifest_value(LOST) or [] if not store.hash_of(x["id"])]
