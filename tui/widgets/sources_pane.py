"""The passages behind the selected answer; choosing one (Enter or click) opens its article."""

from __future__ import annotations

from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from qa import Answer, Source
from tui.render import Titles, no_titles, source_label

TITLE = "Sources"
TITLE_CLOSEST = "Closest passages"
KEYS = "Enter open · y copy · F2 full screen and back · Esc question line"  # shown in the border while focused


class SourcesPane(OptionList):
    """Lists the cited sources of one answer (or, when it abstained, the closest passages).
    `titles` names untitled articles (by their first words)."""

    BINDINGS = [Binding("y", "screen.copy_source", "Copy quote", show=False)]

    COMPONENT_CLASSES = {"sources--number", "sources--quote", "sources--meta"}

    DEFAULT_CSS = """
    SourcesPane > .sources--number { text-style: bold; color: $accent; }
    SourcesPane > .sources--meta { color: $text-muted; }
    SourcesPane > .sources--quote { }
    """

    class SourceChosen(Message):
        def __init__(self, source: Source) -> None:
            super().__init__()
            self.source = source

    def __init__(self, *, titles: Titles = no_titles, id: str | None = None) -> None:
        super().__init__(id=id)
        self.titles = titles
        self.sources: list[Source] = []
        self.answer: Answer | None = None
        self.border_title = TITLE

    def show(self, answer: Answer | None) -> None:
        """Fill the pane from `answer` (None empties it)."""
        self.answer = answer
        self.sources = []
        title = TITLE
        if answer is not None:
            self.sources = list(answer.sources)
            if answer.abstained or not self.sources:
                self.sources = list(answer.closest) or self.sources
                title = TITLE_CLOSEST if answer.abstained and self.sources else TITLE
        self.border_title = f"{title} ({len(self.sources)})" if self.sources else title
        style = self.get_component_rich_style
        self.clear_options()
        options: list[Option | None] = []
        for i, source in enumerate(self.sources):
            if i:
                options.append(None)  # a separator line between passages
            label = source_label(source, number=style("sources--number"),
                                 quote=style("sources--quote"), meta=style("sources--meta"), titles=self.titles)
            options.append(Option(label, id=str(i)))
        self.add_options(options)
        if self.sources:
            self.highlighted = 0

    def on_focus(self) -> None:
        self.border_subtitle = KEYS if self.sources else ""

    def on_blur(self) -> None:
        self.border_subtitle = ""

    @property
    def current(self) -> Source | None:
        """The highlighted source."""
        index = self.highlighted
        if index is None:
            return None
        option = self.get_option_at_index(index)
        return self.sources[int(option.id)] if option.id is not None else None

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id is not None:
            self.post_message(self.SourceChosen(self.sources[int(event.option_id)]))
