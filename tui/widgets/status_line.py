"""The top line: which index is in use (articles, chunks, model) and what the app is doing."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from qa import IndexInfo
from tui.render import one_line


class StatusLine(Widget):
    """`Byline · 5 articles · 41 chunks · model   ready`; the state is set by the app."""

    COMPONENT_CLASSES = {"status--name", "status--state", "status--busy"}

    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; color: $text; padding: 0 1; }
    StatusLine > .status--name { text-style: bold; color: $primary; }
    StatusLine > .status--state { color: $success; }
    StatusLine > .status--busy { color: $warning; text-style: bold; }
    """

    state: reactive[str] = reactive("starting…")
    busy: reactive[bool] = reactive(True)
    info: reactive[IndexInfo | None] = reactive(None)
    added: reactive[int] = reactive(0)  # articles added by another process since the chat opened

    def set_state(self, state: str, busy: bool) -> None:
        self.state = state
        self.busy = busy

    def render(self) -> Table:
        style = self.get_component_rich_style
        index = Text(no_wrap=True, overflow="ellipsis")
        index.append("Byline", style("status--name"))
        if self.info is not None:
            info = self.info
            index.append(f" · {info.articles} articles")
            if self.added:
                index.append(f" ({self.added} new)", style("status--busy"))
            index.append(f" · {info.chunks} chunks · ")
            index.append(one_line(info.model))
        state = Text(self.state, style("status--busy" if self.busy else "status--state"), no_wrap=True)
        grid = Table.grid(expand=True, padding=(0, 1))
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_column(justify="right", no_wrap=True)
        grid.add_row(index, state)
        return grid
