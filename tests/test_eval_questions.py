"""Question files: the bundled set loads; bad lines are reported by number in one error."""

import json

import pytest

from eval.questions import QuestionFileError, default_path, load_questions, parse_lines, select

GOOD = {"id": "q1", "question": "Who?", "answer": "Poland", "type": "factual",
        "evidence": [{"article_id": "a1", "quote": "Poland"}]}


def test_bundled_seed_set_loads():
    qs = load_questions()
    assert default_path().name == "seed_questions.jsonl"
    assert len(qs) == 89
    assert {q.type for q in qs} == {"factual", "multi", "unanswerable", "followup", "polar", "comparison", "temporal"}
    assert sum(q.type in ("polar", "comparison", "temporal") for q in qs) == 19
    assert sum(not q.answerable for q in qs) == 12
    follow = [q for q in qs if q.type == "followup"]
    assert follow and all(q.context for q in follow)


@pytest.mark.parametrize("name, near_misses", [("new_user_questions.jsonl", 8), ("new_user_questions_2.jsonl", 8),
                                               ("new_user_questions_3.jsonl", 18), ("new_user_questions_4.jsonl", 18),
                                               ("new_user_questions_5.jsonl", 16), ("new_user_questions_6.jsonl", 15),
                                               ("new_user_questions_7.jsonl", 15), ("new_user_questions_8.jsonl", 15),
                                               ("new_user_questions_9.jsonl", 15), ("new_user_questions_10.jsonl", 15),
                                               ("new_user_questions_11.jsonl", 15), ("new_user_questions_12.jsonl", 15),
                                               ("new_user_questions_13.jsonl", 15),
                                               ("new_user_questions_14.jsonl", 15),
                                               ("new_user_questions_15.jsonl", 15),
                                               ("new_user_questions_16.jsonl", 15),
                                               ("new_user_questions_17.jsonl", 15),
                                               ("new_user_questions_18.jsonl", 15)])
def test_new_users_question_sets_load(name, near_misses):
    """The new users' questions load as `byline eval --questions` reads them: every answerable one
    with its evidence, the follow-ups with the turns they follow."""
    qs = load_questions(default_path().with_name(name))
    assert len(qs) == 60 and len({q.id for q in qs}) == 60
    assert sum(not q.answerable for q in qs) == near_misses
    assert all(q.evidence for q in qs if q.answerable)
    assert all(q.context for q in qs if q.type == "followup")


def test_multihop_set_is_valid_if_present():
    from pathlib import Path
    path = Path(__file__).resolve().parents[1].parent / "shared/eval/multihop_rag/questions.jsonl"
    if not path.exists():
        pytest.skip("MultiHop-RAG not in ../shared")
    qs = load_questions(path)
    assert len(qs) == 1705 and all(q.evidence for q in qs if q.answerable)


def _lines(*objs):
    return [o if isinstance(o, str) else json.dumps(o) for o in objs]


def test_bad_lines_are_named_by_number():
    lines = _lines(
        GOOD,
        "",  # blank lines are fine
        "{not json",
        {**GOOD, "id": "q2", "answer": 3},
        {**GOOD, "id": "q3", "evidence": []},  # answerable without evidence
        {**GOOD, "id": "q1"},  # duplicate id
        {**GOOD, "id": "q5", "evidence": [{"article_id": "a1"}]},
        {**GOOD, "id": "q6", "context": [{"answer": "x"}]},
        {k: v for k, v in GOOD.items() if k != "answer"} | {"id": "q7"},
    )
    with pytest.raises(QuestionFileError) as e:
        parse_lines(lines, name="set.jsonl")
    msg = str(e.value)
    assert msg.startswith("set.jsonl: 7 bad lines")
    for n, words in [(3, "not valid JSON"), (4, "'answer'"), (5, "evidence"), (6, "duplicate id 'q1'"),
                     (7, "evidence item 1"), (8, "context turn 1"), (9, "missing 'answer'")]:
        assert f"line {n}: " in msg and words in msg.split(f"line {n}: ")[1].split("\n")[0]
    assert "line 1:" not in msg


def test_unanswerable_may_have_no_evidence_and_followups_keep_context():
    qs = parse_lines(_lines(
        {"id": "u", "question": "Why?", "answer": None, "type": "unanswerable", "evidence": []},
        {**GOOD, "id": "f", "type": "followup", "context": [{"question": "Who?", "answer": None}]},
    ))
    assert not qs[0].answerable and qs[0].gold_articles == []
    assert qs[1].context == ({"question": "Who?", "answer": None},)


def test_missing_and_empty_files(tmp_path):
    with pytest.raises(QuestionFileError, match="no such question file"):
        load_questions(tmp_path / "nope.jsonl")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n")
    with pytest.raises(QuestionFileError, match="no questions"):
        load_questions(empty)


def test_select_types_then_limit():
    qs = load_questions()
    picked = select(qs, ["unanswerable", "followup"], 5)
    assert len(picked) == 5 and {q.type for q in picked} <= {"unanswerable", "followup"}
    assert [q.id for q in picked] == [q.id for q in qs if q.type in ("unanswerable", "followup")][:5]
    with pytest.raises(QuestionFileError, match="unknown question type nope"):
        select(qs, ["nope"])
    with pytest.raises(QuestionFileError):
        select(qs, None, 0)
