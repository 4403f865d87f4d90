"""The article as the index sees it: cleaned text plus the metadata we could find."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass
class Document:
    """One article, cleaned, ready to chunk and embed.

    `text` is the cleaned article text; every offset stored in the index points into it.
    Metadata that could not be found stays None: it is never guessed.
    """

    id: str
    text: str
    title: str | None = None
    source: str | None = None  # the outlet, e.g. "lefigaro", "ARD"
    published_at: str | None = None  # ISO 8601: "2021-12-07" or "2022-01-09T18:38:59"
    url: str | None = None
    author: str | None = None  # "A, B" when the file names several
    tags: tuple[str, ...] = ()  # tags, keywords or category, as the file gives them
    path: str | None = None  # where it was loaded from ("file.jsonl:12" for a JSONL line)
    file: str | None = field(default=None, compare=False)  # the resolved file it came from (for `index remove PATH`)
    extra: dict = field(default_factory=dict)
    # where the id came from: "given" (the JSON said), "file" (the file's path under the folder being
    # indexed, a one-article file) or "line" (a JSON article without an id: its file and position)
    id_origin: str = field(default="given", compare=False)
    line: int | None = field(default=None, compare=False)  # the JSONL line it came from

    @property
    def content_hash(self) -> str:
        """Hash of everything that is stored for the article: equal hash, nothing to redo."""
        h = hashlib.sha256()
        for part in (self.text, self.title, self.source, self.published_at, self.url):
            h.update((part or "").encode("utf-8"))
            h.update(b"\x00")
        if self.author or self.tags:  # only then: articles without them keep the hash they had
            h.update(f"author={self.author or ''}\x00tags={chr(31).join(self.tags)}".encode("utf-8"))
        return h.hexdigest()


@dataclass
class LoadIssue:
    """Something about an input the user should know: a warning (kept going) or an error (skipped)."""

    path: str
    message: str
    level: str = "warning"  # "warning" | "error"
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"
