"""A line under the status line, shown only while filters apply to the next questions."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from qa import Filters
from tui.render import filters_line


class FilterBar(Widget):
    """`Filters: outlet: ARD; since 2021-12-01   (Ctrl+F to change)`."""

    COMPONENT_CLASSES = {"filter-bar--label"}

    DEFAULT_CSS = """
    FilterBar { height: 1; background: $accent 30%; padding: 0 1; display: none; }
    FilterBar.-active { display: block; }
    FilterBar > .filter-bar--label { text-style: bold; }
    """

    filters: reactive[Filters] = reactive(Filters)

    def watch_filters(self, filters: Filters) -> None:
        self.set_class(filters.active, "-active")

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("Filters: ", self.get_component_rich_style("filter-bar--label"))
        text.append(filters_line(self.filters))
        text.append("   (Ctrl+F to change)")
        return text
