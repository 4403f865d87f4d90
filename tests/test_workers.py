"""`--workers N`: articles are split and annotated in N processes while the encoder runs in the
writer; the index stored is the same, row for row, as with one. An article's vectors are its own:
the same whether it is indexed alone or beside others."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from cli.main import app
from tests.integrity_tools import write_articles

TABLES = {
    "articles": "SELECT a.rowid, a.id, a.title, a.source, a.published_at, a.text, a.content_hash, a.simhash "
                "FROM articles a ORDER BY a.rowid",
    "chunks": "SELECT id, article, ordinal, start, end, sent_lo, sent_hi, hash FROM chunks ORDER BY id",
    "sentences": "SELECT article, spans FROM sentence_spans ORDER BY article",
    "entities": "SELECT article, entities FROM article_entities ORDER BY article",
    "keywords": "SELECT rowid FROM chunks_fts ORDER BY rowid",
    "embeddings": "SELECT hash, vector FROM embeddings ORDER BY hash",
}


def rows(index_dir: Path) -> dict[str, list]:
    db = sqlite3.connect(f"file:{index_dir / 'byline.sqlite'}?mode=ro", uri=True)
    try:
        return {name: db.execute(sql).fetchall() for name, sql in TABLES.items()}
    finally:
        db.close()


def test_two_workers_store_the_same_chunks_as_one(tmp_path, seed_corpus):
    folder = tmp_path / "in"
    write_articles(folder, seed_corpus, 9)  # 14 articles: several batches of index.ingest.prepare.BATCH
    runner = CliRunner()
    stored = {}
    for workers in (1, 2):
        target = tmp_path / f"idx-{workers}"
        done = runner.invoke(app, ["index", "build", str(seed_corpus), str(folder), "--workers", str(workers),
                                   "--index", str(target), "--json"])
        assert done.exit_code == 0, done.output
        stored[workers] = rows(target)
    assert len(stored[1]["articles"]) == 14 and len(stored[1]["chunks"]) > 1024  # two steps of the embed queue
    for table in TABLES:
        assert stored[2][table] == stored[1][table], table
    # two encoder sessions at once (index.embedding.embed_queue), on the two steps of 1,024 texts: the same vectors
    from index.api import Index

    index = Index.create(tmp_path / "idx-sessions")
    try:
        index.add_paths([seed_corpus, folder], encoders=2)
    finally:
        index.close()
    two = rows(tmp_path / "idx-sessions")
    for table in TABLES:
        assert two[table] == stored[1][table], table


def test_a_bad_worker_count_is_one_line(tmp_path):
    done = CliRunner().invoke(app, ["index", "build", "--workers", "0", "--index", str(tmp_path / "idx")])
    assert done.exit_code == 1 and done.output.strip() == "error: --workers must be 1 to 64, not 0; try --workers 2"


def test_an_article_indexed_alone_gets_the_vectors_it_has_beside_others(tmp_path, seed_corpus, seed_index_dir):
    """The int8 encoder's vectors depend on what shares their batch; each article is encoded in its own
    batches, so one seed article indexed alone has the very bytes it has in the index of all five."""
    from index import backend

    files = tmp_path / "articles"
    files.mkdir()
    name = "004_2c58ce0929758757.txt"
    (files / name).write_bytes((seed_corpus / name).read_bytes())
    index = backend.create_index(tmp_path / "alone")
    try:
        index.add_paths([files])
    finally:
        index.close()
    alone = rows(tmp_path / "alone")["embeddings"]
    assert len(alone) > 50
    assert set(alone) <= set(rows(seed_index_dir)["embeddings"])
