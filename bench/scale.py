"""Scale (issue 13): an archive of N articles generated from real MultiHop text, built, asked, added
to and removed from. `python -m bench scale --articles N [--stand-in-vectors]`.

Generation: article i is MultiHop article i mod 609 with its sentences varied so that no two are the
same text: about one sentence in eight dropped, the rest kept in order, every figure shifted by a
seeded amount, and a dateline naming the copy; its outlet is drawn from MultiHop's own outlets
(weighted as there) and its date uniformly from 2015-01-01 to 2024-12-31.

Vectors: real (the ONNX int8 MiniLM every build uses) by default. With `--stand-in-vectors` they
come from a fast stand-in, as the issue allows at large N: a real MultiHop window vector picked by
the text's hash, plus gaussian noise (std 0.02 a dimension), normalised. The output says so; dense
recall is then meaningless, while sizes, SQLite, the keyword index, the vector file and asking are real.

Preparation: real (pysbd and spaCy on every article, ~0.2 s each here) by default. With
`--stand-in-preparation` the build maps each source article's real preparation onto its variants
(`bench/scale_prepare.py`); the 5 articles added afterwards are prepared for real.

Build runs in a child process, so its peak RSS is its own; then, with the model loaded, 5 more articles
are added one at a time (each writes a vector segment) and removed one at a time (each writes
tombstones), dense search is timed over those segments, `optimize` merges them, and dense search is
timed again over the one segment. Asking runs in this process afterwards,
with the real encoder for the questions (MultiHop's own, first 10 warm-up, next 60 timed).
"""

from __future__ import annotations

import json
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import ARTICLES, MH_QUESTIONS, ROOT, load_jsonl, pct, summary

STAGES = ("embed", "dense", "keyword", "fuse", "compose", "total")
NOISE = 0.02  # stand-in vectors: gaussian noise a dimension around a real vector
EXTRA = 5  # articles added one at a time (each a new vector segment), then removed one at a time (tombstones)
_FIGURE = re.compile(r"\b\d{2,}\b")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


def _vary(article: dict, copy: int, rng: random.Random, outlets, weights) -> dict:
    return _varied(article, copy, rng, outlets, weights)[0]


def _varied(article: dict, copy: int, rng: random.Random, outlets, weights) -> tuple[dict, list[int]]:
    """The varied article, and for each character of its text the offset in `article["text"]` it
    was copied from (-1: written here, the dateline and the joins). A figure shifted to a longer
    one maps its last character to the source figure's last (what a span's end follows)."""
    shift = rng.randint(1, 9)
    paragraphs: list[tuple[str, list[int]]] = []
    base = 0
    for para in article["text"].split("\n"):
        cuts = [0] + [x for m in _SENTENCE.finditer(para) for x in (m.start(), m.end())] + [len(para)]
        joined, src = [], []
        for a, b in zip(cuts[::2], cuts[1::2]):
            if para[a:b] and rng.random() > 0.125:
                if joined:
                    joined.append(" ")
                    src.append(-1)
                joined.append(para[a:b])
                src.extend(range(base + a, base + b))
        text, out, out_src, last = "".join(joined), [], [], 0
        for m in _FIGURE.finditer(text):
            new, width = str(int(m.group()) + shift), m.end() - m.start()
            out.append(text[last:m.start()] + new)
            out_src.extend(src[last:m.start()])
            out_src.extend(src[m.start() + min(k, width - 1)] if k < len(new) - 1 else src[m.end() - 1]
                           for k in range(len(new)))
            last = m.end()
        out.append(text[last:])
        out_src.extend(src[last:])
        paragraphs.append(("".join(out), out_src))
        base += len(para) + 1
    day = f"{rng.randint(2015, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    outlet = rng.choices(outlets, weights)[0]
    head = f"{outlet.upper()}, {day} (copy {copy}) - "
    body, body_src = [], [-1] * len(head)
    for text, src in (p for p in paragraphs if p[0]):
        if body:
            body_src.append(-1)
        body.append(text)
        body_src.extend(src)
    return ({"id": f"{article['id']}-{copy}", "title": f"{article['title']} ({outlet}, {day})", "source": outlet,
             "published_at": day, "url": f"{article.get('url') or 'https://example.org/a'}?copy={copy}",
             "text": head + "\n".join(body)}, body_src)


def outlet_weights(base: list[dict]) -> tuple[list[str], list[int]]:
    counts: dict[str, int] = {}
    for a in base:
        counts[a["source"]] = counts.get(a["source"], 0) + 1
    return list(counts), list(counts.values())


def generate(n: int, folder: Path, first: int = 0) -> Path:
    """N varied MultiHop articles (copies `first`..`first`+n-1) as one JSONL file in `folder`."""
    base = load_jsonl(ARTICLES)
    outlets, weights = outlet_weights(base)
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"scale-{first}-{n}.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for i in range(first, first + n):
            rng = random.Random(i)
            fh.write(json.dumps(_vary(base[i % len(base)], i // len(base), rng, outlets, weights)) + "\n")
    return out


CHILD = r"""
import json, resource, sys, time
from pathlib import Path
import numpy as np
import bench
from index.api import Index
from index.settings import IndexSettings
spec = json.loads(sys.argv[1])
d, path = Path(spec["dir"]), spec["path"]
index = Index.create(d, IndexSettings())
if spec["stand_in"]:
    import sqlite3, hashlib
    db = sqlite3.connect(f"file:{spec['stand_in']}/byline.sqlite?mode=ro", uri=True)
    rows = db.execute("SELECT vector FROM embeddings LIMIT 50000").fetchall()
    from index.embedding.quantize import decode
    raw = [np.frombuffer(r[0], dtype=np.uint8 if len(r[0]) == 384 else np.float32) for r in rows]
    pool = np.vstack([decode(v) if v.dtype == np.uint8 else v for v in raw])
    class StandIn:
        dimension = 384
        def encode(self, texts, batch_size=32):
            out = np.empty((len(texts), 384), np.float32)
            for i, t in enumerate(texts):
                h = int.from_bytes(hashlib.sha1(t.encode()).digest()[:8], "big")
                v = pool[h % len(pool)] + np.random.default_rng(h).standard_normal(384).astype(np.float32) * spec["noise"]
                out[i] = v / np.linalg.norm(v)
            return out
    index.reader._encoder = StandIn()
else:
    index.reader.encoder.encode(["warm up"])  # the model loads outside the timed build
if spec.get("stand_in_preparation"):
    import importlib
    from bench.scale_prepare import StandInPreparation
    writer = importlib.import_module("index.embedded.writer")  # `import index.embedded.writer` would rebind `index`
    real_prepare, writer.prepare_all = writer.prepare_all, StandInPreparation()
t, cpu = time.perf_counter(), time.process_time()
batches = {"commit_windows": spec["commit_windows"]} if spec.get("commit_windows") else {}
report = index.add_paths([path], **batches)
build_s = time.perf_counter() - t
out = {"build_s": build_s, "build_cpu_s": time.process_time() - cpu, "chunks": index.store.count("chunks"),
       "embedded": report.chunks_embedded, "articles": index.store.count("articles")}
if spec.get("stand_in_preparation"):  # the added articles below are prepared for real
    out["preparation"], writer.prepare_all = writer.prepare_all.report(), real_prepare
spans = index.store.db.execute("SELECT c.article, c.start, c.end FROM chunks c LIMIT 2000").fetchall()
bodies = {a: index.store.article_by_row(a).text for a in {r[0] for r in spans}}
texts = [bodies[a][s:e] for a, s, e in spans]
if not spec["stand_in"]:
    t = time.perf_counter(); index.reader.encoder.encode(texts, 32); out["encode_s_per_chunk"] = (time.perf_counter() - t) / len(texts)
out["build_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
add_s, remove_s = [], []
for p in spec["extra"]:
    t = time.perf_counter(); r = index.add_paths([p]); add_s.append(time.perf_counter() - t)
for p in spec["extra"]:
    t = time.perf_counter(); index.remove([p]); remove_s.append(time.perf_counter() - t)
out["add_s"], out["remove_s"] = add_s, remove_s
t = time.perf_counter(); index.store.quick_check(); out["quick_check_s"] = time.perf_counter() - t  # done before every write
st = index.stats()
out["before_optimize"] = {"segments": st.segments, "deleted_vectors": st.deleted_vectors}
q = index.encoder.encode(["How did the company report its quarterly earnings?"])[0]
t = time.perf_counter(); [index.search_dense(q, 60) for _ in range(20)]; out["dense_segments_ms"] = (time.perf_counter() - t) * 50
try:  # the peak from here on (Linux: writing 5 to clear_refs resets VmHWM), so optimize's own
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
except OSError:
    pass
t = time.perf_counter(); index.optimize(); out["optimize_s"] = time.perf_counter() - t
out["optimize_rss_mb"] = next((int(x.split()[1]) / 1024 for x in open("/proc/self/status") if x.startswith("VmHWM")), None)
t = time.perf_counter(); [index.search_dense(q, 60) for _ in range(20)]; out["dense_one_ms"] = (time.perf_counter() - t) * 50
index.close()
print("RESULT" + json.dumps(out))
"""


def _size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.name.endswith(".lock"))  # keywords/ too


def ask_stages(folder: Path, questions: list[str], warm: int) -> dict:
    from qa import Assistant

    t = time.perf_counter()
    a = Assistant.open(folder, build_default=False)
    first = a.ask(questions[0])
    first_ms = (time.perf_counter() - t) * 1000
    for q in questions[1:warm]:
        a.ask(q)
    samples: dict[str, list[float]] = {s: [] for s in STAGES}
    for q in questions[warm:]:
        ans = a.ask(q)
        for s in STAGES:
            samples[s].append(float(ans.timings.get(s, 0.0)))
    a.close()
    del first
    return {"open_and_first_ask_ms": first_ms,
            "stages": {k: {"p50": pct(v, 50), "p95": pct(v, 95), "n": len(v)} for k, v in samples.items()},
            "ask_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def run(args) -> dict:
    n = args.articles
    tmp = Path(tempfile.mkdtemp(prefix="bybench-scale-"))
    t = time.perf_counter()
    path = generate(n, tmp / "in")
    extra = [generate(1, tmp / "in", first=n + i) for i in range(EXTRA)]
    out = {"method": __doc__.strip(), "articles": n, "generate_s": time.perf_counter() - t,
           "vectors": "stand-in (real MultiHop vectors reused with noise)" if args.stand_in_vectors else "real"}
    out["preparation"] = "real" if not args.stand_in_preparation else "stand-in (see build.preparation)"
    out["commit_windows"] = getattr(args, "commit_windows", None) or "default"
    spec = {"dir": str(tmp / "index"), "path": str(path), "extra": [str(e) for e in extra], "noise": NOISE,
            "stand_in": args.stand_in_vectors, "stand_in_preparation": args.stand_in_preparation,
            "commit_windows": getattr(args, "commit_windows", None)}
    r = subprocess.run([sys.executable, "-c", CHILD, json.dumps(spec)], cwd=ROOT, capture_output=True, text=True)
    line = [x for x in r.stdout.splitlines() if x.startswith("RESULT")]
    if r.returncode or not line:
        raise RuntimeError(f"scale build failed: {r.stderr[-3000:]}")
    build = json.loads(line[0][len("RESULT"):])
    out["build"] = build
    if "encode_s_per_chunk" in build:
        out["build_encode_ratio"] = build["build_s"] / (build["encode_s_per_chunk"] * build["embedded"])
    out["bytes"] = _size(tmp / "index")
    out["files"] = {f.name: f.stat().st_size for f in (tmp / "index").iterdir() if f.is_file()}
    out["bytes_per_article"] = out["bytes"] / build["articles"]
    out["add_s"], out["remove_s"] = summary(build["add_s"]), summary(build["remove_s"])
    out["optimize_s"] = build["optimize_s"]
    out["quick_check_s"] = build.get("quick_check_s")
    questions = [q["question"] for q in load_jsonl(MH_QUESTIONS)][:70]
    out["ask"] = ask_stages(tmp / "index", questions, warm=10)
    if getattr(args, "keep_index", None):  # for measurements on the built index afterwards
        shutil.move(str(tmp / "index"), args.keep_index)
        out["kept_index"] = args.keep_index
    shutil.rmtree(tmp, ignore_errors=True)
    return out


def table(res: dict):
    from rich.table import Table

    from bench import fmt_s

    b = res["build"]
    t = Table(title=f"scale: {res['articles']:,} generated articles, {b['chunks']:,} windows, vectors {res['vectors']}, "
              f"preparation {res.get('preparation', 'real')}")
    for c in ("build s", "build/encode", "KB per article", "build peak RSS MB", "ask peak RSS MB",
              "add 1 s", "remove 1 s", "segments / removed before optimize", "optimize s", "optimize peak RSS MB",
              "dense ms: segments / one", "open + first ask ms"):
        t.add_column(c)
    ratio = res.get("build_encode_ratio")
    seg = b.get("before_optimize", {})
    t.add_row(f"{b['build_s']:.1f}", f"{ratio:.2f}" if ratio else "-", f"{res['bytes_per_article'] / 1e3:.0f}",
              f"{b['build_rss_mb']:.0f}", f"{res['ask']['ask_rss_mb']:.0f}", fmt_s(res["add_s"], nd=3),
              fmt_s(res["remove_s"], nd=3), f"{seg.get('segments', '-')} / {seg.get('deleted_vectors', '-')}",
              f"{res.get('optimize_s', float('nan')):.2f}", f"{b.get('optimize_rss_mb') or float('nan'):.0f}",
              f"{b.get('dense_segments_ms', float('nan')):.1f} / {b.get('dense_one_ms', float('nan')):.1f}",
              f"{res['ask']['open_and_first_ask_ms']:.0f}")
    s = Table(title="warm ask by stage, ms (p50 / p95)")
    for c in ("stage", "p50", "p95"):
        s.add_column(c)
    for name, v in res["ask"]["stages"].items():
        s.add_row(name, f"{v['p50']:.1f}", f"{v['p95']:.1f}")
    return [t, s]
