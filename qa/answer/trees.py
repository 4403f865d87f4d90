"""Gradient-boosted trees as flat node tables, walked with numpy: how a fitted model of `qa.answer` (the
answer `scorer`) is applied without a machine-learning library. `bench/trees.py` exports them from
LightGBM and checks that they give its own probabilities.

Each model reads every row's features twice: as they are, and less the best value among the rows of the
same question (`with_gaps`). The rows of a question compete: a support of 0.4 means little alone and
much beside the others'.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def with_gaps(x: np.ndarray) -> np.ndarray:
    """The rows of one question: their features, then each less the best value among them."""
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

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.raw(x)))

    @classmethod
    def from_json(cls, data: dict) -> Trees:
        return cls(np.array(data["feature"], dtype=np.int64), np.array(data["threshold"], dtype=np.float64),
                   np.array(data["left"], dtype=np.int64), np.array(data["right"], dtype=np.int64),
                   np.array(data["value"], dtype=np.float64), int(data["depth"]))
