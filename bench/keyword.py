"""Keyword search at scale (issue 13): SQLite FTS5 (what Byline uses) against tantivy and bm25s.

    python -m bench keyword --sizes 100000,1000000

Windows: the real MultiHop articles re-chunked as Byline does (24 words, a new window every 12),
then, up to the size asked, synthetic windows of 20-28 words drawn from the MultiHop vocabulary
with Zipf(1.0) frequencies by rank. Questions: MultiHop's own (the first 200), turned into the
terms Byline builds (`qa.question.query.analyse`); FTS5 gets exactly the MATCH expression the retriever
sends (`qa.question.query.keyword_match`, common terms pruned, at most `keyword_terms` of the rarest),
tantivy and bm25s an OR of the same terms (their own English stemming / tokenizing).
Reported: fill time, size on disk, latency p50/p95 of the top-k (k = `k_keyword`), and the share
of FTS5's top-k each engine also returns (agreement, not quality: the windows have no labels).
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from bench import ARTICLES, MH_QUESTIONS, load_jsonl, pct

WORD = re.compile(r"\w+")


def windows(n: int, rng) -> list[str]:
    words_all: list[list[str]] = [a["text"].split() for a in load_jsonl(ARTICLES)]
    out = []
    for words in words_all:
        for i in range(0, max(len(words) - 12, 1), 12):
            out.append(" ".join(words[i:i + 24]))
    real = len(out)
    counts: dict[str, int] = {}
    for words in words_all:
        for w in words:
            w = w.lower().strip(".,;:!?\"'()")
            if w:
                counts[w] = counts.get(w, 0) + 1
    vocab = np.array(sorted(counts, key=counts.get, reverse=True), dtype=object)
    p = 1.0 / np.arange(1, len(vocab) + 1)
    p /= p.sum()
    while len(out) < n:
        m = min(100_000, n - len(out))
        lens = rng.integers(20, 29, m)
        flat = vocab[rng.choice(len(vocab), int(lens.sum()), p=p)]
        pos = 0
        for L in lens:
            out.append(" ".join(flat[pos:pos + L]))
            pos += L
    return out[:n] if n >= real else out[:n]


def _lat(fn, queries) -> tuple[dict, list]:
    for q in queries[:5]:
        fn(q)
    lat, results = [], []
    for q in queries:
        t = time.perf_counter()
        results.append(fn(q))
        lat.append((time.perf_counter() - t) * 1000)
    return {"p50": pct(lat, 50), "p95": pct(lat, 95), "max": max(lat)}, results


def _dir_size(d: Path) -> int:
    return sum(f.stat().st_size for f in d.rglob("*") if f.is_file())


def fts5(texts, term_lists, k, tmp: Path) -> dict:
    from index.embedded.store import Store
    from qa.question.query import keyword_match
    from qa.settings import QASettings

    d = tmp / "fts"
    d.mkdir()
    store = Store(d / "byline.sqlite")
    store.create_schema()
    t = time.perf_counter()
    for i in range(0, len(texts), 50_000):
        store.begin()
        store.db.executemany("INSERT INTO chunks_fts(rowid, text) VALUES (?, ?)",
                             ((i + j + 1, s) for j, s in enumerate(texts[i:i + 50_000])))
        store.commit()
    fill = time.perf_counter() - t
    df: dict = {}

    def doc_freq(term, prefix):  # cached per term, as the retriever does
        if (term, prefix) not in df:
            df[(term, prefix)] = store.doc_freq(term, prefix)
        return df[(term, prefix)]

    matches = [keyword_match(terms, doc_freq, len(texts), max_terms=QASettings().keyword_terms) for terms in term_lists]
    lat, results = _lat(lambda m: [r for r, _ in store.keyword_search(m, k)], matches)
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    out = {"fill_s": fill, "bytes": _dir_size(d), "ms": lat}
    store.close()
    return out, results


def tantivy_engine(texts, term_lists, k, tmp: Path) -> dict:
    import tantivy

    d = tmp / "tantivy"
    d.mkdir()
    sb = tantivy.SchemaBuilder()
    sb.add_integer_field("id", stored=True, indexed=False, fast=True)
    sb.add_text_field("text", stored=False, tokenizer_name="en_stem")
    index = tantivy.Index(sb.build(), path=str(d))
    t = time.perf_counter()
    writer = index.writer(heap_size=200_000_000, num_threads=1)
    for i, s in enumerate(texts):
        writer.add_document(tantivy.Document(id=i + 1, text=s))
    writer.commit()
    writer.wait_merging_threads()
    fill = time.perf_counter() - t
    index.reload()
    searcher = index.searcher()

    def search(terms):
        words = [w for t_ in terms for w in WORD.findall(t_)]
        if not words:
            return []
        q = index.parse_query(" OR ".join(words), ["text"])
        return [searcher.doc(addr)["id"][0] for _, addr in searcher.search(q, k).hits]

    lat, results = _lat(search, term_lists)
    return {"fill_s": fill, "bytes": _dir_size(d), "ms": lat}, results


def bm25s_engine(texts, term_lists, k, tmp: Path) -> dict:
    import bm25s

    t = time.perf_counter()
    tokens = bm25s.tokenize(texts, stopwords="en", show_progress=False)
    retriever = bm25s.BM25()
    retriever.index(tokens, show_progress=False)
    fill = time.perf_counter() - t
    d = tmp / "bm25s"
    retriever.save(str(d))

    def search(terms):
        q = " ".join(w for t_ in terms for w in WORD.findall(t_))
        qt = bm25s.tokenize([q], stopwords="en", show_progress=False)
        if not qt.vocab:
            return []
        docs, _ = retriever.retrieve(qt, k=k, show_progress=False, n_threads=1)
        return [int(x) + 1 for x in docs[0]]

    lat, results = _lat(search, term_lists)
    return {"fill_s": fill, "bytes": _dir_size(d), "ms": lat}, results


def run(args) -> dict:
    from qa.question.query import analyse
    from qa.settings import QASettings

    k = QASettings().k_keyword
    sizes = [20_000] if args.quick else [int(s) for s in args.sizes.split(",") if s]
    questions = [q["question"] for q in load_jsonl(MH_QUESTIONS)][:200]
    term_lists = [t for t in (analyse(q, [], 2000).terms for q in questions) if t]
    out = {"method": __doc__.strip(), "k": k, "questions": len(term_lists), "sizes": {}}
    for n in sizes:
        tmp = Path(tempfile.mkdtemp(prefix="bybench-kw-"))
        texts = windows(n, np.random.default_rng(0))
        row = {}
        base, truth = fts5(texts, term_lists, k, tmp)
        row["fts5"] = base
        for name, engine in (("tantivy", tantivy_engine), ("bm25s", bm25s_engine)):
            res, got = engine(texts, term_lists, k, tmp)
            res["agreement_with_fts5"] = float(np.mean([len(set(g) & set(t_)) / max(len(t_), 1)
                                                        for g, t_ in zip(got, truth) if t_]))
            res["p95_ratio_to_fts5"] = res["ms"]["p95"] / base["ms"]["p95"]
            row[name] = res
        out["sizes"][str(n)] = row
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def table(res: dict):
    from rich.table import Table

    t = Table(title=f"keyword search, top-{res['k']} for {res['questions']} MultiHop questions (ms)")
    for c in ("windows", "engine", "fill s", "MB", "p50", "p95", "p95 / FTS5", "agrees with FTS5"):
        t.add_column(c)
    for n, row in res["sizes"].items():
        for name, r in row.items():
            t.add_row(f"{int(n):,}", name, f"{r['fill_s']:.1f}", f"{r['bytes'] / 1e6:.0f}", f"{r['ms']['p50']:.1f}",
                      f"{r['ms']['p95']:.1f}", f"{r.get('p95_ratio_to_fts5', 1.0):.2f}",
                      f"{r.get('agreement_with_fts5', 1.0):.2f}")
    return [t]
