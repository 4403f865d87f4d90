"""Index administration for the CLI and the eval suite: build, add, remove, list, stats, verify,
optimize, repair.
Thin functions over `index`, so that callers never import it themselves."""

from __future__ import annotations

from contextlib import contextmanager
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from index.api import AddReport, Index, default_corpus_paths
from index.settings import IndexSettings, default_index_dir


def index_dir(path: str | Path | None) -> Path:
    return Path(path).expanduser().resolve() if path else default_index_dir()


def build(paths: Sequence[str | Path] | None, directory: Path, *, rebuild: bool = False, model: str | None = None,
          backend: str | None = None, chunk_words: int | None = None, chunk_stride: int | None = None,
          skip_near_duplicates: bool = False, progress=None, workers: int = 1) -> AddReport:
    """Build or update the index at `directory`. With `rebuild`, a fresh index is built beside the
    old one and swapped in only when complete, so an interrupted rebuild loses nothing."""
    paths = list(paths) if paths else default_corpus_paths()
    options = {k: v for k, v in (("model", model), ("backend", backend), ("chunk_words", chunk_words),
                                 ("chunk_stride", chunk_stride)) if v is not None}
    if not rebuild:
        if Index.exists(directory):
            index = Index.open(directory)
            settings = replace(index.settings, **options)
            index.check_compatible(settings)
        else:
            index = Index.create(directory, IndexSettings(**options))
        try:
            return index.add_paths(paths, progress=progress, skip_near_duplicates=skip_near_duplicates,
                                   workers=workers)
        finally:
            index.close()
    return Index.rebuild(directory, paths, IndexSettings(**options), progress=progress,
                         skip_near_duplicates=skip_near_duplicates, workers=workers)


def add(paths: Sequence[str | Path], directory: Path, *, skip_near_duplicates: bool = False, progress=None,
        workers: int = 1) -> AddReport:
    index = Index.open(directory) if Index.exists(directory) else Index.create(directory)
    try:
        return index.add_paths(list(paths), progress=progress, skip_near_duplicates=skip_near_duplicates,
                               workers=workers)
    finally:
        index.close()


def remove(keys: Sequence[str], directory: Path) -> list[str]:
    index = Index.open(directory)
    try:
        return index.remove(keys)
    finally:
        index.close()


@contextmanager
def _reading(directory: Path):
    index = Index.open(directory)
    try:
        yield index
    finally:
        index.close()


def list_articles(directory: Path) -> list[dict]:
    with _reading(directory) as index:
        return [row._asdict() for row in index.list()]


def stats(directory: Path) -> dict:
    with _reading(directory) as index:
        return index.stats().to_dict()


def verify(directory: Path, full: bool = False) -> dict:
    """{"problems": [...], "leftovers": [...]}: damage found (empty when whole and consistent), and
    files of interrupted writes that the next write removes. `full` compares every vector."""
    with _reading(directory) as index:
        result = index.verification(full)
    return {"problems": result.problems, "leftovers": result.leftovers}


def optimize(directory: Path) -> dict:
    """Merge the index's vector segments into one and drop removed vectors; what was merged."""
    index = Index.open(directory)
    try:
        return index.optimize().to_dict()
    finally:
        index.close()


def repair(directory: Path) -> int:
    """Rebuild the vector file from the vectors the database keeps; returns how many were written."""
    index = Index.open(directory)
    try:
        return index.repair()
    finally:
        index.close()
