"""Filters checked before a question is asked: an outlet the index does not hold, or a date range
that ends before it starts, is said once, precisely, with the nearest outlet suggested."""

from __future__ import annotations

import difflib
from dataclasses import replace

from index.ingest.outlets import display_name, outlet_key
from qa.errors import FilterError
from qa.types import Filters

NEAREST_CUTOFF = 0.6  # difflib ratio; "Le Figaro" -> "lefigaro" is an exact match by key
SHOWN_OUTLETS = 12  # outlets listed in the error line at most


def indexed_outlet(name: str, outlets: list[str]) -> str | None:
    """The indexed outlet `name` is, however spelt or spaced ("Le Figaro", "lefigaro", "LE FIGARO"), or
    known by another name of index/ingest/outlet_names.json ("tagesschau" is ARD); None when none is."""
    keys = {outlet_key(o): o for o in outlets}
    for form in (name, display_name(name)):
        if form and outlet_key(form) in keys:
            return keys[outlet_key(form)]
    return None


def nearest_outlet(name: str, outlets: list[str]) -> str | None:
    """The indexed outlet a user most likely meant by `name`, or None."""
    same = indexed_outlet(name, outlets)
    if same is not None:
        return same
    keys = {outlet_key(o): o for o in outlets}
    close = difflib.get_close_matches(outlet_key(name), list(keys), n=1, cutoff=NEAREST_CUTOFF)
    return keys[close[0]] if close else None


def check_filters(filters: Filters | None, outlets: list[str]) -> Filters | None:
    """The filters with each outlet as the index spells it; an unknown outlet or an inverted range is
    refused (FilterError) in one line."""
    if filters is None:
        return None
    if filters.since and filters.until and filters.since > filters.until:
        raise FilterError(f"The date range is inverted: since {filters.since.isoformat()} is after until "
                          f"{filters.until.isoformat()}; swap the two dates.")
    resolved = []
    for name in filters.outlets:
        same = indexed_outlet(name, outlets)
        if same is not None:
            resolved.append(same)
            continue
        near = nearest_outlet(name, outlets)
        hint = f"did you mean {near!r}? " if near else ""
        listed = ", ".join(outlets[:SHOWN_OUTLETS]) + (", …" if len(outlets) > SHOWN_OUTLETS else "")
        raise FilterError(f"No outlet {name!r} in this index; {hint}outlets here: {listed or 'none'}.")
    return replace(filters, outlets=tuple(dict.fromkeys(resolved)))
