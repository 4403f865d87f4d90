"""The fitted sentence ranker: which sentence of the retrieved windows leads an answer to a question that
asks for no kind of thing ("What did Putin propose for the embassies?", "How did the Kremlin describe the
talks?"). A logistic regression over numbers that describe how a sentence meets the question, never its
words, shipped as `sentence_ranker.json` and fitted by `eval/train_ranker.py` on the tuning halves of the
seed-style question sets (a sentence is a positive when it holds one of the question's evidence quotes).

It replaces the hand-set sum `dense + 0.3 * lexical + 0.05 * prior` and the speaker, act and fragment
multipliers as the order of such sentences; `Candidate.relevance` (what abstention reads) stays that sum.
Questions that ask for a person, a place, a date or a figure keep the rules' order and the answer scorer
(`qa.answer.scorer`), whose trees were fitted on that order's scores.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_FILE = Path(__file__).with_name("sentence_ranker.json")
FORMAT = "byline-sentence-ranker/1"
# window similarity, share of the question's weighed words, retrieval rank prior; each one's gap to the best
# sentence of the same question; the rules' signals: reports the asked speaker's words, the asked actor does
# the asked act (+1) or undergoes it (-1), a headline or a piece of a sentence
FEATURES = ("dense", "lexical", "prior", "gap_dense", "gap_lexical", "gap_prior", "speaker", "act", "fragment")


def matrix(cands: list) -> np.ndarray:
    """One row of `FEATURES` per candidate (`qa.answer.compose.Candidate`)."""
    if not cands:
        return np.zeros((0, len(FEATURES)))
    base = np.array([[c.dense, c.lexical, c.prior] for c in cands], dtype=np.float64)
    signals = np.array([[float(c.speaks), float(c.acts), float(c.fragment)] for c in cands], dtype=np.float64)
    return np.hstack([base, base - base.max(axis=0), signals])


@dataclass(frozen=True)
class Ranker:
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def probabilities(self, cands: list) -> np.ndarray:
        """Each candidate's probability of holding the evidence the question asks for."""
        x = (matrix(cands) - self.mean) / self.scale
        return 1.0 / (1.0 + np.exp(-np.clip(x @ self.coef + self.intercept, -30.0, 30.0)))

    def rank(self, cands: list) -> None:
        """Score (`Candidate.score`) and sort the candidates by the model, best first."""
        for c, p in zip(cands, self.probabilities(cands)):
            c.score = float(p)
        cands.sort(key=lambda c: c.score, reverse=True)


@lru_cache(maxsize=4)
def load(path: str | None = None) -> Ranker | None:
    """The shipped ranker, or the one at `path` (None when no model file is there: the hand-set order)."""
    file = Path(path) if path else MODEL_FILE
    if not file.exists():
        return None
    data = json.loads(file.read_text(encoding="utf-8"))
    if data.get("format") != FORMAT or tuple(data["features"]) != FEATURES:
        raise ValueError(f"{file} was fitted on other features; refit it with: python -m eval.train_ranker")
    return Ranker(np.asarray(data["mean"], dtype=np.float64), np.asarray(data["scale"], dtype=np.float64),
                  np.asarray(data["coef"], dtype=np.float64), float(data["intercept"]))
