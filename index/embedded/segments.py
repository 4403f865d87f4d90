"""Append-only vector segments, as Lucene keeps them (issue 13).

The vectors of an index are a few FAISS files, `vectors-<n>.faiss`, each written once by the commit
`n` that created it and never changed afterwards. The manifest lists them (`segments`: version,
checksum, vector count, kind), in the same SQLite commit as the rows they index, so a reader sees
either the old list or the new one. An add writes one small segment of its new vectors; a remove
writes no vector file at all: its chunk ids go to the `tombstones` table until a merge. A search
asks every segment (tombstones excluded), and merges the top k by score: the codes are the same
8-bit codes everywhere (`index.embedding.quantize`), so scores are comparable across segments.

Merges (see `plan`): `optimize`, `repair`, a missing file or crossing `approximate_above` rewrite
everything as one segment from the vectors SQLite keeps (IVF trained anew when in use) and empty the
tombstones; more than `max_segments` files merge the small ones (all but the first) into one, or
everything once those hold as many vectors as the first; tombstones above `merge_tombstones` of the
stored vectors merge everything. A merge of everything that a write triggers keeps the first
segment's trained IVF lists (training is most of a merge's time); `optimize` trains them anew.

An index written before segments has one file and no `segments` key: it is read as one segment,
and its next write rewrites it in this form.
"""

from __future__ import annotations

import heapq
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from index.embedded.merging import merged
from index.embedded.vectors import VectorFileError, VectorIndex, file_checksum

MERGE_ALL, MERGE_SMALL, APPEND = "all", "small", "append"


def vector_file(path: Path, version: int) -> Path:
    return path / f"vectors-{version}.faiss"


@dataclass(frozen=True)
class Segment:
    version: int  # the commit that wrote it: its file is vectors-<version>.faiss
    checksum: str | None  # index.embedded.vectors.Checksum of the file's bytes
    count: int  # vectors in the file, tombstoned ones included
    kind: str  # "flat" or "ivf"
    stamp: tuple[int, int] | None = None  # (size, mtime in ns) of the file as written: see check_files

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def written(cls, file: Path, version: int, digest: str, vectors: VectorIndex) -> "Segment":
        st = file.stat()
        return cls(version, digest, vectors.size, vectors.kind, (st.st_size, st.st_mtime_ns))


def segments_of(manifest: dict) -> list[Segment] | None:
    """The manifest's segments, first (largest) first; None for an index written before segments."""
    raw = manifest.get("segments")
    return None if raw is None else [Segment(**{**s, "stamp": tuple(s["stamp"]) if s.get("stamp") else None})
                                     for s in raw]


def live_files(manifest: dict) -> set[str]:
    """Names of the vector files the manifest uses."""
    segments = segments_of(manifest)
    if segments is None:
        return {vector_file(Path("."), int(manifest.get("vectors_version", 0))).name}
    return {vector_file(Path("."), s.version).name for s in segments}


class SegmentedVectors:
    """The segments of one committed version and its tombstones, searched as one index."""

    def __init__(self, parts: list[tuple[Segment, VectorIndex]], tombstones: np.ndarray, dimension: int):
        self.parts, self.tombstones, self.dimension = parts, tombstones, dimension
        self._dead = set(tombstones.tolist())
        self._exclude = None  # a FAISS selector of the tombstones, made on the first search

    @property
    def segments(self) -> list[Segment]:
        return [s for s, _ in self.parts]

    @property
    def kind(self) -> str:
        return self.parts[0][1].kind if self.parts else "flat"

    @property
    def stored(self) -> int:
        return sum(v.size for _, v in self.parts)

    @property
    def size(self) -> int:
        """Live vectors: those stored less the tombstoned ones."""
        return self.stored - len(self._dead)

    def _selector(self):
        if self._exclude is None and self._dead:
            import faiss

            inner = faiss.IDSelectorBatch(self.tombstones)
            self._exclude = (faiss.IDSelectorNot(inner), inner)  # the outer one points into the inner
        return self._exclude[0] if self._exclude else None

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        if allowed is not None and self._dead:
            allowed = np.setdiff1d(np.asarray(allowed, dtype=np.int64), self.tombstones, assume_unique=False)
        exclude = self._selector() if allowed is None else None
        hits = [h for _, v in self.parts for h in v.search(query, k, allowed, exclude)]
        return heapq.nlargest(k, hits, key=lambda h: h[1]) if len(self.parts) > 1 else hits[:k]

    def vector(self, chunk_id: int) -> np.ndarray | None:
        if int(chunk_id) in self._dead:
            return None
        for _, v in self.parts:
            found = v.vector(chunk_id)
            if found is not None:
                return found
        return None

    def ids(self) -> np.ndarray:
        """Every stored id, tombstoned ones included, once per segment that holds it."""
        parts = [v.ids() for _, v in self.parts]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def load(store, path: Path, manifest: dict, dimension: int, approximate_above: int,
         rebuild_missing: bool = False, known: SegmentedVectors | None = None) -> SegmentedVectors:
    """The segments the manifest names, each checked against its checksum (a damaged one is refused:
    VectorFileError); segments already in `known` are reused (their files never change). A missing
    file is refused too, unless `rebuild_missing`: then the vectors are rebuilt in memory from
    SQLite, which keeps every one."""
    segments = segments_of(manifest)
    version = int(manifest.get("vectors_version", 0))
    if segments is None:  # one file, written before segments
        file = vector_file(path, version)
        if file.exists():
            vectors = VectorIndex.load(file, dimension, manifest.get("vectors_checksum"))
            segment = Segment(version, manifest.get("vectors_checksum"), vectors.size, vectors.kind)
            return SegmentedVectors([(segment, vectors)], np.zeros(0, dtype=np.int64), dimension)
        if version and manifest.get("chunks") and not rebuild_missing:
            raise VectorFileError(file, "is missing")
        return from_database(store, dimension, approximate_above)
    if not segments and manifest.get("chunks"):  # never written so: rebuilt in memory on the second look
        if not rebuild_missing:
            raise VectorFileError(vector_file(path, version), "is missing")
        return from_database(store, dimension, approximate_above)
    cached = dict(known.parts) if known is not None else {}
    parts = []
    for segment in segments:
        file = vector_file(path, segment.version)
        if segment in cached:
            parts.append((segment, cached[segment]))
        elif file.exists():
            parts.append((segment, VectorIndex.load(file, dimension, segment.checksum)))
        elif rebuild_missing:
            return from_database(store, dimension, approximate_above)
        else:
            raise VectorFileError(file, "is missing")
    return SegmentedVectors(parts, store.tombstones(), dimension)


def from_database(store, dimension: int, approximate_above: int) -> SegmentedVectors:
    """Every live vector, from SQLite, as one segment held in memory (no file)."""
    vectors = merged(store, dimension, store.count("chunks") > approximate_above)  # a block at a time
    return SegmentedVectors([(Segment(0, None, vectors.size, vectors.kind), vectors)],
                            np.zeros(0, dtype=np.int64), dimension)


def check_files(path: Path, manifest: dict) -> bool:
    """Whether every vector file is present; a present file whose bytes differ from its checksum is
    refused (VectorFileError). A write checks this before it changes anything. A file whose size
    and modification time are still those it was written with is not read again (reading every
    segment on every add would grow with the index: 5 GB at 100k articles); anything that wrote
    to it since changed its time. Readers and `verify` check every file's checksum."""
    segments = segments_of(manifest)
    if segments is None:
        version = int(manifest.get("vectors_version", 0))
        segments = [Segment(version, manifest.get("vectors_checksum"), 0, "flat")] if version else []
    whole = True
    for segment in segments:
        file = vector_file(path, segment.version)
        try:
            st = file.stat()
            if segment.stamp is not None and (st.st_size, st.st_mtime_ns) == segment.stamp:
                continue
            found = file_checksum(file) if segment.checksum is not None else None  # read as a stream
        except FileNotFoundError:
            whole = False
            continue
        except OSError as exc:
            raise VectorFileError(file, f"cannot be read ({exc.strerror})") from exc
        if segment.checksum is not None and found != segment.checksum:
            raise VectorFileError(file, "is damaged (its checksum differs from the manifest's)")
    return whole and (bool(segments) or not manifest.get("chunks"))


def plan(segments: list[Segment], new: int, tombstones: int, approximate: bool, max_segments: int,
         merge_tombstones: float) -> str:
    """What a commit writes: APPEND (a segment of the `new` vectors, if any), MERGE_SMALL (every
    segment but the first, with the new vectors, as one) or MERGE_ALL (one segment of everything).
    Merging the small ones keeps a write's cost to the small ones' size until they outgrow the
    first segment; then everything is merged once."""
    kind = segments[0].kind if segments else "flat"
    if approximate != (kind == "ivf"):
        return MERGE_ALL  # crossing approximate_above: an IVF index (re)trained, or a flat one
    stored = sum(s.count for s in segments) + new
    if tombstones > merge_tombstones * stored:
        return MERGE_ALL
    if len(segments) + (1 if new else 0) <= max_segments:
        return APPEND
    small = sum(s.count for s in segments[1:]) + new
    return MERGE_ALL if small >= segments[0].count else MERGE_SMALL
