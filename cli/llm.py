"""`--llm`: a language model writes the answer, shown as it streams, verified before it stays.

Only imported when `--llm` is given or the config file has an `[llm]` table. On a terminal the
model's text streams in dim, as plain text, while it arrives; the answer that stays is the verified
one (`qa.answer.generate.writer`). Ctrl+C stops the stream and keeps what was verified.
"""

from __future__ import annotations

from rich.console import Console
from rich.live import Live
from rich.text import Text

from cli.render import fail


def llm_settings(url: str | None, model: str | None, as_json: bool):
    """The model to use (flags over the config's `[llm]`), or None for the extractive answer."""
    from qa.answer.generate.settings import resolve
    from qa.errors import BylineError

    try:
        return resolve(url, model)
    except BylineError as exc:
        fail(str(exc), as_json=as_json, kind="bad_option")


def ask(assistant, settings, question: str, *, conversation=None, filters, k: int, out: Console, live: bool):
    """The verified answer; streamed to `out` (transient, plain text) when `live`."""
    from qa.answer.generate.writer import Writer

    writer = Writer(assistant, settings)
    if not live:
        return writer.ask(question, conversation=conversation, filters=filters, k=k)
    streamed = Text(style="dim")
    header = Text(f"{writer.label()} is writing… (Ctrl+C stops)\n", style="dim italic")
    with Live(Text.assemble(header, streamed), console=out, transient=True, refresh_per_second=12) as view:
        def token(piece: str) -> None:
            from qa.answer.generate.sentences import clean

            streamed.append(clean(piece))
            view.update(Text.assemble(header, streamed))

        return writer.ask(question, conversation=conversation, filters=filters, k=k, on_token=token)


def header(answer, out: Console) -> None:
    """Who wrote the answer and where it ran, above it."""
    if answer.generated_by:
        line = Text("Written by ", style="dim")
        line.append(answer.generated_by, style="bold")
        line.append("; every sentence below was checked against the passage it cites.", style="dim")
        out.print(line)


def dropped(answer, out: Console) -> None:
    if not answer.dropped:
        return
    reasons = sorted({d.reason for d in answer.dropped})
    n = len(answer.dropped)
    line = Text(f"{n} sentence{'s' if n > 1 else ''} of the model left out, not supported by the sources "
                f"({', '.join(reasons)}; --json lists them).", style="dim")
    out.print(line)

