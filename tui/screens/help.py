"""The keys, on one page."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, Static

KEYS = [
    ("Chat", [
        ("Enter", "ask the question"),
        ("1 2 3", "ask an example question (empty chat, empty question line)"),
        ("Up / Down", "earlier / later questions (in the question line)"),
        ("Tab / Shift+Tab", "next / previous pane"),
        ("Esc", "back to the question line; typing anywhere also goes there"),
        ("Up / Down", "previous / next answer (in the conversation)"),
        ("y", "copy the answer (conversation) or the quote (sources)"),
        ("Enter", "open the chosen source (in the sources pane)"),
        ("F2", "sources pane full screen, and back"),
        ("Ctrl+N", "new conversation"),
        ("Ctrl+F", "filters: outlets and dates for the next questions"),
        ("Ctrl+O", "past conversations on this index: reopen or delete"),
        ("Ctrl+E", "export this conversation to Markdown"),
        ("Ctrl+P", "commands; type an article's title to open it"),
        ("F1", "this help"),
        ("Ctrl+Q", "quit"),
    ]),
    ("Filters", [
        ("Ctrl+S", "apply"),
        ("Ctrl+R", "clear the form (the dialog stays open)"),
        ("Esc", "cancel"),
    ]),
    ("Article", [
        ("c", "back to the cited passage"),
        ("y", "copy the cited quote with its source"),
        ("Esc or q", "back to the chat"),
    ]),
]

ABOUT = (
    "Every sentence of an answer carries the numbers of the passages that back it, e.g. [1][3]. "
    "When the articles do not say, Byline says so and shows the closest passages instead."
)


def keys_table() -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for section, rows in KEYS:
        table.add_row(Text(section, style="underline"), "")
        for key, what in rows:
            table.add_row(key, what)
        table.add_row("", "")
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,question_mark,q", "dismiss", "Close", key_display="esc")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog"):
            yield Label("Byline: keys", id="help-title")
            yield Static(keys_table(), markup=False)
            yield Static(Text(ABOUT), id="help-about", markup=False)
        yield Footer(compact=True)
