"""What a claim denies, read from the question's parse, and whether a passage states it all the same.

"Does the Wired article suggest that Sony headphones do not offer the best value in their class …?" denies
"offer the best value in their class during the sale"; a passage that says "they offer some of the best value in
their class", without a negation of its own, states what the claim denies, so the claim is false and the
question's answer is No. A denial is a negated predicate of the claim, as the parse reads it: a verb with a
`neg` child ("do not offer", "is not the top scorer"), "fail to <verb>", "without <verb>ing", or a noun under
"no" ("no valid alternative"). Its scope is the predicate's subtree less its subject and the clauses joined to
it; its head is the verb, or the noun or adjective a form of "be" predicates ("not the top scorer": "scorer").
"Without" before a noun ("the game without Harbaugh") describes, it does not deny, and is left alone.

A passage states a denial when it holds the head word and at least `STATED_SHARE` of the scope's content
words (by `stem`, as the judge's coverage counts them), and has no negation of its own. Sentences are never
parsed: only the question is (`qa.question.parse.structure`), and only when a claim holds a negation word.
"""

from __future__ import annotations

from dataclasses import dataclass

from qa.lexicon.words import NEGATION, STOPWORDS, stem, tokens
from qa.question.parse import structure

STATED_SHARE = 0.5  # of a denial's content words, the share a passage must hold to state it
_JOINED = frozenset({"nsubj", "nsubjpass", "mark", "advcl", "cc", "conj"})  # not part of the denied predicate


@dataclass(frozen=True)
class Denial:
    head: str  # the denied word: "offer", "scorer", "alternative"
    words: tuple[str, ...]  # the scope's content words, in lower case


def _head(verb):
    """A form of "be" denies what it predicates: "is not the top scorer" denies "scorer"."""
    if verb.lemma_ == "be":
        return next((c for c in verb.children if c.dep_ in ("attr", "acomp")), verb)
    return verb


def _denial(head, scope, start: int, end: int) -> Denial:
    words = tuple(t.lower_ for t in scope if start <= t.idx < end and t.is_alpha and t.lower_ not in STOPWORDS)
    return Denial(head.lower_, words)


def denials(question: str, claim: str, aside: str | None = None) -> tuple[Denial, ...]:
    """The denials of `claim`, a part of `question` (parsed whole, for a better parse than of a fragment);
    `aside`, a part of the claim that names an article ("the article quoting “no accusing fingers”"), denies
    nothing."""
    start = question.find(claim)
    if start < 0 or not NEGATION.search(claim.replace(aside, " ") if aside else claim):
        return ()
    end = start + len(claim)
    at = claim.find(aside) if aside else -1
    skip = range(start + at, start + at + len(aside)) if at >= 0 else range(0)
    out = []
    for t in structure(question):
        if not start <= t.idx < end or t.idx in skip:
            continue
        if t.dep_ == "neg":
            verb = t.head
            joined = {w for c in verb.children if c.dep_ in _JOINED for w in c.subtree}
            out.append(_denial(_head(verb), [w for w in verb.subtree if w not in joined and w is not t], start, end))
        elif t.lower_ == "without" or t.lemma_ == "fail":
            verb = next((c for c in t.children if c.dep_ == ("pcomp" if t.lower_ == "without" else "xcomp")), None)
            if verb is not None:
                out.append(_denial(_head(verb), list(verb.subtree), start, end))
        elif t.lower_ == "no" and t.dep_ == "det":
            out.append(_denial(t.head, [w for w in t.head.subtree if w is not t], start, end))
    return tuple(d for d in out if d.words)


def stated(denial: Denial, passage: str) -> bool:
    """Does `passage` state, without negating it, what the claim denies?"""
    if NEGATION.search(passage):
        return False
    held = {stem(w) for w in tokens(passage)}
    if stem(denial.head) not in held:
        return False
    return sum(stem(w) in held for w in denial.words) >= STATED_SHARE * len(denial.words)
