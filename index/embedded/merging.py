"""Merging vector segments in bounded memory (issue 13, fifth part).

A merge reads the vectors back from SQLite, which keeps every one as 8-bit codes. They used to be
read all at once: every row as a Python tuple, then every code, then every vector as float32 (21 GB
for the last alone at 100k articles, 14M windows). Here they are read, decoded and added a block
at a time, in chunk id order, so a merge holds the merged FAISS index (what its file holds: 384
bytes of codes and an id a vector) plus one block, and, for an IVF index, its training sample.

The result is the index `VectorIndex.build` makes from all the vectors at once: the IVF lists are
trained on the same sample (`VectorIndex.training_positions` over the id-ordered vectors, read in
that order) and the vectors are added in the same order (tested: the same file, byte for byte).
"""

from __future__ import annotations

import numpy as np

from index.errors import IndexCorruptError
from index.embedded.vectors import VectorIndex

# Vectors read from SQLite and added to FAISS at a time: 16 Ki of them are 6 MB of codes and 25 MB
# as float32. Merging the 3,000-article index's 381,328 vectors into IVF in a fresh process
# (bench/README.md, "Issue 13, fifth part"): blocks of 16 Ki, 64 Ki and 256 Ki took 39.2, 41.3 and
# 40.6 s and peaked at 467, 671 and 1,469 MB; smaller blocks cost no time that could be seen.
BLOCK = 16_384


def merged(store, dimension: int, approximate: bool, trained: VectorIndex | None = None,
           block: int = BLOCK) -> VectorIndex:
    """One index of every live vector SQLite holds: into `trained` (emptied IVF lists kept from the
    first segment) when given, else flat or IVF trained anew."""
    if trained is not None:
        out = trained
    elif approximate:
        ids = store.chunk_ids()
        sample = gathered(store, ids[VectorIndex.training_positions(len(ids))], dimension, block)
        out = VectorIndex.empty(dimension, True, sample, len(ids))
        del ids, sample
    else:
        out = VectorIndex.empty(dimension)
    for ids, vectors in store.chunk_vector_blocks(dimension, block):
        out.add(ids, vectors)
    return out


def gathered(store, ids: np.ndarray, dimension: int, block: int = BLOCK) -> np.ndarray:
    """The stored vectors of `ids`, in that order, as one float32 array (read `block` at a time)."""
    out = np.empty((len(ids), dimension), dtype=np.float32)
    for start in range(0, len(ids), block):
        part = np.asarray(ids[start:start + block], dtype=np.int64)
        found, rows = store.chunk_vector_rows(part)
        order = np.argsort(found)
        at = order[np.minimum(np.searchsorted(found, part, sorter=order), len(found) - 1)] if len(found) else None
        if at is None or not np.array_equal(found[at], part):
            raise IndexCorruptError(f"Some windows of the index at {store.path.parent} have no stored vector; "
                                    f"rebuild it: byline index build --rebuild PATH --index {store.path.parent}")
        out[start:start + len(part)] = rows[at]
    return out


def merged_ids(store, live: np.ndarray, new_ids: np.ndarray, new_vectors: np.ndarray, dimension: int,
               block: int = BLOCK) -> VectorIndex:
    """One flat index of the stored vectors of `live` (read `block` at a time) and the new ones."""
    out = VectorIndex.empty(dimension)
    for start in range(0, len(live), block):
        part = live[start:start + block]
        out.add(part, gathered(store, part, dimension, block))
    out.add(new_ids, new_vectors)
    return out
