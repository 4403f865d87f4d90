"""Dependencies' own log lines kept off the user's terminal, in a file under the cache dir that the caller
names in one line. Ray writes from three places: its C++ core (to file descriptor 2), its Python loggers
(`ray`, `ray.data`: handlers that write to `sys.stderr` when they emit) and Python warnings. Inside
`logs_to_file(name)` all three go to `<cache>/logs/<name>.log`, while `sys.stderr` (Byline's own progress
lines and bars, which look it up when they write) still reaches the terminal.
"""

from __future__ import annotations

import logging
import os
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from index.settings import cache_dir


def _to_file(loggers: tuple[str, ...], handler: logging.Handler) -> list[tuple[logging.Logger, list]]:
    """Each logger's console handlers swapped for `handler`; returns what to put back."""
    saved = []
    for name in loggers:
        logger = logging.getLogger(name)
        saved.append((logger, list(logger.handlers)))
        keep = [h for h in logger.handlers if not isinstance(h, logging.StreamHandler)
                or isinstance(h, logging.FileHandler)]
        logger.handlers = [*keep, handler]
    return saved


@contextmanager
def logs_to_file(name: str, loggers: tuple[str, ...] = ()) -> Iterator[list[Path]]:
    """Descriptor 2, the named Python loggers and warnings appended to `<cache>/logs/<name>.log` inside the
    block. Yields a list that holds the log's path afterwards when the block wrote to it."""
    path = cache_dir() / "logs" / f"{name}.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    before = path.stat().st_size if path.exists() else 0
    written: list[Path] = []
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.INFO)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    saved_loggers = _to_file(loggers, handler)
    sys.stderr.flush()
    terminal = os.dup(2)
    log = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log, 2)
    os.close(log)
    ours = sys.stderr
    sys.stderr = open(terminal, "w", buffering=1, encoding=getattr(ours, "encoding", None) or "utf-8",
                      errors="backslashreplace", closefd=False)
    try:
        with warnings.catch_warnings():
            warnings.showwarning = lambda message, category, filename, lineno, file=None, line=None: \
                handler.emit(logging.makeLogRecord({"msg": f"{category.__name__}: {message} ({filename}:{lineno})",
                                                    "levelname": "WARNING", "name": "warnings"}))
            yield written
    finally:
        sys.stderr.flush()
        sys.stderr = ours
        os.dup2(terminal, 2)
        os.close(terminal)
        for logger, handlers in saved_loggers:
            logger.handlers = handlers
        handler.close()
        if path.stat().st_size > before:
            written.append(path)
