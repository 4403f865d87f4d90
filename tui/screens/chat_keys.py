"""The chat screen's keys and panes: typing anywhere lands in the question line (keys typed while
the app starts included), the footer in one fixed order, and the narrow layout (80 columns), where
the sources collapse to a one-line strip that F2 opens full screen.

A mixin of `ChatScreen`; split out only to keep each module to one idea and short.
"""

from __future__ import annotations

from textual import events
from textual.binding import ActiveBinding
from textual.message import Message
from textual.widget import Widget

from tui.widgets.question_input import QuestionInput
from tui.widgets.sources_pane import SourcesPane

NARROW = 100  # below this width the sources collapse to a strip under the conversation
# The footer's order, whichever pane has focus (a focused pane's own bindings would come first).
FOOTER_ORDER = ("new_conversation", "filters", "export", "history", "help", "toggle_sources", "quit")


class ChatKeys:
    class KeysReady(Message):
        """The question line can take keys: the app hands over those typed while it started."""

    keys_ready = False

    def _question_line_ready(self) -> None:
        self.keys_ready = True
        self.post_message(self.KeysReady())

    def type_keys(self, keys: list[tuple[str, str | None]]) -> None:
        """Keys typed before the question line existed, as (key, character), typed into it now."""
        field = self.query_one(QuestionInput)
        for key, character in keys:
            if key in ("enter", "ctrl+j"):
                self.ask_typed(field.value)
            elif key == "backspace":
                field.action_delete_left()
            elif character:
                field.type_character(character)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        bindings = super().active_bindings
        rank = {action: i for i, action in enumerate(FOOTER_ORDER)}
        last = len(rank)
        return dict(sorted(bindings.items(), key=lambda item: rank.get(item[1].binding.action, last)))

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW, "-narrow")

    @property
    def narrow(self) -> bool:
        return self.has_class("-narrow")

    def on_key(self, event: events.Key) -> None:
        field = self.query_one(QuestionInput)
        if self.focused is field or not event.is_printable or not event.character:
            return
        if event.key in self.active_bindings:
            return  # a key of the focused pane (y, j, k) or of the screen
        event.stop()
        event.prevent_default()
        if self.maximized is not None:
            self.minimize()
        field.focus()
        field.type_character(event.character)

    def watch_maximized(self, maximized: Widget | None) -> None:
        if maximized is None and self.narrow and isinstance(self.focused, SourcesPane):
            self.query_one(QuestionInput).focus()  # the pane is a strip again: it cannot hold focus

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "focus_question":
            return self.maximized is not None or not isinstance(self.focused, QuestionInput)
        if action == "toggle_sources":
            return bool(self.query_one(SourcesPane).sources)
        return True
