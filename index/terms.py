"""Keyword terms for backends without FTS5 (Qdrant): Byline tokenizes and weights text itself, so
nothing is downloaded and the keyword leg reads the same words as the embedded index.

- Tokens: FTS5's `unicode61 remove_diacritics 2` tokenizer as SQLite applies it to `chunks_fts`
  (runs of letters and digits, lower case, diacritics removed), so `vocabulary` and `doc_freq` name
  the same words on both backends. ASCII text is split here; any other text is handed to SQLite's
  own FTS5 (an in-memory table), because no rule written here agrees with it everywhere: it keeps
  emoji and other characters above U+FFFF as token characters, folds neither `½` nor the
  mathematical letters `𝗔`, and keeps bidi controls (MultiHop: 1,730 of 88,238 windows go to SQLite).
- Term ids: 32 bits of the BLAKE2b hash of the token (Qdrant sparse indices are uint32). Two tokens
  of a 1M-word vocabulary share an id with odds of about 1 in 8,600 per pair drawn; a collision only
  merges two words' keyword scores.
- Weights: a chunk's value for a term is BM25's saturated term frequency (k1 = 1.2, b = 0.75, FTS5's
  bm25 defaults) with the window length against `avg_words` (windows are fixed-size, so the average
  is known); Qdrant multiplies it by its own IDF (`Modifier.IDF`, recomputed as points come and go).
- Prefixes: FTS5 matches `"russia"*` against every token starting with it, as one term; here each
  token also gives the terms `russ*`, `russi*`, … `russia*` (from 4 letters, as `qa.question.query` asks for
  prefixes), so a prefix query is one sparse term with its own document count, as in FTS5.
- IDF: Qdrant's IDF has a `1 +` inside the logarithm that FTS5's has not; the query weight
  `fts_weight` scales each term back to FTS5's (from the term's window count), so both backends
  rank keyword hits by the same bm25 score.
- Numbers written with digit groups ("100,000") are two tokens for FTS5, matched there as a phrase;
  here each adjacent pair of digit tokens is also a term of its own ("100 000"), so the phrase query
  `"100 000"` becomes that pair term.
"""

from __future__ import annotations

import hashlib
import math
import re
import sqlite3
import threading
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

K1, B = 1.2, 0.75  # FTS5 bm25() defaults
PREFIX_MIN = 4  # qa.question.query asks for a stem prefix only from 4 letters
_TOKEN = re.compile(r"[A-Za-z0-9]+")  # FTS5 unicode61 in ASCII: everything else separates
_PART = re.compile(r'"((?:[^"]|"")*)"(\*?)')


# Punctuation and spaces that separate tokens for FTS5 (Unicode P* and Z*), common in news text: a
# text that is ASCII once they are blanked is split here, not by SQLite (3x faster on MultiHop)
_SEPARATORS = str.maketrans({c: " " for c in "\u00a0\u00ab\u00bb\u2013\u2014\u2018\u2019\u201a\u201c\u201d"
                                             "\u201e\u2022\u2026\u2032\u2033"})


def tokenize(text: str) -> list[str]:
    ascii_text = folded(text)
    if ascii_text is None:
        return _fts5_tokens(text)
    return _TOKEN.findall(ascii_text)  # FTS5's rule for ASCII: runs of letters and digits


def folded(text: str) -> str | None:
    """The text as `tokenize` reads ASCII (its separators blanked, in lower case), of the same length, so that a
    part of it is read as that part of the text; None when FTS5 must tokenize it (`_fts5_tokens`)."""
    plain = text if text.isascii() else text.translate(_SEPARATORS)
    return plain.lower() if plain.isascii() else None


def tokenized(text: str, folded_text: str | None = None) -> tuple[str, int]:
    """The text's tokens (`tokenize`) joined by spaces, and how many there are: what `Bm25.score` reads.
    `folded_text`: the text already `folded`, when it is ASCII."""
    found = _TOKEN.findall(folded_text) if folded_text is not None else tokenize(text)
    return " ".join(found), len(found)


_local = threading.local()


def _fts5_tokens(text: str) -> list[str]:
    """The tokens SQLite's FTS5 gives `text` with the embedded index's tokenizer, in order."""
    db = getattr(_local, "db", None)
    if db is None:
        db = _local.db = sqlite3.connect(":memory:", isolation_level=None)
        db.execute("CREATE VIRTUAL TABLE t USING fts5(text, tokenize='unicode61 remove_diacritics 2')")
        db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    db.execute("INSERT INTO t(rowid, text) VALUES (1, ?)", (text,))
    try:
        return [term for (term,) in db.execute("SELECT term FROM v ORDER BY offset")]
    finally:
        db.execute("DELETE FROM t")


@lru_cache(maxsize=1 << 18)
def term_id(term: str) -> int:
    return int.from_bytes(hashlib.blake2b(term.encode("utf-8"), digest_size=4).digest(), "big")


def digit_pairs(tokens: list[str]) -> list[str]:
    return [f"{a} {b}" for a, b in zip(tokens, tokens[1:]) if a.isdigit() and b.isdigit()]


@dataclass(frozen=True)
class Terms:
    """A chunk's keyword side: its distinct words (for `doc_freq`/`vocabulary`) and its sparse vector."""

    words: tuple[str, ...]
    pairs: tuple[str, ...]  # adjacent digit tokens ("100 000"), counted like words for the query's IDF
    indices: tuple[int, ...]
    values: tuple[float, ...]


def prefix_terms(tokens: list[str]) -> list[str]:
    """`stem*` for every prefix of a token of at least PREFIX_MIN letters, the whole token included (FTS5: "russia"* matches russia)."""
    return [t[:i] + "*" for t in tokens for i in range(PREFIX_MIN, len(t) + 1)]


def chunk_terms(text: str, avg_words: float) -> Terms:
    tokens = tokenize(text)
    pairs = digit_pairs(tokens)
    counts = Counter(tokens + pairs + prefix_terms(tokens))
    norm = K1 * (1 - B + B * len(tokens) / max(avg_words, 1.0))
    weights: dict[int, float] = {}
    for term, tf in counts.items():  # colliding ids add up (see the module note)
        tid = term_id(term)
        weights[tid] = weights.get(tid, 0.0) + tf * (K1 + 1) / (tf + norm)
    return Terms(tuple(sorted(set(tokens))), tuple(sorted(set(pairs))), tuple(weights), tuple(weights.values()))


def fts_weight(total: int, hits: int) -> float:
    """A query term's weight that turns Qdrant's IDF, ln(1 + (N - n + 0.5) / (n + 0.5)), into FTS5's
    bm25 IDF, ln((N - n + 0.5) / (n + 0.5)) floored at 1e-6: with the window's BM25 term frequency
    as its value, the keyword score is then FTS5's bm25 (0 when no window holds the term)."""
    if hits <= 0 or total <= 0:
        return 0.0
    ratio = (total - hits + 0.5) / (hits + 0.5)
    return max(math.log(ratio), 1e-6) / math.log(1.0 + ratio)


@dataclass(frozen=True)
class KeywordQuery:
    """An FTS5 query as `qa.question.query.fts_query` writes it (`"word"`, `"stem"*`, `"100 000"`, joined by OR)."""

    words: tuple[str, ...]  # whole words and the pair terms of phrases, repeats included
    prefixes: tuple[str, ...]  # expanded to the indexed words that start with them, repeats included


def parse_match(match: str) -> KeywordQuery:
    words: list[str] = []
    prefixes: list[str] = []
    for phrase in phrases(match):
        tokens = list(phrase.tokens)
        if len(tokens) > 1:
            words += digit_pairs(tokens) or tokens
        elif phrase.prefix:
            prefixes.append(tokens[0])
        else:
            words.append(tokens[0])
    return KeywordQuery(tuple(words), tuple(prefixes))  # repeats kept: FTS5's bm25 adds a phrase once each time


@dataclass(frozen=True)
class Phrase:
    """One phrase of an FTS5 query as FTS5 reads it: its tokens, the last one a prefix when starred ("russ"*)."""

    tokens: tuple[str, ...]
    prefix: bool


def phrases(match: str) -> list[Phrase]:
    """The phrases of an FTS5 query, in its order, repeats kept (FTS5's bm25 adds a phrase once each time)."""
    out = []
    for body, star in _PART.findall(match):
        tokens = tokenize(body.replace('""', '"'))
        if tokens:
            out.append(Phrase(tuple(tokens), bool(star)))
    return out


class Bm25:
    """FTS5's bm25() of one query, as SQLite's fts5_aux.c computes it, to the last bit: each phrase's IDF
    ln((N - n + 0.5) / (n + 0.5)) (1e-6 where that is not above 0) from N rows and the n rows holding the
    phrase, and a row's score the sum over the phrases, in the query's order, of IDF * f * (k1 + 1) /
    (f + k1 * (1 - b + b * D / avgdl)), f the phrase's instances in the row and D its tokens. `rows` and
    `tokens` are the table's own counts (its averages record), `hits` each phrase's row count."""

    def __init__(self, query: list[Phrase], hits: list[int], rows: int, tokens: int):
        self.query = query
        self.idf = [_idf(rows, n) for n in hits]
        self.avgdl = float(tokens) / float(rows)
        self._words: dict[str, list[int]] = {}  # a whole-word phrase -> its places in the query
        self._prefixes: dict[str, list[int]] = {}
        self._longer = [i for i, p in enumerate(query) if len(p.tokens) > 1]
        for i, p in enumerate(query):
            if len(p.tokens) == 1:
                (self._prefixes if p.prefix else self._words).setdefault(p.tokens[0], []).append(i)
        starts = sorted(set(self._words) | set(self._prefixes), key=len, reverse=True)
        # the tokens of a row that may be an instance of a one-token phrase: those starting with one (tokens
        # are joined by spaces and hold none), found by one regular-expression pass instead of a Python loop
        self._finder = re.compile(r"(?<![^ ])(?:" + "|".join(map(re.escape, starts)) + r")[^ ]*") if starts else None
        self._matched: dict[str, list[int]] = {}  # a token -> the one-token phrases it is an instance of

    def _phrases_of(self, token: str) -> list[int]:
        found = self._matched.get(token)
        if found is None:
            found = list(self._words.get(token, ()))
            for n in range(1, len(token) + 1):
                found += self._prefixes.get(token[:n], ())
            self._matched[token] = found
        return found

    def score(self, tokens: str, count: int) -> float:
        """The row's bm25 score (FTS5's bm25() less its sign) from its tokens joined by spaces (`tokenized`)."""
        freq = [0.0] * len(self.query)
        if self._finder is not None:
            for token in self._finder.findall(tokens):
                for i in self._phrases_of(token):
                    freq[i] += 1.0
        if self._longer:
            split = tokens.split(" ")
            for i in self._longer:
                freq[i] += _instances(self.query[i], split)
        norm = K1 * (1 - B + B * float(count) / self.avgdl)
        score = 0.0
        for f, idf in zip(freq, self.idf):
            if f:  # a phrase the row lacks adds 0.0, which leaves the sum as it is
                score += idf * ((f * (K1 + 1.0)) / (f + norm))
        return score


def _idf(rows: int, hits: int) -> float:
    idf = math.log((rows - hits + 0.5) / (hits + 0.5))
    return idf if idf > 0.0 else 1e-6


def _instances(phrase: Phrase, tokens: list[str]) -> int:
    """How often the phrase of several tokens occurs in a row's tokens."""
    *whole, last = phrase.tokens
    n = len(phrase.tokens)
    return sum(1 for i in range(len(tokens) - n + 1) if tokens[i:i + n - 1] == whole and
               (tokens[i + n - 1].startswith(last) if phrase.prefix else tokens[i + n - 1] == last))


def heads(term: str) -> list[str]:
    """Every prefix of a word (its own first letters up to the whole word), for prefix look-ups."""
    return [term[:i] for i in range(1, len(term) + 1)]
