"""The answer phrase inside a sentence: the entity of the asked kind that the question does not
already name, nearest to the words the question and sentence share, and, for a figure, one that
belongs to the party the question asks about."""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.answer.counted import counts_other, measures_other
from qa.answer.describe import appositive, title_before
from qa.lexicon.names import demonym, expansion_in, expansion_spans, mentions, name_end, other_polity, same_party
from qa.lexicon.places import TOWN_NOUNS, no_town
from qa.lexicon.titles import RANKS, ROLE, ROLE_WORDS, TITLE, named_by_role, role_aliases, titles_holding
from qa.lexicon.verbs import SAID
from qa.lexicon.words import lemma, tokens
from qa.question.asked import FIGURES, PEOPLE, Asked, fills

NEAR_CHARS = 60  # about eight words either side of a phrase count as its context
TITLE_BONUS = 0.2  # a person named with a title before the name ("Foreign Minister Mélanie Joly")
# role nouns that any title satisfies ("which official" is answered by "Director … Eric Green"); other
# role nouns ("general", "minister", "correspondent") must appear in the sentence itself
GENERIC_ROLES = frozenset("""official officials person people individual individuals figure figures member members
    leader leaders representative representatives man woman""".split())
_ATTRIBUTE = re.compile(r"(?:[’']s\b|\s+(?:side|sides|presence|government|officials|positions?|support|delegation|"
                        r"administration|president|forces|troops|concerns|interests|allies|embassy|diplomacy|"
                        r"stance|policy|intelligence|military|army|authorities|leaders?|counterparts?)\b)")
_PERSONAL = re.compile(r"^[A-Z][a-zà-ÿ'’-]+(?:\s[A-Z][a-zà-ÿ'’-]+){1,2}$")  # "Olaf Scholz": two or three names


def personal(value: str) -> bool:
    """Written like a person's name: two or three capitalised words ("Olaf Scholz", "Brock Purdy")."""
    return _PERSONAL.match(value) is not None
SIDE_BONUS = 0.3  # a person whose title names the asked nationality ("Russian Deputy Foreign Minister")
BYLINE_ROLES = frozenset("correspondent correspondents reporter reporters journalist journalists".split())
ROLE_STEM = 5  # role words compared by their first letters: adviser = advisor, minister = ministers
PARTY_LABELS = frozenset({"GPE", "NORP", "ORG", "PERSON"})
OWNER_AFTER_WORDS = 3  # "100,000 Russian troops": a party named this close after the figure owns it
_MODIFIED = re.compile(r"[’']?\s+(?:officials?|administrations?|aides?|advis[eo]rs?|camp|team|government|allies|"
                       r"ally|spokes(?:man|woman|person)|loyalists?|supporters?|critics?)\b")
_QUOTED = re.compile(r"[“\"‘']([^“”\"‘’']{3,60})[”\"’']")
_NUMBERISH = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|"
                        r"hundreds?|thousands?|millions?|billions?)\b", re.I)
_YEAR_ONLY = re.compile(r"^(?:19|20)\d\d$")


@dataclass(frozen=True)
class Phrase:
    text: str
    start: int  # span in the article text
    end: int
    owner: str | None = None  # the party a figure belongs to, when the sentence says
    label: str = ""
    core: int = -1  # where the entity itself starts, after any title (-1: at `start`)
    items: int = 1  # the names it lists ("Merkel, Macron and Draghi": 3)


def key(phrase: Phrase) -> str:
    """What two mentions of one answer share: a person's last name, a figure's digits, else the
    words without case or a leading "the"."""
    words = re.findall(r"[\w’'-]+", phrase.text[phrase.core - phrase.start:] if phrase.core > phrase.start
                       else phrase.text)
    if phrase.label == "PERSON" and words:
        return words[-1].casefold()
    digits = re.sub(r"\D", "", phrase.text)
    if digits and phrase.label in ("CARDINAL", "QUANTITY", "MONEY", "PERCENT"):
        return digits
    return " ".join(w.casefold() for w in words if w.casefold() != "the")


def _in_question(text: str, question: str, names: list[str]) -> bool:
    t = text.casefold().strip()
    if t and t in question.casefold():
        return True
    return any(same_party(text, n) for n in names)


_TITLE_WORD = re.compile(r"(?:[A-Z][\w’'.\-]*|of|for)$")
TITLE_WORDS = 5  # at most this many capitalised words before a name are its title ("US Secretary of State")


def _with_title(text: str, s: int, floor: int) -> int:
    """Start of a person's name with the capitalised title before it ("Foreign Minister Mélanie Joly")."""
    words = list(re.finditer(r"\S+", text[floor:s]))[-TITLE_WORDS:]
    new = s
    for w in reversed(words):
        if not _TITLE_WORD.match(w.group()) or not TITLE.search(text[floor + w.start():s]) and w.group()[-1] in ",.;:":
            break
        if w.group() in ("of", "for") and new == s:
            break
        new = floor + w.start()
    while new < s and text[new:s].split()[0] in ("of", "for"):
        new += len(text[new:s].split()[0]) + 1
    return new if TITLE.search(text[new:s]) else s


_REPORTED_ON = re.compile(rf"\b{SAID}\b[^.;]{{0,25}}?\b(?:on|this|last)\s*$")


_VISITED = re.compile(r"\b(?:visit(?:ed|s|ing)?|host(?:ed|s|ing)?(?:\s+by)?|held\s+by)\s+(?:the\s+)?$", re.I)
_LOCATIVE = re.compile(r"\b(?:in|at|from|near|on|to|into|inside|outside|within|across|around|via|outside of|off)"
                       r"\s+(?:the\s+)?$", re.I)


def _whereabouts(who: str, before: str, aliases=()) -> bool:
    """The text before a place says that `who` is or was there: "Putin, who was in", "Putin is in"; or one of
    the titles the articles give them (`aliases`, "russian president": "The Russian president, who was in");
    `who` asked as "the Russian leader" is any title of that side: "The Russian president, who was in"."""
    words = who.split()
    if words[0].casefold() == "the" and ROLE.fullmatch(words[-1]):
        subject = r"\b" + r"\s+".join([*(re.escape(w) for w in words[1:-1]), ROLE_WORDS])
    else:
        subject = "|".join([re.escape(words[-1]), *(r"\b" + re.escape(a) for a in aliases)])
    return re.search(rf"(?:{subject})[’'s]*,?(?:\s+who)?\s+(?:is|was|are|were|stayed|remained|spoke|joined)\s+"
                     r"(?:\w+\s+){0,2}?(?:in|at|from|on)\s+(?:the\s+)?$", before, re.I) is not None


POLITIES = frozenset("city cities town towns capital capitals country countries nation nations state states "
                     "republic republics province provinces".split())  # answered by a GPE, not a region or a building
MEDIA_NOUNS = frozenset("newspaper newspapers outlet outlets broadcaster broadcasters publication publications "
                        "magazine magazines paper papers channel channels website websites agency agencies".split())
_MEDIA = re.compile(r"\b(?:newspapers?|papers?|daily|dailies|outlets?|broadcasters?|publications?|magazines?|"
                    r"weekly|agenc(?:y|ies)|channels?|radio|television|TV|news|websites?)\b", re.I)
def owner(text: str, start: int, end: int, entities: list[tuple[int, int, str]]) -> str | None:
    """Whose figure the entity at [start, end) is: a party named just after it ("100,000 Russian
    troops"), else the nearest party named before it in the sentence ("Russia's … 100,000 troops",
    "accuses Ukraine of having deployed 120,000 soldiers")."""
    after = text[end:end + 40].split()[:OWNER_AFTER_WORDS]
    for s, e, label in entities:
        if label in PARTY_LABELS and s >= end and text[end:s].count(" ") <= len(after) and s - end <= 30:
            return text[s:e]
    before = [(s, e) for s, e, label in entities if label in PARTY_LABELS and e <= start]
    return text[before[-1][0]:before[-1][1]] if before else None


def phrases(asked: Asked, question: str, text: str, start: int, end: int,
            entities: list[tuple[int, int, str]], aliases=()) -> list[Phrase]:
    """Every phrase of the sentence text[start:end] that could answer the question and that the
    question does not already name; `aliases`: the titles the articles give the person whose whereabouts
    are asked (`qa.lexicon.titles.role_aliases`)."""
    ents = [(s, name_end(text, s, e) if label == "PERSON" else e, label) for s, e, label in entities if start <= s < end]
    found: list[Phrase] = []
    if asked.kind == "name":
        for m in _QUOTED.finditer(text, start, end):
            if not _in_question(m.group(1), question, asked.names):
                found.append(Phrase(m.group(1), m.start(1), m.end(1)))
        return found
    titles = [(_with_title(text, s, start), s) for s, e, label in ents if label == "PERSON"] \
        if asked.kind in PEOPLE else []
    titles += [span for a in re.findall(r"\b[A-Z]{3,8}\b", question)  # "Cooperation in Europe": the OSCE's name
               for span in expansion_spans(a, text, start, end)]
    for s, e, label in ents:
        value = text[s:e]
        if label != "PERSON" and any(t <= s and e <= p for t, p in titles):
            continue  # "Secretary of State Antony Blinken": State is his title, he is the one named
        if label == "ORG" and asked.kind in PEOPLE and _PERSONAL.match(value) \
                and _with_title(text, s, start) < s:
            label = "PERSON"  # "Chancellor-designate Olaf Scholz", read as an organisation by the tagger; not
            # "historian of the Cold War at Duke University", whose title is of someone named before
        if asked.kind == "duration" and label == "DATE" and re.search(r"\bsince\s+$", text[max(start, s - 7):s]):
            s, value, label = s - len(re.search(r"since\s+$", text[max(start, s - 7):s]).group()), "", "DURATION"
            value = text[s:e]  # "How long has the conflict lasted?": "since 2014"
        elif not fills(asked.kind, label, value, asked.grain) or _in_question(value, question, asked.names):
            continue
        if label == "PERSON" and _MODIFIED.match(text[e:e + 20]):
            continue  # "a senior Putin official", "the Biden administration": not the person
        if asked.kind in FIGURES and (not _NUMBERISH.search(value) or _YEAR_ONLY.match(value)):
            continue
        if asked.kind == "count" and asked.focus and (measures_other(value + " " + text[e:e + 25], asked.focus)
                                                      or counts_other(text[e:min(end, e + 60)], asked.focus)):
            continue  # "thousands of miles" does not count troops, nor "100,000 troops" tanks
        if asked.kind in ("date", "time") and _REPORTED_ON.search(text[max(start, s - 40):s]):
            continue  # "told reporters on Friday": the day of the report, not of the event
        if asked.kind == "place" and label != "GPE" and asked.focus in POLITIES:
            continue  # "Which city…" is not answered by "the West" or "the Black Sea"
        if asked.kind == "place" and (TITLE.match(text[e:e + 30].lstrip()) or _ATTRIBUTE.match(text[e:e + 30])):
            continue  # "US Secretary of State Antony Blinken", "the US's support", "the US side": whose, not where
        if asked.where and not _LOCATIVE.search(text[max(start, s - 30):s]) \
                and not _VISITED.search(text[max(start, s - 30):s]):
            continue  # "Where did the talks take place?": "in Geneva", not "convey to Putin that the United States…"
        if asked.located and not _whereabouts(asked.located, text[max(start, s - 60):s], aliases):
            continue  # "Where was Putin?": "Putin, who was in Sochi", not "Putin discussed the conflict in Ukraine"
        core = s
        if label == "PERSON":
            s = _with_title(text, s, start)
            value = text[s:e]
            if asked.side and _other_side(text[s:core], asked.side):
                continue  # "Russian Deputy Foreign Minister …" does not head the US delegation
        found.append(Phrase(value, s, e, owner(text, core, e, ents) if asked.party else None, label, core))
    if asked.kind in PEOPLE and asked.focus and plural(asked):  # "Which European leaders", not "Which French leader"
        found += _role_of_places(asked.focus, text, start, end, ents, question)
    return found


def _role_of_places(focus: str, text: str, start: int, end: int, ents: list, question: str) -> list[Phrase]:
    """People named by their office and country: "the leaders of Britain, Germany, France and Italy"
    answers "Which European leaders…" as well as their names would; it names no one to answer "Which
    French leader…"."""
    out = []
    places = [(s, e) for s, e, label in ents if label == "GPE" and not _in_question(text[s:e], question, [])]
    for m in re.finditer(r"\b(?:the\s+)?" + re.escape(focus[:ROLE_STEM]) + r"\w*\s+of\s+", text[start:end], re.I):
        at = start + m.end()
        run = [p for p in places if p[0] >= at]
        if not run or run[0][0] != at:
            continue
        last = 0
        while last + 1 < len(run) and _LIST_GAP.match(text[run[last][1]:run[last + 1][0]]):
            last += 1
        s, e = start + m.start(), run[last][1]
        out.append(Phrase(text[s:e], s, e, None, "PERSON", s, last + 1))
    return out


def role_ok(asked: Asked, phrase: Phrase, sentence: str) -> bool:
    """A figure must belong to the party asked about; unknown ownership passes only when the
    sentence names that party at all."""
    if not asked.party:
        return True
    if phrase.owner:
        return same_party(phrase.owner, asked.party)
    return mentions(sentence, asked.party)


def _around(text: str, phrase: Phrase, lo: int, hi: int) -> tuple[str, str]:
    """The words before and after a phrase, within NEAR_CHARS and within its sentence [lo, hi)."""
    at = phrase.core if phrase.core >= 0 else phrase.start
    return text[max(lo, at - NEAR_CHARS):at], text[phrase.end:min(hi, phrase.end + NEAR_CHARS)]


def support(asked: Asked, question_terms: list[str], text: str, phrase: Phrase, lo: int = 0,
            hi: int | None = None) -> tuple[float, int]:
    """(share, count) of the question's words found within NEAR_CHARS either side of the phrase, in
    its sentence [lo, hi); the share also counts a title for a person and the asked nationality in
    it: "Director for Russia at the National Security Council Eric Green" supports Eric Green for
    "Which National Security Council official…"."""
    before, after = _around(text, phrase, lo, len(text) if hi is None else hi)
    wanted = {lemma(t) for t in question_terms}
    count = len(wanted & {lemma(t) for t in tokens(before + " " + after)})
    count += sum(_described_by(text, lo, phrase, name) for name in asked.names
                 if not {lemma(w) for w in tokens(name)} <= {lemma(t) for t in tokens(before)})
    if not wanted:
        return 0.0, count
    share = count / len(wanted)
    if asked.kind in PEOPLE and TITLE.search(before):
        share += TITLE_BONUS
    if on_side(asked, text, phrase):
        share += SIDE_BONUS
    return share, count


_CONJUNCT = re.compile(r",\s+(?:and|but|while|whereas)\s+|;\s+")


def conjunct_support(question_terms: list[str], acronyms: list[str], text: str, phrase: Phrase,
                     lo: int, hi: int) -> int:
    """How many of the question's words the phrase's own conjunct holds, where the sentence joins
    several ("… the NATO-Russia Council in Brussels on Wednesday, and the meeting of the Permanent
    Council of the OSCE in Vienna on Thursday": Vienna for the OSCE); 0 in a sentence of one part."""
    at = phrase.core if phrase.core >= 0 else phrase.start
    start, end = lo, hi
    for m in _CONJUNCT.finditer(text, lo, hi):
        if m.end() <= at:
            start = m.end()
        elif m.start() >= phrase.end:
            end = m.start()
            break
    if (start, end) == (lo, hi):
        return 0
    part = text[start:end]
    count = len({lemma(t) for t in question_terms} & {lemma(t) for t in tokens(part)})
    return count + sum(expansion_in(a, part) for a in acronyms)


APPOSITIVE_WORDS = 12  # "Simon Miles, diplomatic and international historian of the Cold War at Duke University"


def _described_by(text: str, lo: int, phrase: Phrase, name: str) -> bool:
    """The phrase ends the description set off after a name: "Simon Miles, … historian … at Duke
    University" answers "Which university is Simon Miles at?" however far the name is."""
    at = text.rfind(name, lo, phrase.start)
    if at < 0:
        return False
    between = text[at + len(name):phrase.start]
    return (between.startswith(", ") and not re.search(r"[,.;:“”\"()]", between[2:])
            and len(between.split()) <= APPOSITIVE_WORDS)


def on_side(asked: Asked, text: str, phrase: Phrase) -> bool:
    """The phrase's title names the nationality the question asks for."""
    return bool(asked.side) and phrase.core > phrase.start and mentions(text[phrase.start:phrase.core], asked.side)


def _own_title(text: str, phrase: Phrase, lo: int) -> tuple[int, int] | None:
    """The span of the title a person's phrase holds ("Secretary of State Antony Blinken"), else of the one
    written right before it in the sentence starting at `lo` ("… and Director for Russia at the National
    Security Council Eric Green"), or None."""
    return (phrase.start, phrase.core) if phrase.core > phrase.start else title_before(text, lo, phrase.start)


def titled_as_asked(asked: Asked, text: str, phrase: Phrase, lo: int, hi: int, texts=()) -> int:
    """How many of the words that describe the asked person ("Which National Security Council official
    responsible for Russia": official, National Security Council, Russia) the phrase's title holds: its own
    ("Secretary of State Antony Blinken"), else, in the sentence text[lo:hi], the one written before the name or
    set off after it ("Director for Russia at the National Security Council Eric Green", "Dmitry Peskov, the
    Kremlin spokesman"); where the sentence gives none, the best of the titles that the retrieved articles
    (`texts`) give the person elsewhere and that hold the asked role."""
    span = _own_title(text, phrase, lo) or appositive(text, phrase.end, hi)
    if span is None:
        return max((_title_holds(asked, t) for t in _titles_elsewhere(asked, phrase, texts)), default=0)
    return _title_holds(asked, text[span[0]:span[1]])


def _title_holds(asked: Asked, title: str) -> int:
    if _ranked(asked, title):
        return 0
    focus = bool(asked.focus) and asked.focus.casefold()[:ROLE_STEM] in title.casefold()
    return focus + sum(mentions(title, n) for n in dict.fromkeys(asked.names))


def _other_side(title: str, side: str) -> bool:
    """The title names a nationality, and not the asked one."""
    named = [w for w in re.findall(r"[A-Z][\w.]+", title) if demonym(w)]
    return bool(named) and not any(same_party(w, side) for w in named)


def described(asked: Asked, text: str, phrase: Phrase, lo: int, hi: int) -> bool:
    """A person asked for by a title ("which minister", "which general", "which correspondent") is
    named in a sentence that uses that title; other nouns ("which artist", "which official") ask
    for no title."""
    if asked.kind == "org" and asked.focus in MEDIA_NOUNS:  # "Which newspaper…": a medium, not the Kremlin
        return bool(_MEDIA.search(text[lo:hi]))
    if asked.kind == "place":  # "Which Ukrainian city…": not Moscow; "Which city…": not Ukraine
        if asked.focus in TOWN_NOUNS and no_town(phrase.text):
            return False
        return not asked.side or not other_polity(phrase.text, asked.side)
    if asked.kind == "person" and asked.focus in BYLINE_ROLES and credit_line(text, phrase, lo, hi):
        return True
    if asked.kind != "person" or not asked.focus or asked.focus in GENERIC_ROLES \
            or not (asked.focus in BYLINE_ROLES or ROLE.fullmatch(asked.focus.rstrip("s").capitalize())):
        return True
    # one person's own title, where it has one, is the one that must say it ("French President Emmanuel Macron"
    # is not the French foreign minister, though "Italian Prime Minister" stands in the same sentence); the names
    # of a list share the title its sentence gives them ("former U.S. ambassadors, including … envoys X and Y")
    own = None if plural(asked) else _own_title(text, phrase, lo)
    where = text[own[0]:own[1]] if own else text[lo:hi]
    return asked.focus[:ROLE_STEM] in {t[:ROLE_STEM] for t in tokens(where)}


def described_anywhere(asked: Asked, text: str, phrase: Phrase, lo: int, hi: int, texts=()) -> bool:
    """`described`, or a person whom the retrieved articles (`texts`) give the asked title elsewhere: "Psaki
    announced …" names the White House spokeswoman that another sentence calls "White House spokeswoman Jen
    Psaki"."""
    if described(asked, text, phrase, lo, hi):
        return True
    return bool(_titles_elsewhere(asked, phrase, texts))


def _titles_elsewhere(asked: Asked, phrase: Phrase, texts) -> tuple[str, ...]:
    if asked.kind != "person" or phrase.label != "PERSON" or not asked.focus or not texts:
        return ()
    return tuple(t for t in titles_holding(phrase.text, asked.focus[:ROLE_STEM], texts) if not _ranked(asked, t))


def _ranked(asked: Asked, title: str) -> bool:
    """The title holds a rank the question does not: a deputy foreign minister is not the foreign minister."""
    return bool({w.casefold() for w in tokens(title)} & RANKS - {w.casefold() for w in asked.names})


CREDIT_WORDS = 16  # a reporter's credit line ("Demian von Osten, ARD Moscow, daily topics …") is short


def credit_line(text: str, phrase: Phrase, lo: int, hi: int) -> bool:
    """News names its reporters in credit lines: the name first, a comma, then the outlet or desk."""
    return (not text[lo:phrase.start].strip() and text[phrase.end:phrase.end + 1] == ","
            and len(text[lo:hi].split()) <= CREDIT_WORDS)


def names_met(names: list[str], sentence: str, before: str = "", texts=()) -> bool:
    """The sentence of a short answer (with the one before it) names the question's names: more
    than half of them, or two when the question uses more than three (it may join several articles).
    A name is also met by a title that the retrieved `texts` give it ("the US president" for Biden)."""
    if not names:
        return True
    text = before + " " + sentence
    found = sum(mentions(text, n) or bool(texts) and named_by_role(role_aliases(n, texts), text) for n in names)
    return found * 2 > len(names) or (len(names) > 3 and found >= 2)


def best(asked: Asked, text: str, candidates: list[Phrase], supports: dict, similarity: dict,
         conjuncts: dict, lo: int, hi: int, titled: dict | None = None) -> Phrase | None:
    """The phrase in the part of the sentence that holds most of the question's words (`conjuncts`),
    then the one they surround most closely (`supports`: each phrase's `support` share), then the one
    in the window most like the question (`similarity`); for a plural question ("which
    ambassadors"), with the list it belongs to. `titled`: how many of the question's words each
    phrase's title holds, where the caller has read it (`titled_as_asked`)."""
    if not candidates:
        return None
    several = plural(asked)
    ordered = sorted(candidates, key=lambda p: p.start)
    pick = max(candidates, key=lambda p: (p.label == "PERSON" if asked.kind == "who" else True,
                                          on_side(asked, text, p),
                                          titled[p] if titled and p in titled else  # read once by the caller
                                          titled_as_asked(asked, text, p, lo, hi),  # "the NATO secretary general"
                                          several and _with_list(p, ordered, text) is not p,  # "which leaders": a list
                                          conjuncts.get(p, 0),
                                          round(supports[p], 2),
                                          round(similarity.get(p, 0.0), 2)))
    return _with_list(pick, ordered, text) if several else pick


def plural(asked: Asked) -> bool:
    """The question asks for several: "which leaders", "which countries"."""
    return bool(asked.focus) and _plural(asked.focus)


def _plural(noun: str) -> bool:
    return noun.endswith("s") and not noun.endswith(("ss", "us", "is"))


_LIST_GAP = re.compile(r"^(?:,\s*|\s+and\s+|,\s*and\s+|\s*/\s*)$")


def _with_list(pick: Phrase, ordered: list[Phrase], text: str) -> Phrase:
    """Grow a phrase over the phrases listed next to it ("Steven Pifer and John Herbst")."""
    i = next(k for k, p in enumerate(ordered) if p.start == pick.start)
    lo = hi = i
    while lo > 0 and _LIST_GAP.match(text[ordered[lo - 1].end:ordered[lo].start]):
        lo -= 1
    while hi + 1 < len(ordered) and _LIST_GAP.match(text[ordered[hi].end:ordered[hi + 1].start]):
        hi += 1
    if lo == hi:
        return pick
    s, e = ordered[lo].start, ordered[hi].end
    return Phrase(text[s:e], s, e, pick.owner, pick.label, pick.core, hi - lo + 1)
