"""`verify`: is the index whole and consistent? Damage is a problem; leftovers of an interrupted
write are not (the next write removes them) and are listed apart.

Everything is read in one SQLite read transaction; a vector file that vanished because a writer
committed meanwhile is not damage: the check is taken again on the newer version."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index.reader import SNAPSHOT_TRIES, Reader, load_vectors, vector_file
from index.swap import BUILDING, OLD, READY, sibling
from index.vectors import VectorFileError

SAMPLE = 200  # vectors compared with SQLite's copies by a quick verify (all with --full)
TOLERANCE = 1e-5  # both sides decode the same 8-bit codes (index.quantize; they agree within 3e-8): any difference is damage
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


def leftovers(path: Path, version: int) -> list[Path]:
    """Files of interrupted writes: temporary vector files of dead processes, older vector files,
    and rebuild folders. A live writer's temporary file is not a leftover."""
    found = []
    for f in sorted(path.iterdir()):
        tmp, vec = _TMP.match(f.name), _VECTORS.match(f.name)
        if (tmp and not _alive(int(tmp.group(1)))) or (vec and int(vec.group(1)) < version):
            found.append(f)
    found += [p for p in (sibling(path, s) for s in (BUILDING, READY, OLD)) if p.exists()]
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
    out.problems = store.integrity_problems(full)
    manifest = store.manifest()
    version = int(manifest.get("vectors_version", 0))
    if out.problems and out.problems[0].startswith("SQLite"):
        return out, version, False
    chunks, articles = store.count("chunks"), store.count("articles")
    for key, n in (("articles", articles), ("chunks", chunks)):
        if manifest.get(key) not in (None, n):
            out.problems.append(f"manifest says {manifest.get(key)} {key}, database holds {n}")
    file = vector_file(reader.path, version)
    dim = int(manifest.get("dimension") or 0)
    if chunks and not file.exists():
        out.problems.append(f"vector file {file.name} is missing (byline index repair rebuilds it from the database)")
        return out, version, True
    if file.exists():
        try:
            vectors = load_vectors(store, reader.path, manifest, dim, reader.settings.approximate_above)
        except VectorFileError as exc:
            out.problems.append(str(exc))
            return out, version, True
        if vectors.size != chunks:
            out.problems.append(f"vector file holds {vectors.size} vectors for {chunks} chunks")
        else:
            out.problems += _compare(store, vectors, full)
    out.leftovers = [p.name for p in leftovers(reader.path, version)]
    return out, version, False


def _compare(store, vectors, full: bool) -> list[str]:
    """Vectors in the FAISS file against SQLite's cached embeddings: a sample, or all with `full`."""
    ids = store.chunk_ids()
    if not full and len(ids) > SAMPLE:
        ids = np.sort(np.random.default_rng().choice(ids, SAMPLE, replace=False))
    stored = store.chunk_vectors(ids.tolist())
    differ = missing = 0
    for cid in ids.tolist():
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
