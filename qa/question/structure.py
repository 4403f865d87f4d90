"""The structure of a question, read from its dependency parse (`qa.question.parse`): which slot it asks
to fill, the predicate that slot belongs to, whether it is negated, the question's other
arguments, and an outlet it names as a constraint ("according to TechCrunch").

"Who did the minister meet?" asks for the object of *meet* (argument: minister); "Who criticised
the plan?" for its subject (argument: plan); "Who is Germany's finance minister?" for the person
in a role (attribute of *be*); "Where…" and "When…" for a place and a time. The answer scorer
(`qa.answer.candidates`) reads a candidate sentence against this: does it use the predicate, on which
side of it does the candidate stand, is the predicate negated there, how many of the other
arguments does it hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from qa.lexicon.titles import ROLE
from qa.lexicon.words import lemma
from qa.question.parse import structure

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
    arguments: tuple[str, ...] = ()  # lemmas (qa.lexicon.words.lemma) of the other nouns and names
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
    """The structured reading of one question (parsed once, `qa.question.parse.structure`)."""
    doc = structure(question)
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


BE_FORMS = frozenset({"is", "was", "are", "were"})
_ROLE_PREPS = frozenset({"of", "to", "for", "at"})  # "the head of …", "the ambassador to Russia"


@dataclass(frozen=True)
class Role:
    """The role a "Who is Germany's finance minister?" question asks to fill: its head noun, the
    words that narrow it ("finance"; "football", "team" in "the head of the Kremlin's football
    team") and the parties it belongs to ("Germany", "Kremlin"), as lemmas (`qa.lexicon.words.lemma`) but
    the parties as written; `phrase` is the role as the question puts it."""
    head: str
    narrowing: tuple[str, ...]
    parties: tuple[str, ...]
    phrase: str


def _party(token) -> list[str]:
    """The names a proper noun stands for, one per conjunct: "Britain and France" → Britain, France."""
    own = " ".join(t.text for t in token.children if t.dep_ == "compound" and t.pos_ == "PROPN")
    names = [f"{own} {token.text}".strip()]
    for c in token.children:
        if c.dep_ == "conj" and c.pos_ == "PROPN":
            names += _party(c)
    return names


def _narrowing(token, words: list, parties: list) -> None:
    """The words and parties that narrow a role noun, read from its children in the parse."""
    for c in token.children:
        if c.pos_ == "PROPN" and c.dep_ in ("poss", "compound", "pobj", "appos"):
            parties += _party(c)
        elif c.dep_ in ("compound", "amod") and c.pos_ in ("NOUN", "ADJ"):
            words.append(lemma(c.text))
            _narrowing(c, words, parties)  # "national security adviser"
        elif c.dep_ == "poss" and c.pos_ == "NOUN":  # "the team's coach"
            words.append(lemma(c.text))
            _narrowing(c, words, parties)
        elif c.dep_ == "prep" and c.lower_ in _ROLE_PREPS:
            for obj in c.children:
                if obj.dep_ == "pobj" and obj.pos_ == "PROPN":
                    parties += _party(obj)
                elif obj.dep_ == "pobj" and obj.pos_ == "NOUN":
                    words.append(lemma(obj.text))
                    _narrowing(obj, words, parties)


@lru_cache(maxsize=256)
def asked_role(question: str) -> Role | None:
    """The role a question of one clause asks who holds ("Who is the Kremlin's spokesman?",
    "Who was the US ambassador to Russia?"), or None: a question about a named person ("Who is
    Yuri Ushakov?"), one with a verb of its own, or one that asks something else. Only a question
    that starts "Who is/was/are/were" is parsed here."""
    words = question.split()
    if len(words) < 3 or words[0].casefold() != "who" or words[1].casefold() not in BE_FORMS:
        return None
    doc = structure(question)
    if any(t.pos_ == "VERB" for t in doc):  # "Who is the official who briefed …": not a role alone
        return None
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    head = next((c for c in root.children if c.dep_ in ("nsubj", "attr") and c.pos_ in ("NOUN", "PROPN")
                 and ROLE.fullmatch(c.text)), None) if root is not None else None
    if head is None or head.tag_ in ("NNS", "NNPS"):  # "Who is Yuri Ushakov?": no title; a list: its own rules
        return None
    narrowing: list[str] = []
    parties: list[str] = []
    _narrowing(head, narrowing, parties)
    span = doc[head.left_edge.i:head.right_edge.i + 1]
    return Role(lemma(head.text), tuple(dict.fromkeys(narrowing)), tuple(dict.fromkeys(parties)), span.text)
