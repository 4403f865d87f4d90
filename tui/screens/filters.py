"""Filters for the next questions: outlets (or articles with no outlet), a date range (and articles
with no date). Says how many articles the filters leave. Returns `Filters`, or None if cancelled."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Footer, Input, Label, SelectionList, Static

from qa import Filters
from qa.archive.dates import parse_user_date
from qa.archive.overview import Overview
from tui.render import one_line

NO_OUTLET_VALUE = "\x00no outlet"  # the "articles with no outlet" line of the outlet list
HINT = "Space: choose an outlet · Enter in a date: apply · keys below"


def parse_date(label: str, value: str) -> date | None:
    """`None` for an empty field; raises ValueError with a message a user can act on.
    Read by `qa.archive.dates` (the one date parser); a month or year in "Until" means its last day."""
    value = value.strip()
    if not value:
        return None
    try:
        return parse_user_date(value, end=label.casefold().startswith("until"), label=label)
    except ValueError:
        raise ValueError(f"{label}: “{value}” is not a date; use YYYY-MM-DD, e.g. 2021-12-07.") from None


def build_filters(outlets: list[str], since: str, until: str, no_outlet: bool = False,
                  no_date: bool = False) -> Filters:
    """The filters from the form's values; raises ValueError saying what is wrong."""
    start = parse_date("Since", since)
    end = parse_date("Until", until)
    if start and end and start > end:
        raise ValueError(f"Since ({start.isoformat()}) is after until ({end.isoformat()}).")
    return Filters(outlets=tuple(outlets), since=start, until=end, no_outlet=no_outlet, no_date=no_date)


def what_is_left(filters: Filters, overview: Overview) -> str:
    """`These filters leave 2 of 5 articles; 3 with no outlet and 3 undated are left out.`"""
    if not filters.active:
        return f"No filter: all {overview.articles} articles."
    left = overview.count(filters)
    out = []
    if filters.outlets and not filters.no_outlet and overview.no_outlet:
        out.append(f"{overview.no_outlet} with no outlet")
    if (filters.since or filters.until) and not filters.no_date and overview.undated:
        out.append(f"{overview.undated} undated")
    line = f"These filters leave {left} of {overview.articles} articles"
    return line + (f"; {' and '.join(out)} left out." if out else ".")


class FiltersScreen(ModalScreen[Filters | None]):
    """Ctrl+S (or Enter in a date) applies, Esc cancels, Ctrl+R clears the form and stays open
    (Ctrl+S then applies no filter)."""

    BINDINGS = [
        Binding("ctrl+s", "apply", "Apply"),
        Binding("ctrl+r", "clear", "Clear all"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, current: Filters, overview: Overview) -> None:
        super().__init__()
        self.current = current
        self.overview = overview
        counts = {name.casefold(): n for name, n in overview.outlets}
        chosen = {s.casefold() for s in current.outlets}
        names = {name.casefold(): name for name, _ in overview.outlets}
        names.update({s.casefold(): s for s in current.outlets if s.casefold() not in names})
        self.outlets = sorted(names.values(), key=str.casefold)
        self._initial = [(Text(f"{one_line(o)} ({counts.get(o.casefold(), 0)})"), o, o.casefold() in chosen)
                         for o in self.outlets]
        if overview.no_outlet:
            self._initial.append((Text(f"articles with no outlet ({overview.no_outlet})"), NO_OUTLET_VALUE,
                                  current.no_outlet))

    def compose(self) -> ComposeResult:
        with Vertical(id="filters-dialog"):
            yield Label("Filters for the next questions", id="filters-title")
            yield Label("Outlets (none chosen = all)")
            yield SelectionList[str](*self._initial, id="filters-outlets")
            with Horizontal(id="filters-dates"):
                yield Input(self._iso(self.current.since), placeholder="since YYYY-MM-DD", id="filters-since",
                            compact=True)
                yield Input(self._iso(self.current.until), placeholder="until YYYY-MM-DD", id="filters-until",
                            compact=True)
            yield Checkbox(f"also articles with no date ({self.overview.undated})", self.current.no_date,
                           id="filters-no-date", compact=True)
            yield Static("", id="filters-left", markup=False)
            yield Static("", id="filters-error", markup=False)
            yield Label(HINT, id="filters-hint")
            with Horizontal(id="filters-buttons"):
                yield Button("Apply", variant="primary", id="filters-apply", compact=True)
                yield Button("Clear all", id="filters-clear", compact=True)
                yield Button("Cancel", id="filters-cancel", compact=True)
        yield Footer(compact=True)

    @staticmethod
    def _iso(value: date | None) -> str:
        return value.isoformat() if value else ""

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()
        self._count()

    def _form(self) -> Filters:
        selected = list(self.query_one(SelectionList).selected)
        return build_filters([o for o in selected if o != NO_OUTLET_VALUE],
                             self.query_one("#filters-since", Input).value,
                             self.query_one("#filters-until", Input).value,
                             no_outlet=NO_OUTLET_VALUE in selected,
                             no_date=self.query_one("#filters-no-date", Checkbox).value)

    @on(SelectionList.SelectedChanged)
    @on(Input.Changed)
    @on(Checkbox.Changed)
    def _count(self) -> None:
        try:
            line = what_is_left(self._form(), self.overview)
        except ValueError:
            line = "Finish the date to see how many articles the filters leave."
        self.query_one("#filters-left", Static).update(Text(line))

    def action_apply(self) -> None:
        try:
            filters = self._form()
        except ValueError as e:
            error = self.query_one("#filters-error", Static)
            error.update(Text(str(e)))
            error.add_class("-shown")
            return
        self.dismiss(filters)

    def action_clear(self) -> None:
        """Every filter off in the form; the dialog stays open, so what is typed next lands here."""
        self.query_one(SelectionList).deselect_all()
        for field in ("#filters-since", "#filters-until"):
            self.query_one(field, Input).value = ""
        self.query_one("#filters-no-date", Checkbox).value = False
        error = self.query_one("#filters-error", Static)
        error.update("")
        error.remove_class("-shown")
        self._count()

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
