"""Compact blobs for what SQLite keeps per article (format 4, issue 13): the text, the sentence
spans and the named entities, each zlib-compressed, one blob an article instead of one row a
sentence or entity.

On the 609 MultiHop articles (`python -m bench scale`, `dbstat`): text 10.3 -> 4.4 KB an article,
sentences 1.6 -> 0.2 KB, entities 4.0 -> 0.7 KB, for a few tens of microseconds to unpack one
article's parts when an answer is composed. Spans and offsets are stored as differences from the
previous one (small numbers, which zlib packs well); every offset counts characters, as Python does.
"""

from __future__ import annotations

import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence

import numpy as np

LEVEL = 6  # zlib: level 9 saved 0.3% more on the MultiHop texts for twice the time
# Unpacked parts kept by a store (texts ~10 KB, so at most ~30 MB): unpacking one text costs ~0.1 ms
# on the 2-core machine (article_by_row 30 -> 110-136 us), and ranking reads the text of each of a
# question's ~40 articles. MultiHop dev questions 40-120 on the 609-article index, fuse p50: format 3
# 1.26 ms, format 4 uncached 5.8-6.5 ms, with this cache 1.40 ms.
UNPACKED = 8192


def pack_text(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), LEVEL)


def unpack_text(blob: bytes | str) -> str:
    return blob if isinstance(blob, str) else zlib.decompress(blob).decode("utf-8")


def _pack_ints(values: np.ndarray) -> bytes:
    deltas = np.diff(np.asarray(values, dtype=np.int64), prepend=0)
    return zlib.compress(deltas.astype("<i4").tobytes(), LEVEL)


def _unpack_ints(blob: bytes) -> np.ndarray:
    return np.cumsum(np.frombuffer(zlib.decompress(blob), dtype="<i4").astype(np.int64))


def pack_spans(spans: Sequence[tuple[int, int]]) -> bytes:
    """Sentence spans (start, end), in order."""
    return _pack_ints(np.array(spans, dtype=np.int64).reshape(-1))


def unpack_spans(blob: bytes | None) -> list[tuple[int, int]]:
    if not blob:
        return []
    flat = _unpack_ints(blob).tolist()
    return list(zip(flat[0::2], flat[1::2]))


def pack_entities(entities: Iterable) -> bytes:
    """Entities (objects with start, end, label), sorted by start, one per start as the table kept
    them (the first of two that begin at one offset wins): labels first, one a line, then the
    offsets and label numbers."""
    by_start: dict[int, tuple[int, int, str]] = {}
    for e in entities:
        by_start.setdefault(int(e.start), (int(e.start), int(e.end), str(e.label)))
    rows = [by_start[s] for s in sorted(by_start)]
    labels = sorted({r[2] for r in rows})
    code = {lab: i for i, lab in enumerate(labels)}
    ints = np.array([(s, e - s, code[lab]) for s, e, lab in rows], dtype=np.int64).reshape(-1, 3)
    head = "\n".join(labels).encode("utf-8")
    body = np.concatenate([np.diff(ints[:, 0], prepend=0), ints[:, 1], ints[:, 2]]).astype("<i4").tobytes()
    return zlib.compress(len(head).to_bytes(4, "little") + head + body, LEVEL)


def unpack_entities(blob: bytes | None) -> list[tuple[int, int, str]]:
    """(start, end, label) sorted by start."""
    if not blob:
        return []
    raw = zlib.decompress(blob)
    n = int.from_bytes(raw[:4], "little")
    labels = raw[4:4 + n].decode("utf-8").split("\n") if n else []
    ints = np.frombuffer(raw[4 + n:], dtype="<i4").astype(np.int64).reshape(3, -1)
    starts = np.cumsum(ints[0])
    return list(zip(starts.tolist(), (starts + ints[1]).tolist(), [labels[c] for c in ints[2].tolist()]))


class Unpacked:
    """The most recently used unpacked parts, by (what, article rowid). Rowids are never reused and
    an article's stored parts never change, so an entry never goes stale."""

    def __init__(self, size: int = UNPACKED):
        self.size, self._items, self._lock = size, OrderedDict(), threading.Lock()

    def get(self, key, make: Callable):
        """The kept value, else `make()` (kept unless None)."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        value = make()
        if value is not None:
            with self._lock:
                self._items[key] = value
                if len(self._items) > self.size:
                    self._items.popitem(last=False)
        return value


def varint(data: bytes, at: int) -> tuple[int, int]:
    """SQLite's variable-length integer at `at` (as FTS5 writes its records): the value and where the next begins."""
    value = 0
    for i in range(8):
        byte = data[at + i]
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value, at + i + 1
    return (value << 8) | data[at + 8], at + 9
