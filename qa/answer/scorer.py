"""The fitted answer scorer: a logistic regression over the features of `qa.answer.candidates`, shipped
as coefficients in `answer_scorer.json` (trained by `bench/train_answer_scorer.py`, whose
docstring holds its cross-validated figures) and applied with numpy, so asking imports no
machine-learning library.

The file holds the feature names it was fitted on (checked against `qa.answer.candidates.FEATURES`:
a stale model is refused with one clear line, not applied to the wrong columns), their means
and scales, the coefficients, whether it leads only questions of many clauses
(`qa.answer.candidates.many_clauses`: cross-validated, the rules' own pick is right more often in those of
one or two), and the two operating points chosen on the tuning half: below
`short_below` the lead gives no short answer (its sentence still leads), below `abstain_below`
no candidate is good enough and the answer abstains.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from qa.answer.candidates import FEATURES, Option, matrix

MODEL_FILE = Path(__file__).with_name("answer_scorer.json")
FORMAT = "byline-answer-scorer/1"


@dataclass(frozen=True)
class Scorer:
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    short_below: float
    abstain_below: float
    many_clauses_only: bool = False  # it picks no better than the rules in questions of few clauses: they lead those

    def score(self, options: list[Option]) -> None:
        """Set each option's probability of being the answer."""
        if not options:
            return
        z = ((matrix(options) - self.mean) / self.scale) @ self.coef + self.intercept
        for o, p in zip(options, 1.0 / (1.0 + np.exp(-z))):
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
    return Scorer(np.array(data["mean"]), np.array(data["scale"]), np.array(data["coef"]),
                  float(data["intercept"]), float(data["short_below"]), float(data["abstain_below"]),
                  bool(data.get("many_clauses_only", False)))
