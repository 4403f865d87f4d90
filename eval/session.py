"""Open the one assistant a run uses: an existing index, a corpus indexed into a cache directory
(reused by content hash on the next run), or the bundled seeds."""

from __future__ import annotations

import hashlib
from pathlib import Path


class SetupError(Exception):
    """The corpus or index given for a run cannot be used."""


def _path_key(folder: str | Path) -> str:
    return hashlib.sha256(str(Path(folder).expanduser().resolve()).encode("utf-8")).hexdigest()[:16]


def corpus_index_dir(corpus: str | Path, cache_root: str | Path) -> Path:
    """`<cache_root>/eval-<16 hex of sha256(absolute corpus path)>`: one index per corpus path;
    `build_index` then skips the articles whose content hash is unchanged."""
    return Path(cache_root) / f"eval-{_path_key(corpus)}"


def seeds_index_dir(cache_root: str | Path, articles: str | Path | None = None) -> Path:
    """`<cache_root>/eval-seeds-<16 hex of the bundled articles' folder>`: one index per installed copy
    of Byline. The index keys an article by its path, so one shared `eval-seeds` given the same five
    articles from a second copy (another clone, another environment) took them for five more, under
    other ids: every seed sentence came cited twice, and the figures moved."""
    if articles is None:
        from qa.archive.admin import bundled_folder

        articles = bundled_folder()
    return Path(cache_root) / f"eval-seeds-{_path_key(articles)}"


def _location(index: str | Path) -> str | Path:
    """A folder as a Path; `qdrant+URL` / `qdrant+PATH` as given."""
    from qa.archive.admin import index_dir

    return index_dir(index)


def open_assistant(*, corpus: str | Path | None, index: str | Path | None, cache_root: str | Path,
                   progress=None):
    """Return `(assistant, index_dir)`.

    - `corpus` given: build or update the index of it (at `index`, else under `cache_root`), open it.
    - only `index`: open it as it is (never builds the default corpus into it).
    - neither: the bundled seed articles, kept up to date in `seeds_index_dir(cache_root)`.
    """
    import qa
    from qa import Assistant

    if corpus is not None:
        source = Path(corpus).expanduser()
        if not source.exists():
            raise SetupError(f"--corpus {corpus}: no such file or directory")
        index_dir = _location(index) if index is not None else corpus_index_dir(source, cache_root)
        from qa.assistant import named_stage

        qa.build_index([source.resolve()], index_dir, progress=named_stage(progress, f"indexing {source.name}"))
        return Assistant.open(index_dir, progress=progress, build_default=False), index_dir
    if index is not None:
        index_dir = _location(index)
        if isinstance(index_dir, Path) and not index_dir.exists():
            raise SetupError(f"--index {index}: no such directory (give --corpus to build one)")
        return Assistant.open(index_dir, progress=progress, build_default=False), index_dir
    from qa.archive.admin import build
    from qa.errors import IndexMismatchError

    index_dir = seeds_index_dir(cache_root)
    try:  # brought up to date with the bundled articles and this version's cleaning (cheap: 5 files)
        build(None, index_dir, progress=progress)
    except IndexMismatchError:  # the defaults changed since this cache was made
        build(None, index_dir, rebuild=True, progress=progress)
    return Assistant.open(index_dir, progress=progress, build_default=False), index_dir
