"""Rich presenters for the CLI. Untrusted article text only ever enters through `Text`, never markup."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager

from rich.console import Console
from rich.table import Table
from rich.text import Text


CITE = "bold cyan"


def console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def error_code(exc: BaseException) -> str:
    """A stable name for the kind of error, for scripts reading `--json` output."""
    from qa.errors import (FilterError, IndexBusyError, IndexCorruptError, IndexMismatchError, IndexMissingError,
                           IndexReadOnlyError, IndexUnreachableError, InputError, QuestionError)

    for cls, code in ((FilterError, "bad_filter"), (QuestionError, "bad_question"), (InputError, "bad_input"),
                      (IndexMissingError, "index_missing"), (IndexUnreachableError, "index_unreachable"),
                      (IndexCorruptError, "index_damaged"),
                      (IndexMismatchError, "index_mismatch"), (IndexBusyError, "index_busy"),
                      (IndexReadOnlyError, "index_read_only")):
        if isinstance(exc, cls):
            return code
    return "error"


def fail(message: str, code: int = 1, *, as_json: bool = False, kind: str = "error") -> None:
    """One clear line on stderr (never wrapped, whatever the width), the same as a JSON object
    `{"error": ..., "code": ...}` on stdout with `--json`, and a non-zero exit."""
    import typer

    first = str(message).splitlines()[0] if str(message) else "unknown error"
    if as_json:
        print_json({"error": first, "code": kind})
    err = console(stderr=True)
    line = Text("error: ", style="bold red")
    line.append(first)
    err.print(line, soft_wrap=True)
    raise typer.Exit(code)


def warn(message: str) -> None:
    """One line on stderr that does not stop the command."""
    line = Text("warning: ", style="bold yellow")
    line.append(message)
    console(stderr=True).print(line, soft_wrap=True)


@contextmanager
def one_line_errors(interrupted: str = "interrupted", *, as_json: bool = False):
    """Turn Byline's errors (and Ctrl-C) into one line on stderr and a non-zero exit."""
    from qa.errors import BylineError

    try:
        yield
    except BylineError as exc:
        fail(str(exc), as_json=as_json, kind=error_code(exc))
    except KeyboardInterrupt:
        fail(interrupted, 130, as_json=as_json, kind="interrupted")


def print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def progress_bar(enabled: bool = True, *, quiet: tuple[str, ...] = ()):
    """Stage progress on stderr (`cli.progress`): bars on a terminal, plain lines in a log or a pipe."""
    from cli.progress import stage_progress

    return stage_progress(enabled, quiet=quiet)


def source_line(source) -> Text:
    """`[n] Outlet · Name · 2021-12-07`: the chat app's citation line (qa.naming.citation_parts), styled."""
    from qa.naming import citation_parts

    outlet, name, day = citation_parts(source)
    line = Text()
    line.append(f"[{source.number}] ", style=CITE)
    line.append(outlet, style="bold")
    line.append(" · ")
    line.append(name, style="italic")
    if day:
        line.append(" · " + day, style="dim")
    return line


def render_answer(answer, out: Console) -> None:
    from qa.naming import quoted

    if answer.resolved_question and answer.resolved_question != answer.question:
        out.print(Text("(read as: " + answer.resolved_question + ")", style="dim"))
    if answer.short_answer is not None:  # the answer phrase first, then the sentences that carry it
        short = Text(answer.short_answer.text, style="bold")
        short.append(f" [{answer.short_answer.citation}]", style=CITE)
        out.print(short)
    if answer.abstained:
        out.print(Text(answer.text, style="yellow"))
        if answer.reason:
            out.print(Text(answer.reason, style="dim"))
    for sentence in answer.sentences:
        line = Text(sentence.text + " ")
        for n in sentence.citations:
            line.append(f"[{n}]", style=CITE)
        out.print(line)
    for note in answer.notes:
        out.print(Text("• " + note, style="magenta"))
    listing = answer.sources if not answer.abstained else answer.closest
    if listing:
        out.print(Text("\nSources" if not answer.abstained else "\nClosest passages", style="bold underline"))
    for s in listing:
        out.print(source_line(s))
        quote = Text("    ", style="dim")
        quote.append(quoted(s.quote))  # marks of our own only where the passage has none (as the chat app)
        where = s.location or f"chars {s.start}–{s.end} of {s.article_id}"  # path:line in the user's own file
        quote.append(f"  ({where})", style="dim")
        out.print(quote)


def table(title: str, columns: list[str], rows: list[list]) -> Table:
    t = Table(title=title, show_lines=False)
    for c in columns:
        t.add_column(c, overflow="fold")
    for r in rows:
        t.add_row(*[Text("" if v is None else str(v)) for v in r])
    return t
