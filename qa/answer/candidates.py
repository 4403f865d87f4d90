"""The candidate short answers of a look-up question, each described by features that a fitted
model (`qa.answer.scorer`) turns into the probability that it is the answer.

A candidate is a phrase of the asked kind (`short_answer.phrases`: an entity the question does
not already name) in one of the best-ranked sentences. Its features say how well it fits the
question, none of them learning article text (MultiHop's held-out questions share the articles):
- the hand rules' own verdicts, kept as evidence rather than as a fixed order: the phrase is the
  one its sentence's rules chose, the one the whole answer would have led with, it belongs to the
  asked party, it is titled as asked, its sentence names the question's names;
- retrieval: the sentence's rank, score against the best, window similarity, term coverage;
- context: the question's words around the phrase and in its clause;
- agreement: the share of the pool's mentions, articles and outlets that name the same answer
  (shares, so a small archive and a large one read alike) and how high its best sentence ranks. Not
  how rare the name is in the index: that number is nearly unique to each name, so trees fitted on it
  learn which names answered the training questions (cross-validated with each answer's questions in
  one fold, their top-1 fell from 0.89 to 0.67 with it; 0.88 without);
- an outlet the question names: the sentence is, or is not, from it;
- the question's length (the rules' pick is less reliable in a question of many clauses) and
  whether it asks for a figure or a date (given once, where a name is repeated across articles);
- clause by clause (`clause_support`): a question of several clauses ("Which company, reported by
  A for X and by B for Y, …") is evidence for one filler in each clause. For each clause, how well
  the best sentence naming the candidate, and the best sentence of an article naming it, hold that
  clause's words, against the best sentence for that clause at all; averaged over the clauses. The
  entity that sits next to one clause's words loses to the one that all the clues point to.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from qa.answer import short_answer as sa
from qa.lexicon.words import tokens, word_key
from qa.question.asked import FIGURES

POOL_SENTENCES = 15  # best-ranked sentences whose phrases are candidates (MultiHop dev tune: the gold
# answer is among the first 15 sentences' phrases for most answerable look-ups; deeper adds noise)
PRIMARY = {"person": "PERSON", "who": "PERSON", "org": "ORG", "place": "GPE", "date": "DATE", "time": "TIME",
           "count": "CARDINAL", "money": "MONEY", "percent": "PERCENT", "law": "LAW", "event": "EVENT"}
FEATURES = ("heuristic", "top_pick", "rank", "score_ratio", "dense", "lexical", "support", "support_terms",
            "conjunct", "mentions", "first_rank", "names_met", "role_ok", "described", "side_ok", "titled",
            "primary_label", "articles", "outlets", "named_outlet", "other_outlet", "question_words", "figure",
            "clause_sentence", "clause_article", "clause_least", "clauses")
# agreement weighs otherwise in a question of many clauses, which asks about the entity the articles are about
# (the many-clue questions of MultiHop-RAG), than in a question of one or two, which asks for one role (who sat
# in on the call): each of these features also enters multiplied by "many clauses" (1 or 0)
MANY_CLAUSES = 3
MULTI = ("mentions", "articles", "outlets", "first_rank", "top_pick", "heuristic", "support", "names_met",
         "rank")
FEATURES = FEATURES + ("many_clauses",) + tuple(f"{n}_many" for n in MULTI)
FIGURE_KINDS = FIGURES | {"date", "time", "duration"}  # a figure, often given once
MAX_TERMS = 5  # word counts are capped here (a long question's words are not all about the answer)
CLAUSE_DEPTH = 40  # best-ranked sentences read for clause support (deeper than the pool: the clues of a
# many-clause question are spread over several articles' sentences)
MIN_CLAUSE_TERMS = 2  # a clause with fewer of the question's words says too little to count
MAX_CLAUSES = 6
# where a question's clauses part: punctuation, relative and contrasting words, attributions, and "and" before a
# verb ("… and is accused of"), not "and" between names ("Biden and Putin"). Read from the words, not the parse
# (they agree on "many clauses" for 91% of MultiHop's inference questions), so that a question of few clauses is
# answered without loading the parser: a cold ask stays about 1 s
_CLAUSE_BREAK = re.compile(r"[,;:()]|\s(?:while|whereas|who|whom|whose|which|that|as reported by|according to|"
                           r"as per|as noted by|as detailed by)\s|\sand\s(?=(?:is|was|are|were|has|have|had|also|"
                           r"then|later|\w+ed)\b)", re.I)


@dataclass
class Option:
    cand: object  # qa.answer.compose.Candidate: the sentence
    phrase: sa.Phrase
    features: dict
    probability: float = 0.0


def pool(query, cands: list, names: list[str], texts: tuple, idf) -> list[Option]:
    """Every candidate phrase of the best POOL_SENTENCES sentences, with its features."""
    asked = query.asked
    head = cands[:POOL_SENTENCES]
    if not head:
        return []
    top = head[0].score or 1.0
    acronyms = re.findall(r"\b[A-Z]{3,8}\b", query.text)
    articles: dict[str, set] = {}
    outlets: dict[str, set] = {}
    mentions: dict[str, int] = {}
    first: dict[str, int] = {}
    for rank, c in enumerate(head):
        for p in c.found:
            k = sa.key(p)
            mentions[k] = mentions.get(k, 0) + 1
            first.setdefault(k, rank)
            articles.setdefault(k, set()).add(c.article_rowid)
            outlets.setdefault(k, set()).add((c.article.source or c.article_id).casefold())
    # shares, not counts: a five-article archive and a 600-article one give the same range
    total = max(1, sum(mentions.values()))
    n_articles = max(1, len({c.article_rowid for c in head}))
    n_outlets = max(1, len({(c.article.source or c.article_id).casefold() for c in head}))
    named = [o.casefold() for o in query.outlets]
    length = question_words(query.text)
    by_clause = clause_support(query.text, query.terms, cands[:CLAUSE_DEPTH], idf,
                               {sa.key(p) for c in head for p in c.found})
    out: list[Option] = []
    for rank, c in enumerate(head):
        if not c.found:
            continue
        text = c.article.text
        met = sa.names_met(names, c.text, "", texts)
        outlet = (c.article.source or "").casefold()
        for p in c.found:
            share, count = sa.support(asked, query.terms, text, p, c.start, c.end)
            k = sa.key(p)
            f = {
                "heuristic": float(c.phrase is not None and c.phrase.start == p.start),
                "top_pick": float(rank == 0 and c.phrase is not None and c.phrase.start == p.start),
                "rank": 1.0 / (1.0 + rank),
                "score_ratio": c.score / top,
                "dense": c.dense,
                "lexical": c.lexical,
                "support": min(share, 1.5),
                "support_terms": min(count, MAX_TERMS) / MAX_TERMS,
                "conjunct": min(sa.conjunct_support(query.terms, acronyms, text, p, c.start, c.end), MAX_TERMS)
                / MAX_TERMS,
                "mentions": mentions[k] / total,
                "first_rank": 1.0 / (1.0 + first[k]),
                "names_met": float(met),
                "role_ok": float(sa.role_ok(asked, p, c.text)),
                "described": float(sa.described_anywhere(asked, text, p, c.start, c.end, texts)),
                "side_ok": float(any(q.start == p.start for q in c.phrases)),
                "titled": float(p.core > p.start),
                "primary_label": float(PRIMARY.get(asked.kind or "", p.label) == p.label),  # a duration has none
                "articles": len(articles[k]) / n_articles,
                "outlets": len(outlets[k]) / n_outlets,
                "named_outlet": float(bool(named) and outlet in named),
                "other_outlet": float(bool(named) and outlet not in named),
                "question_words": length,
                "figure": float(asked.kind in FIGURE_KINDS),
                **by_clause.get(k, _NO_CLAUSES),
            }
            f["many_clauses"] = float(round(f["clauses"] * MAX_CLAUSES) >= MANY_CLAUSES)  # as `many_clauses`
            f.update({f"{n}_many": f[n] * f["many_clauses"] for n in MULTI})
            out.append(Option(c, p, f))
    return out


_NO_CLAUSES = {"clause_sentence": 0.0, "clause_article": 0.0, "clause_least": 0.0, "clauses": 0.0}


def clauses(text: str, terms: list[str]) -> list[set[str]]:
    """The question's clauses (cut at `_CLAUSE_BREAK`), each as the lemmas of the question's search
    terms that it holds (`word_key`, as a sentence's `stems`); clauses with fewer than MIN_CLAUSE_TERMS of
    them are left out."""
    wanted = {word_key(t) for t in terms}
    out = []
    for part in _CLAUSE_BREAK.split(text):
        own = {word_key(t) for t in tokens(part)} & wanted
        if len(own) >= MIN_CLAUSE_TERMS and own not in out:
            out.append(own)
    return out[:MAX_CLAUSES]


def many_clauses(text: str, terms: list[str]) -> bool:
    return len(clauses(text, terms)) >= MANY_CLAUSES


def clause_support(text: str, terms: list[str], sentences: list, idf, keys: set[str]) -> dict[str, dict]:
    """For each candidate key: the mean over the question's clauses of the weighed share of the clause's
    words held by the best sentence naming the candidate ("clause_sentence") and by the best sentence of
    an article naming it ("clause_article"), each against the best sentence for that clause at all;
    the weakest clause's article share ("clause_least"), and the number of clauses (a share of MAX_CLAUSES)."""
    parts = clauses(text, terms)
    if len(parts) < 2 or not sentences or not keys:
        return {}
    weight = {word_key(t): idf(t) for t in terms}
    cover = np.array([[sum(weight[w] for w in part & c.stems) / sum(weight[w] for w in part) for c in sentences]
                      for part in parts])  # clauses x sentences
    best = cover.max(axis=1)
    best[best == 0] = 1.0
    texts: dict[int, str] = {}
    for c in sentences:  # each article's text once, without case
        if c.article_rowid not in texts:
            texts[c.article_rowid] = c.article.text.casefold()
    own = [c.text.casefold() for c in sentences]

    def names(k: str, text: str) -> bool:  # a plain substring test first: most keys are in few texts
        return k in text and re.search(rf"(?<!\w){re.escape(k)}(?!\w)", text) is not None

    out = {}
    for k in keys:
        if not k:
            continue
        in_article = {rowid for rowid, t in texts.items() if names(k, t)}
        in_sentence = np.array([c.article_rowid in in_article and names(k, t) for c, t in zip(sentences, own)])
        of_article = np.array([c.article_rowid in in_article for c in sentences])
        by_sentence = np.where(in_sentence, cover, 0.0).max(axis=1) / best
        by_article = np.where(of_article, cover, 0.0).max(axis=1) / best
        out[k] = {"clause_sentence": float(by_sentence.mean()), "clause_article": float(by_article.mean()),
                  "clause_least": float(by_article.min()), "clauses": len(parts) / MAX_CLAUSES}
    return out


def question_words(text: str) -> float:
    """The question's length, log words: a question of many clauses ("Which company, reported by A
    for X and by B for Y, …") is one the rules' nearest-entity pick gets wrong more often."""
    return math.log(max(1, len(text.split())))


def matrix(options: list[Option]) -> np.ndarray:
    """The options' features in FEATURES order, one row each."""
    return np.array([[o.features[n] for n in FEATURES] for o in options], dtype=np.float64).reshape(-1, len(FEATURES))
