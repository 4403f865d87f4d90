"""Byline benchmarks: `python -m bench [part ...] [--quick] [--out FILE]`. Never part of the test suite.

Parts: encoder, indexing, query, coldstart, peer. Each part is a module with `run(args) -> dict`.
All timings are medians of repeated runs after a warm-up, with min and max, on this machine;
speed goals are judged on ratios measured in the same run.
"""

from __future__ import annotations

import hashlib
import json
import os
import statistics
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("BYLINE_CACHE", "/tmp/bycache")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parent.parent
MODEL = "all-MiniLM-L6-v2"
BACKENDS = ("torch", "onnx", "onnx-int8")
ARTICLES = Path("/work/shared/eval/multihop_rag/articles.jsonl")
MH_QUESTIONS = Path("/work/shared/eval/multihop_rag/questions.jsonl")
SEED_QUESTIONS = ROOT / "eval" / "seed_questions.jsonl"


def summary(values) -> dict:
    """median / min / max (and p95 when there are enough values) of a list of numbers."""
    v = sorted(float(x) for x in values)
    if not v:
        return {"median": None, "min": None, "max": None, "n": 0}
    out = {"median": statistics.median(v), "min": v[0], "max": v[-1], "n": len(v)}
    if len(v) >= 5:
        out["p95"] = pct(v, 95)
    return out


def pct(values, q: float) -> float:
    v = sorted(values)
    if not v:
        return float("nan")
    i = (len(v) - 1) * q / 100
    lo, hi = int(i), min(int(i) + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (i - lo)


def timed(fn, repeats: int, warmup: int = 1):
    """Run fn warmup times, then `repeats` timed times; returns (seconds list, last result)."""
    result = None
    for _ in range(warmup):
        result = fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return times, result


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def article_subset(n: int, directory: Path) -> Path:
    """The first `n` MultiHop-RAG articles as one .jsonl file in `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    out = directory / f"multihop-{n}.jsonl"
    lines = [line for line in ARTICLES.read_text(encoding="utf-8").splitlines() if line.strip()][:n]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def chunk_texts(paths, settings=None) -> tuple[list[str], list[tuple[str, str]], int]:
    """Exactly the texts a build embeds (deduplicated by hash, as `Index._embed` does), plus
    (article_id, chunk text) for every chunk and the number of articles."""
    from index.ingest.chunking import chunk_document, sentence_spans
    from index.ingest.loading import iter_documents
    from index.settings import IndexSettings

    s = settings or IndexSettings()
    issues: list = []
    unique: dict[str, str] = {}
    per_chunk: list[tuple[str, str]] = []
    n_docs, seen = 0, set()
    for doc in iter_documents([str(p) for p in paths], issues, max_bytes=s.max_file_bytes):
        if doc.id in seen:
            continue
        seen.add(doc.id)
        n_docs += 1
        for c in chunk_document(doc, sentence_spans(doc), s.chunk_words, s.chunk_stride, s.embed_header):
            unique.setdefault(hashlib.sha1(c.embed_text.encode()).hexdigest(), c.embed_text)
            per_chunk.append((doc.id, c.text))
    return list(unique.values()), per_chunk, n_docs


def fmt(x, unit: str = "", nd: int = 1) -> str:
    if x is None:
        return "-"
    return f"{x:.{nd}f}{unit}"


def fmt_s(s: dict | None, unit: str = "", nd: int = 1) -> str:
    """'median (min–max)'."""
    if not s or s.get("median") is None:
        return "-"
    return f"{s['median']:.{nd}f}{unit} ({s['min']:.{nd}f}–{s['max']:.{nd}f})"
