"""Text as a reader sees it in an answer: the stored sentence with the source's layout noise
tidied (line breaks inside a sentence, doubled punctuation, a quote mark left alone at an end).
Only the displayed sentence changes; the citation's quote and span stay exactly as stored."""

from __future__ import annotations

import re

_SPACES = re.compile(r"\s+")
_DOUBLED = re.compile(r"([.!?,;:])(?:\s*\1)+")  # ". ." and ",," become one mark
_QUOTES_DOUBLED = re.compile(r"([“”\"])\s*\1")  # "““" becomes "“"
_SPACE_BEFORE = re.compile(r"""\s+([,;:.!?])(?=["”’]?(?:\s|$))""")  # "absurd ,” said" becomes "absurd,” said"
_DANGLING = re.compile(r"""(?:\s+["“”]|\s*“)$""")  # a lone quote mark at the end of a sentence
_SPACE_CLOSE = re.compile(r"""([.,!?])\s+(["”])(?=\s|$)""")  # ". ”" becomes ".”"


def display(text: str) -> str:
    t = _SPACES.sub(" ", text).strip()
    t = _QUOTES_DOUBLED.sub(r"\1", t)
    t = _DOUBLED.sub(r"\1", t)
    t = _SPACE_BEFORE.sub(r"\1", t)
    t = _SPACE_CLOSE.sub(r"\1\2", t)
    t = _DANGLING.sub("", t) if t.count('"') % 2 or t.count("“") > t.count("”") or t.endswith(" “") else t
    return t
