"""Report, compare and floors on hand-made outcomes (no model needed)."""

import json

import pytest
from typer.testing import CliRunner

from cli.eval_cmd import app
from eval import aggregate, floors
from eval import report as rep
from eval.compare import compare
from eval.runner import Outcome


def _outcome(qid, qtype, answerable=True, hit5=True, correct=True, abstained=False, wall=10.0, lead=None):
    lead = (correct and not abstained) if lead is None else lead
    scores = {}
    if answerable:
        scores = {"hit@1": float(hit5), "hit@5": float(hit5), "mrr@10": 1.0 if hit5 else 0.0,
                  "answer_correct": float(correct and not abstained), "answer_f1": 0.5,
                  "lead_correct": float(lead), "wrong_lead": float(not lead and not abstained),
                  "citation_precision": None if abstained else 1.0, "citation_recall": 0.0 if abstained else 1.0}
    passed = {"lead": lead if answerable else None, "retrieval": hit5 if answerable else None, "answer": (correct and not abstained) if answerable else None,
              "citations": None, "abstention": abstained == (not answerable)}
    return Outcome(id=qid, type=qtype, question=f"question {qid}?", gold_answer="gold" if answerable else None,
                   answerable=answerable, answer="" if abstained else "an answer [1]", abstained=abstained,
                   retrieved_articles=["a1", "a2"], gold_articles=["a1"] if answerable else [],
                   scores=scores, passed=passed, timings={"embed": 2.0, "total": wall - 1, "wall": wall})


def _report(outcomes):
    return rep.build(outcomes, {"questions_file": "q.jsonl", "questions_sha256": "x", "environment": {},
                                "assistant": {"index": {"path": "/idx", "articles": 5, "chunks": 40}}})


A = [_outcome("q1", "factual"), _outcome("q2", "factual", hit5=False, correct=False),
     _outcome("q3", "unanswerable", answerable=False, abstained=True),
     _outcome("q4", "unanswerable", answerable=False, abstained=False, wall=30.0)]
B = [_outcome("q1", "factual", correct=False), _outcome("q2", "factual", hit5=True, correct=True),
     _outcome("q3", "unanswerable", answerable=False, abstained=False),
     _outcome("q4", "unanswerable", answerable=False, abstained=False, wall=30.0)]


def test_summary_overall_and_by_type():
    r = _report(A)
    mt = r["metrics"]
    assert mt["hit@5"] == 0.5 and mt["answer_correct"] == 0.5
    assert mt["abstain_precision"] == 1.0 and mt["abstain_recall"] == 0.5
    assert mt["abstain_f1"] == pytest.approx(2 / 3)
    assert mt["wrong_abstain_rate"] == 0.0
    assert mt["latency_wall_p50_ms"] == 10.0 and mt["latency_wall_p95_ms"] == pytest.approx(27.0)
    assert mt["qps"] == pytest.approx(4 / 0.06)
    assert r["by_type"]["factual"]["hit@5"] == 0.5
    assert r["by_type"]["unanswerable"]["hit@5"] is None
    assert r["type_counts"] == {"factual": 2, "unanswerable": 2}
    assert r["pass_rates"]["abstention"] == 0.75


def test_write_produces_json_markdown_and_plots(tmp_path):
    paths = rep.write(_report(A), tmp_path / "out")
    data = rep.load(tmp_path / "out")  # the directory works as well as the file
    assert data["questions"][1]["id"] == "q2" and data["questions"][1]["passed"]["retrieval"] is False
    md = paths["md"].read_text()
    assert "# Byline eval report" in md and "| hit@5 | 0.500 |" in md
    assert "![Metrics by question type](metrics_by_type.png)" in md and "![Latency histogram](latency.png)" in md
    assert "| q2 | factual | lead, retrieval, answer |" in md
    for key in ("by_type", "latency"):
        assert paths[key].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_load_rejects_other_files(tmp_path):
    (tmp_path / "x.json").write_text('{"a": 1}')
    with pytest.raises(rep.ReportError, match="not a Byline eval report"):
        rep.load(tmp_path / "x.json")
    with pytest.raises(rep.ReportError, match="no such report"):
        rep.load(tmp_path / "missing.json")


def test_compare_marks_regressions_and_lists_flips():
    res = compare(_report(A), _report(B))
    rows = {r["metric"]: r for r in res["metrics"]}
    assert rows["hit@5"]["status"] == "better" and rows["hit@5"]["delta"] == 0.5
    assert rows["abstain_recall"]["status"] == "REGRESSION"
    assert rows["answer_correct"]["status"] == "same"  # 0.5 -> 0.5
    assert rows["latency_wall_p50_ms"]["status"] == "same"
    regressed = {(f["id"], f["check"]) for f in res["flips"]["regressed"]}
    fixed = {(f["id"], f["check"]) for f in res["flips"]["fixed"]}
    assert regressed == {("q1", "lead"), ("q1", "answer"), ("q3", "abstention")}
    assert fixed == {("q2", "lead"), ("q2", "retrieval"), ("q2", "answer")}
    assert "abstain_recall" in res["regressions"] and res["same_questions"]


def test_floors_parse_and_fail():
    fl = floors.parse_all(["hit@5=0.9", "abstain_f1=0.5"], ["latency_wall_p95_ms=20"])
    failed = floors.failures(_report(A)["metrics"], fl)
    assert failed == ["hit@5 >= 0.9: measured 0.5", "latency_wall_p95_ms <= 20: measured 27"]
    assert floors.failures({"hit@5": None}, [floors.parse("hit@5=0.1")]) == ["hit@5 >= 0.1: not measured in this run"]
    with pytest.raises(floors.FloorError, match="unknown metric 'hit5'"):
        floors.parse("hit5=0.9")
    with pytest.raises(floors.FloorError, match="METRIC=VALUE"):
        floors.parse("hit@5")
    with pytest.raises(floors.FloorError, match="not a number"):
        floors.parse("hit@5=high")


def test_compare_cli(tmp_path):
    rep.write(_report(A), tmp_path / "a")
    rep.write(_report(B), tmp_path / "b")
    runner = CliRunner()
    res = runner.invoke(app, ["compare", str(tmp_path / "a"), str(tmp_path / "b" / "report.json")])
    assert res.exit_code == 0, res.output
    assert "REGRESSION" in res.output and "Was right, now wrong (3)" in res.output
    res = runner.invoke(app, ["compare", str(tmp_path / "a"), str(tmp_path / "b"), "--json"])
    data = json.loads(res.stdout)
    assert data["regressions"] and len(data["flips"]["regressed"]) == 3
    res = runner.invoke(app, ["compare", str(tmp_path / "a"), str(tmp_path / "b"), "--min", "answer_correct=0.9"])
    assert res.exit_code == 1 and "answer_correct >= 0.9: measured 0.5" in res.output
    res = runner.invoke(app, ["compare", str(tmp_path / "a"), str(tmp_path / "b"), "--fail-on-regression"])
    assert res.exit_code == 1 and "abstain_recall" in res.output
    res = runner.invoke(app, ["compare", str(tmp_path / "a"), str(tmp_path / "nope")])
    assert res.exit_code == 2 and "no such report" in res.output


def test_by_type_helper_covers_every_type():
    assert set(aggregate.by_type(A)) == {"factual", "unanswerable"}


def test_the_console_table_report_and_plot_lead_with_lead_correct_and_wrong_lead(tmp_path):
    from rich.console import Console

    from eval import plots, present

    report = _report(A)
    out = Console(record=True, width=200)
    out.print(present.summary_table(report))
    rows = [line.split("│")[1].strip() for line in out.export_text().splitlines() if line.count("│") > 2]
    assert rows[:2] == ["lead_correct", "wrong_lead"]  # per type in the columns beside them
    md = rep.markdown(report, {})
    summary = md.split("## Summary")[1].split("## By question type")[0]
    by_type = md.split("## By question type")[1].split("## Latency")[0]
    for part in (summary, by_type):
        names = [line.split("|")[1].strip() for line in part.splitlines() if line.startswith("| ")][1:]
        assert names[:2] == ["lead_correct", "wrong_lead"]
    assert plots.BY_TYPE_METRICS[:2] == ("lead_correct", "wrong_lead")


def test_failing_questions_go_by_the_lead_and_abstention_mistakes_are_listed_apart():
    outcomes = [_outcome("right-lead", "factual", correct=False, lead=True),  # answer_correct misses, lead right
                _outcome("wrong-lead", "factual", correct=False, lead=False),
                _outcome("gave-up", "factual", abstained=True),
                _outcome("answered-none", "unanswerable", answerable=False, abstained=False)]
    md = rep.markdown(_report(outcomes), {})
    failing = md.split("## Failing questions (1)")[1].split("## Abstention mistakes")[0]
    mistakes = md.split("## Abstention mistakes (2)")[1]
    assert "| wrong-lead |" in failing and "| right-lead |" not in md
    assert "| gave-up |" in mistakes and "| answered-none |" in mistakes and "| gave-up |" not in failing
