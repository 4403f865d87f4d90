"""Metadata read from an article's own text: headline, outlet and publication date.

Used when the file itself does not say (fields of a JSON article or HTML metadata win).
Every rule is conservative: what is not clearly there stays None, it is never guessed.
"""

from __future__ import annotations

import re

from index.ingest.dates import is_date_line, parse_date

__all__ = ["extract_metadata", "is_date_line", "parse_date"]  # dates live in index.ingest.dates

# Aggregator mastheads printed as the first line of scraped pages: they name the site, not a headline.
KNOWN_MASTHEADS = frozenset({"the limited times"})

# How far from the top the headline and the date line may be (in non-blank lines).
HEAD_LINES = 8
# A headline is a single line of this many characters.
TITLE_MIN_CHARS, TITLE_MAX_CHARS = 12, 160

_SOURCE_LINE = re.compile(r"^\s*source\s*:\s*(?P<name>[^\s].{0,40}?)\s*$", re.IGNORECASE)
# "Demian von Osten, ARD Moscow, daily topics ...": a broadcaster credit: person, ACRONYM City.
_CREDIT_LINE = re.compile(r"^[A-Z][\w'.-]+(?: [\w'.-]+){1,3}, (?P<outlet>[A-Z]{2,6}) [A-Z][a-z]+")
_SENTENCE_END = ".!?…;"


def extract_metadata(raw_text: str) -> dict[str, str | None]:
    """Title, source (outlet) and published_at found in the text; None where it does not say."""
    lines = [line.strip() for line in raw_text.splitlines()]
    return {
        "title": find_title(lines),
        "source": find_source(lines),
        "published_at": find_published_at(lines),
    }


def head_lines(lines: list[str]) -> list[tuple[int, str]]:
    """The first HEAD_LINES non-blank lines with their index in `lines`."""
    head = [(i, line.strip()) for i, line in enumerate(lines) if line.strip()]
    return head[:HEAD_LINES]


def title_index(lines: list[str]) -> int | None:
    """Index of the headline line, or None when the text does not start with one.

    Rule: skip mastheads, date lines, "Source:" lines, teasers ending in "..." and short
    section labels ("Analyses"); the first line after them is the headline only if it is
    one short line that does not end like a sentence. A text that opens straight with a body
    paragraph (seed 000) has no headline: we do not look further down, where only
    subheadings are.
    """
    for i, line in head_lines(lines):
        if is_masthead(line) or is_date_line(line) or _SOURCE_LINE.match(line):
            continue
        if line.endswith(("...", "…")) or is_section_label(line):
            continue
        return i if looks_like_headline(line) else None
    return None


def find_title(lines: list[str]) -> str | None:
    """The headline line, without Markdown heading marks."""
    i = title_index(lines)
    return None if i is None else lines[i].strip().lstrip("#").strip()


def looks_like_headline(line: str) -> bool:
    """One short line that does not end with a full stop (headlines never do)."""
    text = line.strip().lstrip("#").strip()
    if not TITLE_MIN_CHARS <= len(text) <= TITLE_MAX_CHARS:
        return False
    return not text.rstrip("\"'”’»)").endswith(tuple(_SENTENCE_END)) and len(text.split()) >= 3


def is_section_label(line: str) -> bool:
    """A one- or two-word label such as "Analyses" or "World news"."""
    if len(line) > TITLE_MAX_CHARS:  # a paragraph (perhaps megabytes on one line) is no label
        return False
    words = line.strip().split()
    return 0 < len(words) <= 2 and not any(ch in line for ch in _SENTENCE_END + ",:")


def source_named_in(line: str) -> str | None:
    """The outlet of a short credit line such as "Source: lefigaro", else None.

    "Source: Jeff Passan, ESPN" names a person's report, not the outlet: not taken.
    """
    match = _SOURCE_LINE.match(line.strip())
    if match is None:
        return None
    name = match["name"]
    if "," in name or name.endswith(tuple(_SENTENCE_END)) or len(name.split()) > 4:
        return None
    return name


def outlet_credit_index(lines: list[str]) -> int | None:
    """Index of the one "Source: <outlet>" line; None if there is none, or several (a roundup)."""
    hits = [i for i, line in enumerate(lines) if _SOURCE_LINE.match(line.strip())]
    if len(hits) == 1 and source_named_in(lines[hits[0]]):
        return hits[0]
    return None


def is_masthead(line: str) -> bool:
    """A known site masthead printed above the article."""
    return len(line) <= TITLE_MAX_CHARS and line.strip().lower() in KNOWN_MASTHEADS


def find_source(lines: list[str]) -> str | None:
    """Outlet from a "Source: lefigaro" line, else a masthead, else a broadcaster credit line."""
    credit = outlet_credit_index(lines)
    if credit is not None:
        return source_named_in(lines[credit])
    for _, line in head_lines(lines):
        if is_masthead(line):
            return line.strip()
    for line in lines:
        match = _CREDIT_LINE.match(line.strip())
        if match:
            return match["outlet"]
    return None


def find_published_at(lines: list[str]) -> str | None:
    """The date of a date line near the top ("2022-01-09T18:38:59.130Z", "Status: 07.12.2021").

    Dates inside sentences, or further down (footers, "You may like" lists), are not taken.
    """
    for _, line in head_lines(lines):
        if is_date_line(line):
            return parse_date(line)
    return None
