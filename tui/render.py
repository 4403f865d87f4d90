"""qa data as Rich `Text`, with every untrusted string shown literally.

Article text, titles, outlets and questions may hold Rich markup (`[bold red]`) or terminal escape
sequences. Nothing here ever parses markup: strings go in through `Text.append`, and control
characters are swapped one-for-one for visible symbols (so character offsets stay valid).
Styles come from the caller (a widget's component classes), so colours follow the Textual theme.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from qa import Answer, Filters, Source

# C0 controls -> Unicode "control pictures" (ESC -> ␛), DEL -> ␡, C1 controls -> U+FFFD.
# Newline and tab stay: they are layout, not commands. Carriage return becomes a space.
_LITERAL = {i: chr(0x2400 + i) for i in range(0x20) if i not in (0x09, 0x0A, 0x0D)}
_LITERAL[0x0D] = " "
_LITERAL[0x7F] = "\u2421"
_LITERAL.update({i: "\ufffd" for i in range(0x80, 0xA0)})


def literal(text: str | None) -> str:
    """`text` with control characters made visible; same length, so offsets still point right."""
    return (text or "").translate(_LITERAL)


def one_line(text: str | None) -> str:
    return " ".join(literal(text).split())


def short_date(published_at: str | None) -> str:
    return (published_at or "")[:10]


def citation_marks(numbers: tuple[int, ...]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def source_heading(source: Source) -> str:
    """`Outlet · Title · 2021-12-07`, leaving out what is unknown."""
    parts = [one_line(source.outlet), one_line(source.title), short_date(source.published_at)]
    return " · ".join(p for p in parts if p) or source.article_id


def source_label(source: Source, *, number: Style, quote: Style, meta: Style) -> Text:
    """Two or more lines for the sources pane: `[n] outlet · title · date` then the quote."""
    text = Text(no_wrap=False)
    text.append(f"[{source.number}] ", number)
    text.append(source_heading(source), meta)
    text.append("\n")
    text.append("“" + one_line(source.quote) + "”", quote)
    return text


def answer_body(answer: Answer, *, citation: Style, muted: Style, warning: Style) -> Text:
    """The answer's sentences with their markers, or why it abstained and what came closest."""
    text = Text()
    if answer.abstained:
        text.append("No answer in the archive", warning)
        text.append(": " + one_line(answer.reason or "the articles do not say") + "\n", warning)
        if answer.closest:
            text.append("Closest passages (not an answer):\n", muted)
            for source in answer.closest:
                text.append(f"  [{source.number}] ", citation)
                text.append(source_heading(source) + ": ", muted)
                text.append("“" + one_line(source.quote) + "”\n")
    elif answer.sentences:
        for i, sentence in enumerate(answer.sentences):
            if i:
                text.append(" ")
            text.append(literal(sentence.text))
            if sentence.citations:
                text.append(citation_marks(sentence.citations), citation)
        text.append("\n")
    else:
        text.append(literal(answer.text) + "\n")
    if answer.resolved_question and answer.resolved_question.strip() != answer.question.strip():
        text.append("read as: " + one_line(answer.resolved_question) + "\n", muted)
    for note in answer.notes:
        text.append("note: " + one_line(note) + "\n", muted)
    text.rstrip()
    return text


def filters_line(filters: Filters) -> str:
    return literal(filters.describe())
