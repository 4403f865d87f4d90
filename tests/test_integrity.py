"""A damaged, busy or read-only index is detected and explained, never silently wrong; every write
is atomic; a crash at any named point of a write leaves one whole index (issue 11)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tomllib
from pathlib import Path

import numpy as np
import pytest

from index.api import Index
from index.errors import IndexCorruptError, IndexReadOnlyError
from index.faults import POINTS
from index.settings import IVF_MIN_VECTORS, IndexSettings
from tests.integrity_tools import (ROOT, byline, byline_here, damage_page, damage_vectors, half_present, truncate_vectors,
                                   vector_file, write_articles)


@pytest.fixture()
def fresh_index(tmp_path, seed_index_dir) -> Path:
    target = tmp_path / "idx"
    shutil.copytree(seed_index_dir, target)
    return target


# ------------------------------------------------------------------ 1. a fresh install
def test_html_cleaning_is_a_declared_dependency():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert any(d.startswith("lxml_html_clean") for d in deps)  # lxml >= 5.2 no longer ships it
    ci = (ROOT / ".ci" / "run").read_text()
    assert "--clear" in ci and "--no-cache-dir" in ci  # a new venv, resolved like a new user's
    import lxml.html.clean  # noqa: F401 - what jusText (through trafilatura) imports


# ------------------------------------------------------------------ 2. damaged vector files
def test_garbled_vectors_are_caught_by_verify_ask_and_add_and_repaired_without_reembedding(
        fresh_index, tmp_path, seed_corpus):
    damage_vectors(fresh_index, np.random.default_rng(1))
    verify = byline("index", "verify", "--index", str(fresh_index))
    assert verify.returncode == 1 and "checksum" in verify.stderr and "byline index repair" in verify.stderr
    assert verify.stderr.count("\n") == 1
    ask = byline("ask", "What did Sullivan say about Nord Stream 2?", "--index", str(fresh_index))
    assert ask.returncode == 1 and "byline index repair" in ask.stderr and "Sources" not in ask.stdout
    before = vector_file(fresh_index).read_bytes()
    cached = Index.open(fresh_index).store.count("embeddings")
    new = write_articles(tmp_path / "new", seed_corpus, 1)
    add = byline("index", "add", str(new[0]), "--index", str(fresh_index))
    assert add.returncode == 1 and "byline index repair" in add.stderr
    assert vector_file(fresh_index).read_bytes() == before  # nothing copied forward
    assert Index.open(fresh_index).store.count("embeddings") == cached  # refused before embedding
    remove = byline("index", "remove", "000_0b5f9bdb6e6698e2", "--index", str(fresh_index))
    assert remove.returncode == 1 and "byline index repair" in remove.stderr
    assert vector_file(fresh_index).read_bytes() == before and Index.open(fresh_index).stats().articles == 5

    index = Index.open(fresh_index)
    embeddings = index.store.count("embeddings")
    assert index.repair().vectors == index.stats().chunks
    assert index.reader._encoder is None  # the model was never loaded: nothing re-embedded
    reopened = Index.open(fresh_index)
    assert reopened.verify(full=True) == [] and reopened.store.count("embeddings") == embeddings


def test_a_truncated_vector_file_is_refused_then_repaired(fresh_index):
    truncate_vectors(fresh_index)
    with pytest.raises(IndexCorruptError, match="byline index repair"):
        Index.open(fresh_index).vectors  # noqa: B018
    repaired = byline("index", "repair", "--index", str(fresh_index))
    assert repaired.returncode == 0, repaired.stderr
    assert byline("index", "verify", "--full", "--index", str(fresh_index)).returncode == 0


def test_vectors_that_differ_from_the_database_fail_verify_full(fresh_index):
    """A vector file with a valid checksum but wrong vectors (what the old add copied forward)."""
    from index.embedded.vectors import VectorIndex

    index = Index.open(fresh_index)
    (segment, vectors), = index.vectors.parts  # the seed index is one segment
    ids = index.store.chunk_ids()[:25]
    vectors.remove(ids)
    vectors.add(ids, np.full((25, 384), np.nan, dtype=np.float32))
    db = sqlite3.connect(fresh_index / "byline.sqlite")
    digest = vectors.save(fresh_index / f"vectors-{segment.version}.faiss")
    segments = [{**segment.to_json(), "checksum": digest}]
    db.execute("UPDATE manifest SET value = ? WHERE key = 'segments'", (json.dumps(segments),))
    db.commit()
    db.close()
    problems = Index.open(fresh_index).verify(full=True)
    assert problems == [f"25 of {index.stats().chunks} vectors in the vector file differ from the database's "
                        "(byline index repair rebuilds it from the database)"]
    assert isinstance(VectorIndex.load(vector_file(fresh_index), 384, digest), VectorIndex)


# ------------------------------------------------------------------ 3. a damaged SQLite page
def test_a_damaged_database_page_is_one_line_everywhere_and_never_written(fresh_index, tmp_path, seed_corpus):
    damage_page(fresh_index, np.random.default_rng(5))
    db_bytes = (fresh_index / "byline.sqlite").read_bytes()
    new = write_articles(tmp_path / "new", seed_corpus, 1)
    for args in (["index", "verify"], ["index", "stats"], ["index", "list"], ["ask", "Who met on Tuesday?"],
                 ["index", "add", str(new[0])], ["index", "remove", "000_0b5f9bdb6e6698e2"]):
        done = byline(*args, "--index", str(fresh_index))
        assert done.returncode == 1, (args, done.stdout)
        assert "damaged" in done.stderr and "Traceback" not in done.stderr and done.stderr.count("\n") == 1, args
    assert (fresh_index / "byline.sqlite").read_bytes() == db_bytes  # add and remove wrote nothing


# ------------------------------------------------------------------ 4. ask --index DIR never builds there
def test_ask_never_builds_the_bundled_corpus_into_a_folder_that_holds_other_files(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "vectors-3.faiss").write_bytes(b"the user's data" * 1000)
    done = byline("ask", "Who met?", "--index", str(folder))
    assert done.returncode == 1 and "No index at" in done.stderr and "byline index build" in done.stderr
    assert (folder / "vectors-3.faiss").read_bytes() == b"the user's data" * 1000
    assert sorted(p.name for p in folder.iterdir()) == ["vectors-3.faiss"]
    empty = tmp_path / "empty"
    assert byline("ask", "Who met?", "--index", str(empty)).returncode == 1 and not empty.exists()


# ------------------------------------------------------------------ 5. a read-only index
@pytest.fixture()
def readonly_index(tmp_path, seed_index_dir):
    """The seed index on a read-only mount (root ignores file modes), or with its modes cleared."""
    source = shutil.copytree(seed_index_dir, tmp_path / "src")
    db = sqlite3.connect(source / "byline.sqlite")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    if os.geteuid() != 0:
        for f in [source, *source.iterdir()]:
            f.chmod(0o555 if f.is_dir() else 0o444)
        yield source
        source.chmod(0o755)
        return
    target = tmp_path / "ro"
    target.mkdir()
    mounted = subprocess.run(["mount", "--bind", str(source), str(target)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot make a read-only folder here (root without mount)")
    subprocess.run(["mount", "-o", "remount,bind,ro", str(target)], check=True)
    try:
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], check=True)


def test_a_read_only_index_answers_and_refuses_writes_in_one_line(readonly_index, seed_corpus):
    from qa import Assistant

    assert not os.access(readonly_index, os.W_OK)
    assistant = Assistant.open(readonly_index, build_default=False)
    answer = assistant.ask("Which Canadian minister did Blinken brief on the Biden-Putin call?")
    assert "Mélanie Joly" in " ".join(s.text for s in answer.sentences)
    assistant.close()
    assert byline("index", "verify", "--index", str(readonly_index)).returncode == 0
    for args in (["index", "add", str(seed_corpus)], ["index", "remove", "000_0b5f9bdb6e6698e2"],
                 ["index", "repair"]):
        done = byline(*args, "--index", str(readonly_index))
        assert done.returncode == 1 and "read-only" in done.stderr and done.stderr.count("\n") == 1, args
    index = Index.open(readonly_index)
    with pytest.raises(IndexReadOnlyError, match="read-only"):
        index.remove(["000_0b5f9bdb6e6698e2"])
    index.close()


# ------------------------------------------------------------------ 7. a long-lived reader sees new articles
def test_an_open_assistant_answers_from_articles_added_by_another_process(fresh_index, tmp_path):
    from qa import Assistant

    assistant = Assistant.open(fresh_index, build_default=False)
    question = "What colour was the zeppelin that landed on the Kremlin roof?"
    assert all(h.article_id != "zeppelin" for h in assistant.retrieve(question))
    story = tmp_path / "zeppelin.txt"
    story.write_text("Zeppelin lands in Moscow\n\nA bright orange zeppelin landed on the Kremlin roof on "
                     "Wednesday, witnesses said. The orange airship stayed for an hour.\n", encoding="utf-8")
    assert byline("index", "add", str(story), "--index", str(fresh_index)).returncode == 0
    answer = assistant.ask(question)
    assert answer.sources and answer.sources[0].article_id == "zeppelin" and "orange" in answer.sources[0].quote
    assert "Orange" not in assistant.outlets()
    assert byline("index", "remove", "zeppelin", "--index", str(fresh_index)).returncode == 0
    assert all(h.article_id != "zeppelin" for h in assistant.retrieve(question))
    assistant.close()


# ------------------------------------------------------------------ 8. remove by path
def test_remove_by_path_matches_the_resolved_file_only(fresh_index, tmp_path, monkeypatch):
    folder = tmp_path / "feeds"
    folder.mkdir()
    for name, words in (("a_b", "alpha"), ("aXb", "bravo")):
        lines = [json.dumps({"id": f"{name}-{i}", "text": f"The {words} story number {i} says the talks went on "
                             f"for {i + 2} hours in Geneva."}) for i in range(2)]
        (folder / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    index = Index.open(fresh_index)
    index.add_paths([folder])
    monkeypatch.chdir(tmp_path)
    assert index.remove(["feeds/../feeds/a_b.jsonl"]) == ["a_b-0", "a_b-1"]  # another spelling, same file
    assert index.article("aXb-0") is not None and index.article("aXb-1") is not None
    link = tmp_path / "link.jsonl"
    link.symlink_to(folder / "aXb.jsonl")
    assert index.remove([str(link)]) == ["aXb-0", "aXb-1"]
    assert index.verify() == []


# ------------------------------------------------------------------ 9, 13. crashes at named points
def test_each_named_fault_point_leaves_one_whole_index(fresh_index, tmp_path, seed_corpus):
    """An add killed at each named point of its commit, one after another on the same index, leaves all of
    its articles or none each time, and a dense search still answers. (An add of 60 articles killed so in
    test_index.py was the same commit: every add under index.embedded.writer.COMMIT_WINDOWS is one.)"""
    new = write_articles(tmp_path / "new", seed_corpus, 2)
    for point in ("after_embedding", "before_rename", "after_rename", "after_commit"):
        killed = byline("index", "add", *map(str, new), "--index", str(fresh_index), fault=point)
        assert killed.returncode == -9, (point, killed.stderr)
        index = Index.open(fresh_index)
        assert index.verify() == [] and half_present(fresh_index) == 0, point
        assert index.stats().articles == (7 if point == "after_commit" else 5), point
        assert index.search_dense(index.encoder.encode(["Nord Stream 2 pipeline"])[0], 3), point
        index.close()
        if point == "after_commit":
            assert byline_here("index", "remove", *map(str, new), "--index", str(fresh_index)).returncode == 0
    leftovers = Index.open(fresh_index).verification().leftovers
    assert leftovers == []  # the remove above cleaned what the kills left
    done = byline_here("index", "add", *map(str, new), "--index", str(fresh_index), "--json")  # only kills need a process
    assert done.returncode == 0 and json.loads(done.stdout)["chunks_embedded"] == 0  # resumed from the cache


def test_a_kill_before_the_rename_leaves_a_reported_leftover_that_the_next_write_removes(fresh_index, tmp_path,
                                                                                       seed_corpus):
    new = write_articles(tmp_path / "new", seed_corpus, 1)
    assert byline("index", "add", str(new[0]), "--index", str(fresh_index), fault="before_rename").returncode == -9
    index = Index.open(fresh_index)
    leftovers = index.verification().leftovers
    assert len(leftovers) == 1 and ".faiss.tmp" in leftovers[0]
    everything = sum(f.stat().st_size for f in fresh_index.iterdir())
    leftover = (fresh_index / leftovers[0]).stat().st_size
    assert leftover > 0 and index.stats().size_bytes == everything - leftover  # not counted as the index
    shown = byline("index", "verify", "--index", str(fresh_index))
    assert shown.returncode == 0 and "left by an interrupted write" in shown.stdout
    Index.open(fresh_index).remove(["000_0b5f9bdb6e6698e2"])
    assert not list(fresh_index.glob("*.tmp*")) and Index.open(fresh_index).verification().leftovers == []


def test_a_rebuild_killed_during_the_swap_is_finished_on_the_next_open(fresh_index):
    killed = byline("index", "build", "--rebuild", "--chunk-words", "40", "--chunk-stride", "20",
                    "--index", str(fresh_index), fault="during_swap")
    assert killed.returncode == -9
    assert not fresh_index.exists()  # the old index moved aside, the new one not yet in place
    index = Index.open(fresh_index)
    assert index.settings.chunk_words == 40 and index.verify() == [] and index.stats().articles == 5
    assert sorted(p.name for p in fresh_index.parent.iterdir() if p.name.startswith("idx")) == ["idx", "idx.lock"]


def test_a_rebuild_killed_while_building_leaves_the_old_index(fresh_index):
    killed = byline("index", "build", "--rebuild", "--chunk-words", "40", "--chunk-stride", "20",
                    "--index", str(fresh_index), fault="after_embedding")
    assert killed.returncode == -9 and (fresh_index.parent / "idx.rebuild").exists()
    index = Index.open(fresh_index)
    assert index.settings.chunk_words == 24 and index.verify() == []
    Index.open(fresh_index).remove(["000_0b5f9bdb6e6698e2"])  # the next write removes the unfinished one
    assert not (fresh_index.parent / "idx.rebuild").exists()


def test_every_fault_point_is_exercised():
    tested = {"after_embedding", "before_rename", "after_rename", "after_commit", "during_swap",
              "ray_embed",  # in tests/test_ray_ingest.py
              "keywords_before_commit"}  # in tests/test_tantivy_keywords.py
    assert set(POINTS) == tested


# ------------------------------------------------------------------ 11. the IVF crossing inside a commit
def test_approximate_above_cannot_be_set_under_what_ivf_can_train_on():
    with pytest.raises(ValueError, match=str(IVF_MIN_VECTORS)):
        IndexSettings(approximate_above=IVF_MIN_VECTORS - 1)


def test_crossing_the_approximate_line_inside_a_commit_switches_the_vector_index(tmp_path, crossed_ivf):
    built, articles, kinds = crossed_ivf  # the seeds, then 30 articles in one add (conftest.py)
    assert kinds == ["flat", "ivf"]
    shutil.copytree(built, tmp_path / "idx")
    index = Index.open(tmp_path / "idx")
    chunks = index.stats().chunks
    assert index.settings.approximate_above == IVF_MIN_VECTORS
    assert chunks > IVF_MIN_VECTORS and index.vectors.kind == "ivf"
    index.close()
    reopened = Index.open(tmp_path / "idx")
    assert reopened.vectors.kind == "ivf" and reopened.verify(full=True) == []
    reopened.remove([p.stem for p in articles[:20]])
    assert reopened.stats().chunks < IVF_MIN_VECTORS and reopened.vectors.kind == "flat"
    assert reopened.verify(full=True) == []


# ------------------------------------------------------------------ 6. readers beside a writer
@pytest.mark.timeout(900)  # a hang guard, not a speed limit: 130 reads beside a writer on a loaded machine
def test_readers_beside_a_writer_see_no_false_damage_and_no_wrong_citation(fresh_index, tmp_path, seed_corpus):
    from tests.integrity_tools import concurrency_probe

    extra = write_articles(tmp_path / "extra", seed_corpus, 1, seed=11)
    # before the fix, this gave about 3 false reports in 100 verifies ("manifest says 6 articles,
    # database holds 5"); fast one-article cycles give readers the most chances to fall between commits.
    # The writer cycles for as long as the readers read (about 20 cycles here) and at least `cycles`
    # times: a minimum of 100 only kept it writing, unread, for some 15 s after the last read.
    result = concurrency_probe(fresh_index, extra, cycles=20, asks=30, verifies=100)
    assert result["writer_ok"] is True and result["cycles"] >= 20
    assert result["false_damage"] == [] and result["wrong_citations"] == 0
    assert result["citations"] >= 30 and result["reads_while_writing"] == 130  # every read beside the writer


def test_the_whole_file_check_is_skipped_only_while_nothing_else_wrote_the_database(fresh_index, tmp_path,
                                                                                   seed_corpus):
    """index.embedded.checked: a clean write leaves a stamp; random bytes over a page (a write) void it, so
    the next add still refuses the damaged file."""
    from index.embedded.checked import unchanged

    db = fresh_index / "byline.sqlite"
    new = write_articles(tmp_path / "new", seed_corpus, 2)
    assert byline_here("index", "add", str(new[0]), "--index", str(fresh_index)).returncode == 0
    assert unchanged(db)
    damage_page(fresh_index, np.random.default_rng(11))
    assert not unchanged(db)
    done = byline_here("index", "add", str(new[1]), "--index", str(fresh_index))
    assert done.returncode == 1 and "damaged" in done.stderr and "Traceback" not in done.stderr
