"""A chat's turns, kept so a follow-up question can be resolved against them."""

from __future__ import annotations

from dataclasses import dataclass, field

from qa.types import Answer


@dataclass
class Turn:
    question: str
    answer: Answer | None = None
    answer_text: str | None = None  # for turns known only as text (eval context, reopened chats)

    @property
    def text(self) -> str:
        if self.answer is not None:
            return self.answer.text
        return self.answer_text or ""


@dataclass
class Conversation:
    """The turns of one chat, oldest first."""

    turns: list[Turn] = field(default_factory=list)
    id: int | None = None  # set when the conversation is stored
    title: str | None = None

    def add(self, question: str, answer: Answer | None = None, answer_text: str | None = None) -> Turn:
        turn = Turn(question=question, answer=answer, answer_text=answer_text)
        self.turns.append(turn)
        return turn

    @classmethod
    def from_pairs(cls, pairs: list[dict]) -> "Conversation":
        """Build from `[{"question": ..., "answer": ...}]`, as question files give follow-up context."""
        conv = cls()
        for p in pairs:
            conv.add(p.get("question") or "", answer_text=p.get("answer"))
        return conv

    def __len__(self) -> int:
        return len(self.turns)
