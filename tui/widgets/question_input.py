"""The question line: Enter asks; Up/Down walk through the questions asked before."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


ASK = "Ask the archive a question and press Enter"
FOLLOW_UP = "Ask a follow-up, or Tab to the answer (y copies it)"


class QuestionInput(Input):
    """A single-line input with a history of earlier questions (this session and reopened chats).

    While `examples` is non-zero (the welcome view lists example questions), a digit 1..examples
    typed into the empty line asks that example (`ExampleChosen`) instead of being typed."""

    class ExampleChosen(Message):
        def __init__(self, number: int) -> None:
            super().__init__()
            self.number = number

    BINDINGS = [
        Binding("up", "history_previous", "Earlier question", show=False),
        Binding("down", "history_next", "Later question", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder=ASK, id=id, select_on_focus=False)
        self.history: list[str] = []
        self._position = 0  # len(history) means "the line being typed"
        self._draft = ""
        self.examples = 0

    def on_mount(self) -> None:
        if self.app.is_headless:
            self.cursor_blink = False  # steady screenshots in tests

    def _example(self, character: str | None) -> int | None:
        if self.value or not character or not character.isdigit():
            return None
        number = int(character)
        return number if 1 <= number <= self.examples else None

    async def _on_key(self, event: events.Key) -> None:
        number = self._example(event.character)
        if number is not None:
            event.stop()
            event.prevent_default()
            self.post_message(self.ExampleChosen(number))
            return
        await super()._on_key(event)

    def type_character(self, character: str) -> None:
        """A key pressed elsewhere in the chat, typed here (or asking an example, as above)."""
        number = self._example(character)
        if number is not None:
            self.post_message(self.ExampleChosen(number))
        else:
            self.insert_text_at_cursor(character)

    def remember(self, question: str) -> None:
        if question and (not self.history or self.history[-1] != question):
            self.history.append(question)
        self._position = len(self.history)
        self._draft = ""

    def action_history_previous(self) -> None:
        if not self.history or self._position == 0:
            return
        if self._position == len(self.history):
            self._draft = self.value
        self._position -= 1
        self._show(self.history[self._position])

    def action_history_next(self) -> None:
        if self._position >= len(self.history):
            return
        self._position += 1
        self._show(self._draft if self._position == len(self.history) else self.history[self._position])

    def _show(self, value: str) -> None:
        self.value = value
        self.cursor_position = len(value)
