"""Answers and conversations as Markdown, with their sources: pure functions, and one that writes.

Used by export (Ctrl+E) and copy (`y`). The export folder is `default_export_dir()` unless the
user gives one (`byline chat --export-dir DIR` or `$BYLINE_EXPORT_DIR`).
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from qa import Answer, Conversation, Source
from tui.render import NO_OUTLET, Titles, abstention_line, filters_line, literal, no_titles, one_line, \
    quoted, short_date, source_title

EXPORT_ENV = "BYLINE_EXPORT_DIR"


def default_export_dir() -> Path:
    """`$BYLINE_EXPORT_DIR`; else `Byline` in the user's documents folder when that folder exists;
    else `exports` in Byline's user data folder. Never the current directory."""
    env = os.environ.get(EXPORT_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir, user_documents_dir

    docs = Path(user_documents_dir())
    return docs / "Byline" if docs.is_dir() else Path(user_data_dir("byline")) / "exports"


def source_markdown(source: Source, titles: Titles = no_titles) -> str:
    """`[n] outlet · title · date <url>` and the quote under it."""
    head = " · ".join(p for p in (one_line(source.outlet) or NO_OUTLET, source_title(source, titles),
                                  short_date(source.published_at)) if p)
    line = f"[{source.number}] {head}"
    if source.url:
        line += f" <{one_line(source.url)}>"
    return f"{line}\n    > {one_line(source.quote)}"


def quote_markdown(source: Source, titles: Titles = no_titles) -> str:
    """One quote with where it comes from, for the clipboard."""
    lines = [f"> {one_line(source.quote)}", "",
             f"— {one_line(source.outlet) or NO_OUTLET}, {quoted(source_title(source, titles))}"
             + (f", {short_date(source.published_at)}" if source.published_at else "")]
    if source.url:
        lines.append(one_line(source.url))
    return "\n".join(lines) + "\n"


def copied_quote_message(source: Source) -> str:
    """What `quote_markdown` put on the clipboard, said as it is: only the metadata the article has."""
    held = [name for name, value in (("outlet", source.outlet), ("title", source.title),
                                     ("date", source.published_at), ("link", source.url)) if (value or "").strip()]
    missing = [name for name in ("outlet", "title", "date", "link") if name not in held]
    message = f"Copied quote [{source.number}]"
    if held:
        message += " with its " + _and(held)
    if missing:
        message += (" (" if held else "; ") + f"no {_or(missing)} stated" + (")" if held else "")
    return message + "."


def copied_answer_message(answer: Answer) -> str:
    """What `answer_markdown` (under its question) put on the clipboard."""
    if answer.abstained:
        n = len(answer.closest)
        listed = f", with the {n} closest passage{'s' if n != 1 else ''}" if n else ""
        return f"Copied the question and why the articles don't say, as Markdown{listed}."
    n = len(answer.sources)
    short = ", short answer" if answer.short_answer is not None and answer.short_answer.text.strip() else ""
    return f"Copied the question{short} and answer as Markdown, with {n} source{'s' if n != 1 else ''}."


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _or(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _list(sources: list[Source], titles: Titles) -> list[str]:
    lines = []
    for source in sources:
        head, quote = source_markdown(source, titles).split("\n")
        lines += ["- " + head, "  " + quote.strip()]
    return lines


def answer_markdown(answer: Answer, titles: Titles = no_titles) -> str:
    """The answer as Markdown: filters and "read as" first, the short answer in bold, the cited
    sentences, notes, then its sources (or, when it abstained, the closest passages)."""
    lines: list[str] = []
    if answer.filters is not None and answer.filters.active:
        lines.append(f"*Filters: {filters_line(answer.filters)}*")
    if answer.resolved_question and answer.resolved_question.strip() != answer.question.strip():
        lines.append(f"*Read as: {one_line(answer.resolved_question)}*")
    if lines:
        lines.append("")
    if answer.abstained:
        lines.append(f"*{abstention_line(answer, 'listed below')}*")
        if answer.closest:
            lines += [""] + _list(answer.closest, titles)
        return "\n".join(lines).rstrip() + "\n"
    short = answer.short_answer
    if short is not None and short.text.strip():
        lines += [f"**{one_line(short.text)}** [{short.citation}]", ""]
    lines.append(literal(answer.text).strip())
    for note in answer.notes:
        lines += ["", f"*Note: {one_line(note)}*"]
    if answer.sources:
        lines += ["", "Sources:", ""] + _list(answer.sources, titles)
    return "\n".join(lines).rstrip() + "\n"


def conversation_markdown(conversation: Conversation, title: str | None = None,
                          titles: Titles = no_titles) -> str:
    """The whole conversation: each question, its answer with [n] markers, then its sources."""
    heading = title or conversation.title or "Byline conversation"
    lines = [f"# {one_line(heading)}", ""]
    for i, turn in enumerate(conversation.turns, 1):
        lines += [f"## {i}. {one_line(turn.question)}", ""]
        if turn.answer is not None:
            lines.append(answer_markdown(turn.answer, titles).rstrip())
        else:
            lines.append(literal(turn.text).strip() or "*(no answer)*")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def export_conversation(conversation: Conversation, directory: str | Path | None = None,
                        now: datetime | None = None, titles: Titles = no_titles) -> Path:
    """Write the Markdown to `byline-YYYYMMDD-HHMMSS.md` in `directory`; returns the path."""
    folder = Path(directory).expanduser() if directory is not None else default_export_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    path = folder / f"byline-{stamp}.md"
    n = 1
    while path.exists():
        n += 1
        path = folder / f"byline-{stamp}-{n}.md"
    path.write_text(conversation_markdown(conversation, titles=titles), encoding="utf-8")
    return path.resolve()
