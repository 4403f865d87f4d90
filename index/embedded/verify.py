"""`verify`: is the index whole and consistent? Damage is a problem; leftovers of an interrupted
write are not (the next write removes them) and are listed apart.

Every vector segment is checked against its checksum in the manifest; the live vectors (stored less
tombstones) must number the chunks, no tombstone may be a live chunk, and with `--full` no vector
may be stored twice and every tombstone must be in a segment. Everything is read in one SQLite read
transaction; a vector file that vanished because a writer committed (or merged) meanwhile is not
damage: the check is taken again on the newer version."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index.embedded import row_checks, tantivy_keywords
from index.embedded.reader import SNAPSHOT_TRIES, Reader
from index.embedded.repair import LOST
from index.embedded.segments import live_files, load, segments_of, vector_file
from index.embedded.merging import BLOCK
from index.embedded.swap import BUILDING, OLD, READY, sibling
from index.embedded.vectors import VectorFileError

SAMPLE = 200  # vectors compared with SQLite's copies by a quick verify (all with --full)
TOLERANCE = 1e-5  # both sides decode the same 8-bit codes (index.embedding.quantize; they agree within 3e-8): any difference is damage
_TMP = re.compile(r"^vectors-\d+\.faiss\.tmp(\d+)$")
_VECTORS = re.compile(r"^vectors-(\d+)\.faiss$")


@dataclass
class Verification:
    problems: list[str] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def leftovers(path: Path, manifest: dict) -> list[Path]:
    """Files of interrupted writes: temporary vector files of dead processes, vector files of this
    version or older that the manifest does not use, and rebuild folders. A live writer's files
    (a temporary one, or a newer version not yet committed) are not leftovers."""
    found, version, live = [], int(manifest.get("vectors_version", 0)), live_files(manifest)
    for f in sorted(path.iterdir()):
        tmp, vec = _TMP.match(f.name), _VECTORS.match(f.name)
        if (tmp and not _alive(int(tmp.group(1)))) or (vec and int(vec.group(1)) <= version and f.name not in live):
            found.append(f)
    found += [p for p in (sibling(path, s) for s in (BUILDING, READY, OLD)) if p.exists()]
    if (path / tantivy_keywords.BUILDING).exists():  # a keyword build cut short
        found.append(path / tantivy_keywords.BUILDING)
    return found


def verify(reader: Reader, full: bool = False) -> Verification:
    for _ in range(SNAPSHOT_TRIES):
        with reader.store.reading():
            result, version, moved_on = _check(reader, full)
        if not moved_on or reader.version() == version:
            return result
    return result


def _check(reader: Reader, full: bool) -> tuple[Verification, int, bool]:
    store, out = reader.store, Verification()
    out.problems = row_checks.table_problems(store, full)
    manifest = store.manifest()
    version = int(manifest.get("vectors_version", 0))
    if out.problems and out.problems[0].startswith("SQLite"):
        return out, version, False
    # every row's checksum (a quick verify: the article-level rows, and the first windows and vectors)
    damage = row_checks.scan(store, full)
    out.problems += damage.problems(store.path)
    out.problems += [p for p in [row_checks.fts_problem(store.path)] if p]
    if full and not out.problems:  # the keyword index against the windows' text
        out.problems += [p for p in [row_checks.keyword_problem(store)] if p]
    out.problems += [p for p in [reader._keywords.problem(version, store.count("chunks"))] if p]  # tantivy's
    lost = manifest.get(LOST) or []
    if lost:
        files = ", ".join(x.get("file") or x["id"] for x in lost[:5]) + (" …" if len(lost) > 5 else "")
        out.problems.append(f"{len(lost)} articles were lost to damage (no copy held their text); re-add them: "
                            f"byline index add {files}")
    chunks, articles = store.count("chunks"), store.count("articles")
    for key, n in (("articles", articles), ("chunks", chunks)):
        if manifest.get(key) not in (None, n):
            out.problems.append(f"manifest says {manifest.get(key)} {key}, database holds {n}")
    if damage.rows or damage.unreadable:  # the vectors are compared with rows known to be intact only
        return out, version, False
    dim = int(manifest.get("dimension") or 0)
    segments = segments_of(manifest)
    files = [vector_file(reader.path, seg.version) for seg in segments] if segments is not None else \
        ([vector_file(reader.path, version)] if version else [])
    missing = [f.name for f in files if not f.exists()]
    if chunks and (missing or not files):
        names = ", ".join(missing) or vector_file(reader.path, version).name
        out.problems.append(f"vector file {names} is missing (byline index repair rebuilds it from the database)")
        return out, version, True
    if files:
        try:
            vectors = load(store, reader.path, manifest, dim, reader.settings.approximate_above)
        except VectorFileError as exc:
            out.problems.append(str(exc))
            return out, version, True
        out.problems += _segments_agree(store, vectors, chunks, full)
        if not out.problems:
            out.problems += _compare(store, vectors, full)
    out.leftovers = [p.name for p in leftovers(reader.path, manifest)]
    return out, version, False


def _segments_agree(store, vectors, chunks: int, full: bool) -> list[str]:
    """Live vectors against chunks; tombstones against chunks; with `full`, no vector stored twice
    and every tombstone in a segment (so nothing is lost or duplicated by a write or a merge)."""
    fix = "(byline index repair rebuilds it from the database)"
    if vectors.size != chunks:
        extra = f" and {len(vectors.tombstones)} removed" if len(vectors.tombstones) else ""
        return [f"vector file holds {vectors.size} vectors{extra} for {chunks} chunks {fix}"]
    problems = []
    if store.live_tombstones():
        problems.append(f"{store.live_tombstones()} chunks are marked removed in the vector files {fix}")
    if full:
        ids, counts = np.unique(vectors.ids(), return_counts=True)
        if (counts > 1).any():
            problems.append(f"{int((counts > 1).sum())} vectors are stored in more than one vector file {fix}")
        lost = np.setdiff1d(vectors.tombstones, ids)
        if len(lost):
            problems.append(f"{len(lost)} removed vectors are in no vector file {fix}")
    return problems


def _compare(store, vectors, full: bool) -> list[str]:
    """Vectors in the FAISS file against SQLite's cached embeddings: a sample, or all with `full`."""
    ids = store.chunk_ids()
    if not full and len(ids) > SAMPLE:
        ids = np.sort(np.random.default_rng().choice(ids, SAMPLE, replace=False))
    differ = missing = 0
    for start in range(0, len(ids), BLOCK):  # a block at a time: all of them held 22 GB at 14M windows
        part = ids[start:start + BLOCK].tolist()
        stored = store.chunk_vectors(part)
        for cid in part:
            v = vectors.vector(cid)
            if v is None:
                missing += 1
            elif not np.allclose(v, stored[cid], atol=TOLERANCE, equal_nan=False):
                differ += 1
    problems = []
    checked = f"of {len(ids)} checked" if not full else f"of {len(ids)}"
    if missing:
        problems.append(f"{missing} {checked} chunks have no vector in the vector file "
                        "(byline index repair rebuilds it from the database)")
    if differ:
        problems.append(f"{differ} {checked} vectors in the vector file differ from the database's "
                        "(byline index repair rebuilds it from the database)")
    return problems
