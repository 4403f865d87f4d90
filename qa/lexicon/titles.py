"""Titles and roles, one table: the offices news writes before a name ("Foreign Minister Sergey
Lavrov"), after it ("Dmitry Peskov, the Kremlin spokesman"), or instead of it ("the US president"),
the words that name which office it is ("Secretary of State", "National Security Adviser"), and the
ranks that make it another office ("deputy", "acting", "former")."""

from __future__ import annotations

import re
from functools import lru_cache

from qa.lexicon.names import AFFILIATIONS, demonym, fold, same_party
from qa.lexicon.words import STOPWORDS

ROLE_NOUNS = frozenset("""president minister secretary director ambassador chancellor spokesman spokeswoman
    spokesperson general adviser advisor senator envoy chief head deputy governor mayor judge ceo chair chairman
    chairwoman correspondent commissioner representative official leader diplomat historian analyst expert
    professor founder executive journalist reporter editor coach officer commander premier king queen prince
    prosecutor lawyer attorney economist researcher scientist author""".split())
# Words that say which office a title is, inside it: "Prime Minister", "Secretary of State"
OFFICE_WORDS = frozenset("""prime foreign state defense defence security national commission council affairs
    treasury justice interior finance house staff intelligence senior""".split())
# Words that make a title another office than the one they qualify.
RANKS = frozenset("deputy vice assistant acting former ex interim associate".split())

_NOUNS = "|".join(sorted(ROLE_NOUNS, key=len, reverse=True))
ROLE_WORDS = f"(?:{_NOUNS})s?"
ROLE = re.compile(rf"\b{ROLE_WORDS}\b", re.I)
# One person's title, singular: "officials who served under Presidents Obama, George W. Bush" titles no one
TITLE = re.compile(rf"\b(?:{_NOUNS})\b", re.I)


def title_word(word: str) -> bool:
    """A word of a title rather than of a name: an office, a word that says which, or a rank."""
    low = word.casefold().rstrip(".,")
    return bool(ROLE.fullmatch(low)) or low in OFFICE_WORDS or low in RANKS


def without_title(name: str) -> str:
    """A person's own name, the title written before it dropped: "US President Joe Biden" is Joe
    Biden, "Kremlin spokesman Dmitry Peskov" is Dmitry Peskov, "the Foreign Minister" stays as it is
    (a title alone leaves its last word)."""
    words = name.split()
    while len(words) > 1 and (title_word(words[0]) or words[0].casefold() in STOPWORDS
                              or _party(words[0]) and title_word(words[1])):
        words = words[1:]
    return " ".join(words)


def _party(word: str) -> bool:
    """A country, people or body a title names before its office: "US", "Russian", "Kremlin"."""
    return demonym(word) or word in AFFILIATIONS


_TITLE_RUN = r"((?:(?:[A-Z][\w.’'-]*|of|the)\s+){1,6})"  # "US President Joe ", "Russian Foreign Minister Sergey "


def _titles_before(name: str, texts: tuple[str, ...]):
    """The words written before each mention of the person's surname in the texts, as far back as
    capitalised words (and "of", "the") run: ["US", "President", "Joe"] for "US President Joe Biden"."""
    last = name.split()[-1]
    if len(last) < 3 or not last[:1].isupper():
        return
    for text in texts:
        if last in text:
            for words in _titles_in(last, text):
                yield list(words)


@lru_cache(maxsize=1024)  # the same article is read for the same surname by question after question, claim after claim
def _titles_in(last: str, text: str) -> tuple[tuple[str, ...], ...]:
    """The words before each mention of `last` in one text (`_titles_before`), as far back as capitalised words run."""
    pattern = re.compile(_TITLE_RUN + re.escape(last) + r"\b")
    return tuple(tuple(m.group(1).split()) for m in pattern.finditer(text))


def titled_other_side(name: str, side: str, texts) -> bool:
    """Some of the texts title the person with another nationality than `side`, and none with it:
    "US President Joe Biden" is not the "Russian official" a question asks for."""
    return _titled_other_side(name, side, tuple(texts))


@lru_cache(maxsize=256)  # asked once a phrase, of the same retrieved texts: read them once a person
def _titled_other_side(name: str, side: str, texts: tuple[str, ...]) -> bool:
    other = False
    for words in _titles_before(name, texts):
        for word in words:
            if _party(word):
                if same_party(word, side):
                    return False
                other = True
    return other


def titles_holding(name: str, stem: str, texts) -> tuple[str, ...]:
    """The titles the texts give the person that hold a word starting with `stem` (a role noun's first
    letters), written just before the name, lower case and all ("White House spokeswoman Jen Psaki"), or in
    an apposition just after it ("Simon Miles, a historian of the Cold War at Duke University"). A sentence
    that names the person by surname alone is then about the one so titled elsewhere."""
    last = name.split()[-1]
    if len(last) < 3 or not last[:1].isupper() or not stem:
        return ()
    return tuple(t for text in texts if last in text for t in _titles_holding(last, stem.casefold(), text))


_WORD = re.compile(r"[\w’'.-]+")
_APPOSITION = re.compile(r"\s*,\s*(?:the|an?)\s+([^,;:()“”\"]{0,80})")  # "…, the Kremlin spokesman,"


@lru_cache(maxsize=1024)  # the same articles are read for the same surname, phrase after phrase
def _titles_holding(last: str, stem: str, text: str) -> tuple[str, ...]:
    out = []
    for m in re.finditer(rf"(?<![\w-]){re.escape(last)}(?![\w-])", text):
        before = text[max(0, m.start() - 80):m.start()]
        cut = max(before.rfind(ch) for ch in ",;:()“”\"\n")
        words = _WORD.findall(before[cut + 1:])
        run = []
        for word in reversed(words):  # back over the name's own words and the title's, to the first other word
            if not (word[:1].isupper() or title_word(word) or word.casefold().startswith(stem)
                    or word.casefold() in ("of", "the")):
                break
            run.insert(0, word)
        if any(w.casefold().startswith(stem) for w in run):
            out.append(" ".join(run))
        after = _APPOSITION.match(text, m.end())
        if after:
            words = after.group(1).split()[:6]
            if any(w.casefold().startswith(stem) for w in words):
                out.append(" ".join(words))
    return tuple(out)


def role_aliases(name: str, texts) -> frozenset[str]:
    """The titles the texts give a person before their name, for a sentence that names them by title
    alone: "US President Joe Biden" makes "the US president was accompanied by…" a sentence about
    Biden. Only titles of two words or more ("the president" alone could be anyone's)."""
    return _role_aliases(name, tuple(texts))


@lru_cache(maxsize=256)  # asked once a candidate sentence, of the same retrieved texts
def _role_aliases(name: str, texts: tuple[str, ...]) -> frozenset[str]:
    out = set()
    for words in _titles_before(name, texts):
        ends = [i for i, w in enumerate(words) if w.endswith(".") and not re.fullmatch(r"(?:\w\.){2,}", w)]
        words = words[ends[-1] + 1:] if ends else words  # "Vladimir Putin. Presidents Biden": another sentence
        while words and not ROLE.fullmatch(words[-1]) and words[-1].casefold() not in OFFICE_WORDS:
            words.pop()  # "Joe", "Vladimir": the person's own names
        while words and words[0] in ("the", "of"):
            words.pop(0)
        if len(words) >= 2:
            out.add(" ".join(words).casefold())
    return frozenset(out)


def named_by_role(aliases: frozenset[str], text: str) -> bool:
    low = fold(text)
    return any(a in low and re.search(r"(?<!\w)" + re.escape(a) + r"(?!\w)", low) for a in aliases)
