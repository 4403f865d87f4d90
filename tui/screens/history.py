"""Past conversations on this index: Enter reopens one, Delete forgets it, Esc goes back.
The list is read (and a conversation deleted) in a thread worker."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, OptionList
from textual.widgets.option_list import Option

from qa.conversation.history import HistoryStore, StoredConversation
from tui.render import one_line

HINT = "Enter: open · Delete: forget · Esc: back"


def conversation_label(item: StoredConversation) -> Text:
    text = Text()
    text.append(one_line(item.title), "bold")
    when = item.updated_at.replace("T", " ")[:16]
    text.append(f"\n{when} · {item.turns} question{'s' if item.turns != 1 else ''}", "dim")
    if item.index is None:
        text.append(" · index not recorded", "dim")
    return text


def index_name(index: str | None) -> str:
    """The index as the list names it: its folder's name and the folder above."""
    if not index:
        return "any index"
    path = Path(index)
    return one_line(str(Path(path.parent.name) / path.name) if path.parent.name else path.name)


class HistoryScreen(ModalScreen[int | None]):
    """Returns the id of the conversation to reopen, or None. Lists the conversations of `index`."""

    BINDINGS = [
        Binding("enter", "open", "Open", show=True),
        Binding("delete,d", "delete", "Delete"),
        Binding("escape", "dismiss_none", "Back"),
    ]

    class Listed(Message):
        def __init__(self, items: list[StoredConversation], error: str | None = None) -> None:
            super().__init__()
            self.items, self.error = items, error

    def __init__(self, store: HistoryStore, index: str | None) -> None:
        super().__init__()
        self.store = store
        self.index = index
        self.items: list[StoredConversation] = []
        self.loaded = False

    def compose(self) -> ComposeResult:
        with Vertical(id="history-dialog"):
            yield Label("Past conversations", id="history-title")
            yield Label(Text(f"on the index {index_name(self.index)}"), id="history-index")
            yield OptionList(Option(Text("Reading the history…"), disabled=True), id="history-list")
            yield Label(HINT, id="history-hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.reload()

    @work(thread=True, exclusive=True, group="history-list", exit_on_error=False)
    def reload(self, delete: int | None = None) -> None:
        try:
            if delete is not None:
                self.store.delete(delete)
            self.post_message(self.Listed(self.store.list(self.index, unrecorded=True)))
        except Exception as e:
            self.post_message(self.Listed([], str(e) or type(e).__name__))

    @on(Listed)
    def _listed(self, event: Listed) -> None:
        if event.error:
            self.notify(f"Cannot read the history: {event.error}", severity="error", markup=False)
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        self.items = event.items
        self.loaded = True
        options.clear_options()
        if not self.items:
            options.add_option(Option(Text("No stored conversations on this index yet."), disabled=True))
            return
        options.add_options([Option(conversation_label(item), id=str(item.id)) for item in self.items])
        options.highlighted = min(highlighted or 0, len(self.items) - 1)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option_id is not None:
            self.dismiss(int(event.option_id))

    def action_open(self) -> None:
        self.query_one(OptionList).action_select()

    def action_delete(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None or not self.items:
            return
        item = self.items[options.highlighted]
        self.notify("Deleted: " + one_line(item.title), markup=False)
        self.reload(delete=item.id)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
