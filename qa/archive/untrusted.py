"""Untrusted strings made harmless for a terminal (`index.ingest.untrusted`), for the callers of `qa`: the CLI,
the chat app and exports show every id, title, outlet, author, URL, file name and message through
`printable` / `one_line`; questions lose their escape sequences whole (`without_escapes`)."""

from index.ingest.untrusted import one_line, printable, without_escapes

__all__ = ["one_line", "printable", "without_escapes"]
