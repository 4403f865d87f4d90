"""What a figure counts: "some 100,000 troops" answers "how many soldiers", not "how many tanks",
and "thousands of miles" counts no troops at all."""

from __future__ import annotations

import re

_UNITS = re.compile(r"\b(?:miles?|kilomet(?:re|er)s?|km|metres?|meters?|feet|tons?|tonnes?|percent|per cent|"
                    r"dollars?|euros?|pounds?|hours?|minutes?|days?|weeks?|months?|years?)\b", re.I)

# Nouns that count the same thing in news ("How many soldiers…" is answered by "100,000 troops").
COUNTED_ALIKE = (frozenset("soldiers troops servicemen forces personnel military men".split()),
                 frozenset("people persons civilians residents inhabitants lives individuals".split()))
COUNTED_WORDS = 6  # the counted noun follows the figure this closely: "some 100,000 troops", "24 former U.S. national
# security officials"


_COUNT_STOPS = frozenset("of in on at to from with by for who that which and or than since were was are is had "
                         "have has".split())  # the counted noun comes before these: "100,000 of its soldiers"


def counts_other(after: str, focus: str) -> bool:
    """The figure counts another thing than the question: "100,000 troops" for "how many tanks"."""
    words = re.findall(r"[A-Za-z][\w’'.\-]*", after)[:COUNTED_WORDS]
    alike = next((g for g in COUNTED_ALIKE if focus in g), frozenset({focus}))
    if any(w.casefold() in alike or w.casefold()[:5] == focus[:5] for w in words):
        return False
    counted = None
    for w in words[:COUNTED_WORDS]:  # "24 former U.S. national security officials": past the modifiers
        if w.casefold() in _COUNT_STOPS:
            break
        if w.islower() and w.endswith("s") and len(w) > 3 and not w.endswith("ss"):
            counted = w
            break
    return counted is not None and not _UNITS.fullmatch(counted)


def measures_other(text: str, focus: str) -> bool:
    """The figure is a measure of another unit than the question counts: "thousands of miles"."""
    m = _UNITS.search(text)
    return bool(m) and not m.group().casefold().startswith(focus[:4].casefold())
