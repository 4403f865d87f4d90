"""Byline's question answering: retrieve, compose a cited answer, abstain when the articles don't say."""

# dataclasses reads `typing` from sys.modules without the import lock: a class defined while another thread (a
# search's, importing torch) is still importing typing fails with "partially initialized module 'typing'". Imported
# here, by whichever thread imports the package first, it is whole before any thread of ours starts (the race of
# tests/test_parse_import.py failed 2 runs in 36 on a loaded machine without this, 0 in 40 with it).
import typing  # noqa: F401

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
