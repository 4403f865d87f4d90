"""Building and optimizing in bounded memory (issue 13, fifth part): a long add commits a batch of
whole articles at a time and gives the index one commit gives; a crash between batches leaves the
last batch committed, whole, and the same add run again finishes it; a merge reads the vectors from
SQLite a block at a time and writes the index a merge of everything at once wrote."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index.api import Index, default_corpus_paths
from index.embedded.checksums import chunk_crc, vector_crc
from index.embedded.merging import merged
from index.embedded.packing import unpack_text
from index.embedding.quantize import to_blob
from index.settings import IVF_MIN_VECTORS
from index.embedded.vectors import VectorIndex
from tests.integrity_tools import ROOT, half_present

QUESTIONS = ("Which Canadian minister did Blinken brief on the Biden-Putin call?",
             "What did Sullivan say about Nord Stream 2?")


def contents(index: Index) -> dict:
    """What a user's index holds: articles, their windows, each window's stored vector."""
    db = index.store.db
    articles = db.execute("SELECT rowid, id, content_hash FROM articles ORDER BY rowid").fetchall()
    windows = db.execute("SELECT id, article, ordinal, start, end, sent_lo, sent_hi, hash FROM chunks "
                         "ORDER BY id").fetchall()
    vectors = {w[0]: index.vectors.vector(w[0]).tobytes() for w in windows}
    return {"articles": articles, "windows": windows, "vectors": vectors, "chunks": index.stats().chunks}


def answers(path: Path) -> list[tuple[list[str], list[str]]]:
    from qa import Assistant

    assistant = Assistant.open(path, build_default=False)
    try:
        return [([s.text for s in a.sentences], [s.article_id for s in a.sources])
                for a in map(assistant.ask, QUESTIONS)]
    finally:
        assistant.close()


def test_an_add_committed_a_few_windows_at_a_time_gives_the_index_of_one_commit(tmp_path, seed_index_dir):
    batched = Index.create(tmp_path / "batched")
    report = batched.add_paths(default_corpus_paths(), commit_windows=1)  # one article a commit
    assert len(report.added) == 5 and batched.verify(full=True) == []
    assert batched.stats().segments == 5  # one a batch; five is within max_segments: no merge
    one = Index.open(seed_index_dir)
    assert contents(batched) == contents(one)
    assert report.chunks_embedded == one.store.count("embeddings")
    batched.close()
    one.close()
    assert answers(tmp_path / "batched") == answers(seed_index_dir)


def test_the_last_commit_of_a_long_add_merges_as_one_commit_would(tmp_path, seed_index_dir):
    """Nine batches leave more segments than max_segments: the last commit merges them into one."""
    source = Index.open(seed_index_dir)
    folder = tmp_path / "articles"
    folder.mkdir()
    for line in source.list():  # each seed article as two: its first and second halves
        words = source.article(line.id).text.split(" ")
        for part, half in enumerate((words[:len(words) // 2], words[len(words) // 2:])):
            (folder / f"{line.id}-{part}.txt").write_text(" ".join(half), encoding="utf-8")
    source.close()
    index = Index.create(tmp_path / "idx")
    report = index.add_paths([folder], commit_windows=1)
    stats = index.stats()
    assert len(report.added) == 10 and stats.segments == 1 and index.verify(full=True) == []
    assert {int(i) for i in index.vectors.ids()} == {int(i) for i in index.store.chunk_ids()}
    again = index.add_paths([folder], commit_windows=1)
    assert len(again.unchanged) == 10 and again.added == [] and index.stats().segments == 1
    index.close()


# ------------------------------------------------------------------ a crash between two batch commits
CHILD = """
import sys
from index.api import Index, default_corpus_paths
report = Index.create(sys.argv[1]).add_paths(default_corpus_paths(), commit_windows=1)
print(len(report.unchanged), len(report.added), report.chunks_embedded)
"""


def add_in_batches(path: Path, fault: str | None = None, once: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    env.pop("BYLINE_FAULT", None)
    if fault:
        env.update(BYLINE_FAULT=fault, BYLINE_FAULT_ONCE=str(once))
    return subprocess.run([sys.executable, "-c", CHILD, str(path)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


@pytest.mark.parametrize("point", ["after_commit", "before_rename"])
def test_a_crash_between_batches_keeps_whole_batches_and_the_same_add_finishes_it(tmp_path, seed_index_dir,
                                                                                  point):
    path = tmp_path / "idx"
    killed = add_in_batches(path, point, tmp_path / "fired")
    assert killed.returncode == -9, killed.stderr
    index = Index.open(path)
    kept = 1 if point == "after_commit" else 0  # the first batch committed, or cut short before its commit
    assert index.verify() == [] and half_present(path) == 0 and index.stats().articles == kept
    embedded = index.store.count("embeddings")
    assert embedded > 0  # the first batch's vectors are cached either way
    index.close()
    resumed = Index.create(path)  # the same add as CHILD's, here: only the crash needs a process of its own
    report = resumed.add_paths(default_corpus_paths(), commit_windows=1)
    resumed.close()
    unchanged, added, encoded = len(report.unchanged), len(report.added), report.chunks_embedded
    assert (unchanged, added) == (kept, 5 - kept)
    index = Index.open(path)
    assert encoded == index.store.count("embeddings") - embedded  # the cut batch's vectors not encoded again
    one = Index.open(seed_index_dir)
    assert index.verify(full=True) == [] and index.stats().articles == 5
    mine, theirs = contents(index), contents(one)
    assert [a[1:] for a in mine["articles"]] == [a[1:] for a in theirs["articles"]]
    assert sorted(mine["vectors"].values()) == sorted(theirs["vectors"].values())
    index.close()
    one.close()


# ------------------------------------------------------------------ merges a block at a time
@pytest.fixture()
def ivf_sized(tmp_path, seed_index_dir) -> Path:
    """The seed index with its windows repeated (new rows, new random vectors) until IVF applies."""
    path = Path(shutil.copytree(seed_index_dir, tmp_path / "idx"))
    db = sqlite3.connect(path / "byline.sqlite")
    rows = db.execute("SELECT article, ordinal, start, end, sent_lo, sent_hi FROM chunks").fetchall()
    texts = {r: unpack_text(t) for r, t in db.execute("SELECT rowid, text FROM articles")}
    rng = np.random.default_rng(3)
    copies = IVF_MIN_VECTORS // len(rows) + 2
    for n in range(copies):
        vectors = rng.standard_normal((len(rows), 384)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        for row, vector in zip(rows, vectors):
            h, blob = int(rng.integers(1, 2**62)), to_blob(vector)
            db.execute("INSERT INTO embeddings(hash, vector, crc) VALUES (?, ?, ?)", (h, blob, vector_crc(h, blob)))
            made = db.execute("INSERT INTO chunks(article, ordinal, start, end, sent_lo, sent_hi, hash) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?)", (*row, h))
            db.execute("UPDATE chunks SET crc = ? WHERE id = ?", (chunk_crc((made.lastrowid, *row, h)), made.lastrowid))
            db.execute("INSERT INTO chunks_fts(rowid, text) VALUES (?, ?)",  # the window's own text, as a write keeps it
                       (made.lastrowid, texts[row[0]][row[2]:row[3]]))
    chunks = db.execute("SELECT count(*) FROM chunks").fetchone()[0]
    db.executemany("INSERT OR REPLACE INTO manifest(key, value) VALUES (?, ?)",
                   [("approximate_above", json.dumps(IVF_MIN_VECTORS)), ("chunks", json.dumps(chunks))])
    db.commit()
    db.close()
    return path


def test_a_merge_in_blocks_writes_the_index_of_a_merge_at_once(ivf_sized, tmp_path):
    index = Index.open(ivf_sized)
    ids, vectors = index.store.all_chunk_vectors(384)
    assert len(ids) > IVF_MIN_VECTORS
    for approximate in (False, True):
        at_once = VectorIndex.build(ids, vectors, 384, approximate=approximate)
        in_blocks = merged(index.store, 384, approximate, block=333)
        assert in_blocks.kind == ("ivf" if approximate else "flat")
        files = [tmp_path / f"{name}-{approximate}.faiss" for name in ("once", "blocks")]
        digests = [v.save(f) for v, f in zip((at_once, in_blocks), files)]
        assert digests[0] == digests[1] and files[0].read_bytes() == files[1].read_bytes()
    index.close()


def test_optimize_in_blocks_answers_as_before(ivf_sized):
    index = Index.open(ivf_sized)
    ids, vectors = index.store.all_chunk_vectors(384)
    expected = VectorIndex.build(ids, vectors, 384, approximate=True)
    queries = vectors[::397][:8]
    index.optimize()
    reopened = Index.open(ivf_sized)
    assert reopened.vectors.kind == "ivf" and reopened.stats().segments == 1 and reopened.verify(full=True) == []
    for q in queries:
        assert reopened.search_dense(q, 10) == expected.search(q, 10)
    index.close()
    reopened.close()
