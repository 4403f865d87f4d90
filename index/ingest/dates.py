"""Dates, read the one way everywhere: in article text and metadata (index time), in the dates a
question names (ask time: regexes only, a few microseconds) and in the dates a user types for a
filter (`--since`, `--until`, the chat app's filter form; full ISO timestamps through dateutil).

What is not clearly a date is not one: None (text) or a ValueError saying what to type (user input).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta, datetime, timezone

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
FULL_MONTHS = {name for name in MONTHS if len(name) > 4 or name in ("may", "june", "july")}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_FULL_MONTH = "|".join(sorted(FULL_MONTHS, key=len, reverse=True))
_ORD = r"(?:st|nd|rd|th)?"

_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
    r"(?:[T ](?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?)?"
    r"(?:Z|[+-]\d{2}:?\d{2})?"
)
_DOTTED = re.compile(r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})")  # 07.12.2021, German style
# 21/01/2022 day first, 01/21/2022 month first: taken only when one of the two cannot be a month (or both are
# the same); 01/02/2022 could be either and is not a date.
_SLASHED = re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4})(?![\d/])")
_MONTH_FIRST = re.compile(  # December 7th, 2021 / Dec. 7, 2021
    rf"(?P<mon>{_MONTH})\.?\s+(?P<d>\d{{1,2}}){_ORD},?\s+(?P<y>\d{{4}})", re.IGNORECASE
)
_DAY_FIRST = re.compile(  # 7 December 2021 / 7th Dec. 2021
    rf"(?P<d>\d{{1,2}}){_ORD}\s+(?P<mon>{_MONTH})\.?,?\s+(?P<y>\d{{4}})", re.IGNORECASE
)
_DATE_PATTERNS = (_ISO, _DOTTED, _SLASHED, _MONTH_FIRST, _DAY_FIRST)

# Labels that may precede a date on its own line: "Status: 07.12.2021", "Published on 7 Dec 2021".
_DATE_LABEL = re.compile(
    r"^(?:status|published|updated|posted|date|last updated|first published)(?:\s+on)?\s*:?\s*",
    re.IGNORECASE,
)
# A dateline's place before its date: "Paris, 21.01.2022", "BERLIN – 07.12.2021" (one to three capitalised words).
_DATELINE_PLACE = re.compile(r"^[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,2}\s*(?:,|\s[–—-])\s*(?=\d)")
# What may be left on a date line once the date is removed: a time, a weekday, punctuation.
_DATE_LINE_REST = re.compile(
    r"^(?:\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?|\b(?:[a-z]+day|at|on|utc|gmt|[ecmp][sd]t|ce[s]?t|bst)\b"
    r"|[\s,.|/()-])*$",
    re.IGNORECASE,
)

# Epoch timestamps accepted in JSON metadata: seconds from 1990 to 2100 (milliseconds when larger).
EPOCH_MIN, EPOCH_MAX = 631_152_000, 4_102_444_800


# ------------------------------------------------------------------ dates in text (index time)
def parse_date(value: str) -> str | None:
    """The first well-formed date in `value` as ISO 8601, or None.

    A full timestamp keeps its time to the second ("2022-01-09T18:38:59"; the zone is dropped);
    any other form gives the day only ("2021-12-07").
    """
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(value):
            iso = _to_iso(match)
            if iso is not None:
                return iso
    return None


def is_date_line(line: str) -> bool:
    """A line that is a date and nothing else, perhaps with a label, a time and a weekday."""
    rest = _DATELINE_PLACE.sub("", _DATE_LABEL.sub("", line.strip(), count=1), count=1)
    for pattern in _DATE_PATTERNS:
        match = pattern.search(rest)
        if match and _to_iso(match) is not None:
            leftover = rest[: match.start()] + " " + rest[match.end():]
            return bool(_DATE_LINE_REST.match(leftover))
    return False


def from_epoch(value: float) -> str | None:
    """Epoch seconds (or milliseconds) as an ISO timestamp in UTC, or None when out of range."""
    seconds = value / 1000 if value > EPOCH_MAX else value
    if not EPOCH_MIN <= seconds <= EPOCH_MAX:
        return None
    return datetime.fromtimestamp(int(seconds), tz=timezone.utc).replace(tzinfo=None).isoformat()


def _day_month(a: int, b: int) -> tuple[int, int] | None:
    """(day, month) of a slashed date's two numbers, when only one reading is a date."""
    if a > 12 >= b or a == b:
        return a, b
    if b > 12 >= a:
        return b, a
    return None


def _to_iso(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    if groups.get("a") is not None:
        read = _day_month(int(groups["a"]), int(groups["b"]))
        if read is None:
            return None
        groups = {**groups, "d": str(read[0]), "m": str(read[1])}
    month = MONTHS[groups["mon"].lower()] if groups.get("mon") else int(groups["m"])
    try:
        day = date(int(groups["y"]), month, int(groups["d"]))
        if groups.get("H") is None:
            return day.isoformat()
        moment = datetime(day.year, day.month, day.day, int(groups["H"]), int(groups["M"]), int(groups["S"] or 0))
    except ValueError:
        return None
    return moment.isoformat()


# ------------------------------------------------------------------ dates a question names (ask time)
_Q_FULL = re.compile(  # a full month name, with a day before or after it and a year, all optional
    rf"\b(?:(\d{{1,2}}){_ORD}\s+)?({_FULL_MONTH})\b\.?(?:\s+(\d{{1,2}})(?!\d){_ORD})?(?:,?\s+(\d{{4}}))?", re.I)
_Q_ABBR = re.compile(  # an abbreviation counts only next to a day or a year: "Dec. 7, 2021", "7 Dec 2021"
    rf"\b(?:(\d{{1,2}}){_ORD}\s+)?({_MONTH})\b\.?(?:\s+(\d{{1,2}})(?!\d){_ORD})?(?:,?\s+(\d{{4}}))?", re.I)
_Q_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")
_BEFORE_AFTER = re.compile(r"\b(before|after|since|until|prior to)\b", re.I)


def _month_mention(question: str):
    for pattern in (_Q_FULL, _Q_ABBR):
        for m in pattern.finditer(question):
            adjacent = m.group(1) or m.group(3) or m.group(4)
            if pattern is _Q_FULL or adjacent:
                return m
    return None


def find_dates(question: str) -> tuple[str | None, str | None] | None:
    """A soft date range (ISO days) from the dates a question names, and before/after words.

    "Dec. 7, 2021" is that day, "December 2021" that month, "in 2021" that year; a month with no
    year anywhere in the question is too vague to prefer anything (None)."""
    iso = _Q_ISO.search(question)
    m = None if iso else _month_mention(question)
    year_m = _YEAR.search(question)
    if iso:
        try:
            lo = hi = date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3))).isoformat()
        except ValueError:
            return None
    elif m:
        month = MONTHS[m.group(2).casefold()]
        day = m.group(1) or m.group(3)
        year = int(m.group(4) or (year_m.group(1) if year_m else 0)) or None
        if year is None:
            return None
        last = calendar.monthrange(year, month)[1]
        if day and 1 <= int(day) <= last:
            lo = hi = date(year, month, int(day)).isoformat()
        else:
            lo, hi = date(year, month, 1).isoformat(), date(year, month, last).isoformat()
    elif year_m:
        lo, hi = f"{year_m.group(1)}-01-01", f"{year_m.group(1)}-12-31"
    else:
        return None
    rel = _BEFORE_AFTER.search(question)
    if rel:
        return (lo, None) if rel.group(1).casefold() in ("after", "since") else (None, hi)
    return (lo, hi)


NEAR_DAYS = ("today", "yesterday", "tomorrow")


def date_grains(text: str) -> frozenset[str]:
    """How finely a date phrase names its time, read as `find_dates` and `names_year` read dates: "year",
    "month", "day" (of a month: "December 7", "07.12.2021", "today") and "weekday". "Tuesday, December 7" is
    a weekday, a month and a day; "2014" a year; "last week" none."""
    found: set[str] = set()
    if _Q_ISO.search(text) or _DOTTED.search(text) or _SLASHED.search(text):
        found |= {"year", "month", "day"}
    for pattern in (_Q_FULL, _Q_ABBR):
        for m in pattern.finditer(text):
            if pattern is _Q_FULL or m.group(1) or m.group(3) or m.group(4):
                found.add("month")
                found |= {"day"} if m.group(1) or m.group(3) else set()
    if names_year(text):
        found.add("year")
    words = {w.strip(".,;:()").casefold() for w in text.split()}
    if words & set(WEEKDAYS):
        found.add("weekday")
    if words & set(NEAR_DAYS):
        found.add("day")
    return frozenset(found)


_PART = re.compile(r"\b(early|mid|late)[\s-]+$", re.I)
_PART_START = {"early": 1, "mid": 11, "late": 21}


def period_start(text: str, near: str | None, year_alone: bool = False) -> date | None:
    """The first day of the period a question dates its event in ("late-December", "9 December",
    "December 9, 2021"; with `year_alone`, also "the 2022 election"), as seen from the day `near`
    (ISO, e.g. an article's date): a missing year is the one that puts the period nearest to that day."""
    m = _Q_FULL.search(text)
    if not m and year_alone and near and (y := _YEAR_ALONE.search(text)):
        return date(int(y.group()), 1, 1)
    if not m or not near or len(near) < 10:
        return None
    day_a, month, day_b, year = m.groups()
    part = _PART.search(text, 0, m.start())
    try:
        pub = date.fromisoformat(near[:10])
        day = int(day_a or day_b or _PART_START.get(part.group(1).casefold() if part else "", 1))
        month_no = MONTHS[month.casefold()]
        if year:
            return date(int(year), month_no, day)
        return min((date(y, month_no, day) for y in (pub.year - 1, pub.year, pub.year + 1)),
                   key=lambda d: abs((d - pub).days))
    except ValueError:
        return None


_YEAR_ALONE = re.compile(r"(?<!\d)(?<!\d[,.])(?:19|20)\d\d(?!\d|[,.]\d)")  # not inside "12,2022" or "2022,000"


def names_year(text: str) -> bool:
    """The text names a year, as `period_start` reads one: "the 2022 election", "In 2022, …"."""
    return _YEAR_ALONE.search(text) is not None


def latest_year(text: str) -> int | None:
    """The latest year the text names, read as `names_year` reads one, or None."""
    return max((int(y) for y in _YEAR_ALONE.findall(text)), default=None)


_WEEKDAY = re.compile(r"^(?:(?:on|this|next|last|coming|past)\s+)?(monday|tuesday|wednesday|thursday|friday|"
                      r"saturday|sunday)$", re.I)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def weekday_date(phrase: str, published: str | None, ahead: bool) -> date | None:
    """The day a weekday names, seen from the article's date: "this Thursday" in an article of
    Tuesday 7 December 2021 is 9 December. "next"/"this"/"coming", or `ahead` (the sentence looks
    forward), take the first such day from the article's date on; "last"/"past", or a sentence that
    looks back, the last one up to it. None without a full date or a weekday alone."""
    m = _WEEKDAY.match(phrase.strip())
    if not m or not published or len(published) < 10:
        return None
    try:
        pub = date.fromisoformat(published[:10])
    except ValueError:
        return None
    word = phrase.strip().split()[0].casefold()
    forward = word in ("this", "next", "coming") or (word not in ("last", "past") and ahead)
    delta = (WEEKDAYS.index(m.group(1).casefold()) - pub.weekday()) % 7
    return pub + timedelta(days=delta) if forward else pub - timedelta(days=(7 - delta) % 7)


# ------------------------------------------------------------------ dates a user types (filters)
USER_FORMS = "2021-12-07, 2021-12, 2021, 2021/12/07, 20211207, 2021-12-07T10:00Z, 7 Dec 2021 or Dec 7, 2021"
_USER_NUMERIC = re.compile(r"^(\d{4})(?:([-/.]?)(\d{2})(?:\2(\d{2}))?)?$")
_USER_MONTH = re.compile(rf"^(?:({_MONTH})\.?\s+(\d{{4}})|(\d{{4}})\s+({_MONTH})\.?)$", re.I)


def parse_user_date(value: str | None, *, end: bool = False, label: str = "date") -> date:
    """A date typed by a user. A month or a year stands for its first day, or its last with `end`
    (so `--until 2021-12` includes the 31st). Raises ValueError with one line saying what to type."""
    text = (value or "").strip()
    if not text:
        raise ValueError(f"{label} is empty; give a date such as 2021-12-07")
    try:
        return _user_date(text, end)
    except (ValueError, OverflowError):
        raise ValueError(f"{label} takes a date (YYYY-MM-DD; also {USER_FORMS}), not {text!r}") from None


def _user_date(text: str, end: bool) -> date:
    numeric = _USER_NUMERIC.match(text)
    if numeric:
        year, month, day = int(numeric.group(1)), numeric.group(3), numeric.group(4)
        if month is None:
            return date(year, 12, 31) if end else date(year, 1, 1)
        if day is None:
            return _month_edge(year, int(month), end)
        return date(year, int(month), int(day))
    month_year = _USER_MONTH.match(text)
    if month_year:
        name, year = (month_year.group(1), month_year.group(2)) if month_year.group(1) else (
            month_year.group(4), month_year.group(3))
        return _month_edge(int(year), MONTHS[name.casefold()], end)
    if re.match(r"^\d{4}-\d{2}-\d{2}[T ]", text):
        from dateutil.parser import isoparse  # full ISO timestamps, with a zone or not

        return isoparse(text).date()
    for pattern in (_MONTH_FIRST, _DAY_FIRST, _DOTTED, _SLASHED):
        match = pattern.fullmatch(text)
        if match and (iso := _to_iso(match)):
            return date.fromisoformat(iso)
    raise ValueError(text)


def _month_edge(year: int, month: int, end: bool) -> date:
    return date(year, month, calendar.monthrange(year, month)[1] if end else 1)
