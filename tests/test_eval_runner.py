"""The runner's bookkeeping on a two-article stand-in for the assistant (the real one is driven
end to end in test_eval_seed.py): quote location, passage dedupe, scores, pass flags, errors."""

from qa import Answer, Article, Hit, IndexInfo, Sentence, Source
from qa.errors import IndexMissingError

from eval.questions import parse_lines
from eval.runner import Runner

TEXT_A = "Alpha one. The talks ended without a deal. Alpha three. " * 3
TEXT_B = "Beta says Poland was the host. Beta two."


class StandIn:
    def __init__(self):
        self.asked = []

    def article(self, article_id):
        texts = {"A": TEXT_A, "B": TEXT_B}
        if article_id not in texts:
            raise IndexMissingError(article_id)
        return Article(article_id, None, None, None, None, None, texts[article_id])

    def ask(self, question, conversation=None, filters=None, k=None):
        self.asked.append((question, [t.question for t in conversation.turns] if conversation else []))
        if "boom" in question:
            raise RuntimeError("boom")
        if "unknown" in question:
            return Answer(question, "The articles don't say.", [], [], abstained=True, reason="no support",
                          timings={"total": 3.0})
        src = Source(1, "B", None, None, None, None, "Beta says Poland was the host.", 0, 30)
        return Answer(question, "Poland was the host [1].", [Sentence("Poland was the host.", (1,))], [src],
                      timings={"embed": 1.0, "total": 2.0})

    def retrieve(self, question, *, filters=None, k=10, conversation=None):
        a1 = TEXT_A.index("The talks")
        return [
            Hit(1, "A", a1, a1 + 10, TEXT_A[a1:a1 + 10], 0.9),
            Hit(2, "A", a1 + 5, a1 + 15, TEXT_A[a1 + 5:a1 + 15], 0.8),  # overlaps hit 1: dropped as a passage
            Hit(3, "B", 0, 30, TEXT_B[:30], 0.7),
        ][:k]

    def passage(self, hit, max_tokens=256):
        text = self.article(hit.article_id).text
        return text[max(0, hit.start - 11): hit.end + 20]

    def info(self):
        return IndexInfo("/idx", 2, 3, "model", "flat", 4, "flat", 0, 4, {})


QUESTIONS = parse_lines([
    '{"id": "q1", "question": "Who hosted?", "answer": "Poland", "type": "factual", '
    '"evidence": [{"article_id": "B", "quote": "Beta says Poland was the host."}]}',
    '{"id": "q2", "question": "And then?", "answer": "no deal", "type": "followup", '
    '"evidence": [{"article_id": "A", "quote": "the talks ended  without a deal"}], '
    '"context": [{"question": "Who hosted?", "answer": "Poland"}]}',
    '{"id": "q3", "question": "unknown thing?", "answer": null, "type": "unanswerable", "evidence": []}',
    '{"id": "q4", "question": "boom?", "answer": "x", "type": "factual", '
    '"evidence": [{"article_id": "Z", "quote": "gone"}]}',
])


def test_runner_scores_each_question():
    stand_in = StandIn()
    runner = Runner(stand_in)
    seen = []
    outs = runner.run(QUESTIONS, on_result=lambda i, n, o: seen.append((i, n, o.id)))
    assert seen == [(1, 4, "q1"), (2, 4, "q2"), (3, 4, "q3"), (4, 4, "q4")]
    q1, q2, q3, q4 = outs

    assert q1.retrieved_articles == ["A", "B"]
    assert q1.scores["hit@1"] == 0.0 and q1.scores["hit@3"] == 1.0 and q1.scores["mrr@10"] == 0.5
    assert q1.scores["mh_hits@4"] == 1.0 and q1.scores["mh_mrr@10"] == 0.5  # 2nd distinct passage
    assert q1.scores["answer_correct"] == 1.0 and q1.scores["citation_precision"] == 1.0
    assert q1.scores["citation_recall"] == 1.0 and q1.scores["sentence_cited_rate"] == 1.0
    assert q1.scores["judge_support"] is None  # no judge given
    assert q1.citations[0]["matches_gold"] is True
    assert q1.passed == {"lead": True, "retrieval": True, "answer": True, "citations": True, "abstention": True}
    assert q1.timings["wall"] >= 0 and q1.timings["embed"] == 1.0

    # the follow-up went in with its earlier turn; its quote is found despite case and spacing
    assert stand_in.asked[1] == ("And then?", ["Who hosted?"])
    assert q2.unlocated_quotes == [] and q2.scores["evidence_recall@5"] == 1.0
    assert q2.scores["answer_correct"] == 0.0 and q2.passed["answer"] is False

    assert q3.abstained and q3.passed == {"lead": None, "retrieval": None, "answer": None, "citations": None,
                                          "abstention": True}
    assert "hit@5" not in q3.scores

    assert q4.error == "RuntimeError: boom" and q4.passed["abstention"] is False
    assert runner.missing_articles(QUESTIONS) == ["Z"]


def test_passages_are_deduped_by_span():
    runner = Runner(StandIn())
    hits = StandIn().retrieve("x")
    passages = runner.passages(hits)
    assert len(passages) == 2 and passages[1].startswith("Beta says")
