"""`--rebuild` without a window of loss: a fresh index is built beside the old one and swapped in
under the write lock; a swap cut short by a crash is finished (or rolled back) on the next open.

Names beside the index directory DIR:
- `DIR.rebuild`: a new index being built (incomplete; removed by recovery);
- `DIR.new`: a complete new index, about to replace DIR (recovery finishes the swap);
- `DIR.old`: the previous index, moved aside during the swap (removed once DIR is in place,
  moved back if DIR is missing and there is no DIR.new).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from index.faults import fault_point

BUILDING, READY, OLD = ".rebuild", ".new", ".old"


def sibling(directory: Path, suffix: str) -> Path:
    return directory.with_name(directory.name + suffix)


def interrupted(directory: Path) -> bool:
    """Whether a swap was cut short (cheap: two stat calls)."""
    return sibling(directory, READY).exists() or sibling(directory, OLD).exists()


def recover(directory: Path) -> str | None:
    """Finish or roll back an interrupted rebuild. The caller holds the write lock."""
    ready, old, building = (sibling(directory, s) for s in (READY, OLD, BUILDING))
    done = None
    if ready.exists():
        if directory.exists():
            shutil.rmtree(old, ignore_errors=True)
            directory.rename(old)
        ready.rename(directory)
        done = "finished an interrupted rebuild"
    elif old.exists() and not directory.exists():
        old.rename(directory)
        done = "rolled back an interrupted rebuild"
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
        done = done or "removed the previous index left by an interrupted rebuild"
    if building.exists():
        shutil.rmtree(building, ignore_errors=True)
        done = done or "removed an unfinished rebuild"
    if done:
        sibling(building, ".lock").unlink(missing_ok=True)
    return done


def discard(directory: Path) -> None:
    """Remove an unfinished `DIR.rebuild` and its lock after a rebuild failed (a bad --model, an error,
    Ctrl-C); the index itself is untouched. The caller holds the write lock."""
    building = sibling(directory, BUILDING)
    shutil.rmtree(building, ignore_errors=True)
    sibling(building, ".lock").unlink(missing_ok=True)


def swap_in(directory: Path) -> None:
    """Replace `directory` by the complete index at `DIR.rebuild`. The caller holds the write lock."""
    building, ready, old = (sibling(directory, s) for s in (BUILDING, READY, OLD))
    building.rename(ready)  # from here on, recovery finishes the swap
    if directory.exists():
        shutil.rmtree(old, ignore_errors=True)
        directory.rename(old)
    fault_point("during_swap")
    ready.rename(directory)
    shutil.rmtree(old, ignore_errors=True)
    sibling(building, ".lock").unlink(missing_ok=True)
