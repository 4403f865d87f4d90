"""Part 3: warm `Assistant.ask` by stage on the seed index, and the dense / keyword stages at larger
sizes on synthetic data, from which ask p95 at that size is estimated.

Synthetic vectors: 1,000 gaussian centres (standard normal, 384-d, normalized); each vector is a
centre + gaussian noise of std 0.6/sqrt(384) per dimension (so |noise| ≈ 0.6), normalized; queries are
made the same way. Synthetic keyword rows: ~24 words (20–28) sampled from the seed articles'
vocabulary with Zipf(1.0) frequencies by rank, in an FTS5 table with Byline's schema; queries are the
FTS5 MATCH expressions Byline makes for the 70 seed questions.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from bench import SEED_QUESTIONS, load_jsonl, pct, summary

STAGES = ("embed", "dense", "keyword", "fuse", "compose", "total")


def _stage_summary(samples: dict[str, list[float]]) -> dict:
    return {k: {"p50": pct(v, 50), "p95": pct(v, 95), "min": min(v), "max": max(v), "n": len(v)}
            for k, v in samples.items()}


def seeds(args, tmp: Path) -> dict:
    from index.api import default_corpus_paths
    from qa import Assistant, build_index

    d = tmp / "seed-index"
    build_index(default_corpus_paths(), d)
    a = Assistant.open(d, build_default=False)
    qs = [q["question"] for q in load_jsonl(SEED_QUESTIONS)]
    if args.quick:
        qs = qs[:15]
    for q in qs[:10]:
        a.ask(q)  # warm-up
    samples: dict[str, list[float]] = {s: [] for s in STAGES}
    rounds = 1 if args.quick else args.repeats
    for _ in range(rounds):
        for q in qs:
            ans = a.ask(q)
            for s in STAGES:
                samples[s].append(float(ans.timings.get(s, 0.0)))
    chunks = a.index.store.count("chunks")
    a.close()
    return {"chunks": chunks, "questions": len(qs), "rounds": rounds, "stages": _stage_summary(samples)}


def clustered(n: int, dim: int, centres: np.ndarray, rng, noise: float = 0.6) -> np.ndarray:
    out = np.empty((n, dim), np.float32)
    step = 100_000
    for i in range(0, n, step):
        m = min(step, n - i)
        c = centres[rng.integers(0, len(centres), m)]
        v = c + rng.standard_normal((m, dim), dtype=np.float32) * (noise / np.sqrt(dim))
        out[i:i + m] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return out


def dense_at(n: int, dim: int, rng, centres, queries, k: int, approximate: bool) -> dict:
    from index.embedded.vectors import VectorIndex

    vecs = clustered(n, dim, centres, rng)
    ids = np.arange(1, n + 1, dtype=np.int64)
    t = time.perf_counter()
    exact = VectorIndex.build(ids, vecs, dim, approximate=False)
    out = {"n": n, "exact_build_s": time.perf_counter() - t}
    for q in queries[:5]:
        exact.search(q, k)
    lat, truth = [], []
    for q in queries:
        t = time.perf_counter()
        truth.append([i for i, _ in exact.search(q, k)])
        lat.append((time.perf_counter() - t) * 1000)
    out["exact_ms"] = {"p50": pct(lat, 50), "p95": pct(lat, 95), "min": min(lat), "max": max(lat)}
    del exact
    if approximate and n >= 10_000:
        import faiss

        t = time.perf_counter()
        ivf = VectorIndex.build(ids, vecs, dim, approximate=True)
        out["ivf_build_s"] = time.perf_counter() - t
        inner = faiss.extract_index_ivf(ivf.index)
        out["nlist"], out["nprobe"] = int(inner.nlist), int(inner.nprobe)
        for q in queries[:5]:
            ivf.search(q, k)
        lat, rec = [], []
        for q, tr in zip(queries, truth):
            t = time.perf_counter()
            got = [i for i, _ in ivf.search(q, k)]
            lat.append((time.perf_counter() - t) * 1000)
            rec.append(len(set(got[:10]) & set(tr[:10])) / 10)
        out["ivf_ms"] = {"p50": pct(lat, 50), "p95": pct(lat, 95), "min": min(lat), "max": max(lat)}
        out["ivf_recall_at_10"] = float(np.mean(rec))
        out["ivf_speedup_p50"] = out["exact_ms"]["p50"] / out["ivf_ms"]["p50"]
    return out


def vocabulary() -> list[str]:
    from index.api import default_corpus_paths

    counts: dict[str, int] = {}
    for p in default_corpus_paths():
        for w in re.findall(r"\w+", p.read_text(encoding="utf-8").lower()):
            counts[w] = counts.get(w, 0) + 1
    return sorted(counts, key=counts.get, reverse=True)


def keyword_at(n: int, words: list[str], matches: list[str], rng, tmp: Path, k: int) -> dict:
    from index.embedded.store import Store

    d = tmp / f"fts-{n}"
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    store = Store(d / "byline.sqlite")
    store.create_schema()
    p = 1.0 / np.arange(1, len(words) + 1)
    p /= p.sum()
    arr = np.array(words, dtype=object)
    t = time.perf_counter()
    step = 50_000
    for i in range(0, n, step):
        m = min(step, n - i)
        lens = rng.integers(20, 29, m)
        flat = arr[rng.choice(len(words), int(lens.sum()), p=p)]
        rows, pos = [], 0
        for j, L in enumerate(lens):
            rows.append((i + j + 1, " ".join(flat[pos:pos + L])))
            pos += L
        store.begin()
        store.db.executemany("INSERT INTO chunks_fts(rowid, text) VALUES (?, ?)", rows)
        store.commit()
    fill_s = time.perf_counter() - t
    from qa.question.query import keyword_match

    df: dict = {}

    def doc_freq(term, prefix):  # cached per term, as qa's Retriever does
        if (term, prefix) not in df:
            df[(term, prefix)] = store.doc_freq(term, prefix)
        return df[(term, prefix)]

    pruned = [keyword_match(terms, doc_freq, n) for terms in matches]
    for mt in pruned[:5]:
        store.keyword_search(mt, k)
    lat = []
    for mt in pruned:
        t = time.perf_counter()
        store.keyword_search(mt, k)
        lat.append((time.perf_counter() - t) * 1000)
    store.close()
    shutil.rmtree(d, ignore_errors=True)
    return {"n": n, "fill_s": fill_s, "ms": {"p50": pct(lat, 50), "p95": pct(lat, 95), "min": min(lat), "max": max(lat)}}


def run(args) -> dict:
    from qa.question.query import analyse
    from qa.settings import QASettings

    tmp = Path(tempfile.mkdtemp(prefix="bybench-q-"))
    out = {"method": __doc__.strip(), "seeds": seeds(args, tmp)}
    sizes = [1000] if args.quick else [int(s) for s in args.sizes.split(",") if s]
    k = QASettings().k_dense
    dim = 384
    rng = np.random.default_rng(0)
    centres = rng.standard_normal((1000, dim), dtype=np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    queries = clustered(100 if not args.quick else 20, dim, centres, np.random.default_rng(1))
    qs = [q["question"] for q in load_jsonl(SEED_QUESTIONS)]
    matches = [t for t in (analyse(q, [], 2000).terms for q in qs) if t]  # pruned per index size
    words = vocabulary()
    st = out["seeds"]["stages"]
    fixed = st["embed"]["p95"] + st["compose"]["p95"] + st["fuse"]["p95"]
    out["sizes"] = {}
    for n in sizes:
        t = time.perf_counter()
        dense = dense_at(n, dim, rng, centres, queries, k, approximate=n >= 100_000)
        kw = keyword_at(n, words, matches, rng, tmp, QASettings().k_keyword)
        row = {"dense": dense, "keyword": kw,
               "est_ask_p95_ms": fixed + dense["exact_ms"]["p95"] + kw["ms"]["p95"]}
        if "ivf_ms" in dense:
            row["est_ask_p95_ms_ivf"] = fixed + dense["ivf_ms"]["p95"] + kw["ms"]["p95"]
        row["wall_s"] = time.perf_counter() - t
        out["sizes"][str(n)] = row
    shutil.rmtree(tmp, ignore_errors=True)
    r100 = out["sizes"].get("100000")
    out["goals"] = {"ask_p95_le_60ms_at_100k": None if r100 is None else r100["est_ask_p95_ms"] <= 60}
    out["estimate"] = "est ask p95 = seed p95 of embed + fuse + compose + synthetic p95 of dense + keyword (a sum of p95s: an upper bound)"
    return out


def table(res: dict):
    from rich.table import Table

    s = res["seeds"]
    t1 = Table(title=f"3a. warm Assistant.ask on the seed index ({s['chunks']} chunks, {s['questions']} questions × "
                     f"{s['rounds']} rounds), ms")
    for c in ("stage", "p50", "p95", "min", "max"):
        t1.add_column(c)
    for name, v in s["stages"].items():
        t1.add_row(name, f"{v['p50']:.2f}", f"{v['p95']:.2f}", f"{v['min']:.2f}", f"{v['max']:.2f}")
    t2 = Table(title="3b. search stages at size (synthetic; ms p50 / p95) and estimated ask p95")
    for c in ("chunks", "exact dense", "IVF dense", "IVF recall@10", "IVF speed-up", "nlist/nprobe",
              "FTS5 keyword", "est ask p95 (exact)", "est ask p95 (IVF)"):
        t2.add_column(c)
    for n, r in res["sizes"].items():
        d, kw = r["dense"], r["keyword"]
        ivf = d.get("ivf_ms")
        t2.add_row(f"{int(n):,}", f"{d['exact_ms']['p50']:.2f} / {d['exact_ms']['p95']:.2f}",
                   f"{ivf['p50']:.2f} / {ivf['p95']:.2f}" if ivf else "-",
                   f"{d['ivf_recall_at_10']:.3f}" if ivf else "-",
                   f"{d['ivf_speedup_p50']:.1f}×" if ivf else "-",
                   f"{d['nlist']}/{d['nprobe']}" if ivf else "-",
                   f"{kw['ms']['p50']:.2f} / {kw['ms']['p95']:.2f}", f"{r['est_ask_p95_ms']:.1f}",
                   f"{r['est_ask_p95_ms_ivf']:.1f}" if "est_ask_p95_ms_ivf" in r else "-")
    return [t1, t2]
