"""A question typed in lower case, written as the articles write its names.

"who is the director for russia at the nsc" names nobody to a reader of capitals: the question's
analysis (`qa.question.asked`) finds names, speakers and titles by their capitals. Retrieval does not
need them (keyword search and the embedding model both ignore case), so the passages it finds show how
each word is written: a word the retrieved articles write with a capital (or in capitals) wherever it
stands inside a sentence is a name there ("Russia", "NSC", "Stoltenberg"). One they also write in lower
case ("talks") stays as typed; so does an English word they capitalise only beside another capitalised
word ("university" of "Duke University", "sea" of "Black Sea": the name is the pair), and a title
("chancellor", "director": `qa.lexicon.titles`), which they capitalise before a name but which names no
one. A word they never write but spell out in capitals ("nsc": the National Security Council) is that
acronym. Nothing new is listed: the articles decide.
"""

from __future__ import annotations

import re
from collections import Counter

from qa.lexicon.names import expansion_in
from qa.lexicon.titles import title_word
from qa.lexicon.words import STOPWORDS
from qa.question.spelling import english

CASED_SHARE = 0.9  # of a word's occurrences inside sentences, written with a capital: then it is a name
MIN_SEEN = 1  # occurrences inside sentences needed to judge (a name an archive gives once is still a name)
_WORD = re.compile(r"[^\W\d_][\w-]*")
_NAME_BEFORE = re.compile(r"[A-Z][\w-]*\s+$")  # "Duke University", "Black Sea": a capital from the name beside it
_NAME_AFTER = re.compile(r"\s+[A-Z]")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n\s*|[“\"‘(]\s*)$")


def typed_in_lower_case(question: str) -> bool:
    """No capital after the first letter: a question typed without them ("who leads the russian side")."""
    return question[1:] == question[1:].lower()


def recase(question: str, texts: list[str]) -> str:
    """The question with each word typed in lower case written as `texts` write it inside their sentences,
    where they give it a capital nearly always; the question as typed when no word changes."""
    typed = [m for m in _WORD.finditer(question) if m.group().islower()]
    words = {m.group() for m in typed if m.group() not in STOPWORDS and not title_word(m.group())}
    pairs = {f"{a.group()} {b.group()}" for a, b in zip(typed, typed[1:])  # "cold war": Cold War, where "war" alone
             if question[a.end():b.start()] == " " and {a.group(), b.group()} <= words}  # is also written lower
    if not words:
        return question
    forms = _forms(words | pairs, texts)
    for pair in pairs:
        if pair in forms:
            question = re.sub(rf"(?<![\w-]){re.escape(pair)}(?![\w-])", forms[pair], question)
    return _WORD.sub(lambda m: forms.get(m.group(), m.group()) if m.group().islower() else m.group(), question)


def _forms(words: set[str], texts: list[str]) -> dict[str, str]:
    """word -> the capitalised form the texts give it inside their sentences, for the words they nearly always
    capitalise."""
    pattern = re.compile(r"(?<![\w-])(" + "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words),
                                                         key=len, reverse=True)) + r")(?![\w-])", re.I)
    seen: dict[str, Counter] = {w: Counter() for w in words}
    alone: set[str] = set()  # words written with a capital somewhere with no capitalised word beside them
    for text in texts:
        for m in pattern.finditer(text):
            if _SENTENCE_START.search(text, max(0, m.start() - 3), m.start()):
                continue  # a sentence's first word is capitalised whatever it is
            word = " ".join(m.group().casefold().split())
            seen[word][" ".join(m.group().split())] += 1
            if not m.group().islower() and not _NAME_BEFORE.search(text, max(0, m.start() - 30), m.start()) \
                    and not _NAME_AFTER.match(text, m.end()):
                alone.add(word)
    out = {}
    for word, counts in seen.items():
        total = sum(counts.values())
        cased = [(n, form) for form, n in counts.items() if not form.islower()]
        if total >= MIN_SEEN and cased and max(cased)[0] >= CASED_SHARE * total and \
                (word in alone or " " in word or word not in english()):
            out[word] = max(cased)[1]
        elif not total and " " not in word and word not in english() and \
                any(expansion_in(word.upper(), text) for text in texts):
            out[word] = word.upper()  # "nsc": the texts write out the National Security Council, never "NSC"
    return out
