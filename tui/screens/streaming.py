"""The chat screen's answers written by a language model (`byline chat --llm`), streamed as they come.

A mixin of `ChatScreen`: the ask worker calls `_answer_for`, which asks the extractive assistant
when no model is configured, and otherwise the `qa.answer.generate` writer, posting each piece of text as
a `Token` message for the turn to show (plain text, dim) until the verified answer replaces it.
Ctrl+C while a model writes stops it; the sentences verified by then are kept.
"""

from __future__ import annotations

import threading

from textual.message import Message


class StreamingAnswers:
    """Mixed into ChatScreen, whose BINDINGS hold ctrl+c → stop_stream (a mixin's are not merged)."""

    class Token(Message):
        def __init__(self, turn, piece: str) -> None:
            super().__init__()
            self.turn, self.piece = turn, piece

    def _setup_streaming(self, llm) -> None:
        self.llm = llm  # qa.answer.generate.settings.LLMSettings, or None: extractive answers only
        self._writer = None
        self._stop_stream = threading.Event()
        self._streaming = False

    def _answer_for(self, turn, history):
        """In the ask worker: the answer to `turn`, streamed into it when a model writes."""
        if self.llm is None:
            return self.assistant.ask(turn.question, conversation=history, filters=turn.filters)
        from qa.answer.generate.writer import Writer

        if self._writer is None or self._writer.assistant is not self.assistant:
            self._writer = Writer(self.assistant, self.llm)
        turn.writer_label = self._writer.label()
        self._stop_stream.clear()
        self._streaming = True
        try:
            return self._writer.ask(turn.question, conversation=history, filters=turn.filters,
                                    on_token=lambda piece: self.post_message(self.Token(turn, piece)),
                                    cancelled=self._stop_stream.is_set)
        finally:
            self._streaming = False

    def on_streaming_answers_token(self, event: "StreamingAnswers.Token") -> None:
        event.turn.add_token(event.piece)

    def action_stop_stream(self) -> None:
        self._stop_stream.set()

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "stop_stream":
            return self._streaming  # otherwise Ctrl+C does what the app makes of it
        return super().check_action(action, parameters)
