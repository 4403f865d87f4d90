"""Named points in the writer where a crash test can kill the process: `BYLINE_FAULT=<point>`.

The writer calls `fault_point(name)` at each step of a commit that a crash could interrupt. When the
environment names that point, the process kills itself with SIGKILL on the spot: no cleanup, no
`finally`, exactly like a power cut or the OOM killer. Unset (always, outside tests), it costs one
dictionary lookup.
"""

from __future__ import annotations

import os
import signal

ENV = "BYLINE_FAULT"
# In the order a write passes them.
POINTS = (
    "after_embedding",      # the embedding cache is committed; the article transaction has not begun
    "before_rename",        # the new vector file is written to its temporary name, not renamed
    "after_rename",         # the new vector file has its final name; SQLite has not committed
    "after_commit",         # SQLite has committed the new version; old vector files not yet removed
    "keywords_before_commit",  # a large index's tantivy keyword directory is being changed, not committed
    "during_swap",          # --rebuild: the old index is moved aside, the new one not yet in place
    "ray_embed",            # a Ray embedding worker, on its first batch (once: see ONCE)
)
ONCE = "BYLINE_FAULT_ONCE"  # a file: the point fires only while it does not exist, and creates it


def forwarded() -> dict[str, str]:
    """The fault settings a worker process on another node must see (Ray's runtime_env)."""
    return {k: os.environ[k] for k in (ENV, ONCE) if k in os.environ}


def fault_point(name: str) -> None:
    if os.environ.get(ENV) == name:
        once = os.environ.get(ONCE)
        if once:
            try:
                os.close(os.open(once, os.O_CREAT | os.O_EXCL))  # the first process to get here dies
            except FileExistsError:
                return
        os.kill(os.getpid(), signal.SIGKILL)
