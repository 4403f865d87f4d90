"""Errors of the question-answering layer; each is one line a user can act on."""

from index.errors import BylineError


class QuestionError(BylineError):
    """The question cannot be asked as given (empty, punctuation only, ...)."""
