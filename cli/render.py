"""Rich presenters for the CLI. Untrusted text (articles, ids, titles, outlets, file names, messages) only
ever enters through `Text`, never markup, and through `printable`/`one_line` (`index.ingest.untrusted`), so no
escape sequence reaches the terminal; `--json` keeps the exact values, every control character escaped."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager

from rich.console import Console
from rich.table import Table
from rich.text import Text

from qa.archive.untrusted import one_line, printable
from qa.types import NO_OUTLET

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
    line.append(printable(first))
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


# JSON escapes C0 controls itself; DEL and the C1 controls (8-bit CSI, OSC…) are escaped here too
_JSON_ESCAPES = {i: f"\\u{i:04x}" for i in range(0x7F, 0xA0)}


def print_json(data) -> None:
    """`data` as JSON: exact values, valid JSON, and no raw control character on the terminal."""
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write(text.translate(_JSON_ESCAPES) + "\n")


def progress_bar(enabled: bool = True, *, quiet: tuple[str, ...] = ()):
    """Stage progress on stderr (`cli.progress`): bars on a terminal, plain lines in a log or a pipe."""
    from cli.progress import stage_progress

    return stage_progress(enabled, quiet=quiet)


def source_line(source) -> Text:
    """`[n] Outlet · Name · 2021-12-07`: the chat app's citation line (qa.archive.naming.citation_parts), styled."""
    from qa.archive.naming import citation_parts

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
    from qa.archive.naming import quoted, shown_location

    if answer.resolved_question and answer.resolved_question != answer.question:
        out.print(Text("(read as: " + one_line(answer.resolved_question) + ")", style="dim"))
    if answer.short_answer is not None:  # the answer phrase first, then the sentences that carry it
        short = Text(one_line(answer.short_answer.text), style="bold")
        short.append(f" [{answer.short_answer.citation}]", style=CITE)
        out.print(short)
    if answer.abstained:
        out.print(Text(printable(answer.text), style="yellow"))
        if answer.reason:
            out.print(Text(printable(answer.reason), style="dim"))
    if answer.verdict is not None:  # a yes/no question: the verdict, then a row per claim
        if not answer.abstained:
            out.print(Text(answer.sentences[0].text if answer.sentences else answer.verdict, style="bold"))
        out.print(claims_table(answer))
    else:
        for sentence in answer.sentences:
            line = Text(printable(sentence.text) + " ")
            for n in sentence.citations:
                line.append(f"[{n}]", style=CITE)
            out.print(line)
    for note in answer.notes:
        out.print(Text("• " + printable(note), style="magenta"))
    listing = answer.sources if not answer.abstained else answer.closest
    if listing:
        out.print(Text("\nSources" if not answer.abstained else "\nClosest passages", style="bold underline"))
    for s in listing:
        out.print(source_line(s))
        quote = Text("    ", style="dim")
        quote.append(quoted(printable(s.quote)))  # marks of our own only where the passage has none (as the chat app)
        where = shown_location(s.location) or f"chars {s.start}–{s.end} of {s.article_id}"  # path:line in the user's own file
        quote.append(f"  ({one_line(where)})", style="dim")
        out.print(quote)


def claims_table(answer) -> Table:
    """A yes/no answer's claims side by side: verdict, outlet, date, and the cited sentence."""
    t = Table(show_header=True, header_style="bold", box=None, padding=(0, 1))
    for column in ("claim", "verdict", "outlet", "date", "passage"):
        t.add_column(column, overflow="fold")
    quotes = {s.number: s.quote for s in answer.sources}
    for claim in answer.claims:
        passage = Text()
        for n in claim.citations:
            passage.append(f"[{n}] ", style=CITE)
            passage.append(printable(quotes.get(n, "")))
        if not claim.citations and claim.note:
            passage.append(printable(claim.note), style="dim")
        style = {"supported": "green", "contradicted": "red", "not supported": "red",
                 "not reported": "red"}.get(claim.verdict, "yellow")
        t.add_row(Text(printable(claim.text)), Text(claim.verdict, style=style),
                  Text(one_line(claim.outlet or NO_OUTLET)),
                  Text((claim.published_at or "")[:10]), passage)
    return t


def table(title: str, columns: list[str], rows: list[list]) -> Table:
    t = Table(title=title, show_lines=False)
    for c in columns:
        t.add_column(c, overflow="fold")
    for r in rows:
        t.add_row(*[Text("" if v is None else one_line(str(v))) for v in r])
    return t
