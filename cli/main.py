"""`byline`: a thin typer CLI over the `qa` library (the TUI and eval use the same API)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from cli import index_cmd
from cli.render import console, fail, one_line_errors, print_json, progress_bar

app = typer.Typer(help="Byline: ask questions of a news archive; every sentence of the answer is cited.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
app.add_typer(index_cmd.app, name="index")


def _mount_eval() -> None:
    try:
        from cli import eval_cmd
    except ImportError:  # pragma: no cover - eval is part of the project; guard against partial installs
        return
    app.add_typer(eval_cmd.app, name="eval")


_mount_eval()


def _date(value: str | None, flag: str, *, end: bool = False, as_json: bool = False) -> date | None:
    """A date option: absent is no filter; given, it must be a date (an empty one is refused)."""
    if value is None:
        return None
    from qa.dates import parse_user_date

    try:
        return parse_user_date(value, end=end, label=flag)
    except ValueError as e:
        fail(str(e), as_json=as_json, kind="bad_option")


@app.command()
def ask(question: str = typer.Argument(..., help="Your question, in quotes."),
        index: str | None = typer.Option(None, "--index", "-i", help="Index directory or qdrant+URL / qdrant+PATH (default: $BYLINE_INDEX, the config file, or the user data dir)."),
        source: list[str] = typer.Option(None, "--source", "-s", help="Only articles from this outlet (repeatable)."),
        since: str | None = typer.Option(None, help="Only articles published on or after YYYY-MM-DD (or YYYY-MM, YYYY, 7 Dec 2021)."),
        until: str | None = typer.Option(None, help="Only articles published on or before YYYY-MM-DD (a month or year: its last day)."),
        k: int = typer.Option(10, "-k", min=1, max=100, help="How many passages to retrieve."),
        cross_encoder: str | None = typer.Option(None, envvar="BYLINE_CROSS_ENCODER",
                                                 help="A local CrossEncoder folder to re-rank sentences."),
        as_json: bool = typer.Option(False, "--json", help="Print the answer as JSON.")):
    """Answer one question from the index, with citations."""
    from qa import Assistant, Filters
    from qa.admin import index_dir
    from qa.settings import QASettings

    filters = Filters(sources=tuple(source or ()), since=_date(since, "--since", as_json=as_json),
                      until=_date(until, "--until", end=True, as_json=as_json))
    with one_line_errors(as_json=as_json):
        with progress_bar(not as_json) as progress:
            # The bundled corpus is built only in the default location, never into --index DIR.
            assistant = Assistant.open(index_dir(index), progress=progress, build_default=index is None,
                                       settings=QASettings(cross_encoder=cross_encoder))
        answer = assistant.ask(question, filters=filters, k=k)
    if as_json:
        print_json(answer.to_dict())
    else:
        from cli.render import render_answer

        render_answer(answer, console())
    assistant.close()


@app.command()
def chat(index: str | None = typer.Option(None, "--index", "-i", help="Index directory or qdrant+URL / qdrant+PATH."),
         export_dir: Path | None = typer.Option(
             None, "--export-dir", help="Folder for Ctrl+E exports (default: $BYLINE_EXPORT_DIR, else Byline "
                                        "in your documents folder, else exports in Byline's data folder).")):
    """Open the terminal chat app."""
    from tui.app import run

    run(index or None, str(export_dir) if export_dir else None)


if __name__ == "__main__":  # pragma: no cover
    app()
