"""What kind of answer a question asks for, about whom, and when.

`kind` is the answer type: person, org, place, date, time, duration, count, money, percent, law or
name (a term the articles put in quotes or capitals). Each kind is filled by OntoNotes entity
labels, the ones stored at index time (`index.ingest.annotate`). `focus` is the noun asked about
("soldiers" in "How many soldiers…"), `party` whose figure or act it is ("Russia" in "How many
soldiers had Russia gathered", "Ukraine" in "How many Ukrainian soldiers…"), and `names` every
proper name the question mentions: the constraints an answer must meet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.ingest.dates import date_grains
from qa.lexicon.names import FEMININE, MASCULINE, demonym, polity, proper_names, regional
from qa.lexicon.titles import ROLE_WORDS
from qa.lexicon.verbs import SAID, past_form
from qa.lexicon.words import AUXILIARIES, NUMBER_WORDS, WH_WORDS, tokens

LABELS: dict[str, frozenset[str]] = {
    "person": frozenset({"PERSON"}),
    "who": frozenset({"PERSON", "ORG"}),
    "org": frozenset({"ORG", "PRODUCT"}),
    "place": frozenset({"GPE", "LOC", "FAC"}),
    "date": frozenset({"DATE"}),
    "time": frozenset({"TIME"}),
    "duration": frozenset({"DATE", "TIME", "QUANTITY"}),
    "count": frozenset({"CARDINAL", "QUANTITY"}),
    "money": frozenset({"MONEY"}),
    "percent": frozenset({"PERCENT"}),
    "law": frozenset({"LAW", "ORG", "WORK_OF_ART"}),
    "event": frozenset({"EVENT", "ORG"}),
}
FIGURES = frozenset({"count", "money", "percent"})  # the kinds answered by a figure
PEOPLE = frozenset({"person", "who"})  # the kinds that ask for someone
# The head noun of "which/what NOUN" questions, by the kind of entity that answers them.
NOUN_KINDS = {
    "person": """person individual individuals player players quarterback athlete athletes artist artists singer
        rapper actor actress celebrity musician star entrepreneur billionaire investor owner personality host
        manager striker pitcher receiver driver founder founders ceo
        people man woman official officials minister ministers president leader leaders
        spokesman spokeswoman spokesperson correspondent correspondents reporter journalist ambassador
        ambassadors envoy envoys diplomat diplomats adviser advisers advisor advisors secretary general
        commander chancellor senator senators lawmaker lawmakers politician politicians analyst analysts
        expert experts historian historians ceo founder executive executives chief director author
        candidate candidates player players coach judge king queen prince premier governor mayor
        representative representatives member members figure figures signatories officer officers""",
    "place": """country countries city cities capital region regions republic republics state states town
        place places nation nations location province border area territory venue island""",
    "org": """company companies bank banks organisation organization organisations organizations agency
        agencies newspaper outlet outlets broadcaster party parties group groups firm firms team teams
        alliance body bodies institution institutions ministry network platform platforms service website app
        brand brands retailer manufacturer startup studio publication exchange league club university""",
    "who": "entity entities",
    "date": "day days date dates year years month months weekday",
    "law": "bill law act treaty agreement accord",
}
_NOUN_KIND = {noun: kind for kind, nouns in NOUN_KINDS.items() for noun in nouns.split()}
# "which country", "what is his role": the kind of answer, not what the question is about
KIND_NOUNS = frozenset(_NOUN_KIND) | frozenset("""role roles job jobs position positions title titles post name names
    purpose reason reasons meaning outcome result results significance view views stance opinion response reaction
    number amount kind type sort""".split())
_DURATION_UNIT = re.compile(r"\b(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?)\b", re.I)
# how much of a unit: a figure, a number word, or a determiner that counts ("a week", "several days")
_AMOUNT = re.compile(r"\d|\b(?:" + "|".join(NUMBER_WORDS) + r"|a|an|several|few|couple|half|many|some|dozens?|"
                     r"hundreds?|thousands?)\b", re.I)
_RELATIVE = re.compile(r"\b(?:earlier|later|ago|before|after|last|next|this|previous|following|same)\b", re.I)
_CLOCK = re.compile(r"\d[:.]\d\d|\b(?:a\.m\.|p\.m\.|am|pm|o'clock|noon|midnight|morning|afternoon|evening|night|"
                    r"GMT|UTC|CET|EST)\b", re.I)
# How fine a date or how long a span the question asks for (`Asked.grain`): "In what year …?" a year, "On which day
# of the week …?" a weekday, "On what exact date …?" a day of a month, "How many hours …?" hours. Read from the
# question's focus noun (`_WH_NOUN`), and these words where the focus alone does not say it
_FINER = re.compile(r"\b(?:exact|precise|specific)\s+date\b|\bday\s+of\s+the\s+week\b", re.I)
_GRAIN_OF_FOCUS = {"year": "year", "month": "month", "weekday": "weekday", "date": "date", "dates": "date"}
_LAW_WORD = re.compile(r"\b(?:Act|Bill|Law|Treaty|Accords?|Agreements?|Directive|Regulation|Code|Charter|Convention)\b")
_PAST = re.compile(r"^\s*(?:[\w\-]+\s+){0,6}?(?:did|was|were|had)\b", re.I)
_NOT_PAST = re.compile(r"\b(?:due to|set to|going to|scheduled|planned|expected|supposed to|about to|were to|was to|"
                       r"will|would)\b", re.I)
_WH_NOUN = re.compile(r"^\s*(?:(?:in|on|at|from|to|for|with|by|of|under|during)\s+)?"
                      r"(?:how many|how much|which|what|whose)\s+(.*)$", re.I)
_STOP_PHRASE = AUXILIARIES | WH_WORDS | frozenset(
    "that for of in on to with at by from about against during after before".split())
_SPEECH = (r"(?:say|tell|describe|characteri[sz]e|call|claim|warn|announce|admit|insist|stress|confirm|explain|"
           r"suggest|signal|react|report|argue|deny|promise|propose|demand|reveal|note|add|assure|concede|describe)")
_SPEAKER_Q = re.compile(r"\b(?:did|does|do|has|have|had)\s+(?:the\s+)?((?:(?:[A-Z][\w’'.\-]*|von|van|de|der|al)\s+){0,4}?"
                        r"[A-Z][\w’'.\-]*)"
                        r"(?:\s+side)?\s+(?:\w+ly\s+)?" + _SPEECH + r"\b")
_ACCORDING = re.compile(r"^\s*according to (?:the\s+)?((?:[A-Z][\w’'.\-]*\s*){1,5})", re.I)
_LEADING = re.compile(r"^\s*(?:and|so|but|also|then|well|ok|okay|now|\w+ly(?=\s+(?:how|what|when|where|which|who)\b)|"
                      r"about(?=\s+how\b))\b[,\s]*", re.I)  # "Roughly how many …" asks what "How many …" asks
# a request that holds the question ("Could you tell me on what day …?"), read past here and not taken as yes/no
# by `qa.answer.verdict.form.polar`
ASKS_TO_TELL = (r"(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:tell|show|give|remind)\s+(?:me|us)|"
                r"do\s+you\s+(?:know|remember))")
# A clause set before the question word: "Besides Ukraine, which…", "After the summit, who…"
_WH_WORD = r"\b(?:which|what|who|whom|whose|when|where|how)\b"
_FRONTED = re.compile(r"^\s*(?:(?:according to|besides|apart from|aside from|other than|except for|in addition to|"
                      r"beyond|after|before|during|since|until|by|in|on|at|for|as of)\b"
                      r"(?:(?!" + _WH_WORD + r")[^,?]){1,60},\s*(?=" + _WH_WORD + r")"
                      # a clause of time or condition, however long and whatever it holds, before the question:
                      # "When the American side described how …, which countries …?", not "When did …"
                      r"|(?:when|while|whilst|after|before|once|if|as soon as)\s+(?!(?:" + "|".join(sorted(AUXILIARIES))
                      + r")\b)[^?]{1,200}?,\s*(?=" + _WH_WORD + r"))"
                      # "… could you tell me on what day …?": the question it holds
                      r"|^[^?]{0,120}?\b" + ASKS_TO_TELL + r"\s+"
                      r"(?=" + _WH_WORD + r"|(?:on|in|at|by|for|to|from|with)\s+" + _WH_WORD + r")", re.I)
_WHO_IS = re.compile(r"^\s*who\s+(?:is|was|are|were)\s+(?:the|a|an|this|that)\s+(.*)$", re.I)
_WHO_NAMED = re.compile(r"^\s*[Ww]ho\s+(?:is|was|are|were)\s+[A-Z][\w’'.\-]*\s*"  # "Who is Ursula von der Leyen?"
                        r"(?:(?:[A-Z][\w’'.\-]*|von|van|der|den|de|del|da|di|du|la|le|al|bin|ibn)\s*){0,4}\?*\s*$")
_GOES = re.compile(r"\b(?:visit\w*|travel\w*|went|go|goes|flew|fly|host\w*|held|hold|holds|arriv\w*|"
                   r"return\w*|based|located|take place|took place|takes place)\b")
_LOCATED = re.compile(r"^\s*(?i:where|in (?:what|which) (?:city|country|town|place))\s+(?i:exactly\s+|precisely\s+)?"
                      r"(?i:is|was|are|were)\s+((?:[A-Z][\w’'.\-]*\s*){1,4}|"
                      rf"the\s+(?:[A-Z][\w’'.\-]*\s+){{1,2}}(?i:{ROLE_WORDS})\b)")  # "where was the Russian leader"
_ROLE_OF = re.compile(rf"\b(?i:{ROLE_WORDS})\s+of\s+(?:the\s+)?([A-Z][\w’'.\-]*(?:\s+[A-Z][\w’'.\-]*)*)")
_ACTS = re.compile(r"^\s*(?i:what|why|how|when|where|whom)\s+(?i:did|does|do|has|have|had)\s+(?:the\s+)?"
                   r"([A-Z][\w’'.\-]*(?:\s+[A-Z][\w’'.\-]*)*)\s+([a-z]{4,})\b")
_WHO_SAID = re.compile(rf"^\s*(?i:who)\s+(?:(?:\w+\s+)?(?i:{SAID})|(?i:is|was|were|has been)\s+(?i:quoted|cited))\b")
# "What is the name of the spokesman who…", "Name the official who…": which spokesman, which official
_NAMING = re.compile(r"^\s*(?:what(?:['’]s|\s+is|\s+was)\s+the\s+name\s+of|name|give\s+the\s+name\s+of)\s+"
                     r"(?:the|a|an)\s+", re.I)
# the question describes the speaker it asks to name: "Who was the senior official who said…", "Which spokesman
# said…" (the role noun, then "who" and a verb of saying, or the verb of saying itself)
_DESCRIBED_SPEAKER = re.compile(rf"^\s*(?:which|who\s+(?:is|was)\s+the)\s+(?:[\w’'-]+\s+){{0,5}}?(?:{ROLE_WORDS})"
                                rf"\s+(?:who\s+(?:\w+\s+)?)?{SAID}\b", re.I)
SPAN_WORDS = 6  # words after "which"/"how many" searched for the head noun
_OBJECT_START = re.compile(r"[A-Z]|(?:the|a|an|his|her|its|their)$")  # a verb's object starts so; a noun does not


@dataclass
class Asked:
    kind: str | None = None
    focus: str | None = None
    party: str | None = None
    names: list[str] = field(default_factory=list)
    past: bool = False  # asks what did happen ("did", "was", "were")
    future: bool = False  # asks what is planned ("will", "due to", "scheduled")
    where: bool = False  # "Where…", "In which city…": the place is where something is or happens
    located: str | None = None  # "Where was Putin…": whose whereabouts are asked (the place must be his)
    actor: str | None = None  # "What did Russia accuse Ukraine of?": who does it (Russia)…
    act: str | None = None  # …and what (accuse): a sentence where Ukraine accuses Russia answers another question
    who_said: bool = False  # "Who said …?": the speaker of a statement is the answer
    described_speaker: bool = False  # "Who was the senior official who said …?": the speaker is described, their name asked
    side: str | None = None  # the nationality a person (or place) asked for belongs to: "the Russian delegation"
    titled: bool = False  # the side is in the role asked for ("the president of Poland"): the title must say it
    gender: str | None = None  # "f"/"m": the question calls the person it asks for she/her or he/his
    speaker: str | None = None  # whose words are asked for: "How did the US side characterise…", "What did X say…"
    about: str | None = None  # "Who is Yuri Ushakov?": the person whose role or title is asked for
    grain: str | None = None  # how fine a date, or in what unit a span: year, month, weekday, day (an exact
    # date), date (any day), or a unit of time (hour, day …); None: any (`_FINER`, `fills`)

    @property
    def labels(self) -> frozenset[str]:
        return LABELS.get(self.kind or "", frozenset())

    @property
    def typed(self) -> bool:
        """It asks for a kind of thing (a person, a place, a date, a figure …) or for a name."""
        return bool(self.labels) or self.kind == "name"


# How much of something a question asks: "how much", "how large", "what is the (annual gas) capacity / (total) value
# / size of …"; money when a money word stands anywhere in the question ("the total dollar value"), else a count
_MEASURE = (r"(?:how much|how (?:large|big|high|great)|what(?:'s|’s| is| was| are| were) the (?:[\w-]+ ){0,3}?"
            r"(?:size|value|capacity|cost|price|budget|amount|sum)\b)")
_MONEY = (r"(?=.*\b(?:money|cost|costs|dollars?|euros?|pounds|spend|spent|pay|paid|worth|aid|price|budget|fund|funding|"
          r"value)\b)")
# The answer kind a question's opening asks for, first match wins ("how much" is money only with a money word).
_OPENINGS = tuple((re.compile(r"\s*(?:" + pattern + r")\b"), kind) for pattern, kind in (
    (r"(?:at )?what time", "time"),
    (r"how long", "duration"),
    (r"how many (?:seconds|minutes|hours|days|weeks|months|years|decades)|how much (?:time|longer)", "duration"),
    (r"how many", "count"),
    (_MONEY + _MEASURE, "money"),
    (_MEASURE, "count"),
    (r"(?:what|which) (?:percentage|percent|share|proportion)", "percent"),
    (r"when|on what date|what date|on which date|which date|on what day|on which day|what day|which day|"
     r"in what year|in which year|what year|which year|in what month|in which month", "date"),
    (r"where|in what country|in which country|in what city|in which city", "place"),
    (r"who|whom|by whom|to whom|with whom", "who"),
    (r"what (?:name|term|word|phrase|label|nickname)", "name"),
))


def _kind_of_opening(q: str) -> str | None:
    return next((kind for pattern, kind in _OPENINGS if pattern.match(q)), None)


_SUBJECT = re.compile(r"^\s*(who|what|which)\s+((?:[a-z][\w-]*\s*){1,3})")


def _past_subject(q: str) -> str | None:
    """The question's own verb, right after who / what or after which's noun, when it is in the
    past: "Who chaired…", "What happened…", "Which hotel hosted…"."""
    m = _SUBJECT.match(q)
    if not m:
        return None
    words = m.group(2).split()
    return next((w for w in (words[:1] if m.group(1) in ("who", "what") else words[1:3]) if past_form(w)), None)


def analyse_question(question: str) -> Asked:
    who_said = bool(_WHO_SAID.match(question))
    question = _LEADING.sub("", question)  # "And in which country…" asks what "In which country…" asks
    core = _FRONTED.sub("", question)  # the kind and focus are read from the question word on
    q = core.casefold()
    future = bool(_NOT_PAST.search(q))
    past = bool(_PAST.match(q)) or _past_subject(q) is not None
    asked = Asked(kind=_kind_of_opening(q), names=proper_names(question), past=past and not future,
                  future=future, who_said=who_said)
    m = _ACTS.match(core)
    if m and m.group(2) not in _STOP_PHRASE and m.group(2) not in ("been", "being", "ever", "also", "still", "never"):
        asked.actor, asked.act = m.group(1), m.group(2)
    asked.where = asked.kind == "place"  # from the opening: "where", "in which country"
    m = _LOCATED.match(core)
    asked.located = m.group(1).strip() if asked.where and m else None
    if asked.kind == "who" and _WHO_NAMED.match(core):
        asked.kind = None  # "Who is Yuri Ushakov?" asks what he is, not for another person
        asked.about = max(asked.names, key=len, default=None)
    modifiers: list[str] = []
    m = _WH_NOUN.match(core) or _WHO_IS.match(core)
    if m and re.match(r"\s*whose\b", q):  # "Whose spokesman said …?" asks for the one the spokesman speaks for
        asked.kind, m = "who", None
    if m:
        span = []
        words = re.findall(r"[\w\-’']+", m.group(1))[:SPAN_WORDS]
        for i, word in enumerate(words):
            if word.casefold() in _STOP_PHRASE and span:
                break
            if span and past_form(word) and i + 1 < len(words) and _OBJECT_START.match(words[i + 1]):
                break  # the question's verb, with its object: "Which US broadcaster interviewed Ukrainian …"
            span.append(word)
        if span and span[0].casefold() not in _STOP_PHRASE:
            heads = [w for w in span if _head(w) in _NOUN_KIND]
            head = heads[-1] if heads else span[-1]
            asked.focus = _head(head)
            modifiers = span[: span.index(head)]
            if (asked.kind is None or asked.kind == "who") and heads and not re.match(r"\s*how\b", q):
                asked.kind = _NOUN_KIND[_head(head)]
    asked.party = _party(question, modifiers, asked)
    asked.grain = _grain(asked, q)
    asked.described_speaker = bool(_DESCRIBED_SPEAKER.match(_NAMING.sub("which ", core)))
    if asked.kind == "place":  # "Which Ukrainian city…": a city of that country
        asked.side = next((w for w in modifiers if demonym(w) and not regional(w)), None)
        asked.where = asked.where or bool(_GOES.search(q))  # "Which country did Blinken visit?" asks where
    if asked.kind in PEOPLE:  # "Who told reporters the Russian soldiers…": the statement's names
        named = modifiers if asked.who_said else [*asked.names, *modifiers]  # say nothing of the speaker's side
        asked.side = next((n for n in named if demonym(n) and not regional(n)), None)
        m = _ROLE_OF.search(core)
        if asked.side is None and m and polity(m.group(1)) and any(m.group(1) in n for n in asked.names):
            asked.side = m.group(1)  # "the president of France" is the French president…
            asked.titled = True  # …titled so: not a president named next to "Ambassador to Poland"
    m = _SPEAKER_Q.search(question) or _ACCORDING.match(question)
    asked.speaker = m.group(1).strip() if m else None
    if asked.kind in PEOPLE:  # "Who is the pop star … her relationship …": a woman
        words = set(tokens(question))
        feminine, masculine = bool(words & FEMININE), bool(words & MASCULINE)
        asked.gender = "f" if feminine and not masculine else "m" if masculine and not feminine else None
    return asked


def _head(word: str) -> str:
    """The noun of a compound: "chancellor-designate" is a chancellor, "vice-president" a president."""
    parts = word.casefold().split("-")
    known = [p for p in parts if p in _NOUN_KIND]
    return known[-1] if known else word.casefold()


# a count someone reports of another party: "does Moscow claim Kyiv has…", "does the US say Russia has…"
_REPORTED_PARTY = re.compile(rf"\s*(?:{SAID}|say|claim|believe|estimate|think|allege|suggest)\s+(?:that\s+)?(?:the\s+)?"
                             r"((?:[A-Z][\w’'.\-]+\s?)+)")
# a count one party blames on another: "did Russia accuse Ukraine of deploying", "does Kyiv blame Moscow for"
_ACCUSED_PARTY = re.compile(r"\s*(?:accuse|blame|charge)d?\s+(?:the\s+)?((?:[A-Z][\w’'.\-]+\s?)+)(?:of|for)\b")


def _party(question: str, modifiers: list[str], asked: Asked) -> str | None:
    """Whose figure a count question asks for: a demonym on the noun, else the subject after the verb."""
    if asked.kind not in FIGURES | {"duration"}:
        return None
    for word in modifiers:
        if demonym(word) or word in asked.names:
            return word
    m = re.search(r"\b(?:did|does|do|had|has|have|is|are|was|were|will|would|could)\s+(the\s+)?"
                  r"((?:[A-Z][\w’'.\-]+\s?)+)", question)
    if m and m.group(1) and not demonym(m.group(2).strip()) and re.match(r"[a-z]+\s+[a-z]", question[m.end(2):]):
        return None  # "has the Donbass rebellion killed": the name only qualifies the subject
    reported = (_REPORTED_PARTY.match(question, m.end(2)) or _ACCUSED_PARTY.match(question, m.end(2))) if m else None
    if reported:  # "How many soldiers does Moscow claim Kyiv has deployed?": Kyiv's soldiers, by Moscow's count
        return reported.group(1).strip()
    return m.group(2).strip() if m and not regional(m.group(2).split()[0]) else None  # "Western sanctions"


def _grain(asked: Asked, q: str) -> str | None:
    if asked.kind == "duration" and asked.focus and _DURATION_UNIT.fullmatch(asked.focus):
        return asked.focus.casefold().removesuffix("s")  # "how many hours": hour
    if asked.kind != "date":
        return None
    finer = _FINER.search(q)
    if finer:
        return "weekday" if finer.group(0).endswith("week") else "day"
    return _GRAIN_OF_FOCUS.get(asked.focus or "")


def in_grain(grain: str | None, text: str) -> bool:
    """Does a date or span say what the question's grain asks for (`index.ingest.dates.date_grains`)? A year,
    a month or a weekday names one; an exact date names a day of a month (or a weekday, which the article's
    date makes one); a date names some day, not a year or a week alone ("2014", "last week"); a span of hours
    counts hours."""
    if grain is None:
        return True
    if grain in ("year", "month", "weekday", "day", "date"):
        named = date_grains(text)
        if grain == "weekday" and {"day", "month"} <= named:
            return True  # "December 7": the calendar says which weekday (`Composer.build` adds it)
        wanted = {"day": {"day", "weekday"}, "date": {"month", "day", "weekday"}}.get(grain, {grain})
        return bool(named & wanted)
    return grain in {w.removesuffix("s") for w in tokens(text)}  # a unit of time: "two hours" counts hours


def fills(kind: str | None, label: str, text: str, grain: str | None = None) -> bool:
    """Does an entity (its label and text) answer a question of this kind, as finely as it asks (`in_grain`)?"""
    if kind is None or kind == "name":
        return False
    if label not in LABELS.get(kind, ()):
        return False
    if not in_grain(grain, text):
        return False
    if kind == "duration":  # "two hours", "a week", "several days"; not "in the days to come"
        return bool(_DURATION_UNIT.search(text)) and not _RELATIVE.search(text) and _AMOUNT.search(text) is not None
    if kind == "time":
        return bool(_CLOCK.search(text))
    if kind == "date" and _DURATION_UNIT.search(text) and not re.search(r"\d{4}", text) and not _RELATIVE.search(text):
        return False  # "two weeks" is a duration, not a date ("a day earlier" is one)
    if kind == "law" and label != "LAW":
        return bool(_LAW_WORD.search(text))  # "the National Defense Authorization Act", labelled ORG
    return True
