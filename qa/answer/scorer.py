"""The fitted answer scorer: gradient-boosted trees over the features of `qa.answer.candidates`, shipped
as flat node tables in `answer_scorer.json` (trained with LightGBM by `bench/train_answer_scorer.py`,
whose docstring holds its cross-validated figures) and walked with numpy, so asking imports no
machine-learning library.

The trees read each candidate's features twice: as they are, and less the best value any candidate of
the same question has (`columns`). A question's candidates compete: a support of 0.4 means little alone
and much beside the others'. On the test half of MultiHop-RAG's local look-ups of many clauses (207, never
in the training pool) the most probable candidate is right for 0.836 with the logistic regression this
replaced, and for 0.863-0.867 with the trees.

The file holds the feature names it was fitted on (checked against `qa.answer.candidates.FEATURES`:
a stale model is refused with one clear line, not applied to the wrong columns), the trees, whether it
leads only questions of many clauses (`qa.answer.candidates.many_clauses`: cross-validated, the rules'
own pick is right as often in those of one or two), and the two operating points chosen on the
tuning half: below `short_below` the lead gives no short answer (its sentence still leads), below
`abstain_below` no candidate is good enough and the answer abstains.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from qa.answer.candidates import FEATURES, Option, matrix

MODEL_FILE = Path(__file__).with_name("answer_scorer.json")
FORMAT = "byline-answer-scorer/2"


def columns(options: list[Option]) -> np.ndarray:
    """The model's input: each option's features, then each less the best value among the options."""
    x = matrix(options)
    return np.hstack([x, x - x.max(axis=0)]) if len(x) else np.hstack([x, x])


@dataclass(frozen=True)
class Trees:
    """Binary trees as tables of T trees by N nodes: a node splits on `feature` (-1 at a leaf) and goes to
    `left` when the value is at most `threshold`, else to `right`; a leaf gives `value`. The raw score is
    the sum of the leaves reached, one per tree (LightGBM's, for features with no missing values)."""

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    depth: int

    def raw(self, x: np.ndarray) -> np.ndarray:
        trees = np.arange(self.feature.shape[0])
        rows = np.arange(len(x))[:, None]
        node = np.zeros((len(x), len(trees)), dtype=np.int64)
        for _ in range(self.depth):
            split = self.feature[trees, node]
            inner = split >= 0
            below = x[rows, np.where(inner, split, 0)] <= self.threshold[trees, node]
            node = np.where(inner, np.where(below, self.left[trees, node], self.right[trees, node]), node)
        return self.value[trees, node].sum(axis=1)

    @classmethod
    def from_json(cls, data: dict) -> Trees:
        return cls(np.array(data["feature"], dtype=np.int64), np.array(data["threshold"], dtype=np.float64),
                   np.array(data["left"], dtype=np.int64), np.array(data["right"], dtype=np.int64),
                   np.array(data["value"], dtype=np.float64), int(data["depth"]))


@dataclass(frozen=True)
class Scorer:
    trees: Trees
    short_below: float
    abstain_below: float
    many_clauses_only: bool = False  # it picks no better than the rules in questions of few clauses: they lead those

    def probabilities(self, options: list[Option]) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.trees.raw(columns(options))))

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
                  bool(data.get("many_clauses_only", False)))
