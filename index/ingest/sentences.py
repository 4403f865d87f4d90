"""Sentence boundaries with character offsets, from a real rule-based splitter (pysbd).

A sentence may run over line breaks: lines are first joined into blocks, and each block is split.
Lines of one paragraph (single line breaks) always join. Across a blank line they join only when
the sentence plainly goes on: the line before ends on a comma or an open quotation, or the next
line opens with a lower-case word or a closing quote ("…week,"  ⏎⏎  admitted Blinken…; "…Ukraine,"
⏎⏎ " Blinken said.). Offsets always point into the original text: line breaks are given to the
splitter as spaces, one character for one.

The work is bounded, whatever the layout. pysbd's time grows with the square of its input's length
(a 50,000-character line took 1.0 s, 200,000 14.9 s), so a block longer than MAX_BLOCK (a file
with no line breaks) is first cut at sentence-like boundaries (. ! ? … then a capital) into
pieces of about PIECE characters, and pysbd reads at most PYSBD_BUDGET characters of an article:
past that, a piece is cut at every sentence-like boundary and nothing more (`python -m bench
loading`: a 10 MB one-line article is split in seconds, not minutes).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
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
MAX_BLOCK = 20_000  # characters; a longer block (a file with no line breaks) is cut into pieces first
PIECE = 2_000  # characters a piece of a cut block: pysbd took 3 ms for 500, 16 for 2,000, 605 for 20,000
# Characters of one article pysbd splits, 1-2 s of it on the shared machine; the longest MultiHop
# article holds 71,034, its longest line 7,912: only far longer articles reach the rough cut.
PYSBD_BUDGET = 200_000
# a sentence-like boundary: end punctuation (closing quotes or brackets may follow), space, then a
# capital, a digit or an opening quote; the cut goes after the punctuation
_BOUNDARY = re.compile(r"""[.!?…]+["”’')\]]*(?=\s+["“‘'(\[]?[A-Z0-9])""")


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

    Fragments with no letter or digit (a stray "." after a quote) are folded into the sentence before
    (within a cut block, only while the sentence stays within PIECE characters).
    """
    spans: list[tuple[int, int]] = []
    budget = PYSBD_BUDGET
    for base, stop, longest in _bounded(blocks(text), text):
        if budget < stop - base:  # past pysbd's share of the article: a cut at each boundary
            for start, end in _cut_everywhere(text, base, stop):
                _append(spans, text, start, end, longest)
            continue
        budget -= stop - base
        segment = text[base:stop]
        flat = segment.replace("\n", " ")  # same length: offsets stay exact
        pieces = _split(flat) if len(flat) > 40 else None
        if not pieces:
            _append(spans, text, base, stop, longest)
            continue
        cursor = 0
        for piece in pieces:
            at = flat.find(piece, cursor)
            if at < 0:  # the splitter changed the text: keep the rest of the block as one sentence
                _append(spans, text, base + cursor, stop, longest)
                break
            _append(spans, text, base + at, base + at + len(piece), longest)
            cursor = at + len(piece)
    return spans


def _bounded(spans: list[tuple[int, int]], text: str) -> Iterator[tuple[int, int, int | None]]:
    """(start, stop, longest sentence) of the blocks, a block over MAX_BLOCK characters cut into
    pieces of about PIECE, whose sentences are never folded past PIECE characters."""
    for start, stop in spans:
        if stop - start <= MAX_BLOCK:
            yield start, stop, None
        else:
            for piece_start, piece_stop in _pieces(text, start, stop):
                yield piece_start, piece_stop, PIECE


def _pieces(text: str, start: int, stop: int) -> Iterator[tuple[int, int]]:
    """(start, end) of pieces of at most PIECE characters, each cut at the last sentence-like boundary
    of its second half, else at its last space, else at PIECE: linear in the length."""
    while stop - start > PIECE:
        half, limit = start + PIECE // 2, start + PIECE
        cut = None
        for match in _BOUNDARY.finditer(text, half, limit):
            cut = match.end()
        if cut is None:
            space = text.rfind(" ", half, limit)
            cut = space if space > start else limit
        yield start, cut
        start = cut
    yield start, stop


def _cut_everywhere(text: str, start: int, stop: int) -> Iterator[tuple[int, int]]:
    """(start, end) of the runs between sentence-like boundaries: the rough split past the budget."""
    for match in _BOUNDARY.finditer(text, start, stop):
        yield start, match.end()
        start = match.end()
    yield start, stop


def _append(spans: list[tuple[int, int]], text: str, start: int, end: int, longest: int | None = None) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return
    if (spans and (longest is None or end - spans[-1][0] <= longest) and _is_tail(text[start:end])
            and "\n\n\n" not in text[spans[-1][1]:start]):
        spans[-1] = (spans[-1][0], end)  # a stray fragment or a bare attribution closes the sentence before
        return
    spans.append((start, end))


_ATTRIBUTION = re.compile(r"""^["”’]?\s*(?:(?:[A-Z][\w’'.-]+\s){0,4}[A-Z][\w’'-]+|he|she|they)\s+"""
                          r"""(?:said|says|added|told\s+\w+|recalled|explained|insisted|stressed|noted|warned)\s*\.?["”]?$""")


def _is_tail(piece: str) -> bool:
    """Punctuation alone (`" .`), a piece the splitter cut too early (`and Clinton.`), or a bare
    attribution that closes a quote (`" Blinken said.`)."""
    return not _WORDISH.search(piece) or piece[0].islower() or bool(_ATTRIBUTION.match(piece))
