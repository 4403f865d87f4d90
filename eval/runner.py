"""Run a question set through the assistant, exactly as the app calls it, and score each question.

Per question: `ask()` (timed; the answer, citations, abstention and stage timings), then
`retrieve()` of the same question and conversation for the ranking the metrics read, and
`passage(hit, 256)` for the MultiHop-RAG passage metrics. One assistant (one loaded model and
index) serves the whole run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field

from qa import Conversation
from qa.errors import BylineError

from eval import metrics as m
from eval.definitions import DROP_REASONS
from eval.judge import Judge, support_rate
from eval.normalize import locate
from eval.questions import Question

RETRIEVE_DEPTH = 30  # chunks fetched for the metrics: enough for 10 distinct articles/passages most times
TOP = 10  # articles, chunks and passages scored
PASSAGE_TOKENS = 256  # as the MultiHop-RAG paper's chunks


@dataclass
class Outcome:
    """What happened to one question, and its per-question scores (None = not applicable)."""

    id: str
    type: str
    question: str
    gold_answer: str | None
    answerable: bool
    answer: str = ""
    abstained: bool = False
    reason: str | None = None
    error: str | None = None
    resolved_question: str | None = None
    short_answer: str | None = None
    retrieved_articles: list[str] = field(default_factory=list)  # distinct, best first, top 10
    gold_articles: list[str] = field(default_factory=list)
    citations: list[dict] = field(default_factory=list)
    scores: dict[str, float | None] = field(default_factory=dict)
    passed: dict[str, bool | None] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)  # ms by stage, plus "wall"
    unlocated_quotes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


OnResult = Callable[[int, int, Outcome], None]


def _llm_scores(answer) -> dict[str, float]:
    """verified_rate and dropped_<reason> when a language model wrote sentences (`byline eval --llm`)."""
    dropped = getattr(answer, "dropped", None) or []
    kept = getattr(answer, "generated_sentences", 0)
    if not kept + len(dropped):
        return {}
    scores = {"verified_rate": kept / (kept + len(dropped))}
    for reason, _ in DROP_REASONS:
        scores[f"dropped_{reason}"] = sum(d.reason == reason for d in dropped) / (kept + len(dropped))
    return scores


class Runner:
    def __init__(self, assistant, *, judge: Judge | None = None, depth: int = RETRIEVE_DEPTH,
                 passage_tokens: int = PASSAGE_TOKENS):
        self.assistant = assistant
        self.judge = judge
        self.depth = depth
        self.passage_tokens = passage_tokens
        self._texts: dict[str, str | None] = {}

    # -- article text, for locating quotes and passages --------------------------------------
    def article_text(self, article_id: str) -> str | None:
        if article_id not in self._texts:
            try:
                self._texts[article_id] = self.assistant.article(article_id).text
            except BylineError:  # not in the index
                self._texts[article_id] = None
        return self._texts[article_id]

    def missing_articles(self, questions: Sequence[Question]) -> list[str]:
        """Gold article ids the index does not hold (a wrong --corpus shows up here)."""
        ids = dict.fromkeys(e.article_id for q in questions for e in q.evidence)
        return [a for a in ids if self.article_text(a) is None]

    def gold_spans(self, q: Question) -> tuple[list[m.Span], list[str]]:
        spans, unlocated = [], []
        for ev in q.evidence:
            text = self.article_text(ev.article_id)
            where = locate(ev.quote, text) if text is not None else None
            if where is None:
                spans.append(m.Span(ev.article_id, ev.quote))
                unlocated.append(f"{ev.article_id}: {ev.quote[:80]}")
            else:
                spans.append(m.Span(ev.article_id, ev.quote, where[0], where[1]))
        return spans, unlocated

    def passages(self, hits) -> list[str]:
        """The first TOP distinct passages: a passage overlapping an earlier one of the same
        article (by its span in the article text, else the hit's span) is dropped."""
        kept: list[str] = []
        spans: list[tuple[str, int, int]] = []
        for hit in hits:
            text = self.assistant.passage(hit, self.passage_tokens)
            body = self.article_text(hit.article_id) or ""
            at = body.find(text, max(0, hit.start - len(text))) if text else -1
            if at < 0 and text:
                at = body.find(text)
            start, end = (at, at + len(text)) if at >= 0 else (hit.start, hit.end)
            if any(a == hit.article_id and m.overlap(s, e, start, end) > 0 for a, s, e in spans):
                continue
            spans.append((hit.article_id, start, end))
            kept.append(text)
            if len(kept) == TOP:
                break
        return kept

    # -- one question ---------------------------------------------------------------------------
    def evaluate(self, q: Question) -> Outcome:
        out = Outcome(id=q.id, type=q.type, question=q.question, gold_answer=q.answer,
                      answerable=q.answerable, gold_articles=q.gold_articles)
        conversation = Conversation.from_pairs(list(q.context)) if q.context else None
        try:
            t0 = time.perf_counter()
            answer = self.assistant.ask(q.question, conversation=conversation)
            wall = (time.perf_counter() - t0) * 1000.0
            hits = self.assistant.retrieve(q.question, k=self.depth, conversation=conversation)
            passages = self.passages(hits) if q.answerable else []
        except Exception as e:  # recorded and counted; one bad question must not end a long run
            out.error = f"{type(e).__name__}: {e}"
            out.passed = {"lead": False if q.answerable else None, "retrieval": False if q.answerable else None,
                          "answer": False if q.answerable else None, "citations": None, "abstention": False}
            return out

        out.answer = answer.text
        out.abstained = bool(answer.abstained)
        out.reason = answer.reason
        out.resolved_question = answer.resolved_question
        out.short_answer = answer.short_answer.text if answer.short_answer else None
        out.timings = {**{k: float(v) for k, v in (answer.timings or {}).items()}, "wall": wall}
        ranked = m.distinct([h.article_id for h in hits])[:TOP]
        out.retrieved_articles = ranked

        gold, out.unlocated_quotes = self.gold_spans(q)
        cited = [m.Span(s.article_id, s.quote, s.start, s.end) for s in answer.sources]
        out.citations = [
            {"number": s.number, "article_id": s.article_id, "quote": s.quote, "start": s.start, "end": s.end,
             "matches_gold": any(m.spans_match(c, g) for g in gold)}
            for s, c in zip(answer.sources, cited)
        ]
        out.scores = self._scores(q, answer, hits, ranked, passages, gold, cited)
        out.passed = self._passed(q, out)
        return out

    def _scores(self, q, answer, hits, ranked, passages, gold, cited) -> dict[str, float | None]:
        s: dict[str, float | None] = {}
        answered = not answer.abstained
        if q.answerable:
            golds = q.gold_articles
            for k in (1, 3, 5, 10):
                s[f"hit@{k}"] = float(m.hit_at(ranked, golds, k))
            s["mrr@10"] = m.reciprocal_rank(ranked, golds, 10)
            s["ndcg@10"] = m.ndcg_at(ranked, golds, 10)
            s["article_recall@10"] = m.recall_at(ranked, golds, 10)
            chunks = [m.Span(h.article_id, h.text, h.start, h.end) for h in hits]
            s["evidence_recall@5"] = m.evidence_recall(gold, chunks, 5)
            s["evidence_recall@10"] = m.evidence_recall(gold, chunks, 10)
            mh = m.multihop_scores(passages, [e.quote for e in q.evidence])
            s["mh_hits@4"], s["mh_hits@10"] = mh["hits@4"], mh["hits@10"]
            s["mh_mrr@10"], s["mh_map@10"] = mh["rr@10"], mh["ap@10"]
            text = answer.text if answered else ""
            s["answer_contains"] = float(m.answer_contains(text, q.answer))
            s["answer_correct"] = float(m.answer_correct(text, q.answer))
            s["answer_f1"] = m.token_f1(text, q.answer)
            short = answer.short_answer.text if answered and answer.short_answer else None
            first = answer.sentences[0].text if answered and answer.sentences else None
            s["lead_correct"] = float(m.lead_correct(short, first, q.answer))
            s["wrong_lead"] = float(answered and m.wrong_lead(short, first, q.answer))
            s["citation_precision"] = m.citation_precision(cited, gold) if answered else None
            s["citation_article_precision"] = m.citation_article_precision(cited, golds) if answered else None
            s["citation_recall"] = m.citation_recall(cited, gold) if answered else 0.0
        if answered and answer.sentences:
            s["sentence_cited_rate"] = sum(bool(x.citations) for x in answer.sentences) / len(answer.sentences)
            quotes = {src.number: src.quote for src in answer.sources}
            pairs = [(x.text, [quotes[n] for n in x.citations if n in quotes]) for x in answer.sentences]
            s["judge_support"] = support_rate(self.judge, pairs)
        s.update(_llm_scores(answer))
        return s

    @staticmethod
    def _passed(q: Question, out: Outcome) -> dict[str, bool | None]:
        s = out.scores
        cited_ok = None
        if q.answerable and not out.abstained:
            p = s.get("citation_precision")
            cited_ok = p is not None and p >= 0.5 and (s.get("citation_recall") or 0) > 0
        return {
            "lead": bool(s["lead_correct"]) if q.answerable else None,
            "retrieval": bool(s["hit@5"]) if q.answerable else None,
            "answer": bool(s["answer_correct"]) if q.answerable else None,
            "citations": cited_ok,
            "abstention": out.abstained == (not q.answerable),
        }

    # -- the whole set ------------------------------------------------------------------------
    def run(self, questions: Sequence[Question], on_result: OnResult | None = None) -> list[Outcome]:
        outcomes = []
        for i, q in enumerate(questions, 1):
            o = self.evaluate(q)
            outcomes.append(o)
            if on_result:
                on_result(i, len(questions), o)
        return outcomes
