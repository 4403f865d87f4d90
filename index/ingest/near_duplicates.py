"""Near-duplicate articles (the same wire story with small edits) by 64-bit SimHash of word
4-shingles: two articles within a few bits of each other share almost all their wording."""

from __future__ import annotations

import re
import zlib

import numpy as np

_WORD = re.compile(r"\w+")
MAX_DISTANCE = 4  # bits out of 64


def simhash(text: str) -> int:
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < 4:
        words = words + [""] * (4 - len(words))
    shingles = {" ".join(words[i:i + 4]) for i in range(len(words) - 3)}
    hashes = np.array([(zlib.crc32(s.encode()) << 32) | zlib.crc32(("#" + s).encode()) for s in shingles],
                      dtype=np.uint64)
    bits = np.unpackbits(hashes.view(np.uint8).reshape(-1, 8), axis=1).astype(np.int32)
    votes = (bits * 2 - 1).sum(axis=0)
    packed = np.packbits(votes > 0).view(np.uint64)[0]
    return int(packed.astype(np.int64))


def closest(value: int, ids: list[str], values: np.ndarray) -> tuple[str, int] | None:
    """The stored article nearest to `value`, if within MAX_DISTANCE bits."""
    if not len(values):
        return None
    x = np.bitwise_xor(values.astype(np.int64), np.int64(value)).view(np.uint64)
    dist = np.unpackbits(x.view(np.uint8).reshape(-1, 8), axis=1).sum(axis=1)
    best = int(dist.argmin())
    return (ids[best], int(dist[best])) if dist[best] <= MAX_DISTANCE else None
