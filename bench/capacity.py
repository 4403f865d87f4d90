"""Capacity (issue 14): the measured inputs of docs/scale.md's table. `python -m bench capacity
[--articles N]`, best run pinned to one core: `taskset -c 1 python -m bench capacity`.

On the first N MultiHop articles: windows per article, then one core's rates for the two costly
stages of ingestion, encoding windows (ONNX int8 MiniLM) and annotating sentences (spaCy `ner`),
timed apart on the same articles, and the combined passages (windows) per second; plus the bytes a
window's vector takes at fp32, int8 and binary, and the keyword payload Qdrant stores for it.
"""

from __future__ import annotations

import json
import os
import time

from bench import ARTICLES, MODEL


def run(args) -> dict:
    from index.ingest.annotate import annotate_many, pipeline
    from index.ingest.documents import Document
    from index.embedding.encoders import load_encoder
    from index.qdrant.points import split
    from index.settings import IndexSettings
    from index.terms import chunk_terms

    n = 12 if args.quick else args.articles
    docs = []
    with ARTICLES.open(encoding="utf-8") as f:
        for i, line in zip(range(n), f):
            row = json.loads(line)
            docs.append(Document(id=f"mh{i}", text=row.get("body") or row.get("text") or ""))
    settings = IndexSettings()
    encoder = load_encoder(MODEL, settings.backend)
    pipeline()
    t = time.perf_counter()
    prepared = split(docs, settings)  # sentences, entities and windows
    split_s = time.perf_counter() - t
    spans = [(p.doc.text, p.sentences) for p in prepared]
    t = time.perf_counter()
    annotate_many(spans)
    annotate_s = time.perf_counter() - t
    texts = [c.embed_text for p in prepared for c in p.chunks]
    encoder.encode(texts[:64], settings.batch_size)  # warm-up
    t = time.perf_counter()
    encoder.encode(texts, settings.batch_size)
    encode_s = time.perf_counter() - t
    sparse = [chunk_terms(c.text, 24.0) for p in prepared[:20] for c in p.chunks]
    nonzeros = sum(len(s.indices) for s in sparse) / len(sparse)
    words = sum(len(s.words) for s in sparse) / len(sparse)
    windows = len(texts)
    return {
        "articles": len(prepared), "windows": windows, "windows_per_article": windows / len(prepared),
        "affinity_cores": len(os.sched_getaffinity(0)),
        "encode_s": encode_s, "annotate_s": annotate_s, "split_and_annotate_s": split_s,
        "encode_passages_per_s": windows / encode_s, "annotate_passages_per_s": windows / annotate_s,
        "passages_per_s": windows / (encode_s + annotate_s),
        "sparse_nonzeros_per_window": nonzeros, "distinct_words_per_window": words,
        "vector_bytes": {"fp32": 384 * 4, "int8": 384, "binary": 384 // 8},
    }


def table(res: dict):
    from rich.table import Table

    t = Table(title=f"capacity: {res['articles']} MultiHop articles, {res['windows']} windows, "
                    f"{res['affinity_cores']} core(s)")
    for col in ("measure", "value"):
        t.add_column(col)
    for key in ("windows_per_article", "encode_passages_per_s", "annotate_passages_per_s", "passages_per_s",
                "sparse_nonzeros_per_window", "distinct_words_per_window"):
        t.add_row(key, f"{res[key]:.1f}")
    return [t]
