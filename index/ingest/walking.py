"""Walking the paths given to `byline index build/add`: which files to read, and under which name.

A folder is walked recursively in sorted order; hidden entries and unsupported file types are
skipped. A symlink that leads outside the folder being indexed is skipped and reported unless the
user asks to follow links (`--follow-symlinks`); a link inside it is followed, each folder once.
Each file comes with its path under the folder without the suffix: the article id of a one-article
file (`2021/12/07/story`), so that same-named files in different folders never collide.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from index.ingest.documents import LoadIssue

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".html", ".htm", ".json", ".jsonl"})


def files_under(root: Path, issues: list[LoadIssue], follow_symlinks: bool) -> Iterator[tuple[Path, bool, str]]:
    """(file, named explicitly, its name under `root` without the suffix) for a path: the file itself
    (named by its stem), or the supported files under a folder (`2021/12/07/story`)."""
    if not root.is_dir():
        yield root, True, Path(root.name).stem
        return

    def report(error: OSError) -> None:
        where = str(error.filename or root)
        issues.append(LoadIssue(where, f"cannot read folder: {error.strerror}", "error"))

    top = os.path.realpath(root)
    visited = {top}
    for folder, dirnames, filenames in os.walk(root, onerror=report, followlinks=True):
        dirnames[:] = [
            d for d in sorted(dirnames) if not d.startswith(".")
            and _within(Path(folder, d), top, follow_symlinks, issues) and _first_visit(folder, d, visited)
        ]
        for name in sorted(filenames):
            path = Path(folder, name)
            if (not name.startswith(".") and path.suffix.lower() in SUPPORTED_SUFFIXES
                    and _within(path, top, follow_symlinks, issues)):
                yield path, False, path.relative_to(root).with_suffix("").as_posix()


def _within(path: Path, top: str, follow_symlinks: bool, issues: list[LoadIssue]) -> bool:
    """False (and reported) for a symlink leading outside the folder being indexed, unless followed."""
    if follow_symlinks or not path.is_symlink():
        return True
    real = os.path.realpath(path)
    if real == top or real.startswith(top.rstrip(os.sep) + os.sep):
        return True
    issues.append(LoadIssue(str(path), f"symlink to {real}, outside the folder being indexed; skipped "
                                       "(--follow-symlinks follows it)"))
    return False


def _first_visit(folder: str, name: str, visited: set[str]) -> bool:
    """True the first time a folder is reached; a symlink back to a walked folder is not walked again."""
    real = os.path.realpath(os.path.join(folder, name))
    if real in visited:
        return False
    visited.add(real)
    return True
