"""Writes `qa/lexicon/places.json`, the gazetteer that `qa.lexicon.places` and `qa.lexicon.names` read: every country with
its demonym, other names and (for a country of 5 million people or more, whose capital news uses
for its government) its capital; the continents; the nouns that head the name of an area; and the
few forms that no country list holds ("U.S.", "Britain", the seats of government news names for
their country: "the Kremlin", "the White House").

Countries come from the `countryinfo` package's data (MIT; itself from REST Countries), continents
from GeoNames. Run it where `countryinfo` is installed (it is not a dependency of Byline: the
written file is what ships):

    pip install countryinfo==1.0.1 && python -m bench.gazetteer --write
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "qa" / "lexicon" / "places.json"
CAPITAL_POPULATION = 5_000_000  # "Moscow" stands for Russia; "Victoria" (Seychelles) would mostly mislead
CONTINENTS = ["Africa", "Antarctica", "Asia", "Europe", "North America", "Oceania", "South America"]
# forms no country list holds, by the list's name of the country
EXTRA = {
    "United States": ["US", "USA", "U.S.", "U.S", "America", "Washington", "White House"],
    "United Kingdom": ["UK", "U.K.", "U.K", "Britain", "Downing Street"],
    "Russia": ["Kremlin"],
    "Ukraine": ["Kiev"],
    "France": ["Elysee", "Élysée"],
    "Netherlands": ["Holland", "The Hague"],
}
UNIONS = {"European Union": ["EU", "E.U.", "Brussels"]}
REGION_HEADS = ["bank", "basin", "border", "coast", "continent", "countries", "country", "county", "desert",
                "district", "gulf", "heights", "island", "islands", "mountains", "ocean", "oblast", "peninsula",
                "province", "provinces", "region", "regions", "republic", "republics", "sea", "state", "states",
                "strait", "strip", "territories", "territory", "valley"]


def _plural(demonym: str) -> list[str]:
    """Russians, Israelis; not "Frenchs" or "Swisss"."""
    return [demonym + "s"] if re.search(r"(?:n|i)$", demonym) else []


def countries(data_dir: Path) -> list[dict]:
    out = []
    for file in sorted(data_dir.glob("*.json")):
        d = json.loads(file.read_text(encoding="utf-8"))
        if not d.get("name") or not d.get("ISO"):
            continue
        codes = {d["ISO"].get("alpha2"), d["ISO"].get("alpha3")}
        also = [a for a in d.get("altSpellings", []) if a not in codes and re.fullmatch(r"[\w .'’-]+", a)
                and not (a.isupper() and len(a) <= 3)]
        demonym = d.get("demonym") or ""
        capital = d.get("capital") or ""
        capital = re.sub(r"\s+D\.C\.$", "", capital[0] if isinstance(capital, list) else capital)  # Washington
        out.append({"name": d["name"], "demonym": demonym, "plural": _plural(demonym), "also": also,
                    "capital": capital, "population": d.get("population") or 0})
    for c in out:
        c["also"] = list(dict.fromkeys(c["also"] + EXTRA.get(c["name"], [])))
    # a form two countries share ("American": the United States and its outlying islands; "French") is the
    # more populous one's
    owner: dict[str, dict] = {}
    for c in out:
        for form in (c["demonym"], *c["plural"], *c["also"]):
            if form and (form not in owner or owner[form]["population"] < c["population"]):
                owner[form] = c
    for c in out:
        c["demonym"] = c["demonym"] if owner.get(c["demonym"]) is c else ""
        c["plural"] = [f for f in c["plural"] if owner[f] is c]
        c["also"] = [f for f in c["also"] if owner[f] is c]
        c["capital_names_it"] = c.pop("population") >= CAPITAL_POPULATION
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.gazetteer", description=__doc__.split("\n\n")[0])
    p.add_argument("--data", help="countryinfo's data folder (default: the installed package's)")
    p.add_argument("--write", action="store_true", help=f"write {OUT}")
    args = p.parse_args(argv)
    if args.data:
        data_dir = Path(args.data)
    else:
        import countryinfo

        data_dir = Path(countryinfo.__file__).parent / "data"
    out = {
        "source": ("Countries: the countryinfo 1.0.1 package's data (MIT; from REST Countries): name, demonym, "
                   "other spellings (codes left out), capital. Continents: GeoNames (CC BY 4.0). The forms in "
                   "'extra' and 'unions', and 'region_heads', are added by hand in bench/gazetteer.py, which "
                   "wrote this file."),
        "capital_population": CAPITAL_POPULATION,
        "countries": countries(data_dir),
        "unions": [{"name": k, "also": v} for k, v in UNIONS.items()],
        "continents": CONTINENTS,
        "region_heads": REGION_HEADS,
    }
    print(f"{len(out['countries'])} countries")
    if args.write:
        OUT.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
