"""One writer at a time per index directory; a second waits, then fails with a clear line."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from index.errors import IndexBusyError


@contextmanager
def writer_lock(index_dir: Path, timeout: float):
    from filelock import FileLock, Timeout

    lock = FileLock(str(index_dir / "write.lock"))
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise IndexBusyError(f"Another byline process is writing to {index_dir}; "
                             f"waited {timeout:.0f} s. Try again when it has finished.") from None
    try:
        yield
    finally:
        lock.release()
