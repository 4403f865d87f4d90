"""The form of a yes/no question and the claims it makes.

A question is polar when it opens with an auxiliary ("Did", "Does", "Was", "Has" …), or when a clause
after a comma does ("Between the report … and the later one, was there a change …?") and no wh-word
comes first. Its claims are cut at each outlet it names (matched against the index's outlets), at
"the same source", and at each article it describes instead ("the analysis piece", "the article quoting
…"); each keeps its outlet or description, the date it names, and its own words. A question naming
no source is one claim. Its form is `temporal` when it orders or compares reports in time, `comparison`
when it sets two claims side by side, `polar` otherwise. The cue words are features of the verdict
model (`judge`), never rules of their own. "Which outlet reported X first?" (`which_first`) is a
`first` form: X under each outlet named, answered by the dates of the articles that state it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qa.archive.dates import find_dates
from qa.lexicon.words import AUXILIARIES, WH_WORDS, compact
from qa.question.asked import ASKS_TO_TELL
from qa.question.query import content_terms, find_outlets

_TOKEN = re.compile(r"\w+(?:['’]\w+)?|[^\w\s]")  # words (with their apostrophes) and marks
_SAME = re.compile(r"\b(?:the\s+)?same\s+(?:source|outlet|publication|news\s+source|publisher)\b", re.I)
_ORDER = re.compile(r"\b(before|after|earlier than|later than|prior to|preceding|following)\b", re.I)
_LATER = re.compile(r"\b(later|subsequent|subsequently|following|second|newer|more recent)\b", re.I)
_TIME_WORDS = re.compile(r"\b(before|after|earlier|later|subsequent|prior|previous|change[sd]?|still|"
                         r"remain(?:ed|s)?|since|first|between)\b", re.I)
_COMPARE_WORDS = re.compile(r"\b(both|while|whereas|same|differ\w*|consistent|inconsisten\w*|agree\w*|"
                            r"in contrast|compared|similar\w*|align\w*|contradict\w*)\b", re.I)

# question-form cues the verdict model reads (name -> pattern); the model weighs them, not a rule
CUES = {
    "no_change": re.compile(r"\b(?:no|not|n't)\s+(?:\w+\s+)?(?:change|shift|difference)\b|\bremain\w*\b|\bstill\b",
                            re.I),
    "change": re.compile(r"\b(?:change[sd]?|shift\w*|evolv\w*)\b", re.I),
    "inconsistent": re.compile(r"\b(?:inconsisten\w*|contradict\w*|disagree\w*|differ\w*|contrast\w*|"
                               r"discrepan\w*|conflict\w*)\b", re.I),
    "consistent": re.compile(r"\b(?:consisten\w*|same|similar\w*|agree\w*|align\w*|both|also|"
                             r"corroborat\w*)\b", re.I),
    "negated": re.compile(r"\b(?:not|no|never|fail\w*|without|neither|nor|n't|lack\w*|absence)\b", re.I),
    "absolute": re.compile(r"\b(?:solely|only|completely|entirely|primarily|all|every|exclusively)\b", re.I),
    "while": re.compile(r"\b(?:while|whereas|whilst)\b", re.I),
}


LEAD_CHARS = 30  # "and the subsequent report by " before a mention: the words that qualify it
ORDER_CHARS = 25  # "… before the 'Sporting News'": how far before the second outlet an order word stands
_DATE_NEXT = re.compile(r"\s+(?:the\s+)?(?:\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.I)


@dataclass
class Claim:
    text: str  # the claim's own words in the question
    outlet: str | None = None  # the outlet it names, or inherits from "the same source"
    day: tuple[str | None, str | None] | None = None  # the date (range) it names, ISO days
    later: bool = False  # "the later report", "the subsequent article"
    described: str | None = None  # an article named by what it is or holds, not by outlet: "the analysis piece"

    @property
    def own(self) -> str:
        """Its words less the article it describes: a quote there ("the article quoting “no accusing fingers”")
        is not what the claim says."""
        rest = self.text.replace(self.described, " ") if self.described else self.text
        return rest if re.search(r"\w", rest) else self.text


@dataclass
class Form:
    kind: str  # polar | comparison | temporal | first ("which outlet reported it first")
    claims: list[Claim]
    order: str | None = None  # "before" / "after": the first claim's time against the second's
    cues: dict[str, bool] = field(default_factory=dict)
    outlets_named: list[str] = field(default_factory=list)


_ASKS_TO_TELL = re.compile(ASKS_TO_TELL + r"\b", re.I)


def polar(question: str) -> bool:
    """The question asks yes or no: an auxiliary opens it or a clause after a comma, before any wh-word.

    Read from plain tokens, not the spaCy parse: loading the parser made a one-shot `byline ask` 3.4 s
    instead of 0.5 s, and on all 1,794 MultiHop and seed questions the two readings agree (the parse's
    tags only confirmed that a wh-word is one)."""
    start = True
    for m in _TOKEN.finditer(question):
        tok = m.group(0)
        low = tok.lower()
        if start and low in AUXILIARIES:
            # "Could you tell me on what day …?" asks the question it holds, not whether one could
            return not (_ASKS_TO_TELL.match(question, m.start()) and
                        any(w.group(0).lower() in WH_WORDS for w in _TOKEN.finditer(question, m.end())))
        if low in WH_WORDS:
            return False
        start = tok in (",", ";", ":") or (start and tok in ("'", '"', "‘", "“"))
    return False


def _mentions(question: str, outlets: list[str]) -> list[tuple[int, int, str | None, str | None]]:
    """(start, end, outlet, None) of every outlet named, (start, end, None, None) of every "the same source",
    and (start, end, None, description) of every article described without its outlet (`_described`)."""
    found = []
    for name in outlets:
        bare = compact(name[4:] if name.casefold().startswith("the ") else name)
        pattern = r"[\W_]*".join(re.escape(ch) for ch in bare)  # however it is spaced: "Le Figaro", "lefigaro"
        for m in re.finditer(rf"(?<!\w){pattern}(?!\w)", question, re.I):
            found.append((m.start(), m.end(), name, None))
    for m in _SAME.finditer(question):
        found.append((m.start(), m.end(), None, None))
    found.sort()
    kept: list[tuple[int, int, str | None, str | None]] = []
    for span in found:  # the longest of overlapping names ("The Independent - Life and Style" over "The Independent")
        if kept and span[0] < kept[-1][1]:
            if span[1] - span[0] > kept[-1][1] - kept[-1][0]:
                kept[-1] = span
            continue
        kept.append(span)
    return sorted(kept + _described(question, kept))


# an article named by what it is or what it holds rather than by its outlet: "the analysis piece", "the wire
# report", "the article quoting “no accusing fingers”", "the report on the Geneva preparations"
_DESCRIBED = re.compile(r"(?<!\w)the\s+((?:[\w’'-]+\s+){0,2}?)(?:article|report|piece|analysis|story|commentary)"
                        r"(?:\s+(?:piece|site|article|report))?(?!\w)(\s+(?:quoting|citing|that\s+mentions|on|about)"
                        r"\s+(?:“[^”]+”|\"[^\"]+\"|[^,?]+?)(?=\s+(?:and|both|agree|say|says|put|give|gives|"
                        r"report|reports|mention|mentions|name|names|describe|describes)\b|[,?]))?", re.I)
_REFERRING = frozenset("other same later earlier first second former latter previous subsequent following latest "
                       "separate one this that".split())  # "the other article": an outlet's, named elsewhere
_BARE = (["article"], ["report"], ["piece"], ["story"])  # "the article": the one the question is about
_OUTLET_NEXT = re.compile(r"\s*(?:from|by|in|at|of)\s+(?:the\s+)?['‘\"“]?$", re.I)


def _described(question: str, named: list[tuple[int, int, str | None, str | None]]):
    """The articles the question describes without naming their outlet: not "the ARD report", not "the article
    from The Verge", not "the other article" (an outlet's named elsewhere), not a bare "the article"."""
    out = []
    for m in _DESCRIBED.finditer(question):
        words = set(m.group(1).casefold().split())
        if (words and words <= _REFERRING) or (m.group(0).casefold().split()[1:] in _BARE and not m.group(2)):
            continue
        if any(s < m.end() and m.start() < e for s, e, _, _ in named):
            continue  # an outlet's article: "the Le Figaro report on the talks"
        if any(s >= m.end() and _OUTLET_NEXT.match(question[m.end():s]) for s, _, o, _ in named if o):
            continue  # "the article from The Verge"
        out.append((m.start(), m.end(), None, m.group(0)))
    return out


def _order(question: str, spans: list[tuple[int, int, str | None, str | None]]) -> str | None:
    """"before"/"after" when the question orders its first claim against the second: the word stands just
    before the second claim's outlet ("… report on X before The Verge covered Y"), not before a date
    ("published before November 5") or an event ("after a head injury")."""
    second = spans[1][0]
    rel = None
    for rel in _ORDER.finditer(question, max(spans[0][1], second - ORDER_CHARS), second):
        pass
    if rel is None or _DATE_NEXT.match(question, rel.end()):
        return None
    return "before" if rel.group(1).lower() in ("before", "earlier than", "prior to", "preceding") else "after"


# "Which outlet reported … first?", "Which of TechCrunch and The Verge covered … earlier?": a question of order
# that asks for an outlet, answered by the dates of the articles that state it
_WHICH_OUTLET = re.compile(r"^\W*(?:which|what)\s+(?:(?:news\s+|media\s+)?(?:outlet|source|publication|site|"
                           r"paper|newspaper|publisher)s?|of\s+(?:the\s+)?(?:two|them|these|both|the\s+outlets)?)\b",
                           re.I)
_FIRST = re.compile(r"\b(first|earliest|earlier|sooner|last|latest|later|most recently)\b", re.I)
_FIRST_WORDS = re.compile(r"\b(?:first|earliest|earlier|sooner|last|latest|later|most recently|the other|than|"
                          r"or|and|of|the two|both)\b", re.I)

_REPORTING = re.compile(r"^(?:(?:was|were|is|are|the|to|one)\s+)*(?:report|cover|publish|mention|write|wrote|announc|"
                        r"break|broke|say|said|reveal)\w*(?:\s+(?:on|that|about|of|news\s+of))?\s+", re.I)


def which_first(question: str, outlets: list[str]) -> Form | None:
    """"Which outlet reported X first?": a `first` form whose claims are X under each outlet it names
    (one claim under any outlet when it names none); `order` is "first" or "last"."""
    lead, when = _WHICH_OUTLET.match(question), _FIRST.search(question)
    if lead is None or when is None:
        return None
    named = find_outlets(re.sub(r"['’]s\b", "", question), outlets)
    if lead.group(0).casefold().lstrip().startswith(("which of", "what of")) and len(named) < 2:
        return None  # "Which of the reforms came first?" asks about something else
    topic = question[lead.end():]
    for start, end, _, described in sorted(_mentions(topic, named), reverse=True):
        if described:
            continue
        before = re.sub(r"\bthe\s+$", "", topic[:start], flags=re.I)  # "The Verge" is matched as "Verge"
        topic = before + " " + topic[end:]
    topic = re.sub(r"\s+", " ", _FIRST_WORDS.sub(" ", topic)).strip(" ,?")
    topic = _REPORTING.sub("", topic) or topic  # what was reported, not the reporting
    order = "first" if when.group(1).casefold() in ("first", "earliest", "earlier", "sooner") else "last"
    claims = [Claim(topic, name, find_dates(topic)) for name in named] or [Claim(topic, None, find_dates(topic))]
    return Form("first", claims, order, {}, named)


_LIST_WORDS = frozenset("article articles report reports story stories outlet outlets both".split())


def _without_mentions(text: str, named: list[str]) -> str:
    """The text less the outlets, "the same source" and the described articles it names (`_mentions`)."""
    for start, end, _, _ in sorted(_mentions(text, named), reverse=True):
        text = text[:start] + " " + text[end:]
    return text


def _content(text: str, named: list[str]) -> str:
    """The claim's words less the outlets it names: "" for "Do both ARD and"."""
    text = _without_mentions(text, named)
    return " ".join(text.split()) if set(content_terms(text)) - _LIST_WORDS else ""


# words at the edges of a claim cut from its question, which join it to the others rather than say anything
_JOINING = AUXILIARIES | frozenset("article articles story stories outlet outlets both and or while whereas whilst but "
                                   "also the a an that than before after between compared to in contrast with from by "
                                   "of on other same one later subsequent earlier 's ’s".split())


def shown(claim: Claim, named: list[str]) -> str:
    """The claim as its row shows it, its source being in a column of its own: its words less the outlets and
    articles it names and the joining words at its edges ("Do ARD and both discuss the Nord Stream 2
    pipeline?" is "discuss the Nord Stream 2 pipeline?")."""
    words = _without_mentions(claim.text, named).split()
    while words and _joining(words[0]):
        words.pop(0)
    while words and _joining(words[-1]):
        words.pop()
    return " ".join(words).rstrip(",;:") or claim.text


def _joining(word: str) -> bool:
    return word.strip(",;:").casefold() in _JOINING or not word.strip(",;:'‘’\"“”")


def _share_content(claims: list[Claim], named: list[str]) -> None:
    """Outlets named in a list ("Do ARD and Le Figaro both report that …?") make claims of one content: a
    claim that holds no words of its own but its outlet's takes those of the next claim that does."""
    for i in range(len(claims) - 2, -1, -1):
        shared = _content(claims[i + 1].text, named)
        if shared and not _content(claims[i].text, named):
            claims[i].text = f"{claims[i].text} {shared}"
            claims[i].day = claims[i].day or claims[i + 1].day


def read(question: str, outlets: list[str]) -> Form | None:
    """The form and claims of a yes/no question or of a "which outlet first" one, or None for a look-up."""
    if not polar(question):
        return which_first(question, outlets)
    named = find_outlets(re.sub(r"['’]s\b", "", question), outlets)  # "Le Figaro's article"
    spans = _mentions(question, named)
    claims: list[Claim] = []
    for i, (start, _, outlet, described) in enumerate(spans):
        lo = 0 if i == 0 else start
        hi = spans[i + 1][0] if i + 1 < len(spans) else len(question)
        text = question[lo:hi]
        if outlet is None and described is None:  # "the same source"
            outlet = claims[-1].outlet if claims else None
        # "and the subsequent TechCrunch article": the words just before a mention belong to it, not to the claim before
        own = text if i + 1 == len(spans) else text[:-LEAD_CHARS]
        later = bool(_LATER.search(question[max(0, start - LEAD_CHARS):start] if i else "") or _LATER.search(own))
        claims.append(Claim(text.strip(), outlet, find_dates(text), later, described))
    if not claims:
        claims = [Claim(question, None, find_dates(question))]
    _share_content(claims, named)
    for i in range(len(claims) - 1, 0, -1):  # "… than the two hours given in the article quoting X?": a reference
        if claims[i].described and not _content(claims[i].own, named):
            merged = claims.pop(i)
            claims[i - 1].text = f"{claims[i - 1].text} {merged.text}"
            spans = spans[:i] + spans[i + 1:]
    order = _order(question, spans) if len(claims) >= 2 else None
    cues = {name: bool(p.search(question)) for name, p in CUES.items()}
    if order or (_TIME_WORDS.search(question) and (len(claims) >= 2 or any(c.day for c in claims))):
        kind = "temporal"
    elif len(claims) >= 2 or _COMPARE_WORDS.search(question):
        kind = "comparison"
    else:
        kind = "polar"
    return Form(kind, claims, order, cues, named)
