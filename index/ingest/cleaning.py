"""Article text cleaning: keep the story, drop the page furniture around it.

Two steps. `sanitize` makes untrusted text safe to store and show: it normalises line ends
(\\r\\n and \\r become \\n), removes terminal escape sequences (`\\x1b[31m`) and every C0/C1
control character except \\n and \\t. Rich markup such as `[bold]x[/]` is plain text and is
kept verbatim: it is the viewer's job to render text as text.

`clean_text` then removes lines that are not article content: paywall notices, "See also"
link blocks, site footers, aggregator mastheads, the "Source: lefigaro" credit (read as
metadata before cleaning), the raw date line and section labels above the headline.
It only ever deletes whole lines and never rewrites the ones it keeps, so a quote from the
article is still a substring of the cleaned text. The headline stays as the first line (the
viewer shows it, citations can point at it). Broadcaster credit lines ("Demian von Osten,
ARD Moscow, daily topics ...") stay: they say who reported what, and are not page furniture.
"""

from __future__ import annotations

import re

from index.ingest.untrusted import without_escapes
from index.ingest.metadata import (
    head_lines,
    is_date_line,
    is_masthead,
    is_section_label,
    outlet_credit_index,
    title_index,
)


# Whole lines that are never article content (matched on the stripped line, any case).
_BOILERPLATE_LINE = re.compile(
    r"""^(?:
        source\ link | source\ site | trends\ 24h | latest | advertisement
      | all\ news\ articles\ on\ .*
      | now\ you\ can\ see\ non-english\ news.*
      | ©.{0,100}
      | the\ information\ on\ this\ site\ is\ from\ external\ sources.*
      | the\ inclusion\ of\ any\ links\ does\ not\ necessarily.*
      | you\ have\ [\d.,]+\s?%\ of\ this\ article\ (?:left\ )?to\ read\b.*
      | the\ rest\ is\ for\ subscribers\ only\.?
      | this\ article\ is\ reserved\ for\ subscribers\.?
      | (?:see\ also|to\ read\ also|read\ also|also\ read|read\ more)\s*:\s*\S.{0,200}
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

# A label introducing links to other articles; the linked headline follows it.
_LINK_LABEL = re.compile(
    r"^(?:see\ also|to\ read\ also|read\ also|also\ read|you\ may\ like|read\ more"
    r"|related(?:\ articles)?)\s*:?$",
    re.IGNORECASE | re.VERBOSE,
)
LINK_HEADLINE_MAX_CHARS = 200  # a longer line after a link label is a paragraph, kept
LINK_CONTINUATION_MAX_CHARS = 80
_SENTENCE_BREAK = re.compile(r"[a-z]{2}[.!?] +[A-Z]")
_QUOTES = "\"“”«»"


def sanitize(raw: str) -> str:
    """Text safe to store and show: \\n line ends, no terminal escapes, no controls but \\n and \\t."""
    text = raw.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    return without_escapes(text)


def clean_text(raw: str) -> str:
    """The article text without boilerplate; kept lines are unchanged but for trailing spaces."""
    lines = [line.rstrip() for line in sanitize(raw).split("\n")]
    drop = _boilerplate_lines(lines) | _link_block_lines(lines) | _head_furniture_lines(lines)
    kept = [line for i, line in enumerate(lines) if i not in drop]
    return _squeeze_blank_lines(kept)


def is_boilerplate_line(line: str) -> bool:
    """A line of page furniture wherever it stands: paywall notice, site footer, masthead, inline link."""
    text = line.strip()
    return bool(_BOILERPLATE_LINE.match(text)) or is_masthead(text)


def _boilerplate_lines(lines: list[str]) -> set[int]:
    drop = {i for i, line in enumerate(lines) if line.strip() and is_boilerplate_line(line)}
    credit = outlet_credit_index(lines)  # "Source: lefigaro": already read as metadata
    return drop if credit is None else drop | {credit}


def _link_block_lines(lines: list[str]) -> set[int]:
    """Each link label, the headline after it, and that headline's continuation when a quote is left open.

    Seed 001: "To read also" / 'Volodymyr Zelensky: “Russia threatens ... the West.' / 'Let us join NATO "'.
    """
    drop: set[int] = set()
    for i, line in enumerate(lines):
        if not _LINK_LABEL.match(line.strip()):
            continue
        drop.add(i)
        following = [(j, lines[j].strip()) for j in range(i + 1, len(lines)) if lines[j].strip()]
        if not following or _looks_like_paragraph(following[0][1]):
            continue
        j, headline = following[0]
        drop.add(j)
        for k, continuation in following[1:3]:
            if not _has_open_quote(headline) or len(continuation) > LINK_CONTINUATION_MAX_CHARS:
                break
            drop.add(k)
            headline += " " + continuation
    return drop


def _looks_like_paragraph(line: str) -> bool:
    """Too long, or more than one sentence, to be the linked headline after a label."""
    return len(line) > LINK_HEADLINE_MAX_CHARS or bool(_SENTENCE_BREAK.search(line))


def _has_open_quote(text: str) -> bool:
    return sum(text.count(q) for q in _QUOTES) % 2 == 1


def _head_furniture_lines(lines: list[str]) -> set[int]:
    """Date lines near the top, and section labels ("Analyses") above the headline."""
    headline = title_index(lines)
    drop = set()
    for i, line in head_lines(lines):
        if is_date_line(line) or (headline is not None and i < headline and is_section_label(line)):
            drop.add(i)
    return drop


def _squeeze_blank_lines(lines: list[str]) -> str:
    out: list[str] = []
    for line in lines:
        if line.strip() or (out and out[-1].strip()):
            out.append(line if line.strip() else "")
    return "\n".join(out).strip("\n")
