"""Index administration for the CLI and the eval suite: build, add, remove, list, stats, verify,
optimize, repair.
Thin functions over `index`, so that callers never import it themselves."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from index import backend as backends
from index.api import AddReport, Index, default_corpus_paths
from index.config import index_location, load_config
from index.errors import InputError
from index.settings import BACKENDS, IndexSettings


def index_dir(path: str | Path | None) -> str | Path:
    """The index a command uses: `path` (`--index`: a folder or `qdrant+URL`/`qdrant+PATH`), else
    $BYLINE_INDEX, else the config file's `index`, else the user data folder (`index.config`)."""
    return index_location(path)


def bundled_folder() -> Path:
    """The folder of the bundled articles, which a build given no paths indexes."""
    return default_corpus_paths()[0].parent


def build(paths: Sequence[str | Path] | None, directory: Path, *, rebuild: bool = False, model: str | None = None,
          backend: str | None = None, chunk_words: int | None = None, chunk_stride: int | None = None,
          skip_near_duplicates: bool = False, progress=None, workers: int = 1,
          follow_symlinks: bool = False) -> AddReport:
    """Build or update the index at `directory`. With `rebuild`, a fresh index is built beside the
    old one and swapped in only when complete, so an interrupted rebuild loses nothing."""
    paths = list(paths) if paths else default_corpus_paths()
    options = {k: v for k, v in (("model", model), ("backend", backend), ("chunk_words", chunk_words),
                                 ("chunk_stride", chunk_stride)) if v is not None}
    if backend_of(directory) == "qdrant":
        _qdrant_honours(rebuild=rebuild, skip_near_duplicates=skip_near_duplicates, workers=workers)
        index = backends.create_index(directory, IndexSettings(**options))
        try:
            return index.add_paths(paths, progress=progress, skip_near_duplicates=skip_near_duplicates,
                                   follow_symlinks=follow_symlinks)
        finally:
            index.close()
    if not rebuild:
        if Index.exists(directory):
            index = Index.open(directory)
            settings = replace(index.settings, **options)
            index.check_compatible(settings)
        else:
            index = Index.create(directory, IndexSettings(**options))
        try:
            return index.add_paths(paths, progress=progress, skip_near_duplicates=skip_near_duplicates,
                                   workers=workers, follow_symlinks=follow_symlinks)
        finally:
            index.close()
    return Index.rebuild(directory, paths, IndexSettings(**options), progress=progress,
                         skip_near_duplicates=skip_near_duplicates, workers=workers, follow_symlinks=follow_symlinks)


def _qdrant_honours(*, rebuild: bool = False, skip_near_duplicates: bool = False, workers: int = 1) -> None:
    """Refuse, in one line, the options an index in Qdrant cannot honour (never ignore them silently)."""
    if rebuild:
        raise InputError("--rebuild swaps a folder index; for Qdrant, build into a new location "
                         "(or drop the collections) instead")
    if skip_near_duplicates:
        raise InputError("--skip-near-duplicates needs an index folder (its simhashes are kept in SQLite); "
                         "drop it for Qdrant")
    if workers != 1:
        raise InputError(f"--workers {workers} prepares articles for an index folder; over Qdrant, scale out "
                         "with --ray instead")


def backend_of(location: str | Path) -> str:
    """"qdrant" for `qdrant+…`, else "embedded"."""
    return "qdrant" if backends.is_qdrant(location) else "embedded"


def add(paths: Sequence[str | Path], directory: Path, *, skip_near_duplicates: bool = False, progress=None,
        workers: int = 1, follow_symlinks: bool = False) -> AddReport:
    if backends.is_qdrant(directory):
        _qdrant_honours(skip_near_duplicates=skip_near_duplicates, workers=workers)
    index = backends.open_index(directory) if backends.exists(directory) else backends.create_index(directory)
    try:
        return index.add_paths(list(paths), progress=progress, skip_near_duplicates=skip_near_duplicates,
                               workers=workers, follow_symlinks=follow_symlinks)
    finally:
        index.close()


def remove(keys: Sequence[str], directory: Path) -> list[str]:
    index = backends.open_index(directory)
    try:
        return index.remove(keys)
    finally:
        index.close()


@contextmanager
def _reading(directory: Path):
    index = backends.open_index(directory)
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
    if backends.is_qdrant(directory):
        raise InputError("optimize merges an embedded index's vector segments; Qdrant merges its own")
    index = Index.open(directory)
    try:
        return index.optimize().to_dict()
    finally:
        index.close()


def repair(directory: Path):
    """Mend a damaged index from its intact copies (`index.embedded.repair.RepairReport`)."""
    if backends.is_qdrant(directory):
        raise InputError("repair rewrites an embedded index's vector file; Qdrant keeps its own "
                         "(see its snapshots and replicas)")
    return Index.repair_at(directory)


def migrate(directory: Path, to: str, progress=None) -> AddReport:
    """Copy the embedded index at `directory` into `to` (`qdrant+URL` or `qdrant+PATH`), vectors included."""
    if not backends.is_qdrant(to):
        raise InputError(f"--to {to!r}: migrate copies into Qdrant; give qdrant+URL or qdrant+PATH")
    if backends.is_qdrant(directory):
        raise InputError("--index names a Qdrant index; migrate reads an embedded index folder")
    from index.qdrant.migrate import migrate as copy

    with _reading(directory) as source:
        target = backends.create_index(to, source.settings)
        try:
            return copy(source, target, progress)
        finally:
            target.close()


def ingest_with_ray(paths: Sequence[str | Path] | None, location: str, address: str | None, *,
                    model: str | None = None, backend_name: str | None = None, chunk_words: int | None = None,
                    chunk_stride: int | None = None, rebuild: bool = False, skip_near_duplicates: bool = False,
                    workers: int = 1, progress=None, follow_symlinks: bool = False) -> AddReport:
    """Build or update the Qdrant index at `location` through a Ray Data pipeline (`index.qdrant.ray_ingest`):
    every build option is passed through, or refused in one line when Qdrant cannot honour it."""
    if not backends.is_qdrant(location):
        raise InputError("--ray writes to Qdrant; give --qdrant URL|PATH (or --index qdrant+…)")
    _qdrant_honours(rebuild=rebuild, skip_near_duplicates=skip_near_duplicates, workers=workers)
    from index.qdrant.ray_ingest import ingest

    options = {k: v for k, v in (("model", model), ("backend", backend_name), ("chunk_words", chunk_words),
                                 ("chunk_stride", chunk_stride)) if v is not None}
    index = backends.create_index(location, IndexSettings(**options))
    try:
        return ingest(list(paths) if paths else default_corpus_paths(), index, address=address, progress=progress,
                      follow_symlinks=follow_symlinks)
    finally:
        index.close()


def llm_configured() -> bool:
    """Whether the config file has an `[llm]` table: checked without importing `qa.answer.generate`, so a
    plain `byline ask` imports nothing of the language-model path."""
    return load_config().llm is not None
