"""Byline's question answering: retrieve, compose a cited answer, abstain when the articles don't say."""

from qa.conversation.turns import Conversation, Turn
from qa.types import Answer, Article, Filters, Hit, IndexInfo, Sentence, Source

__all__ = [
    "Answer", "Article", "Conversation", "Filters", "Hit", "IndexInfo", "Sentence", "Source", "Turn",
    "Assistant", "QuestionError", "build_index",
]


def __getattr__(name):  # heavy imports only when used, so `byline --help` stays instant
    if name == "Assistant":
        from qa.assistant import Assistant
        return Assistant
    if name == "build_index":
        from qa.assistant import build_index
        return build_index
    if name == "QuestionError":
        from qa.errors import QuestionError
        return QuestionError
    raise AttributeError(name)
