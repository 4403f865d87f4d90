"""Part: loading single-line articles of 0.1, 1 and 10 MB (issue 24: a 16.7 MB one-line file ran for
minutes, since pysbd's time grows with the square of a line's length).

Each article is the bundled corpus's text with its line breaks turned into spaces, repeated to the
size, in one file with no line break. Timed per article, in this process: `load` (read, decode,
metadata, cleaning: `index.ingest.loading.load_paths`), `split` (`index.ingest.chunking.sentence_spans`: blocks cut
into pieces, pysbd within its budget, the rough cut past it) and `windows` (`chunk_document`), and
their sum, the time before the model and spaCy see the article. Also the longest sentence, which the
cut bounds. Named entities and embeddings are not timed here: they grow linearly with the text and
report their progress (`python -m bench indexing`).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench import summary

SIZES_MB = (0.1, 1.0, 10.0)


def _one_line(size: int) -> str:
    import index.corpus

    corpus = Path(index.corpus.__file__).parent
    text = " ".join(" ".join(p.read_text(encoding="utf-8").split()) for p in sorted(corpus.glob("*.txt")))
    return ((text + " ") * (size // len(text) + 1))[:size]


def _time_one(path: Path) -> dict:
    from index.ingest.chunking import chunk_document, sentence_spans
    from index.ingest.loading import load_paths
    from index.settings import IndexSettings

    settings = IndexSettings()
    t0 = time.perf_counter()
    (document,), _ = load_paths([path])
    t1 = time.perf_counter()
    sentences = sentence_spans(document)
    t2 = time.perf_counter()
    windows = chunk_document(document, sentences, settings.chunk_words, settings.chunk_stride,
                             settings.embed_header)
    t3 = time.perf_counter()
    return {"load_s": t1 - t0, "split_s": t2 - t1, "windows_s": t3 - t2, "total_s": t3 - t0,
            "sentences": len(sentences), "windows": len(windows),
            "longest_sentence": max(end - start for start, end in sentences)}


def run(args) -> dict:
    from index.ingest.sentences import _split

    _split("Warm the splitter up. It loads its rules once.")
    repeats = 1 if args.quick else max(1, args.repeats)
    sizes = SIZES_MB[:2] if args.quick else SIZES_MB
    out: dict = {"sizes": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for mb in sizes:
            path = Path(tmp, f"one-line-{mb}MB.txt")
            path.write_text(_one_line(int(mb * 1_000_000)), encoding="utf-8")
            runs = [_time_one(path) for _ in range(repeats)]
            row = {key: summary([r[key] for r in runs]) for key in ("load_s", "split_s", "windows_s", "total_s")}
            row.update({key: runs[0][key] for key in ("sentences", "windows", "longest_sentence")})
            out["sizes"][str(mb)] = row
    return out


def table(res: dict):
    from rich.table import Table

    t = Table(title="single-line articles: seconds before the model (median of the runs)")
    for c in ("MB", "load", "split", "windows", "total", "sentences", "longest sentence", "windows"):
        t.add_column(c)
    for mb, r in res["sizes"].items():
        t.add_row(mb, *(f"{r[k]['median']:.2f}" for k in ("load_s", "split_s", "windows_s", "total_s")),
                  f"{r['sentences']:,}", f"{r['longest_sentence']:,}", f"{r['windows']:,}")
    return [t]
