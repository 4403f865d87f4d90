"""How an article is named wherever it is shown, and the citation line built from it: its title, else its
first words; never a file id. The CLI, the chat app, the overview and exports all call these, so one answer
names its articles the same way everywhere."""

from __future__ import annotations

import re

from qa.archive.location import passage_location
from qa.archive.untrusted import one_line
from qa.types import NO_OUTLET, UNTITLED, Source

TITLE_WORDS = 8  # an untitled article is shown by this many first words (or up to its first sentence end)
NAME_FROM_CHARS = 600  # the first words are looked for in this much of the text


def first_words(text: str, n: int = TITLE_WORDS) -> str:
    """The article's opening words, as a stand-in title: up to the first sentence end or `n` words."""
    words = " ".join(text[:NAME_FROM_CHARS].split()).split(" ")[:n]
    out: list[str] = []
    for w in words:
        out.append(w)
        if re.search(r"[.!?][”\"’']?$", w) and len(out) >= 3:
            return " ".join(out).rstrip(".") + "…"
    return (" ".join(out).rstrip(" ,;:.") + "…") if out and out[0] else "(empty article)"


def article_name(title: str | None, text: str | None) -> str:
    """An article as a reader knows it: its title (on one line), else its first words."""
    title = one_line(title)  # untrusted: controls made visible (index.ingest.untrusted)
    if title:
        return title
    return first_words(text) if text and text.strip() else UNTITLED


def cite(number: int, article, text: str, start: int, end: int, score: float) -> Source:
    """Citation `number`: `text` (characters `start`–`end` of the cleaned text) in a stored `article`,
    named and located in the user's file the same way for every kind of answer."""
    return Source(number, article.id, article.title, article.source, article.published_at, article.url, text,
                  start, end, round(score, 4), name=article_name(article.title, article.text),
                  location=passage_location(article.path, text))


QUOTE_MARKS = frozenset("“”\"«»„‟")  # a passage holding one of these is shown without marks of our own


def quoted(text: str) -> str:
    """`text` between “ and ”, unless it already holds double quote marks of its own (never ““…””)."""
    return text if any(c in QUOTE_MARKS for c in text) else f"“{text}”"


def citation_parts(source: Source, name: str | None = None) -> tuple[str, str, str]:
    """(outlet, article name, day) of a citation: a missing outlet is said, a missing date is "". `name`
    stands in when the source carries none (an answer stored before sources were named)."""
    outlet = one_line(source.outlet) or NO_OUTLET  # untrusted: controls made visible (index.ingest.untrusted)
    shown = one_line(source.name or name or source.title) or UNTITLED
    return outlet, shown, one_line((source.published_at or "")[:10])


def citation_line(source: Source, name: str | None = None) -> str:
    """`Outlet · Name · 2021-12-07`, as the CLI and the chat app show a source."""
    return " · ".join(p for p in citation_parts(source, name) if p)


def shown_location(location: str | None) -> str | None:
    """`path:line` as a reader's terminal opens it: relative to the working folder when the file lies
    under it (`index/corpus/bbc.txt:12`), else as stored; controls made visible."""
    if not location:
        return None
    import os

    try:
        relative = os.path.relpath(location)
    except ValueError:  # another drive (Windows)
        relative = location
    return one_line(relative if not relative.startswith("..") else location)
