"""Words as questions and sentences are compared: tokens, stop words (spaCy's list, less the words a
question rests on), a crude stem and a lemma (with the irregular verbs of `qa.lexicon.verbs`), the
compact form outlet names are matched in, and the small closed classes every stage reads: number
words, negation, the manner of a meeting (in person or remote), auxiliaries, wh-words, and the names of
months and weekdays (`index.ingest.dates`)."""

from __future__ import annotations

import importlib.util
import re
import runpy
from functools import lru_cache
from pathlib import Path

from index.ingest.dates import FULL_MONTHS, WEEKDAYS
from qa.lexicon.verbs import IRREGULAR


def _spacy_stop_words() -> frozenset[str]:
    """spaCy's English stop words (`spacy/lang/en/stop_words.py`), read from its file without importing
    spaCy: asking loads no pipeline unless a question needs its parse."""
    spec = importlib.util.find_spec("spacy")
    path = Path(spec.origin).parent / "lang" / "en" / "stop_words.py"
    return frozenset(runpy.run_path(str(path))["STOP_WORDS"])


NUMBER_WORDS = {w: str(i) for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve "
                                                "thirteen fourteen fifteen sixteen seventeen eighteen nineteen "
                                                "twenty".split())}
# spaCy's stop words that a question's meaning rests on: a negation, a number ("the two presidents",
# "two hours"), an order, a time, and the nouns, verbs and adjectives its list holds ("used … as a front")
_MEANINGFUL = frozenset("""never none nothing nobody neither without first last next former since still together
    front amount part side top bottom full empty name beyond serious whole become became becomes becoming call done
    get give go keep made make move put see seem seemed seeming seems show take used using""".split()) \
    | {w for w, n in NUMBER_WORDS.items() if int(n) > 1}
# words that only phrase a question: "According to…, what exactly…", "what kind of…", "told"
_PHRASING = frozenset("according actually exactly specifically kind way ones said tell told having theirs".split())
STOPWORDS = (_spacy_stop_words() - _MEANINGFUL) | _PHRASING
AUXILIARIES = frozenset("do does did is are was were has have had will would shall can could should may might must".split())
WH_WORDS = frozenset("what which who whom whose when where why how".split())
# A negated statement: "not", "never", "none", "cannot", "failed to", "didn't", and the verbs and words that
# deny what follows them ("refused the veto", "rejects the idea", "the idea … is absurd")
NEGATION = re.compile(r"\b(?:not|no|never|neither|nor|none|nobody|nothing|cannot|without|fail(?:s|ed)?\s+to|"
                      r"refus(?:e|es|ed|ing)|reject(?:s|ed|ing)?|den(?:y|ies|ied|ying)|absurd)\b|n['’]t\b", re.I)
# How a meeting was held, two ways that exclude each other: a claim that two met "face to face" is contradicted
# by a passage that has them talk "via a protected videolink", as by a negation, and the other way round
# (or met at a named place: "meet in Kyiv")
IN_PERSON = re.compile(r"\b(?:(?i:in[ -]person|face[ -]to[ -]face|in the same room)|"
                       r"(?i:meet|met|meets|meeting|visit\w*|travel\w*|tour\w*)\s+(?i:in|to)\s+(?=[A-Z]))")
REMOTE = re.compile(r"\b(?:video\w*|virtual(?:ly)?|by (?:tele)?phone|(?:tele)?phone (?:call|conversation)s?|"
                    r"online|remotely)\b", re.I)
CALENDAR = FULL_MONTHS | frozenset(WEEKDAYS)  # the names of months and weekdays (`index.ingest.dates`)

_TOKEN = re.compile(r"\d{1,3}(?:[,.\u00a0 ]\d{3})+(?!\d)|\w+", re.UNICODE)


# A role noun's forms by gender end alike (spokesperson, spokeswoman, spokesman; chairperson, chairwoman,
# chairman): after at least 4 letters, these endings are read as "man"/"men", so the forms meet
_GENDERED = (("persons", "men"), ("person", "man"), ("people", "men"), ("women", "men"), ("woman", "man"))


@lru_cache(maxsize=1 << 16)
def lemma(word: str) -> str:
    """The stem of a word's base form, for comparing a question's words with a sentence's: "began"
    meets "begin", "led" meets "leads", "conferred" meets "confer", "spokesperson" meets "spokesman".
    (Keyword search keeps `stem`: FTS5 stores the words as written.)"""
    w = word.casefold()
    for ending, common in _GENDERED:
        if w.endswith(ending) and len(w) - len(ending) >= 4:
            w = w[: -len(ending)] + common
            break
    w = IRREGULAR.get(w, w)
    s = stem(w)
    if len(s) < len(w) and len(s) >= 4 and s[-1] == s[-2] and s[-1] not in _DOUBLED:
        return s[:-1]  # an ending doubled the consonant: "conferred" meets "confer", "planning" meets "plans"
    return s


_DOUBLED = frozenset("aeioulsfz")  # letters that end words doubled already (call, pass, stuff, buzz) or are vowels


def word_key(word: str) -> str:
    """`lemma`, less a final "e" where 4 letters stay: what a question's word and a sentence's are matched by when
    counting the words they share. "accuse" meets "accused", "accusing" and "accusation", whose endings `stem`
    cuts with the "e" ("decline" and "declined": declin). Titles keep `lemma`'s spelling ("defence", "defense")."""
    s = lemma(word)
    return s[:-1] if s.endswith("e") and len(s) >= 5 else s


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


_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")


def in_person(text: str) -> bool | None:
    """True: the text says a meeting was held in person; False: remotely (by video or phone); None: neither,
    or both ("met in person after months of video calls")."""
    near, far = bool(IN_PERSON.search(text)), bool(REMOTE.search(text))
    return None if near == far else near


def manner_differs(claim: str, passage: str) -> bool:
    """The claim has a meeting held in person and the passage has it held remotely, or the other way round."""
    a, b = in_person(claim), in_person(passage)
    return a is not None and b is not None and a != b


_OPPOSING_PREFIXES = (("un", 4), ("il", 5), ("ir", 5), ("im", 6))  # a prefix that makes a word its opposite, and the
# shortest word it is read before ("unlikely", "illegal", "irresponsible", "impossible"; not "impress", "irk")


def opposite_word(claim: str, passage: str) -> bool:
    """One of the two says with a negating prefix what the other says without it: "likely" and "unlikely", "legal"
    and "illegal" (or "legally": words are compared by `stem`), "responsible" and "irresponsible"."""
    a, b = {stem(w) for w in tokens(claim)}, {stem(w) for w in tokens(passage)}

    def opposes(words: set[str], others: set[str]) -> bool:
        return any(w.startswith(p) and len(w) - len(p) >= n and w[len(p):] in others
                   for w in words - others for p, n in _OPPOSING_PREFIXES)

    return opposes(a, b) or opposes(b, a)


def compact(text: str) -> str:
    """Letters and digits only, without case: how outlet names are compared."""
    return _NOT_LETTER_OR_DIGIT.sub("", text.casefold())
