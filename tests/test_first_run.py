"""A new user's first hour on the command line: the version, a first run that names its stages in a log,
and a follow-up asked with `byline ask -c`."""

from __future__ import annotations

import re

import pytest

from typer.testing import CliRunner

from cli.main import app

runner = CliRunner()


def test_version_prints_the_installed_version():
    from importlib.metadata import version

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"byline {version('byline')}\n"


@pytest.mark.slow  # exports the model again (the user's first run): about 15 s more
def test_a_first_run_into_a_log_names_each_stage_then_answers(tmp_path, monkeypatch):
    """Nothing exported or indexed yet and stderr a file (`byline ask … 2>log`): plain lines, never bars."""
    monkeypatch.delenv("BYLINE_INDEX")
    monkeypatch.setenv("BYLINE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    result = runner.invoke(app, ["ask", "How many soldiers had Russia gathered near the Ukrainian border?"])
    assert result.exit_code == 0, result.output
    log = result.stderr.splitlines()
    assert log[0] == "preparing the model (once, about 5 s)…"
    assert re.fullmatch(r"preparing the model \(once, about 5 s\): done, 1/1 in \d+\.\d s", log[1])
    assert log[2] == "indexing the 5 bundled articles: reading…"
    assert re.fullmatch(r"indexing the 5 bundled articles: reading: done, 5 in \d+\.\d s", log[3])
    assert any(re.fullmatch(r"indexing the 5 bundled articles: embedding: done, \d+/\d+ in \d+\.\d s", line)
               for line in log)
    assert re.fullmatch(r"indexing the 5 bundled articles: storing: done, 5/5 in \d+\.\d s", log[-1])
    assert not any(ch in result.stderr for ch in "━█\r\x1b")  # no bar, no cursor movement
    assert result.stdout.startswith("some 100,000 [1]\n")


def test_ask_continue_follows_up_the_last_question_and_keeps_the_turn(seed_index_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("BYLINE_HISTORY", str(tmp_path / "history.sqlite"))
    first = runner.invoke(app, ["ask", "Who is Yuri Ushakov?", "--index", str(seed_index_dir)])
    assert first.exit_code == 0, first.output
    follow = runner.invoke(app, ["ask", "-c", "What did he say about the call?", "--index", str(seed_index_dir)])
    assert follow.exit_code == 0, follow.output
    assert follow.stdout.splitlines()[0] == "(read as: What did Yuri Ushakov say about the call?)"
    alone = runner.invoke(app, ["ask", "What did he say about the call?", "--index", str(seed_index_dir)])
    assert "read as" not in alone.stdout  # without -c a question starts a new conversation

    from qa.conversation.history import HistoryStore

    with HistoryStore(tmp_path / "history.sqlite") as store:
        assert [c.turns for c in store.list()] == [1, 2]  # newest first: the lone question, then the pair
        assert [t.question for t in store.load(store.list()[1].id).turns] == [
            "Who is Yuri Ushakov?", "What did he say about the call?"]
