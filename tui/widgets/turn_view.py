"""One turn of the chat: the question, then the answer (or its state while it is being found)."""

from __future__ import annotations

import time

from rich.console import Group, RenderableType
from rich.text import Text
from textual.message import Message
from textual.widget import Widget

from qa import Answer, Filters
from tui.render import answer_body, claims_table, filters_line, literal

WAITING = "waiting for the model…"
QUEUED = "waiting for the previous question…"
SEARCHING = "searching…"


class TurnView(Widget):
    """A question and its answer. The conversation view marks the selected turn `-selected`."""

    COMPONENT_CLASSES = {
        "turn--question", "turn--citation", "turn--muted", "turn--warning", "turn--pending", "turn--short",
    }

    DEFAULT_CSS = """
    TurnView {
        height: auto;
        padding: 0 1;
        margin-bottom: 1;
        border-left: blank;
    }
    TurnView.-selected { border-left: tall $accent; background: $boost; }
    TurnView > .turn--question { text-style: bold; color: $primary; }
    TurnView > .turn--citation { text-style: bold; color: $accent; }
    TurnView > .turn--muted { color: $text-muted; }
    TurnView > .turn--warning { color: $warning; text-style: bold; }
    TurnView > .turn--pending { color: $text-muted; text-style: italic; }
    TurnView > .turn--short { text-style: bold; }
    """

    class Clicked(Message):
        def __init__(self, turn: "TurnView") -> None:
            super().__init__()
            self.turn = turn

    def __init__(self, question: str, filters: Filters | None = None,
                 answer: Answer | None = None, state: str = WAITING) -> None:
        super().__init__()
        self.question = question
        self.filters = filters or Filters()
        self.answer = answer
        self.state = state
        self.submitted_at = time.perf_counter()
        self.streamed = ""  # a language model's text as it arrives (`tui.screens.streaming`), until the answer
        self.writer_label: str | None = None

    def add_token(self, piece: str) -> None:
        self.streamed += piece
        self.refresh(layout=True)

    def set_state(self, state: str) -> None:
        self.state = state
        self.refresh(layout=True)

    def set_answer(self, answer: Answer) -> None:
        self.answer = answer
        self.state = "answered"
        self.refresh(layout=True)

    def render(self) -> RenderableType:
        """The turn as text; a yes/no answer adds its claims as a small table under the verdict."""
        style = self.get_component_rich_style
        text = Text()
        text.append("› ", style("turn--question"))
        text.append(literal(self.question), style("turn--question"))
        if self.filters.active:
            text.append("\n  filtered: " + filters_line(self.filters), style("turn--muted"))
        text.append("\n")
        if self.answer is None and self.streamed:  # unverified: dim, plain, until the verified answer
            text.append(f"{self.writer_label or 'the model'} is writing (Ctrl+C stops)…\n", style("turn--pending"))
            text.append(literal(self.streamed), style("turn--muted"))
        elif self.answer is None:
            text.append(self.state, style("turn--pending"))
        else:
            text.append_text(answer_body(
                self.answer,
                citation=style("turn--citation"),
                muted=style("turn--muted"),
                warning=style("turn--warning"),
                strong=style("turn--short"),
            ))
            if self.answer.claims:
                return Group(text, claims_table(self.answer, citation=style("turn--citation"),
                                                muted=style("turn--muted")))
        return text

    def on_click(self) -> None:
        self.post_message(self.Clicked(self))
