"""Errors of the question-answering layer; each is one line a user can act on.

`BylineError` is re-exported so callers of `qa` (CLI, TUI, eval) need not reach into `index`."""

from index.errors import (BylineError, IndexBusyError, IndexCorruptError, IndexMismatchError, IndexMissingError,
                          IndexReadOnlyError, IndexUnreachableError, InputError)

__all__ = ["BylineError", "IndexBusyError", "IndexCorruptError", "IndexMismatchError", "IndexMissingError",
           "InputError", "QuestionError", "FilterError", "IndexReadOnlyError", "IndexUnreachableError"]


class QuestionError(BylineError):
    """The question cannot be asked as given (empty, punctuation only, ...)."""


class FilterError(QuestionError):
    """A filter names an outlet the index does not hold, or an empty or inverted date range."""
