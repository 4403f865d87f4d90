"""The answer phrase of a typed question, sentence by sentence and across sentences.

For each candidate sentence: the phrases of the asked kind that could answer (`c.phrases`, which
all take part in the vote) and, among those that also meet the question's names and have its words
around them, the best (`c.phrase`), with the sentence re-scored around that phrase. Then the vote:
the name that most articles give leads. And a surname alone is shown under the full name its
article uses.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from qa.answer import short_answer as sa
from qa.answer.describe import role_tie
from qa.lexicon.names import gender_in, mentions, without_possessive
from qa.lexicon.titles import ROLE, role_aliases, titled_other_side
from qa.question.asked import PEOPLE
from qa.question.query import Query
from qa.question.structure import asked_role
from qa.settings import QASettings

FULL_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_SETTING = re.compile(r",?\s+(?:on|in|near)\s+|,\s+")  # "Sochi| on |the Black Sea", "Geneva|, |Switzerland"
_LIST_GOES_ON = re.compile(r",?\s+(?:and|or)\s+|,\s+")


def _place_at(lead, at: int) -> tuple[int, int] | None:
    """The place the index tagged in the sentence starting at `at` (the tagger may take a "the" in or not)."""
    text = lead.article.text
    return next(((s, e) for s, e, lab in lead.entities if lab in PLACE_LABELS and s >= at
                 and text[at:s] in ("", "the ")), None)


class Phrasing:
    def __init__(self, index, settings: QASettings, idf: Callable[[str], float]):
        self.index = index
        self.settings = settings
        self.idf = idf

    def full_name(self, lead, others: tuple = ()) -> str:
        """A name the lead gives in part, under the fullest form its article gives: a person by
        surname or first name alone ("Messi", "Sam": "Lionel Messi", "Sam Altman"), an organisation or
        a place by its last words ("Vikings": "Minnesota Vikings"); any other phrase as it stands. An
        article that never writes the name in full borrows the form from the other articles retrieved
        with it (`others`: their stored rows), if they agree on one."""
        p = lead.phrase
        name = p.text[max(0, p.core - p.start):]
        if p.label not in FULL_NAME_LABELS or p.items > 1 or len(name.split()) > 1 and p.label == "PERSON":
            return p.text
        low = name.casefold()
        fuller = self._fuller(lead.article_rowid, lead.article.text, p.label, name, low)
        if not fuller:
            fuller = [f for rowid, text in others if rowid != lead.article_rowid
                      for f in self._fuller(rowid, text, p.label, name, low)]
        counts = sorted(((fuller.count(f), f) for f in set(fuller)), reverse=True)
        if not counts or len(counts) > 1 and counts[0][0] == counts[1][0]:
            return p.text  # none, or two people it could be ("Sam": Sam Altman and Sam Bankman-Fried)
        return p.text[: max(0, p.core - p.start)] + counts[0][1]  # the fuller form the articles use most

    @staticmethod
    def setting(lead) -> str:
        """What the sentence places a place answer in, right after it: "Sochi" in "was in Sochi on the Black
        Sea" is "Sochi, on the Black Sea"; "Geneva, Switzerland". The next words must be a place the index
        tagged (an entity of PLACE_LABELS) after "on", "in", "near" or a comma alone; else nothing."""
        p, text = lead.phrase, lead.article.text
        joint = _SETTING.match(text, p.end, lead.end)
        if p.label not in PLACE_LABELS or joint is None:
            return ""
        place = _place_at(lead, joint.end())
        if place is None:
            return ""
        more = _LIST_GOES_ON.match(text, place[1], lead.end)
        if more is not None and _place_at(lead, more.end()) is not None:  # "Geneva, Brussels and Vienna": a list
            return ""
        words = re.sub(r"^,?\s*", "", text[p.end:place[1]])
        return f", {words}"

    def _fuller(self, rowid: int, text: str, label: str, name: str, low: str) -> list[str]:
        """Every fuller form of the name that an article's entities of its label give."""
        forms = [without_possessive(re.sub(r"^[Tt]he\s+", "", text[s:e]))  # "Sam Altman’s": Sam Altman
                 for s, e, lab in self.index.entities(rowid, 0, len(text))
                 if lab == label or label == "PERSON" and lab == "ORG" and sa.personal(text[s:e])]
        if label == "PERSON":  # the tagger reads some full names as organisations: "Brock Purdy"
            return [f for f in forms if len(f.split()) > 1
                    and low in (f.split()[0].casefold(), f.split()[-1].casefold())]
        return [f for f in forms if len(f) > len(name) and " " in f and (f.casefold().endswith(" " + low)
                or len(low) >= 3 and f.split()[0].casefold().startswith(low))]  # "Vikings", "Fed": the Federal Reserve

    def answer_phrase(self, c, query: Query, names: list[str], before, window_cos: dict, others=()) -> None:
        """The phrases of a sentence that answer a typed question (`c.phrases`), the best of them
        (`c.phrase`), and the sentence's score read around that phrase. `others`: the texts of every
        retrieved article, where a person's title may say which side they are on."""
        s, asked, text = self.settings, query.asked, c.article.text
        aliases = role_aliases(asked.located, others) if asked.located and others else ()
        found = sa.phrases(asked, query.text, text, c.start, c.end, c.entities, aliases)
        c.found = found
        right = [p for p in found if sa.role_ok(asked, p, c.text)]
        c.wrong_party = bool(found) and not right
        # "Which Russian general…": titled so here, or in another sentence the articles give
        right = [p for p in right if sa.described_anywhere(asked, text, p, c.start, c.end, others)]
        role = asked_role(query.text)
        if role is not None:  # "Who is Germany's finance minister?": the text must give the name that title
            c.role_ties = {p: role_tie(role, text, c.start, c.end, p.start, p.core, p.end) for p in right}
            right = [p for p in right if c.role_ties[p]]
        credit = any(sa.credit_line(text, p, c.start, c.end) for p in found)  # stands alone: "Name, ARD Moscow"
        context = before.text if before is not None and not credit else ""
        # "Which French politician…": said to be French here, or titled in an article on France
        if asked.side and asked.kind != "place" and right and not mentions(context + " " + c.text, asked.side):
            article = mentions(text, asked.side)  # read once for the sentence, not once a phrase
            right = [p for p in right if p.core > p.start and article]
        if role is None and asked.kind in PEOPLE and asked.focus and ROLE.fullmatch(asked.focus) and \
                not sa.plural(asked):  # "Which Kremlin adviser …": titles that describe the person
            c.titles = {p: sa.titled_as_asked(asked, text, p, c.start, c.end, others) for p in right}
        if asked.titled and role is None:  # a role question: role_tie has read the title and its owner
            right = [p for p in right if sa.on_side(asked, text, p)]
        if asked.side and asked.kind in PEOPLE and right and others:  # "Which Russian official…"
            right = [p for p in right if p.label != "PERSON" or not titled_other_side(p.text, asked.side, others)]
        wanted = _wanted_gender(asked.gender, tuple(asked.names), others) if asked.gender and right and others else None
        if wanted:  # "Who is the pop star … her relationship with a Chiefs TE": not a man the articles call "he"
            right = [p for p in right if p.label != "PERSON" or gender_in(p.text, others) in (wanted, None)]
        c.phrases = right  # all of the asked side take part in the vote, whatever names their sentence gives
        if not sa.names_met(names, c.text, context, others):
            right = []  # the sentence is about something else than the question's names
        supports = {p: sa.support(asked, query.terms, text, p, c.start, c.end) for p in right}
        acronyms = re.findall(r"\b[A-Z]{3,8}\b", query.text)
        conjuncts = {p: sa.conjunct_support(query.terms, acronyms, text, p, c.start, c.end) for p in right}
        if asked.kind != "name":  # on its own, a phrase of the right kind needs the question's words around it
            sole = len(right) == 1 and c.lexical >= s.sole_phrase_lexical  # the one date the sentence gives
            right = [p for p in right if supports[p][0] >= s.min_support or sole or
                     max(supports[p][1], conjuncts[p]) >= s.min_support_terms]
        near = {p: self.similarity(c.article_rowid, p, window_cos) for p in right}
        c.phrase = sa.best(asked, text, right, {p: supports[p][0] for p in right}, near, conjuncts, c.start, c.end,
                           c.titles)
        if c.phrase is None:
            c.score *= s.role_penalty if c.wrong_party else s.type_penalty
            return
        c.support = (supports.get(c.phrase) or sa.support(asked, query.terms, text, c.phrase, c.start, c.end))[0]
        c.score = (max(c.dense, self.similarity(c.article_rowid, c.phrase, window_cos))
                   + s.lexical_weight * c.lexical + s.prior_weight * c.prior + s.support_weight * c.support)
        c.relevance = max(c.relevance, c.score)
        if sa.plural(asked) and c.phrase.items == 1:
            c.score *= s.single_penalty  # "Which leaders…": a sentence that lists them answers better

    def titled_first(self, cands: list) -> None:
        """Where some sentence gives a name the asked role by a title that names its owner ("Wallabies
        coach Eddie Jones"), a name only titled near the owner ("coach Joe Schmidt for the vacant
        Wallabies job") answers no more (`qa.answer.describe.role_tie`). Likewise, where a "which <role>"
        question describes the person, names whose titles hold fewer of its words than the best title
        does answer no more."""
        self._best_titled(cands)
        if not any(t == 2 for c in cands for t in c.role_ties.values()):
            return
        for c in cands:
            if not c.role_ties:
                continue
            c.phrases = [p for p in c.phrases if c.role_ties.get(p) == 2]
            if c.phrase is not None and c.role_ties.get(c.phrase) != 2:
                c.phrase = c.phrases[0] if c.phrases else None
                if c.phrase is None:
                    c.score *= self.settings.type_penalty

    def _best_titled(self, cands: list) -> None:
        """"Which National Security Council official responsible for Russia …?": where some sentence titles a
        name with at least `title_words` of the question's words for the person ("Director for Russia at the
        National Security Council Eric Green"), a name whose title holds fewer ("national security adviser Jake
        Sullivan", or none: "Secretary of State Antony Blinken") is not the person described."""
        top = max((t for c in cands for t in c.titles.values()), default=0)
        if top < self.settings.title_words:
            return
        for c in cands:
            if not c.titles:
                continue
            c.phrases = [p for p in c.phrases if c.titles.get(p, 0) >= top]
            if c.phrase is not None and c.titles.get(c.phrase, 0) < top:
                c.phrase = c.phrases[0] if c.phrases else None
                if c.phrase is None:
                    c.score *= self.settings.type_penalty

    def vote(self, cands: list) -> None:
        """Several articles naming the same answer outweigh one sentence: the phrase that most of
        the best sentences give, pooled per article (an article counts once, with its best
        sentence's score) and weighted by how rare its name is in the index, leads from its best
        sentence, once at least `vote_min` articles give it."""
        s = self.settings
        best: dict[tuple[str, int], float] = {}
        for c in cands[: s.vote_depth]:
            for k in {sa.key(p) for p in c.phrases}:
                weight = c.score * (1.0 if c.phrase is not None and sa.key(c.phrase) == k else s.vote_other)
                best[(k, c.article_rowid)] = max(best.get((k, c.article_rowid), 0.0), weight)
        votes: dict[str, float] = {}
        voters: dict[str, int] = {}
        for (k, _), weight in best.items():
            votes[k] = votes.get(k, 0.0) + weight
            voters[k] = voters.get(k, 0) + 1
        for k in votes:  # a name that half the archive repeats ("Ukraine") is weak evidence of anything
            words = re.findall(r"\w+", k)
            votes[k] *= self.idf(max(words, key=len)) ** s.vote_idf_power if words else 1.0
        if not votes:
            return
        winner = max(votes, key=votes.get)
        if voters[winner] < s.vote_min:
            return
        for c in cands:
            same = next((p for p in c.phrases if sa.key(p) == winner), None)
            if same is not None:
                if c.phrase is None:
                    c.score /= s.type_penalty  # it does name the answer, after all
                c.phrase = same
                c.score *= 1 + s.vote_boost
        cands.sort(key=lambda c: c.score, reverse=True)

    @staticmethod
    def similarity(rowid: int, phrase: sa.Phrase, window_cos: dict) -> float:
        """The best similarity to the question of a window that holds the phrase."""
        return max((x for ws, we, x in window_cos.get(rowid, ()) if ws <= phrase.start and phrase.end <= we),
                   default=0.0)


@lru_cache(maxsize=256)
def _wanted_gender(gender: str, names: tuple[str, ...], texts: tuple[str, ...]) -> str | None:
    """The gender the asked person must have: the question's pronouns', unless a name the question uses
    has that gender in the articles ("Who did Biden meet with his ministers?": his is Biden's)."""
    return None if any(gender_in(n, texts) == gender for n in names) else gender
