"""What a question asks: its content terms, the keyword query, outlets and dates it names, and
the kind of answer it asks for (`qa.question.asked`)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from qa.archive.dates import find_dates  # one home for dates: "Dec. 7, 2021" is that day
from qa.archive.untrusted import without_escapes
from qa.errors import QuestionError
from qa.lexicon.words import STOPWORDS, compact, stem, tokens
from qa.question.asked import Asked, analyse_question
from qa.settings import QASettings

_WORDY = re.compile(r"\w", re.UNICODE)


def content_terms(text: str) -> list[str]:
    out, seen = [], set()
    for t in tokens(text):
        if t in STOPWORDS or (len(t) < 2 and not t.isdigit()):
            continue
        if t not in seen:
            seen.add(t)
            out.append(t)
    return out


def fts_query(terms: list[str]) -> str:
    """An OR query for FTS5: numbers as phrases ("100 000"), longer words by stem prefix. A word that a
    prefix of the query already matches ("team" beside "teams", read as "team"*) is left out: FTS5 would
    read its rows twice and bm25 count its occurrences twice."""
    words: list[tuple[str, bool]] = []
    for t in terms:
        pieces = re.findall(r"\w+", t)
        if not pieces:
            continue
        if len(pieces) > 1:
            words.append((" ".join(pieces), False))
            continue
        s = stem(t)
        words.append((s, True) if s != t and len(s) >= 4 else (t, False))
    prefixes = {w for w, prefix in words if prefix}
    parts = []
    for w, prefix in dict.fromkeys(words):
        if " " not in w and any(w.startswith(p) and (w, prefix) != (p, True) for p in prefixes):
            continue
        parts.append(f'"{w}"*' if prefix else f'"{w}"')
    return " OR ".join(parts)


def keyword_match(terms: list[str], doc_freq, total: int, common: float = QASettings.keyword_common,
                  min_total: int = 1000, max_terms: int | None = None) -> str:
    """The FTS5 query without the terms found in more than `common` of all chunks (on indexes of
    at least `min_total` chunks), and with at most `max_terms` of the rarest: bm25 gives common
    terms almost no weight, yet scoring every row that holds one is what makes keyword search slow
    at scale. All terms stay when all are common."""
    if total < min_total:
        return fts_query(terms)

    def df(t: str) -> int:
        return 0 if len(re.findall(r"\w+", t)) > 1 else doc_freq(stem(t), len(stem(t)) >= 4)

    kept = [t for t in terms if df(t) <= common * total] or terms
    if max_terms and len(kept) > max_terms:
        rarest = set(sorted(kept, key=df)[:max_terms])
        kept = [t for t in kept if t in rarest]
    return fts_query(kept)


@dataclass
class Query:
    text: str  # the question as asked (possibly cut)
    terms: list[str]
    match: str  # FTS5 query
    outlets: list[str] = field(default_factory=list)  # outlet names found in the question
    date_range: tuple[str | None, str | None] | None = None  # soft preference, ISO days
    notes: list[str] = field(default_factory=list)
    asked: Asked = field(default_factory=Asked)  # answer kind, focus, party and names (qa.question.asked)

    def names_outlet_of(self, article) -> bool:
        """The question names the article's outlet ("according to ARD")."""
        outlet = (article.source or "").casefold()
        return bool(outlet) and any(outlet == o.casefold() for o in self.outlets)


def check_question(question: str, max_chars: int) -> tuple[str, list[str]]:
    """Normalize a question or refuse it with one clear line."""
    if question is None or not question.strip():
        raise QuestionError("The question is empty; type a question about the indexed articles.")
    q = without_escapes(unicodedata.normalize("NFC", question))  # `\x1b[31m` goes whole, not as `[31m`
    q = "".join(ch if ch.isprintable() or ch in " \n\t" else " " for ch in q)  # no control codes
    q = " ".join(q.split())
    if not _WORDY.search(q):
        raise QuestionError("The question has no words in it; ask about something the articles cover.")
    notes = []
    if len(q) > max_chars:
        q = q[:max_chars].rsplit(" ", 1)[0]
        notes.append(f"The question was cut to its first {max_chars:,} characters.")
    return q, notes


OUTLET_WORDS = 8  # an outlet's name runs over at most this many words ("Cnbc | World Business News Leader")


def find_outlets(question: str, outlets: list[str]) -> list[str]:
    """The outlets a question names, however it spaces them ("Le Figaro" is the outlet `lefigaro`).
    A name that is also an English word must be written as a name: "The Age" and "Fortune", not "at
    the age of 16" or "a fortune"; "techcrunch" and "lefigaro" in lower case are still outlets."""
    words = re.findall(r"[\w'’.&-]+", question)
    # compact() drops spaces and works a character at a time, so a run's key is its words' keys joined
    keys = [compact(w) for w in words]
    spans: dict[str, bool] = {}  # compacted run of words -> written with a capital
    for n in range(1, OUTLET_WORDS + 1):
        for i in range(len(words)):
            key = "".join(keys[i:i + n])
            spans[key] = spans.get(key, False) or words[i].lstrip("'’.&-")[:1].isupper()
    found = []
    for name, bare, whole in _outlet_keys(tuple(outlets)):
        hit = next((k for k in (bare, whole) if len(bare) >= 3 and k in spans), None)
        if hit is not None and (spans[hit] or not _english_word(bare)):
            found.append(name)
    return found


@lru_cache(maxsize=8)
def _outlet_keys(outlets: tuple[str, ...]) -> tuple[tuple[str, str, str], ...]:
    """(name, its compacted form without a leading "the", its compacted form) of each outlet."""
    out = []
    for name in outlets:
        key = name.casefold()
        out.append((name, compact(key[4:] if key.startswith("the ") else key), compact(key)))
    return tuple(out)


def _english_word(word: str) -> bool:
    from qa.question.spelling import english  # the frequency list loads (0.2 s) only for a lower-case outlet name

    return word in english()


def _without_outlets(terms: list[str], outlets: list[str]) -> list[str]:
    """An outlet the question names is a filter, not words its answer must hold."""
    keys = [compact(o) for o in outlets]
    return [t for t in terms if not any(t in key for key in keys)]  # "Le Figaro": le, figaro


def analyse(question: str, outlets: list[str], max_chars: int) -> Query:
    text, notes = check_question(question, max_chars)
    named = find_outlets(text, outlets)
    terms = _without_outlets(content_terms(text), named)
    return Query(text=text, terms=terms, match=fts_query(terms), outlets=named,
                 date_range=find_dates(text), notes=notes,
                 asked=analyse_question(text))
