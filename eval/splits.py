"""The tuning half and the test half of every probe question set.

Answer logic is tuned (and models are fitted) on the tuning half only; the test half is measured,
never looked at while changing answer logic. A question's half is fixed by its id alone (CRC-32 of
the id, even: tuning; odd: test), so a new question file splits the same way on every machine and
the split needs no list of its own.

MultiHop-RAG's local questions are split twice: `mh_dev` is every third question of the file
(569 of 1,705, the set earlier figures were reported on) and the rest (1,136) stays unseen; both
halves below apply inside either.
"""

from __future__ import annotations

import zlib
from typing import Iterable, TypeVar

HALVES = ("tune", "test")
T = TypeVar("T")


def half_of(question_id: str) -> str:
    """'tune' or 'test' for a question id."""
    return HALVES[zlib.crc32(question_id.encode("utf-8")) & 1]


def in_half(questions: Iterable[T], half: str, *, key=lambda q: q.id) -> list[T]:
    """The questions of one half, in file order."""
    if half not in HALVES:
        raise ValueError(f"half must be one of {', '.join(HALVES)}, not {half!r}")
    return [q for q in questions if half_of(key(q)) == half]
