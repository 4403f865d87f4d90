"""Countries and the other places news names them by, from one gazetteer (`places.json`, written by
`bench/gazetteer.py`, its sources inside).

- `party_groups()`: the names one country goes by ("Russia", "Russian", "Russians", "Moscow", "the
  Kremlin"), which `qa.lexicon.names` treats as one party.
- `no_town(name)`: a country, continent or other area larger than a town: "Which city…" is not
  answered by "Ukraine" or "the Baltic States". A country whose capital bears its name (Singapore,
  Kuwait, Mexico) may be the city meant; an area is also known by the noun that heads its name ("the
  Donbass region", "the Crimean peninsula").
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

TOWN_NOUNS = frozenset({"city", "cities", "town", "towns", "capital", "capitals", "village", "villages", "port"})


@lru_cache(maxsize=1)
def _data() -> dict:
    return json.loads(Path(__file__).with_name("places.json").read_text(encoding="utf-8"))


def party_groups() -> list[list[str]]:
    """Each country's names (name, demonym and its plural, other names, and its capital where news uses
    it for the government), and each union's, as written."""
    data = _data()
    groups = [[c["name"], c["demonym"], *c["plural"], *c["also"], *([c["capital"]] if c["capital_names_it"] else [])]
              for c in data["countries"]]
    return groups + [[u["name"], *u["also"]] for u in data["unions"]]


@lru_cache(maxsize=1)
def demonyms() -> frozenset[str]:
    """Every country's demonym and its plural, case folded: "russian", "ukrainians"."""
    return frozenset(n.casefold() for c in _data()["countries"] for n in [c["demonym"], *c["plural"]] if n)


def _capital_bears_name(country: dict) -> bool:
    return bool(country["capital"]) and country["name"].split()[0] in country["capital"]


@lru_cache(maxsize=1)
def _larger_than_towns() -> tuple[frozenset[str], frozenset[str]]:
    data = _data()
    names = {n.casefold() for c in data["countries"] if not _capital_bears_name(c) for n in [c["name"], *c["also"]]}
    names |= {n.casefold() for u in data["unions"] for n in [u["name"], *u["also"]]}
    names |= {n.casefold() for n in data["continents"]}
    names -= {c["capital"].casefold() for c in data["countries"]}  # "Washington", "Brussels": cities too
    return frozenset(names), frozenset(data["region_heads"])


def no_town(name: str) -> bool:
    """The name is a country, continent or other area larger than a town."""
    polities, heads = _larger_than_towns()
    words = re.sub(r"^the\s+", "", name.strip(), flags=re.I).casefold().split()
    return bool(words) and (" ".join(words) in polities or words[-1] in heads)
