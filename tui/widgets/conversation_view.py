"""The chat: turns oldest first; one of them is selected, and its sources fill the sources pane."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message

from tui.widgets.turn_view import TurnView
from tui.widgets.welcome_view import WelcomeView

KEYS = "↑↓ answers · y copy · Esc question line"  # shown in the border while focused


class ConversationView(VerticalScroll, can_focus=True):
    """Up/Down move between answers; the selected one is marked and reported with `TurnSelected`.
    While there are no turns it shows the welcome view."""

    BINDINGS = [
        Binding("y", "screen.copy_answer", "Copy answer", show=False),
        Binding("up,k", "select_previous", "Previous answer", show=False),
        Binding("down,j", "select_next", "Next answer", show=False),
        Binding("home", "select_first", show=False),
        Binding("end", "select_last", show=False),
    ]

    class TurnSelected(Message):
        def __init__(self, turn: TurnView | None) -> None:
            super().__init__()
            self.turn = turn

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.selected: TurnView | None = None

    def on_focus(self) -> None:
        self.border_subtitle = KEYS if self.turns else ""

    def on_blur(self) -> None:
        self.border_subtitle = ""

    def compose(self) -> ComposeResult:
        yield WelcomeView(id="welcome")

    @property
    def turns(self) -> list[TurnView]:
        return list(self.query_children(TurnView))

    def add_turn(self, turn: TurnView) -> None:
        self.query_one(WelcomeView).display = False
        self.mount(turn)
        self.select(turn)

    def remove_turn(self, turn: TurnView) -> None:
        turns = self.turns
        if turn in turns:
            index = turns.index(turn)
            turn.remove()
            rest = [t for t in turns if t is not turn]
            self.query_one(WelcomeView).display = not rest
            self.select(rest[min(index, len(rest) - 1)] if rest else None)

    def clear(self) -> None:
        self.remove_children(TurnView)
        self.query_one(WelcomeView).display = True
        self.select(None)

    def select(self, turn: TurnView | None, *, scroll: bool = True) -> None:
        if self.selected is not None and self.selected is not turn:
            self.selected.remove_class("-selected")
        self.selected = turn
        if turn is not None:
            turn.add_class("-selected")
            if scroll:
                self.call_after_refresh(self._reveal, turn)
        self.post_message(self.TurnSelected(turn))

    def refresh_selected(self) -> None:
        """Tell listeners again about the selected turn (after its answer arrived)."""
        self.post_message(self.TurnSelected(self.selected))
        if self.selected is not None:
            self.call_after_refresh(self._reveal, self.selected)

    def _reveal(self, turn: TurnView) -> None:
        if turn.is_attached:
            self.scroll_to_widget(turn, animate=False, top=turn.outer_size.height > self.size.height)

    def _move(self, step: int) -> None:
        turns = self.turns
        if not turns:
            return
        index = turns.index(self.selected) if self.selected in turns else len(turns)
        self.select(turns[max(0, min(len(turns) - 1, index + step))])

    def action_select_previous(self) -> None:
        self._move(-1)

    def action_select_next(self) -> None:
        self._move(1)

    def action_select_first(self) -> None:
        if self.turns:
            self.select(self.turns[0])

    def action_select_last(self) -> None:
        if self.turns:
            self.select(self.turns[-1])

    @on(TurnView.Clicked)
    def _clicked(self, event: TurnView.Clicked) -> None:
        event.stop()
        self.select(event.turn, scroll=False)
