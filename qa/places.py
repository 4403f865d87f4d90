"""Which place names are no town: "Which city…" is not answered by "Ukraine" or "the Baltic States".

The names are GeoNames' countries and continents with the common short forms news uses
(`places.json`, its source inside), and an area is also known by the noun that heads its name
("the Donbass region", "the Crimean peninsula")."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

TOWN_NOUNS = frozenset({"city", "cities", "town", "towns", "capital", "capitals", "village", "villages", "port"})


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[frozenset[str], frozenset[str]]:
    data = json.loads(Path(__file__).with_name("places.json").read_text(encoding="utf-8"))
    names = (data["countries"], data["continents"], data["aliases"])
    return frozenset(n.casefold() for group in names for n in group), frozenset(data["region_heads"])


def no_town(name: str) -> bool:
    """The name is a country, continent or other area larger than a town."""
    polities, heads = _gazetteer()
    words = re.sub(r"^the\s+", "", name.strip(), flags=re.I).casefold().split()
    return bool(words) and (" ".join(words) in polities or words[-1] in heads)
