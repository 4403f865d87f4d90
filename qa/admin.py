"""Index administration for the CLI and the eval suite: build, add, remove, list, stats, verify.
Thin functions over `index`, so that callers never import it themselves."""

from __future__ import annotations

import shutil
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
          skip_near_duplicates: bool = False, progress=None) -> AddReport:
    """Build or update the index at `directory`. With `rebuild`, a fresh index is built beside the
    old one and swapped in only when complete, so an interrupted rebuild loses nothing."""
    paths = list(paths) if paths else default_corpus_paths()
    options = {k: v for k, v in (("model", model), ("backend", backend), ("chunk_words", chunk_words),
                                 ("chunk_stride", chunk_stride)) if v is not None}
    if not rebuild:
        if Index.exists(directory):
            index = Index.open(directory)
            settings = replace(index.settings, **options)
            index._check_compatible(settings)
        else:
            index = Index.create(directory, IndexSettings(**options))
        try:
            return index.add_paths(paths, progress=progress, skip_near_duplicates=skip_near_duplicates)
        finally:
            index.close()
    staging = directory.with_name(directory.name + ".rebuild")
    shutil.rmtree(staging, ignore_errors=True)
    index = Index.create(staging, IndexSettings(**options))
    try:
        report = index.add_paths(paths, progress=progress, skip_near_duplicates=skip_near_duplicates)
    finally:
        index.close()
    old = directory.with_name(directory.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if directory.exists():
        directory.rename(old)
    staging.rename(directory)
    shutil.rmtree(old, ignore_errors=True)
    return report


def add(paths: Sequence[str | Path], directory: Path, *, skip_near_duplicates: bool = False, progress=None) -> AddReport:
    index = Index.open(directory) if Index.exists(directory) else Index.create(directory)
    try:
        return index.add_paths(list(paths), progress=progress, skip_near_duplicates=skip_near_duplicates)
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
    index = Index.open(directory, readonly=True)
    try:
        yield index
    finally:
        index.close()


def list_articles(directory: Path) -> list[dict]:
    with _reading(directory) as index:
        return [{"id": i, "title": t, "outlet": s, "published_at": d, "path": p} for i, t, s, d, p in index.list()]


def stats(directory: Path) -> dict:
    with _reading(directory) as index:
        return index.stats().to_dict()


def verify(directory: Path) -> list[str]:
    with _reading(directory) as index:
        return index.verify()
