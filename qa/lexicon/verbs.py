"""Verb forms a question and a sentence may use for one act: "began" and "begin", "led" and "leads"."""

from __future__ import annotations

import json
from pathlib import Path

# Irregular verb forms and their base ("began": "begin", "led": "lead"), taken from the spaCy English
# model's lemmatizer exceptions (tests/test_answers.py checks them against it), less the regular forms that
# `qa.lexicon.words.stem`'s suffixes handle and the forms that are more often another word ("left", "found", "saw", "lay").
# Loaded from a file: importing spaCy's lookups at ask time costs 2 s.
IRREGULAR = json.loads((Path(__file__).with_name("irregular_verbs.json")).read_text(encoding="utf-8"))
_FORMS: dict[str, set[str]] = {}  # base -> its irregular forms ("begin": began, begun)
for _form, _base in IRREGULAR.items():
    _FORMS.setdefault(_base, set()).add(_form)

# Reported speech as news writes it: "…, Sullivan said", "Peskov told reporters", "Ushakov stressed"
SAID = ("(?:said|says|told|tells|warned|warns|added|adds|noted|notes|admitted|announced|stressed|insisted|recalled|"
        "declared|wrote|writes|assured|assures|confirmed|stated|states|reported|reports|explained|claimed|claims|argued|"
        "called|described|promised)")


def verb_forms(word: str) -> set[str]:
    """The word, its base and every irregular form of that base: "began" -> began, begin, begun."""
    w = word.casefold()
    base = IRREGULAR.get(w, w)
    return {w, base} | _FORMS.get(base, set())


def past_form(word: str) -> bool:
    """A verb in the past tense, read without a tagger: a regular "-ed" form ("chaired") or an
    irregular one that is not a present form ("won", "led"; not "has")."""
    w = word.casefold()
    if w.endswith("ed") and len(w) >= 5:
        return True
    return w in IRREGULAR and not w.endswith("s") and not w.endswith("ing")
