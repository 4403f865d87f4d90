"""Sentence boundaries with character offsets, from a real rule-based splitter (pysbd).

A sentence may run over line breaks: lines are first joined into blocks, and each block is split.
Lines of one paragraph (single line breaks) always join. Across a blank line they join only when
the sentence plainly goes on: the line before ends on a comma or an open quotation, or the next
line opens with a lower-case word or a closing quote ("…week,"  ⏎⏎  admitted Blinken…; "…Ukraine,"
⏎⏎ " Blinken said.). Offsets always point into the original text: line breaks are given to the
splitter as spaces, one character for one.
"""

from __future__ import annotations

import re
from functools import lru_cache

_LINE = re.compile(r"[^\n]+")
_WORDISH = re.compile(r"\w")
# a line that leaves its sentence open: ends on a comma, colon, semicolon or dash (a quote may follow)
_OPEN_END = re.compile(r"""[,:;–—-]\s*["“”'’]?\s*$""")
# a line that ends its sentence: . ! ? or … , then perhaps closing quotes or brackets
_CLOSED_END = re.compile(r"""[.!?…]\s*["“”'’)\]]*\s*$""")
# a line that continues a sentence: starts lower case, with punctuation, or with a closing quote then a word
_CONTINUES = re.compile(r"""^\s*(?:[a-z]|[,;.:]|["”’]\s+[A-Za-z])""")
_QUOTES = '"“”'
HEADING_WORDS = 12  # a shorter line without closing punctuation is a headline or a label
MAX_BLOCK = 20_000  # characters; a longer block (a file with no line breaks) is split as is


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    # char_span=True would compile one regex per sentence to find it again; we find offsets ourselves
    return pysbd.Segmenter(language="en", clean=False, char_span=False)


def _split(segment: str) -> list[str]:
    """pysbd's sentences without its span search, which compiles one regex per sentence."""
    seg = _segmenter()
    return [p for p in seg.processor(segment).process() if p]


def _quote_open(text: str) -> bool:
    """An odd number of straight quotes, or more opening than closing curly ones."""
    return text.count('"') % 2 == 1 or text.count("“") > text.count("”")


def blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) of the runs of lines that belong to one paragraph or one running sentence."""
    out: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        body = line.group()
        if not body.strip():
            continue
        start, end = line.start(), line.end()
        if out:
            last_start, last_end = out[-1]
            last = text[last_start:last_end]
            blank_between = text.count("\n", last_end, start) > 1
            joins = _joins(last, body, blank_between)
            if joins and end - last_start <= MAX_BLOCK:
                out[-1] = (last_start, end)
                continue
        out.append((start, end))
    return out


def _joins(last: str, line: str, blank_between: bool) -> bool:
    """Does `line` carry on the sentence that `last` (the block so far) leaves open?"""
    if _CONTINUES.match(line) or _OPEN_END.search(last):
        return True
    if _CLOSED_END.search(last):
        return False
    if _quote_open(last):  # a quotation still open: it goes on over the break
        return True
    return not blank_between and len(last.split()) > HEADING_WORDS  # a wrapped line, not a heading


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each sentence in `text`, whitespace trimmed, in order.

    Fragments with no letter or digit (a stray "." after a quote) are folded into the sentence before.
    """
    spans: list[tuple[int, int]] = []
    for base, stop in blocks(text):
        segment = text[base:stop]
        flat = segment.replace("\n", " ")  # same length: offsets stay exact
        pieces = _split(flat) if len(flat) > 40 else None
        if not pieces:
            _append(spans, text, base, stop)
            continue
        cursor = 0
        for piece in pieces:
            at = flat.find(piece, cursor)
            if at < 0:  # the splitter changed the text: keep the rest of the block as one sentence
                _append(spans, text, base + cursor, stop)
                break
            _append(spans, text, base + at, base + at + len(piece))
            cursor = at + len(piece)
    return spans


def _append(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return
    if spans and _is_tail(text[start:end]) and "\n\n\n" not in text[spans[-1][1]:start]:
        spans[-1] = (spans[-1][0], end)  # a stray fragment or a bare attribution closes the sentence before
        return
    spans.append((start, end))


_ATTRIBUTION = re.compile(r"""^["”’]?\s*(?:(?:[A-Z][\w’'.-]+\s){0,4}[A-Z][\w’'-]+|he|she|they)\s+"""
                          r"""(?:said|says|added|told\s+\w+|recalled|explained|insisted|stressed|noted|warned)\s*\.?["”]?$""")


def _is_tail(piece: str) -> bool:
    """Punctuation alone (`" .`), a piece the splitter cut too early (`and Clinton.`), or a bare
    attribution that closes a quote (`" Blinken said.`)."""
    return not _WORDISH.search(piece) or piece[0].islower() or bool(_ATTRIBUTION.match(piece))
