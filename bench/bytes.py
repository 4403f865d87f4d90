"""Where an index's bytes go (issue 13): `python bench/bytes.py OLD_INDEX NEW_DIR [ARTICLES]`.

Builds ARTICLES (default: the 609 MultiHop articles) into NEW_DIR with this code, its embedding
cache first filled from OLD_INDEX (any earlier index of the same model and chunking: nothing is
re-embedded, so a format change is measured in minutes; ARTICLES should be what OLD_INDEX holds,
or its other cached vectors count too), then prints the files and SQLite's `dbstat`
bytes by table and index, per article."""

from __future__ import annotations

import shutil
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: `index` lives beside `bench`
    sys.path.insert(0, str(ROOT))

MULTIHOP = "/work/shared/eval/multihop_rag/articles.jsonl"


def main() -> None:
    from index.api import Index
    from index.embedded.checksums import vector_crc
    from index.settings import IndexSettings

    src, out = Path(sys.argv[1]), Path(sys.argv[2])
    articles = sys.argv[3] if len(sys.argv) > 3 else MULTIHOP
    shutil.rmtree(out, ignore_errors=True)
    Index.create(out, IndexSettings()).close()
    db = sqlite3.connect(out / "byline.sqlite")
    db.execute("ATTACH DATABASE ? AS old", (f"file:{src}/byline.sqlite?mode=ro",))
    rows = db.execute("SELECT hash, vector FROM old.embeddings").fetchall()  # with their checksums (format 5)
    db.executemany("INSERT INTO embeddings(hash, vector, crc) VALUES (?, ?, ?)",
                   [(h, v, vector_crc(h, v)) for h, v in rows])
    db.commit()
    db.execute("DETACH DATABASE old")
    db.close()
    index = Index.open(out)
    t = time.perf_counter()
    report = index.add_paths([articles])
    print(f"build {time.perf_counter() - t:.1f} s, embedded {report.chunks_embedded}, cached {report.chunks_cached}")
    n = index.store.count("articles")
    index.close()
    files = {f.name: f.stat().st_size for f in out.iterdir() if f.is_file() and not f.name.endswith(".lock")}
    print(files, f"{sum(files.values()) / n / 1000:.1f} KB per article ({n} articles)")
    db = sqlite3.connect(f"file:{out}/byline.sqlite?mode=ro", uri=True)
    for name, size in db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC"):
        print(f"{name:32s} {size / n / 1000:7.2f} KB per article")


if __name__ == "__main__":
    main()
