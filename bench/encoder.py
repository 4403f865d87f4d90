"""Part 1: pure `encoder.encode(texts)` per backend: passages/s, agreement with torch, one-query latency."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

from bench import BACKENDS, MODEL, article_subset, chunk_texts, load_jsonl, SEED_QUESTIONS, summary


def run(args) -> dict:
    from index.api import default_corpus_paths
    from index.embedding.encoders import load_encoder

    n_texts = 128 if args.quick else args.encode_texts
    repeats = 2 if args.quick else args.repeats
    tmp = Path(tempfile.mkdtemp(prefix="bybench-enc-"))
    texts, _, _ = chunk_texts(list(default_corpus_paths()) + [article_subset(args.articles, tmp)])
    texts = texts[:n_texts]
    questions = [q["question"] for q in load_jsonl(SEED_QUESTIONS)][:20]
    out: dict = {"texts": len(texts), "repeats": repeats, "batch_size": 32, "backends": {}}
    vecs: dict[str, np.ndarray] = {}
    for backend in BACKENDS:
        t = time.perf_counter()
        enc = load_encoder(MODEL, backend)
        load_s = time.perf_counter() - t
        enc.encode(texts[:64])  # warm-up
        rates = []
        for _ in range(repeats):
            t = time.perf_counter()
            v = enc.encode(texts)
            rates.append(len(texts) / (time.perf_counter() - t))
        vecs[backend] = v
        for q in questions[:3]:
            enc.encode([q])
        lat = []
        for q in questions:
            t = time.perf_counter()
            enc.encode([q])
            lat.append((time.perf_counter() - t) * 1000)
        out["backends"][backend] = {"load_s": load_s, "passages_per_s": summary(rates),
                                    "query_ms": summary(lat)}
        del enc
    for backend in BACKENDS:
        cos = (vecs[backend] * vecs["torch"]).sum(1)
        out["backends"][backend]["cosine_vs_torch"] = {"mean": float(cos.mean()), "min": float(cos.min())}
    base = out["backends"]["torch"]["passages_per_s"]["median"]
    for backend in BACKENDS:
        out["backends"][backend]["speedup_vs_torch"] = out["backends"][backend]["passages_per_s"]["median"] / base
    return out


def table(res: dict):
    from rich.table import Table

    from bench import fmt_s

    t = Table(title=f"1. encoder: pure encode of {res['texts']} chunk texts (median (min–max) of {res['repeats']})")
    for c in ("backend", "passages/s", "× torch", "cos vs torch mean / min", "1 query ms", "load s"):
        t.add_column(c)
    for b, r in res["backends"].items():
        t.add_row(b, fmt_s(r["passages_per_s"]), f"{r['speedup_vs_torch']:.2f}",
                  f"{r['cosine_vs_torch']['mean']:.4f} / {r['cosine_vs_torch']['min']:.4f}",
                  fmt_s(r["query_ms"], nd=2), f"{r['load_s']:.2f}")
    return [t]
