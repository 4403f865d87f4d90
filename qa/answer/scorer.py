"""The fitted answer scorer: gradient-boosted trees over the features of `qa.answer.candidates`, shipped
as flat node tables in `answer_scorer.json` (trained with LightGBM by `bench/train_answer_scorer.py`,
whose docstring holds its cross-validated figures) and walked with numpy (`qa.answer.trees`), so asking
imports no machine-learning library.

The trees (`qa.answer.trees`) read each candidate's features and their gaps to the best candidate of the
same question. On the test half of MultiHop-RAG's local look-ups of many clauses (207, never
in the training pool) the most probable candidate is right for 0.836 with the logistic regression this
replaced, and for 0.870 with these trees (`python -m bench.train_answer_scorer evaluate`).

The file holds the feature names it was fitted on (checked against `qa.answer.candidates.FEATURES`:
a stale model is refused with one clear line, not applied to the wrong columns), the trees, whether it
leads only questions of many clauses (`qa.answer.candidates.many_clauses`: cross-validated, the rules'
own pick is right as often in those of one or two), and the two operating points chosen on the
tuning half: below `short_below` the lead gives no short answer (its sentence still leads), below
`abstain_below` no candidate is good enough and the answer abstains. Where the rules lead, a
logistic regression over the same features (`Trust`) says how far to trust their pick: a name it
trusts too little is not shown in bold, and one it trusts least is not given at all (the answer abstains,
its passage first among the closest).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from qa.answer.candidates import FEATURES, Option, matrix
from qa.answer.trees import Trees, with_gaps

MODEL_FILE = Path(__file__).with_name("answer_scorer.json")
FORMAT = "byline-answer-scorer/2"


@dataclass(frozen=True)
class Trust:
    """Where the rules lead (a question of one or two clauses), the probability that their pick is the
    answer: a logistic regression over the same features and gaps as the trees, fitted on the rules'
    picks alone (`python -m bench.train_answer_scorer trust`). Under `short_below` the pick is not shown
    in bold (its sentence still leads); under `abstain_below` (`python -m bench.train_answer_scorer abstain`)
    the answer abstains."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    short_below: float
    abstain_below: float

    @classmethod
    def from_json(cls, data: dict) -> Trust:
        return cls(np.asarray(data["mean"]), np.asarray(data["scale"]), np.asarray(data["coef"]),
                   float(data["intercept"]), float(data["short_below"]), float(data["abstain_below"]))

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """Rows of features with their gaps (`qa.answer.trees.with_gaps`)."""
        return 1.0 / (1.0 + np.exp(-(((x - self.mean) / self.scale) @ self.coef + self.intercept)))


@dataclass(frozen=True)
class Scorer:
    trees: Trees
    short_below: float
    abstain_below: float
    many_clauses_only: bool = False  # it picks no better than the rules in questions of few clauses: they lead those
    trust: Trust | None = None  # where the rules lead, how far to trust their pick (None: always)

    def probabilities(self, options: list[Option]) -> np.ndarray:
        return self.trees.probabilities(with_gaps(matrix(options)))

    def trusted(self, options: list[Option]) -> np.ndarray:
        """Where the rules lead, each option's probability of being the answer by the trust model."""
        return self.trust.probabilities(with_gaps(matrix(options)))

    def score(self, options: list[Option]) -> None:
        """Set each option's probability of being the answer."""
        if not options:
            return
        for o, p in zip(options, self.probabilities(options)):
            o.probability = float(p)


@lru_cache(maxsize=4)
def load(path: str | None = None) -> Scorer | None:
    """The shipped scorer (None when no model file is there: the hand rules choose alone)."""
    file = Path(path) if path else MODEL_FILE
    if not file.exists():
        return None
    data = json.loads(file.read_text(encoding="utf-8"))
    if data.get("format") != FORMAT or tuple(data["features"]) != FEATURES:
        raise ValueError(f"{file} was fitted on other features; refit it with: python -m bench.train_answer_scorer")
    return Scorer(Trees.from_json(data["trees"]), float(data["short_below"]), float(data["abstain_below"]),
                  bool(data.get("many_clauses_only", False)),
                  Trust.from_json(data["trust"]) if data.get("trust") else None)
