"""Resolve a follow-up ("What did he say about a breakthrough?") against the earlier turns.

The pronoun is replaced by the person it most plausibly refers to, turn by turn: the person a
question asks about (its subject, "Where did Jake Sullivan brief reporters?") comes before the
people its answer names; a "who" question refers on to the person its answer names; a turn that
itself says "he" keeps the person it meant. "He" and "she" only take a person of that gender when
the texts at hand say which (a title such as "Ms", or "she"/"he" following the name in the answer or
its articles). The earlier question is kept as context for the dense search.
"""

from __future__ import annotations

import re
from dataclasses import replace

from qa.conversation.turns import Conversation, Turn
from qa.lexicon.names import ALIASES, FEMININE, gender, normalise, proper_names
from qa.lexicon.titles import without_title
from qa.lexicon.verbs import SAID
from qa.question.asked import PEOPLE, analyse_question
from qa.types import Answer, Sentence, ShortAnswer

_REFERS_BACK = re.compile(r"\b(he|she|him|her|his|they|them|their|it|its|that|this|those|these|there)\b", re.I)
_STARTS = re.compile(r"^\s*(and|so|also|what about|how about|then)\b", re.I)
_PRONOUN = re.compile(r"\b(he|she|him|her|his|hers)\b", re.I)
_WHO_IS = re.compile(r"^\s*[Ww]ho\s+(?:is|was|are|were)\s+(?:the\s+)?[A-Z]")  # "Who is Jake Sullivan?": about him
_NOT_PEOPLE = {name for group in ALIASES for name in group} | {"nato", "kremlin", "congress", "senate", "osce"}


SHORT_ANSWER_WORDS = 6  # a text answer this short that names one person is that person, as a short answer


def _asks_who(question: str) -> bool:
    """The turn asked for a person ("Who warned …?", "Which Cold War historian is quoted …?"), as the
    question's analysis reads its kind (`qa.question.asked`), not from a list of person nouns."""
    return analyse_question(question).kind in PEOPLE


def refers_back(question: str) -> bool:
    return bool(_REFERS_BACK.search(question) or _STARTS.search(question))


def people(text: str) -> list[str]:
    """Names of people in a text, in order: proper names less places, organisations and acronyms."""
    out = []
    for name in proper_names(text or ""):
        name = without_title(name)
        key = normalise(name)
        if key in _NOT_PEOPLE or name.isupper() or key.split()[-1] in _NOT_PEOPLE:
            continue
        out.append(name)
    return out


def _speakers(turn: Turn) -> list[str]:
    if turn.answer is None:
        return []
    return [s.speaker for s in turn.answer.sentences if s.speaker]


def _candidates(turn: Turn) -> tuple[list[str], bool]:
    """The people a turn makes available to a pronoun, most plausible first, and whether the first
    is the one the turn was about (then a pronoun means them unless a text says they are of the
    other gender): the person a "who" question was answered with, or the one "Who is Jake
    Sullivan?" asks about, though its answer names Putin first."""
    asked = people(turn.question)
    in_text = people(turn.text)
    named = _speakers(turn) + in_text
    who = _asks_who(turn.question)
    short = turn.answer.short_answer if turn.answer is not None else None
    if who and short is not None and short.kind in PEOPLE:
        found = people(short.text)
        if found:
            return found + asked + named, True
    # a turn given as text (a question file's context) whose answer is a name alone, as a short answer would be
    if who and turn.answer is None and len(in_text) == 1 and len(turn.text.split()) <= SHORT_ANSWER_WORDS:
        return in_text + asked, True
    if _WHO_IS.match(turn.question) and asked:
        return asked + named, True
    if who or not asked:
        return named + asked, False
    return asked + named, False


def resolve(question: str, conversation: Conversation | None,
            texts: list[str] | None = None) -> tuple[str, str | None]:
    """(the question with its pronoun resolved, context text for the dense search or None).
    `texts`: more text about the earlier turns (their articles) to read genders from."""
    if not conversation or not conversation.turns or not refers_back(question):
        return question, None
    pronoun = _PRONOUN.search(question)
    wanted = None if not pronoun else ("f" if pronoun.group(1).casefold() in FEMININE else "m")
    evidence = [t.text for t in conversation.turns] + list(texts or [])
    person = None
    for turn in conversation.turns:
        if person and _PRONOUN.search(turn.question):
            continue  # a turn that itself said "he" keeps the person it meant
        names, about = _candidates(turn)
        if not names:
            continue
        if wanted is None:
            person = names[0]
            continue
        genders = [gender(n, evidence, names) for n in names]
        if about:
            person = next((n for n, g in zip(names, genders) if g in (wanted, None)), None) or person
            continue
        person = next((n for n, g in zip(names, genders) if g == wanted), None) or \
            next((n for n, g in zip(names, genders) if g is None), None) or person
    resolved = question
    if person and pronoun:
        def swap(m: re.Match) -> str:
            return person + "’s" if m.group(1).casefold() in ("his", "hers") else person

        resolved = _PRONOUN.sub(swap, question, count=1)
    last = conversation.turns[-1]
    context = " ".join(t for t in (last.question, last.text[:300]) if t)
    return resolved, context or None


def unsure_ground(question: str, resolved: str, conversation: Conversation | None) -> str | None:
    """A note when a follow-up's pronoun was read as a person that an earlier "who" answer gave only
    uncertainly (it abstained, or led with a passage and no short answer): the reader is told what the
    follow-up builds on instead of being answered as if it were sure."""
    if not conversation or not conversation.turns or resolved == question:
        return None
    pronoun = _PRONOUN.search(question)
    for turn in reversed(conversation.turns):
        if not _asks_who(turn.question):
            continue
        answer = turn.answer
        if answer is not None and (answer.abstained or answer.short_answer is None):
            person = resolved[pronoun.start():len(resolved) - (len(question) - pronoun.end())] if pronoun else ""
            person = person.removesuffix("’s")
            who = f"“{pronoun.group(0)}” is read as {person}, but" if person else "But"
            return (f"{who} the earlier answer to “{turn.question}” named no one for sure: this answer "
                    f"builds on it; check that passage first.")
        return None
    return None


_THING = re.compile(r"\b(it|its|they|them|their|this|that|these|those)\b", re.I)


def carried_terms(question: str, conversation: Conversation | None) -> str | None:
    """The earlier question a follow-up about a thing refers to ("When do they start?" after "Where
    are the talks in January held?"): its words join the follow-up's for matching sentences. Only
    when the follow-up names nothing itself and speaks of a thing, not of a person."""
    if not conversation or not conversation.turns or not _THING.search(question) or _PRONOUN.search(question) \
            or proper_names(question):
        return None
    return conversation.turns[-1].question


_WHO_SAID_SO = re.compile(rf"^\s*(?:and\s+|but\s+)?(?:(?:who|which\s+\w+)\s+{SAID}\s+(?:so|that|this|it)\b|says\s+who\b|according\s+to\s+whom\b|"
                          r"(?:what|which)\s+(?:is|was)\s+the\s+source\b|who\s+is\s+the\s+source\b)", re.I)


def who_said_so(question: str, conversation: Conversation | None) -> Answer | None:
    """"Who said so?" after an answer: the speaker of its first sentence, cited where the sentence
    names them, or the outlets that report it without naming anyone. None: not such a follow-up."""
    last = conversation.turns[-1].answer if conversation and conversation.turns else None
    if not _WHO_SAID_SO.match(question) or last is None or last.abstained or not last.sentences:
        return None
    lead = last.sentences[1] if last.verdict and len(last.sentences) > 1 else last.sentences[0]  # not "Yes."
    sources = [replace(s, number=i + 1) for i, s in enumerate(x for x in last.sources if x.number in lead.citations)]
    if not sources:
        return None
    sentence = Sentence(lead.text, tuple(s.number for s in sources), lead.speaker)
    short, notes = None, []
    at = sources[0].quote.find(lead.speaker) if lead.speaker else -1
    if at >= 0:
        start = sources[0].start + at
        short = ShortAnswer(lead.speaker, 1, start, start + len(lead.speaker), "person")
    else:
        outlets = sorted({s.outlet for s in sources if s.outlet})
        by = " and ".join(outlets) if outlets else "The article"
        notes.append(f"{by} {'reports' if len(outlets) < 2 else 'report'} this; the sentence quotes no one by name.")
    text = f"{lead.text} " + "".join(f"[{n}]" for n in sentence.citations)
    return Answer(question=question, text=text, sentences=[sentence], sources=sources, notes=notes, short_answer=short)
