"""Qdrant from the command line, as a user drives it: build into Qdrant, ask it, evaluate it, migrate
an embedded index into it (answers unchanged), choose it in the config file; and the one-line errors.
Real Qdrant local mode, the real model; needs the cluster extra (CI installs it)."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

pytest.importorskip("qdrant_client")  # only a guard for users without `byline[cluster]`: CI runs these

from cli.main import app  # noqa: E402

pytestmark = pytest.mark.cluster
ARD = "004_2c58ce0929758757"
QUESTION = "What did Biden threaten?"


def byline(*args: str, env: dict | None = None):
    return CliRunner().invoke(app, list(args), env=env)


@pytest.fixture(scope="module")
def migrated(seed_index_dir, tmp_path_factory):
    location = f"qdrant+{tmp_path_factory.mktemp('migrated') / 'q'}"
    result = byline("index", "migrate", "--index", str(seed_index_dir), "--to", location, "--json")
    assert result.exit_code == 0, result.output
    return location, json.loads(result.stdout)


def test_migrate_copies_every_article_and_vector_without_embedding(migrated):
    _, report = migrated
    assert len(report["added"]) == 5
    assert report["chunks_embedded"] == 0 and report["chunks_cached"] > 300


def test_the_migrated_index_answers_the_seed_set_identically(migrated, seed_answers):
    from qa import Assistant

    copy = Assistant.open(migrated[0])
    try:
        questions = list(seed_answers)  # the seed questions, answered once a session by the seed index (conftest.py)
        theirs = [copy.ask(q) for q in questions]
        ours = [seed_answers[q] for q in questions]
        assert [a.text for a in theirs] == [a.text for a in ours]
        assert [[(s.article_id, s.start, s.end) for s in a.sources] for a in theirs] == \
               [[(s.article_id, s.start, s.end) for s in a.sources] for a in ours]
        # the passages behind them: the same articles, the same first one (deeper ranks may swap two
        # windows whose fused scores tie to 0.3%: see test_backends)
        assert [{h.article_id for h in a.hits} for a in theirs] == [{h.article_id for h in a.hits} for a in ours]
        assert [a.hits[:1] and a.hits[0].article_id for a in theirs] == [a.hits[:1] and a.hits[0].article_id for a in ours]
    finally:
        copy.close()


def test_migrating_again_writes_no_duplicates(migrated, seed_index_dir):
    location, first = migrated
    result = byline("index", "migrate", "--index", str(seed_index_dir), "--to", location, "--json")
    assert result.exit_code == 0, result.output
    assert sorted(json.loads(result.stdout)["updated"]) == sorted(first["added"])
    stats = json.loads(byline("index", "stats", "--index", location, "--json").stdout)
    assert (stats["articles"], stats["chunks"]) == (5, first["chunks_cached"])


def test_build_into_qdrant_then_ask_eval_list_and_remove(tmp_path, seed_corpus):
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(seed_corpus / f"{ARD}.txt", folder)
    store = tmp_path / "qdrant"
    built = byline("index", "build", str(folder), "--backend", "qdrant", "--qdrant", str(store), "--json")
    assert built.exit_code == 0, built.output
    assert json.loads(built.stdout)["added"] == [ARD]
    location = f"qdrant+{store}"
    asked = byline("ask", QUESTION, "--index", location, "--json")
    assert asked.exit_code == 0, asked.output
    answer = json.loads(asked.stdout)
    assert "threatened" in answer["text"] and answer["sources"][0]["outlet"] == "ARD"
    scored = byline("eval", "--index", location, "--limit", "3", "--json")
    assert scored.exit_code in (0, 1), scored.output  # 1: gold articles this index lacks, not an error
    assert json.loads(scored.stdout)["config"]["index_dir"] == location
    listed = json.loads(byline("index", "list", "--index", location, "--json").stdout)
    assert [row["id"] for row in listed] == [ARD]
    removed = byline("index", "remove", str(folder / f"{ARD}.txt"), "--index", location, "--json")
    assert json.loads(removed.stdout) == {"removed": [ARD]}
    assert json.loads(byline("index", "stats", "--index", location, "--json").stdout)["chunks"] == 0


def test_the_config_file_names_the_index_and_the_environment_overrides_it(migrated, tmp_path, monkeypatch,
                                                                          seed_index_dir):
    config = tmp_path / "config.toml"
    config.write_text(f'index = "{migrated[0]}"\n', encoding="utf-8")
    monkeypatch.setenv("BYLINE_CONFIG", str(config))
    monkeypatch.delenv("BYLINE_INDEX", raising=False)
    stats = byline("index", "stats", "--json")
    assert json.loads(stats.stdout)["path"] == migrated[0]
    monkeypatch.setenv("BYLINE_INDEX", str(seed_index_dir))
    stats = byline("index", "stats", "--json")
    assert json.loads(stats.stdout)["path"] == str(seed_index_dir)
    assert json.loads(byline("index", "stats", "--index", migrated[0], "--json").stdout)["path"] == migrated[0]


@pytest.mark.parametrize("content, says", [
    ('index = "unclosed\n', "cannot be read"),
    ('idx = "qdrant+/x"\n', "unknown keys idx"),
    ("index = 3\n", "`index` must be"),
])
def test_a_bad_config_file_is_one_line(tmp_path, monkeypatch, content, says):
    config = tmp_path / "config.toml"
    config.write_text(content, encoding="utf-8")
    monkeypatch.setenv("BYLINE_CONFIG", str(config))
    monkeypatch.delenv("BYLINE_INDEX", raising=False)
    result = byline("index", "stats")
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1 and says in result.stderr


@pytest.mark.parametrize("args, says", [
    (["ask", QUESTION, "--index", "qdrant+{tmp}/none"], "No index in Qdrant at"),
    (["ask", QUESTION, "--index", "qdrant+http://127.0.0.1:9"], "Cannot reach the Qdrant index"),
    (["index", "migrate", "--to", "{tmp}/folder", "--index", "{tmp}"], "migrate copies into Qdrant"),
    (["index", "build", "--backend", "qdrant"], "--backend qdrant needs --qdrant"),
    (["index", "repair", "--index", "qdrant+{tmp}/none"], "repair rewrites an embedded index"),
    (["index", "build", "--ray", "local", "--index", "{tmp}/folder"], "--ray writes to Qdrant"),
    (["index", "build", "--ray", "local", "--rebuild", "--index", "qdrant+{tmp}/q"], "--rebuild swaps a folder index"),
    (["index", "build", "--ray", "local", "--workers", "2", "--index", "qdrant+{tmp}/q"], "scale out with --ray"),
    (["index", "build", "--skip-near-duplicates", "--index", "qdrant+{tmp}/q"], "--skip-near-duplicates needs an"),
    (["index", "add", "{tmp}", "--workers", "3", "--index", "qdrant+{tmp}/q"], "--workers 3 prepares articles"),
    (["index", "add", "{tmp}", "--skip-near-duplicates", "--index", "qdrant+{tmp}/q"], "drop it for Qdrant"),
])
def test_bad_qdrant_input_is_one_clear_line(tmp_path, args, says):
    result = byline(*[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert result.exit_code != 0
    assert len(result.stderr.strip().splitlines()) == 1 and says in result.stderr


def test_an_error_after_opening_qdrant_closes_it_and_prints_one_line(migrated):
    """`ask` closes the assistant on every way out: no QdrantClient.__del__ traceback at exit."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    done = subprocess.run([sys.executable, "-m", "cli.main", "ask", QUESTION, "--index", migrated[0],
                           "--source", "No Such Outlet"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and done.stderr.startswith("error: ")


def test_an_unreachable_server_has_its_own_code():
    result = byline("ask", QUESTION, "--index", "qdrant+http://127.0.0.1:9", "--json")
    assert result.exit_code == 1 and json.loads(result.stdout)["code"] == "index_unreachable"
    assert len(result.stderr.strip().splitlines()) == 1


def test_counting_words_in_qdrant_gives_the_counts_held_in_memory(migrated):
    """The server path (`index.qdrant.words.CountedWords`: Qdrant's count per word) against the
    in-memory path the tests use everywhere else: same counts, same keyword ranking."""
    from index.backend import open_index

    held = open_index(migrated[0])
    counted = open_index(migrated[0])
    counted.memory_words_limit = 0
    try:
        query = '"russia"* OR "troop"* OR "100 000" OR "biden"'
        for word in ("russia", "troops", "ukraine", "geneva", "zzz"):
            assert counted.doc_freq(word) == held.doc_freq(word)
        assert counted.doc_freq("russ", True) == held.doc_freq("russ", True) > 0
        assert counted.vocabulary("ukr") == held.vocabulary("ukr") != []
        assert counted.search_keyword(query, 10) == held.search_keyword(query, 10)
    finally:
        held.close()
        counted.close()


def test_the_chat_app_opens_a_qdrant_index_and_answers(migrated, tmp_path):
    """`byline chat --index qdrant+PATH`: the app opens the index in its worker, as for a folder."""
    from tests.test_tui import SIZE, ask, journey, ready, screen_text
    from tui.app import BylineApp

    @journey
    async def story():
        app = BylineApp(index_dir=migrated[0], history=tmp_path / "history.sqlite", export_dir=tmp_path / "exports")
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            answer = await ask(pilot, QUESTION)
            assert not answer.abstained and answer.sources[0].outlet == "ARD"
            assert "[1]" in screen_text(app)

    story()
