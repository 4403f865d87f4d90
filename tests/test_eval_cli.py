"""`byline eval` input errors, caught before any model is loaded."""

import json

from typer.testing import CliRunner

from cli.eval_cmd import app

GOOD = {"id": "q1", "question": "Who?", "answer": "Poland", "type": "factual",
        "evidence": [{"article_id": "a1", "quote": "Poland"}]}


def test_bad_question_file_names_the_line(tmp_path):
    path = tmp_path / "questions.jsonl"
    path.write_text(json.dumps(GOOD) + "\n" + json.dumps({**GOOD, "id": "q2", "evidence": "none"}) + "\n"
                    + "{oops\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["--questions", str(path), "--index", str(tmp_path / "no-index")])
    assert res.exit_code == 2
    assert "2 bad lines" in res.output
    assert "line 2: 'evidence' must be a list" in res.output
    assert "line 3: not valid JSON" in res.output


def test_missing_question_file_and_bad_options(tmp_path):
    runner = CliRunner()
    res = runner.invoke(app, ["--questions", str(tmp_path / "nope.jsonl")])
    assert res.exit_code == 2 and "no such question file" in res.output
    res = runner.invoke(app, ["--min", "hit@5"])
    assert res.exit_code == 2 and "METRIC=VALUE" in res.output
    res = runner.invoke(app, ["--min", "recall=0.5"])
    assert res.exit_code == 2 and "unknown metric 'recall'" in res.output
    res = runner.invoke(app, ["--types", "nope"])
    assert res.exit_code == 2 and "unknown question type nope" in res.output


def test_missing_index_and_corpus_are_one_line_errors(tmp_path):
    runner = CliRunner()
    res = runner.invoke(app, ["--index", str(tmp_path / "nowhere"), "--limit", "1"])
    assert res.exit_code == 2 and "no such directory" in res.output
    res = runner.invoke(app, ["--corpus", str(tmp_path / "nothing.jsonl"), "--cache-dir", str(tmp_path)])
    assert res.exit_code == 2 and "no such file or directory" in res.output
