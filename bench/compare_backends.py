"""Point-by-point comparison of an embedded index and a Qdrant index built from the same articles
(`byline index build` vs `byline index build --qdrant … [--ray …]`, or `byline index migrate`).

    python -m bench.compare_backends EMBEDDED_DIR qdrant+PATH [--questions FILE --limit N] [--out FILE]

Points: the same articles (text, content hash, sentence spans, named entities), the same windows
(count, content-hash ids, character and sentence spans, texts), their vectors (largest absolute
difference, cosine, how many are bit-identical) and their sparse keyword vectors (the same term ids;
values against `index.terms.chunk_terms` with the stored bm25 average and with the corpus' own).

Legs (`--questions`): for each question, the dense and keyword searches `qa` runs (same query
vector, same FTS5 match string, k = 60 as `qa` asks), on both backends, compared list for list,
plus an exact (flat) search over the embedded index's own vectors, which separates what an IVF
index approximates from what the backends do. Minutes on an 88k-window index in local mode; not a
test.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

import bench  # noqa: F401 - offline environment first

WHOLE = 1 << 62


def _embedded_points(emb) -> tuple[dict, dict, dict]:
    """key -> (article_id, start, end, sent_lo, sent_hi, text, vector); rowid -> key; article id -> row."""
    from index.qdrant.points import chunk_key

    points, keys, articles = {}, {}, {}
    with emb.snapshot():
        for listing in emb.list():
            row = emb.article(listing.id)
            articles[row.id] = (row, [(s, e) for _, s, e in emb.sentences(row.rowid, 0, WHOLE)],
                                sorted(tuple(e) for e in emb.entities(row.rowid, 0, WHOLE)))
            for n, w in enumerate(sorted(emb.windows(row.rowid, 0, WHOLE), key=lambda w: w.start)):
                key = chunk_key(row.id, row.content_hash, n)
                points[key] = (row.id, w.start, w.end, w.sent_lo, w.sent_hi, row.text[w.start:w.end],
                               np.asarray(w.vector, dtype=np.float32))
                keys[w.chunk_id] = key
    return points, keys, articles


def _qdrant_points(q) -> tuple[dict, dict]:
    from index.qdrant.schema import ARTICLES, CHUNKS, DENSE, KEYWORD

    points, offset = {}, None
    while True:
        found, offset = q.client.scroll(CHUNKS, limit=2_000, offset=offset, with_vectors=True,
                                        with_payload=["article_id", "start", "end", "sent_lo", "sent_hi", "ordinal"])
        for p in found:
            sparse = p.vector[KEYWORD]
            points[int(p.id)] = (p.payload, np.asarray(p.vector[DENSE], dtype=np.float32),
                                 dict(zip(sparse.indices, sparse.values)))
        if offset is None:
            break
    articles, offset = {}, None
    while True:
        found, offset = q.client.scroll(ARTICLES, limit=1_000, offset=offset, with_payload=True)
        articles.update((p.payload["id"], p.payload) for p in found)
        if offset is None:
            break
    return points, articles


def compare_points(emb, q) -> dict:
    from index.terms import chunk_terms, tokenize

    t = time.perf_counter()
    e_points, keys, e_articles = _embedded_points(emb)
    q_points, q_articles = _qdrant_points(q)
    read_s = time.perf_counter() - t
    out: dict = {"read_s": round(read_s, 1)}
    out["articles"] = {"embedded": len(e_articles), "qdrant": len(q_articles),
                       "same_ids": set(e_articles) == set(q_articles),
                       "incomplete_in_qdrant": sum(not a.get("complete") for a in q_articles.values())}
    diff_text = diff_sent = diff_ent = 0
    for aid, (row, sents, ents) in e_articles.items():
        p = q_articles.get(aid)
        if p is None:
            continue
        diff_text += p["text"] != row.text or p["content_hash"] != row.content_hash
        diff_sent += [tuple(s) for s in p["sentences"]] != sents
        diff_ent += sorted(tuple(e) for e in p["entities"]) != ents
    out["articles"].update(text_or_hash_differ=diff_text, sentence_spans_differ=diff_sent, entities_differ=diff_ent)
    both = sorted(set(e_points) & set(q_points))
    out["windows"] = {"embedded": len(e_points), "qdrant": len(q_points), "same_ids": len(both),
                      "only_embedded": len(set(e_points) - set(q_points)),
                      "only_qdrant": len(set(q_points) - set(e_points))}
    spans = texts = 0
    for key in both:
        aid, start, end, lo, hi, text, _ = e_points[key]
        pay = q_points[key][0]
        spans += (pay["article_id"], pay["start"], pay["end"], pay["sent_lo"], pay["sent_hi"]) != (aid, start, end, lo, hi)
        texts += q_articles[pay["article_id"]]["text"][pay["start"]:pay["end"]] != text
    out["windows"].update(spans_differ=spans, texts_differ=texts)
    if both:
        a = np.stack([e_points[k][6] for k in both])
        b = np.stack([q_points[k][1] for k in both])
        diff = np.abs(a - b).max(axis=1)
        cos = (a * b).sum(1) / np.maximum(np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1), 1e-12)
        out["vectors"] = {"identical": int((diff == 0).sum()), "of": len(both),
                          "max_abs_diff": float(diff.max()), "mean_max_abs_diff": float(diff.mean()),
                          "cos_min": float(cos.min()), "cos_median": float(np.median(cos)), "cos_mean": float(cos.mean()),
                          "cos_p01": float(np.percentile(cos, 1)),
                          "within_one_code": int((diff <= 0.64 / 255 + 1e-6).sum())}
    stored_avg = float(q.meta().get("avg_tokens") or 0.0)
    lengths = {k: len(tokenize(e_points[k][5])) for k in e_points}
    corpus_avg = sum(lengths.values()) / max(len(lengths), 1)
    terms_differ = values_stored = values_corpus = 0
    worst_stored = worst_corpus = 0.0
    for key in both:
        text = e_points[key][5]
        held = q_points[key][2]
        for avg, kind in ((stored_avg, "stored"), (corpus_avg, "corpus")):
            t_ = chunk_terms(text, avg)
            want = dict(zip(t_.indices, t_.values))
            if kind == "stored":
                terms_differ += set(want) != set(held)
            rel = max((abs(held.get(i, 0.0) - v) / max(abs(v), 1e-12) for i, v in want.items()), default=0.0)
            if kind == "stored":
                values_stored += rel > 1e-5
                worst_stored = max(worst_stored, rel)
            else:
                values_corpus += rel > 1e-5
                worst_corpus = max(worst_corpus, rel)
    out["sparse"] = {"term_sets_differ": terms_differ, "stored_avg_tokens": stored_avg,
                     "corpus_avg_tokens": corpus_avg,
                     "values_differ_from_stored_avg": values_stored, "worst_rel_stored_avg": worst_stored,
                     "values_differ_from_corpus_avg": values_corpus, "worst_rel_corpus_avg": worst_corpus}
    out["_keys"] = keys
    out["_vectors"] = (both, e_points)
    return out


class Recorder:
    """The embedded index as `qa` sees it, noting every search it runs (to replay on the other backend)."""

    def __init__(self, inner):
        self.inner, self.calls, self._filter = inner, [], None

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def filter_ids(self, *args, **kw):
        self._filter = (args, kw)
        return self.inner.filter_ids(*args, **kw)

    def search_dense(self, vector, k, allowed=None):
        found = self.inner.search_dense(vector, k, allowed)
        self.calls.append(("dense", np.array(vector, dtype=np.float32), k, self._filter if allowed is not None else None,
                           allowed, found))
        return found

    def search_keyword(self, match, k, *args, **kw):
        found = self.inner.search_keyword(match, k, *args, **kw)
        self.calls.append(("keyword", match, k, (args, kw), None, found))
        return found


def _same_scores(a: list, b: list, rel: float = 1e-4) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= rel * max(abs(x), 1e-9) for x, y in zip(a, b))


def _overlap(a: list, b: list, n: int = 10) -> float:
    """Shared share of the first n of two result lists (1.0 when both are empty)."""
    if not a and not b:
        return 1.0
    return len(set(a[:n]) & set(b[:n])) / max(1, min(n, max(len(a), len(b))))


def compare_legs(emb, q, keys: dict, vectors: tuple, questions: list) -> dict:
    """Every dense and keyword search `qa` runs for `questions` on the embedded index, replayed on
    Qdrant with the same arguments, and the dense ones also exactly (flat) over the embedded vectors."""
    from qa import Assistant

    both, e_points = vectors
    matrix = np.stack([e_points[k][6] for k in both])
    order = np.array(both, dtype=np.uint64)
    recorder = Recorder(emb)
    assistant = Assistant(recorder)
    legs = {"dense": [], "keyword": []}
    t = time.perf_counter()
    for question in questions:
        recorder.calls.clear()
        assistant.ask(question)
        for kind, arg, k, filters, allowed, found in recorder.calls:
            e_ids = [keys.get(c, -1) for c, _ in found]
            e_scores = [s for _, s in found]
            with q.snapshot():
                if kind == "dense":
                    q_allowed = q.filter_ids(*filters[0], **filters[1]) if filters else None
                    got = q.search_dense(arg, k, q_allowed)
                else:
                    got = q.search_keyword(arg, k, *filters[0], **filters[1])
            q_ids, q_scores = [int(c) for c, _ in got], [s for _, s in got]
            row = {"same_order": e_ids == q_ids, "same_set": set(e_ids) == set(q_ids),
                   "top10_overlap": _overlap(e_ids, q_ids),
                   "same_scores": _same_scores(e_scores, q_scores),
                   "worst_score_rel": max((abs(a - b) / max(abs(a), 1e-9) for a, b in
                                           zip(sorted(e_scores), sorted(q_scores))), default=0.0)}
            if kind == "dense":
                scores = matrix @ arg
                if allowed is not None:
                    mask = np.isin(order, np.array([keys[int(c)] for c in allowed], dtype=np.uint64))
                    scores = np.where(mask, scores, -np.inf)
                top = np.argsort(-scores, kind="stable")[:k]
                exact = [int(order[i]) for i in top if np.isfinite(scores[i])]
                row["exact_vs_embedded_top10"] = _overlap(exact, e_ids)
                row["exact_vs_qdrant_top10"] = _overlap(exact, q_ids)
                row["exact_vs_qdrant_same_set"] = set(exact) == set(q_ids)
            legs[kind].append(row)
    out = {"questions": len(questions), "seconds": round(time.perf_counter() - t, 1)}
    for kind, rows in legs.items():
        n = len(rows)
        summary = {"searches": n}
        for field in rows[0] if rows else ():
            values = [r[field] for r in rows]
            summary[field] = (max(values) if field.startswith("worst") else
                              round(sum(values) / n, 4))
        out[kind] = summary
    return out


def main(argv=None) -> int:
    from eval.questions import load_questions
    from index import backend

    p = argparse.ArgumentParser(prog="python -m bench.compare_backends", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("embedded", help="an embedded index folder")
    p.add_argument("qdrant", help="qdrant+PATH or qdrant+URL")
    p.add_argument("--questions", type=Path, help="also compare each search leg on these questions (JSONL)")
    p.add_argument("--limit", type=int, default=50, help="the first N questions")
    p.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = p.parse_args(argv)
    emb, q = backend.open_index(args.embedded), backend.open_index(args.qdrant)
    try:
        result = compare_points(emb, q)
        keys, vectors = result.pop("_keys"), result.pop("_vectors")
        print(json.dumps(result, indent=2), flush=True)
        if args.questions:
            questions = [x.question for x in load_questions(args.questions)][:args.limit]
            result["legs"] = compare_legs(emb, q, keys, vectors, questions)
            print(json.dumps({"legs": result["legs"]}, indent=2), flush=True)
    finally:
        emb.close()
        q.close()
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
