"""Outlets as a reader names them: one key for any spelling or spacing ("Le Figaro", "lefigaro",
"LE-FIGARO"), and the display name an article's credit line, slug or web address stands for.

What the world knows (names, aliases, domains) is data, `index/ingest/outlet_names.json`, loaded once here; an
outlet the file does not know keeps the name its article gives.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

NAMES_FILE = Path(__file__).resolve().parent / "outlet_names.json"
_NOT_WORD = re.compile(r"\W+")


def outlet_key(name: str) -> str:
    """The key two spellings of one outlet share: case folded, spaces and punctuation dropped, a leading
    "the" dropped ("The Guardian" = "guardian"; "Le Figaro" = "lefigaro")."""
    key = _NOT_WORD.sub("", name.casefold()).replace("_", "")
    return key[3:] if key.startswith("the") and len(key) > 6 else key


def _host(url: str) -> str | None:
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


@cache
def _known() -> tuple[dict, ...]:
    """The outlets of the data file, read once."""
    return tuple(json.loads(NAMES_FILE.read_text(encoding="utf-8"))["outlets"])


@cache
def _table() -> tuple[dict[str, str], dict[str, str]]:
    """(key -> display name, domain -> display name) from the data file."""
    keys: dict[str, str] = {}
    domains: dict[str, str] = {}
    for outlet in _known():
        name = outlet["name"]
        for domain in outlet["domains"]:
            domains[domain] = name
            keys.setdefault(outlet_key(domain.split(".")[0] if not domain.startswith("news.") else domain), name)
            keys.setdefault(outlet_key(domain), name)
        for alias in [name, *outlet.get("aliases", ())]:
            keys.setdefault(outlet_key(alias), name)
    return keys, domains


def display_name(outlet: str | None, url: str | None = None) -> str | None:
    """The outlet's display name: the known name for what the article gives (`lefigaro`: "Le Figaro"),
    else the article's own words; with no outlet given, the known outlet of its web address, else None."""
    keys, domains = _table()
    if outlet and outlet.strip():
        return keys.get(outlet_key(outlet), outlet.strip())
    host = _host(url) if url else None
    while host and "." in host:
        if host in domains:
            return domains[host]
        host = host.split(".", 1)[1]
    return None


MIN_NAMED = 4  # the shortest name or alias looked for in free text ("Wired"; not "ap", "ft", "dw")


@cache
def _named_forms() -> tuple[tuple[re.Pattern, str], ...]:
    forms = []
    for outlet in _known():
        for form in dict.fromkeys([outlet["name"], *outlet.get("aliases", ())]):
            if len(form) >= MIN_NAMED:  # a name of one word only as written: "Fortune", not "a fortune"
                flags = re.I if " " in form else 0
                forms.append((re.compile(r"(?<!\w)" + re.escape(form) + r"(?!\w)", flags), outlet["name"]))
    return tuple(forms)


def named_in(text: str) -> list[str]:
    """The known outlets `text` names, by name or alias ("according to Le Monde", "the new york times
    reported"), as display names."""
    return list(dict.fromkeys(name for pattern, name in _named_forms() if pattern.search(text)))

