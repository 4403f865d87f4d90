"""Settings of retrieval and answer composition; defaults chosen on the seed dev set (README)."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class QASettings:
    k_dense: int = 60  # candidates from each search before fusion
    k_keyword: int = 60
    keyword_terms: int | None = None  # keep only the N rarest terms in the keyword query (None: all; see README)
    # drop keyword terms found in more than this share of windows (indexes of 1,000+ windows), and past
    # `keyword_large` windows more than `keyword_common_large`. MultiHop dev (569, 88k windows) at 0.1 / 0.02:
    # mh_mrr@10 0.627 / 0.630, inference lead_correct 0.822 / 0.816, wrong leads 0.109 / 0.126, keyword
    # p95 51 / 34 ms (ask p95 was 53 ms, within target, at 0.1); at 10,000 generated articles (1.28M windows)
    # keyword p50 245 / 129 ms (bench/README.md, issue 13): answers first at sizes that are fast anyway
    keyword_common: float = 0.1
    keyword_common_large: float = 0.02
    keyword_large: int = 500_000
    rrf_k: int = 20  # reciprocal rank fusion constant
    dense_weight: float = 1.0
    keyword_weight: float = 1.0
    mention_boost: float = 0.3  # soft boost for outlets / dates named in the question
    rerank_depth: int = 30  # fused chunks whose sentences are re-scored
    lexical_weight: float = 0.3  # sentence score = dense + lexical_weight * term coverage + prior_weight * rank
    prior_weight: float = 0.05
    type_penalty: float = 0.7  # a sentence without the kind of answer asked for (a person, a figure, a date...)
    role_penalty: float = 0.5  # a sentence whose figure of the asked kind belongs to another party
    fragment_penalty: float = 0.9  # a headline, or a piece starting mid-sentence
    min_support: float = 0.2  # a short answer needs this share of the question's words around it (seeds: right
    # answers 0.20-0.91, the phrases offered for unanswerable questions 0.00-0.17)
    min_support_terms: int = 2  # …or at least this many of its words (long questions)
    # …or it is the only phrase of the asked kind in a sentence that holds this share of the question's weighed words
    # ("In what year did the rebellion in Donbass start?": "… a separatist rebellion in the eastern Donbass region that
    # has killed more than 14,000 people since it began in 2014"). Tuning halves of the seeds and the five new-user
    # sets, right leads + near misses abstained - 2 x wrong leads: off 147, 0.5 149, 0.3 150, 0.2 152, 0 148
    sole_phrase_lexical: float = 0.2
    # typed questions: weight of the question's words right around the answer phrase (0.3 -> 0.35: seed
    # lead_correct 0.845 -> 0.862 with per-article vectors; MultiHop dev inference lead 0.822 either way)
    support_weight: float = 0.35
    extend_ratio: float = 0.7  # …or when it is itself nearly as relevant as the lead (this share of it; seeds:
    # lead_correct 0.67 without, 0.72 at 0.5-0.7, 0.67 at 0.9)
    lead_max_words: int = 80  # a lead that runs on into the next sentence stays under this many words
    speaker_boost: float = 1.15  # "What did the Kremlin say…": sentences reporting the Kremlin's words
    title_words: int = 2  # a title that holds this many of a "which <role>" question's words for the person wins
    # answer voting (typed questions asking for a name): chosen on MultiHop inference questions, dev (every
    # 3rd question) and held-out lead_correct 0.713 / 0.627 with depth 10, boost 0.2, other 0.5, and
    # 0.747 / 0.711 with the values below; seeds unchanged at 0.741
    vote_depth: int = 20  # the best sentences whose answer phrases are pooled, per article…
    vote_other: float = 1.0  # …a sentence's other phrases counting this share of its score…
    vote_boost: float = 0.6  # …and the sentences naming the winner raised by this share,
    vote_min: int = 2  # when at least this many articles name it
    vote_idf_power: float = 1.0  # a name's votes weighed by its rarity in the index to this power (1 / 0.5 / 0:
    # seeds lead_correct 0.845 / 0.810 / 0.793, wrong leads 1 / 3 / 4; MultiHop dev inference 0.782 / 0.799 / 0.805)
    single_penalty: float = 0.8  # a plural question ("which leaders") answered by one name, not a list
    name_penalty: float = 0.8  # a sentence whose article does not name every name the question uses
    typed_depth: int = 5  # a typed question abstains when none of this many best sentences names the kind
    # a "who" look-up led by the rules names someone in bold only from a sentence holding at least this share of the
    # question's weighed words that the closest sentence holding most of them does, when that sentence names no one
    # (`Composer._says_what_was_asked`). Chosen on the tuning halves (seeds, both new-user sets, MultiHop dev
    # inference), right leads less twice the wrong ones: off 135, 0.6 136, 0.8 138, 0.9 138
    says_ratio: float = 0.8
    # the fitted answer scorer (qa/answer/answer_scorer.json) chooses the lead of a look-up question of many clauses and,
    # by its operating points, whether it shows its short answer. On the test half of MultiHop-RAG's local inference
    # questions, trees against the logistic model before them: lead_correct 0.78 -> 0.81, wrong leads 0.10 -> 0.06;
    # on the seeds, whose look-ups are of one or two clauses, the rules' lead stands, shown in bold only where the
    # scorer's trust model trusts it (`Scorer.trust`). False: the rules alone
    short_answer_gate: bool = True
    # a scorer file fitted by bench/train_answer_scorer.py on an archive of your own; None: the shipped one; "": none,
    # the rules lead alone (how `collect` gathers a training pool whatever model is shipped, stale ones included)
    answer_scorer: str | None = None
    # the fitted sentence ranker (qa/answer/sentence_ranker.json, eval/train_ranker.py) orders the sentences of a
    # question that asks for no kind of thing; a file of your own, None: the shipped one, "": the hand-set order
    sentence_ranker: str | None = None
    max_sentences: int = 3
    keep_ratio: float = 0.95  # a further sentence must score at least this share of the best (seeds: citation
    # precision 0.70 at 0.9, 0.75 at 0.95, recall 0.73 and 0.71)
    abstain_below: float = 0.6  # best sentence score under which the answer abstains
    abstain_below_with_phrase: float = 0.5  # …or, for a sentence that names what a typed question asks for
    # with the question's words around it, under this (short questions score low: "How long did the call last?")
    max_question_chars: int = 2000
    cross_encoder: str | None = None  # a local CrossEncoder folder, used when given

    def to_dict(self) -> dict:
        return asdict(self)
