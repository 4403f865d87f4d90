"""Hybrid retrieval: dense (FAISS) and keyword (FTS5 bm25) searches, each filtered inside the
search, fused by weighted reciprocal rank, with a soft boost for the outlets and dates a question
names.

The two searches run side by side: the question is embedded and searched densely on a second
thread (ONNX Runtime and FAISS release the GIL while they compute) while this one builds the keyword
query and runs it. On 2 cores this takes most of the shorter of the two off every question.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from qa.question.query import Query, keyword_match
from qa.settings import QASettings
from qa.types import Filters, Hit


@dataclass
class Ranked:
    hits: list[Hit]
    query_vector: np.ndarray
    timings: dict[str, float]
    filtered_out_everything: bool = False
    rows: dict = field(default_factory=dict)  # chunk id -> the ChunkRow its hit was read from (Composer.candidates)


ALLOWED_KEPT = 64  # filters whose chunk ids a Retriever keeps
VOCABULARY_KEPT = 16  # prefixes whose indexed words a Retriever keeps (at most 20,000 words each)

_DENSE = ThreadPoolExecutor(1, thread_name_prefix="byline-dense")  # one for the process: its job holds no lock


def _kept(cache: OrderedDict, key, limit: int, load):
    """`cache[key]`, loaded on a miss; the `limit` most recently used keys are kept."""
    if key in cache:
        cache.move_to_end(key)
        return cache[key]
    found = cache[key] = load()
    if len(cache) > limit:
        cache.popitem(last=False)
    return found


class Retriever:
    def __init__(self, index, settings: QASettings):
        self.index = index
        self.settings = settings
        self._df: dict[tuple[str, bool], int] = {}
        self._total: int | None = None
        # filters -> the chunk ids they keep, for this version of the index (a new version makes a new
        # Retriever): a yes/no question filters each claim by its outlet, the same few filters again and again
        self._allowed: OrderedDict[tuple, np.ndarray | None] = OrderedDict()
        self._vocabulary: OrderedDict[str, list[tuple[str, int]]] = OrderedDict()  # prefix -> words, this version

    def allowed(self, outlets: tuple[str, ...], since: str | None, until: str | None, no_outlet: bool,
                no_date: bool) -> np.ndarray | None:
        """The chunk ids the filters keep (`Index.filter_ids`), the most recent filters' kept."""
        key = (tuple(outlets), since, until, no_outlet, no_date)
        return _kept(self._allowed, key, ALLOWED_KEPT, lambda: self.index.filter_ids(*key))

    def keyword_articles(self, query: Query, windows: int) -> list:
        """The articles holding the best `windows` keyword hits of `query`, no embedding made: where the articles'
        own words are what is asked (how they write a question's names, `qa.question.casing`; which article a
        description's quote or title words name, `qa.answer.verdict.answer`)."""
        match = self.match(query) if query.match else ""
        ids = [cid for cid, _ in self.index.search_keyword(match, windows)] if match else []
        rowids = dict.fromkeys(row.article_rowid for row in self.index.chunks(ids).values())
        return [a for a in (self.index.article_by_row(r) for r in rowids) if a is not None]

    def vocabulary(self, prefix: str) -> list[tuple[str, int]]:
        """The indexed words starting with `prefix` and their counts (`Index.vocabulary`), the last
        VOCABULARY_KEPT prefixes' kept: spelling correction asks for the words of a first letter (5-8 ms
        on the MultiHop index for a, c, s, t), a misspelt word at a time."""
        return _kept(self._vocabulary, prefix, VOCABULARY_KEPT, lambda: self.index.vocabulary(prefix))

    def doc_freq(self, term: str, prefix: bool) -> int:
        if (term, prefix) not in self._df:
            self._df[(term, prefix)] = self.index.doc_freq(term, prefix)
        return self._df[(term, prefix)]

    def match(self, query: Query) -> str:
        if self._total is None:
            self._total = self.index.chunk_count()
        s = self.settings
        common = s.keyword_common_large if self._total >= s.keyword_large else s.keyword_common
        return keyword_match(query.terms, self.doc_freq, self._total, common=common,
                             max_terms=self.settings.keyword_terms)

    def embed(self, text: str, context: str | None = None) -> np.ndarray:
        texts = [text] + ([text + " " + context] if context else [])
        vecs = self.index.encoder.encode(texts)
        if context:
            v = 0.6 * vecs[0] + 0.4 * vecs[1]
            return v / np.linalg.norm(v)
        return vecs[0]

    def embed_soon(self, text: str) -> Future:
        """`embed(text)` on the dense thread, while this one goes on (a yes/no question's first claim
        builds and runs its keyword search meanwhile); pass the future to `search` as its `vector`."""
        return _DENSE.submit(self.embed, text)

    def search(self, query: Query, filters: Filters | None, k: int, context: str | None = None,
               vector: np.ndarray | Future | None = None) -> Ranked:
        """The fused hits of `query` under `filters`; `vector`, when given, is its embedding already made
        (the claims of one question share the question's), or being made (`embed_soon`)."""
        s = self.settings
        timings: dict[str, float] = {}
        outlets = filters.outlets if filters else ()
        since = filters.since.isoformat() if filters and filters.since else None
        until = filters.until.isoformat() if filters and filters.until else None
        unstated = (filters.no_outlet, filters.no_date) if filters else (False, False)
        allowed = self.allowed(outlets, since, until, *unstated) if filters and filters.active else None
        nothing = allowed is not None and len(allowed) == 0
        searcher = self.index.dense_searcher()
        given = vector

        def dense() -> tuple[np.ndarray, list[tuple[int, float]]]:
            t0 = time.perf_counter()
            vector = self.embed(query.text, context) if given is None else \
                given.result() if isinstance(given, Future) else given  # on this thread: done before this job began
            t1 = time.perf_counter()
            timings["embed"] = (t1 - t0) * 1000
            found = [] if nothing else (searcher or self.index.search_dense)(vector, max(k, s.k_dense), allowed)
            timings["dense"] = (time.perf_counter() - t1) * 1000
            return vector, found

        job = _DENSE.submit(dense) if searcher is not None else None
        done = None if job else dense()
        try:
            t2 = time.perf_counter()
            match = self.match(query) if query.match and not nothing else ""
            keyword = self.index.search_keyword(match, max(k, s.k_keyword), outlets, since, until,
                                                 *unstated) if match else []
            timings["keyword"] = (time.perf_counter() - t2) * 1000
        finally:
            vector, dense_hits = job.result() if job else done  # never left running past the snapshot
        if nothing:
            return Ranked([], vector, timings, filtered_out_everything=True)
        t3 = time.perf_counter()
        rows: dict = {}
        hits = self._fuse(query, dense_hits, keyword, k, rows)
        timings["fuse"] = (time.perf_counter() - t3) * 1000
        return Ranked(hits, vector, timings, rows=rows)

    def _fuse(self, query: Query, dense, keyword, k: int, rows_read: dict | None = None) -> list[Hit]:
        """The hits, best first; `rows_read` gets the chunk rows they were read from."""
        s = self.settings
        scores: dict[int, float] = {}
        dense_rank, keyword_rank = {}, {}
        for rank, (cid, _) in enumerate(dense):
            dense_rank[cid] = rank + 1
            scores[cid] = scores.get(cid, 0.0) + s.dense_weight / (s.rrf_k + rank + 1)
        for rank, (cid, _) in enumerate(keyword):
            keyword_rank[cid] = rank + 1
            scores[cid] = scores.get(cid, 0.0) + s.keyword_weight / (s.rrf_k + rank + 1)
        order = sorted(scores, key=scores.get, reverse=True)[: max(k, s.rerank_depth) * 2]
        rows = self.index.chunks(order)
        if rows_read is not None:
            rows_read.update(rows)
        articles: dict[int, object] = {}

        def article(rowid: int):  # each article read once per question
            if rowid not in articles:
                articles[rowid] = self.index.article_by_row(rowid)
            return articles[rowid]

        if query.outlets or query.date_range:
            lo, hi = query.date_range or (None, None)
            for cid in order:
                row = rows.get(cid)
                if row is None:
                    continue
                a = article(row.article_rowid)
                day = (a.published_at or "")[:10]
                boost = 0.0
                if query.names_outlet_of(a):
                    boost += s.mention_boost
                if query.date_range and day and (lo is None or day >= lo) and (hi is None or day <= hi):
                    boost += s.mention_boost
                scores[cid] *= 1.0 + boost
            order.sort(key=scores.get, reverse=True)
        hits = []
        for cid in order:
            row = rows.get(cid)
            if row is None:
                continue  # an id the database does not know (a stale vector) is dropped
            text = article(row.article_rowid).text[row.start:row.end]
            hits.append(Hit(cid, row.article_id, row.start, row.end, text, scores[cid],
                            dense_rank.get(cid), keyword_rank.get(cid)))
        return hits
