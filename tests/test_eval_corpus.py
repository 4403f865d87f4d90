"""`byline eval --corpus`: index the given articles into the cache, then reuse that index."""

import json

from typer.testing import CliRunner

from cli.eval_cmd import app
from eval.session import corpus_index_dir

ARTICLE = ("Harbour council approves new ferry line\n\n"
           "The harbour council of Lindqvist voted on Monday to open a ferry line to the island of Oskar. "
           "The line will carry 120,000 passengers a year, the council said. "
           "Boats will leave every forty minutes from the old fish market.\n")


def test_corpus_is_indexed_once_and_reused(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ferry.txt").write_text(ARTICLE, encoding="utf-8")
    questions = tmp_path / "q.jsonl"
    questions.write_text(json.dumps({
        "id": "f1", "question": "How many passengers will the ferry line carry each year?",
        "answer": "120 000 passengers", "type": "factual",
        "evidence": [{"article_id": "ferry", "quote": "The line will carry 120,000 passengers a year"}]}) + "\n")
    cache = tmp_path / "cache"
    args = ["--questions", str(questions), "--corpus", str(corpus), "--cache-dir", str(cache), "--json"]

    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.output
    index_dir = corpus_index_dir(corpus, cache)
    assert index_dir.is_dir()
    data = json.loads(first.stdout)
    assert data["config"]["index_dir"] == str(index_dir)
    assert data["config"]["missing_articles"] == []
    assert data["metrics"]["hit@1"] == 1.0 and data["metrics"]["evidence_recall@10"] == 1.0

    def vectors():
        return {p.name: p.stat().st_mtime_ns for p in index_dir.glob("*.faiss")}

    before = vectors()
    second = CliRunner().invoke(app, args)
    assert second.exit_code == 0, second.output
    assert json.loads(second.stdout)["metrics"]["hit@1"] == 1.0
    assert before and vectors() == before  # same vector files, untouched: nothing re-embedded


def test_each_copy_of_the_bundled_articles_has_its_own_seed_index(tmp_path):
    """The index keys articles by path: one shared seed index, given the same five articles from a second
    copy of Byline, stored them again under other ids and cited every seed sentence twice."""
    from eval.session import seeds_index_dir
    from qa.archive.admin import bundled_folder

    bundled = bundled_folder()
    assert seeds_index_dir(tmp_path) == seeds_index_dir(tmp_path, bundled)
    assert seeds_index_dir(tmp_path, tmp_path / "another-clone" / "index" / "corpus") != seeds_index_dir(tmp_path)
