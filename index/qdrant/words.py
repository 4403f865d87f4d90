"""The indexed words of a Qdrant index and how many windows hold each: what FTS5's `fts5vocab` table
gives the embedded index (spelling correction, the keyword query's common-term cut, sentence term
weights, and the FTS5 IDF that `index.terms.fts_weight` restores).

Two ways to count, the same numbers:
- `MemoryWords`: one pass over the windows' `words` payload, kept per index version. For local mode
  and indexes up to `MEMORY_LIMIT` windows (local mode scans its points for every filtered count:
  a count per word would cost more than the whole pass).
- `CountedWords`: Qdrant's exact `count` over the keyword-indexed `words` payload, one request a
  word, and the `byline_terms` collection for the words starting with a prefix. For servers and
  larger indexes, where nothing is held in the client.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence

from qdrant_client import models

from index.qdrant.schema import CHUNKS, TERMS, match, match_any
from index.terms import PREFIX_MIN

MEMORY_LIMIT = 200_000  # windows; above, words are counted by Qdrant (about 8 MB of counts per 100k windows)
SCROLL = 2_000


class MemoryWords:
    def __init__(self, client):
        self.df: Counter[str] = Counter()  # windows holding the word (or digit pair term)
        self.prefix_df: Counter[str] = Counter()  # windows holding a word starting with the prefix
        offset = None
        while True:
            points, offset = client.scroll(CHUNKS, limit=SCROLL, offset=offset, with_payload=["words"])
            for p in points:
                words = p.payload.get("words") or ()
                self.df.update(words)
                self.prefix_df.update({w[:i] for w in words if " " not in w for i in range(PREFIX_MIN, len(w) + 1)})
            if offset is None:
                break
        self.sorted = sorted(w for w in self.df if " " not in w)

    def count(self, word: str) -> int:
        return self.df.get(word, 0)

    def count_prefix(self, prefix: str) -> int:
        if len(prefix) >= PREFIX_MIN:
            return self.prefix_df.get(prefix, 0)
        return sum(n for _, n in self.words(prefix, len(self.sorted)))  # an upper bound, as FTS5's sum

    def words(self, prefix: str, limit: int) -> list[tuple[str, int]]:
        at = bisect.bisect_left(self.sorted, prefix)
        out = []
        while at < len(self.sorted) and self.sorted[at].startswith(prefix) and len(out) < limit:
            out.append((self.sorted[at], self.df[self.sorted[at]]))
            at += 1
        return out


class CountedWords:
    def __init__(self, client):
        self.client = client
        self._counts: dict[tuple[str, ...], int] = {}

    def _count_any(self, words: Sequence[str]) -> int:
        key = tuple(words)
        if not key:
            return 0
        if key not in self._counts:
            self._counts[key] = self.client.count(CHUNKS, count_filter=models.Filter(
                must=[match_any("words", list(words))]), exact=True).count
        return self._counts[key]

    def count(self, word: str) -> int:
        return self._count_any([word])

    def count_prefix(self, prefix: str) -> int:
        return self._count_any([w for w, _ in self.words(prefix, 10_000)])

    def words(self, prefix: str, limit: int) -> list[tuple[str, int]]:
        """The terms collection keeps words no longer present (count 0): they are left out."""
        points, _ = self.client.scroll(TERMS, scroll_filter=models.Filter(must=[match("heads", prefix)]),
                                       limit=limit, with_payload=["term"])
        return [(t, n) for t in sorted(p.payload["term"] for p in points) if (n := self.count(t))]
