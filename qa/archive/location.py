"""Where a quoted passage is in the user's own file: `path:line`, which terminals and editors open.

Citations count characters in the cleaned text (boilerplate removed, blank lines squeezed), which is not
the file the user has. The passage is found again in the original file: its words in order, whatever the
spacing between them (a sentence the layout broke over lines too). A JSON Lines article is its line
(`news.jsonl:12`, as loading names it). A file that has changed, gone, or holds the passage only inside
markup (HTML) gives no location rather than a wrong one.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

MATCH_WORDS = 12  # the passage is found by its first words (else the line where its last ones are)
MAX_FILE_BYTES = 20_000_000  # as loading's limit: a larger file is not read again
_JSONL_LINE = re.compile(r"^(?P<file>.+\.jsonl?):(?P<line>\d+)$", re.IGNORECASE)


@lru_cache(maxsize=64)
def _file_text(path: str, mtime_ns: int, size: int) -> str | None:
    if size > MAX_FILE_BYTES:
        return None
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    return data.decode("utf-8", errors="replace")


def _words_pattern(words: list[str]) -> re.Pattern[str]:
    return re.compile(r"\s+".join(re.escape(w) for w in words))


def passage_location(path: str | None, quote: str) -> str | None:
    """`path:line` of the line where `quote` starts in the file at `path`, or None when not found."""
    if not path or not quote.strip():
        return None
    if _JSONL_LINE.match(path):
        return path
    try:
        st = os.stat(path)
    except OSError:
        return None
    text = _file_text(path, st.st_mtime_ns, st.st_size)
    if text is None:
        return None
    words = quote.split()
    for part in (words[:MATCH_WORDS], words[-MATCH_WORDS:]):  # by its last words when the first were cleaned
        found = _words_pattern(part).search(text)
        if found is not None:
            return f"{path}:{text.count(chr(10), 0, found.start()) + 1}"
    return None
