"""Filters for the next questions: outlets and a date range. Returns `Filters`, or None if cancelled."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, SelectionList, Static

from qa import Filters
from qa.dates import parse_user_date
from tui.render import one_line


def parse_date(label: str, value: str) -> date | None:
    """`None` for an empty field; raises ValueError with a message a user can act on.
    Read by `qa.dates` (the one date parser); a month or year in "Until" means its last day."""
    value = value.strip()
    if not value:
        return None
    try:
        return parse_user_date(value, end=label.casefold().startswith("until"), label=label)
    except ValueError:
        raise ValueError(f"{label}: “{value}” is not a date; use YYYY-MM-DD, e.g. 2021-12-07.") from None


def build_filters(outlets: list[str], since: str, until: str) -> Filters:
    """The filters from the form's values; raises ValueError saying what is wrong."""
    start = parse_date("Since", since)
    end = parse_date("Until", until)
    if start and end and start > end:
        raise ValueError(f"Since ({start.isoformat()}) is after until ({end.isoformat()}).")
    return Filters(sources=tuple(outlets), since=start, until=end)


class FiltersScreen(ModalScreen[Filters | None]):
    """Enter applies, Esc cancels, Ctrl+R clears every filter."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "apply", "Apply"),
        Binding("ctrl+r", "clear", "Clear all"),
    ]

    def __init__(self, current: Filters, outlets: list[str]) -> None:
        super().__init__()
        self.current = current
        chosen = {s.lower() for s in current.sources}
        self.outlets = sorted(set(outlets) | set(current.sources), key=str.lower)
        self._initial = [(Text(one_line(o)), o, o.lower() in chosen) for o in self.outlets]

    def compose(self) -> ComposeResult:
        with Vertical(id="filters-dialog"):
            yield Label("Filters for the next questions", id="filters-title")
            yield Label("Outlets (Space to choose; none chosen = all)")
            yield SelectionList[str](*self._initial, id="filters-outlets")
            with Horizontal(id="filters-dates"):
                yield Input(self._iso(self.current.since), placeholder="since YYYY-MM-DD", id="filters-since")
                yield Input(self._iso(self.current.until), placeholder="until YYYY-MM-DD", id="filters-until")
            yield Static("", id="filters-error", markup=False)
            yield Label("Space: choose · Enter in a date or Ctrl+S: apply · Ctrl+R: clear · Esc: cancel",
                        id="filters-hint")
            with Horizontal(id="filters-buttons"):
                yield Button("Apply", variant="primary", id="filters-apply")
                yield Button("Clear all", id="filters-clear")
                yield Button("Cancel", id="filters-cancel")

    @staticmethod
    def _iso(value: date | None) -> str:
        return value.isoformat() if value else ""

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def action_apply(self) -> None:
        selected = self.query_one(SelectionList).selected
        try:
            filters = build_filters(list(selected), self.query_one("#filters-since", Input).value,
                                    self.query_one("#filters-until", Input).value)
        except ValueError as e:
            error = self.query_one("#filters-error", Static)
            error.update(Text(str(e)))
            error.add_class("-shown")
            return
        self.dismiss(filters)

    def action_clear(self) -> None:
        self.dismiss(Filters())

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_apply()

    @on(Button.Pressed, "#filters-apply")
    def _apply_pressed(self) -> None:
        self.action_apply()

    @on(Button.Pressed, "#filters-clear")
    def _clear_pressed(self) -> None:
        self.action_clear()

    @on(Button.Pressed, "#filters-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
