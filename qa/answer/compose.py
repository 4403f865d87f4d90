"""From retrieved windows to an extractive answer: every sentence of the answer is a sentence of
an article, re-scored on its own, chosen without repeating itself, and cited. A question that asks
for a kind of thing (a person, a place, a date, a figure) leads with a sentence that names one,
about the party asked for, and opens with that phrase (`Answer.short_answer`). Identical facts
from several outlets are stated once with all their citations; differing figures for the same
thing are shown side by side with who reports them."""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from index.ingest.dates import date_grains
from qa.answer import candidates as pool_of
from qa.answer import ranker, role_match
from qa.answer import scorer as fitted
from qa.answer import short_answer as sa
from qa.answer.attribution import asked_speaker, asked_topic, pronoun_said, quotes, speaker, unnamed_speaker
from qa.answer.constraints import announced_only, key_names, looks_ahead, unmet
from qa.answer.describe import description, title_of
from qa.answer.phrasing import Phrasing
from qa.answer.reading import does, fragment, heading, majority_labels, open_quote, speaks
from qa.answer.tidy import display
from qa.archive.dates import period_start, weekday_date
from qa.archive.naming import cite
from qa.lexicon.names import AFFILIATIONS, demonym, mentions, polity
from qa.lexicon.verbs import SAID
from qa.lexicon.words import STOPWORDS, compact, lemma, stem, tokens, word_key
from qa.question.asked import FIGURES, PEOPLE
from qa.question.query import Query
from qa.question.structure import asked_role, described_person
from qa.settings import QASettings
from qa.types import Answer, Hit, Sentence, ShortAnswer, Source


_TOPIC_NAME = re.compile(r"[A-Z][\w’'-]*(?:\s+(?:[A-Z][\w’'-]*|\d+))*")  # "Nord Stream 2", "Olaf Scholz"


@dataclass
class Candidate:
    article_id: str
    article_rowid: int
    idx: int
    start: int
    end: int
    text: str
    dense: float = 0.0
    lexical: float = 0.0
    prior: float = 0.0
    score: float = 0.0  # relevance after the type, party, name and fragment penalties: the ranking
    relevance: float = 0.0  # window similarity + term coverage + rank prior: what abstention reads
    stems: set = field(default_factory=set)
    article: object = None  # the stored article row, read once for all its sentences
    also: list = field(default_factory=list)  # near-identical sentences from other articles
    entities: list = field(default_factory=list)  # (start, end, label) inside the sentence
    phrase: sa.Phrase | None = None  # the answer phrase, for a question that asks for a kind of entity
    phrases: list = field(default_factory=list)  # every phrase of the sentence that could answer it
    found: list = field(default_factory=list)  # every phrase of the asked kind, before the rules' filters
    support: float = 0.0  # share of the question's words right around the phrase (short_answer.support)
    wrong_party: bool = False  # it holds a figure of the asked kind, but about another party
    role_ties: dict = field(default_factory=dict)  # a role question's phrases: how each is tied to it (qa.answer.describe)
    titles: dict = field(default_factory=dict)  # "which <role>": how many of its words a phrase's title holds
    speaks: bool = False  # it reports the words of the speaker the question asks about
    acts: int = 0  # the question's actor does its act here (+1), or undergoes it (-1)
    fragment: bool = False  # a headline, or a piece starting mid-sentence


def _leading(lead: Candidate, cands: list[Candidate]) -> list[Candidate]:
    """The candidates with `lead` first, scored as high as the best (it leads `choose`'s cut-off)."""
    lead.score = max(lead.score, cands[0].score)
    return [lead] + [c for c in cands if c is not lead]


@lru_cache(maxsize=1 << 14)
def _lemmas(text: str) -> tuple[str, ...]:
    return tuple(word_key(t) for t in tokens(text))


def _stems(text: str) -> set[str]:
    """The lemmas of a sentence's words (`word_key`). The same sentence comes back claim after claim and question
    after question: its lemmas are kept, and the set is built from them in the same order (the same set)."""
    return set(_lemmas(text))


def _window_similarity(windows: list, cos: np.ndarray, sentences: list) -> list[float]:
    """Each sentence's dense score: the best cosine of the windows covering at least 30% of it (or of the
    window), times 0.75 + 0.25 * the share covered; 0.0 when none does. `windows` are (id, start, end,
    ...), `cos` their cosines with the question, `sentences` (idx, start, end, text). One numpy pass per
    article instead of a Python loop over every sentence and window: the same float64 arithmetic."""
    if not sentences:
        return []
    if not windows:
        return [0.0] * len(sentences)
    ws = np.array([w[1] for w in windows], dtype=np.int64)
    we = np.array([w[2] for w in windows], dtype=np.int64)
    ss = np.array([x[1] for x in sentences], dtype=np.int64)[:, None]
    se = np.array([x[2] for x in sentences], dtype=np.int64)[:, None]
    overlap = np.minimum(we, se) - np.maximum(ws, ss)  # sentences x windows
    cover = overlap / np.maximum(1, np.minimum(we - ws, se - ss))  # <= 0 where they do not overlap
    scores = np.asarray(cos, dtype=np.float64) * (0.75 + 0.25 * cover)
    best = np.where(cover >= 0.3, scores, 0.0).max(axis=1)
    return [float(b) if b > 0.0 else 0.0 for b in best]


class Composer:
    def __init__(self, index, settings: QASettings, doc_freq=None):
        self.index = index
        self.settings = settings
        self._doc_freq = doc_freq or index.doc_freq  # the retriever's cached one, when given
        self._idf_cache: dict[str, float] = {}
        self._chunks: int | None = None
        self.phrasing = Phrasing(index, settings, self._idf)
        self.scorer = None if settings.answer_scorer == "" else fitted.load(settings.answer_scorer)
        self.ranker = None if settings.sentence_ranker == "" else ranker.load(settings.sentence_ranker)
        self.last_pool: list[pool_of.Option] = []  # the look-up candidates of the last answer (training, tests)
        self.last_candidates: list[Candidate] = []  # the sentences the last answer was built from (training)
        self._role_match: role_match.RoleMatch | None = None  # made at the first question that describes a person

    # ------------------------------------------------------------ scoring
    def _idf(self, term: str) -> float:
        if term not in self._idf_cache:
            if self._chunks is None:
                self._chunks = max(1, self.index.chunk_count())
            s = stem(term)
            df = self._doc_freq(s, len(s) >= 4)
            self._idf_cache[term] = math.log((self._chunks + 1) / (df + 1)) + 0.1
        return self._idf_cache[term]

    def candidates(self, query: Query, hits: list[Hit], qvec: np.ndarray, entities: bool = True,
                   rows: dict | None = None) -> list[Candidate]:
        """Every sentence of the hits' windows, scored. `entities=False`: a caller that reads no candidate's
        `entities` (a yes/no claim, `qa.answer.verdict`) gets them only where the question asks for a kind of
        thing, which reads them here (`Phrasing.answer_phrase`). `rows`: the hits' chunk rows as the
        search read them in this snapshot (`Ranked.rows`), not read again."""
        s = self.settings
        hits = hits[: s.rerank_depth]
        if not hits:
            return []
        top = hits[0].score or 1.0
        if rows is None or any(h.chunk_id not in rows for h in hits):
            rows = self.index.chunks([h.chunk_id for h in hits])
        by_article: dict[int, dict] = {}
        for h in hits:
            row = rows.get(h.chunk_id)
            if row is None:
                continue
            entry = by_article.setdefault(row.article_rowid, {"id": row.article_id, "lo": row.sent_lo,
                                                              "hi": row.sent_hi, "prior": {}})
            entry["lo"], entry["hi"] = min(entry["lo"], row.sent_lo), max(entry["hi"], row.sent_hi)
            for i in range(row.sent_lo, row.sent_hi + 1):
                entry["prior"][i] = max(entry["prior"].get(i, 0.0), h.score / top)
        terms = query.terms
        weights = {t: self._idf(t) for t in terms}
        total = sum(weights.values()) or 1.0
        term_stems = {t: word_key(t) for t in terms}
        out: list[Candidate] = []
        window_cos: dict[int, list[tuple[int, int, float]]] = {}  # article -> (start, end, cosine) of its windows
        for rowid, entry in by_article.items():
            article = self.index.article_by_row(rowid)
            windows = self.index.windows(rowid, entry["lo"], entry["hi"])
            wv = np.vstack([w[5] for w in windows]) if windows else np.zeros((0, len(qvec)), np.float32)
            cos = wv @ qvec if len(wv) else np.zeros(0)
            window_cos[rowid] = [(w[1], w[2], float(x)) for w, x in zip(windows, cos)]
            kept = []
            for idx, start, end in self.index.sentences(rowid, entry["lo"], entry["hi"]):
                if idx not in entry["prior"]:
                    continue
                text = article.text[start:end]
                if (article.title and text == article.title.strip()) or heading(text):
                    continue  # a headline or a section label is not a statement to cite as an answer
                kept.append((idx, start, end, text))
            dense = _window_similarity(windows, cos, kept)
            for (idx, start, end, text), best in zip(kept, dense):
                stems = _stems(text)
                lex = sum(weights[t] for t in terms if term_stems[t] in stems or t in stems) / total
                out.append(Candidate(entry["id"], rowid, idx, start, end, text, dense=best, lexical=lex,
                                     prior=entry["prior"][idx], stems=stems, article=article))
        asked = query.asked
        typed = asked.typed
        if entities or typed:
            self._entities(out)
        by_position = {(c.article_rowid, c.idx): c for c in out}
        names = key_names(query)
        texts = tuple({c.article_rowid: c.article.text for c in out}.values())
        for c in out:
            c.relevance = c.score = c.dense + s.lexical_weight * c.lexical + s.prior_weight * c.prior
            if typed:
                self.phrasing.answer_phrase(c, query, names, by_position.get((c.article_rowid, c.idx - 1)), window_cos,
                                            texts)
            if asked.speaker and speaks(asked.speaker, c.text):
                c.speaks = True
                c.score *= s.speaker_boost
            if asked.act:  # "What did Russia accuse Ukraine of?"
                done = does(asked.actor, asked.act, c.text)  # "Russia … accuses Ukraine": True; "accusing Russia": False
                c.acts = 1 if done else -1 if done is False else 0
                c.score *= s.speaker_boost if done else s.role_penalty if done is False else 1.0
            if len(c.stems) < 4 or fragment(c.text):  # headlines and fragments say little on their own
                c.fragment = True
                c.score *= s.fragment_penalty
        if typed:
            self.phrasing.titled_first(out)
        if typed and asked.who_said:
            for c in out:
                if c.phrase is None:
                    _said_next(c, query, by_position.get((c.article_rowid, c.idx + 1)))
        out.sort(key=lambda c: c.score, reverse=True)
        if not typed and self.ranker is not None:  # a question that asks for no kind of thing: the fitted order
            self.ranker.rank(out)
        # one name is pooled, not a list; the speaker of one statement is not the name most articles give
        if asked.kind in VOTING_KINDS and not sa.plural(asked) and not asked.who_said:
            self.phrasing.vote(out)
        if s.cross_encoder and out:
            self._cross_rerank(query, out)
        return out

    def _extend(self, lead: Candidate, cands: list[Candidate]) -> None:
        """Let the lead run on into the next sentence when that one only completes it: "The first option
        … is diplomatic communication. It's here “Alternative route”, according to Jake Sullivan…"."""
        nxt = self.index.sentences(lead.article_rowid, lead.idx + 1, lead.idx + 1)
        if not nxt:
            return
        _, start, end = nxt[0]
        follow = lead.article.text[start:end]
        if len(lead.text.split()) + len(follow.split()) > self.settings.lead_max_words or "\n\n\n" in \
                lead.article.text[lead.end:start]:
            return
        nxt_cand = next((c for c in cands if c.article_rowid == lead.article_rowid and c.idx == lead.idx + 1), None)
        close = nxt_cand is not None and nxt_cand.relevance >= self.settings.extend_ratio * lead.relevance
        if close or _CONTINUES.match(follow) or lead.text.rstrip().endswith(":") or open_quote(lead.text) or \
                (follow[:1] in "“\"" and _ATTRIBUTED.search(lead.text)):
            lead.end = end
            lead.text = lead.article.text[lead.start:end]

    def _entities(self, cands: list[Candidate]) -> None:
        """Attach to each candidate the named entities stored for its sentence (one read per article)."""
        spans: dict[int, list[int]] = {}
        cands_text = {c.article_rowid: c.article.text for c in cands}
        for c in cands:
            lo_hi = spans.setdefault(c.article_rowid, [c.start, c.end])
            lo_hi[0], lo_hi[1] = min(lo_hi[0], c.start), max(lo_hi[1], c.end)
        found = majority_labels({rowid: (self.index.entities(rowid, lo, hi), cands_text[rowid])
                                 for rowid, (lo, hi) in spans.items()})  # by start
        starts = {rowid: [e[0] for e in ents] for rowid, ents in found.items()}
        for c in cands:
            at = starts[c.article_rowid]
            c.entities = found[c.article_rowid][bisect_left(at, c.start):bisect_left(at, c.end)]

    def _cross_rerank(self, query: Query, cands: list[Candidate], depth: int = 20) -> None:
        """With a local CrossEncoder folder configured, its relevance replaces the term coverage."""
        if getattr(self, "_cross", None) is None:
            from sentence_transformers import CrossEncoder

            self._cross = CrossEncoder(self.settings.cross_encoder, device="cpu")
        head = cands[:depth]
        logits = self._cross.predict([(query.text, c.text) for c in head])
        for c, logit in zip(head, np.atleast_1d(logits)):
            c.score = c.dense + self.settings.lexical_weight / (1.0 + math.exp(-float(logit)))
        head.sort(key=lambda c: c.score, reverse=True)
        cands[:depth] = head

    # ------------------------------------------------------------ choosing
    def choose(self, query: Query, cands: list[Candidate], scored: bool = False, typed: bool = True) -> list[Candidate]:
        """Up to `max_sentences` sentences, best first, without repeating one another; `scored`: the
        first was picked by the fitted scorer and leads as it is."""
        s = self.settings
        chosen: list[Candidate] = []
        if typed and query.asked.typed:  # lead with the sentence that names it
            cands = [c for c in cands if c.phrase] or cands
            if query.asked.kind == "who" and not scored:  # "who" asks for a person first, an organisation only else
                cands = sorted(cands, key=lambda c: c.phrase is None or c.phrase.label != "PERSON")
        best = cands[0].score
        for c in cands:
            if len(chosen) >= s.max_sentences:
                break
            if c.score < best * s.keep_ratio:
                break
            same = next((k for k in chosen if _jaccard(k.stems, c.stems) >= 0.6), None)
            if same is not None:
                if same.article_id != c.article_id:
                    same.also.append(c)  # the same fact from another article: one sentence, more citations
                continue
            if any(_jaccard(k.stems, c.stems) >= 0.35 for k in chosen):
                continue  # says mostly the same thing again
            chosen.append(c)
        return chosen

    def build(self, question: str, query: Query, hits: list[Hit], cands: list[Candidate],
              filtered: bool = False) -> Answer:
        """The answer from the candidates, or an abstention. `filtered`: asked under the user's filters, whose
        narrower pool the trust model was not fitted on (one outlet's passages lose the agreement of others:
        "Wendy Sherman" is trusted 0.48 from all articles and 0.15 from Le Figaro's alone), so there a pick it
        doubts is only not shown in bold, never the reason to abstain."""
        s = self.settings
        self.last_pool, self.last_candidates = [], cands
        role = asked_role(query.text)
        titled, bold = self._titled_as_described(query, cands) \
            if role is None or not any(c.phrase for c in cands[: s.typed_depth]) else (None, False)
        if titled is not None:  # "Which head of NATO …?": the person whose title means what the question says
            cands = _leading(titled, cands)
        if role is not None and query.asked.labels and not any(c.phrase for c in cands[: s.typed_depth]):
            return self.abstain(question, query, hits, cands, reason=(
                f"No passage names anyone as {role.phrase}: the closest passages give other people or other titles."))
        if self._too_far(cands):
            return self.abstain(question, query, hits, cands)
        asked = query.asked
        who = asked_speaker(query.text)
        if who and any(compact(who) in compact(o) for o in query.outlets):
            who = None  # "What did Le Figaro say about …": an outlet's articles, not a speaker's words
        if who:  # "What did X say?": answer from what X is reported to have said, or say there is none
            quoting = [c for c in cands if quotes(who, c.text) or self._said_after_named(who, c)]
            if not quoting:
                return self.abstain(question, query, hits, cands, reason=f"No passage reports what {who} said.")
            topic = asked_topic(query.text)  # "What did X say about T?": X's words on T, read once
            on_topic = [c for c in quoting if self._on_topic(topic, c, cands)] if topic else quoting
            if not on_topic:
                return self.abstain(question, query, hits, cands,
                                    reason=f"No passage reports what {who} said about {topic}.")
        if asked.described_speaker:  # "Who was the senior official who said …?", said by one the articles never name
            said = max(cands[: s.typed_depth], key=lambda c: c.relevance, default=None)
            unnamed = unnamed_speaker(said.text) if said is not None else None
            if unnamed:
                return self.abstain(question, query, hits, cands, reason=(
                    f"The articles do not name {unnamed}: “{said.text.strip()}”"))
        kept, reason = unmet(query, cands, s, self._doc_freq)
        if not kept or self._too_far(kept):  # what meets the question's constraints must still answer it closely
            return self.abstain(question, query, hits, cands, reason=reason)
        cands = kept
        if who:  # X's own words first, those on the topic asked about before the rest
            theirs, on = {id(c) for c in quoting}, {id(c) for c in on_topic}
            cands = sorted(cands, key=lambda c: (id(c) not in on, id(c) not in theirs))  # stable: best first within
        by = _named_speaker(asked.speaker, query) if asked.labels and not who else None
        if by and not any(c.phrase and speaks(by, c.text) for c in cands[: s.typed_depth]):
            # "According to Jake Sullivan, how many …?": a figure or name from someone else's words does not answer
            return self.abstain(question, query, hits, cands, reason=(
                f"No passage gives the {_KIND_WORDS.get(asked.kind, asked.kind)} the question asks for as {by}'s."))
        if asked.labels and not any(c.phrase for c in cands[: s.typed_depth]):
            what = "figure" if asked.kind in FIGURES else asked.kind
            whose = f" for {asked.party}" if asked.party and any(c.wrong_party for c in cands[: s.typed_depth]) else ""
            return self.abstain(question, query, hits, cands, reason=(
                f"The closest passages do not name the {_KIND_WORDS.get(what, what)} the question asks for{whose}."))
        short_ok, verdict, said_first, trust = titled is None or bold is not False, "rules", False, {}
        weighed = titled is None or bold is None and not pool_of.many_clauses(query.text, query.terms)
        if asked.labels and s.short_answer_gate and weighed:  # a look-up: the fitted scorer weighs its lead
            cands, verdict, trust = self._lookup(query, cands)
            if verdict == "abstain":
                return self.abstain(question, query, hits, cands, reason=(
                    f"No passage names a {_KIND_WORDS.get(asked.kind, asked.kind)} that fits the question "
                    f"closely enough."))
            short_ok = verdict != "no_short"
        if verdict == "rules" and asked.labels and titled is None:  # "According to ARD, how long …?": ARD's leads
            cands = self._named_outlet_first(query, cands)
            if asked.kind in PEOPLE:  # who-questions: for places and dates, see _says_what_was_asked
                cands, said_first = self._says_what_was_asked(cands)
        described = self._described(asked.about, cands) if asked.about else None
        if described is not None:  # "Who is Yuri Ushakov?": the sentence that says what he is leads
            cands = [described[0]] + [c for c in cands if c is not described[0]]
        chosen = self.choose(query, cands, scored=verdict != "rules" and described is None, typed=not said_first)
        if chosen[0].phrase is None:
            lead = chosen[0]
            self._extend(lead, cands)
            chosen = [lead] + [c for c in chosen[1:]
                               if c.article_rowid != lead.article_rowid or c.end <= lead.start or c.start >= lead.end]
        own = self._named_outlets_own(query, chosen, cands)
        if own is not None:  # "according to ARD", led by another outlet: ARD's own closest passage is given too
            chosen = chosen[: self.settings.max_sentences - 1] + [own]
        sources: list[Source] = []
        sentences: list[Sentence] = []
        for c in chosen:
            numbers = []
            for member in [c, *c.also]:
                sources.append(self._source(len(sources) + 1, member))
                numbers.append(len(sources))
            sentences.append(Sentence(display(c.text), tuple(numbers), speaker(c.text)))
        lead = chosen[0]
        short = None
        trusted = trust.get((id(lead), lead.phrase.start)) if trust and lead.phrase is not None else None
        if trusted is not None and trusted < self.scorer.trust.abstain_below and not filtered and titled is None:
            return self.abstain(question, query, hits, [lead, *(c for c in cands if c is not lead)], reason=(
                f"The closest passage names {display(lead.phrase.text)}, but the question fits it too loosely "
                f"to give it as the answer."))
        if trusted is not None and trusted < self.scorer.trust.short_below:
            short_ok = False  # the rules' pick, which the fitted model trusts too little to show in bold
        if lead.phrase is not None and short_ok:
            others = {c.article_rowid: c.article.text for c in cands[:self.settings.vote_depth]}
            full = self.phrasing.full_name(lead, tuple(others.items()))
            if asked.kind == "place":
                full += self.phrasing.setting(lead)
            day = weekday_date(full, lead.article.published_at, looks_ahead(lead.text)) \
                if asked.kind == "date" else None
            if day is not None:  # "this Thursday" in an article of 7 December 2021
                full = f"{full} ({day.day} {day:%B %Y})"
            elif asked.kind == "date" and asked.focus == "day" and "weekday" not in date_grains(full):
                # "What day …?": "December 7" is a Tuesday, in the year nearest the article's date (an undated
                # article's: the best dated one's among those retrieved)
                near = next((c.article.published_at for c in [lead, *cands] if c.article.published_at), None)
                day = period_start(full, near)
                full += f" ({day:%A}, {day.day} {day:%B %Y})" if day is not None else ""
            short = ShortAnswer(display(full), 1, lead.phrase.start, lead.phrase.end, asked.kind)
        elif described is not None and described[0] is lead:
            d0, d1 = described[1]
            short = ShortAnswer(display(lead.article.text[d0:d1]), 1, d0, d1, "description")
        notes = list(query.notes)
        if short is not None and asked.past and asked.kind in ("date", "time") and announced_only(lead.text):
            of = f" of {lead.article.published_at[:10]}" if lead.article.published_at else ""
            notes.append(f"The article{of} ({_outlet(sources, lead)}) announces this for later; no indexed article "
                         f"reports that it took place.")
        notes += self._agreement(query, chosen, sources)
        if query.outlets and not query.names_outlet_of(lead.article):
            named = " or ".join(query.outlets)
            cited = next((st.citations[0] for st, c in zip(sentences, chosen)
                          if query.names_outlet_of(c.article)), None)
            notes.append(f"The lead is from {lead.article.source or 'an article that names no outlet'}, not {named}"
                         + (f"; {named}'s closest passage is [{cited}]." if cited else "."))
        text = " ".join(f"{st.text} " + "".join(f"[{n}]" for n in st.citations) for st in sentences)
        return Answer(question=question, text=text, sentences=sentences, sources=sources, hits=hits, notes=notes,
                      short_answer=short)

    def _titled_as_described(self, query: Query, cands: list[Candidate]) -> tuple[Candidate | None, bool | None]:
        """The sentence, among the best `role_match.DEPTH`, that names the person a question describes by role
        ("Which head of NATO was briefed …?"), with its phrase set to that person, when their title fits the
        description far better than anyone else's (`qa.answer.role_match`); else None. (A role question, "Who
        is Canada's foreign minister?", is read by `role_tie`, which holds the role to its owner; this is asked
        only where no title says the role's words: "Who is the Ukrainian head of state …?") Such a sentence
        leads, and the answer does not abstain. Whether the name is shown in bold: where the rules lead with
        that person already, their sentence and the trust model decide (None); else only when the title also
        holds the description's head noun (True): "EU Commission President" fits "EU foreign policy chief"
        closely but does not say chief, and its sentence leads without a bold name."""
        asked = query.asked
        described = described_person(query.text) if asked.kind in PEOPLE and not sa.plural(asked) else None
        if described is None:
            return None, False
        options, at = [], []
        for c in cands[: role_match.DEPTH]:
            for p in c.found:
                if p.label != "PERSON":
                    continue
                title = title_of(c.article.text, c.start, c.end, p.start, p.core, p.end)
                if title:
                    options.append((sa.key(p), title))
                    at.append((c, p))
        if not options:
            return None, False
        if self._role_match is None:
            self._role_match = role_match.RoleMatch(self.index.encoder)
        i = self._role_match.pick(described.phrase, options)
        if i is None:
            return None, False
        c, p = at[i]
        rules = next((k for k in cands if k.phrase), None)
        if rules is not None and sa.key(rules.phrase) == sa.key(p):
            return rules, None  # the rules' own pick, which the title confirms: it leads, bold as they trust it
        c.phrase = p
        c.phrases = [p, *(q for q in c.phrases if q is not p)]
        return c, described.head in {lemma(w) for w in tokens(options[i][1])}

    def _named_outlet_first(self, query: Query, cands: list[Candidate]) -> list[Candidate]:
        """A look-up that names an outlet, of one or two clauses, is answered by that outlet's best sentence
        naming something of the asked kind, when one comes up near the top (`typed_depth`). A question of many
        clauses names outlets as clues to one entity (MultiHop-RAG's), and the scorer weighs them there."""
        if not query.outlets or query.names_outlet_of(cands[0].article) or \
                pool_of.many_clauses(query.text, query.terms):
            return cands
        own = next((c for c in cands[: self.settings.typed_depth] if c.phrase and query.names_outlet_of(c.article)),
                   None)
        return cands if own is None else _leading(own, cands)

    def _said_after_named(self, who: str, c: Candidate) -> bool:
        """"…, she said." right after a sentence that names `who`, in a sentence naming no one else: the pronoun's
        words are theirs ("EU Commission President Ursula von der Leyen threatened Moscow with further sanctions.
        The European Union will rule on further aggression from Moscow, she said."). In "According to his
        account, Putin downplayed the threats …; he said …" the "he" is Putin."""
        if not pronoun_said(c.text) or c.idx == 0 or any(label == "PERSON" for _, _, label in c.entities):
            return False
        before = self.index.sentences(c.article_rowid, c.idx - 1, c.idx - 1)
        return bool(before) and mentions(c.article.text[before[0][1]:before[0][2]], who)

    def _on_topic(self, topic: str, said: Candidate, cands: list[Candidate]) -> bool:
        """Does the passage of someone's words, or a sentence beside it (a quote runs on), hold at least
        half of the topic's words, weighed by rarity, a name in any of its forms ("NS2" for Nord Stream 2)?
        "What did Scholz say about the Nord Stream 2 pipeline?" is not answered by his words on diplomacy."""
        words = {word_key(t) for t in tokens(topic) if t not in STOPWORDS}
        if not words:
            return True
        beside = [c for c in cands if c.article_rowid == said.article_rowid and abs(c.idx - said.idx) == 1]
        held = said.stems.union(*(c.stems for c in beside))
        text = " ".join([said.text, *(c.text for c in beside)])
        for name in _TOPIC_NAME.findall(topic):
            if mentions(text, name):
                held |= {word_key(t) for t in tokens(name)}
        weights = {w: self._idf(w) for w in words}
        return sum(v for w, v in weights.items() if w in held) >= 0.5 * sum(weights.values())

    def _says_what_was_asked(self, cands: list[Candidate]) -> tuple[list[Candidate], bool]:
        """A bold name fills the slot of a sentence that says what was asked. For a "who" question the rules
        lead with the best sentence naming someone. When that is not the closest sentence (by relevance, among
        `typed_depth`), and one of the closest names no one and holds much more of the question's weighed words
        (`says_ratio`), the name is a filler from nearby, not the answer: "Who compared Russia to a fox attacking a
        henhouse?" was answered with Dmitry Peskov, the speaker of another quote, while the fox sentence's speaker
        is named a paragraph before it. Then that sentence, which names no one, leads (True: it is put first).
        (Tried for places and dates too: "Which city did Sullivan speak from?" lost Washington to "Biden would speak
        to …", "On what date was Biden due to phone Zelenskiy?" its date to Blinken's earlier call.)
        Where the closest sentence names the answer, or the sentence that says most names someone too, the
        rules' lead stands (False)."""
        lead = next((c for c in cands if c.phrase), None)
        top = sorted(cands, key=lambda c: c.relevance, reverse=True)[: self.settings.typed_depth]
        best = max(top, key=lambda c: c.lexical, default=None)
        if lead is None or best is None or lead is top[0] or best.found or \
                lead.lexical >= self.settings.says_ratio * best.lexical:
            return cands, False
        return _leading(best, cands), True

    @staticmethod
    def _named_outlets_own(query: Query, chosen: list[Candidate], cands: list[Candidate]) -> Candidate | None:
        """The best sentence from an outlet the question names, when the chosen ones lead with another
        outlet's and hold none of the named outlets' (None otherwise)."""
        if not query.outlets or any(query.names_outlet_of(c.article) for c in chosen):
            return None
        return next((c for c in cands if query.names_outlet_of(c.article)), None)

    def _lookup(self, query: Query, cands: list[Candidate]) -> tuple[list[Candidate], str, dict]:
        """The candidates of a look-up question, scored by the fitted model (`qa.answer.scorer`). Its most
        probable candidate leads (bench/train_answer_scorer.py); a list question keeps the rules' lead,
        and so does a question of few clauses where the rules pick better (`Scorer.many_clauses_only`).
        The model's probability for the lead decides whether it gives its short answer ("lead"), gives
        none ("no_short"), or the answer abstains ("abstain"). Where the rules lead ("rules"), the
        trust model's probabilities (`Scorer.trust`) come back by (sentence, phrase start), so that the
        phrase the rules end up leading with is weighed: under the trust model's `short_below` it is not
        shown in bold, under its `abstain_below` the answer abstains. (Their first pick's probability is
        not the test: a "who" question's rules may lead with another sentence's name, `_says_what_was_asked`,
        or the named outlet's, `_named_outlet_first`.)"""
        if sa.plural(query.asked):  # a list ("Which leaders …") is composed by the rules; the model scores one name
            return cands, "rules", {}
        few = self.scorer is not None and self.scorer.many_clauses_only and \
            not pool_of.many_clauses(query.text, query.terms)  # the rules lead; the question needs no parse
        if few and self.scorer.trust is None:  # and nothing weighs their pick: no pool to build
            return cands, "rules", {}
        head = cands[:pool_of.POOL_SENTENCES]
        texts = tuple({c.article_rowid: c.article.text for c in head}.values())
        options = pool_of.pool(query, cands, key_names(query), texts, self._idf)
        self.last_pool = options
        if self.scorer is None or not options:  # no model (training collects every look-up's pool this way)
            return cands, "rules", {}
        if few:  # the rules lead, and the trust model weighs the phrase they end up leading with (`build`)
            trust = self.scorer.trusted(options)
            return cands, "rules", {(id(o.cand), o.phrase.start): t for o, t in zip(options, trust)}
        self.scorer.score(options)
        best = max(options, key=lambda o: o.probability)
        if best.probability < self.scorer.abstain_below:
            return cands, "abstain", {}
        lead = best.cand
        lead.phrase = best.phrase
        return _leading(lead, cands), "no_short" if best.probability < self.scorer.short_below else "lead", {}

    def _described(self, name: str, cands: list[Candidate]):
        """(the best sentence close enough to the top that says what the person is, its span) or None."""
        top = cands[0].score
        for c in cands[: self.settings.typed_depth]:
            if c.score < top * self.settings.keep_ratio:
                break
            span = description(name, c.article.text, c.start, c.end, c.entities)
            if span:
                return c, span
        return None

    def _too_far(self, cands: list[Candidate]) -> bool:
        s = self.settings
        return not cands or (max(c.relevance for c in cands) < s.abstain_below and
                             max((c.relevance for c in cands if c.phrase), default=0.0) < s.abstain_below_with_phrase)

    def abstain(self, question: str, query: Query, hits: list[Hit], cands: list[Candidate],
                reason: str | None = None) -> Answer:
        closest = [self._source(i + 1, c) for i, c in enumerate(cands[:3])]
        reason = reason or "No passage in the indexed articles answers this question closely enough."
        text = "The indexed articles don't say. " + (
            "The closest passages are listed below." if closest else "Nothing related was found.")
        return Answer(question=question, text=text, sentences=[], sources=[], abstained=True, reason=reason,
                      closest=closest, hits=hits, notes=list(query.notes))

    def _source(self, number: int, c: Candidate) -> Source:
        return cite(number, c.article, c.text, c.start, c.end, c.score)

    @staticmethod
    def _agreement(query: Query, chosen: list[Candidate], sources: list[Source]) -> list[str]:
        notes = []
        by_number = {s.number: s for s in sources}
        for c in chosen:
            outlets = {by_number[n].outlet or by_number[n].article_id for n in range(1, len(sources) + 1)
                       if by_number[n].article_id in {m.article_id for m in [c, *c.also]}}
            if len(outlets) > 1:
                notes.append(f"{len(outlets)} sources agree on: “{_short(c.text)}” ({', '.join(sorted(outlets))}).")
        if query.asked.kind not in FIGURES:
            return notes  # figures are compared only when a figure was asked for
        lead = chosen[0]
        if lead.phrase is None:
            return notes
        for other in chosen[1:]:
            # only figures of the asked kind, about the asked party, from another article: the same thing counted
            if other.phrase is None or other.article_id == lead.article_id:
                continue
            a, b = _digits(lead.phrase.text), _digits(other.phrase.text)
            if a and b and a != b:
                who_a = speaker(lead.text) or _outlet(sources, lead)
                who_b = speaker(other.text) or _outlet(sources, other)
                notes.append(f"Accounts differ: {display(lead.phrase.text)} according to {who_a}; "
                             f"{display(other.phrase.text)} according to {who_b}.")
        return notes


def _named_speaker(speaker: str | None, query: Query) -> str | None:
    """The person whose words a question asks for, named ("According to Jake Sullivan, …", "How many
    battalions did Putin say …"); None for a country, a body or an outlet ("Moscow", "the Kremlin
    statement", "Le Figaro"), which speak through many people's sentences."""
    if not speaker or not speaker[:1].isupper() or any(compact(speaker) in compact(o) for o in query.outlets):
        return None
    words = speaker.split()
    if len(words) > 3 or any(not w[:1].isupper() or polity(w) or demonym(w) or w in AFFILIATIONS for w in words):
        return None
    return speaker


def _outlet(sources: list[Source], c: Candidate) -> str:
    for s in sources:
        if s.article_id == c.article_id and s.start == c.start:
            return s.outlet or (f"“{s.title}”" if s.title else s.article_id)
    return c.article_id


# kinds whose answer is a name that several sentences repeat; dates, times and figures are not pooled
# (one article's "Friday" is often another event's)
VOTING_KINDS = frozenset({"person", "who", "org", "place", "law"})
_KIND_WORDS = {"who": "person or organisation", "org": "organisation", "law": "law or bill", "name": "name"}
_CONTINUES = re.compile(r"^[“\"]?(?:It|Its|It’s|It's|This|That|These|Those|They|Such|Here|There|He|She)\b"
                        r"|^(?:A|An|The)\s+\w+\s+(?:that|which|who)\b")
_ATTRIBUTED = re.compile(rf"\b(?:{SAID}|told \w+)"
                         r"(?:\s+[A-Z][\w’'\-]+){0,3}\s*[.:]$")


ATTRIBUTION_WORDS = 16  # "That is a leverage of the West, “said Sullivan.”": a short sentence naming the speaker


def _said_next(c: Candidate, query: Query, after: Candidate | None) -> None:
    """"Who said …?" of a statement whose speaker the next sentence names ("… could exert pressure on
    Russia. That is a leverage of the West, “said Sullivan.”"): both sentences, the speaker as the answer."""
    if after is None or len(after.text.split()) > ATTRIBUTION_WORDS or "\n\n" in c.article.text[c.end:after.start]:
        return
    who = speaker(after.text)
    if not who:
        return
    text = c.article.text
    found = [p for p in sa.phrases(query.asked, query.text, text, after.start, after.end, after.entities)
             if p.text.endswith(who.split()[-1])]
    if found:
        c.phrase, c.phrases = found[0], found
        c.end, c.text = after.end, text[c.start:after.end]
        c.score = c.relevance  # the statement asked about, and who made it: no type penalty


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + "…"


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / max(1, len(a | b))
