"""Stand-in preparation for `python -m bench scale --stand-in-preparation` (issue 13).

A generated article is a MultiHop article with sentences dropped, figures shifted and a dateline in
front (`bench.scale._varied`, which also says where each of its characters came from). Preparing
it for real (pysbd's sentences, spaCy's entities) costs ~0.2 s an article on this machine, ~7 hours
at 100k articles. Here each of the 609 source articles is prepared for real once (the same
`index.ingest.sentences.split_sentences` and `index.ingest.annotate.annotate` the writer runs, on the source's
text), and a variant takes that work mapped through the character map:

- sentences: each source sentence becomes the span of its characters that were kept (none kept:
  gone); the first one also takes the dateline in front;
- entities: each source entity whose characters were all kept (whitespace aside), at its new place;
  the dateline gets none (the outlet and date are the article's metadata anyway);
- windows (`index.ingest.chunking.chunk_document`) and the near-duplicate signature (`simhash`) are
  computed for real on the variant, as the writer does.

The cleaned text the writer sees drops whole lines of the generated one (`index.ingest.cleaning` never
rewrites a line it keeps); the map follows the kept lines. An article whose text does not come out
exactly as the writer's is prepared for real and counted (`fallback`). What stays real either way:
the text, SQLite, the keyword index, the vector segments and asking.
"""

from __future__ import annotations

import random
import time

import numpy as np

from bench import ARTICLES, load_jsonl
from bench.scale import _varied, outlet_weights
from index.ingest.annotate import annotate
from index.ingest.chunking import chunk_document
from index.ingest.near_duplicates import simhash
from index.ingest.prepare import Prepared, prepare
from index.ingest.sentences import split_sentences

METHOD = ("stand-in: each source article's real sentences and entities (pysbd, spaCy, run once on "
          "each of the 609 MultiHop articles) mapped onto its variants; windows and simhash real")


def _cleaned_map(raw: str, src: list[int], cleaned: str) -> list[int] | None:
    """`src` for the lines of `raw` that `cleaned` kept (whole lines, in order), or None."""
    lines, starts, at = raw.split("\n"), [], 0
    for line in lines:
        starts.append(at)
        at += len(line) + 1
    out: list[int] = []
    k = 0
    for j, line in enumerate(cleaned.split("\n")):
        while k < len(lines) and lines[k] != line:
            k += 1
        if k == len(lines):
            return None
        if j:
            out.append(-1)
        out.extend(src[starts[k]:starts[k] + len(line)])
        k += 1
    return out


class StandInPreparation:
    """Called as `index.ingest.prepare.prepare_all` (the writer's name for it is replaced in the bench's child)."""

    def __init__(self):
        self.base = load_jsonl(ARTICLES)
        self.number = {a["id"]: i for i, a in enumerate(self.base)}
        self.outlets, self.weights = outlet_weights(self.base)
        self.sources: dict[int, tuple[list[tuple[int, int]], list]] = {}
        self.counts = {"mapped": 0, "fallback": 0, "sources_prepared": 0}
        self.seconds = {"sources_real": 0.0, "mapping": 0.0, "fallback_real": 0.0}

    def _source(self, i: int):
        if i not in self.sources:
            t = time.perf_counter()
            text = self.base[i]["text"]
            sentences = split_sentences(text) or [(0, len(text))]
            self.sources[i] = (sentences, annotate(text, sentences))
            self.counts["sources_prepared"] += 1
            self.seconds["sources_real"] += time.perf_counter() - t
        return self.sources[i]

    def _mapped(self, doc, settings) -> Prepared | None:
        name, _, copy = doc.id.rpartition("-")
        if name not in self.number or not copy.isdigit():
            return None
        i = self.number[name] + int(copy) * len(self.base)
        article, raw_src = _varied(self.base[i % len(self.base)], int(copy), random.Random(i), self.outlets, self.weights)
        src_text = article["text"]
        src = _cleaned_map(src_text, raw_src, doc.text)
        if src is None or len(src) != len(doc.text):
            return None
        sentences_src, entities_src = self._source(self.number[name])
        t = time.perf_counter()
        source = self.base[self.number[name]]["text"]
        at = np.asarray(src, dtype=np.int64)
        where = np.nonzero(at >= 0)[0]
        came = at[where]  # non-decreasing: pieces and lines keep their order
        kept = np.zeros(len(source) + 1, dtype=bool)
        kept[came] = True

        def span(s: int, e: int) -> tuple[int, int] | None:
            lo, hi = np.searchsorted(came, s, "left"), np.searchsorted(came, e, "left")
            return (int(where[lo]), int(where[hi - 1]) + 1) if lo < hi else None

        sentences = [sp for s, e in sentences_src if (sp := span(s, e))]
        sentences = [(0, sentences[0][1])] + sentences[1:] if sentences else [(0, len(doc.text))]
        entities = []
        for ent in entities_src:
            lost = np.nonzero(~kept[ent.start:ent.end])[0]
            if all(source[ent.start + k].isspace() for k in lost) and (sp := span(ent.start, ent.end)):
                entities.append(type(ent)(sp[0], sp[1], ent.label))
        chunks = chunk_document(doc, sentences, settings.chunk_words, settings.chunk_stride, settings.embed_header)
        self.seconds["mapping"] += time.perf_counter() - t
        return Prepared(doc, sentences, chunks, entities, simhash(doc.text)) if chunks else Prepared(doc, sentences, [], [], 0)

    def __call__(self, docs, settings, workers: int = 1):
        for doc in docs:
            item = self._mapped(doc, settings)
            if item is None:
                t = time.perf_counter()
                item = prepare(doc, settings)
                self.counts["fallback"] += 1
                self.seconds["fallback_real"] += time.perf_counter() - t
            else:
                self.counts["mapped"] += 1
            yield item

    def report(self) -> dict:
        return {"method": METHOD, **self.counts, **{f"{k}_s": round(v, 2) for k, v in self.seconds.items()}}
