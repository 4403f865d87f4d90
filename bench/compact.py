"""Compact storage (issue 13): recall@10 of the 8-bit vector file against exact float32 on the real
MultiHop vectors, and the size of a format-3 index converted from a format-2 one (no re-embedding).

    python -m bench compact --from-index DIR [--to-index DIR2]

DIR is a format-2 index (float32 vectors, e.g. a copy of the one `byline eval --corpus` built for
MultiHop); it is only read. DIR2 (default: a temporary folder) receives the converted format-3 index:
the same articles, chunks and keyword rows, each cached vector rewritten as 8-bit codes, and a
vector file rebuilt from them by `Index.repair`. `byline eval --index DIR2` then scores it.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path

import numpy as np

from bench import MH_QUESTIONS, load_jsonl, pct

K = 10
# tables copied row for row from a format-2 index (everything but the vectors and the keyword index)
PLAIN_TABLES = ("manifest", "articles", "article_files", "sentences", "entities")


def _fp32(db: sqlite3.Connection) -> tuple[np.ndarray, np.ndarray]:
    rows = db.execute("SELECT c.id, e.vector FROM chunks c JOIN embeddings e ON e.hash = c.hash ORDER BY c.id").fetchall()
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    return ids, np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), -1)


def recall(ids, vecs, queries, approximate_above: int) -> dict:
    """recall@10 of the 8-bit index (flat, and IVF as built above `approximate_above`) against exact fp32."""
    import faiss

    from index.embedded.vectors import VectorIndex

    exact = faiss.IndexIDMap2(faiss.IndexFlatIP(vecs.shape[1]))
    exact.add_with_ids(vecs, ids)
    _, truth = exact.search(queries, K)
    out = {"vectors": len(ids), "queries": len(queries)}
    for name, approximate in (("sq8_flat", False), ("sq8_ivf", True)):
        index = VectorIndex.build(ids, vecs, vecs.shape[1], approximate=approximate)
        lat, rec = [], []
        for q, tr in zip(queries, truth):
            t = time.perf_counter()
            got = [i for i, _ in index.search(q, K)]
            lat.append((time.perf_counter() - t) * 1000)
            rec.append(len(set(got) & set(tr.tolist())) / K)
        out[name] = {"recall_at_10": float(np.mean(rec)), "ms_p50": pct(lat, 50), "ms_p95": pct(lat, 95)}
    lat = []
    for q in queries:
        t = time.perf_counter()
        exact.search(q.reshape(1, -1), K)
        lat.append((time.perf_counter() - t) * 1000)
    out["fp32_flat"] = {"recall_at_10": 1.0, "ms_p50": pct(lat, 50), "ms_p95": pct(lat, 95)}
    return out


def convert(source: Path, target: Path) -> dict:
    """A format-3 copy of the format-2 index at `source` in `target` (no re-embedding)."""
    from index.api import Index
    from index.embedding.quantize import to_blob
    from index.settings import FORMAT_VERSION
    from index.embedded.store import Store

    target.mkdir(parents=True, exist_ok=False)
    t0 = time.perf_counter()
    store = Store(target / "byline.sqlite", "rw")
    store.create_schema()
    db = store.db
    db.execute("ATTACH DATABASE ? AS old", (str(source / "byline.sqlite"),))
    db.execute("BEGIN")
    for table in PLAIN_TABLES:
        cols = ", ".join(r[1] for r in db.execute(f"PRAGMA old.table_info({table})"))
        if not cols:
            continue  # not in this index (article_files came late in format 2)
        db.execute(f"INSERT INTO main.{table}({cols}) SELECT {cols} FROM old.{table}")

    def key(hex_hash: str) -> int:  # index.embedded.writer.chunk_hash from the stored SHA-1 hex digest
        return int(hex_hash[:16], 16) >> 1

    db.executemany("INSERT INTO main.chunks(id, article, ordinal, start, end, sent_lo, sent_hi, hash) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   ((*r[:7], key(r[7])) for r in db.execute(
                       "SELECT id, article, ordinal, start, end, sent_lo, sent_hi, hash FROM old.chunks")))
    db.execute("INSERT INTO main.chunks_fts(rowid, text) SELECT rowid, text FROM old.chunks_fts")
    db.executemany("INSERT INTO main.embeddings(hash, vector) VALUES (?, ?)",
                   ((key(h), to_blob(np.frombuffer(v, dtype=np.float32)))
                    for h, v in db.execute("SELECT hash, vector FROM old.embeddings")))
    # written as format 4 (no row checksums): the open below adds them (index.embedded.row_checks.add_checksums)
    store.set_manifest(format_version=FORMAT_VERSION - 1, vectors_version=0, vectors_checksum=None)
    db.execute("COMMIT")
    db.execute("DETACH DATABASE old")
    store.close()
    t1 = time.perf_counter()
    index = Index.open(target)
    written = index.repair().vectors
    problems = index.verify(full=True)
    index.close()
    return {"convert_s": t1 - t0, "repair_s": time.perf_counter() - t1, "vectors": written, "problems": problems}


def sizes(path: Path) -> dict:
    files = {f.name: f.stat().st_size for f in path.iterdir() if f.is_file() and not f.name.endswith(".lock")}
    db = sqlite3.connect(f"file:{path / 'byline.sqlite'}?mode=ro", uri=True)
    articles = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    try:
        tables = dict(db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 8"))
    except sqlite3.OperationalError:
        tables = {}
    db.close()
    total = sum(files.values())
    return {"articles": articles, "bytes": total, "bytes_per_article": total / max(articles, 1),
            "files": files, "tables": tables}


def run(args) -> dict:
    from index.embedding.encoders import load_encoder

    source = Path(args.from_index)
    target = Path(args.to_index) if args.to_index else Path(tempfile.mkdtemp(prefix="byline-compact-")) / "index"
    db = sqlite3.connect(f"file:{source / 'byline.sqlite'}?mode=ro", uri=True)
    ids, vecs = _fp32(db)
    db.close()
    questions = [q["question"] for q in load_jsonl(MH_QUESTIONS)][: 100 if args.quick else 500]
    queries = np.asarray(load_encoder("all-MiniLM-L6-v2", "onnx-int8").encode(questions, 32), dtype=np.float32)
    out = {"recall": recall(ids, vecs, queries, 50_000), "before": sizes(source)}
    out["conversion"] = convert(source, target)
    out["after"] = sizes(target)
    out["after"]["path"] = str(target)
    return out


def table(res: dict):
    from rich.table import Table

    t = Table(title=f"8-bit vectors: recall@10 against exact float32 ({res['recall']['vectors']} real MultiHop "
                    f"vectors, {res['recall']['queries']} MultiHop questions)")
    for c in ("index", "recall@10", "search p50 ms", "p95 ms"):
        t.add_column(c)
    for name in ("fp32_flat", "sq8_flat", "sq8_ivf"):
        r = res["recall"][name]
        t.add_row(name, f"{r['recall_at_10']:.4f}", f"{r['ms_p50']:.2f}", f"{r['ms_p95']:.2f}")
    s = Table(title="index size")
    for c in ("", "articles", "MB", "KB per article"):
        s.add_column(c)
    for name in ("before", "after"):
        r = res[name]
        s.add_row(name, str(r["articles"]), f"{r['bytes'] / 1e6:.1f}", f"{r['bytes_per_article'] / 1e3:.0f}")
    return [t, s]
