"""`byline eval` as a new user runs it: the MultiHop-RAG suite bundled with the package (no other files
needed), and progress that shows up in a log or a pipe."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from cli.eval_cmd import app
from eval.questions import load_questions
from eval.suites import suite_files

runner = CliRunner()


def test_the_multihop_suite_ships_its_569_dev_questions_and_609_articles(tmp_path):
    questions, articles = suite_files("multihop", tmp_path)
    assert questions.parent == articles.parent == tmp_path / "suites" / "multihop"
    loaded = load_questions(questions)
    assert len(loaded) == 569
    ids = {json.loads(line)["id"] for line in articles.read_text(encoding="utf-8").splitlines()}
    assert len(ids) == 609
    assert {e.article_id for q in loaded for e in q.evidence} <= ids
    assert suite_files("multihop", tmp_path) == (questions, articles)  # unpacked once, found again


def test_a_suite_brings_its_own_files_and_an_unknown_one_is_named(tmp_path):
    res = runner.invoke(app, ["--suite", "multihop", "--questions", str(tmp_path / "q.jsonl")])
    assert res.exit_code == 2 and "--suite brings its own questions and articles" in res.output
    res = runner.invoke(app, ["--suite", "nope", "--cache-dir", str(tmp_path)])
    assert res.exit_code == 2 and "--suite nope: no such suite; choose one of multihop" in res.output


def test_eval_prints_plain_progress_lines_when_piped_and_leads_with_the_lead_metrics():
    res = runner.invoke(app, ["--limit", "3"])
    assert res.exit_code == 0, res.output
    log = res.stderr.splitlines()
    assert "asking 3 questions…" in log
    assert any(re.fullmatch(r"asking 3 questions: done, 3/3 in \d+\.\d s", line) for line in log)
    rows = [line.split("│")[1].strip() for line in res.stdout.splitlines() if line.count("│") > 2]
    assert rows[:2] == ["lead_correct", "wrong_lead"]
