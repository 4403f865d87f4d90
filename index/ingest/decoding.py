"""Bytes to text: is it text at all, and in which encoding. UTF-8 first (a few damaged bytes are
replaced and counted, never a reason to misread the whole file); UTF-16 with a BOM; else cp1252,
else latin-1, with a warning. Never fails."""

from __future__ import annotations

import re

from index.ingest.documents import LoadIssue

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_TEXT_CONTROL_BYTES = frozenset(b"\t\n\r\f\x1b")
_ESCAPED = re.compile("[\udc80-\udcff]")  # an invalid byte, as `surrogateescape` decodes it
_NON_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")


def looks_binary(sample: bytes) -> bool:
    """NUL bytes or many control bytes: an image or archive, not text (UTF-16 with a BOM is text)."""
    if sample.startswith(_UTF16_BOMS):
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 0x20 and byte not in _TEXT_CONTROL_BYTES)
    return controls > len(sample) * 0.05


def decode(data: bytes, where: str, issues: list[LoadIssue], *, line: int | None = None) -> str:
    """UTF-8 (BOM stripped); UTF-16 with a BOM; else cp1252, else latin-1, with a warning. Never fails."""
    if data.startswith(_UTF16_BOMS):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    escaped = data.decode("utf-8-sig", errors="surrogateescape")
    bad = len(_ESCAPED.findall(escaped))
    if len(_NON_ASCII.findall(escaped)) >= bad:  # mostly real UTF-8 with a few damaged bytes
        issues.append(LoadIssue(where, f"{bad} byte(s) are not valid UTF-8; decoded as UTF-8 with them "
                                       "replaced by \ufffd", line=line))
        return _ESCAPED.sub("\ufffd", escaped)
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        issues.append(LoadIssue(where, f"not valid UTF-8, decoded as {encoding}", line=line))
        return text
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover
