"""The index as a user runs it: build, update, remove, survive crashes and bad input."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from index.api import Index, default_corpus_paths
from index.errors import IndexBusyError, IndexCorruptError, IndexMismatchError, IndexMissingError, InputError
from index.embedded.lock import writer_lock


@pytest.fixture()
def fresh_index(tmp_path, seed_index_dir) -> Path:
    """A private copy of the seed index that a test may change."""
    target = tmp_path / "idx"
    shutil.copytree(seed_index_dir, target, ignore=shutil.ignore_patterns("write.lock"))
    return target


def test_seed_build_holds_every_article_with_metadata(seed_index_dir):
    index = Index.open(seed_index_dir)
    stats = index.stats()
    assert stats.articles == 5 and stats.chunks > 300
    assert stats.model == "all-MiniLM-L6-v2" and stats.backend == "onnx-int8" and stats.dimension == 384
    assert index.verify() == []
    listed = {row[0]: row for row in index.list()}
    assert listed["001_1797f815085c3a86"][2] == "Le Figaro"
    assert listed["004_2c58ce0929758757"][3] == "2021-12-07"
    text = index.article("001_1797f815085c3a86").text
    assert "The rest is for subscribers only" not in text and "© Communities" not in text


def test_adding_identical_articles_again_is_a_no_op(fresh_index):
    index = Index.open(fresh_index)
    before = index.stats()
    report = index.add_paths(default_corpus_paths())
    assert len(report.unchanged) == 5 and not report.added and report.chunks_embedded == 0
    assert index.stats().chunks == before.chunks


def _edited(tmp_path, src, text: str):
    """A new version of the article `src` (a same-named file elsewhere is another article: its id is
    given, as a feed of edits gives it)."""
    changed = tmp_path / "in" / "edits.jsonl"
    changed.parent.mkdir()
    changed.write_text(json.dumps({"id": src.stem, "text": text}) + "\n", encoding="utf-8")
    return changed


def test_a_changed_article_is_reembedded_alone(fresh_index, tmp_path, seed_corpus):
    src = seed_corpus / "003_a9f123cecce3c2d4.txt"
    changed = _edited(tmp_path, src, src.read_text(encoding="utf-8")
                      + "\nA new closing paragraph was added by the editors today.\n")
    index = Index.open(fresh_index)
    chunks_before = index.stats().chunks
    report = index.add_paths([changed])
    assert report.updated == ["003_a9f123cecce3c2d4"]
    assert 0 < report.chunks_embedded <= 3 and report.chunks_cached > 50  # only the new windows are encoded
    assert index.stats().chunks >= chunks_before
    assert "closing paragraph" in index.article("003_a9f123cecce3c2d4").text
    assert index.verify() == []


def test_remove_by_id_and_by_path(fresh_index, seed_corpus):
    index = Index.open(fresh_index)
    assert index.remove(["000_0b5f9bdb6e6698e2"]) == ["000_0b5f9bdb6e6698e2"]
    path = str(seed_corpus / "001_1797f815085c3a86.txt")
    assert index.remove([path]) == ["001_1797f815085c3a86"]
    assert index.stats().articles == 3 and index.verify() == []
    reopened = Index.open(fresh_index)
    assert reopened.vectors.size == reopened.stats().chunks
    with pytest.raises(InputError, match="byline index list"):
        index.remove(["no-such-article"])


def test_near_duplicates_are_reported_and_can_be_skipped(fresh_index, tmp_path, seed_corpus):
    text = (seed_corpus / "004_2c58ce0929758757.txt").read_text(encoding="utf-8")
    copy = tmp_path / "wire" / "wire_copy.txt"
    copy.parent.mkdir()
    copy.write_text(text.replace("a good two hours", "a good two and a half hours"), encoding="utf-8")
    index = Index.open(fresh_index)
    report = index.add_paths([copy], skip_near_duplicates=True)
    assert report.near_duplicates and report.near_duplicates[0][1] == "004_2c58ce0929758757"
    assert report.skipped == ["wire_copy"] and index.article("wire_copy") is None


def test_filters_apply_inside_dense_search(seed_index_dir):
    index = Index.open(seed_index_dir)
    allowed = index.filter_ids(outlets=["ARD"])
    vec = index.encoder.encode(["sanctions against Russia"])[0]
    hits = index.search_dense(vec, 10, allowed)
    rows = index.chunks([h for h, _ in hits])
    assert hits and {r.article_id for r in rows.values()} == {"004_2c58ce0929758757"}
    assert len(index.filter_ids(since="2030-01-01")) == 0


def test_opening_with_another_model_fails_with_one_clear_line(seed_index_dir):
    with pytest.raises(IndexMismatchError) as err:
        Index.open(seed_index_dir, model="some/other-model")
    assert "--rebuild" in str(err.value) and "\n" not in str(err.value)


def test_a_newer_format_version_is_refused(fresh_index):
    db = sqlite3.connect(fresh_index / "byline.sqlite")
    db.execute("UPDATE manifest SET value = '99' WHERE key = 'format_version'")
    db.commit()
    db.close()
    with pytest.raises(IndexMismatchError, match="format version 99"):
        Index.open(fresh_index)


def test_an_older_format_is_refused_and_left_as_it_was(fresh_index, tmp_path):
    """Format 3 kept a row a sentence and entity and the text uncompressed; format 4 and later read neither."""
    db = sqlite3.connect(fresh_index / "byline.sqlite")
    db.execute("UPDATE manifest SET value = '3' WHERE key = 'format_version'")
    db.commit()
    tables = db.execute("SELECT name FROM sqlite_master ORDER BY name").fetchall()
    db.close()
    with pytest.raises(IndexMismatchError, match="format version 3, this Byline reads version 5; rebuild it"):
        Index.open(fresh_index)
    from cli.main import app
    from typer.testing import CliRunner

    article = tmp_path / "one.txt"
    article.write_text("A headline\n\nSome words about a thing that happened in the city today.", encoding="utf-8")
    done = CliRunner().invoke(app, ["index", "add", str(article), "--index", str(fresh_index)])
    assert done.exit_code == 1 and "byline index build --rebuild" in done.output
    db = sqlite3.connect(fresh_index / "byline.sqlite")
    assert db.execute("SELECT name FROM sqlite_master ORDER BY name").fetchall() == tables
    db.close()


def test_missing_and_damaged_indexes_say_what_to_do(tmp_path, fresh_index):
    with pytest.raises(IndexMissingError, match="byline index build"):
        Index.open(tmp_path / "nothing-here")
    (fresh_index / "byline.sqlite-wal").unlink(missing_ok=True)
    (fresh_index / "byline.sqlite").write_bytes(b"this is not a database" * 100)
    with pytest.raises(IndexCorruptError, match="rebuild"):
        Index.open(fresh_index)


def test_a_lost_vector_file_is_reported_and_rebuilt_from_sqlite(fresh_index):
    for f in fresh_index.glob("vectors-*.faiss"):
        f.unlink()
    index = Index.open(fresh_index)
    assert any("vector file" in p for p in index.verify())
    assert index.vectors.size == index.stats().chunks  # still searchable


def test_a_second_writer_fails_clearly_and_loses_nothing(fresh_index, seed_corpus):
    index = Index.open(fresh_index, lock_timeout=0.2)
    with writer_lock(fresh_index, 1):
        with pytest.raises(IndexBusyError, match="Another byline process"):
            index.add_paths([seed_corpus])
    assert Index.open(fresh_index).stats().articles == 5


def test_rebuild_with_other_chunking_swaps_in_a_whole_new_index(tmp_path):
    from qa.archive.admin import build

    target = tmp_path / "idx"
    build(None, target)
    build(None, target, rebuild=True, chunk_words=40, chunk_stride=20)
    index = Index.open(target)
    assert index.settings.chunk_words == 40 and index.verify() == []
    assert not (tmp_path / "idx.rebuild").exists()


def test_the_approximate_index_finds_what_exact_search_finds():
    from index.embedded.vectors import VectorIndex

    rng = np.random.default_rng(3)
    centres = rng.standard_normal((50, 384)).astype(np.float32)
    vecs = centres[rng.integers(0, 50, 12_000)] + 0.3 * rng.standard_normal((12_000, 384)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    ids = np.arange(1, 12_001, dtype=np.int64)
    exact = VectorIndex.build(ids, vecs, 384)
    ivf = VectorIndex.build(ids, vecs, 384, approximate=True)
    assert (exact.kind, ivf.kind) == ("flat", "ivf")
    overlap = [len({i for i, _ in exact.search(q, 10)} & {i for i, _ in ivf.search(q, 10)}) / 10 for q in vecs[:50]]
    assert np.mean(overlap) >= 0.9
    ivf.remove([int(ids[0])])
    assert ivf.size == 11_999 and all(i != 1 for i, _ in ivf.search(vecs[0], 10))
    allowed = np.arange(100, 200, dtype=np.int64)
    assert {i for i, _ in ivf.search(vecs[150], 10, allowed)} <= set(allowed.tolist())


def test_vectors_cost_one_byte_a_dimension_on_disk_and_still_find_their_own_text(seed_index_dir):
    """Issue 13: each vector is kept as 384 one-byte codes in the database and in the vector file
    (float32 took 1,536 bytes in each, plus a 4.7 KB row in the cache); search still works."""
    index = Index.open(seed_index_dir)
    chunks = index.stats().chunks
    db = sqlite3.connect(f"file:{seed_index_dir / 'byline.sqlite'}?mode=ro", uri=True)
    rows, blob_bytes = db.execute("SELECT count(*), sum(length(vector)) FROM embeddings").fetchone()
    db.close()
    assert rows == chunks and blob_bytes == 384 * chunks
    vector_file = max(seed_index_dir.glob("vectors-*.faiss"), key=lambda f: int(f.stem.split("-")[1]))
    assert vector_file.stat().st_size <= 400 * chunks  # measured 392: 384 codes and an 8-byte id
    chunk_id = int(index.store.chunk_ids()[7])
    rows = index.chunks([chunk_id])
    article = index.article(rows[chunk_id].article_id)
    text = article.text[rows[chunk_id].start:rows[chunk_id].end]
    hits = index.search_dense(index.encoder.encode([text])[0], 3)
    assert hits[0][0] == chunk_id and hits[0][1] > 0.95


def test_removed_articles_leave_no_word_behind_in_the_keyword_index(fresh_index, tmp_path, seed_corpus):
    """The keyword index keeps no copy of the windows' text (issue 13): a removal gives back each
    window's exact text from its article. Removing everything must leave no indexed word at all."""
    index = Index.open(fresh_index)
    assert index.search_keyword('"sullivan"', 5) != [] and index.vocabulary("s", 5) != []
    src = seed_corpus / "003_a9f123cecce3c2d4.txt"
    changed = _edited(tmp_path, src, src.read_text(encoding="utf-8").replace("Biden", "Bidenz"))
    assert index.add_paths([changed]).updated == ["003_a9f123cecce3c2d4"]  # an update removes the old windows
    index.remove([row.id for row in index.list()])
    assert index.stats().chunks == 0
    assert index.vocabulary("", 5) == [] and index.search_keyword('"sullivan"', 5) == []
    assert index.verify(full=True) == []
