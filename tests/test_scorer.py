"""The question's structure, read from its parse, and the fitted answer scorer that decides which
look-up answers lead with a short answer, on the real seed index."""

from __future__ import annotations

import json

import pytest


@pytest.mark.parametrize("question, slot, predicate, negated", [
    ("Who did the minister meet in Geneva on Tuesday?", "object", "meet", False),
    ("Who criticised the plan on Tuesday?", "subject", "criticise", False),
    ("Who is Germany's finance minister?", "role", None, False),
    ("Which city did the two ministers not tour together?", "subject", "tour", True),
    ("When did the talks begin?", "time", "begin", False),
    ("Where did Biden and Putin meet?", "place", "meet", False),
])
def test_a_question_is_read_into_its_slot_predicate_and_negation(question, slot, predicate, negated):
    from qa.query import lemma
    from qa.question import read

    reading = read(question)
    assert reading.slot == slot
    assert reading.predicate == (lemma(predicate) if predicate else None)
    assert reading.negated is negated


def test_according_to_names_the_outlet_and_leaves_the_rest_of_the_question():
    from qa.question import read

    reading = read("According to TechCrunch, which company was sued by the FTC for antitrust violations?")
    assert reading.according_to == "TechCrunch"
    assert reading.predicate == "sue" and reading.slot == "object"
    assert "ftc" in reading.arguments


def test_the_shipped_scorer_matches_the_features_it_reads():
    from qa.candidates import FEATURES
    from qa.scorer import MODEL_FILE, load

    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert tuple(data["features"]) == FEATURES
    scorer = load()
    assert 0.0 <= scorer.abstain_below <= scorer.short_below < 1.0
    assert len(scorer.coef) == len(FEATURES)


def test_a_scorer_fitted_on_other_features_is_refused_with_a_clear_line(tmp_path):
    from qa.scorer import MODEL_FILE, load

    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    data["features"] = data["features"][:-1]
    stale = tmp_path / "answer_scorer.json"
    stale.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="refit it with: python -m bench.train_answer_scorer"):
        load(str(stale))


@pytest.fixture(scope="module")
def gated(seed_index_dir):
    from qa import Assistant
    from qa.settings import QASettings

    a = Assistant.open(seed_index_dir, build_default=False, settings=QASettings(short_answer_gate=True))
    yield a
    a.close()


def test_a_look_up_shows_its_short_answer_only_when_the_scorer_trusts_it(gated):
    answer = gated.ask("Where did the talks take place?")
    pool = gated.composer.last_pool
    lead = next(o for o in pool if o.features["top_pick"])
    assert lead.phrase.text == "Geneva" and "Geneva" in answer.sentences[0].text
    assert len(pool) >= 2  # other places were candidates too
    assert 0.0 < lead.probability < 1.0
    shown = lead.probability >= gated.composer.scorer.short_below
    assert (answer.short_answer is not None) is shown
    assert answer.short_answer is None or answer.short_answer.text == "Geneva"


def test_by_default_the_rules_short_answer_leads_and_no_pool_is_scored(assistant):
    answer = assistant.ask("Where did the talks take place?")
    assert answer.short_answer.text == "Geneva"
    assert assistant.composer.last_pool == []


def test_a_question_without_a_kind_to_look_up_has_no_candidates(gated):
    gated.ask("Why did Biden and Putin hold a video call?")
    assert gated.composer.last_pool == []
