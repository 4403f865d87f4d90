"""The fitted sentence ranker that orders the sentences of a question asking for no kind of thing, on the
real seed index, and its training script."""

from __future__ import annotations

import json

import pytest

from qa.answer import ranker

GUARANTEES_Q = "What kind of guarantees did Putin demand for Russia during the video call?"
NETWORK_Q = "Ukraine's defence minister gave his warning about an invasion to which American TV network?"


def test_the_shipped_ranker_matches_the_features_it_reads():
    data = json.loads(ranker.MODEL_FILE.read_text(encoding="utf-8"))
    assert tuple(data["features"]) == ranker.FEATURES
    model = ranker.load()
    assert model.coef.shape == model.mean.shape == model.scale.shape == (len(ranker.FEATURES),)
    # fitted on the tuning halves: its first sentence holds evidence at least as often as the hand order's
    cv = data["cv"]
    assert cv["cv_top1"] >= cv["hand_top1"] and cv["questions"] >= 100


def test_a_ranker_fitted_on_other_features_is_refused_with_a_clear_line(tmp_path):
    data = json.loads(ranker.MODEL_FILE.read_text(encoding="utf-8"))
    data["features"] = data["features"][:-1]
    stale = tmp_path / "sentence_ranker.json"
    stale.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="refit it with: python -m eval.train_ranker"):
        ranker.load(str(stale))


@pytest.mark.parametrize("question, fact", [
    (GUARANTEES_Q, "binding legal guarantees"),  # the hand order led with Russia's criticism of NATO
    (NETWORK_Q, "CNN"),  # …and with a Ukrainian statement that names no network
])
def test_the_fitted_order_leads_with_the_sentence_that_answers(assistant, question, fact):
    answer = assistant.ask(question)
    assert not answer.abstained
    assert fact in answer.sentences[0].text


def test_the_hand_order_stays_one_setting_away(seed_index_dir):
    from qa import Assistant
    from qa.settings import QASettings

    a = Assistant.open(seed_index_dir, build_default=False, settings=QASettings(sentence_ranker=""))
    try:
        assert a.composer.ranker is None
        answer = a.ask(NETWORK_Q)
        assert "CNN" not in answer.sentences[0].text
    finally:
        a.close()


def test_training_labels_the_evidence_and_fits_a_model_the_app_loads(seed_index_dir, tmp_path):
    from eval.train_ranker import ROOT, collect, fit

    records = collect(ROOT / "seed_questions.jsonl", seed_index_dir)
    assert len(records) == 16  # the seeds' tuning half: its answerable questions that ask for no kind of thing
    assert all(len(r["x"]) == len(r["y"]) and len(r["x"][0]) == len(ranker.FEATURES) for r in records)
    assert sum(any(r["y"]) for r in records) >= 15  # the evidence is among the sentences of all but one
    model = fit(records)
    path = tmp_path / "ranker.json"
    path.write_text(json.dumps(model), encoding="utf-8")
    fitted = ranker.load(str(path))
    assert fitted.coef[ranker.FEATURES.index("lexical")] > 0  # more of the question's words: more likely evidence
