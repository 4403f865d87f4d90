"""Indexing on many cores (issue 13): `python bench/cores.py --articles FILE [--model DIR] --out JSON`.

Standalone (imports `index` only), so that it runs on a lent 16-core machine with a few carried
wheels. Every measurement is a fresh child process, pinned with `taskset` to the first C cores when a
core count is given, with the model and spaCy loaded and warmed outside the timed part:

- `encode`: pure encoding of the first 1,536 window texts by S encoder sessions of T intra-op
  threads each (S threads, each with its own ONNX Runtime session, on separate steps of 192 texts);
- `build`: `Index.create` + `add_paths` of the articles with `workers` preparing processes and
  `encoders` sessions (`index.ingest.prepare.encoder_plan` divides the cores left; None: its default).

Runs go in priority order and stop starting new ones past `--budget` seconds; the JSON is rewritten
after every run, so a run cut short still reports what it measured."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: `index` lives beside `bench`
    sys.path.insert(0, str(ROOT))

CHILD = r"""
import json, os, sys, time, threading
spec = json.loads(sys.argv[1])
from pathlib import Path
from index.settings import IndexSettings
from index.embedding.encoders import load_encoder
from index.ingest.prepare import encoder_plan, cores
settings = IndexSettings(model=spec["model"]) if spec["model"] else IndexSettings()
out = {"cores": cores()}
if spec["kind"] == "encode":
    texts = json.loads(Path(spec["texts"]).read_text())
    s, t = spec["sessions"], spec["threads"]
    encs = [load_encoder(settings.model, settings.backend, t) for _ in range(s)]
    for e in encs:
        e.encode(texts[:64])
    steps = [texts[i:i + 192] for i in range(0, len(texts), 192)]
    lock = threading.Lock()
    def work(e):
        while True:
            with lock:
                if not steps:
                    return
                step = steps.pop()
            e.encode(step, 32)
    t0 = time.perf_counter()
    threads = [threading.Thread(target=work, args=(e,)) for e in encs]
    [x.start() for x in threads]; [x.join() for x in threads]
    out["encode_s"] = time.perf_counter() - t0
    out["passages_per_s"] = len(texts) / out["encode_s"]
else:
    import shutil
    from index.api import Index
    from index.ingest.annotate import pipeline
    w, e = spec["workers"], spec["encoders"]
    sessions, threads = encoder_plan(w, e)
    out.update(sessions=sessions, threads=threads)
    enc = load_encoder(settings.model, settings.backend, threads)
    enc.encode(["warm up"] * 64)
    pipeline()
    d = Path(spec["dir"]); shutil.rmtree(d, ignore_errors=True)
    t0 = time.perf_counter()
    index = Index.create(d, settings)
    index.reader._encoder = enc  # loaded outside the timed build
    report = index.add_paths([spec["articles"]], workers=w, encoders=e)
    out["build_s"] = time.perf_counter() - t0
    out["chunks"] = index.store.count("chunks")
    out["embedded"] = report.chunks_embedded
    index.close()
    shutil.rmtree(d, ignore_errors=True)
print("RESULT" + json.dumps(out))
"""


def child(spec: dict, cores: int | None) -> dict:
    cmd = [sys.executable, "-c", CHILD, json.dumps(spec)]
    if cores:
        cmd = ["taskset", "-c", f"0-{cores - 1}", *cmd]
    t = time.perf_counter()
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    line = [x for x in r.stdout.splitlines() if x.startswith("RESULT")]
    if r.returncode or not line:
        return {"error": r.stderr[-1500:], "wall_s": time.perf_counter() - t}
    return {**json.loads(line[-1][6:]), "wall_s": time.perf_counter() - t}


def window_texts(articles: str, n: int, model: str | None, path: Path) -> None:
    from index.ingest.chunking import chunk_document, sentence_spans
    from index.ingest.loading import iter_documents
    from index.settings import IndexSettings

    s = IndexSettings()
    texts: list[str] = []
    for doc in iter_documents([articles], [], max_bytes=s.max_file_bytes):
        for c in chunk_document(doc, sentence_spans(doc), s.chunk_words, s.chunk_stride, s.embed_header):
            texts.append(c.embed_text)
        if len(texts) >= n:
            break
    path.write_text(json.dumps(texts[:n]))


def plan(total: int) -> list[tuple[str, dict, int | None]]:
    """(name, spec, cores) in priority order."""
    runs: list[tuple[str, dict, int | None]] = []
    for s, t in ((1, total), (1, 1), (1, 2), (1, 4), (1, 8), (2, total // 2), (4, total // 4), (8, 2), (total, 1)):
        runs.append((f"encode {s}x{t}", {"kind": "encode", "sessions": s, "threads": t}, None))
    for w in (1, 2, 4, 8, 16):  # the design as it was: one session on the cores the workers leave
        runs.append((f"build all-cores w{w} e1", {"kind": "build", "workers": w, "encoders": 1}, None))
    for w in (1, 2, 4):  # several sessions (index.ingest.prepare.encoder_plan's default)
        runs.append((f"build all-cores w{w} eauto", {"kind": "build", "workers": w, "encoders": None}, None))
    runs.append(("build all-cores w2 e7", {"kind": "build", "workers": 2, "encoders": 7}, None))
    runs.append(("build all-cores w3 e13", {"kind": "build", "workers": 3, "encoders": 13}, None))
    for c in (1, 2):
        runs.append((f"build {c}-cores w1 e1", {"kind": "build", "workers": 1, "encoders": 1}, c))
    runs.append(("build 2-cores w2 e1", {"kind": "build", "workers": 2, "encoders": 1}, 2))
    runs.append(("build 2-cores w1 e2", {"kind": "build", "workers": 1, "encoders": 2}, 2))
    for c in (4, 8):
        runs.append((f"build {c}-cores w1 e1", {"kind": "build", "workers": 1, "encoders": 1}, c))
        runs.append((f"build {c}-cores w2 eauto", {"kind": "build", "workers": 2, "encoders": None}, c))
    return runs


def plan_large() -> list[tuple[str, dict, int | None]]:
    """The second run: more articles, so that starting the pool's processes (spaCy loads in each)
    is a small part; the old design (one session) against workers plus several sessions."""
    runs: list[tuple[str, dict, int | None]] = []
    build = {"kind": "build"}
    runs.append(("build all-cores w1 e1", {**build, "workers": 1, "encoders": 1}, None))
    runs.append(("build all-cores w4 e6", {**build, "workers": 4, "encoders": 6}, None))
    for w in (2, 4, 8):
        runs.append((f"build all-cores w{w} e1", {**build, "workers": w, "encoders": 1}, None))
    runs.append(("build 1-cores w1 e1", {**build, "workers": 1, "encoders": 1}, 1))
    runs.append(("build 2-cores w1 e1", {**build, "workers": 1, "encoders": 1}, 2))
    runs.append(("build 2-cores w2 e1", {**build, "workers": 2, "encoders": 1}, 2))
    runs.append(("build all-cores w6 e5", {**build, "workers": 6, "encoders": 5}, None))
    runs.append(("build all-cores w3 e6", {**build, "workers": 3, "encoders": 6}, None))
    return runs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", required=True)
    ap.add_argument("--model", default=None, help="a model folder (default: the bundled model)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--budget", type=float, default=400.0, help="seconds after which no new run starts")
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--only", default="", help="comma-separated run names (a dry run)")
    ap.add_argument("--large", action="store_true", help="the second run's plan (plan_large)")
    args = ap.parse_args()
    start = time.perf_counter()
    work = Path(os.environ.get("TMPDIR", "/tmp")) / "bycores"
    work.mkdir(parents=True, exist_ok=True)
    texts = work / "texts.json"
    if not args.large:
        window_texts(args.articles, 1536, args.model, texts)
    total = os.cpu_count() or 1
    out = {"method": __doc__.strip(), "cpu_count": total, "runs": {}}
    runs = plan_large() if args.large else plan(total)
    if args.large:
        texts.write_text("[]")  # no encode runs
    if args.only:
        runs = [r for r in runs if r[0] in args.only.split(",")]
    for repeat in range(args.repeats):
        for name, spec, cores in runs:
            if time.perf_counter() - start > args.budget:
                out["stopped"] = f"budget reached at {name!r}, repeat {repeat + 1}"
                break
            spec = {**spec, "model": args.model, "texts": str(texts), "articles": args.articles,
                    "dir": str(work / "ix")}
            r = child(spec, cores)
            out["runs"].setdefault(name, []).append(r)
            shown = r.get("build_s", r.get("passages_per_s", r.get("error", "")[-300:]))
            print(f"{time.perf_counter() - start:7.1f}s {name}: {shown}", flush=True)
            Path(args.out).write_text(json.dumps(out, indent=1))
        else:
            continue
        break
    out["elapsed_s"] = time.perf_counter() - start
    Path(args.out).write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
