"""Judging claims and combining them into a verdict, with the two logistic models of `model.json`.

The claim judge scores one candidate sentence of a claim's articles: the probability that it is the
passage the claim rests on, from its window similarity to the question, the share of the claim's
words it holds, its retrieval rank and whether one of the two is negated and the other not. It was
fitted on MultiHop-RAG dev's tuning half (evidence quotes against the other retrieved sentences of
the same articles); its features are numbers, never article words. The verdict model reads the
claims' best scores, the order of their dates against the order the question asks, and the question's
form cues (`form.CUES`), and gives the probability of "Yes"; each form (polar, comparison,
temporal) has its own. A question of order alone is answered by its claims' dates (`by_dates`).
Both are fitted, with their cross-validated figures, by `eval/train_verdict.py`.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources

from qa.answer.verdict.form import CUES, Form
from qa.lexicon.words import NEGATION

JUDGE_FEATURES = ("dense", "lexical", "prior", "negation_differs")
VERDICT_FEATURES = (*(f"cue_{c}" for c in CUES), "temporal", "comparison", "order_kept", "order_broken",
                    "weakest", "mean_support", "contradicted", "claims", "least_covered", "mean_covered",
                    "day_missing", "days_reversed")


@lru_cache(maxsize=1)
def model() -> dict:
    """The fitted coefficients (package data, read once)."""
    return json.loads(resources.files("qa.answer.verdict").joinpath("model.json").read_text(encoding="utf-8"))


def negated(text: str) -> bool:
    return bool(NEGATION.search(text))


def judge_features(candidate, claim_negated: bool) -> list[float]:
    return [candidate.dense, candidate.lexical, candidate.prior, float(negated(candidate.text) != claim_negated)]


def _logistic(part: dict, x: list[float]) -> float:
    z = part["intercept"] + sum(w * (v - m) / s for w, v, m, s in zip(part["coef"], x, part["mean"], part["scale"]))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def support(candidate, claim_negated: bool, fitted: dict | None = None) -> float:
    """The probability that `candidate` is the passage the claim rests on."""
    return _logistic((fitted or model())["judge"], judge_features(candidate, claim_negated))


def verdict_features(form: Form, scores: list[float], contradicted: list[bool], order: int,
                     coverage: list[float], day_missing: list[bool]) -> list[float]:
    """`order`: +1 the claims' dates run as the question says, -1 the other way, 0 not asked or not known;
    `coverage`: each claim's share of words its article uses; `day_missing`: its named date has no article."""
    cues = [float(form.cues.get(c, False)) for c in CUES]
    return [*cues, float(form.kind == "temporal"), float(form.kind == "comparison"), float(order > 0),
            float(order < 0), min(scores) if scores else 0.0, sum(scores) / len(scores) if scores else 0.0,
            float(any(contradicted)), float(len(scores)), min(coverage) if coverage else 0.0,
            sum(coverage) / len(coverage) if coverage else 0.0, float(any(day_missing)),
            float(days_reversed(form))]


def days_reversed(form: Form) -> bool:
    """A claim called later ("the subsequent report … on September 30") names a day before an earlier claim's."""
    for before, after in zip(form.claims, form.claims[1:]):
        if after.later and before.day and after.day and before.day[0] and after.day[1] and after.day[1] < before.day[0]:
            return True
    return False


ORDER_ASIDES = ("negated", "inconsistent", "consistent", "change", "no_change")


def by_dates(form: Form) -> bool:
    """A question of order alone ("Did TechCrunch report X before The Verge covered Y?") is answered by its
    claims' dates, not by a model: before/after is what the dates say. One that also asks about consistency
    or change, or is negated ("fail to report … before"), is read by the verdict model like the others."""
    return bool(form.order) and not any(form.cues.get(c) for c in ORDER_ASIDES)


def yes_probability(features: list[float], kind: str, fitted: dict | None = None) -> float:
    """The probability of "Yes" from the verdict model of the question's form."""
    return _logistic((fitted or model())["verdict"][kind], features)
