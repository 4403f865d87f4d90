"""FAISS holds only vectors under int64 chunk ids, as 8-bit codes (`index.embedding.quantize`: 4x smaller than
float32, recall@10 against exact float32 measured by `python -m bench compact`). An exhaustive scan
by default; an IVF index above `approximate_above` vectors. The file is derived data: SQLite keeps
the same codes, so a
damaged file is refused (its checksum is in the manifest) and `byline index repair` rebuilds it
from SQLite without re-embedding anything."""

from __future__ import annotations

import math
import os
import zlib
from pathlib import Path

import numpy as np

from index.errors import IndexCorruptError
from index.embedding.quantize import CODE_LOW, CODE_WIDTH
from index.settings import IVF_MIN_LISTS, IVF_MIN_VECTORS

SMALL = 50_000  # vectors; below this one thread searches faster than a pool
# IVF lists searched: an eighth of them, at most NPROBE_MAX. Recall@10 against exact search over the same
# codes: 0.993 at 88,238 real MultiHop vectors (148 of 1,188 lists); at 1,276,288 stand-in vectors (4,518
# lists) 0.996 with 256 as with 564 (an eighth), in 5.6 instead of 11.5 ms, 0.970 with 160 (bench/README.md,
# issue 13, sixth part). An eighth grows with the index; the cap keeps a search near 60k-250k codes.
NPROBE_MAX = 256
_THREADS = os.cpu_count() or 1
# Codes one IVF search scans (nprobe x the mean list) from which its lists are shared among the cores
# (FAISS parallel_mode 1) instead of one query a thread. Asking on this 2-core machine, the keyword
# search on the other thread: at 12.7M stand-in vectors (228k codes a search) dense p50 35 -> 17 ms and
# ask p50 / p95 66 / 97 -> 54 / 87 ms; at 3.8M (125k codes) no change; at 88k (11k codes) dense
# 1.1 -> 3.5 ms (waking the pool costs more). The same results, but for the order of equal scores.
PARALLEL_SCAN = 150_000


def _nprobe(nlist: int) -> int:
    return max(8, min(nlist // 8, NPROBE_MAX))


class VectorIndex:
    def __init__(self, index, dimension: int):
        self.index = index
        self.dimension = dimension

    @property
    def kind(self) -> str:
        return "ivf" if self._ivf() is not None else "flat"

    def _ivf(self):
        """The IVF part of the index, or None when it is flat."""
        import faiss

        try:
            return faiss.extract_index_ivf(self.index)
        except RuntimeError:
            return None

    @property
    def size(self) -> int:
        return int(self.index.ntotal)

    @staticmethod
    def lists(count: int) -> int:
        """IVF lists for `count` vectors."""
        return int(min(65536, max(IVF_MIN_LISTS, 4 * math.sqrt(count))))

    @classmethod
    def training_positions(cls, count: int) -> np.ndarray:
        """Which of `count` vectors (in id order) an IVF index is trained on: 64 a list, drawn with a
        fixed seed, so that a merge that reads its sample in blocks trains the same lists."""
        rng = np.random.default_rng(0)
        return rng.choice(count, size=min(count, cls.lists(count) * 64), replace=False)

    @classmethod
    def empty(cls, dimension: int, approximate: bool = False, sample: np.ndarray | None = None, count: int = 0,
              nprobe: int | None = None) -> "VectorIndex":
        """An index holding no vectors yet: flat, or IVF with the lists for `count` vectors trained on
        `sample` (the vectors at `training_positions(count)`)."""
        import faiss

        if not approximate:
            flat = faiss.IndexScalarQuantizer(dimension, faiss.ScalarQuantizer.QT_8bit_uniform,
                                              faiss.METRIC_INNER_PRODUCT)
            _fix_range(flat.sq)
            flat.is_trained = True
            return cls(faiss.IndexIDMap2(flat), dimension)
        if count < IVF_MIN_VECTORS:
            raise ValueError(f"an approximate (IVF) index needs at least {IVF_MIN_VECTORS} vectors, got {count}")
        nlist = cls.lists(count)
        quantizer = faiss.IndexFlatIP(dimension)
        ivf = faiss.IndexIVFScalarQuantizer(quantizer, dimension, nlist, faiss.ScalarQuantizer.QT_8bit_uniform,
                                            faiss.METRIC_INNER_PRODUCT, False)  # no residuals: codes as in SQLite
        ivf.train(np.ascontiguousarray(sample, dtype=np.float32))
        _fix_range(ivf.sq)
        ivf.nprobe = nprobe or _nprobe(nlist)
        ivf.set_direct_map_type(faiss.DirectMap.Hashtable)  # ids can be removed and read back
        return cls(ivf, dimension)

    @classmethod
    def build(cls, ids: np.ndarray, vectors: np.ndarray, dimension: int, approximate: bool = False,
              nprobe: int | None = None) -> "VectorIndex":
        """An index of these vectors (`index.embedded.merging` builds one from SQLite a block at a time)."""
        sample = vectors[cls.training_positions(len(ids))] if approximate and len(ids) >= IVF_MIN_VECTORS else None
        out = cls.empty(dimension, approximate, sample, len(ids), nprobe)
        out.add(ids, vectors)
        return out

    def emptied(self) -> "VectorIndex":
        """A copy holding no vectors, with the same trained parts (IVF lists, quantizer range)."""
        import faiss

        index = faiss.clone_index(self.index)
        index.reset()
        return VectorIndex(index, self.dimension)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(ids):
            self.index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32),
                                    np.ascontiguousarray(ids, dtype=np.int64))

    def remove(self, ids) -> None:
        import faiss

        if len(ids):
            ids = np.ascontiguousarray(ids, dtype=np.int64)
            # an IVF index with a hashtable id map removes only through an IDSelectorArray
            selector = faiss.IDSelectorArray(len(ids), faiss.swig_ptr(ids)) if self._ivf() is not None else \
                faiss.IDSelectorBatch(ids)
            self.index.remove_ids(selector)

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None,
               exclude=None) -> list[tuple[int, float]]:
        """The k nearest ids and their scores; only `allowed` ids when given, never those of the
        FAISS selector `exclude` (the tombstones of `index.embedded.segments`) when `allowed` is not given."""
        import faiss

        if self.size == 0 or k <= 0:
            return []
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        sel = exclude
        if allowed is not None:
            if len(allowed) == 0:
                return []
            sel = faiss.IDSelectorBatch(np.asarray(allowed, dtype=np.int64))
        ivf = self._ivf()
        params = None
        if sel is not None:
            if ivf is not None:
                params = faiss.SearchParametersIVF(sel=sel, nprobe=ivf.nprobe)
            else:
                params = faiss.SearchParameters(sel=sel)
        # Waking FAISS's thread pool costs more than scanning a small index on one thread.
        faiss.omp_set_num_threads(1 if self.size < SMALL else _THREADS)
        if ivf is not None:
            ivf.parallel_mode = int(ivf.nprobe * ivf.ntotal >= PARALLEL_SCAN * ivf.nlist)
        scores, ids = self.index.search(q, min(k, self.size), params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]

    def ids(self) -> np.ndarray:
        """Every id the index holds (for verify and merges)."""
        import faiss

        ivf = self._ivf()
        if ivf is None:
            return faiss.vector_to_array(self.index.id_map).astype(np.int64)
        lists = ivf.invlists
        parts = [faiss.rev_swig_ptr(lists.get_ids(i), lists.list_size(i)).copy()
                 for i in range(lists.nlist) if lists.list_size(i)]
        return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, dtype=np.int64)

    def vector(self, chunk_id: int) -> np.ndarray | None:
        """The stored vector of one id, or None when the index does not hold it."""
        try:
            return np.asarray(self.index.reconstruct(int(chunk_id)), dtype=np.float32)
        except RuntimeError:
            return None

    def save(self, path: Path, before_rename=None) -> str:
        """Write atomically (temporary file, fsync, rename); returns the file's checksum. FAISS writes
        straight to the file, checksummed on the way: serializing to memory first held a second copy
        of the index (5.4 GB of codes at 100k articles)."""
        import faiss

        tmp = path.with_name(path.name + f".tmp{os.getpid()}")
        written = Checksum()
        with open(tmp, "wb") as fh:
            def write(data: bytes) -> int:
                written.update(data)
                return fh.write(data)

            writer = faiss.PyCallbackIOWriter(write)
            faiss.write_index(self.index, writer)
            del writer  # flushed and released before the file is synced
            fh.flush()
            os.fsync(fh.fileno())
        if before_rename:
            before_rename()
        os.replace(tmp, path)
        return written.digest()

    @classmethod
    def load(cls, path: Path, dimension: int, expected_checksum: str | None = None) -> "VectorIndex":
        """Read a vector file, refusing it when its checksum differs from the manifest's."""
        import faiss

        # checked as a stream and read by FAISS from the file: one copy of the vectors in memory, not
        # two (reading the bytes whole and then deserializing them peaked at 1.7 GB, 2.5x the open
        # index, at 10,000 articles)
        try:
            path.stat()  # missing or unreadable: said so, not "damaged"
            if expected_checksum is not None and file_checksum(path) != expected_checksum:
                raise VectorFileError(path, "is damaged (its checksum differs from the manifest's)")
            index = faiss.read_index(str(path))
        except OSError as exc:
            raise VectorFileError(path, f"cannot be read ({exc.strerror})") from exc
        except RuntimeError as exc:
            raise VectorFileError(path, "is damaged (FAISS cannot read it)") from exc
        if index.d != dimension:
            raise VectorFileError(path, f"has dimension {index.d}, the index says {dimension}")
        out = cls(index, dimension)
        ivf = out._ivf()
        if ivf is not None:  # a file trained before NPROBE_MAX searches as one trained now
            ivf.nprobe = min(ivf.nprobe, _nprobe(ivf.nlist))
        return out


def _fix_range(sq) -> None:
    """The quantizer's range is `index.embedding.quantize`'s fixed one, never trained: the vector file's codes
    are then the very bytes SQLite keeps."""
    import faiss

    faiss.copy_array_to_vector(np.array([CODE_LOW, CODE_WIDTH], dtype=np.float32), sq.trained)


class Checksum:
    """CRC-32 and length of a vector file's bytes, taken as they pass. CRC-32 catches any burst of
    damage up to 32 bits and random damage with odds of 1 in 4 billion of a miss; it is the fastest
    check on hand (0.25 s for 135 MB on a busy 2-core machine, against 0.39 s for SHA-256 and 0.66 s
    for BLAKE2b), and it guards against accidents, not attackers."""

    def __init__(self) -> None:
        self.crc, self.size = 0, 0

    def update(self, data: bytes) -> None:
        self.crc, self.size = zlib.crc32(data, self.crc), self.size + len(data)

    def digest(self) -> str:
        return f"crc32:{self.crc:08x}:{self.size}"


def file_checksum(path: Path, block: int = 1 << 22) -> str:
    """The `Checksum` of a file's bytes, read a block at a time."""
    found = Checksum()
    with open(path, "rb") as f:
        while chunk := f.read(block):
            found.update(chunk)
    return found.digest()


class VectorFileError(IndexCorruptError):
    """The vector file is missing or damaged; SQLite still holds every vector (repairable)."""

    def __init__(self, path: Path, what: str):
        super().__init__(f"The vector file {path.name} in {path.parent} {what}; "
                         f"rebuild it from the database (no re-embedding): byline index repair --index {path.parent}")
        self.path = path
