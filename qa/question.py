"""The structure of a question, read from its dependency parse (`qa.parse`): which slot it asks
to fill, the predicate that slot belongs to, whether it is negated, the question's other
arguments, and an outlet it names as a constraint ("according to TechCrunch").

"Who did the minister meet?" asks for the object of *meet* (argument: minister); "Who criticised
the plan?" for its subject (argument: plan); "Who is Germany's finance minister?" for the person
in a role (attribute of *be*); "Where…" and "When…" for a place and a time. The answer scorer
(`qa.candidates`) reads a candidate sentence against this: does it use the predicate, on which
side of it does the candidate stand, is the predicate negated there, how many of the other
arguments does it hold.
"""

from __future__ import annotations

from dataclasses import dataclass

from qa.parse import parse
from qa.query import lemma

WH_TAGS = frozenset({"WDT", "WP", "WP$", "WRB"})  # Penn tags of the question words
SUBJECT_DEPS = frozenset({"nsubj", "csubj", "expl"})
OBJECT_DEPS = frozenset({"dobj", "nsubjpass", "pobj", "dative", "oprd"})  # a passive subject is the acted-on
ARGUMENT_POS = frozenset({"NOUN", "PROPN", "NUM"})
LIGHT_VERBS = frozenset({"be", "do", "have"})  # carry tense or identity, not the event asked about


@dataclass(frozen=True)
class Reading:
    slot: str | None = None  # subject, object, role, place, time, other (None: no question word)
    predicate: str | None = None  # the lemma of the verb the slot belongs to, unless a light verb
    negated: bool = False  # "Which city did they not visit?"
    arguments: tuple[str, ...] = ()  # lemmas (qa.query.lemma) of the other nouns and names
    according_to: str | None = None  # "According to TechCrunch, …": the outlet as written


def _wh_head(doc):
    """The question word's phrase head: "which company" → company, "how many soldiers" → soldiers."""
    wh = next((t for t in doc if t.tag_ in WH_TAGS), None)
    if wh is None:
        return None, None
    head = wh
    while head.dep_ in ("det", "advmod", "amod", "nummod") and head.head.i != head.i \
            and head.head.pos_ in ("NOUN", "PROPN", "ADJ", "PRON") and head.head.i > head.i:
        head = head.head  # how → many → soldiers; which → company
    return wh, head


def _governor(token):
    """The verb that a token is an argument of (itself when it is one)."""
    t = token
    while (t.pos_ not in ("VERB", "AUX") or t.dep_ in ("aux", "auxpass")) and t.head.i != t.i:
        t = t.head  # an auxiliary ("did") hands over to the verb it serves
    return t if t.pos_ in ("VERB", "AUX") else None


def _slot(wh, head, verb) -> str:
    w = wh.lower_
    if w == "where":
        return "place"
    if w == "when":
        return "time"
    if head.dep_ == "attr" or (head.dep_ == "nsubj" and verb is not None and verb.lemma_ == "be"):
        return "role"  # "Who is Germany's finance minister?", "Which company is the maker of …"
    if head.dep_ in SUBJECT_DEPS:
        return "subject"
    if head.dep_ in OBJECT_DEPS:
        if head.dep_ == "pobj" and head.head.lower_ in ("in", "at", "from", "to", "near"):
            return "place"
        return "object"
    return "other"


def read(question: str) -> Reading:
    """The structured reading of one question (parsed once, `qa.parse`)."""
    doc = parse(question)
    according = None
    skip: set[int] = set()
    for t in doc:
        if t.lemma_ == "accord" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to":
            obj = [c for c in doc[t.i + 1].children if c.dep_ == "pobj"]
            if obj:  # the name and its modifiers before it, not a clause hung on it
                span = doc[obj[0].left_edge.i:obj[0].i + 1]
                according = span.text
                skip.update(range(t.i, span.end))
    wh, head = _wh_head(doc)
    if wh is None:
        return Reading(according_to=according)
    verb = _governor(head)
    while verb is not None and verb.lemma_ == "accord":  # "According to X, which company was sued…"
        verb = next((c for c in verb.subtree if c.pos_ == "VERB" and c.lemma_ != "accord"), None)
    slot = _slot(wh, head, verb)
    predicate = verb.lemma_.casefold() if verb is not None and verb.lemma_ not in LIGHT_VERBS else None
    if predicate is None and verb is not None:  # "What did X do …" / "had Russia gathered": the verb it governs
        inner = next((c for c in verb.children if c.pos_ == "VERB" and c.dep_ in ("ccomp", "xcomp", "acomp")), None)
        predicate = inner.lemma_.casefold() if inner is not None and inner.lemma_ not in LIGHT_VERBS else None
    negated = verb is not None and any(c.dep_ == "neg" for c in verb.children)
    asked = {t.i for t in head.subtree} if head is not None and head.dep_ != "ROOT" else {wh.i}
    arguments = tuple(dict.fromkeys(lemma(t.text) for t in doc if t.pos_ in ARGUMENT_POS
                                    and t.i not in asked and t.i not in skip))
    return Reading(slot, predicate and lemma(predicate), negated, arguments, according)
