"""The `byline` command as a user types it: readable answers, JSON for scripts, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from cli.main import app

runner = CliRunner()


def test_help_is_instant_and_lists_the_commands():
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "cli.main", "--help"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    for command in ("ask", "chat", "index", "eval"):
        assert command in done.stdout
    assert "torch" not in done.stderr and "faiss" not in done.stderr  # heavy imports wait until needed


def test_ask_prints_a_cited_answer_and_its_sources(seed_index_dir):
    result = runner.invoke(app, ["ask", "Which Canadian minister did Blinken brief on the Biden-Putin call?",
                                 "--index", str(seed_index_dir)])
    assert result.exit_code == 0, result.output
    shown = " ".join(result.output.split())
    assert "Mélanie Joly" in shown and "[1]" in shown and "Sources" in shown


def test_ask_json_is_machine_readable(seed_index_dir):
    result = runner.invoke(app, ["ask", "What did Sullivan say about Nord Stream 2?", "--index",
                                 str(seed_index_dir), "--json", "--outlet", "ARD"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["sources"] and all(s["outlet"] == "ARD" for s in data["sources"])
    # ARD's words of Sullivan on the pipeline lead: "… could also exert pressure on Russia. That is a leverage
    # of the West, “said Sullivan.”" (the topic in the sentence before the attribution)
    assert data["sources"][0]["quote"].startswith("That is a leverage of the West")


def test_an_empty_question_is_one_line_and_a_failure(seed_index_dir):
    result = runner.invoke(app, ["ask", "   ", "--index", str(seed_index_dir)])
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0 and "question is empty" in result.output


def test_a_bad_date_flag_is_explained(seed_index_dir):
    result = runner.invoke(app, ["ask", "sanctions", "--since", "last tuesday", "--index", str(seed_index_dir)])
    assert result.exit_code == 1 and "YYYY-MM-DD" in result.output


def test_index_stats_list_and_verify(seed_index_dir):
    stats = runner.invoke(app, ["index", "stats", "--index", str(seed_index_dir), "--json"])
    assert stats.exit_code == 0 and json.loads(stats.stdout)["articles"] == 5
    listing = runner.invoke(app, ["index", "list", "--index", str(seed_index_dir), "--json"])
    titles = [row["title"] for row in json.loads(listing.stdout)]
    assert "Putin-Biden: how to avoid war in Ukraine" in titles
    verify = runner.invoke(app, ["index", "verify", "--index", str(seed_index_dir)])
    assert verify.exit_code == 0 and "index OK" in verify.output


def test_building_from_a_missing_path_fails_with_one_line(tmp_path):
    result = runner.invoke(app, ["index", "build", str(tmp_path / "nope"), "--index", str(tmp_path / "idx")])
    assert result.exit_code == 1 and "No such file or folder" in result.output


def test_asking_an_index_built_with_another_model_says_how_to_fix_it(tmp_path, seed_index_dir):
    result = runner.invoke(app, ["index", "build", "--index", str(seed_index_dir), "--model", "other/model"])
    assert result.exit_code == 1 and "--rebuild" in result.output


def test_add_reports_bad_files_and_keeps_the_good_ones(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("A headline about the summit\n\nThe two leaders met for two hours "
                                     "on Tuesday and agreed to keep talking about [bold red]Ukraine[/].\n",
                                     encoding="utf-8")
    (folder / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    (folder / "broken.jsonl").write_text('{"id": "a1", "text": "Ukraine talks continue in Geneva this week."}\n'
                                         "{not json\n", encoding="utf-8")
    result = runner.invoke(app, ["index", "add", str(folder), "--index", str(tmp_path / "idx"), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert sorted(report["added"]) == ["a1", "good"]
    messages = " ".join(i["message"] + f" line {i['line']}" for i in report["issues"])
    assert "not a text file" in messages and "line 2" in messages
    answer = runner.invoke(app, ["ask", "How long did the leaders meet?", "--index", str(tmp_path / "idx")])
    assert "[bold red]Ukraine[/]" in " ".join(answer.output.split())  # shown literally, never as markup


def test_ask_prints_read_as_then_the_short_answer_then_the_sentence(seed_index_dir):
    result = runner.invoke(app, ["ask", "How many soliders had Russia gathered near the Ukrainian border?",
                                 "--index", str(seed_index_dir)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert lines[0] == "(read as: How many soldiers had Russia gathered near the Ukrainian border?)"
    assert lines[1] == "some 100,000 [1]"
    assert "100,000 troops" in " ".join(result.output.split())


def test_a_source_with_no_outlet_says_so_instead_of_guessing(seed_index_dir):
    result = runner.invoke(app, ["ask", "How many soldiers had Russia gathered near the Ukrainian border?",
                                 "--index", str(seed_index_dir)])
    assert result.exit_code == 0, result.output
    assert "[1] outlet not stated · US, Russia face deep differences" in " ".join(result.output.split())
    assert "unknown outlet" not in result.output
