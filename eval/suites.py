"""Question suites bundled with the package, run by name: `byline eval --suite multihop`.

`multihop`: the MultiHop-RAG development set (its 569 questions, every 3rd of the converted file, against
its 609 news articles; ODC-BY, eval/data/multihop/SOURCE.md). Both ship gzipped (2.6 MB) and are unpacked
into the cache folder once, so the run works from a fresh clone or a wheel, with no other download.
"""

from __future__ import annotations

import gzip
import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Suite:
    name: str
    folder: str  # under eval/data
    summary: str


SUITES = {
    "multihop": Suite("multihop", "multihop", "MultiHop-RAG dev: 569 questions over 609 news articles (ODC-BY)"),
}


class SuiteError(Exception):
    """No such suite, or its files are missing from this installation."""


def _unpacked(packed: Path, cache: Path) -> Path:
    """`packed` (.gz) unpacked under `cache`, once per content: a new package version unpacks anew."""
    digest = hashlib.sha256(packed.read_bytes()).hexdigest()[:12]
    target = cache / f"{packed.name.removesuffix('.gz')[:-len('.jsonl')]}-{digest}.jsonl"
    if not target.exists():
        cache.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        with gzip.open(packed, "rb") as src, partial.open("wb") as out:
            shutil.copyfileobj(src, out)
        partial.replace(target)
    return target


def suite_files(name: str, cache_root: str | Path) -> tuple[Path, Path]:
    """`(questions, corpus)` of the named suite, unpacked under `<cache_root>/suites/<name>`."""
    suite = SUITES.get(name)
    if suite is None:
        raise SuiteError(f"--suite {name}: no such suite; choose one of {', '.join(SUITES)}")
    folder = DATA / suite.folder
    packed = [folder / "questions.jsonl.gz", folder / "articles.jsonl.gz"]
    missing = [p.name for p in packed if not p.exists()]
    if missing:
        raise SuiteError(f"--suite {name}: {', '.join(missing)} missing from {folder}; reinstall Byline")
    cache = Path(cache_root) / "suites" / name
    return _unpacked(packed[0], cache), _unpacked(packed[1], cache)
