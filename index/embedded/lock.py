"""One writer at a time per index directory; a second waits, then fails with a clear line.

The lock file sits beside the index directory (`<dir>.lock`), not inside it, so that it stays the
same file while `--rebuild` swaps the directory itself. Readers never take it."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from index.errors import IndexBusyError, IndexReadOnlyError


def lock_path(index_dir: Path) -> Path:
    index_dir = Path(index_dir)
    beside = index_dir.with_name(index_dir.name + ".lock")
    if os.access(index_dir.parent, os.W_OK) or beside.exists():
        return beside
    return index_dir / "write.lock"  # a writable index in a folder we cannot write


def writable(index_dir: Path) -> bool:
    """Whether the index directory (or, before it exists, its nearest existing parent) can be written."""
    path = Path(index_dir)
    while not path.exists() and path != path.parent:
        path = path.parent
    return os.access(path, os.W_OK)


@contextmanager
def writer_lock(index_dir: Path, timeout: float):
    from filelock import FileLock, Timeout

    index_dir = Path(index_dir)
    if not writable(index_dir):
        raise IndexReadOnlyError(f"This index is read-only ({index_dir}); it can be searched but not changed. "
                                 "Copy it somewhere writable to change it.")
    lock = FileLock(str(lock_path(index_dir)))
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise IndexBusyError(f"Another byline process is writing to {index_dir}; "
                             f"waited {timeout:.0f} s. Try again when it has finished.") from None
    except OSError as exc:
        raise IndexReadOnlyError(f"This index is read-only ({index_dir}: {exc.strerror}); "
                                 "copy it somewhere writable to change it.") from None
    try:
        yield
    finally:
        lock.release()
