"""How a sentence reads on its own, before it is scored as an answer: a heading or a fragment, a
quotation left open, whose words it reports, who does an act in it, and the labels its names take."""

from __future__ import annotations

import re

from qa.answer.attribution import quotes, speaker
from qa.lexicon.names import mentions, same_party

_FRAGMENT = re.compile(r"""^(?:[a-z]|["”’]\s|[,;.:])""")
HEADING_WORDS = 12  # a line this short with no closing punctuation is a heading, not a statement


def heading(text: str) -> bool:
    """A short line with no closing punctuation and no comma: a headline or a section label (a
    credit line such as "Demian von Osten, ARD Moscow, …" has commas and stays)."""
    t = text.rstrip()
    return len(t.split()) <= HEADING_WORDS and "," not in t and not t.endswith((".", "!", "?", '"', "”", "’", "'", ")"))


ACT_WORDS = 4  # the one an act is done to is named this close after the verb ("accusing Russia of")


def does(actor: str, act: str, text: str) -> bool | None:
    """Does `actor` do `act` in the sentence (named just before the verb: "Russia rejects this and
    accuses Ukraine", or after it by "of" or "by": "the meeting of the council", "accused by Russia"), or
    only undergo it ("The US has been accusing Russia")? None: neither is said."""
    undergoes = False
    for m in re.finditer(r"\b" + re.escape(act[:5]) + r"\w*", text, re.I):
        if mentions(" ".join(text[:m.start()].split()[-ACT_WORDS - 2:]), actor):
            return True
        after = " ".join(text[m.end():].split()[:ACT_WORDS])
        if re.match(r"(?:of|by)\s", after) and mentions(after, actor):
            return True  # "the meeting of the OSCE Permanent Council", "was accused by Russia": the actor does it
        undergoes = undergoes or mentions(after, actor)
    return False if undergoes else None


FULL_NAME_VOTES = 2  # a full name tagged PERSON outweighs its surname's own tag: the tagger is surer of it
OWN_ARTICLE_VOTES = 2  # a name's tag in its own article counts this many times its tag in the other retrieved ones


def _votes(entities: list, text: str) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for s, e, label in entities:
        by = counts.setdefault(text[s:e], {})
        by[label] = by.get(label, 0) + 1
    for s, e, label in entities:  # "Sam Bankman-Fried" is a person, so "Bankman-Fried" alone is one too
        words = text[s:e].split()
        if label == "PERSON" and len(words) > 1 and words[-1] in counts:
            by = counts[words[-1]]
            by["PERSON"] = by.get("PERSON", 0) + FULL_NAME_VOTES
    return counts


def majority_labels(articles: dict) -> dict:
    """Each name with the label its article gives it most often, its votes counted double, the other
    retrieved articles' votes for PERSON added: the tagger reads "Biden" as a place now and then ("In
    the wake of the Biden-Putin call"), and "Which city…" must not be answered "Biden". `articles`
    maps a key to (entities, text); the same keys come back with the entities relabelled."""
    votes = {key: _votes(ents, text) for key, (ents, text) in articles.items()}
    people: dict[str, int] = {}  # the other articles vote only for PERSON: pooling every label cost MultiHop
    for counts in votes.values():  # leads ("Wallabies' World Cup" read as the organisation asked for)
        for name, by in counts.items():
            people[name] = people.get(name, 0) + by.get("PERSON", 0)
    out = {}
    for key, (ents, text) in articles.items():
        own = votes[key]
        relabelled = []
        chosen: dict[tuple[str, str], str] = {}  # (name, label) -> its label here: the same for every mention
        for s, e, label in ents:
            name = text[s:e]
            new = chosen.get((name, label))
            if new is None:
                by = {lb: OWN_ARTICLE_VOTES * n for lb, n in own[name].items()}
                by["PERSON"] = by.get("PERSON", 0) + people[name] - own[name].get("PERSON", 0)
                top = max(by, key=by.get)
                new = chosen[(name, label)] = top if by[top] > by[label] else label
            relabelled.append((s, e, new))
        out[key] = relabelled
    return out


def open_quote(text: str) -> bool:
    """A quotation opens in the sentence and does not close there: what it says runs on."""
    return text.count("“") > text.count("”")


def speaks(who: str, text: str) -> bool:
    """Does the sentence report words of `who` (a name, or another name for the same party)?"""
    said_by = speaker(text)
    if said_by and (same_party(said_by, who) or same_party(said_by.split()[-1], who.split()[-1])):
        return True
    return quotes(who.split()[-1], text)


def fragment(text: str) -> bool:
    """A piece that starts mid-sentence: lower case, a closing quote, or punctuation."""
    return bool(_FRAGMENT.match(text))
