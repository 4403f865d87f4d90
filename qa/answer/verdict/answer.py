"""A yes/no question answered claim by claim: each claim's passages are retrieved under its outlet and
date, the best one judged (`judge`), and the verdict given first with a line per claim. "Which outlet
reported X first?" is answered the same way, the outlets then ordered by their articles' dates. A claim whose
passage states what it denies (`denial`) or says its opposite by a prefix is false: the answer is No, the
verdict model unasked (on MultiHop-RAG dev, 7 comparison questions the model answered Yes).

One embedding serves every claim (the question's); each claim adds a keyword search and a filtered
dense search, so a two-claim question costs about two plain ones (README, "Yes, no and when").
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from qa.answer.attribution import speaker
from qa.answer.constraints import key_names, names_found
from qa.answer.tidy import display
from qa.answer.verdict import denial, judge
from qa.answer.verdict.form import Claim, Form, shown
from qa.archive.dates import parse_user_date
from qa.archive.naming import cite
from qa.lexicon.names import demonym
from qa.lexicon.words import manner_differs, opposite_word, stem, tokens, word_key
from qa.question.query import Query, analyse, fts_query
from qa.types import Answer, ClaimVerdict, Filters, Sentence, Source

YES, NO, UNSAID = "yes", "no", "don't say"
LEADS = {YES: "Yes.", NO: "No.", UNSAID: "The articles don't say."}


@dataclass(frozen=True)
class VerdictSettings:
    depth: int = 20  # fused windows per claim whose sentences are judged
    min_claim_terms: int = 3  # a claim with fewer words of its own is searched with the whole question's words
    # a claim whose best passage the judge scores under this, or whose article holds under `coverage_min` of its
    # words (model.json), is "not found" and the verdict is "don't say"; None: model.json's `support_min`, the
    # values eval/train_verdict.py chose on the tuning half (each the 1.5% quantile of its answerable questions)
    support_min: float | None = None


@dataclass
class Judged:
    claim: Claim
    best: object | None = None  # the Candidate its verdict rests on
    score: float = 0.0
    verdict: str = "not found"
    note: str | None = None
    candidates: list = field(default_factory=list)  # (candidate, judge features), for training
    coverage: float = 0.0  # share of the claim's words (by rarity) its best article uses anywhere
    day_missing: bool = False  # it names a date on which its outlet published nothing
    denied: bool = False  # its passage states what the claim denies ("do not offer …" against "they offer …")


class Verdicts:
    def __init__(self, retriever, composer, settings, outlets: Callable[[], list[str]],
                 verdict_settings: VerdictSettings | None = None):
        self.retriever = retriever
        self.composer = composer
        self.settings = settings
        self.outlets = outlets
        self.vs = verdict_settings or VerdictSettings()

    # ------------------------------------------------------------------ claims
    def judge_claims(self, query: Query, form: Form, filters: Filters | None, fitted: dict | None = None):
        """Each claim with its best passage and the judge's score; the question's vector is embedded once,
        on the dense thread while the first claim's keyword search runs."""
        vector = self.retriever.embed_soon(query.text)
        out: list[Judged] = []
        try:
            described = [self.described_article(c.described) if c.described else None for c in form.claims]
            found = [a for a in described if a is not None]
            for claim, article in zip(form.claims, described):
                out.append(self._judge(claim, query, form, filters, vector, out, fitted, article, found))
        finally:
            made = vector.result()  # never left running past the question
        return out, made

    def _claim_query(self, claim: Claim, query: Query) -> tuple[Query, list[str]]:
        """The claim's own words searched, under the question's asked kind, and the names the claim itself uses
        (`constraints.key_names`: not dates, not any outlet, not a nationality, not the article it describes)."""
        cq = analyse(claim.own, self.outlets(), self.settings.max_question_chars)
        names = [n for n in key_names(cq, self.outlets()) if not demonym(n)]  # "the Polish analysis": no name
        if len(cq.terms) < self.vs.min_claim_terms:
            cq.terms = list(dict.fromkeys(cq.terms + query.terms))
        cq.match = fts_query(cq.terms) if cq.terms else query.match
        cq.asked = query.asked
        return cq, names

    def described_article(self, described: str):
        """The one article a description names (`form.Claim.described`), or None when it fits several or none.
        "the article quoting “no accusing fingers”", "the article that mentions Sochi": the one article among
        the searched ones that holds those words; "the article on deep US–Russia differences": the one whose
        title or first lines hold the most of the description's words. ("the wire report", "the German report"
        or "the analysis piece", whose "Analyses" kicker cleaning drops, fit no article's words: such a claim is
        then read from the articles that no other claim of the question names.)"""
        held = _HELD.search(described)
        words = [w for w in tokens(held.group(1) if held else described) if w.casefold() not in _DESCRIPTION_WORDS]
        if not words:
            return None
        cq = analyse(" ".join(words), self.outlets(), self.settings.max_question_chars)
        articles = {a.id: a for a in self.retriever.keyword_articles(cq, self.vs.depth)}
        if held:
            needle = " ".join(words).casefold()
            holding = [a for a in articles.values() if needle in " ".join(tokens(a.text)).casefold()]
            return holding[0] if len(holding) == 1 else None
        keys = {word_key(w) for w in words}
        scored = sorted(((_head_match(keys, a), a.id) for a in articles.values()), reverse=True)
        if scored and scored[0][0] > 0 and (len(scored) == 1 or scored[0][0] > scored[1][0]):
            return articles[scored[0][1]]
        return None

    def _judge(self, claim: Claim, query: Query, form: Form, filters: Filters | None, vector, earlier: list[Judged],
               fitted: dict | None, article=None, described: list | None = None) -> Judged:
        """`article`: the one this claim's description names (`described_article`); `described`: every article
        the question's descriptions name."""
        done = Judged(claim)
        user = filters if filters is not None and filters.active else None
        asked = {s.casefold() for s in user.outlets} if user else set()
        if claim.outlet and asked and claim.outlet.casefold() not in asked:
            done.note = f"{claim.outlet} is outside the outlets asked for."
            return done
        outlets = (claim.outlet,) if claim.outlet else (user.outlets if user else ())
        no_outlet = False
        if article is not None:  # the described article's outlet, or the articles that state none
            outlets, no_outlet = ((article.source,), False) if article.source else ((), True)
        since, until = (user.since, user.until) if user else (None, None)
        tries = []
        if claim.day:
            lo, hi = claim.day
            tries.append(Filters(outlets, parse_user_date(lo) if lo else since, parse_user_date(hi) if hi else until,
                                 no_outlet))
        tries.append(Filters(outlets, since, until, no_outlet))
        cq, names = self._claim_query(claim, query)
        ranked = None
        for i, f in enumerate(tries):
            ranked = self.retriever.search(cq, f if f.active else None, self.vs.depth, vector=vector)
            if ranked.hits:
                if i and claim.day:
                    done.day_missing = True
                    done.note = (f"No {claim.outlet or 'indexed'} article of {_days(claim.day)}; "
                                 "read from its other articles.")
                break
        if not ranked.hits:
            done.note = f"No {claim.outlet} article in the index." if claim.outlet else "No article matches."
            return done
        # the judge reads a passage's scores and words, never its named entities
        cands = self.composer.candidates(cq, ranked.hits[: self.vs.depth], ranked.query_vector, entities=False,
                                         rows=ranked.rows)
        if article is not None:
            cands = [c for c in cands if c.article_id == article.id]
        elif claim.described:  # not one article's words: any article that no other claim of the question names
            others = {c.outlet for c in form.claims if c.outlet} | {a.source for a in described or ()}
            ids = {a.id for a in described or ()}
            cands = [c for c in cands if c.article.source not in others and c.article_id not in ids] or cands
        taken = {j.best.article_id for j in earlier if j.best is not None and j.claim.outlet == claim.outlet}
        if claim.later or claim.outlet in {j.claim.outlet for j in earlier}:  # "the later report by the same source"
            other = [c for c in cands if c.article_id not in taken]
            cands = other or cands
        neg = judge.negated(claim.own)
        scored = [(judge.support(c, neg, fitted), c) for c in cands]
        done.candidates = [(c, judge.judge_features(c, neg)) for c in cands]
        if not scored:
            done.note = "No passage of its articles comes close."
            return done
        unnamed = self._unknown_name(names, cands)
        done.score, done.best = max(scored, key=lambda sc: sc[0])
        done.coverage = self._coverage(cq, done.best.article.text)
        fit = fitted or judge.model()
        floor = self.vs.support_min if self.vs.support_min is not None else fit["support_min"]
        if unnamed:
            done.verdict = "not found"
            done.note = unnamed
        elif done.score < floor or done.coverage < fit["coverage_min"]:
            done.verdict = "not found"
            done.note = done.note or "Its closest passage does not state it."
        elif form.order:  # a question of order asks when, not whether
            done.verdict = "supported"
        elif any(denial.stated(d, done.best.text) for d in denial.denials(query.text, claim.text, claim.described)):
            done.verdict, done.denied = "contradicted", True
            done.note = "Its passage states what the question says it does not."
        elif opposite_word(claim.own, done.best.text):
            done.verdict, done.denied = "contradicted", True
            done.note = "Its passage says the opposite."
        elif judge.negated(done.best.text) != neg or manner_differs(claim.own, done.best.text):
            done.verdict = "contradicted"
        else:
            done.verdict = "supported"
        return done

    def _unknown_name(self, names: list[str], cands: list) -> str | None:
        """Why the claim cannot be found, when it names someone or something that neither its passages'
        articles mention (in any form: "OSCE" for the Organization for Security and Co-operation in Europe) nor
        any indexed window holds a word of ("Did Xi Jinping speak with Putin …?"), as a look-up's would
        (`constraints.unmet`): a yes or no is not read from passages about someone else. Outlets (metadata, not
        text) and nationalities ("the Polish analysis") are not such names. Names the index knows are left to the
        judge: a long claim's names are often written otherwise, or named only in another claim's articles.
        Requiring them of the claim's own articles, as a look-up does, turned MultiHop-RAG dev's time questions
        from 0.713 to 0.672 right and its wrong abstentions from 0.024 to 0.051."""
        if not names:
            return None
        _, _, unknown = names_found(names, {c.article_rowid: c.article for c in cands}, self.retriever.doc_freq)
        return f"The indexed articles never mention {unknown[0]}." if unknown else None

    def _coverage(self, cq: Query, text: str) -> float:
        """The share of the claim's words, weighed by rarity, that its article uses anywhere."""
        words, stems = _vocabulary(text)
        weights = {t: self.composer._idf(t) for t in cq.terms}
        total = sum(weights.values())
        if not total:
            return 0.0
        return sum(w for t, w in weights.items() if t in words or stem(t) in stems) / total

    # ------------------------------------------------------------------ verdict
    @staticmethod
    def order(form: Form, judged: list[Judged]) -> int:
        """+1: the first two claims' articles are dated in the order the question asks; -1: the other way."""
        if not form.order or len(judged) < 2 or judged[0].best is None or judged[1].best is None:
            return 0
        a, b = judged[0].best.article.published_at or "", judged[1].best.article.published_at or ""
        if not a or not b or a == b:
            return 0
        first = a < b
        return 1 if first == (form.order == "before") else -1

    def features(self, form: Form, judged: list[Judged]) -> list[float]:
        return judge.verdict_features(form, [j.score for j in judged], [j.verdict == "contradicted" for j in judged],
                                      self.order(form, judged), [j.coverage for j in judged],
                                      [j.day_missing for j in judged])

    def answer(self, question: str, query: Query, form: Form, filters: Filters | None) -> Answer:
        t0 = time.perf_counter()
        if form.kind == "first":
            answer = self._first(question, query, form, filters)
            answer.timings = {"verdict": round((time.perf_counter() - t0) * 1000, 3)}
            return answer
        judged, _ = self.judge_claims(query, form, filters)
        order = self.order(form, judged)
        if any(j.verdict == "not found" for j in judged):
            verdict, p_yes = (NO, None) if unreported(form, judged) else (UNSAID, None)
        elif judge.by_dates(form):  # before/after: what the two articles' dates say, or nothing when they tie
            verdict, p_yes = (YES if order > 0 else NO if order < 0 else UNSAID), None
        elif any(j.denied for j in judged):  # a claim its passage states the opposite of: the question's "No"
            verdict, p_yes = NO, None
        else:
            p_yes = judge.yes_probability(self.features(form, judged), form.kind)
            verdict = YES if p_yes >= 0.5 else NO
            agree(judged, verdict)
        answer = self._compose(question, query, form, judged, verdict, p_yes)
        answer.timings = {"verdict": round((time.perf_counter() - t0) * 1000, 3)}
        return answer

    def _compose(self, question, query, form, judged, verdict, p_yes) -> Answer:
        sources: list[Source] = []
        claims: list[ClaimVerdict] = []
        sentences: list[Sentence] = []
        for j in judged:
            numbers: tuple[int, ...] = ()
            day = None
            if j.best is not None:
                c, a = j.best, j.best.article
                same = next((s for s in sources if s.article_id == a.id and s.start == c.start), None)
                if same is None:
                    same = cite(len(sources) + 1, a, c.text, c.start, c.end, j.score)
                    sources.append(same)
                    sentences.append(Sentence(display(c.text), (same.number,), speaker(c.text)))
                numbers, day = (same.number,), a.published_at
            outlet = j.claim.outlet or (j.best.article.source if j.best else None) or j.claim.described
            claims.append(ClaimVerdict(display(shown(j.claim, form.outlets_named)), j.verdict, outlet, day, numbers,
                                       round(j.score, 4), j.note))
        lead = Sentence(LEADS[verdict], tuple(s.number for s in sources))
        notes = list(query.notes) + [f"{c.outlet or 'Claim'}: {c.note}" for c in claims if c.note]
        timeline = _timeline(form, claims)
        if timeline:
            notes.insert(0, timeline)
        split = _disagreement(claims)
        if split:
            notes.insert(0, split)
        lines = [f"{LEADS[verdict]}"] + [
            f"{c.verdict}: {c.outlet or 'any outlet'}{', ' + (c.published_at or '')[:10] if c.published_at else ''}"
            + (f" — {sources[c.citations[0] - 1].quote} [{c.citations[0]}]" if c.citations else "") for c in claims]
        answer = Answer(question=question, text="\n".join(lines), sentences=[lead, *sentences], sources=sources,
                        abstained=verdict == UNSAID, notes=notes, verdict=verdict, claims=claims)
        if verdict == UNSAID:
            answer.reason = next((c.note for c in claims if c.verdict == "not found" and c.note),
                                 "A claim of the question is not stated in the articles.")
            answer.closest = sources
        return answer


    # ------------------------------------------------------------------ which outlet first
    def _first(self, question: str, query: Query, form: Form, filters: Filters | None) -> Answer:
        """"Which outlet reported X first?": each outlet's passage that best states X (the outlets named,
        else the FIRST_OUTLETS that state it most closely), in the order of their articles' dates."""
        judged, _ = self.judge_claims(query, form, filters)
        fit = judge.model()
        floor = self.vs.support_min if self.vs.support_min is not None else fit["support_min"]
        found: list[tuple[str, float, object]] = []  # (outlet, score, candidate)
        missing: list[Judged] = []
        for j in judged:
            if j.claim.outlet:
                if j.verdict == "not found" or not j.best.article.published_at:
                    missing.append(j)
                else:
                    found.append((j.claim.outlet, j.score, j.best))
                continue
            neg = judge.negated(j.claim.own)
            cq, _ = self._claim_query(j.claim, query)
            best: dict[str, tuple[float, object]] = {}
            for c, _ in j.candidates:
                outlet = c.article.source
                score = judge.support(c, neg)
                if outlet and c.article.published_at and score >= floor and score > best.get(outlet, (0.0, None))[0]:
                    best[outlet] = (score, c)
            closest = sorted(best.items(), key=lambda kv: -kv[1][0])[:FIRST_OUTLETS]
            found += [(o, sc, c) for o, (sc, c) in closest
                      if self._coverage(cq, c.article.text) >= fit["coverage_min"]]
        latest = form.order == "last"
        found.sort(key=lambda t: t[2].article.published_at, reverse=latest)
        sources: list[Source] = []
        sentences: list[Sentence] = []
        claims: list[ClaimVerdict] = []
        for outlet, score, c in found:
            src = cite(len(sources) + 1, c.article, c.text, c.start, c.end, score)
            sources.append(src)
            sentences.append(Sentence(display(c.text), (src.number,), speaker(c.text)))
            claims.append(ClaimVerdict(display(form.claims[0].text), "supported", outlet, c.article.published_at,
                                       (src.number,), round(score, 4)))
        for j in missing:
            claims.append(ClaimVerdict(display(j.claim.text), "not found", j.claim.outlet, None, (), round(j.score, 4),
                                       j.note or "Its closest passage does not state it."))
        notes = list(query.notes) + [f"{c.outlet}: {c.note}" for c in claims if c.note]
        if not found:
            answer = Answer(question=question, text=LEADS[UNSAID], sentences=[Sentence(LEADS[UNSAID], ())],
                            sources=[], abstained=True, notes=notes, verdict=UNSAID, claims=claims)
            answer.reason = next((c.note for c in claims if c.note), "No article states it closely enough.")
            return answer
        outlet, _, c = found[0]
        when = "last" if latest else "first"
        if len(found) == 1:
            lead = f"Only {outlet}'s articles state it ({_day(c.article.published_at)})."
        else:
            lead = f"{outlet} reported it {when}, on {_day(c.article.published_at)}."
        timeline = _timeline(form, claims)
        if timeline:
            notes.insert(0, timeline)
        text = lead + "\n" + "\n".join(f"{cl.outlet}, {_day(cl.published_at)} — {sources[cl.citations[0] - 1].quote} "
                                        f"[{cl.citations[0]}]" for cl in claims if cl.citations)
        return Answer(question=question, text=text, sentences=[Sentence(lead, (1,)), *sentences], sources=sources,
                      notes=notes, claims=claims)


def unreported(form: Form, judged: list[Judged]) -> bool:
    """Does the question ask whether outlets report something ("Do both ARD and Le Figaro discuss Nord Stream
    2?") that one of them does not? Each claim not found names its outlet, whose articles were searched and
    judged (the index holds them); the question compares outlets ("both", "while", "also"), is not negated,
    and asks about no contrast or change, nor about time (there a claim not found leaves nothing to compare:
    on MultiHop-RAG dev, "No" read 4 of 7 such questions wrong). Then "No": that outlet's indexed articles
    do not say it (the claim's row is "not reported"). A claim about the world, or about an outlet with no
    article here, stays "the articles don't say"."""
    missing = [j for j in judged if j.verdict == "not found"]
    if form.kind != "comparison" or any(form.cues.get(c) for c in ("negated", "inconsistent", "change")) or \
            not all((j.claim.outlet or j.claim.described) and j.best is not None for j in missing):
        return False  # over time, a contrast or a change: a claim not found leaves nothing to compare
    for j in missing:
        j.verdict = "not reported"
    return True


def agree(judged: list[Judged], verdict: str) -> None:
    """Each claim's row says what the verdict says of it. The judge calls a claim "contradicted" when its
    best passage is negated and the claim is not (or the other way); the verdict model weighs that with
    everything else and may still answer Yes (on MultiHop-RAG dev, 106 of 304 verdicts read "Yes." above
    a "contradicted" row). Under "Yes" every claim with a passage is "supported"; under "No" with no claim
    contradicted, the claim whose passage the judge trusts least is "not supported"."""
    if verdict == YES:
        for j in judged:
            if j.verdict == "contradicted":
                j.verdict = "supported"
    elif verdict == NO and not any(j.verdict == "contradicted" for j in judged):
        found = [j for j in judged if j.best is not None]
        if found:
            min(found, key=lambda j: j.score).verdict = "not supported"


@lru_cache(maxsize=256)  # the claims of one question, and the questions after it, read the same articles
def _vocabulary(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The words an article uses, and their stems."""
    words = frozenset(tokens(text.casefold()))
    return words, frozenset(stem(w) for w in words)


# a description's words that say what kind of text it is, not which: "the article quoting …", "the wire report"
_DESCRIPTION_WORDS = frozenset("the article report piece story site commentary quoting citing that mentions on about "
                               "of".split())
_HELD = re.compile(r"\b(?:quoting|citing|that\s+mentions)\s+(.+)$", re.I)
HEAD_CHARS = 300  # an article's first lines, where its headline and standfirst say what it is about


def _head_match(keys: set[str], article) -> int:
    """How many of a description's words (`word_key`) an article's title or first lines hold (as a word, or a
    word starting alike for 5 letters or more: "analysis" meets "Analyses")."""
    head = {word_key(w) for w in tokens(f"{article.title or ''} {article.text[:HEAD_CHARS]}")}
    return sum(1 for k in keys if any(k == h or (min(len(k), len(h)) >= 5 and (k.startswith(h) or h.startswith(k)))
                                      for h in head))


FIRST_OUTLETS = 4  # "which outlet first" naming none compares the outlets whose passages state it most closely


def _day(iso: str | None) -> str:
    from datetime import date

    try:
        d = date.fromisoformat((iso or "")[:10])
    except ValueError:
        return (iso or "")[:10]
    return f"{d.day} {d:%b %Y}"


def _days(day: tuple[str | None, str | None]) -> str:
    lo, hi = day
    return lo if lo == hi else f"{lo or '…'} to {hi or '…'}"


DENIED = {"contradicted": "contradicts it", "not reported": "does not report it", "not supported": "does not state it"}


def _disagreement(claims: list[ClaimVerdict]) -> str | None:
    """"The sources disagree: ARD states it; Le Figaro does not report it.": one source's passage states what
    the question asks and another's denies it or leaves it out (the rows say which)."""
    stating = list(dict.fromkeys(c.outlet or "one article" for c in claims if c.verdict == "supported"))
    denying = [(c.outlet or "another article", DENIED[c.verdict]) for c in claims if c.verdict in DENIED]
    if not stating or not denying or {o for o, _ in denying} <= set(stating):
        return None
    denied = "; ".join(f"{o} {what}" for o, what in dict.fromkeys(denying) if o not in stating)
    return f"The sources disagree: {' and '.join(stating)} {'states' if len(stating) == 1 else 'state'} it; {denied}."


def _timeline(form: Form, claims: list[ClaimVerdict]) -> str | None:
    """"TechCrunch, 26 Sep 2023 → The Verge, 15 Dec 2023": a time question's claims in date order."""
    if form.kind not in ("temporal", "first"):
        return None
    dated = sorted((c.published_at, c.outlet or "?") for c in claims if c.published_at)
    if len(dated) < 2:
        return None
    return "In time: " + " → ".join(f"{outlet}, {_day(at)}" for at, outlet in dated) + "."
