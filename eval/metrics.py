"""Pure metric functions for one question (and abstention over many). No I/O, no `qa` types.

Every definition here is written out in one line in eval/METRICS.md (from eval/definitions.py).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from eval.normalize import content_tokens, normalize, squash, strip_citations, tokens

MIN_SHARE = 0.5  # two spans match when they overlap by at least half of the shorter one


@dataclass(frozen=True)
class Span:
    """A piece of an article: a gold quote, a retrieved chunk or a cited sentence.

    `start`/`end` index the article text the assistant serves; None when unknown (a gold quote
    that could not be located), and then matching falls back to normalised text."""

    article_id: str
    text: str
    start: int | None = None
    end: int | None = None

    @property
    def positioned(self) -> bool:
        return self.start is not None and self.end is not None and self.end > self.start


# ---- retrieval, article level ------------------------------------------------------------

def distinct(article_ids: Sequence[str]) -> list[str]:
    """Article ids in order of first appearance (the article ranking of a chunk ranking)."""
    return list(dict.fromkeys(article_ids))


def hit_at(ranked: Sequence[str], gold: Sequence[str], k: int) -> bool:
    """Some gold article is among the first k ranked articles."""
    golds = set(gold)
    return any(a in golds for a in ranked[:k])


def reciprocal_rank(ranked: Sequence[str], gold: Sequence[str], k: int = 10) -> float:
    """1/rank of the first gold article within the first k, else 0."""
    golds = set(gold)
    for rank, a in enumerate(ranked[:k], 1):
        if a in golds:
            return 1.0 / rank
    return 0.0


def recall_at(ranked: Sequence[str], gold: Sequence[str], k: int) -> float:
    """Share of the distinct gold articles among the first k ranked articles."""
    golds = set(gold)
    if not golds:
        return 0.0
    return len(golds & set(ranked[:k])) / len(golds)


def ndcg_at(ranked: Sequence[str], gold: Sequence[str], k: int = 10) -> float:
    """nDCG@k with binary relevance (gold article = 1): DCG / ideal DCG, log2(rank + 1) discount."""
    golds = set(gold)
    if not golds:
        return 0.0
    dcg = sum(1.0 / math.log2(rank + 1) for rank, a in enumerate(ranked[:k], 1) if a in golds)
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(len(golds), k) + 1))
    return dcg / ideal


# ---- spans: evidence recall and citations ---------------------------------------------------

def overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """Characters shared by two half-open spans."""
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def spans_match(a: Span, b: Span, min_share: float = MIN_SHARE) -> bool:
    """Same article, and either (both positioned) the spans share at least `min_share` of the
    shorter span's characters, or (otherwise) one normalised text contains the other."""
    if a.article_id != b.article_id:
        return False
    if a.positioned and b.positioned:
        shared = overlap(a.start, a.end, b.start, b.end)
        shorter = min(a.end - a.start, b.end - b.start)
        return shared > 0 and shared >= min_share * shorter
    na, nb = normalize(a.text), normalize(b.text)
    return bool(na and nb) and (na in nb or nb in na)


def evidence_recall(gold: Sequence[Span], retrieved: Sequence[Span], k: int) -> float:
    """Share of gold quotes matched (`spans_match`) by some chunk among the first k retrieved."""
    if not gold:
        return 0.0
    top = retrieved[:k]
    return sum(any(spans_match(g, r) for r in top) for g in gold) / len(gold)


def citation_precision(cited: Sequence[Span], gold: Sequence[Span]) -> float | None:
    """Share of cited quotes that match some gold quote; None when nothing is cited."""
    if not cited:
        return None
    return sum(any(spans_match(c, g) for g in gold) for c in cited) / len(cited)


def citation_article_precision(cited: Sequence[Span], gold_articles: Sequence[str]) -> float | None:
    """Share of cited quotes taken from a gold article; None when nothing is cited."""
    if not cited:
        return None
    golds = set(gold_articles)
    return sum(c.article_id in golds for c in cited) / len(cited)


def citation_recall(cited: Sequence[Span], gold: Sequence[Span]) -> float:
    """Share of gold quotes matched by some cited quote (0 when nothing is cited)."""
    if not gold:
        return 0.0
    return sum(any(spans_match(g, c) for c in cited) for g in gold) / len(gold)


# ---- the MultiHop-RAG paper's retrieval metrics (retrieval_evaluate.py) -------------------

def multihop_scores(passages: Sequence[str], quotes: Sequence[str]) -> dict[str, float]:
    """Hits@4, Hits@10, reciprocal rank and average precision at 10, exactly as the paper's
    `calculate_metrics`: a passage is a hit when some squashed gold quote is a substring of the
    squashed passage; AP counts each gold quote once, divided by min(#quotes, 10)."""
    gold = [squash(q) for q in quotes]
    found: list[str] = []
    first: int | None = None
    ap_sum = 0.0
    for rank, passage in enumerate(passages[:10], 1):
        p = squash(passage)
        if any(g in p for g in gold):
            if first is None:
                first = rank
            new = 0
            for g in gold:
                if g in p and g not in found:
                    new += 1
                    found.append(g)
            ap_sum += new / rank
    return {
        "hits@4": float(first is not None and first <= 4),
        "hits@10": float(first is not None),
        "rr@10": 1.0 / first if first else 0.0,
        "ap@10": ap_sum / min(len(gold), 10) if gold else 0.0,
    }


# ---- answers -----------------------------------------------------------------------------

def answer_contains(answer: str, gold: str) -> bool:
    """The normalised gold answer occurs in the normalised answer as whole words."""
    ng = normalize(gold)
    na = normalize(strip_citations(answer))
    return bool(ng) and f" {ng} " in f" {na} "


def answer_covers_content(answer: str, gold: str) -> bool:
    """Every content token of the gold answer appears among the answer's tokens."""
    need = set(content_tokens(gold))
    return bool(need) and need <= set(tokens(strip_citations(answer)))


def answer_correct(answer: str, gold: str) -> bool:
    return answer_contains(answer, gold) or answer_covers_content(answer, gold)


LEAD_RECALL = 0.6  # share of the gold answer's content stems a paraphrasing lead must hold
STEM_CHARS = 5  # content words compared by their first letters: "defuses" = "defuse", "escalates" = "escalate"
_MONTH_ABBR = {m[:3]: m for m in ("january", "february", "march", "april", "may", "june", "july", "august",
                                  "september", "october", "november", "december")} | {"sept": "september"}
_FIGURE = re.compile(r"\d[\d,.]*")


def _lead_stems(text: str) -> set[str]:
    words = (t[:-1] if len(t) > 3 and t.endswith("s") and not t.endswith("ss") else t
             for t in content_tokens(strip_citations(text)))
    return {_MONTH_ABBR.get(w, w)[:STEM_CHARS] for w in words}


def gold_forms(gold: str) -> list[str]:
    """The gold answer as written, without its asides in parentheses ("Britain (Johnson)" is
    answered by "Britain"), and each of its alternatives split at " / "."""
    bare = re.sub(r"\s*\([^)]*\)", "", gold).strip()
    forms = [gold, bare, *(part.strip() for part in bare.split(" / ") if " / " in bare)]
    return [f for f in dict.fromkeys(forms) if f]


def lead_holds(text: str | None, gold: str) -> bool:
    """`text` gives the gold answer in one of its forms (`gold_forms`): answer_correct holds, or it
    holds at least LEAD_RECALL of the form's content words (compared by their first STEM_CHARS
    letters after a plural "s", month abbreviations spelt out)."""
    if not text:
        return False
    for form in gold_forms(gold):
        if answer_correct(text, form):
            return True
        need = _lead_stems(form)
        if need and len(need & _lead_stems(text)) / len(need) >= LEAD_RECALL:
            return True
    return False


YES_GOLD = {"yes", "true", "consistent", "agree", "agrees", "similar", "same"}  # gold answers that say yes
NO_GOLD = {"no", "false"}


def gold_polarity(gold: str | None) -> str | None:
    """"yes" or "no" for a gold answer that opens with one ("No; the talks were exploratory",
    "Consistent"), else None."""
    words = tokens(gold or "")
    if not words:
        return None
    return "yes" if words[0] in YES_GOLD else "no" if words[0] in NO_GOLD else None


def verdict_of(text: str | None) -> str | None:
    """"yes" or "no" when the lead is a bare verdict ("Yes.", "No."), else None."""
    words = tokens(strip_citations(text or ""))
    return words[0] if words in (["yes"], ["no"]) else None


def lead_correct(short: str | None, first: str | None, gold: str) -> bool:
    """The gold answer is in the short answer, or, when there is none, in the first sentence: a bold
    short answer that names someone else is wrong even when its sentence names the right one. A bare
    "Yes." or "No." lead is right when it says what a yes/no gold answer opens with (`gold_polarity`)."""
    said, polarity = verdict_of(short) or verdict_of(first), gold_polarity(gold)
    if said and polarity:
        return said == polarity
    return lead_holds(short, gold) if short else lead_holds(first, gold)


def wrong_lead(short: str | None, first: str | None, gold: str) -> bool:
    """The lead states a wrong fact first: a short answer that is not the gold one, or (no short
    answer) a first sentence whose figures are all other than the gold answer's figures."""
    if lead_correct(short, first, gold):
        return False
    if short or (gold_polarity(gold) and (verdict_of(first))):
        return True
    gold_figures = {re.sub(r"\D", "", f) for f in _FIGURE.findall(normalize(gold))} - {""}
    first_figures = {re.sub(r"\D", "", f) for f in _FIGURE.findall(normalize(first or ""))} - {""}
    return bool(gold_figures and first_figures) and gold_figures.isdisjoint(first_figures)


def token_f1(answer: str, gold: str) -> float:
    """SQuAD-style F1 over normalised tokens (bag of words)."""
    a, g = tokens(strip_citations(answer)), tokens(gold)
    if not a or not g:
        return float(a == g)
    common = sum((Counter(a) & Counter(g)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(a), common / len(g)
    return 2 * precision * recall / (precision + recall)


# ---- abstention, over a set of questions ---------------------------------------------------

def abstention_scores(should_abstain: Sequence[bool], abstained: Sequence[bool]) -> dict[str, float | None]:
    """Precision, recall and F1 of abstaining, positive class = gold answer is null; and the
    rate of abstaining on answerable questions. None where a denominator is zero."""
    pairs = list(zip(should_abstain, abstained, strict=True))
    tp = sum(s and a for s, a in pairs)
    fp = sum((not s) and a for s, a in pairs)
    fn = sum(s and (not a) for s, a in pairs)
    answerable = sum(not s for s, _ in pairs)
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    if recall is None:
        f1 = None  # nothing here should have been abstained on
    elif tp == 0:
        f1 = 0.0
    else:
        f1 = 2 * precision * recall / (precision + recall)
    return {
        "abstain_precision": precision,
        "abstain_recall": recall,
        "abstain_f1": f1,
        "wrong_abstain_rate": fp / answerable if answerable else None,
    }


# ---- latency -----------------------------------------------------------------------------

def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100), linear interpolation between closest ranks (numpy's default)."""
    xs = sorted(values)
    if not xs:
        return None
    pos = (len(xs) - 1) * q / 100.0
    lo = math.floor(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)
