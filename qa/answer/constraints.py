"""The key constraints of a question, checked against candidate sentences before one is chosen.

A near miss (a question about something the articles never mention, or about an event that had
not happened when they were written) must get "the articles don't say", not a topical sentence:
- every proper name the question uses must be named by some retrieved article (its text, title
  or outlet); a sentence whose own article names them all is preferred;
- a question about what did happen is not answered by a sentence that announces it for later
  ("will be followed by … on Thursday"), unless the sentence reports someone saying so, or the question
  asks when: then the day announced answers it, with a note that the articles only announce it;
- an event the question dates (a month, perhaps a day) cannot be reported by an article published
  before that date;
- an outlet the question names must have come up, and one it cites that the index holds no article
  of ("a report by Bloomberg", "a New York Times article", `unindexed_outlets`) cannot be answered for;
- a question that asks for no kind of thing, about one word no indexed window holds in any form
  ("What did Biden and Putin eat?"), is not answered;
- a question that has a meeting held in person ("when they met face to face") is not answered when the
  closest passages naming its people have them meet by video or phone.
"""

from __future__ import annotations

import re

from index.ingest.outlets import named_in, outlet_key
from qa.answer.candidates import many_clauses
from qa.archive.dates import latest_year, names_year, period_start
from qa.lexicon.names import demonym, mentions, regional
from qa.lexicon.verbs import SAID, past_form, verb_forms
from qa.lexicon.words import AUXILIARIES, CALENDAR, compact, in_person, indexed
from qa.question.asked import KIND_NOUNS
from qa.question.structure import told

_FUTURE = re.compile(r"\b(?:will|shall|is to be|are to be|is scheduled|are scheduled|scheduled for|is due to|"
                     r"are due to|is set to|are set to|is expected to|are expected to|upcoming|is being held|are being held|is taking place|are taking place|will take place)\b", re.I)
_REPORTED = re.compile(rf"\b(?:{SAID}|according to|hoped|hopes|expects|expected that)\b", re.I)
# a verb of saying to someone the sentence does not name: "said to his counterpart", "told him"
_TOLD_UNNAMED = re.compile(rf"\b{SAID}\s+(?:to\s+)?(?:him|her|them|(?:his|her|their)\s+\w+)\b")
_WH = re.compile(r"^\s*(?:\w+\s+){0,2}?(?:what|which|who|whom|when|where|how)\b", re.I)  # not a yes/no question
# "after the video summit": the event a question times itself by ("during" is left out: "during the
# conversation" is the meeting the article calls an interview)
_ANCHOR = re.compile(r"\b(?:after|before|following|since|ahead of)\s+(?:the|this|that|their|his|her|its)\s+"
                     r"((?:[a-z][\w-]*\s+){0,2}?[a-z][\w-]*)"
                     r"(?=\s*(?:[?,.;]|$|\s(?:in|on|at|with|of|by|between|and|to)\b))", re.I)
# a publication the question cites: "a report by Bloomberg", "an article from The Verge", "a New York Times
# article", "Bloomberg's report", "as reported by Forbes". "according to X" is left out: X is as often a person
_SOURCE_NAME = r"(?:[Tt]he\s+)?[A-Z][\w'’&.-]*(?:\s+(?:of\s+|&\s+|and\s+)?[A-Z][\w'’&.-]*){0,4}"
_SOURCE_KIND = r"(?:article|report|piece|review|story|coverage|op-ed|analysis|post|interview|column|editorial)s?"
_OWN_KIND = r"(?:article|report|piece|review|story|op-ed|post|column|editorial)s?"  # "X coverage": X is the topic
_CITED = (re.compile(rf"\b{_SOURCE_KIND}\s+(?:published\s+)?(?:from|by|in)\s+['\"‘“]?(?P<name>{_SOURCE_NAME})"),
          re.compile(rf"['\"‘“]?(?P<name>{_SOURCE_NAME})['\"’”]?(?:['’]s)?\s+{_OWN_KIND}\b"),
          re.compile(rf"\b(?:as\s+reported\s+by|reported\s+by|as\s+per)\s+['\"‘“]?(?P<name>{_SOURCE_NAME})"))
_NOT_A_NAME = {"the", "a", "an", "this", "that", "these", "which", "what", "who", "considering", "based", "both",
               "another", "separate", "recent", "latest", "did", "does", "do", "is", "was", "were", "are", "has",
               "have", "had", "between", "after", "before", "in", "on", "how", "when", "according", "as", "from",
               "by", *CALENDAR}
PREMISE_DEPTH = 20  # best sentences read for how a meeting the question has held in person was held
FEW_NAMES = 2  # a question naming more (several articles joined) abstains only when half of them are unknown


def _is_name(name: str) -> bool:
    low = name.casefold()
    return low not in CALENDAR and not low.isdigit() and len(low) >= 2


def _article_mentions(article, name: str) -> bool:
    return any(mentions(part, name) for part in (article.text, article.title or "", article.source or ""))


def looks_ahead(text: str) -> bool:
    """The sentence speaks of something still to come ("will", "is due to", "would speak")."""
    return bool(_FUTURE.search(text) or re.search(r"\bwould\b", text))


def announced_only(text: str) -> bool:
    """The sentence announces something for later and reports no one saying so ("It will be followed by …")."""
    return bool(_FUTURE.search(text)) and not _REPORTED.search(text)


def _unknown(name: str, doc_freq) -> bool:
    """No indexed window holds one of the name's words ("Istanbul")."""
    words = [w.casefold() for w in re.findall(r"[^\W\d_]{3,}", name)]
    return not all(indexed(w, doc_freq) for w in words)


def _topic_unknown(query, doc_freq) -> str | None:
    """The word a question asks about when no indexed window holds it in any form, and it is the
    only thing the question asks besides its names and the kind of answer: "What did Biden and
    Putin eat?"."""
    named = {w.casefold() for n in query.asked.names for w in re.findall(r"\w+", n)}
    rest = [t for t in query.terms if t not in named and t not in KIND_NOUNS and not t.isdigit()
            and not t.endswith("ly")]  # "What did he say, specifically?": a manner, not a topic
    if len(rest) != 1:
        return None
    word = rest[0]
    return None if any(indexed(f, doc_freq) for f in verb_forms(word)) else word


def anchor_event(text: str) -> str | None:
    """The head noun of the event a question times itself by: "summit" in "… after the video summit?"."""
    m = _ANCHOR.search(text)
    return m.group(1).split()[-1] if m else None


def _names_event(article, head: str) -> bool:
    pattern = re.compile(rf"\b{re.escape(head.rstrip('s'))}s?\b", re.I)
    return any(pattern.search(part) for part in (article.text, article.title or ""))


_WHICH_NOUN = re.compile(r"^\s*(?:(?:in|on|at|from|to|for|with|by|of|under|during)\s+)?which((?:\s+[a-z][\w-]*){1,3})",
                         re.I)


def _thing_unknown(query, doc_freq) -> str | None:
    """The kind of thing a "which" question asks for, when no indexed window names one in any
    form: "Which hotel hosted the Geneva talks?" in an archive that never mentions a hotel."""
    m = _WHICH_NOUN.match(query.text)
    if not m:
        return None
    phrase = []  # "which multilateral meetings were…": the noun ends where the verb starts
    for w in m.group(1).casefold().split():
        if w in AUXILIARIES or past_form(w):
            break
        phrase.append(w)
    word = phrase[-1] if phrase else None
    if word is None or len(word) < 3 or word in KIND_NOUNS:
        return None
    return None if indexed(word, doc_freq) else word  # "hotels" too: a stem prefix


def key_names(query, outlets: list[str] | None = None) -> list[str]:
    """The names a question's answer must meet: not dates, not the outlets it names (metadata); `outlets`:
    leave out any of these outlets instead ("Le Figaro's 9 January report" in a claim cut from the question)."""
    outlets = [compact(o) for o in (query.outlets if outlets is None else outlets)]  # "Le Figaro" is lefigaro
    return [n for n in query.asked.names if _is_name(n) and n != query.asked.side and not regional(n)
            and not any(compact(n) in o or o in compact(n) for o in outlets)]


def names_found(names: list[str], articles: dict, doc_freq=None) -> tuple[dict, list[str], list[str]]:
    """Which of `names` each article (rowid -> row) mentions (by any form: "OSCE" for the Organization for
    Security and Co-operation in Europe); the names none of them mentions; and of those, the ones no indexed
    window holds a word of, unknown to the whole archive (`doc_freq(term, prefix)`)."""
    named = {rowid: {n for n in names if _article_mentions(a, n)} for rowid, a in articles.items()}
    missing = [n for n in names if not any(n in found for found in named.values())]
    unknown = [n for n in missing if doc_freq is not None and _unknown(n, doc_freq)]
    return named, missing, unknown


def unmet(query, cands: list, settings, doc_freq=None) -> tuple[list, str | None]:
    """(the candidates that meet the question's constraints, best first; else why none does).
    `doc_freq(term, prefix)` counts the index's windows holding a word: a name none of them holds is
    unknown to the whole archive, however many other names the question uses."""
    asked = query.asked
    names = key_names(query)
    if names:
        articles = {c.article_rowid: c.article for c in cands}
        named, missing, unknown = names_found(names, articles, doc_freq)
        if unknown:
            return [], f"The indexed articles never mention {unknown[0]}."
        if missing and (len(names) <= FEW_NAMES or 2 * len(missing) >= len(names)):  # known, but not here:
            return [], (f"None of the articles found for this question (and its filters, if any) mentions "
                        f"{missing[0]}, though the index holds its words elsewhere.")  # a filter may hide them
        for c in cands:
            if len(named[c.article_rowid]) < len(names):
                c.score *= settings.name_penalty
        cands = sorted(cands, key=lambda c: c.score, reverse=True)
    hearers, tellers = told(query.text) if not many_clauses(query.text, query.terms) else ((), ())  # (a clue of many)
    if hearers:  # "What did Scholz tell Biden …?": a sentence of his that tells no one, or someone else, does not say
        cands = [c for c in cands if all(mentions(c.text, n) for n in tellers) and  # ("said to his counterpart": who)
                 (all(mentions(c.text, n) for n in hearers) or _TOLD_UNNAMED.search(c.text))]
        if not cands:
            return [], f"No passage reports {' and '.join(tellers) or 'anyone'} telling {' and '.join(hearers)} this."
    head = anchor_event(query.text)
    if head:  # an article that never names the event is about another time (the call before the Geneva talks)
        articles = {c.article_rowid: c.article for c in cands}
        naming = {rowid for rowid, a in articles.items() if _names_event(a, head)}
        if naming and len(naming) < len(articles):
            for c in cands:
                if c.article_rowid not in naming:
                    c.score *= settings.name_penalty
            cands = sorted(cands, key=lambda c: c.score, reverse=True)
    # "What did Biden and Putin sign when they met face to face?": the closest passages naming them have them meet
    # by video. The premise is contradicted, so the answer is not a passage about what they did
    if in_person(query.text):
        theirs = [c for c in cands[:PREMISE_DEPTH]
                  if sum(mentions(c.text, n) for n in names) >= min(FEW_NAMES, len(names))]
        manners = [in_person(c.text) for c in theirs]
        if False in manners and True not in manners:
            remote = theirs[manners.index(False)]
            who = " and ".join(n for n in names if mentions(remote.text, n))
            return [], (f"The closest passages naming {who} report their meeting as held remotely (by video or "
                        f"phone), not in person: “{remote.text.strip()}”")
    # "according to ARD": none of that outlet's articles came up. (Leading only with the named outlets'
    # sentences, or demoting the others, cost MultiHop inference lead_correct 0.764 -> 0.730 / 0.747: the
    # fact asked for is often put best by another outlet; the answer then says so, see Composer.build.)
    if query.outlets and not any(query.names_outlet_of(c.article) for c in cands):
        return [], f"No passage found in the articles from {' or '.join(query.outlets)} says this."
    # only a question that asks for no kind of thing: "Which university does Simon Miles teach at?" is answered
    # by "historian … at Duke University", though no article says "teach"
    topic = _topic_unknown(query, doc_freq) if doc_freq is not None and asked.kind is None \
        and not re.match(r"\s*how\b", query.text, re.I) else None  # "How did Putin respond?": a manner, said otherwise
    if topic:
        return [], f"The indexed articles never use the word “{topic}” in any form."
    thing = _thing_unknown(query, doc_freq) if doc_freq is not None and asked.kind is None else None
    if thing:
        return [], f"The indexed articles never mention any {thing}."
    dated = next((c.article.published_at for c in cands if c.article.published_at), None)
    # "What happened on 9 December?" (past) and "Who won the 2022 election?" (a year: no tense needed); a
    # month alone in a question without tense ("…achieved 100 million users in March") may be either March
    dated_question = asked.past or names_year(query.text)
    if not asked.future and dated_question and dated and period_start(query.text, dated, True):
        latest = max(c.article.published_at[:10] for c in cands if c.article.published_at)

        def too_early(c) -> bool:
            """Published before the asked date, or the sentence dates its own event earlier."""
            start = period_start(query.text, c.article.published_at, True)
            if start is not None and c.article.published_at[:10] < start.isoformat():
                return True
            start = start or period_start(query.text, dated, True)
            if not c.article.published_at and names_year(query.text) and latest < start.isoformat() \
                    and (latest_year(c.article.text) or 0) < start.year:
                return True  # undated, beside articles all older than the year asked, and naming none as late
            said = period_start(c.text, start.isoformat())
            return said is not None and said < start

        kept = [c for c in cands if not too_early(c)]
        if not kept:
            return [], "The articles were published before the date the question asks about, so they cannot report it."
        cands = kept
    # "What did the council decide at its Thursday meeting?": what an announcement cannot say. "When was the
    # council's meeting held?" is answered with the day announced, and a note that says so (Composer.build)
    if asked.past and _WH.match(query.text) and cands and cands[0].phrase is None \
            and announced_only(cands[0].text) \
            and not any(c.phrase and not announced_only(c.text) for c in cands[:settings.typed_depth]):
        # read after the dates: the best sentence that is left. A close one that names what a look-up asks for
        # and reports it ("the US delegation, headed by Wendy Sherman") answers "Who led the US delegation?"
        return [], "The articles announce this for later; none reports how it went."
    return cands, None


def cited_sources(question: str) -> list[str]:
    """The publications a question cites by name, as written ("Bloomberg", "New York Times")."""
    out = []
    for pattern in _CITED:
        for m in pattern.finditer(question):
            name = re.sub(r"['’]s?$", "", re.sub(r"^[Tt]he\s+", "", m.group("name").strip(" '\"‘’“”")))
            words = name.split()
            while words and words[0].casefold() in _NOT_A_NAME:
                words = words[1:]
            if not words or words[0].casefold() in _NOT_A_NAME or len(words) == 1 and demonym(words[0]):
                continue  # "the German report": a nationality, not a publication
            if " ".join(words) not in out:
                out.append(" ".join(words))
    return out


def unindexed_outlets(question: str, outlets: list[str]) -> list[str]:
    """The publications the question cites that no indexed outlet's name holds or is held by ("CNBC" is
    the outlet "Cnbc | World Business News Leader"): a claim from them cannot be checked here. Besides the
    publications it cites as such (`cited_sources`), a known outlet named anyhow ("according to Le Monde",
    `index.ingest.outlets.named_in`) is one. On all 1,705 MultiHop-RAG questions this finds one in 165 of the
    208 unanswerable ones (154 by `cited_sources` alone) and in 1 of the 1,497 others (a quoted title's last
    words before "article")."""
    known = [compact(o) for o in outlets]
    cited = cited_sources(question)
    cited += [n for n in named_in(question) if not any(outlet_key(n) == outlet_key(c) for c in cited)]  # "Le Monde"
    return [name for name in cited
            if len(compact(name)) >= 3 and not any(compact(name) in k or k in compact(name) for k in known)]
