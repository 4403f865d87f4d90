"""A model's reply cut into sentences, each with the passage numbers of its `[n]` markers.

Generated text is untrusted: control characters (terminal escapes included) are removed before
anything else sees it, and it is only ever rendered as plain text. A sentence ends at `.`, `!` or
`?` (then any closing quote and `[n]` markers) before white space and a capital, a quote or a
marker, except after a known abbreviation ("Mr.", "Jan.", "U.S.").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_MARKERS = re.compile(r"\s*\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]")
_END = re.compile(r"([.!?][\"”’')]?(?:\s*\[\d{1,3}(?:\s*[,;]\s*\d{1,3})*\])*)(\s+)(?=[A-Z\"“‘'(0-9]|\[(?!\d))")
_ABBREVIATIONS = frozenset("""mr mrs ms dr st jr sr gen sen rep gov lt col sgt capt prof no vs jan feb mar apr jun jul
aug sep sept oct nov dec u.s u.k u.n e.u a.m p.m inc corp co ltd""".split())
NOT_ANSWERED = "NOT IN THE PASSAGES"  # what the prompt asks the model to say when the passages do not answer


def clean(text: str) -> str:
    """Text with terminal escapes and other control characters removed (newlines become spaces)."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\n", " ").replace("\t", " "))
    return re.sub(r" {2,}", " ", text)


@dataclass(frozen=True)
class Generated:
    text: str  # the sentence without its markers
    citations: tuple[int, ...]  # passage numbers, in the order given, without repeats
    raw: str  # as the model wrote it (cleaned of control characters)


def parse(raw: str) -> Generated:
    numbers: list[int] = []
    for group in _MARKERS.findall(raw):
        for n in re.split(r"\s*[,;]\s*", group):
            if int(n) not in numbers:
                numbers.append(int(n))
    text = _MARKERS.sub("", raw).strip()
    text = re.sub(r"\s+([.,;:!?])", r"\1", text)
    return Generated(text, tuple(numbers), raw.strip())


def _abbreviation(before: str) -> bool:
    word = re.search(r"([\w.]+)[.]$", before)
    return bool(word) and word.group(1).lower().rstrip(".") in _ABBREVIATIONS


def split(text: str, final: bool = True) -> tuple[list[str], str]:
    """(complete sentences, the rest). With `final`, the rest is a sentence too (the reply ended)."""
    text = clean(text).lstrip()
    done, at = [], 0
    for m in _END.finditer(text):
        if _abbreviation(text[at:m.start(1) + 1]) and "[" not in m.group(1):
            continue
        done.append(text[at:m.end(1)].strip())
        at = m.end()
    rest = text[at:]
    if final and rest.strip():
        done.append(rest.strip())
        rest = ""
    return [s for s in done if s], rest


def not_answered(text: str) -> bool:
    """The model said the passages do not answer (its whole reply is the agreed line)."""
    return clean(text).strip().strip(".").upper().startswith(NOT_ANSWERED)
