"""Vectors as 8-bit codes: one byte a dimension, 4x smaller than float32 (issue 13).

A fixed uniform scalar quantizer over [-CODE_RANGE, CODE_RANGE], the same one FAISS applies
(`QT_8bit_uniform` with its trained range set to these bounds, see `index.embedded.vectors`): a code is
floor(255 * (x - lo) / width) and decodes to lo + (code + 0.5) / 255 * width. Because the range is
fixed and not trained, the codes SQLite keeps and the codes in the vector file are the same bytes:
`verify` compares them exactly and `repair` rebuilds the vector file from them with no re-embedding.
"""

from __future__ import annotations

import numpy as np

# MiniLM vectors are unit-length in 384 dimensions: over the 88k windows of the MultiHop index the
# largest absolute component is 0.28 (99.9999th percentile 0.25). Anything beyond the bound is clipped.
CODE_RANGE = 0.32
CODE_LOW = -CODE_RANGE
CODE_WIDTH = 2 * CODE_RANGE


def encode(vectors: np.ndarray) -> np.ndarray:
    """float32 rows -> uint8 codes (NaN becomes code 0: it is damage, and `verify` will see it differ)."""
    x = (np.asarray(vectors, dtype=np.float32) - np.float32(CODE_LOW)) / np.float32(CODE_WIDTH)
    x = np.nan_to_num(np.clip(x, 0.0, 1.0), nan=0.0)
    return np.minimum(np.floor(x * np.float32(255.0)), 255).astype(np.uint8)


def decode(codes: np.ndarray) -> np.ndarray:
    """uint8 codes -> float32 rows, the values FAISS reconstructs from the same codes."""
    c = np.asarray(codes, dtype=np.float32)
    return np.float32(CODE_LOW) + (c + np.float32(0.5)) / np.float32(255.0) * np.float32(CODE_WIDTH)


def to_blob(vector: np.ndarray) -> bytes:
    return encode(vector).tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    return decode(np.frombuffer(blob, dtype=np.uint8))
