"""The role a question asks to fill, read from its dependency parse (`qa.question.parse`).

"Who is Germany's finance minister?" asks for the person in a role: its head noun (minister), the words
that narrow it (finance) and the parties it belongs to (Germany). The answer must be tied to that role
in the text (`qa.answer.describe.role_tie`).

The question's slot, predicate and other arguments were read here too, for the answer scorer; fitted
with and without them (bench/train_answer_scorer.py), the scorer picked as well without
(cross-validated top-1 0.818 against 0.813), so a look-up no longer parses its question for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from qa.lexicon.titles import ROLE
from qa.lexicon.words import lemma, tokens
from qa.question.parse import structure

BE_FORMS = frozenset({"is", "was", "are", "were"})
SERVE_FORMS = frozenset({"serves", "served"})  # "Who serves as …?" asks for a role as "Who is …?" does
# a role question is short: of the 237 "Who is/was …" questions of MultiHop-RAG, the seeds and our probes, the
# 24 that ask for a role have at most 10 words, and the 211 of more than 15 ask about someone described by a
# clause ("Who is the individual associated with …"); those are not parsed (13 ms a question)
ROLE_WORDS = 15
_ROLE_PREPS = frozenset({"of", "to", "for", "at", "in"})  # "the head of …", "the ambassador to Russia", "in Moscow"


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
    that starts "Who is/was/are/were" or "Who serves/served/is serving as", of at most ROLE_WORDS words, is
    parsed here."""
    words = question.split()
    if not 3 <= len(words) <= ROLE_WORDS or words[0].casefold() != "who" or \
            words[1].casefold() not in BE_FORMS | SERVE_FORMS:
        return None
    doc = structure(question)
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is not None and root.lemma_ == "serve":  # "Who is currently serving as the US ambassador in Moscow?"
        held = [o for p in root.children if p.dep_ == "prep" and p.lower_ == "as" for o in p.children
                if o.dep_ == "pobj"]
    elif any(t.pos_ == "VERB" for t in doc):  # "Who is the official who briefed …": not a role alone
        return None
    else:
        held = [c for c in root.children if c.dep_ in ("nsubj", "attr")] if root is not None else []
    head = next((c for c in held if c.pos_ in ("NOUN", "PROPN") and ROLE.fullmatch(c.text)), None)
    if head is None or head.tag_ in ("NNS", "NNPS"):  # "Who is Yuri Ushakov?": no title; a list: its own rules
        return None
    narrowing: list[str] = []
    parties: list[str] = []
    _narrowing(head, narrowing, parties)
    span = doc[head.left_edge.i:head.right_edge.i + 1]
    return Role(lemma(head.text), tuple(dict.fromkeys(narrowing)), tuple(dict.fromkeys(parties)), span.text)


@dataclass(frozen=True)
class Described:
    """How a question describes the person it asks for: the noun phrase as written, and its head noun's lemma."""
    phrase: str
    head: str


@lru_cache(maxsize=256)
def described_person(question: str) -> Described | None:
    """The noun phrase a question describes the person it asks for with, as written, less the question word
    and the clauses that say what the person did: "head of NATO" in "Which head of NATO was briefed …?",
    "the Ukrainian head of state" in "Who is the Ukrainian head of state that Biden was due to phone?", "a
    former US envoy to Warsaw" in "Who, a former US envoy to Warsaw, predicted …?". None where the question
    describes the person only by what they did ("Who led the delegation?")."""
    doc = structure(question)
    for t in doc:
        if t.lower_ in ("which", "what") and t.dep_ == "det" and _nominal(t.head):
            return Described(_noun_phrase(t.head, t), _head_lemma(t.head))
        if t.lower_ == "who":
            held = [c for c in t.children if c.dep_ == "appos"] or \
                [c for c in t.head.children if c.dep_ in ("attr", "nsubj") and c.i != t.i and
                 (t.head.lemma_ == "be" or c.left_edge.i == t.i + 2 and t.nbor().text == ",")]  # "Who, an envoy,"
            head = next((c for c in held if _nominal(c)), None)
            if head is None or not any(x.pos_ == "NOUN" for x in head.subtree):
                return None  # "Who is Yuri Ushakov?": a name, not a description
            return Described(_noun_phrase(head), _head_lemma(head))
    return None


def _head_lemma(token) -> str:
    """The lemma of a description's head noun: "head" of "head of NATO", "chancellor" of "chancellor-designate"."""
    noun = token if token.pos_ != "ADJ" else next(c for c in token.children if c.dep_ == "compound")
    return lemma(noun.text)


def _nominal(token) -> bool:
    """A noun, or an adjective heading a hyphenated title ("chancellor-designate")."""
    return token.pos_ in ("NOUN", "PROPN") or token.pos_ == "ADJ" and any(
        c.dep_ == "compound" and c.pos_ == "NOUN" for c in token.children)


def _noun_phrase(head, skip=None) -> str:
    """The words under `head` in the parse, less `skip` and its relative clauses."""
    drop = {y.i for c in head.children if c.dep_ in ("relcl", "acl") for y in c.subtree}
    words = "".join(x.text_with_ws for x in head.subtree if x.i not in drop and (skip is None or x.i != skip.i))
    return words.strip(" ,")


_TOLD = frozenset({"tell", "say", "inform", "assure", "warn", "brief"})  # verbs of telling someone something
_HEARER = frozenset({"tell", "inform", "assure", "brief"})  # whose object is the one told (not "warn Russia would")
# their forms as `lemma` reads them ("told": tell, "assured": assur), so that a question without one is not parsed
_TOLD_FORMS = frozenset(lemma(v + end) for v in _TOLD for end in ("", "s", "d", "ed", "ing"))


@lru_cache(maxsize=256)
def told(question: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the names a question has told something, the names that tell it), read from its parse: (("Biden",),
    ("Scholz",)) of "What did Olaf Scholz tell Biden when …?", (("CNN",), ()) of "How many troops did the
    minister tell CNN were massed …?", (("Biden",), ("Lavrov",)) of "What did Lavrov say to Biden?"; ((), ())
    where no one named is told anything."""
    hearers, tellers = [], []
    if not _TOLD_FORMS.intersection(map(lemma, tokens(question))):
        return (), ()
    for t in structure(question):
        if t.lemma_ not in _TOLD:
            continue
        told_to = [c.text for c in t.children
                   if c.dep_ in ("dobj", "dative") and c.pos_ == "PROPN" and t.lemma_ in _HEARER]
        told_to += [g.text for c in t.children if c.dep_ == "prep" and c.lower_ == "to"
                    for g in c.children if g.dep_ == "pobj" and g.pos_ == "PROPN"]
        if told_to:
            hearers += told_to
            tellers += [c.text for c in t.children if c.dep_ == "nsubj" and c.pos_ == "PROPN"]
    return tuple(dict.fromkeys(hearers)), tuple(dict.fromkeys(tellers))
