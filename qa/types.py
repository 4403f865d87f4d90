"""Plain typed data that `qa` returns. Rendering is the caller's job (TUI, CLI, eval)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date

from index.reports import Stats


@dataclass(frozen=True)
class Filters:
    """Hard filters applied inside both searches. Empty means no filter."""

    outlets: tuple[str, ...] = ()  # outlet names, matched case-insensitively
    since: date | None = None
    until: date | None = None
    # Articles whose outlet (date) is not stated. With outlets (dates) chosen they are kept too;
    # alone they select only such articles. Without them an outlet (date) filter drops them.
    no_outlet: bool = False
    no_date: bool = False

    @property
    def active(self) -> bool:
        return bool(self.outlets or self.since or self.until or self.no_outlet or self.no_date)

    def describe(self) -> str:
        parts = []
        outlets = [*self.outlets, *(["no outlet stated"] if self.no_outlet else [])]
        if outlets:
            parts.append("outlet: " + ", ".join(outlets))
        if self.since:
            parts.append(f"since {self.since.isoformat()}")
        if self.until:
            parts.append(f"until {self.until.isoformat()}")
        if self.no_date:
            parts.append("or no date stated" if self.since or self.until else "no date stated")
        return "; ".join(parts)

    def to_dict(self) -> dict:
        return {"outlets": list(self.outlets), "since": self.since.isoformat() if self.since else None,
                "until": self.until.isoformat() if self.until else None,
                "no_outlet": self.no_outlet, "no_date": self.no_date}

    @classmethod
    def from_dict(cls, data: dict | None) -> "Filters":
        data = data or {}

        def day(value):
            return date.fromisoformat(str(value)[:10]) if value else None

        outlets = data.get("outlets") or data.get("sources") or ()  # "sources": the key of histories saved before
        return cls(tuple(outlets), day(data.get("since")), day(data.get("until")),
                   bool(data.get("no_outlet")), bool(data.get("no_date")))


NO_OUTLET = "outlet not stated"  # what a citation says when the article names no outlet
UNTITLED = "untitled article"  # … and when it has no title and nothing better is at hand


@dataclass(frozen=True)
class Source:
    """One numbered citation: the exact sentence quoted, where it sits in which article."""

    number: int
    article_id: str
    title: str | None
    outlet: str | None
    published_at: str | None
    url: str | None
    quote: str  # the exact sentence, a substring of the cleaned article text
    start: int  # character span of `quote` in the cleaned article text
    end: int
    score: float = 0.0
    name: str | None = None  # the article as shown: its title, else its first words (qa.archive.naming.article_name)
    location: str | None = None  # `path:line` of the quote in the user's original file (qa.archive.location), if found


@dataclass(frozen=True)
class Sentence:
    """One sentence of the answer with the numbers of the sources that back it."""

    text: str
    citations: tuple[int, ...]
    speaker: str | None = None  # who said it, when the sentence is reported speech


@dataclass(frozen=True)
class ShortAnswer:
    """The answer phrase itself ("some 100,000 troops", "Eric Green", "January 9-10"), taken from a
    cited sentence: `citation` is the Source number, `start`/`end` its span in the cleaned article text.
    A name given there in part is given the fullest form the same article uses ("Lionel Messi" for
    "Messi", "Minnesota Vikings" for "Vikings"); `start`/`end` still mark the mention in the cited
    sentence."""

    text: str
    citation: int
    start: int
    end: int
    kind: str | None = None  # the answer type it fills: person, place, date, count, money, duration...


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk (a small window of an article) with its fused score."""

    chunk_id: int
    article_id: str
    start: int
    end: int
    text: str
    score: float
    dense_rank: int | None = None
    keyword_rank: int | None = None


@dataclass(frozen=True)
class Dropped:
    """A sentence a language model wrote that verification did not let through (`qa.answer.generate`)."""

    text: str
    citations: tuple[int, ...]  # the passage numbers it gave
    reason: str  # uncited, unknown_citation, name, figure, date, quote, negation, unsupported
    detail: str | None = None  # what the passages lack: the name, the figure, the date…


@dataclass(frozen=True)
class ClaimVerdict:
    """One claim of a yes/no question, judged against its best passage (`qa.answer.verdict`)."""

    text: str  # the claim's words in the question
    verdict: str  # "supported", "contradicted", "not supported" (under a "No" no passage negates), "not reported"
    # (its outlet's articles do not say it: "No") or "not found" ("the articles don't say")
    outlet: str | None = None  # the outlet the question names for it (None: any)
    published_at: str | None = None  # the cited article's date
    citations: tuple[int, ...] = ()  # Source numbers of its passage
    score: float = 0.0  # the judge's probability that the passage states the claim
    note: str | None = None  # e.g. "No TechCrunch article in the index."


@dataclass
class Answer:
    question: str
    text: str  # the answer as plain text, with [n] markers
    sentences: list[Sentence]
    sources: list[Source]  # numbered 1..n, in the order they are first cited
    abstained: bool = False
    reason: str | None = None  # why it abstained, or a note for the user
    closest: list[Source] = field(default_factory=list)  # shown when abstaining
    hits: list[Hit] = field(default_factory=list)  # retrieval results, best first
    notes: list[str] = field(default_factory=list)  # e.g. "question cut to 2,000 characters"
    resolved_question: str | None = None  # the follow-up rewritten with earlier turns
    timings: dict[str, float] = field(default_factory=dict)  # milliseconds per stage
    short_answer: ShortAnswer | None = None  # the answer phrase first, for who/where/when/how-many questions
    filters: Filters | None = None  # the hard filters the question was asked under (None: none)
    generated_by: str | None = None  # "MODEL at HOST:PORT" when a language model wrote the sentences
    generated_sentences: int = 0  # how many of `sentences` (the last ones) the model wrote and verification kept
    dropped: list[Dropped] = field(default_factory=list)  # its sentences that verification removed
    verdict: str | None = None  # a yes/no question's verdict: "yes", "no" or "don't say" (None: a look-up)
    claims: list[ClaimVerdict] = field(default_factory=list)  # its claims, each judged and cited

    def source(self, number: int) -> Source | None:
        for s in self.sources:
            if s.number == number:
                return s
        return None

    def to_dict(self) -> dict:
        return asdict(self)

    def to_json(self, **kw) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, default=str, **kw)


@dataclass(frozen=True)
class Article:
    """A whole article as the viewer shows it: metadata and cleaned text."""

    id: str
    title: str | None
    outlet: str | None
    published_at: str | None
    url: str | None
    path: str | None
    text: str
    author: str | None = None  # as the file gave it ("A, B" for several)
    tags: tuple[str, ...] = ()


IndexInfo = Stats  # one type: index.reports.Stats, whose `outlets` qa fills in (Assistant.info)
