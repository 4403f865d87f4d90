"""What an index holds, for a first screen and a title search: counts, outlets, dates, example
questions made from the index itself, and every article's title (or its first words).

Built once per index state by `Assistant.overview()`; everything here is plain data and pure
functions, so the TUI can count what a filter leaves or search titles as the user types.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from qa.archive.naming import TITLE_WORDS, first_words  # noqa: F401 - first_words: also imported from here
from qa.lexicon.titles import title_word
from qa.lexicon.words import CALENDAR, STOPWORDS
from qa.types import Filters


@dataclass(frozen=True)
class OverviewSettings:
    sample_articles: int = 200  # newest articles read for frequent names (the rest only by title)
    sample_chars: int = 3000  # of each sampled article's text
    title_words: int = TITLE_WORDS  # an untitled article is shown by this many first words (qa.archive.naming)
    examples: int = 3
    example_candidates: int = 12  # questions asked at most to find examples with a short answer
    max_example_chars: int = 70  # so "1  <question>" fits one line at 80 columns


@dataclass(frozen=True)
class ArticleEntry:
    id: str
    title: str  # the stated title, else the article's first words (ending in "…")
    titled: bool  # False when `title` is the article's first words
    outlet: str | None
    day: str | None  # YYYY-MM-DD


@dataclass(frozen=True)
class Overview:
    entries: tuple[ArticleEntry, ...]
    examples: tuple[str, ...] = ()

    @property
    def articles(self) -> int:
        return len(self.entries)

    @property
    def outlets(self) -> list[tuple[str, int]]:
        """(outlet, articles), most articles first; outlets differing only in case counted as one."""
        names: dict[str, str] = {}
        counts: Counter[str] = Counter()
        for e in self.entries:
            if e.outlet:
                key = e.outlet.casefold()
                names.setdefault(key, e.outlet)
                counts[key] += 1
        return [(names[k], n) for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]

    @property
    def no_outlet(self) -> int:
        return sum(1 for e in self.entries if not e.outlet)

    @property
    def undated(self) -> int:
        return sum(1 for e in self.entries if not e.day)

    @property
    def date_range(self) -> tuple[str, str] | None:
        days = sorted(e.day for e in self.entries if e.day)
        return (days[0], days[-1]) if days else None

    @cached_property
    def _titles(self) -> dict[str, str]:
        return {e.id: e.title for e in self.entries}

    def title_of(self, article_id: str) -> str | None:
        return self._titles.get(article_id)

    def count(self, filters: Filters | None) -> int:
        """How many articles pass `filters` (the same rule the searches apply)."""
        return sum(1 for e in self.entries if passes(e, filters))

    def find_titles(self, text: str, limit: int = 20) -> list[ArticleEntry]:
        """Articles whose title holds every word of `text` (as a word start), best match first."""
        words = text.casefold().split()
        if not words:
            return []
        found = []
        for e in self.entries:
            title = e.title.casefold()
            starts = [_word_start(title, w) for w in words]
            if all(s >= 0 for s in starts):
                found.append((title.startswith(words[0]) is False, sum(starts), e.title, e))
        found.sort(key=lambda f: f[:3])
        return [f[3] for f in found[:limit]]


def passes(entry: ArticleEntry, filters: Filters | None) -> bool:
    """Whether an article passes: the rule of `index.embedded.sql.filter_clause`, on one article."""
    if filters is None or not filters.active:
        return True
    if filters.outlets or filters.no_outlet:
        chosen = {s.casefold() for s in filters.outlets}
        if not ((entry.outlet and entry.outlet.casefold() in chosen) or (filters.no_outlet and not entry.outlet)):
            return False
    if filters.since or filters.until or filters.no_date:
        in_range = bool(entry.day) and bool(filters.since or filters.until) and (
            (not filters.since or entry.day >= filters.since.isoformat())
            and (not filters.until or entry.day <= filters.until.isoformat()))
        if not (in_range or (filters.no_date and not entry.day)):
            return False
    return True


def _word_start(title: str, word: str) -> int:
    for m in re.finditer(re.escape(word), title):
        if m.start() == 0 or not title[m.start() - 1].isalnum():
            return m.start()
    return -1


# --- example questions ----------------------------------------------------------------------------

_NAME = re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*\b")
_NOT_NAMES = STOPWORDS | CALENDAR | {"status", "mr", "mrs", "ms", "today", "yesterday"}
# Russian(s), Chinese, British, European(s), American(s): adjectives and peoples, not names to ask about
_ADJECTIVE_ENDINGS = ("ian", "ians", "ese", "ish", "ean", "eans", "can", "cans")


def _names(text: str) -> list[str]:
    names = []
    for m in _NAME.finditer(text):
        words = m.group(0).replace("-", " ").split()
        while words and ({words[0].casefold(), words[0].casefold().removesuffix("s")} & _NOT_NAMES
                         or title_word(words[0])):  # "Presidents"
            words = words[1:]
        if words:
            names.append(" ".join(words))
    return names


def full_names(people: list[set[str]]) -> list[str]:
    """Full names of people (two or three words), most mentioned first: the articles naming each
    one, in full or by surname alone. `people` holds each article's PERSON entities."""
    full: Counter[str] = Counter()
    alone: Counter[str] = Counter()
    for names in people:
        clean = {" ".join(n.split()).removesuffix("'s").removesuffix("’s") for n in names}
        full.update(n for n in clean if 2 <= len(n.split()) <= 3 and n.replace(" ", "").replace("-", "").isalpha())
        alone.update(n for n in clean if len(n.split()) == 1)
    ranked = sorted(full, key=lambda n: (-(full[n] + alone[n.split()[-1]]), n))
    out: list[str] = []
    for name in ranked:  # one full name a surname ("Joe Biden", not also "Hunter Biden" first)
        if all(name.split()[-1] != o.split()[-1] for o in out):
            out.append(name)
    return out


def example_questions(titles: list[str], texts: list[str], limit: int = OverviewSettings.examples,
                      max_chars: int = OverviewSettings.max_example_chars,
                      people: list[set[str]] | None = None) -> list[str]:
    """Candidate questions made from the index: its most frequent people and places, and a headline;
    those whose kind gets a short answer (when, how long, who) first.

    A person is a multi-word name whose last word also stands alone in other articles ("Joe Biden"
    and "Biden"); a topic is a one-word name that never appears in lower case ("Ukraine", "NATO").
    Names are counted by the number of articles that mention them. `people`, when given, holds the
    PERSON entities of each article (spaCy's, stored at index time); their full names (two or three
    words, counted with the articles naming them by surname alone) are then the people asked about.
    """
    lower = set()
    doc_freq: Counter[str] = Counter()
    for text in texts:
        lower.update(w for w in re.findall(r"\b[a-z]+\b", text))
        doc_freq.update(set(_names(text)))
    singles = {n: c for n, c in doc_freq.items() if " " not in n}
    found, people = people, []
    for name, count in doc_freq.items():
        parts = name.split()
        if not 2 <= len(parts) <= 3 or any(p.casefold().endswith(_ADJECTIVE_ENDINGS) for p in parts):
            continue
        last, first = singles.get(parts[-1], 0), singles.get(parts[0], 0)
        if last >= 2 and first < last and parts[-1].casefold() not in lower:
            people.append((last + count, name))
    people.sort(key=lambda p: (-p[0], p[1]))
    surnames = {p[1].split()[-1] for p in people}
    topics = [n for n, c in sorted(singles.items(), key=lambda kv: (-kv[1], kv[0]))
              if n.casefold() not in lower and n not in surnames and not n.casefold().endswith(_ADJECTIVE_ENDINGS)
              and len(n) > 2]
    candidates = []
    names = [p[1] for p in people]
    if found:
        names = full_names(found) or names
    # Questions of a kind that gets a short answer (a date, a duration, a description, a person)
    # first; the caller keeps those the index answers with one (`Assistant.overview`).
    if len(names) >= 2:
        candidates.append(f"When did {names[0]} and {names[1]} talk?")
        candidates.append(f"How long did {names[0]} and {names[1]} talk?")
    for name in names[:4]:
        candidates.append(f"Who is {name}?")
    if names:
        candidates.append(f"Who did {names[0]} talk to?")
    if names and topics:
        candidates.append(f"What did {names[0]} say about {topics[0]}?")
    if len(names) >= 2:
        candidates.append(f"What did {names[0]} and {names[1]} discuss?")
    headline = next((t for t in titles if t), None)
    if headline:
        topic = max(headline.split(":"), key=len).strip().rstrip(".?!")
        candidates.append(f"What do the articles say about {topic[0].lower() + topic[1:]}?"
                          if topic[:2].istitle() and not topic.split()[0] in {n.split()[0] for n in doc_freq}
                          else f"What do the articles say about {topic}?")
    for topic in topics[1:]:
        candidates.append(f"What happened in {topic}?" if len(names) < 1 else f"What did {names[-1]} say about {topic}?")
    seen, out = set(), []
    for c in candidates:
        if len(c) <= max_chars and c.casefold() not in seen:
            seen.add(c.casefold())
            out.append(c)
        if len(out) == limit:
            break
    return out
