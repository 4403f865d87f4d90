"""Settings of retrieval and answer composition; defaults chosen on the seed dev set (README)."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class QASettings:
    k_dense: int = 60  # candidates from each search before fusion
    k_keyword: int = 60
    keyword_terms: int | None = None  # keep only the N rarest terms in the keyword query (None: all; see README)
    rrf_k: int = 20  # reciprocal rank fusion constant
    dense_weight: float = 1.0
    keyword_weight: float = 1.0
    mention_boost: float = 0.3  # soft boost for outlets / dates named in the question
    rerank_depth: int = 30  # fused chunks whose sentences are re-scored
    lexical_weight: float = 0.3  # sentence score = dense + lexical_weight * term coverage + prior_weight * rank
    prior_weight: float = 0.05
    type_penalty: float = 0.85  # a sentence without the kind of answer asked for (number, date...)
    max_sentences: int = 3
    keep_ratio: float = 0.9  # a further sentence must score at least this share of the best
    abstain_below: float = 0.6  # best sentence score under which the answer abstains
    max_question_chars: int = 2000
    cross_encoder: str | None = None  # a local CrossEncoder folder, used when given

    def to_dict(self) -> dict:
        return asdict(self)
