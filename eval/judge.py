"""A hook for an entailment judge: does a cited passage support an answer sentence?

No judge ships with Byline (it would need a second model); the runner skips `judge_support`
when none is given. A judge is anything with this one method.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable


@runtime_checkable
class Judge(Protocol):
    def supports(self, statement: str, passages: Sequence[str]) -> bool:
        """True when `passages` (the quotes a sentence cites) entail `statement`."""
        ...


def support_rate(judge: Judge | None, sentences: Sequence[tuple[str, Sequence[str]]]) -> float | None:
    """Share of `(sentence, cited quotes)` pairs the judge accepts; a sentence citing nothing is
    unsupported. None without a judge or without sentences."""
    if judge is None or not sentences:
        return None
    return sum(bool(quotes) and judge.supports(text, quotes) for text, quotes in sentences) / len(sentences)
