"""Past conversations: Enter reopens one, Delete forgets it, Esc goes back."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, OptionList
from textual.widgets.option_list import Option

from qa.history import HistoryStore, StoredConversation
from tui.render import one_line


def conversation_label(item: StoredConversation) -> Text:
    text = Text()
    text.append(one_line(item.title), "bold")
    when = item.updated_at.replace("T", " ")[:16]
    text.append(f"\n{when} · {item.turns} question{'s' if item.turns != 1 else ''}", "dim")
    return text


class HistoryScreen(ModalScreen[int | None]):
    """Returns the id of the conversation to reopen, or None."""

    BINDINGS = [
        Binding("escape", "dismiss_none", "Back"),
        Binding("delete,d", "delete", "Delete"),
    ]

    def __init__(self, store: HistoryStore) -> None:
        super().__init__()
        self.store = store
        self.items: list[StoredConversation] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="history-dialog"):
            yield Label("Past conversations", id="history-title")
            yield OptionList(id="history-list")
            yield Label("Enter: open · Delete: forget · Esc: back", id="history-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(OptionList).focus()

    def reload(self) -> None:
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        try:
            self.items = self.store.list()
        except Exception as e:
            self.notify(f"Cannot read the history: {e}", severity="error", markup=False)
            self.items = []
        options.clear_options()
        if not self.items:
            options.add_option(Option(Text("No stored conversations yet."), disabled=True))
            return
        options.add_options([Option(conversation_label(item), id=str(item.id)) for item in self.items])
        options.highlighted = min(highlighted or 0, len(self.items) - 1)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option_id is not None:
            self.dismiss(int(event.option_id))

    def action_delete(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None or not self.items:
            return
        item = self.items[options.highlighted]
        self.store.delete(item.id)
        self.notify("Deleted: " + one_line(item.title), markup=False)
        self.reload()

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
