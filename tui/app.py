"""Byline's terminal UI: wires the chat screen to the assistant, the history and the export folder.

Run with `tui.app.run(index_dir)` or `BylineApp(index_dir=...).run()`. For tests and benches,
pass an already opened `assistant=` and a `history=` path or store.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.worker import get_current_worker

from tui.commands import AppCommands
from tui.screens.chat import ChatScreen

if TYPE_CHECKING:
    from qa import Assistant
    from qa.conversation.history import HistoryStore


class BylineApp(App[None]):
    """The chat app. `answers_shown`, `last_answer_ms` and `first_paint_ms` are for benches."""

    CSS_PATH = "byline.tcss"
    TITLE = "Byline"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]
    COMMAND_PALETTE_DISPLAY = "^p"
    COMMANDS = {AppCommands}  # the chat screen's provider lists Byline's commands first, then these
    # kept, with every printable key, until the question line exists; a line typed before the
    # terminal left cooked mode ends in "\n", read as ctrl+j
    EARLY_KEYS = ("enter", "ctrl+j", "backspace")

    class LoadProgress(Message):
        def __init__(self, stage: str, done: int, total: int) -> None:
            super().__init__()
            self.stage, self.done, self.total = stage, done, total

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, BylineApp.LoadProgress)

    class AssistantReady(Message):
        def __init__(self, assistant: "Assistant") -> None:
            super().__init__()
            self.assistant = assistant

    class LoadFailed(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(self, index_dir: str | Path | None = None, *, assistant: "Assistant | None" = None,
                 history: "HistoryStore | str | Path | None" = None,
                 export_dir: str | Path | None = None, llm=None) -> None:
        self._created = time.perf_counter()
        super().__init__()
        self.index_dir = index_dir
        self.assistant: Assistant | None = assistant
        self._given_assistant = assistant
        self._history_arg = history
        self._history_error: str | None = None
        self.history = self._open_history(history)
        self.first_paint_ms: float | None = None
        self.answers_shown = 0
        self.last_answer_ms: float | None = None
        self.chat = ChatScreen(assistant=assistant, history=self.history, export_dir=export_dir, llm=llm)
        self._early_keys: list[tuple[str, str | None]] | None = []  # None once handed to the chat

    def get_default_screen(self) -> ChatScreen:
        return self.chat

    def _open_history(self, arg) -> "HistoryStore | None":
        from qa.conversation.history import HistoryStore

        try:
            return arg if isinstance(arg, HistoryStore) else HistoryStore(arg)
        except Exception as e:
            self._history_error = str(e) or type(e).__name__
            return None

    def on_mount(self) -> None:
        self.call_after_refresh(self._painted)
        if self._history_error:
            self.notify(f"History is off: {self._history_error}", severity="warning", markup=False)
        if self._given_assistant is None:
            self.chat.show_loading("loading model", 0, 0)
            self.call_after_refresh(self._load)  # the imports and model load start after the first paint

    async def on_event(self, event: events.Event) -> None:
        if (isinstance(event, events.Key) and not event.is_forwarded and self._early_keys is not None
                and (event.is_printable or event.key in self.EARLY_KEYS)):
            self._early_keys.append((event.key, event.character))  # typed while the app starts
            return
        await super().on_event(event)

    @on(ChatScreen.KeysReady)
    def _keys_ready(self) -> None:
        keys, self._early_keys = self._early_keys or [], None
        if keys:
            self.chat.type_keys(keys)

    def _painted(self) -> None:
        if self.first_paint_ms is None:
            self.first_paint_ms = (time.perf_counter() - self._created) * 1000

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load(self) -> None:
        from qa import Assistant

        worker = get_current_worker()

        def progress(stage: str, done: int, total: int) -> None:
            self.post_message(self.LoadProgress(stage, done, total))

        try:
            assistant = Assistant.open(self.index_dir, progress=progress)
        except Exception as e:  # one clear line, never a traceback
            self.post_message(self.LoadFailed(str(e) or type(e).__name__))
            return
        if worker.is_cancelled:
            assistant.close()
            return
        self.post_message(self.AssistantReady(assistant))

    def switch_index(self, index: str) -> None:
        """Open another index (in a worker, as at start); the chat starts empty on it."""
        old = self.assistant
        self.assistant = None
        self.index_dir = index
        self.chat.switching(index)
        if old is not None and old is not self._given_assistant:
            self._close_assistant(old)
        self._load()

    @work(thread=True, group="close", exit_on_error=False)
    def _close_assistant(self, assistant: "Assistant") -> None:
        with self.chat.assistant_lock:  # after the question or read still using it
            assistant.close()

    @on(LoadProgress)
    def _progress(self, event: LoadProgress) -> None:
        if self.assistant is None:
            self.chat.show_loading(event.stage, event.done, event.total)

    @on(AssistantReady)
    def _assistant_ready(self, event: AssistantReady) -> None:
        self.assistant = event.assistant
        self.chat.assistant_ready(event.assistant)

    @on(LoadFailed)
    def _load_failed(self, event: LoadFailed) -> None:
        self.chat.assistant_failed()
        self.notify(event.error, title="Cannot open the index", severity="error", timeout=30,
                    markup=False)

    @on(ChatScreen.AnswerShown)
    def _answer_shown(self, event: ChatScreen.AnswerShown) -> None:
        self.answers_shown += 1
        self.last_answer_ms = event.latency_ms

    def on_unmount(self) -> None:
        if self.assistant is not None and self.assistant is not self._given_assistant:
            try:
                self.assistant.close()
            except Exception:
                pass
        if self.history is not None and self.history is not self._history_arg:
            self.history.close()


def run(index_dir: str | None = None, export_dir: str | None = None, llm=None) -> None:
    """Start the TUI on `index_dir` (default: the user's index, built from the seeds if missing);
    exports go to `export_dir` (default: `tui.export.default_export_dir()`); `llm` (settings of
    `qa.answer.generate`) has a language model write the answers, verified."""
    BylineApp(index_dir=index_dir, export_dir=export_dir, llm=llm).run()
