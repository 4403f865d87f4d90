"""From paths on disk to cleaned `Document`s: walking folders, reading, decoding, parsing.

Supported: .txt and .md (one article a file), .html/.htm (main text via trafilatura),
.json (one article object or a list of them) and .jsonl (one article a line).
A path that does not exist raises `InputError`; every other problem becomes a `LoadIssue`
and loading goes on with the next file or line.
"""

from __future__ import annotations

import json
import os
import stat
import zlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

from index.ingest.cleaning import clean_text, sanitize
from index.ingest.dates import parse_date
from index.ingest.decoding import decode, looks_binary
from index.ingest.documents import Document, LoadIssue
from index.errors import InputError
from index.ingest.json_fields import read_fields, report_notes
from index.ingest.metadata import extract_metadata
from index.ingest.outlets import display_name
from index.ingest.walking import SUPPORTED_SUFFIXES, files_under

DEFAULT_MAX_BYTES = 20_000_000
TEXT_SUFFIXES = frozenset({".txt", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})

_SNIFF_BYTES = 8192


def iter_documents(
    paths: Iterable[str | Path], issues: list[LoadIssue], *, max_bytes: int = DEFAULT_MAX_BYTES,
    follow_symlinks: bool = False,
) -> Iterator[Document]:
    """Documents from files and folders (walked recursively, in sorted order), one at a time.

    Raises InputError at once when a path does not exist. Problems with single files or lines
    are appended to `issues` as they are met. Folders: hidden entries and unsupported file types
    are skipped silently; a symlink that leads outside the folder being walked is skipped and
    reported, unless `follow_symlinks`; a link inside it is followed, each folder walked once (no loops).
    Files over `max_bytes` are skipped without being read; a .jsonl file is streamed, so there
    the limit applies to each line.

    Ids: a file's article id is its path under the folder being indexed, without the suffix
    (`2021/12/07/story`; a file named on its own: its name, `story`); a JSON article keeps the id it
    gives, and one without gets `FILE:N`. Two files whose paths give the same id (named from two
    roots) are told apart by a hash of the second one's path (`story~1a2b3c4d`, reported); a given id
    seen twice is an error, with its line, and the second article is skipped.
    The same file reached twice is loaded once.
    """
    roots = [Path(p) for p in paths]
    for root in roots:
        if not root.exists():
            raise InputError(f"No such file or folder: {root}")
    return _documents(roots, issues, max_bytes, follow_symlinks)


def load_paths(
    paths: Iterable[str | Path], *, max_bytes: int = DEFAULT_MAX_BYTES, follow_symlinks: bool = False
) -> tuple[list[Document], list[LoadIssue]]:
    """All documents under `paths`, and the issues met on the way."""
    issues: list[LoadIssue] = []
    documents = list(iter_documents(paths, issues, max_bytes=max_bytes, follow_symlinks=follow_symlinks))
    return documents, issues


def document_from_text(
    doc_id: str,
    raw: str,
    *,
    path: str | None = None,
    known: Mapping[str, str | None] | None = None,
    extra: dict[str, Any] | None = None,
    id_origin: str = "given",
) -> Document:
    """A Document from raw article text: metadata read from the text, then the text cleaned.

    `known` metadata (title, source, published_at, url given by the file) wins over what the
    text says. The returned text may be empty when the article was nothing but boilerplate.
    """
    text = sanitize(raw)
    meta: dict[str, str | None] = {**extract_metadata(text), "url": None}
    for key, value in (known or {}).items():
        if value and value.strip():
            meta[key] = " ".join(sanitize(value).split())
    return Document(
        id=doc_id,
        text=clean_text(text),
        title=meta["title"],
        source=display_name(meta["source"], meta["url"]),  # "Le Figaro" for lefigaro (index/ingest/outlet_names.json)
        published_at=meta["published_at"],
        url=meta["url"],
        path=path,
        extra=extra or {},
        id_origin=id_origin,
    )


def _documents(roots: list[Path], issues: list[LoadIssue], max_bytes: int,
               follow_symlinks: bool) -> Iterator[Document]:
    seen_files: set[str] = set()
    seen_ids: dict[str, str | None] = {}
    for root in roots:
        for file, explicit, name in files_under(root, issues, follow_symlinks):
            real = os.path.realpath(file)
            if real in seen_files:
                continue
            seen_files.add(real)
            for document in _load_file(file, explicit, name, issues, max_bytes):
                if document.id in seen_ids:
                    first = seen_ids[document.id]
                    if document.id_origin == "given":
                        message = f"duplicate article id {document.id!r} (first at {first}), skipped"
                        issues.append(LoadIssue(str(file), message, "error", line=document.line))
                        continue
                    where = real if document.line is None else f"{real}:{document.line}"  # any spelling: one id
                    taken, document.id = document.id, _told_apart(document.id, where, seen_ids)
                    message = f"article id {taken!r} is taken by {first}; this one is {document.id!r}"
                    issues.append(LoadIssue(document.path or str(file), message))
                seen_ids[document.id] = document.path
                document.file = real
                yield document


def _told_apart(doc_id: str, where: str, taken: Mapping[str, object]) -> str:
    """`doc_id~HASH`, HASH the CRC-32 of the resolved file (and line) it came from: the same however the
    path is spelt (and as `index.embedded.writer` tells ids apart), free in `taken`."""
    salt = 0
    while True:
        candidate = f"{doc_id}~{zlib.crc32((where + (str(salt) if salt else '')).encode()):08x}"
        if candidate not in taken:
            return candidate
        salt += 1


def _load_file(path: Path, explicit: bool, name: str, issues: list[LoadIssue],
               max_bytes: int) -> Iterator[Document]:
    where = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        if explicit:
            supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
            message = f"unsupported file type {suffix or '(none)'!r} (supported: {supported})"
            issues.append(LoadIssue(where, message, "error"))
        return
    try:
        info = os.stat(path)
    except OSError as error:
        issues.append(LoadIssue(where, f"cannot read: {error.strerror}", "error"))
        return
    if not stat.S_ISREG(info.st_mode):
        issues.append(LoadIssue(where, "not a regular file, skipped", "error"))
        return
    try:
        if suffix == ".jsonl":
            yield from _jsonl_documents(path, name, issues, max_bytes)
            return
        if info.st_size > max_bytes:
            message = f"file is {_megabytes(info.st_size)}, over the {_megabytes(max_bytes)} limit; skipped"
            issues.append(LoadIssue(where, message, "error"))
            return
        data = path.read_bytes()
    except OSError as error:
        issues.append(LoadIssue(where, f"cannot read: {error.strerror}", "error"))
        return
    if not data.strip():
        issues.append(LoadIssue(where, "empty file, skipped"))
        return
    if looks_binary(data[:_SNIFF_BYTES]):
        issues.append(LoadIssue(where, "not a text file, skipped", "error"))
        return
    if suffix in HTML_SUFFIXES:
        document = _html_document(path, name, data, issues)
        if document is not None:
            yield document
    elif suffix == ".json":
        yield from _json_documents(path, name, data, issues)
    else:
        text = decode(data, where, issues)
        yield from _with_text(document_from_text(name, text, path=where, id_origin="file"), issues, where)


def _html_document(path: Path, name: str, data: bytes, issues: list[LoadIssue]) -> Document | None:
    import trafilatura  # heavy: only when there is HTML to read

    where = str(path)
    result = trafilatura.bare_extraction(
        data,
        with_metadata=True,
        include_comments=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = getattr(result, "text", None) or ""
    if not text.strip():
        issues.append(LoadIssue(where, "no article text found in the HTML, skipped", "error"))
        return None
    known = {
        "title": getattr(result, "title", None),
        "source": getattr(result, "sitename", None),
        "published_at": parse_date(getattr(result, "date", None) or ""),
        "url": getattr(result, "url", None),
    }
    document = document_from_text(name, text, path=where, known=known, id_origin="file")
    return next(_with_text(document, issues, where), None)


def _json_documents(path: Path, name: str, data: bytes, issues: list[LoadIssue]) -> Iterator[Document]:
    where = str(path)
    try:
        parsed = json.loads(decode(data, where, issues))
    except json.JSONDecodeError as error:
        issues.append(LoadIssue(where, f"not valid JSON: {error.msg}", "error", line=error.lineno))
        return
    notes: dict[str, str] = {}
    if isinstance(parsed, dict):
        yield from _with_text(_json_article(parsed, name, where, issues, notes, origin="file"), issues, where)
    elif not isinstance(parsed, list):
        issues.append(LoadIssue(where, "expected an article object or a list of them", "error"))
    else:
        for n, item in enumerate(parsed, start=1):
            article = _json_article(item, f"{name}:{n}", where, issues, notes, item=n)
            yield from _with_text(article, issues, where, label=f"item {n}: ")
    report_notes(notes, where, issues)


def _jsonl_documents(path: Path, name: str, issues: list[LoadIssue], max_bytes: int) -> Iterator[Document]:
    where = str(path)
    with path.open("rb") as file:
        if looks_binary(file.read(_SNIFF_BYTES)):
            issues.append(LoadIssue(where, "not a text file, skipped", "error"))
            return
        file.seek(0)
        decoding_reported = False
        notes: dict[str, str] = {}
        for n, chunk in _lines(file, max_bytes):
            if chunk is None:
                message = f"line is over the {_megabytes(max_bytes)} limit; skipped"
                issues.append(LoadIssue(where, message, "error", line=n))
                continue
            if not chunk.strip():
                continue
            line_issues: list[LoadIssue] = []
            text = decode(chunk, where, line_issues, line=n)
            if line_issues and not decoding_reported:
                issues.extend(line_issues)
                decoding_reported = True
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as error:
                issues.append(LoadIssue(where, f"not valid JSON: {error.msg}; line skipped", "error", line=n))
                continue
            article = _json_article(obj, f"{name}:{n}", where, issues, notes, line=n)
            yield from _with_text(article, issues, where, line=n)
        report_notes(notes, where, issues)


def _lines(file: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) for each line; None for a line longer than max_bytes (not kept in memory)."""
    n = 0
    while chunk := file.readline(max_bytes + 1):
        n += 1
        if len(chunk) > max_bytes and not chunk.endswith(b"\n"):
            while (rest := file.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield n, None
        else:
            yield n, chunk


def _json_article(obj: Any, default_id: str, where: str, issues: list[LoadIssue], notes: dict[str, str], *,
                  line: int | None = None, item: int | None = None, origin: str = "line") -> Document | None:
    """A Document from one JSON article object (`index.ingest.json_fields`), or None when it has no text."""
    fields = read_fields(obj, default_id, where, issues, notes, line=line, item=item)
    if fields is None:
        return None
    doc_path = f"{where}:{line}" if line is not None else where
    document = document_from_text(fields.id or default_id, fields.text, path=doc_path, known=fields.known,
                                  extra=fields.extra, id_origin="given" if fields.id else origin)
    document.line, document.author, document.tags = line, fields.author, fields.tags
    return document


def _with_text(
    document: Document | None,
    issues: list[LoadIssue],
    where: str,
    line: int | None = None,
    label: str = "",
) -> Iterator[Document]:
    """The document if it has text left after cleaning; else a warning, and nothing."""
    if document is None:
        return
    if document.text.strip():
        yield document
    else:
        message = f"{label}no article text (empty or only boilerplate), skipped"
        issues.append(LoadIssue(where, message, line=line))


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"
