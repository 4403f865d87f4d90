"""When SQLite's whole-file quick check can be skipped: nothing has written the database since a
Byline writer left it whole (issue 13).

The quick check before every write (issue 11: a damaged database is never written to) and on every
open reads the whole file: 0.38 s of the 0.65 s that adding one article took at 3k articles, and
growing with the file (~12 s at 100k). A writer that ends cleanly (its last commit done, the log
copied into the file and emptied, its connection closed) sets the file's modification time one
second back, to a value that no later write can give it (a write sets the time to now), and
records (inode, size, modification time, change time) in `byline.sqlite.checked`. The next writer
or reader that finds the same four, and no log waiting, knows that nothing wrote the file since: the last
writer checked it before writing and then wrote it through SQLite only. Anything else that writes
to the file (random bytes over a page, a copy, a restore) changes the time, and the whole check
runs as before: SQLite's quick check, every row's checksum, FTS5's check and the keyword index
against the windows' text (`index.embedded.row_checks`, issue 24). Setting the modification time back by
hand does not hide a write: the change time cannot be set, and it is part of the key. What this
gives up: damage that does not go through a write (a disk's own bit rot) is no longer caught at the
next add or open; an answer still checks each row it reads, and `byline index verify` the whole file.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

STAMP = "byline.sqlite.checked"
BACK_NS = 1_000_000_000  # how far back the modification time is set: beyond any clock's coarseness


def _key(db: Path) -> list[int] | None:
    """(inode, size, modification time, change time) of the file, or None while its log holds
    writes. The change time cannot be set back (utime sets it to now): a write that restores the
    modification time still changes the key."""
    try:
        st = db.stat()
        wal = db.with_name(db.name + "-wal")
        if wal.exists() and wal.stat().st_size:
            return None
    except OSError:
        return None
    return [st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def unchanged(db: Path) -> bool:
    """Whether the file is as the last clean writer left it (then its quick check may be skipped)."""
    key = _key(db)
    try:
        return key is not None and json.loads((db.parent / STAMP).read_text()) == key
    except (OSError, ValueError):
        return False


def drop(db: Path) -> None:
    """Before a writer changes anything: until it ends cleanly, the next one checks the whole file."""
    try:
        (db.parent / STAMP).unlink(missing_ok=True)
    except OSError:
        pass


def stamp(db: Path) -> None:
    """After a writer ended cleanly (log emptied, connection closed)."""
    try:
        st = db.stat()
        if _key(db) is None:
            return
        os.utime(db, ns=(st.st_atime_ns, time.time_ns() - BACK_NS))
        key = _key(db)
        if key is None:
            return
        tmp = db.parent / f"{STAMP}.tmp{os.getpid()}"
        tmp.write_text(json.dumps(key))
        os.replace(tmp, db.parent / STAMP)
    except OSError:
        drop(db)
