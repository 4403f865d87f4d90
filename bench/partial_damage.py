"""The partial-damage probe of issue 24 (part of `python -m bench integrity`): 8-64 random bytes at a
random place in a random page of a seed index's database, T seeded trials, the pages taken in turn
from the text blobs (articles), the vectors (embeddings), the keyword index (chunks_fts_data), the
windows (chunks), sentences and entities, and any page.

Per trial: whether it changed a stored value (every table read in key order, no SQL index used,
against the clean copy: `tests.integrity_tools.stored_values`); whether `verify` caught it (quick
and `--full`); whether the next `ask` refused (four questions) and whether reading every row an
answer reads refused (the rows `ask` may read); whether the next `add` refused and wrote nothing;
and what `repair` did (`Index.repair_at`, as `byline index repair`: in place, or into a new database
when SQLite cannot read it whole): restored an index equal to a clean build ("equal"), named the
articles to re-add (after which re-adding them gave one equal to a clean build: "named"), or refused
in one line, changing nothing ("refused"). "permanent": repair ended without a word and
left values differing from a clean build, or verify passing on a damaged index; must be 0.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np

from bench import ROOT

SEED = 20261206
PAGES = (("articles",), ("embeddings",), ("chunks_fts_data",), ("chunks",), ("sentence_spans", "article_entities"),
         ())
QUESTIONS = ("How many soldiers had Russia gathered near the Ukrainian border?",
             "What did Sullivan say about Nord Stream 2?",
             "Which Canadian minister did Blinken brief on the Biden-Putin call?",
             "How long did the video call last?")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _verify(target: Path, full: bool) -> bool:
    from index.api import Index
    from index.errors import BylineError

    try:
        index = Index.open(target)
        try:
            return bool(index.verify(full=full))
        finally:
            index.close()
    except BylineError:
        return True


def _ask_refuses(target: Path, encoder) -> bool:
    from index.api import Index
    from qa import Assistant
    from qa.errors import BylineError

    try:
        index = Index.open(target)
        index.reader._encoder = encoder
        assistant = Assistant(index)
        for q in QUESTIONS:
            assistant.ask(q)
        assistant.close()
    except BylineError:
        return True
    return False


def _rows_refuse(target: Path) -> bool:
    from index.api import Index
    from index.errors import BylineError
    from tests.integrity_tools import read_every_row

    try:
        index = Index.open(target)
        read_every_row(index)
        index.close()
    except BylineError:
        return True
    return False


def _add_refuses(damaged: Path, extra: list[Path], encoder) -> bool:
    """On a copy (an add that goes through must not change what repair is given)."""
    from index.api import Index
    from index.errors import BylineError

    target = damaged.with_name(damaged.name + "-add")
    shutil.copytree(damaged, target)
    before = _digest(target / "byline.sqlite")
    try:
        index = Index.open(target)
        index.reader._encoder = encoder
        index.add_paths(extra)
        index.close()
    except BylineError:
        return _digest(target / "byline.sqlite") == before
    return False


def _repair(target: Path, clean: dict, encoder) -> str:
    from index.api import Index
    from index.errors import BylineError

    tools = _tools()
    try:
        report = Index.repair_at(target)
    except BylineError as exc:
        return "refused" if "\n" not in str(exc) else "refused (not one line)"
    if report.lost:
        if not _verify(target, False):
            return "permanent"  # lost articles not reported by verify
        index = Index.open(target)
        index.reader._encoder = encoder
        index.add_paths([x["file"] for x in report.lost])
        index.close()
    equal = tools.stored_values(target) == clean and not _verify(target, True)
    return ("named" if report.lost else "equal") if equal else "permanent"


def _tools():
    import sys

    sys.path.insert(0, str(ROOT))
    import tests.integrity_tools as tools

    return tools


def probe(base: Path, work: Path, trials: int) -> dict:
    from index.api import Index

    tools = _tools()
    clean = tools.stored_values(base)
    index = Index.open(base)
    encoder = index.encoder
    extra = tools.write_articles(work / "partial-new", ROOT / "index" / "corpus", 1, seed=9)
    rng = np.random.default_rng(SEED)
    rows = []
    for i in range(trials):
        target = work / f"partial-{i}"
        shutil.copytree(base, target)
        page, name = tools.damage_bytes(target, rng, PAGES[i % len(PAGES)])
        damaged = tools.stored_values(target)
        parts = sorted(k for k in clean if clean[k] != damaged[k])
        row = {"page": page, "name": name, "changed": parts, "verify": _verify(target, False),
               "verify_full": _verify(target, True), "ask": _ask_refuses(target, encoder),
               "rows_read": _rows_refuse(target), "add": _add_refuses(target, extra, encoder)}
        row["repair"] = _repair(target, clean, encoder)
        rows.append(row)
        shutil.rmtree(target)
        shutil.rmtree(target.with_name(target.name + "-add"))
    changed = [r for r in rows if r["changed"]]
    answer_rows = [r for r in changed if r["changed"] != ["keywords"]]
    summary = {"trials": trials, "changed": len(changed),
               "caught_by_verify": sum(r["verify"] for r in changed),
               "caught_by_verify_full": sum(r["verify_full"] for r in changed),
               "changed_rows_answers_read": len(answer_rows),
               "refused_reading_them": sum(r["rows_read"] for r in answer_rows),
               "ask_refused": sum(r["ask"] for r in changed),
               "add_refused": sum(r["add"] for r in changed),
               "unchanged_caught_by_verify_full": sum(r["verify_full"] for r in rows if not r["changed"])}
    for outcome in ("equal", "named", "refused", "permanent"):
        summary[f"repair_{outcome}"] = sum(r["repair"] == outcome for r in rows)
    return {"trials": rows, "summary": summary}
