"""Text normalisation for matching answers and quotes: one place, so every metric compares alike.

- `normalize(text)`: NFKC, lower case, curly quotes and dashes made plain, digit groups joined
  ("100,000", "100 000" and "100000" all become "100000"), British -ise spellings made -ize
  ("recognising" = "recognizing"), punctuation dropped, articles
  (a/an/the) dropped, whitespace collapsed.
- `tokens(text)`: the words of `normalize(text)`.
- `content_tokens(text)`: `tokens` minus a small English stop-word list (all tokens if that
  leaves none).
- `squash(text)`: the MultiHop-RAG paper's form: spaces and newlines removed, nothing else.
- `locate(quote, text)`: where a quote sits in an article, exactly or after folding whitespace,
  case and quote characters.
"""

from __future__ import annotations

import re
import unicodedata

_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ",
})
_DIGIT_GROUPS = re.compile(r"\b\d{1,3}(?:[, ]\d{3})+\b")  # after fold(): spaces are plain
_SEPARATORS = re.compile(r"[, ]")
_CITATION = re.compile(r"\[\d+(?:\s*[,\u2013-]\s*\d+)*\]")
_NON_WORD = re.compile(r"[^\w\s]|_")
_BRITISH_ISE = re.compile(r"\b(\w{3,})is(e|es|ed|ing|ation|ations)\b")  # recognise -> recognize
_ARTICLES = {"a", "an", "the"}
STOPWORDS = frozenset("""
a an the and or but of to in on at by for with from as into onto about over under than then
is are was were be been being am do does did done has have had having will would shall should
can could may might must it its it's this that these those there here he she they them his her
their him we us our you your i me my what which who whom whose when where why how not no nor
so too very just also s t said says say
""".split())


def fold(text: str) -> str:
    """NFKC and plain quotes, dashes and spaces; keeps case and length-independent meaning."""
    return unicodedata.normalize("NFKC", text).translate(_FOLD)


def strip_citations(text: str) -> str:
    """Drop `[1]`, `[2, 3]` markers from an answer."""
    return _CITATION.sub("", text)


def normalize(text: str) -> str:
    text = _DIGIT_GROUPS.sub(lambda m: _SEPARATORS.sub("", m.group()), fold(text).lower())
    text = _BRITISH_ISE.sub(r"\1iz\2", _NON_WORD.sub(" ", text))
    return " ".join(w for w in text.split() if w not in _ARTICLES)


def tokens(text: str) -> list[str]:
    return normalize(text).split()


def content_tokens(text: str) -> list[str]:
    toks = tokens(text)
    content = [t for t in toks if t not in STOPWORDS]
    return content or toks


def squash(text: str) -> str:
    """The paper's matching form: `text.replace(" ", "").replace("\\n", "")`."""
    return text.replace(" ", "").replace("\n", "")


def _folded_with_offsets(text: str) -> tuple[str, list[int]]:
    """Lower-cased, quote-folded text with runs of whitespace made one space, plus each
    character's offset in `text`."""
    out: list[str] = []
    offsets: list[int] = []
    prev_space = True
    for i, ch in enumerate(text):
        c = unicodedata.normalize("NFKC", ch).translate(_FOLD).lower()
        if not c:
            continue
        if c.isspace():
            if prev_space:
                continue
            c = " "
            prev_space = True
        else:
            prev_space = False
        for sub in c:
            out.append(sub)
            offsets.append(i)
    return "".join(out), offsets


def locate(quote: str, text: str) -> tuple[int, int] | None:
    """The span `(start, end)` of `quote` in `text`: exact first, then on folded text
    (case, quote characters and whitespace runs ignored). None when it is not there."""
    if not quote:
        return None
    i = text.find(quote)
    if i >= 0:
        return i, i + len(quote)
    ftext, offsets = _folded_with_offsets(text)
    fquote, _ = _folded_with_offsets(quote)
    fquote = fquote.strip()
    if not fquote:
        return None
    j = ftext.find(fquote)
    if j < 0:
        return None
    return offsets[j], offsets[j + len(fquote) - 1] + 1
