"""The sources in one line, for narrow terminals: how many, the first one's heading, and F2.

Shown instead of the sources pane below 100 columns (the chat's `-narrow` class), so the
conversation keeps the height; F2 (or a click) opens the full sources pane, F2 again closes it.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widget import Widget

from qa import Answer, Source
from tui.render import Titles, no_titles, source_heading

OPEN_KEY = "F2 open"


def strip_sources(answer: Answer | None) -> tuple[str, list[Source]]:
    """What the sources pane lists for `answer` (the pane's rule): its title word and sources."""
    if answer is None:
        return "Sources", []
    if answer.abstained and answer.closest:
        return "Closest passages", list(answer.closest)
    return "Sources", list(answer.sources) or list(answer.closest)


class SourcesStrip(Widget):
    """`Sources (2) · [1] ARD · Video summit on the Ukraine conflict… · 2021-12-07     F2 open`."""

    COMPONENT_CLASSES = {"sources-strip--title", "sources-strip--key"}

    DEFAULT_CSS = """
    SourcesStrip { height: 1; padding: 0 1; background: $panel; color: $text-muted; display: none; }
    SourcesStrip > .sources-strip--title { text-style: bold; color: $text; }
    SourcesStrip > .sources-strip--key { text-style: bold; color: $accent; }
    """

    def __init__(self, *, titles: Titles = no_titles, id: str | None = None) -> None:
        super().__init__(id=id)
        self.titles = titles
        self.title = "Sources"
        self.sources: list[Source] = []
        self.answered = False

    def show(self, answer: Answer | None) -> None:
        self.title, self.sources = strip_sources(answer)
        self.answered = answer is not None
        self.refresh()

    def render(self) -> Table:
        style = self.get_component_rich_style
        line = Text(no_wrap=True, overflow="ellipsis")
        if not self.sources:
            line.append("Sources: " + ("none for this answer" if self.answered else "they come with the answer"))
        else:
            line.append(f"{self.title} ({len(self.sources)})", style("sources-strip--title"))
            first = self.sources[0]
            line.append(f" · [{first.number}] ")
            line.append(source_heading(first, self.titles))
        grid = Table.grid(expand=True, padding=(0, 1))
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_column(justify="right", no_wrap=True)
        grid.add_row(line, Text(OPEN_KEY if self.sources else "", style("sources-strip--key")))
        return grid

    def on_click(self) -> None:
        if self.sources:
            self.run_action("screen.toggle_sources")
