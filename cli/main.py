"""`byline`: a thin typer CLI over the `qa` library (the TUI and eval use the same API)."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import typer

from cli import index_cmd
from cli.render import console, fail, one_line_errors, print_json, progress_bar, warn
from cli.usage import OneLineUsageGroup

app = typer.Typer(help="Byline: ask questions of a news archive; every sentence of the answer is cited.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False, cls=OneLineUsageGroup)
app.add_typer(index_cmd.app, name="index")


def _mount_eval() -> None:
    try:
        from cli import eval_cmd
    except ImportError:  # pragma: no cover - eval is part of the project; guard against partial installs
        return
    app.add_typer(eval_cmd.app, name="eval")


_mount_eval()


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"byline {version('byline')}")
        raise typer.Exit()


@app.callback()
def main(_version_flag: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                            help="Print Byline's version and exit.")) -> None:
    """Byline: ask questions of a news archive; every sentence of the answer is cited."""


def _date(value: str | None, flag: str, *, end: bool = False, as_json: bool = False) -> date | None:
    """A date option: absent is no filter; given, it must be a date (an empty one is refused)."""
    if value is None:
        return None
    from qa.archive.dates import parse_user_date

    try:
        return parse_user_date(value, end=end, label=flag)
    except ValueError as e:
        fail(str(e), as_json=as_json, kind="bad_option")


def _conversation(assistant, follow_up: bool):
    """The history store and the conversation a question joins: the last one on this index with
    `--continue`, else a new one. No history (an unwritable data folder) only loses the follow-up."""
    from qa.conversation.history import HistoryStore
    from qa.conversation.turns import Conversation

    try:
        history = HistoryStore()
        return history, history.last(assistant.info().path) if follow_up else Conversation()
    except (OSError, sqlite3.Error) as exc:
        warn(f"history is off ({exc}); the question is asked on its own")
        return None, Conversation()


def _keep(history, conversation, question: str, answer, assistant) -> None:
    """Save the turn, so that `ask --continue` and the chat app's history see it."""
    if history is None:
        return
    try:
        history.save_turn(conversation, question, answer, index=assistant.info().path)
    except (OSError, sqlite3.Error) as exc:
        warn(f"the question was not saved to the history ({exc})")
    finally:
        history.close()


def _llm(url: str | None, model: str | None, as_json: bool):
    """The `--llm` model, else the config's `[llm]`, else None (and nothing of it is imported)."""
    from qa.archive.admin import llm_configured

    if url is None and model is None and not llm_configured():
        return None
    from cli.llm import llm_settings

    return llm_settings(url, model, as_json)


@app.command()
def ask(question: str = typer.Argument(..., help="Your question, in quotes."),
        index: str | None = typer.Option(None, "--index", "-i", help="Index directory or qdrant+URL / qdrant+PATH (default: $BYLINE_INDEX, the config file, or the user data dir)."),
        outlet: list[str] = typer.Option(None, "--outlet", "--source", "-s", help="Only articles from this outlet (repeatable; --source is the same)."),
        since: str | None = typer.Option(None, help="Only articles published on or after YYYY-MM-DD (or YYYY-MM, YYYY, 7 Dec 2021)."),
        until: str | None = typer.Option(None, help="Only articles published on or before YYYY-MM-DD (a month or year: its last day)."),
        k: int = typer.Option(10, "-k", min=1, max=100, help="How many passages to retrieve."),
        cross_encoder: str | None = typer.Option(None, envvar="BYLINE_CROSS_ENCODER",
                                                 help="A local CrossEncoder folder to re-rank sentences."),
        follow_up: bool = typer.Option(False, "--continue", "-c",
                                       help="Ask a follow-up to the last conversation on this index (the chat app's "
                                            "too); a rewritten question is shown as \"read as …\"."),
        llm: str | None = typer.Option(None, "--llm", help="An OpenAI-compatible endpoint (http://HOST:PORT/v1) whose model writes the answer, every sentence verified against its source (default: the config's [llm] table)."),
        llm_model: str | None = typer.Option(None, "--llm-model", help="The model to ask for at the --llm endpoint."),
        as_json: bool = typer.Option(False, "--json", help="Print the answer as JSON.")):
    """Answer one question from the index, with citations (kept in the chat app's history)."""
    from qa import Assistant, Filters
    from qa.archive.admin import index_dir
    from qa.assistant import LOADING
    from qa.settings import QASettings

    filters = Filters(outlets=tuple(outlet or ()), since=_date(since, "--since", as_json=as_json),
                      until=_date(until, "--until", end=True, as_json=as_json))
    assistant = None
    try:  # closed on every way out (a Qdrant client left open prints a traceback at exit)
        with one_line_errors(as_json=as_json):
            model = _llm(llm, llm_model, as_json)
            with progress_bar(quiet=(LOADING,)) as progress:  # on stderr, so --json too: stdout stays JSON
                # The bundled corpus is built only in the default location, never into --index DIR.
                assistant = Assistant.open(index_dir(index), progress=progress, build_default=index is None,
                                           settings=QASettings(cross_encoder=cross_encoder))
            history, conversation = _conversation(assistant, follow_up)
            if model is None:
                answer = assistant.ask(question, conversation=conversation, filters=filters, k=k)
            else:
                from cli import llm as written

                out = console()
                answer = written.ask(assistant, model, question, conversation=conversation, filters=filters, k=k,
                                     out=out, live=not as_json and out.is_terminal)
        _keep(history, conversation, question, answer, assistant)
        if as_json:
            print_json(answer.to_dict())
        else:
            from cli.render import render_answer

            if model is not None:
                written.header(answer, console())
            render_answer(answer, console())
            if model is not None:
                written.dropped(answer, console())
    finally:
        if assistant is not None:
            assistant.close()


@app.command()
def chat(index: str | None = typer.Option(None, "--index", "-i", help="Index directory or qdrant+URL / qdrant+PATH."),
         export_dir: Path | None = typer.Option(
             None, "--export-dir", help="Folder for Ctrl+E exports (default: $BYLINE_EXPORT_DIR, else Byline "
                                        "in your documents folder, else exports in Byline's data folder)."),
         llm: str | None = typer.Option(None, "--llm", help="An OpenAI-compatible endpoint whose model writes the answers, streamed and verified (default: the config's [llm] table)."),
         llm_model: str | None = typer.Option(None, "--llm-model", help="The model to ask for at --llm.")):
    """Open the terminal chat app."""
    with one_line_errors():
        model = _llm(llm, llm_model, False)
    from tui.app import run

    run(index or None, str(export_dir) if export_dir else None, llm=model)


if __name__ == "__main__":  # pragma: no cover
    app()
