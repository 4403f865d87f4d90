"""Part 2: the whole build pipeline vs pure encode of the same chunk texts, per build in its own
subprocess (so peak RSS is per build), plus incremental add of one article with the model loaded.
With `--workers 1,2,…`: the same MultiHop build with each number of preparing processes
(`index.ingest.prepare`), and the preparation alone (sentences, windows, spaCy, simhash; no encoder) with
each, against reading and cleaning the files (which stay in the writing process)."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import ARTICLES, ROOT, article_subset, summary

CHILD = r"""
import json, resource, shutil, sys, time
from pathlib import Path
import bench
from bench import MODEL, chunk_texts
from index.api import Index
from index.embedding.encoders import load_encoder
from index.settings import IndexSettings
spec = json.loads(sys.argv[1])
paths, d, backend = spec["paths"], Path(spec["dir"]), spec["backend"]
s = IndexSettings(backend=backend)
from index.ingest.prepare import encoder_threads
workers = spec.get("workers", 1)
t = time.perf_counter(); enc = load_encoder(MODEL, backend, encoder_threads(workers)); load_s = time.perf_counter() - t
texts, per_chunk, n_docs = chunk_texts(paths, s)
enc.encode(texts[:64])  # warm-up
from index.ingest.annotate import annotate_many, pipeline
pipeline()  # spaCy loaded outside the timed build, as the encoder is
shutil.rmtree(d, ignore_errors=True)
t = time.perf_counter()
index = Index.create(d, s)
index.reader._encoder = enc  # the model is loaded once, outside the timed build
report = index.add_paths(paths, workers=workers)
build_s = time.perf_counter() - t
rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
chunks = index.store.count("chunks")
t = time.perf_counter(); enc.encode(texts, s.batch_size); encode_s = time.perf_counter() - t
from index.ingest.chunking import sentence_spans
from index.ingest.loading import iter_documents
docs = list(iter_documents([str(p) for p in paths], [], max_bytes=s.max_file_bytes))
pairs = [(doc.text, sentence_spans(doc)) for doc in docs]
pipeline(); annotate_many(pairs[:2])  # loaded and warm, as the encoder is
t = time.perf_counter(); annotate_many(pairs); annotate_s = time.perf_counter() - t
add_s = []
for i, p in enumerate(spec.get("extra", [])):
    t = time.perf_counter(); r = index.add_paths([p]); add_s.append(time.perf_counter() - t)
index.close()
print("RESULT" + json.dumps({"build_s": build_s, "encode_s": encode_s, "annotate_s": annotate_s, "load_s": load_s, "rss_mb": rss_mb,
      "articles": n_docs, "chunks": chunks, "texts": len(texts), "embedded": report.chunks_embedded,
      "add_s": add_s}))
"""


PREPARE = r"""
import json, sys, time
from index.ingest.annotate import pipeline
from index.ingest.loading import iter_documents
from index.ingest.prepare import prepare_all
from index.settings import IndexSettings
spec = json.loads(sys.argv[1])
s = IndexSettings()
pipeline()
t = time.perf_counter(); docs = list(iter_documents(spec["paths"], [], max_bytes=s.max_file_bytes)); read_s = time.perf_counter() - t
t = time.perf_counter(); done = list(prepare_all(docs, s, spec["workers"])); prepare_s = time.perf_counter() - t
print("RESULT" + json.dumps({"read_s": read_s, "prepare_s": prepare_s, "articles": len(done),
      "chunks": sum(len(p.chunks) for p in done)}))
"""


def _child(paths, d: Path, backend: str, extra=(), workers: int = 1, script: str = CHILD) -> dict:
    spec = json.dumps({"paths": [str(p) for p in paths], "dir": str(d), "backend": backend,
                       "extra": [str(e) for e in extra], "workers": workers})
    r = subprocess.run([sys.executable, "-c", script, spec], cwd=ROOT, capture_output=True, text=True, timeout=1800)
    line = [x for x in r.stdout.splitlines() if x.startswith("RESULT")]
    if r.returncode or not line:
        raise RuntimeError(f"build child failed: {r.stderr[-2000:]}")
    return json.loads(line[-1][6:])


def run(args) -> dict:
    from index.api import default_corpus_paths
    from index.settings import IndexSettings

    backend = IndexSettings().backend
    repeats = 1 if args.quick else args.repeats
    n = 10 if args.quick else args.articles
    tmp = Path(tempfile.mkdtemp(prefix="bybench-idx-"))
    subset = article_subset(n, tmp)
    lines = [x for x in ARTICLES.read_text(encoding="utf-8").splitlines() if x.strip()]
    extra = []
    for i in range(3):  # new articles, one file each, for the incremental add
        f = tmp / f"new-{i}.jsonl"
        f.write_text(lines[n + i] + "\n", encoding="utf-8")
        extra.append(f)
    corpora = {"seeds": list(default_corpus_paths()), f"multihop-{n}": [subset]}
    out = {"backend": backend, "repeats": repeats, "corpora": {}}
    for name, paths in corpora.items():
        runs = [_child(paths, tmp / f"ix-{name}", backend, extra if name.startswith("multihop") else ())
                for _ in range(repeats)]
        r0 = runs[0]
        res = {"articles": r0["articles"], "chunks": r0["chunks"], "texts_embedded": r0["texts"],
               "build_s": summary([r["build_s"] for r in runs]),
               "encode_s": summary([r["encode_s"] for r in runs]),
               "annotate_s": summary([r["annotate_s"] for r in runs]),
               "ratio_build_over_encode": summary([r["build_s"] / r["encode_s"] for r in runs]),
               "ratio_build_over_model": summary([r["build_s"] / (r["encode_s"] + r["annotate_s"]) for r in runs]),
               "ratio_annotate_over_encode": summary([r["annotate_s"] / r["encode_s"] for r in runs]),
               "articles_per_s": summary([r["articles"] / r["build_s"] for r in runs]),
               "chunks_per_s": summary([r["chunks"] / r["build_s"] for r in runs]),
               "peak_rss_mb": summary([r["rss_mb"] for r in runs]),
               "model_load_s": summary([r["load_s"] for r in runs])}
        adds = [a for r in runs for a in r["add_s"]]
        if adds:
            res["incremental_add_s"] = summary(adds)
        out["corpora"][name] = res
    if args.workers:
        out["workers"] = scaling(corpora[f"multihop-{n}"], tmp, backend, [int(w) for w in args.workers.split(",")],
                                 repeats)
    ratios = [c["ratio_build_over_model"]["median"] for c in out["corpora"].values()]
    annotate = [c["ratio_annotate_over_encode"]["median"] for c in out["corpora"].values()]
    adds = [c["incremental_add_s"]["median"] for c in out["corpora"].values() if "incremental_add_s" in c]
    out["goals"] = {"build_over_encode_plus_annotate_le_1.15": all(r <= 1.15 for r in ratios),
                    "annotate_over_encode_le_0.8": all(r <= 0.8 for r in annotate),
                    "incremental_add_lt_1s": all(a < 1 for a in adds)}
    return out


def scaling(paths, tmp: Path, backend: str, counts: list[int], repeats: int) -> dict:
    """Build and preparation seconds for each worker count, runs interleaved (1, 2, 1, 2…) so that
    other load on a shared machine falls on all of them alike."""
    builds: dict[int, list[float]] = {w: [] for w in counts}
    prepares: dict[int, list[dict]] = {w: [] for w in counts}
    for _ in range(repeats):
        for w in counts:
            builds[w].append(_child(paths, tmp / f"ix-w{w}", backend, workers=w)["build_s"])
            prepares[w].append(_child(paths, tmp, backend, workers=w, script=PREPARE))
    one_build = summary(builds[counts[0]])["median"]
    one_prep = summary([p["prepare_s"] for p in prepares[counts[0]]])["median"]
    out = {}
    for w in counts:
        build, prep = summary(builds[w]), summary([p["prepare_s"] for p in prepares[w]])
        out[str(w)] = {"build_s": build, "prepare_s": prep, "read_s": summary([p["read_s"] for p in prepares[w]]),
                       "build_speedup": one_build / build["median"], "prepare_speedup": one_prep / prep["median"]}
    return out


def table(res: dict):
    from rich.table import Table

    from bench import fmt_s

    t = Table(title=f"2. indexing ({res['backend']}, median (min–max) of {res['repeats']} builds, "
                    "each in a fresh subprocess, model preloaded)")
    for c in ("corpus", "articles", "chunks", "build s", "pure encode s", "annotate s", "build/(encode+annotate)",
              "annotate/encode", "articles/s",
              "chunks/s", "peak RSS MB", "add 1 article s"):
        t.add_column(c)
    for name, r in res["corpora"].items():
        t.add_row(name, str(r["articles"]), str(r["chunks"]), fmt_s(r["build_s"], nd=2), fmt_s(r["encode_s"], nd=2),
                  fmt_s(r["annotate_s"], nd=2), fmt_s(r["ratio_build_over_model"], "×", 2),
                  fmt_s(r["ratio_annotate_over_encode"], "×", 2), fmt_s(r["articles_per_s"]), fmt_s(r["chunks_per_s"]),
                  fmt_s(r["peak_rss_mb"], nd=0), fmt_s(r.get("incremental_add_s"), nd=3))
    if "workers" not in res:
        return [t]
    w = Table(title="2b. --workers: MultiHop build and the preparation alone (median (min–max) s)")
    for c in ("workers", "build s", "build speed-up", "prepare s", "prepare speed-up", "read + clean s"):
        w.add_column(c)
    for n, r in res["workers"].items():
        w.add_row(n, fmt_s(r["build_s"], nd=2), f"{r['build_speedup']:.2f}×", fmt_s(r["prepare_s"], nd=2),
                  f"{r['prepare_speedup']:.2f}×", fmt_s(r["read_s"], nd=2))
    return [t, w]
