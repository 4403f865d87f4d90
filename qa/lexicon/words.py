"""Words as questions and sentences are compared: tokens, stop words, a crude stem and a lemma
(with the irregular verbs of `qa.lexicon.verbs`), and the compact form outlet names are matched in."""

from __future__ import annotations

import re
from functools import lru_cache

from qa.lexicon.verbs import IRREGULAR

STOPWORDS = frozenset("""a about above after again against all am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from further had has have
having he her here hers herself him himself his how i if in into is it its itself just me more most my myself
no nor not now of off on once only or other our ours out over own same she should so some such than that the
their theirs them themselves then there these they this those through to too under until up very was we were
what when where which while who whom why will with would you your yours yourself also according did say said
tell told many much kind way ones one else ever exactly specifically actually really even yet already""".split())

_TOKEN = re.compile(r"\d{1,3}(?:[,.\u00a0 ]\d{3})+(?!\d)|\w+", re.UNICODE)


@lru_cache(maxsize=1 << 16)
def lemma(word: str) -> str:
    """The stem of a word's base form, for comparing a question's words with a sentence's: "began"
    meets "begin", "led" meets "leads". (Keyword search keeps `stem`: FTS5 stores the words as written.)"""
    w = word.casefold()
    return stem(IRREGULAR.get(w, w))


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A crude English stem, the same for question words and article words."""
    w = word.casefold()
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "s", "ly"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            return w[: -len(suffix)]
    return w


def indexed(word: str, doc_freq) -> bool:
    """Some indexed window holds the word as it is, or a word with its stem (`doc_freq(term, prefix)`)."""
    return bool(doc_freq(word, False) or doc_freq(stem(word), True))


def tokens(text: str) -> list[str]:
    return [t.casefold() for t in _TOKEN.findall(text)]


def compact(text: str) -> str:
    """Letters and digits only, without case: how outlet names are compared."""
    return re.sub(r"[\W_]+", "", text.casefold())
