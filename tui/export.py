"""A conversation as Markdown, with its sources: a pure function, and one that writes the file."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from qa import Answer, Conversation, Source
from tui.render import literal, one_line


def default_export_dir() -> Path:
    """The user's documents folder when it exists, else the current directory."""
    from platformdirs import user_documents_dir

    docs = Path(user_documents_dir())
    return docs if docs.is_dir() else Path.cwd()


def _one_line(text: str | None) -> str:
    return one_line(text)  # control characters made visible, whitespace folded


def _source_md(source: Source) -> list[str]:
    parts = [_one_line(source.outlet), _one_line(source.title), (source.published_at or "")[:10]]
    head = " · ".join(p for p in parts if p) or source.article_id
    lines = [f"[{source.number}] {head}"]
    if source.url:
        lines[0] += f" <{source.url.strip()}>"
    lines.append(f"    > {_one_line(source.quote)}")
    return lines


def _answer_md(answer: Answer) -> list[str]:
    lines: list[str] = []
    if answer.abstained:
        lines.append(f"*No answer in the archive: {_one_line(answer.reason) or 'the articles do not say'}*")
        if answer.closest:
            lines += ["", "Closest passages (not an answer):", ""]
            for source in answer.closest:
                lines += ["- " + _source_md(source)[0], "  " + _source_md(source)[1].strip()]
        return lines
    lines.append(literal(answer.text).strip())
    for note in answer.notes:
        lines += ["", f"*Note: {_one_line(note)}*"]
    if answer.sources:
        lines += ["", "Sources:", ""]
        for source in answer.sources:
            md = _source_md(source)
            lines += ["- " + md[0], "  " + md[1].strip()]
    return lines


def conversation_markdown(conversation: Conversation, title: str | None = None) -> str:
    """The whole conversation: each question, its answer with [n] markers, then its sources."""
    heading = title or conversation.title or "Byline conversation"
    lines = [f"# {_one_line(heading)}", ""]
    for i, turn in enumerate(conversation.turns, 1):
        lines += [f"## {i}. {_one_line(turn.question)}", ""]
        if turn.answer is not None:
            lines += _answer_md(turn.answer)
        else:
            lines.append(literal(turn.text).strip() or "*(no answer)*")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def export_conversation(conversation: Conversation, directory: str | Path | None = None,
                        now: datetime | None = None) -> Path:
    """Write the Markdown to `byline-YYYYMMDD-HHMMSS.md` in `directory`; returns the path."""
    folder = Path(directory) if directory is not None else default_export_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    path = folder / f"byline-{stamp}.md"
    n = 1
    while path.exists():
        n += 1
        path = folder / f"byline-{stamp}-{n}.md"
    path.write_text(conversation_markdown(conversation), encoding="utf-8")
    return path.resolve()
