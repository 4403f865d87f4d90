"""The messages sent to the model: the rules (`prompt.md`), then the numbered passages with their
outlet and date, the conversation so far, and the question (`user.md`).

A passage is a retrieved window widened to whole sentences (one more on each side), so a sentence
the model writes can be checked against sentences of the article, and cited by their exact span.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from qa.types import NO_OUTLET, Hit

# hand-set: on 30 seed questions the whole prompt is 816 words at the median, 1,072 at most (about
# 1,400 tokens), so a small model with a 4k context keeps room to answer
PASSAGES = 6
WIDEN = 1  # sentences added on each side of a window
MAX_SENTENCES = 4  # the extractive answer gives at most 4; a longer reply is not more useful
TURNS = 3  # earlier turns of the conversation given to the model
TURN_CHARS = 400  # … each answer cut to this many characters


@dataclass(frozen=True)
class Passage:
    number: int
    article_id: str
    title: str | None
    outlet: str | None
    published_at: str | None
    url: str | None
    text: str  # the article's text from `start` to `end`
    start: int
    end: int
    sentences: tuple[tuple[int, int], ...]  # spans in the article's text, in order


@lru_cache(maxsize=4)
def template(name: str) -> str:
    return resources.files("qa.answer.generate").joinpath(name).read_text(encoding="utf-8")


def passages(index, hits: list[Hit], most: int = PASSAGES) -> list[Passage]:
    """Up to `most` passages from the best hits, overlapping windows of one article merged."""
    chunks = index.chunks([h.chunk_id for h in hits])
    spans: list[list] = []  # [article_id, rowid, lo, hi]
    for hit in hits:
        row = chunks.get(hit.chunk_id)
        if row is None:
            continue
        lo, hi = max(0, row.sent_lo - WIDEN), row.sent_hi + WIDEN
        for span in spans:
            if span[0] == row.article_id and lo <= span[3] + 1 and hi >= span[2] - 1:
                span[2], span[3] = min(span[2], lo), max(span[3], hi)
                break
        else:
            if len(spans) == most:
                continue
            spans.append([row.article_id, row.article_rowid, lo, hi])
    out = []
    for article_id, rowid, lo, hi in spans:
        article = index.article(article_id)
        sents = [(s.start, s.end) for s in index.sentences(rowid, lo, hi)]
        if article is None or not sents:
            continue
        start, end = sents[0][0], sents[-1][1]
        out.append(Passage(len(out) + 1, article_id, article.title, article.source, article.published_at, article.url,
                           article.text[start:end], start, end, tuple(sents)))
    return out


def _heading(p: Passage) -> str:
    date = (p.published_at or "")[:10] or "date not stated"
    title = f", “{' '.join(p.title.split())}”" if p.title else ""
    return f"[{p.number}] {p.outlet or NO_OUTLET}, {date}{title}"


def messages(question: str, ps: list[Passage], conversation=None) -> list[dict]:
    earlier = ""
    turns = [t for t in (conversation.turns if conversation else []) if t.question][-TURNS:]
    if turns:
        lines = []
        for t in turns:
            said = " ".join((t.text or "").split())[:TURN_CHARS]
            lines.append(f"Q: {t.question}\nA: {said}")
        earlier = "Conversation so far:\n" + "\n".join(lines) + "\n\n"
    body = "\n\n".join(f"{_heading(p)}\n{' '.join(p.text.split())}" for p in ps)
    system = template("prompt.md").format(max_sentences=MAX_SENTENCES)
    user = template("user.md").format(conversation=earlier, passages=body, question=question)
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]
