"""Append-only vector segments (issue 13): an add writes a small segment, a remove a tombstone; search
merges them and finds what one file would; optimize and the automatic merges keep every answer and
drop removed vectors; a kill mid-write or mid-merge leaves the last good index."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from cli.main import app
from index.api import Index
from index.settings import IndexSettings
from index.embedded.vectors import VectorIndex
from tests.integrity_tools import byline, byline_here, half_present, write_articles

QUERIES = ("How many soldiers had Russia gathered near the Ukrainian border?",
           "What did Sullivan say about Nord Stream 2?", "Generated story about sanctions and gas",
           "Which Canadian minister did Blinken brief?")


@pytest.fixture()
def fresh_index(tmp_path, seed_index_dir) -> Path:
    return Path(shutil.copytree(seed_index_dir, tmp_path / "idx"))


@pytest.fixture(scope="module")
def queries(seed_index_dir) -> np.ndarray:
    index = Index.open(seed_index_dir)
    vectors = index.encoder.encode(list(QUERIES))
    index.close()
    return vectors


def one_file(index: Index) -> VectorIndex:
    """The same live vectors as one flat FAISS index, straight from SQLite."""
    ids, vecs = index.store.all_chunk_vectors(384)
    return VectorIndex.build(ids, vecs, 384)


def results(search, queries, k: int = 20, allowed=None) -> list[list[tuple[int, float]]]:
    return [[(i, round(s, 5)) for i, s in search(q, k, allowed)] for q in queries]


def set_manifest(index_dir: Path, **values) -> None:
    db = sqlite3.connect(index_dir / "byline.sqlite")
    db.executemany("INSERT OR REPLACE INTO manifest(key, value) VALUES (?, ?)",
                   [(k, json.dumps(v)) for k, v in values.items()])
    db.commit()
    db.close()


def test_adds_write_segments_removes_write_tombstones_and_search_equals_one_file(fresh_index, tmp_path,
                                                                                 seed_corpus, queries):
    index = Index.open(fresh_index)
    first = sorted(p.name for p in fresh_index.glob("vectors-*.faiss"))
    new = write_articles(tmp_path / "new", seed_corpus, 3)
    for path in new:
        index.add_paths([path])
    assert index.stats().segments == 4
    assert set(first) <= {p.name for p in fresh_index.glob("vectors-*.faiss")}  # never rewritten
    index.remove([new[1].stem, "000_0b5f9bdb6e6698e2"])
    stats = index.stats()
    assert stats.segments == 4 and stats.deleted_vectors > 0 and index.vectors.size == stats.chunks
    single = one_file(index)
    assert results(index.search_dense, queries) == results(single.search, queries)
    allowed = index.filter_ids(outlets=["ARD"])
    assert len(allowed) and results(index.search_dense, queries, 10, allowed) == results(single.search, queries, 10,
                                                                                          allowed)
    dead = index.vectors.tombstones
    assert not set(h for q in queries for h, _ in index.search_dense(q, 500)) & set(dead.tolist())
    assert index.verify(full=True) == []


def test_optimize_keeps_every_answer_and_drops_removed_vectors(fresh_index, tmp_path, seed_corpus, queries):
    index = Index.open(fresh_index)
    new = write_articles(tmp_path / "new", seed_corpus, 2)
    index.add_paths([new[0]])
    index.add_paths([new[1]])
    index.remove([new[0].stem])
    before, dead = results(index.search_dense, queries), index.vectors.tombstones
    report = index.optimize()
    assert (report.segments, report.deleted_vectors, report.vectors) == (3, len(dead), index.stats().chunks)
    assert results(index.search_dense, queries) == before
    assert index.stats().segments == 1 and index.stats().deleted_vectors == 0
    assert not set(index.vectors.ids().tolist()) & set(dead.tolist())
    assert len(list(fresh_index.glob("vectors-*.faiss"))) == 1 and index.verify(full=True) == []


def test_writes_past_the_thresholds_merge_on_their_own(tmp_path, seed_corpus, queries):
    index = Index.create(tmp_path / "idx", IndexSettings(max_segments=3, merge_tombstones=0.15))
    index.add_paths([seed_corpus])
    base = index.vectors.segments[0]
    new = write_articles(tmp_path / "new", seed_corpus, 4)
    for path in new:
        index.add_paths([path])
        assert index.stats().segments <= 3
    segments = index.vectors.segments
    assert segments[0] == base and len(segments) == 3  # the small ones merged, the first one kept
    assert results(index.search_dense, queries) == results(one_file(index).search, queries)
    index.remove([new[0].stem])  # about 11% of the vectors: a tombstone
    assert index.stats().deleted_vectors > 0 and index.stats().segments == 3
    index.remove(["000_0b5f9bdb6e6698e2", new[1].stem])  # past 15%: everything merged
    assert index.stats().segments == 1 and index.stats().deleted_vectors == 0
    assert results(index.search_dense, queries) == results(one_file(index).search, queries)
    assert index.verify(full=True) == []


def test_an_open_reader_keeps_answering_across_segments_and_merges(fresh_index, tmp_path, seed_corpus, queries):
    reader = Index.open(fresh_index)
    assert reader.search_dense(queries[0], 5)
    loaded = reader.vectors.parts[0][1]
    writer = Index.open(fresh_index)
    new = write_articles(tmp_path / "new", seed_corpus, 1)
    writer.add_paths(new)
    assert reader.vectors.parts[0][1] is loaded  # the unchanged segment is not read again
    assert reader.vectors.size == writer.stats().chunks
    writer.optimize()  # the files the reader loaded are gone now
    assert not (fresh_index / f"vectors-{reader.vectors.segments[0].version - 1}.faiss").exists()
    assert results(reader.search_dense, queries) == results(one_file(writer).search, queries)


def test_an_index_written_before_segments_is_read_and_converted_by_its_next_write(fresh_index, tmp_path,
                                                                                 seed_corpus, queries):
    (segment,) = Index.open(fresh_index).vectors.segments
    db = sqlite3.connect(fresh_index / "byline.sqlite")
    db.execute("DELETE FROM manifest WHERE key IN ('segments', 'max_segments', 'merge_tombstones')")
    db.execute("DROP TABLE tombstones")
    db.commit()
    db.close()
    set_manifest(fresh_index, vectors_checksum=segment.checksum, vectors_version=segment.version)
    old = Index.open(fresh_index)
    assert results(old.search_dense, queries) == results(one_file(old).search, queries)
    assert old.verify(full=True) == [] and old.stats().segments == 1
    old.add_paths(write_articles(tmp_path / "new", seed_corpus, 1))  # rewritten as one segment
    assert segment.version < old.vectors.segments[0].version and old.stats().segments == 1
    old.remove(["000_0b5f9bdb6e6698e2"])
    assert old.stats().segments == 1 and old.stats().deleted_vectors > 0 and old.verify(full=True) == []
    assert results(old.search_dense, queries) == results(one_file(old).search, queries)


def test_byline_index_optimize_prints_one_clear_line(fresh_index, tmp_path, seed_corpus):
    Index.open(fresh_index).add_paths(write_articles(tmp_path / "new", seed_corpus, 1))
    Index.open(fresh_index).remove(["000_0b5f9bdb6e6698e2"])
    runner = CliRunner()
    done = runner.invoke(app, ["index", "optimize", "--index", str(fresh_index)])
    assert done.exit_code == 0, done.output
    line = done.output.strip()
    assert line.count("\n") == 0 and line.startswith("optimized: 2 vector segment(s) and ")
    assert "merged into 1 segment of" in line
    again = runner.invoke(app, ["index", "optimize", "--index", str(fresh_index), "--json"])
    assert json.loads(again.stdout)["segments"] == 1 and json.loads(again.stdout)["deleted_vectors"] == 0
    missing = runner.invoke(app, ["index", "optimize", "--index", str(tmp_path / "nowhere")])
    assert missing.exit_code == 1 and "No index at" in missing.output


# ------------------------------------------------------------------ kills mid-write and mid-merge
def _whole(index_dir: Path, articles: int, queries, expected=None) -> list:
    index = Index.open(index_dir)
    assert index.verify(full=True) == [] and half_present(index_dir) == 0  # nothing lost or stored twice
    assert index.stats().articles == articles
    found = results(index.search_dense, queries)
    assert found == results(one_file(index).search, queries)
    if expected is not None:
        assert found == expected
    index.close()
    return found


@pytest.mark.parametrize("point", ["before_rename", "after_rename", "after_commit"])
def test_an_optimize_killed_mid_merge_leaves_one_whole_index(fresh_index, tmp_path, seed_corpus, queries, point):
    new = write_articles(tmp_path / "new", seed_corpus, 2)
    index = Index.open(fresh_index)
    index.add_paths([new[0]])
    index.add_paths([new[1]])
    index.remove([new[0].stem])
    before = _whole(fresh_index, 6, queries)
    killed = byline("index", "optimize", "--index", str(fresh_index), fault=point)
    assert killed.returncode == -9, killed.stderr
    _whole(fresh_index, 6, queries, before)
    assert Index.open(fresh_index).stats().segments == (1 if point == "after_commit" else 3)
    assert byline("index", "optimize", "--index", str(fresh_index)).returncode == 0  # and it finishes later
    _whole(fresh_index, 6, queries, before)
    assert Index.open(fresh_index).verification().leftovers == []


@pytest.mark.parametrize("point", ["before_rename", "after_rename", "after_commit"])
def test_an_add_killed_while_writing_a_segment_or_merging_leaves_one_whole_index(fresh_index, tmp_path,
                                                                                 seed_corpus, queries, point):
    set_manifest(fresh_index, max_segments=2)  # the third segment merges the small ones
    new = write_articles(tmp_path / "new", seed_corpus, 2)
    assert byline_here("index", "add", str(new[0]), "--index", str(fresh_index)).returncode == 0  # only the kill needs a process
    before = _whole(fresh_index, 6, queries)
    killed = byline("index", "add", str(new[1]), "--index", str(fresh_index), fault=point)
    assert killed.returncode == -9, killed.stderr
    _whole(fresh_index, 7 if point == "after_commit" else 6, queries,
           None if point == "after_commit" else before)
    done = byline_here("index", "add", str(new[1]), "--index", str(fresh_index), "--json")
    assert done.returncode == 0 and json.loads(done.stdout)["chunks_embedded"] == 0  # resumed from the cache
    _whole(fresh_index, 7, queries)
    assert Index.open(fresh_index).stats().segments == 2 and Index.open(fresh_index).verification().leftovers == []


def test_a_merge_a_write_triggers_keeps_the_trained_ivf_lists_and_optimize_trains_anew(tmp_path, crossed_ivf):
    import faiss

    def centroids(index: Index) -> np.ndarray:
        ivf = faiss.extract_index_ivf(index.vectors.parts[0][1].index)
        return ivf.quantizer.reconstruct_n(0, ivf.nlist)

    built, articles, _ = crossed_ivf  # the seeds and 30 articles, IVF since the add that crossed the line
    shutil.copytree(built, tmp_path / "idx")
    set_manifest(tmp_path / "idx", merge_tombstones=0.05)
    index = Index.open(tmp_path / "idx")
    assert index.settings.merge_tombstones == 0.05
    assert index.vectors.kind == "ivf" and index.stats().segments == 1
    trained = centroids(index)
    index.remove([p.stem for p in articles[:3]])  # past 5% removed: everything merged, the lists kept
    assert index.stats().segments == 1 and index.stats().deleted_vectors == 0 and index.vectors.kind == "ivf"
    assert np.array_equal(centroids(index), trained) and index.verify(full=True) == []
    index.optimize()  # trained again, on the vectors there are now (three articles fewer)
    assert index.vectors.kind == "ivf" and not np.array_equal(centroids(index), trained)
    assert index.verify(full=True) == []


def test_a_damaged_segment_is_named_by_verify_refused_by_writes_and_repaired(fresh_index, tmp_path, seed_corpus):
    from tests.integrity_tools import damage_vectors

    new = write_articles(tmp_path / "new", seed_corpus, 2)
    Index.open(fresh_index).add_paths([new[0]])
    damaged = damage_vectors(fresh_index, np.random.default_rng(3))  # the newest segment
    problems = Index.open(fresh_index).verify()
    assert len(problems) == 1 and damaged.name in problems[0] and "byline index repair" in problems[0]
    refused = byline("index", "add", str(new[1]), "--index", str(fresh_index))
    assert refused.returncode == 1 and damaged.name in refused.stderr and "byline index repair" in refused.stderr
    assert Index.open(fresh_index).repair().vectors == Index.open(fresh_index).stats().chunks
    repaired = Index.open(fresh_index)
    assert repaired.stats().segments == 1 and repaired.verify(full=True) == [] and repaired.stats().articles == 6
