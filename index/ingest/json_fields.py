"""The fields of one JSON article (a .json file's object, or a .jsonl line): which names Byline reads
(`FIELD_NAMES`, first match wins), their types checked, and what it does not read reported.

A value of the wrong type, or a date that is not one, is reported with its line and dropped, never
silently; epoch seconds are dates. `author` (a string, a list, or objects with a "name") and `tags`
(or keywords, or the category) are kept. Any other field is reported once for the file, by name, as is
an outlet given as an object (NewsAPI's `{"id": …, "name": …}`: its name is read as the outlet).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from index.ingest.dates import from_epoch, parse_date
from index.ingest.documents import LoadIssue
from index.ingest.untrusted import without_escapes

# Field names accepted in JSON articles, first match wins.
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article"),
    "title": ("title", "headline"),
    "source": ("source", "outlet", "publisher", "site", "site_name"),
    "published_at": ("published_at", "date", "published", "publish_date", "pubDate"),
    "url": ("url", "link"),
    "author": ("author", "authors", "byline", "creator"),
    "tags": ("tags", "keywords", "category", "categories"),
}
IDENTITY = "id"  # an article's own id field


@dataclass
class Fields:
    """What one JSON article gives: its id (None when it gives none), text and metadata."""

    id: str | None
    text: str
    known: dict[str, str | None]  # title, source, published_at, url (index.ingest.loading cleans them)
    extra: dict[str, Any]  # the fields Byline does not read
    author: str | None
    tags: tuple[str, ...]


def read_fields(obj: Any, default_id: str, where: str, issues: list[LoadIssue], notes: dict[str, str], *,
                line: int | None = None, item: int | None = None) -> Fields | None:
    """The fields of one JSON article object, or None (with an issue) when it has no text field.

    Fields Byline does not read, and an outlet given as an object, go to the file's `notes`
    (reported once for the file, `report_notes`).
    """
    label = f"item {item}: " if item is not None else ""
    if not isinstance(obj, dict):
        issues.append(LoadIssue(where, f"{label}not an article object, skipped", "error", line=line))
        return None
    used = {name for names in FIELD_NAMES.values() for name in names if name in obj}
    text = next((obj[name] for name in FIELD_NAMES["text"] if isinstance(obj.get(name), str)), None)
    if text is None:
        expected = ", ".join(FIELD_NAMES["text"])
        message = f"{label}no article text (expected a string in one of: {expected}), skipped"
        issues.append(LoadIssue(where, message, "error", line=line))
        return None
    raw_id = obj.get(IDENTITY)
    if raw_id is not None and not isinstance(raw_id, str | int):
        _dropped(issues, where, line, label, f'"id" is {_kind(raw_id)}, not text; used {default_id!r}')
    given = isinstance(raw_id, str | int) and not isinstance(raw_id, bool) and str(raw_id).strip()
    extra = {key: value for key, value in obj.items() if key not in used and key != IDENTITY}
    at = _at(line) if item is None else f"item {item}"
    for key in extra:
        notes.setdefault(str(key), at)
    known = {key: _metadata(obj, key, where, issues, line, label, extra, notes)
             for key in ("title", "source", "published_at", "url")}
    return Fields(str(raw_id).strip() if given else None, text, known, extra,
                  _people(obj, where, issues, line, label), _tags(obj, where, issues, line, label))


def _first_field(obj: dict[str, Any], key: str) -> tuple[str, Any] | None:
    return next(((n, obj[n]) for n in FIELD_NAMES[key] if obj.get(n) not in (None, "", [])), None)


def _texts(value: Any) -> list[str] | None:
    """The strings of a string or a list of strings (an object with a "name", as feeds give authors);
    None when it holds anything else."""
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            item = item["name"]
        if not isinstance(item, str):
            return None
        if cleaned := " ".join(without_escapes(item).split()):
            out.append(cleaned)
    return out


def _people(obj: dict[str, Any], where: str, issues: list[LoadIssue], line: int | None, label: str) -> str | None:
    """The author(s), "A, B" for a list; a value of another type is reported and dropped."""
    found = _first_field(obj, "author")
    if found is None:
        return None
    names = _texts(found[1])
    if names is None:
        _dropped(issues, where, line, label, f'"{found[0]}" is {_kind(found[1])}, not text; dropped')
        return None
    return ", ".join(dict.fromkeys(names)) or None


def _tags(obj: dict[str, Any], where: str, issues: list[LoadIssue], line: int | None, label: str) -> tuple[str, ...]:
    """The tags (or keywords, or category), in order, once each; another type is reported and dropped."""
    found = _first_field(obj, "tags")
    if found is None:
        return ()
    tags = _texts(found[1])
    if tags is None:
        _dropped(issues, where, line, label, f'"{found[0]}" is {_kind(found[1])}, not text; dropped')
        return ()
    return tuple(dict.fromkeys(tags))


def _at(line: int | None) -> str:
    return f"line {line}" if line is not None else "the article"


def _kind(value: Any) -> str:
    names = {list: "a list", dict: "an object", bool: "true/false", int: "a number", float: "a number"}
    return names.get(type(value), type(value).__name__)


def _dropped(issues: list[LoadIssue], where: str, line: int | None, label: str, message: str) -> None:
    issues.append(LoadIssue(where, f"{label}{message}", line=line))


def _metadata(obj: dict[str, Any], key: str, where: str, issues: list[LoadIssue], line: int | None,
              label: str, extra: dict[str, Any], notes: dict[str, str]) -> str | None:
    """One metadata field (the first name present wins). A value of the wrong type, or a date that
    is not one, is reported with its line and dropped, never silently; epoch seconds are dates."""
    for name in FIELD_NAMES[key]:
        value = obj.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if key == "source" and isinstance(value, dict) and isinstance(value.get("name"), str):
            notes.setdefault(f"\x00outlet {name}", f'"{name}" is an object (first at {_at(line)}); its "name" '
                                                    "is read as the outlet")
            value = value["name"]  # NewsAPI's {"id": ..., "name": ...}
        if key == "published_at" and isinstance(value, int | float) and not isinstance(value, bool):
            iso = from_epoch(value)
            if iso is None:
                _dropped(issues, where, line, label, f'"{name}" {value!r} is not a date (epoch seconds are read '
                                                     "from 1990 to 2100); dropped")
            return iso
        if not isinstance(value, str):
            _dropped(issues, where, line, label, f'"{name}" is {_kind(value)}, not text; dropped')
            return None
        if key == "published_at":
            iso = parse_date(value)
            if iso is None:
                extra["published_at_raw"] = value
                _dropped(issues, where, line, label, f'"{name}" {value[:40]!r} is not a date; dropped')
            return iso
        return value
    return None


def report_notes(notes: dict[str, str], where: str, issues: list[LoadIssue]) -> None:
    """What a file's articles held that Byline does not read, said once for the file: each unknown
    field by name (and where it first was), and an outlet given as an object."""
    unknown = [f"{name!r} ({first})" for name, first in notes.items() if not name.startswith("\x00")]
    if unknown:
        read = ", ".join(n for names in FIELD_NAMES.values() for n in names[:1])
        issues.append(LoadIssue(where, f"unknown field{'s' if len(unknown) > 1 else ''} ignored: "
                                       f"{', '.join(unknown)}; Byline reads id, {read}"))
    for name, message in notes.items():
        if name.startswith("\x00"):
            issues.append(LoadIssue(where, message))
