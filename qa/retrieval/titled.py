"""A question that names an article by its title is asked of that article.

"How does the analysis 'Putin-Biden: how to avoid war in Ukraine' rank the European crisis?" asks
one article. Its title's words ("Putin", "Biden", "war", "Ukraine") would otherwise pull in every
article on the topic, and their summaries would lead. The quoted words are matched against the
titles of the articles the question retrieved (a title is a strong query for its own article), and
the rest of the question is asked of the article whose title they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from qa.lexicon.names import fold
from qa.types import Hit

# A quoted stretch: an opening quote after a space or the start, a closing one before a space or punctuation,
# so that apostrophes ("Russia's and America's") are not taken for quotes.
_QUOTED = re.compile(r"(?:(?<=[\s(])|^)(?:\"(?P<a>[^\"]+)\"|“(?P<b>[^”]+)”|‘(?P<c>[^’]+)’|'(?P<d>[^']+)')"
                     r"(?=[\s?.,;:!)]|$)")
TITLE_WORDS = 3  # a title quoted has at least this many words ("the 'red line'" names no article)
TITLE_MATCH = 90  # rapidfuzz ratio (0-100) of the quoted words and a title, folded: a misquote still matches
ARTICLES_LOOKED_AT = 10  # the distinct articles of the first hits whose titles are compared


@dataclass
class Titled:
    article_id: str
    title: str
    rest: str  # the question without the quoted title


def quoted(question: str) -> list[re.Match]:
    return [m for m in _QUOTED.finditer(question) if len(_inner(m).split()) >= TITLE_WORDS]


def find(question: str, hits: Sequence[Hit], title_of: Callable[[str], str | None]) -> Titled | None:
    """The article whose title the question quotes, among the articles of `hits`, or None."""
    marks = quoted(question)
    if not marks:
        return None
    articles = list(dict.fromkeys(h.article_id for h in hits))[:ARTICLES_LOOKED_AT]
    for m in marks:
        said = _key(_inner(m))
        for article_id in articles:
            title = title_of(article_id)
            if title and fuzz.ratio(said, _key(title)) >= TITLE_MATCH:
                rest = re.sub(r"\s{2,}", " ", question[: m.start()] + question[m.end():]).strip()
                return Titled(article_id, title, rest)
    return None


def _inner(m: re.Match) -> str:
    return next(g for g in m.groups() if g is not None)


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", fold(text)))
