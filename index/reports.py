"""What index operations report back: an add's outcome, an optimize's, and the index's statistics."""

from __future__ import annotations

from dataclasses import dataclass, field

from index.ingest.documents import LoadIssue


@dataclass
class AddReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    near_duplicates: list[tuple[str, str, int]] = field(default_factory=list)  # (new, existing, bits)
    skipped: list[str] = field(default_factory=list)
    issues: list[LoadIssue] = field(default_factory=list)
    chunks_embedded: int = 0
    chunks_cached: int = 0
    dependency_log: str | None = None  # where Ray's own log lines went (index.qdrant.dependency_logs), when it wrote any

    def to_dict(self) -> dict:
        d = dict(self.__dict__)
        d["issues"] = [{"path": i.path, "line": i.line, "level": i.level, "message": i.message} for i in self.issues]
        return d


@dataclass(frozen=True)
class Stats:
    """An index's statistics: `byline index stats`, and what the assistant's `info()` gives the chat app's
    status line and eval's provenance (`qa.IndexInfo` is this type, with the outlets filled in)."""

    path: str
    articles: int
    chunks: int
    model: str
    backend: str
    dimension: int
    vector_index: str
    size_bytes: int
    format_version: int
    chunking: dict
    segments: int = 1  # vector files (index.embedded.segments)
    deleted_vectors: int = 0  # tombstoned vectors still in a segment until the next merge
    keyword_index: str = "fts5"  # "tantivy" on a large index (index.embedded.tantivy_keywords)
    outlets: tuple[str, ...] = ()  # filled by qa's info(); `stats` leaves it empty

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class OptimizeReport:
    """What `byline index optimize` merged: segments and tombstones before, vectors after."""
    segments: int
    deleted_vectors: int
    vectors: int = 0

    def to_dict(self) -> dict:
        return dict(self.__dict__)
