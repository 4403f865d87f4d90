"""The fitted answer scorer that decides which look-up answers lead with a short answer, on the real
seed index."""

from __future__ import annotations

import json

import pytest


def test_the_shipped_scorer_matches_the_features_it_reads():
    from qa.answer.candidates import FEATURES
    from qa.answer.scorer import MODEL_FILE, load

    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert tuple(data["features"]) == FEATURES
    scorer = load()
    assert 0.0 <= scorer.abstain_below <= scorer.short_below < 1.0
    assert len(scorer.coef) == len(FEATURES)


def test_a_scorer_fitted_on_other_features_is_refused_with_a_clear_line(tmp_path):
    from qa.answer.scorer import MODEL_FILE, load

    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    data["features"] = data["features"][:-1]
    stale = tmp_path / "answer_scorer.json"
    stale.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="refit it with: python -m bench.train_answer_scorer"):
        load(str(stale))


MANY_CLAUSES_Q = ("Who, according to ARD, spoke with Putin for two hours by video, warned of strong economic "
                  "measures, and promised to consult the European allies?")


def test_a_question_of_many_clauses_is_led_by_the_scorer_s_most_probable_candidate(assistant):
    answer = assistant.ask(MANY_CLAUSES_Q)
    pool = assistant.composer.last_pool
    scorer = assistant.composer.scorer
    assert pool and all(o.features["many_clauses"] == 1.0 for o in pool)
    best = max(pool, key=lambda o: o.probability)
    assert 0.0 < best.probability <= 1.0
    assert answer.sentences[0].text.startswith(best.cand.text[:40])
    assert (answer.short_answer is not None) is (best.probability >= scorer.short_below)
    assert "Biden" in answer.short_answer.text  # the one every clause is about, not the adviser quoted beside him


def test_a_question_of_one_clause_keeps_the_rules_lead_and_scores_no_candidate(assistant):
    answer = assistant.ask("Where did the talks take place?")
    assert answer.short_answer.text == "Geneva"
    assert assistant.composer.scorer.many_clauses_only and assistant.composer.last_pool == []


@pytest.mark.parametrize("question, many", [
    (MANY_CLAUSES_Q, True),
    ("On which day did Biden and Putin hold the phone call that Biden described to reporters on Friday?", False),
    ("Which company, covered by Engadget and Polygon, is set to release an updated gaming hardware with over 300 "
     "improvements on November 16, emphasizing a singular performance target for developers?", True),
    ("Who leads the US delegation in Geneva?", False),
])
def test_clauses_are_counted_at_commas_and_relative_words_not_at_names_joined_by_and(question, many):
    from qa.answer.candidates import many_clauses
    from qa.question.query import analyse

    assert many_clauses(question, analyse(question, [], 2000).terms) is many


def test_a_question_without_a_kind_to_look_up_has_no_candidates(assistant):
    assistant.ask("Why did Biden and Putin hold a video call?")
    assert assistant.composer.last_pool == []


def test_a_list_question_is_composed_by_the_rules(assistant):
    answer = assistant.ask("Which European leaders did Biden brief after the summit?")
    assert assistant.composer.last_pool == []
    assert all(country in answer.short_answer.text for country in ("Britain", "Germany", "France", "Italy"))
