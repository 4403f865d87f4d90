"""Keyword search by tantivy on a large index (issue 13): built when the index passes
`keyword_index_above` windows, kept up to date by every write, searched only while it holds the
version the reader sees, FTS5 answering otherwise (a kill between the two commits, a lost
directory); the same hits as FTS5, ranked and scored as FTS5 ranks and scores them, the same filters,
the same word counts, the same answers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.embedded import tantivy_keywords
from index.api import Index
from qa import Assistant
from tests.integrity_tools import byline, byline_here, write_articles
from tests.test_segments import set_manifest

MATCHES = ('"troops" OR "border" OR "ukrain"*', '"nord" OR "stream" OR "sanction"*', '"100 000" OR "soldier"*',
           '"sullivan" OR "gas"', '"putin" OR "biden" OR "video" OR "summit"', '"blinken" OR "canad"*')


@pytest.fixture()
def large(tmp_path, seed_index_dir, seed_corpus) -> Path:
    """The seed index with the threshold at 0 windows, and one article added: the add builds the keyword directory."""
    path = Path(shutil.copytree(seed_index_dir, tmp_path / "idx"))
    set_manifest(path, keyword_index_above=0)
    new = write_articles(tmp_path / "new", seed_corpus, 1)
    assert not (path / tantivy_keywords.DIR_NAME).exists()
    Index.open(path).add_paths(new)
    return path


def fts5(index: Index, match: str, k: int = 60, *filters) -> list[tuple[int, float]]:
    from index.embedded.store import Store

    where, params = Store.filter_sql(*filters) if filters else ("", [])
    return index.reader.store.keyword_search(match, k, where, params)


def searched_by_tantivy(index: Index) -> bool:
    return index.reader._keywords.current(index.reader.version())


def test_a_large_index_searches_keywords_with_tantivy_and_ranks_them_as_fts5_does(large):
    """tantivy finds the windows; FTS5's bm25, computed as SQLite computes it, ranks them: the same windows in
    the same order with the same scores, to the last bit, where tantivy's own order is not FTS5's."""
    index = Index.open(large)
    assert searched_by_tantivy(index) and index.stats().keyword_index == "tantivy"
    own_order = 0
    for match in MATCHES:
        theirs = fts5(index, match)
        assert theirs and index.search_keyword(match, 60) == theirs, match
        assert index.search_keyword(match, 5) == theirs[:5], match
        own_order += [i for i, _ in index.reader._keywords.search(match, 60)] != [i for i, _ in theirs]
    assert own_order >= 5  # of 6, measured 5: tantivy's own scores order them otherwise (a length in a byte, prefixes)


def test_word_counts_from_tantivy_are_fts5s(large):
    """`qa` weighs and drops a question's words by these counts: a prefix counts each word starting with it, as
    FTS5's vocabulary does, so that the same question reads its words alike on a small and a large index."""
    index = Index.open(large)
    assert searched_by_tantivy(index)
    store = index.reader.store
    for word, prefix in (("russia", False), ("troops", False), ("zzz", False), ("russ", True), ("ukrain", True),
                         ("sanction", True), ("s", True), ("100", False)):
        assert index.doc_freq(word, prefix) == store.doc_freq(word, prefix), (word, prefix)
    assert index.doc_freq("russ", True) > index.doc_freq("russia") > 0


@pytest.mark.parametrize("filters", [(["Reuters"], None, None), ([], "2021-12-08", None), ([], None, "2021-12-07"),
                                     ([], None, None, True, False), ([], None, None, False, True),
                                     (["ARD", "Reuters"], "2021-12-01", "2022-01-31", False, True)])
def test_outlet_and_date_filters_keep_the_windows_fts5_keeps(large, filters):
    index = Index.open(large)
    assert searched_by_tantivy(index)
    for match in MATCHES:
        ours = {i for i, _ in index.search_keyword(match, 1000, *filters)}
        assert ours == {i for i, _ in fts5(index, match, 1000, *filters)}, (match, filters)
        assert index.search_keyword(match, 20, *filters) == fts5(index, match, 20, *filters), (match, filters)


def test_adds_and_removes_reach_the_keyword_directory_in_the_same_write(large, tmp_path, seed_corpus):
    index = Index.open(large)
    new = write_articles(tmp_path / "more", seed_corpus, 1, seed=11, prefix="extra")[0]
    new.write_text(new.read_text() + "\nThe zanzibarian delegation arrived on Tuesday.\n")
    index.add_paths([new])
    assert searched_by_tantivy(index)
    found = index.search_keyword('"zanzibarian"', 10)
    assert found and found == fts5(index, '"zanzibarian"', 10)
    index.remove([new.stem])
    assert searched_by_tantivy(index) and index.search_keyword('"zanzibarian"', 10) == []


def test_a_write_killed_before_the_keyword_commit_leaves_fts5_answering_until_the_next_write(large, tmp_path,
                                                                                          seed_corpus):
    new = write_articles(tmp_path / "more", seed_corpus, 2, seed=11, prefix="extra")
    new[0].write_text(new[0].read_text() + "\nThe zanzibarian delegation arrived on Tuesday.\n")
    killed = byline("index", "add", str(new[0]), "--index", str(large), fault="keywords_before_commit")
    assert killed.returncode == -9, killed.stderr
    index = Index.open(large)
    assert not searched_by_tantivy(index)  # the directory is behind the database
    assert index.search_keyword('"zanzibarian"', 10) == fts5(index, '"zanzibarian"', 10) != []
    done = byline_here("index", "add", str(new[1]), "--index", str(large), "--json")  # only the kill needs a process
    assert done.returncode == 0, done.stderr
    index = Index.open(large)
    assert searched_by_tantivy(index)  # rebuilt from SQLite by the next write
    assert [i for i, _ in index.search_keyword('"zanzibarian"', 10)] == [i for i, _ in fts5(index, '"zanzibarian"', 10)]
    assert index.verification().leftovers == []


def test_a_lost_or_garbled_keyword_directory_is_never_trusted(large):
    (large / tantivy_keywords.DIR_NAME / "generation").write_text("garbage")
    index = Index.open(large)
    assert not searched_by_tantivy(index) and index.stats().keyword_index == "fts5"
    assert index.search_keyword(MATCHES[0], 60) == fts5(index, MATCHES[0])
    shutil.rmtree(large / tantivy_keywords.DIR_NAME)
    index = Index.open(large)
    assert not searched_by_tantivy(index) and index.search_keyword(MATCHES[1], 60) == fts5(index, MATCHES[1])
    optimized = byline("index", "optimize", "--index", str(large), "--json")
    assert optimized.returncode == 0, optimized.stderr
    assert searched_by_tantivy(Index.open(large))


def test_answers_read_the_same_with_tantivy_as_with_fts5(large, tmp_path):
    question = "How many soldiers had Russia gathered near the Ukrainian border?"
    with_tantivy = Assistant.open(large, build_default=False).ask(question)
    shutil.rmtree(large / tantivy_keywords.DIR_NAME)
    with_fts5 = Assistant.open(large, build_default=False).ask(question)
    assert "100,000" in with_tantivy.text
    assert with_tantivy.text == with_fts5.text


def test_a_write_clears_segment_files_an_earlier_writer_left_unfinished(large, tmp_path, seed_corpus):
    keywords = large / tantivy_keywords.DIR_NAME
    left = keywords / ("0123456789abcdef" * 2 + ".idx")  # a merge cut short: no segment in meta.json names it
    left.write_bytes(b"\0" * 4096)
    live = sorted(f.name for f in keywords.iterdir() if f.name != left.name)
    Index.open(large).add_paths(write_articles(tmp_path / "more", seed_corpus, 1, seed=11, prefix="extra"))
    assert not left.exists()
    assert set(live) - {f.name for f in keywords.iterdir()} <= {"generation.tmp"}  # the live segments stay
    index = Index.open(large)
    assert searched_by_tantivy(index) and index.search_keyword(MATCHES[0], 5)


def test_verify_looks_at_the_tantivy_directory_in_use(large):
    index = Index.open(large)
    version, windows = index.reader.version(), index.stats().chunks
    assert searched_by_tantivy(index) and index.verify(full=True) == []
    assert index.reader._keywords.problem(version, windows) is None
    assert index.reader._keywords.problem(version, windows + 1) == (
        f"the tantivy keyword index holds {windows} windows for {windows + 1}; the next write rebuilds it")
