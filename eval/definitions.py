"""The metric catalogue: each metric's name, group, direction and one-line definition.

The report, `compare`, `--min` floors and eval/METRICS.md all read this table, so a metric is
defined once. `python -m eval.definitions > eval/METRICS.md` regenerates the document.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    name: str
    group: str
    definition: str
    higher_is_better: bool = True


_R = "over answerable questions; the article ranking is the distinct articles of the fused chunk ranking, in order"
_M = "over answerable questions, as the paper's retrieval_evaluate.py; passages = the first 10 distinct passages (`assistant.passage(hit, 256)`, overlapping passages of one article kept once)"

DROP_REASONS = (  # qa.answer.generate.verify's reasons for removing a generated sentence
    ("uncited", "no [n] marker"), ("unknown_citation", "a marker no passage has"),
    ("name", "a name not in the cited passage"), ("figure", "a figure not in it"), ("date", "a date not in it"),
    ("quote", "quoted words not in it"), ("negation", "a negation its evidence does not share"),
    ("instruction", "its evidence is an instruction, not a report"), ("unsupported", "support score under the threshold"))

CATALOGUE: tuple[Metric, ...] = (
    Metric("hit@1", "retrieval", f"Share of questions with a gold article ranked 1st ({_R})."),
    Metric("hit@3", "retrieval", "Share of answerable questions with a gold article in the top 3 articles."),
    Metric("hit@5", "retrieval", "Share of answerable questions with a gold article in the top 5 articles."),
    Metric("hit@10", "retrieval", "Share of answerable questions with a gold article in the top 10 articles."),
    Metric("mrr@10", "retrieval", "Mean of 1/rank of the first gold article within the top 10 articles (0 if none)."),
    Metric("ndcg@10", "retrieval", "Mean nDCG@10 of the article ranking, relevance 1 for a gold article, discount log2(rank+1), ideal = all gold articles first."),
    Metric("article_recall@10", "retrieval", "Mean share of a question's gold articles found in the top 10 articles."),
    Metric("evidence_recall@5", "retrieval", "Mean share of a question's gold quotes matched by one of the top 5 chunks; a chunk matches a quote when both are in the same article and their character spans share at least half of the shorter span (so a quote inside a chunk, or a chunk inside a long quote, counts); a quote that cannot be located in the article text falls back to normalised-text containment either way."),
    Metric("evidence_recall@10", "retrieval", "As evidence_recall@5, over the top 10 chunks."),
    Metric("mh_hits@4", "multihop", f"Share of questions where one of the first 4 passages is a hit: some gold quote with spaces and newlines removed is a substring of the passage with spaces and newlines removed ({_M})."),
    Metric("mh_hits@10", "multihop", "As mh_hits@4, within the first 10 passages."),
    Metric("mh_mrr@10", "multihop", "Mean 1/rank of the first hit passage within the first 10 (0 if none), as the paper's MRR@10."),
    Metric("mh_map@10", "multihop", "The paper's MAP@10: at each hit passage add (new gold quotes found there)/rank; divide by min(#quotes, 10); mean over questions."),
    Metric("answer_contains", "answer", "Share of answerable questions whose answer contains the gold answer as whole words after normalisation (NFKC, lower case, plain quotes, digit groups joined: 100,000 = 100 000 = 100000, British -ise spelt -ize, punctuation and a/an/the dropped); an abstention scores 0."),
    Metric("answer_correct", "answer", "Share of answerable questions where answer_contains holds or every content token of the gold answer (its normalised tokens minus English stop words) appears in the answer."),
    Metric("lead_correct", "answer", "Share of answerable questions whose lead gives the gold answer: the short answer (a wrong one is wrong, whatever its sentence says), or the first sentence when there is none, satisfies answer_correct or holds at least 60% of the gold answer's content words (compared by their first 5 letters after dropping a plural s, month abbreviations spelt out), for the gold as written, without its asides in parentheses, or any one of its alternatives split at ' / '; a bare 'Yes.' or 'No.' lead (a verdict) is right when the gold answer opens with the same (yes, true, consistent, agree, similar, same / no, false); an abstention scores 0."),
    Metric("wrong_lead", "answer", "Share of answerable questions whose lead states a wrong fact first: the lead is not correct and a short answer was given, or the first sentence holds figures and none of them is a figure of the gold answer (lower is better).", False),
    Metric("answer_f1", "answer", "Mean SQuAD-style token F1 between the normalised answer (citation markers removed) and the gold answer; an abstention scores 0."),
    Metric("citation_precision", "citations", "Over answered questions with citations: mean share of cited quotes (Sources) that match a gold quote (same article, character spans sharing at least half of the shorter one, or normalised-text containment when a span is unknown)."),
    Metric("citation_article_precision", "citations", "Over answered questions with citations: mean share of cited quotes taken from a gold article (looser than citation_precision)."),
    Metric("citation_recall", "citations", "Over answerable questions: mean share of gold quotes matched by some cited quote (an abstention scores 0)."),
    Metric("sentence_cited_rate", "citations", "Over answered questions: mean share of answer sentences that carry at least one citation."),
    Metric("judge_support", "citations", "Over answered questions, when a Judge is given: mean share of answer sentences the judge finds supported by their cited quotes (skipped without a judge)."),
    Metric("abstain_precision", "abstention", "Of the questions the assistant abstained on, the share whose gold answer is null."),
    Metric("abstain_recall", "abstention", "Of the questions whose gold answer is null, the share the assistant abstained on."),
    Metric("abstain_f1", "abstention", "Harmonic mean of abstain_precision and abstain_recall (0 when it never abstains correctly)."),
    Metric("wrong_abstain_rate", "abstention", "Of the answerable questions, the share the assistant abstained on (lower is better).", False),
    Metric("verified_rate", "llm", "With --llm, over questions the model answered: mean share of the model's sentences that verification kept (kept / generated)."),
    *(Metric(f"dropped_{reason}", "llm", f"With --llm: mean share of the model's sentences dropped as {reason} ({why}).", False)
      for reason, why in DROP_REASONS),
    Metric("qps", "latency", "Questions answered per second: questions / total seconds spent inside ask() (one model and index loaded once)."),
    Metric("errors", "run", "Questions where ask() or retrieve() raised an error (lower is better).", False),
)

LATENCY_DEFINITION = ("latency_<stage>_p50_ms / _p95_ms: the 50th / 95th percentile over questions of the "
                      "milliseconds ask() reports for that stage in Answer.timings (stage 'wall' is the "
                      "clock time around the ask() call; 'embed' + 'dense' run on a second thread beside 'keyword', so the "
                      "stages add up to more than 'total'), linear interpolation; lower is better.")

# The figures the README argues from: first in the console table, report.md and the plots.
LEAD_METRICS = ("lead_correct", "wrong_lead")


def lead_first(names) -> list[str]:
    """Metric names with lead_correct and wrong_lead first (those present), the rest in their order."""
    names = list(names)
    return [n for n in LEAD_METRICS if n in names] + [n for n in names if n not in LEAD_METRICS]


PASS_CHECKS = {
    "lead": "answerable only: lead_correct holds (the short answer, or the first sentence when there is none, gives the gold answer).",
    "retrieval": "answerable only: a gold article is in the top 5 articles (hit@5).",
    "answer": "answerable only: answer_correct holds.",
    "citations": "answerable and answered only: at least half the cited quotes match gold quotes, and at least one does.",
    "abstention": "every question: it abstained exactly when the gold answer is null.",
}

_BY_NAME = {m.name: m for m in CATALOGUE}


def lookup(name: str) -> Metric | None:
    """The catalogue entry, including the generated latency_<stage>_p50_ms/_p95_ms names."""
    if name in _BY_NAME:
        return _BY_NAME[name]
    if name.startswith("latency_") and (name.endswith("_p50_ms") or name.endswith("_p95_ms")):
        stage, pct = name[len("latency_"):-len("_p50_ms")], name[-6:-3]
        return Metric(name, "latency", f"The {pct} of the '{stage}' stage time per question, ms.", False)
    return None


def higher_is_better(name: str) -> bool:
    m = lookup(name)
    return True if m is None else m.higher_is_better


def order_key(name: str) -> tuple[int, str]:
    """Catalogue order first, then latency names, then anything else alphabetically."""
    names = [m.name for m in CATALOGUE]
    if name in names:
        return names.index(name), ""
    return len(names) + (0 if name.startswith("latency_") else 1), name


def markdown() -> str:
    """eval/METRICS.md: every metric in one line, grouped."""
    lines = ["# Byline eval metrics", "",
             "Generated by `python -m eval.definitions`; every number in `report.json` is one of these.",
             "Retrieval, answer and citation metrics are over answerable questions (gold answer not null)",
             "unless stated; every metric is also given per question type.", ""]
    group = None
    for m in CATALOGUE:
        if m.group != group:
            group = m.group
            lines += ["", f"## {group}", ""]
        lines.append(f"- **{m.name}**: {m.definition}")
    lines += ["", "## per-question checks (report.json `passed`, the flips `compare` lists)", ""]
    lines += [f"- **{k}**: {v}" for k, v in PASS_CHECKS.items()]
    lines += ["", "## latency (per stage)", "", f"- **{LATENCY_DEFINITION.split(':')[0]}**:{LATENCY_DEFINITION.split(':', 1)[1]}", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown(), end="")
