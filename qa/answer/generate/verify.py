"""Is a generated sentence stated by the passages it cites? Checked before it is shown as fact.

Two kinds of check, in order:

1. **Facts**, typed the way the short-answer code types an article's phrases (spaCy's entities):
   every name (people, organisations, places, nationalities, laws, events, and any other proper
   noun), every figure (digits, number words), every date word (month, weekday, year, day) and every
   quoted phrase of the sentence must be in the cited passages. A negation the best evidence
   sentence does not have (or the reverse: the counts differ) fails, and a leading "No," counts as one.
2. **Support**: the cosine between the sentence and the best evidence unit (a cited sentence, or two
   adjacent ones) plus `coverage_weight` × the share of the sentence's content words found in that
   unit; below `support_threshold` the sentence is not supported.

The two numbers are fitted by `python -m bench verify` (seed and MultiHop evidence quotes, lightly
paraphrased, against the same quotes with a swapped name, a changed figure or date, a negation, or
a claim from another article); its figures are in `VerifySettings`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from index.ingest.dates import MONTHS
from qa.lexicon.names import fold
from qa.lexicon.words import NEGATION, NUMBER_WORDS, WEEKDAYS

NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART"})
DATE_LABELS = frozenset({"DATE", "TIME"})
_VERDICT = re.compile(r"^\s*(yes|no)\s*[,.:;!—–-]\s*", re.I)  # "No, …" is a verdict; "No commitment …" is not
_QUOTED = re.compile(r"[“\"]([^“”\"]{3,200})[”\"]")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"[^\W_]+")
_CLAUSE = re.compile(r"[,;:]\s+|\s+(?:and|but|while|whereas|although|though|because)\s+")
# Passage text that addresses the model instead of the reader: it never supports a claim.
_INJECTION = re.compile(r"\b(?:ignore|disregard|forget)\b.{0,30}\b(?:instructions?|prompt|rules)\b|\bsystem prompt\b|"
                        r"\b(?:answer|reply|respond|say)\s+(?:that|with)\b|\bas an? (?:ai|assistant|language model)\b",
                        re.I)


@dataclass(frozen=True)
class VerifySettings:
    # Fitted by `python -m bench verify` (a grid over both on the tune half of 549 seed and MultiHop dev
    # evidence quotes: the most unsupported sentences caught with at most 4% of the supported removed).
    # Held-out half: 97.2% of unsupported sentences caught, 3.1% of supported ones removed (bench/README.md).
    support_threshold: float = 1.109  # cosine + coverage_weight × coverage of the best evidence unit
    coverage_weight: float = 0.75
    prefix: int = 5  # words compared by their first five letters: "Russia" = "Russian", "sanction" = "sanctions"
    # a claim restates a negated clause of its evidence when it holds this share of the clause's content
    # words (hand-set: "sanctions have not prevented the annexation" against "sanctions prevented the annexation")
    clause_cover: float = 0.6


@dataclass
class Judgement:
    kept: bool
    reason: str | None = None  # uncited, unknown_citation, name, figure, date, quote, negation, unsupported
    detail: str | None = None  # the name, figure, date or words that the passages do not have
    score: float = 0.0
    best: tuple[int, ...] = ()  # indices into the evidence sentences of the unit that supports it best


def instruction(sentence: str) -> bool:
    """A sentence that tells someone what to do ("Ignore previous instructions…", "Visit …") rather
    than reporting: it is no evidence for anything. Imperatives are read from spaCy's parse: the
    first word is the root, a bare verb, with no subject."""
    if _INJECTION.search(sentence):
        return True
    from qa.question.parse import parse

    plain = " ".join(re.sub(r"\[/?[\w ]*\]", " ", sentence).split())  # without markup-like tags
    words = [t for t in parse(plain) if not (t.is_punct or t.is_space)]
    if not words:
        return False
    first = words[0]
    return (first.dep_ == "ROOT" and first.tag_ in ("VB", "VBP")
            and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in first.children))


def _figures(text: str) -> set[str]:
    return {m.group().replace(",", "").rstrip(".") for m in _DIGITS.finditer(text)}


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


class Verifier:
    def __init__(self, encoder, settings: VerifySettings | None = None):
        self.encoder = encoder
        self.settings = settings or VerifySettings()
        self._vectors: dict[str, np.ndarray] = {}

    def _embed(self, texts: list[str]) -> list[np.ndarray]:
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            for t, v in zip(missing, self.encoder.encode(missing)):
                self._vectors[t] = v
        return [self._vectors[t] for t in texts]

    def forget(self) -> None:
        self._vectors.clear()

    # ---------------------------------------------------------------- facts
    def facts(self, claim: str) -> dict[str, list[str]]:
        """The names, figures, date words and quoted phrases of a sentence (spaCy's entities)."""
        from qa.question.parse import parse

        doc = parse(claim)
        names, dates = [], []
        in_date = set()
        for ent in doc.ents:
            if ent.label_ in DATE_LABELS:
                for tok in ent:
                    in_date.add(tok.i)
                    low = fold(tok.text).rstrip(".")
                    if low in MONTHS or low in WEEKDAYS:
                        dates.append(low)
        for tok in doc:
            if tok.i in in_date or not tok.text[:1].isupper() or not tok.is_alpha:
                continue
            if tok.ent_type_ in NAME_LABELS or (tok.pos_ == "PROPN" and tok.i > 0):
                names.append(tok.text)
        figures = sorted(_figures(claim))
        figures += [NUMBER_WORDS[w] for w in _words(claim) if w in NUMBER_WORDS]
        quotes = [q.strip() for q in _QUOTED.findall(claim) if len(q.split()) >= 2]
        return {"name": names, "figure": figures, "date": dates, "quote": quotes}

    def _missing(self, facts: dict[str, list[str]], evidence: str) -> tuple[str, str] | None:
        words = _words(evidence)
        p = self.settings.prefix
        stems = {w[:p] for w in words}
        numbers = _figures(evidence) | {NUMBER_WORDS[w] for w in words if w in NUMBER_WORDS}
        month_numbers = {MONTHS[w] for w in words if w in MONTHS}
        for name in facts["name"]:
            if fold(name)[:p] not in stems:
                return "name", name
        for figure in facts["figure"]:
            if figure not in numbers:
                return "figure", figure
        for day in facts["date"]:
            if day in MONTHS and MONTHS[day] in month_numbers:
                continue
            if day not in words:
                return "date", day
        flat = " ".join(words)
        for quote in facts["quote"]:
            if " ".join(_words(quote)) not in flat:
                return "quote", quote
        return None

    # ---------------------------------------------------------------- support
    def _content(self, claim: str) -> list[str]:
        from qa.question.parse import parse

        return [fold(t.text) for t in parse(claim) if t.is_alpha and not t.is_stop and t.pos_ != "INTJ"]

    def units(self, claim: str, evidence: list[str]) -> list[tuple[tuple[int, ...], float, float]]:
        """Each evidence unit (one sentence, or two adjacent) with its cosine to the claim and the share
        of the claim's content words it holds."""
        units = [(i,) for i in range(len(evidence))] + [(i, i + 1) for i in range(len(evidence) - 1)]
        texts = [" ".join(evidence[i] for i in u) for u in units]
        vecs = self._embed([claim] + texts)
        content = self._content(claim)
        p = self.settings.prefix
        out = []
        for unit, text, vec in zip(units, texts, vecs[1:]):
            stems = {w[:p] for w in _words(text)}
            coverage = sum(w[:p] in stems for w in content) / len(content) if content else 1.0
            out.append((unit, float(np.dot(vecs[0], vec)), coverage))
        return out

    def support(self, claim: str, evidence: list[str]) -> tuple[float, tuple[int, ...]]:
        """The best unit (one evidence sentence or two adjacent) and its support score."""
        w = self.settings.coverage_weight
        best = max(self.units(claim, evidence), key=lambda u: u[1] + w * u[2])
        return best[1] + w * best[2], best[0]

    def fact_check(self, claim: str, evidence: list[str], unit: tuple[int, ...]) -> tuple[str, str | None] | None:
        """The first fact of the claim the evidence lacks, or a negation its best unit does not share,
        or an instruction (to the model, or an imperative to the reader) as its best unit."""
        if any(instruction(evidence[i]) for i in unit):
            return "instruction", None
        verdict = _VERDICT.match(claim)
        body = claim[verdict.end():] if verdict else claim
        missing = self._missing(self.facts(body), " ".join(evidence))
        if missing:
            return missing
        best_text = " ".join(evidence[i] for i in unit)
        negations = len(NEGATION.findall(body)) + bool(verdict and verdict.group(1).lower() == "no")
        if self._negation_flipped(body, negations, best_text):
            return "negation", None
        return None

    def _negation_flipped(self, body: str, negations: int, evidence: str) -> bool:
        """The claim adds a negation, or restates a negated clause of its evidence without one."""
        found = len(NEGATION.findall(evidence))
        if negations > found:
            return True
        if negations == found:
            return False
        from spacy.lang.en.stop_words import STOP_WORDS

        p = self.settings.prefix
        said = {w[:p] for w in _words(body)}
        for clause in _CLAUSE.split(evidence):
            if NEGATION.search(clause):
                content = [w for w in _words(clause) if w not in STOP_WORDS and not NEGATION.fullmatch(w)]
                if content and sum(w[:p] in said for w in content) / len(content) >= self.settings.clause_cover:
                    return True
        return False

    def judge(self, claim: str, evidence: list[str]) -> Judgement:
        """Check one sentence (without its markers) against the sentences of the passages it cites."""
        if not evidence:
            return Judgement(False, "uncited")
        verdict = _VERDICT.match(claim)
        body = claim[verdict.end():] if verdict else claim
        score, unit = self.support(body, evidence)
        failed = self.fact_check(claim, evidence, unit)
        if failed:
            return Judgement(False, failed[0], failed[1], score, unit)
        if score < self.settings.support_threshold:
            return Judgement(False, "unsupported", None, score, unit)
        return Judgement(True, None, None, score, unit)
