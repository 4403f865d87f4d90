"""The one spaCy parse of a question: tokens, lemmas, part-of-speech, dependencies and entities.

Asking parses the question only, never articles (their entities were found at index time,
`index.ingest.annotate`). The pipeline is the same `en_core_web_sm` 3.8 wheel the index uses, loaded once
per process with its tagger, lemmatizer, parser and NER; a question of 20 words parses in a few ms.
Every stage that reads a question's structure reads it from `structure(question)`, so one ask parses
a question once, without NER: nothing reads a question's entities, and NER, the pipeline's last
component, is about half of its time (5 of 12 ms a MultiHop question) and changes no tag, lemma or
dependency (the same on all 1,794 MultiHop and seed questions). `parse(text)` runs every component
(`qa.answer.generate.verify` reads the entities of generated sentences).
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def pipeline():
    """spaCy's small English pipeline, sentence splitter left out (a question is one unit); imported
    as the index imports it (`index.ingest.annotate.import_model`: without torch, about 1 s sooner)."""
    from index.ingest.annotate import import_model

    return import_model().load(exclude=["senter"])


@lru_cache(maxsize=256)
def parse(text: str):
    """The parsed `spacy.tokens.Doc` of `text` (cached: the same question is parsed once)."""
    return pipeline()(text)


@lru_cache(maxsize=256)
def structure(text: str):
    """The parsed `spacy.tokens.Doc` of a question without its named entities (cached: parsed once):
    tokens, tags, lemmas and dependencies, as `parse` gives them."""
    return pipeline()(text, disable=["ner"])
