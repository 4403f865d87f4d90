"""The keyword leg on Qdrant: an FTS5 match string (`qa.question.query.fts_query`'s) as a sparse query over
the windows' BM25 term weights (`index.terms`), scored and ordered as FTS5's bm25 orders them.

Scores: the query weight of a term turns Qdrant's IDF into FTS5's (`index.terms.fts_weight`).
Order: FTS5 gives equal scores in rowid order, the order the windows were written. Qdrant returns
equal scores in no set order, so the windows tied with the k-th are all fetched and ordered by the
place their article took in the write order (`seq`, see `index.qdrant.write.number`), then by
position. Ties are common: overlapping windows of one article, or of two, often hold the same words
at the same length (on the seed questions, 5 of 72 keyword searches cut through a tie).
"""

from __future__ import annotations

from qdrant_client import models

from index.qdrant.schema import CHUNKS, KEYWORD
from index.terms import PREFIX_MIN, fts_weight, parse_match, term_id

PREFIX_TERMS = 1_000  # most indexed words a prefix term of a keyword query expands to
FETCH = 4  # hits fetched first, times k: a tie at the cut is then usually seen whole (a second request
# costs little on a server, but a second scan of every point in local mode: 3-6 s at 88k windows)
TIE_MOST = 10_000  # most hits fetched to find every window tied with the k-th


def written_order(p) -> tuple:
    """Equal scores in the order FTS5 gives them: the write order (`seq`, the article's place in it,
    then position); indexes written before `seq` existed fall back to article id and position."""
    return -p.score, p.payload.get("seq", -1), p.payload["article_id"], p.payload["start"]


def weights(match: str, total: int, words) -> dict[int, float]:
    """Term id -> query weight for the words and prefixes of `match` (`words`: index.qdrant.words)."""
    query = parse_match(match)
    out: dict[int, float] = {}

    def add(tid: int, weight: float) -> None:  # a phrase repeated in the query counts each time, as in FTS5's bm25
        out[tid] = out.get(tid, 0.0) + weight

    for word in query.words:
        add(term_id(word), fts_weight(total, words.count(word)))
    for prefix in query.prefixes:
        if len(prefix) >= PREFIX_MIN:  # indexed as a term of its own (index.terms.prefix_terms)
            add(term_id(prefix + "*"), fts_weight(total, words.count_prefix(prefix)))
        else:
            for w, n in words.words(prefix, PREFIX_TERMS):
                add(term_id(w), fts_weight(total, n))
    return {i: w for i, w in out.items() if w > 0}


def search(client, weighted: dict[int, float], k: int, flt: models.Filter | None) -> list[tuple[int, float]]:
    """The k best windows for the weighted terms, ties in FTS5's order."""
    if not weighted:
        return []
    ids = sorted(weighted)
    vector = models.SparseVector(indices=ids, values=[weighted[i] for i in ids])

    def query(limit: int, threshold: float | None = None) -> list:
        return client.query_points(CHUNKS, query=vector, using=KEYWORD, limit=limit, query_filter=flt,
                                   score_threshold=threshold, with_payload=["seq", "article_id", "start"]).points

    limit = FETCH * k
    points = query(limit)
    while len(points) == limit and points[-1].score >= points[k - 1].score and limit < TIE_MOST:
        # the windows tied with the k-th may go on past those fetched: fetch every one of them
        limit *= 4
        kth = points[k - 1].score
        points = query(limit, kth - max(abs(kth), 1.0) * 1e-6)  # just under: local mode's bound is strict
    return [(int(p.id), float(p.score)) for p in sorted(points, key=written_order)[:k]]
