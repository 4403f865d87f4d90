"""Filters checked before a question is asked: an outlet the index does not hold, or a date range
that ends before it starts, is said once, precisely, with the nearest outlet suggested."""

from __future__ import annotations

import difflib
import re

from qa.errors import FilterError
from qa.types import Filters

NEAREST_CUTOFF = 0.6  # difflib ratio; "Le Figaro" -> "lefigaro" is an exact match once normalised
SHOWN_OUTLETS = 12  # outlets listed in the error line at most


def _key(name: str) -> str:
    key = re.sub(r"\W+", "", name.casefold())
    return key[3:] if key.startswith("the") and len(key) > 6 else key


def nearest_outlet(name: str, outlets: list[str]) -> str | None:
    """The indexed outlet a user most likely meant by `name`, or None."""
    keys = {_key(o): o for o in outlets}
    if _key(name) in keys:
        return keys[_key(name)]
    close = difflib.get_close_matches(_key(name), list(keys), n=1, cutoff=NEAREST_CUTOFF)
    return keys[close[0]] if close else None


def check_filters(filters: Filters | None, outlets: list[str]) -> None:
    if filters is None:
        return
    if filters.since and filters.until and filters.since > filters.until:
        raise FilterError(f"The date range is inverted: since {filters.since.isoformat()} is after until "
                          f"{filters.until.isoformat()}; swap the two dates.")
    known = {o.casefold() for o in outlets}
    for name in filters.sources:
        if name.casefold() in known:
            continue
        near = nearest_outlet(name, outlets)
        hint = f"did you mean {near!r}? " if near else ""
        listed = ", ".join(outlets[:SHOWN_OUTLETS]) + (", …" if len(outlets) > SHOWN_OUTLETS else "")
        raise FilterError(f"No outlet {name!r} in this index; {hint}outlets here: {listed or 'none'}.")
