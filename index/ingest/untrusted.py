"""Untrusted strings made harmless for a terminal: the one place that knows escape sequences.

Article text, questions, ids, titles, outlets, authors, URLs and file names come from files and
people Byline does not control. A terminal acts on what they may hold: ESC sequences (colours,
cursor moves, OSC 52 clipboard writes, OSC 8 links, window titles), BEL and the C1 controls (8-bit
CSI and OSC among them). Two ways to make them harmless, one for stored text and one for shown text:

- `without_escapes`: escape sequences removed whole (no `[31m` fragment is left), then every other
  control but the newline and the tab. For article text on the way into the index, and questions.
- `printable`: every control character swapped one for one for a visible symbol (ESC -> ␛, BEL -> ␇,
  DEL -> ␡, a C1 control -> U+FFFD), so the string keeps its length (offsets stay valid) and an odd
  id can still be read off the screen. For every string shown: the CLI, the chat app, exports and
  error messages. `--json` output keeps the exact values (escaped by the JSON encoder).
"""

from __future__ import annotations

import re

ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves
    r"|\x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC: window titles, OSC 8 links, OSC 52 clipboard
    r"|\x1b[PX^_][^\x07\x1b\x9c]{0,4096}(?:\x07|\x1b\\|\x9c)"  # DCS, SOS, PM, APC strings, terminated
    r"|\x1b[ -/]*[0-~]"  # other escapes: ESC 7, ESC ( B, ESC c …
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|[\x9d\x90\x98\x9e\x9f][^\x07\x1b\x9c]{0,4096}(?:\x07|\x1b\\|\x9c)"  # 8-bit OSC, DCS, SOS, PM, APC
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# C0 controls -> Unicode "control pictures" (ESC -> ␛), DEL -> ␡, C1 controls -> U+FFFD.
# Newline and tab stay: they are layout, not commands. Carriage return becomes a space.
_VISIBLE = {i: chr(0x2400 + i) for i in range(0x20) if i not in (0x09, 0x0A, 0x0D)}
_VISIBLE[0x0D] = " "
_VISIBLE[0x7F] = "\u2421"
_VISIBLE.update({i: "\ufffd" for i in range(0x80, 0xA0)})


def without_escapes(text: str) -> str:
    """`text` with escape sequences removed whole and every control but \\n and \\t dropped."""
    return _CONTROL.sub("", ESCAPE_SEQUENCE.sub("", text))


def printable(text: str | None) -> str:
    """`text` with every control character but \\n and \\t shown as a visible symbol, one for one."""
    return (text or "").translate(_VISIBLE)


def one_line(text: str | None) -> str:
    """`printable(text)` on one line: runs of whitespace (newlines too) become one space."""
    return " ".join(printable(text).split())
