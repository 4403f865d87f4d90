"""The one API that the TUI, the CLI and the eval suite call. (Being implemented.)"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from qa.conversation import Conversation
from qa.types import Answer, Article, Filters, Hit, IndexInfo

# progress(stage, done, total): stage is e.g. "loading model", "embedding", "building index"
Progress = Callable[[str, int, int], None]


class Assistant:
    @classmethod
    def open(cls, index_dir: str | Path | None = None, *, model: str | None = None,
             progress: Progress | None = None, build_default: bool = True) -> "Assistant":
        """Open the index at `index_dir` (default: the user's data dir, or $BYLINE_INDEX).

        With no index there and `build_default`, the bundled seed corpus is indexed first
        (progress reported through `progress`). Raises a BylineError subclass with one clear line
        when the index is missing, corrupt or made with another model.
        """
        raise NotImplementedError

    def ask(self, question: str, conversation: Conversation | None = None,
            filters: Filters | None = None, k: int | None = None) -> Answer:
        """Answer with a citation on every sentence, or abstain. Raises QuestionError on bad input."""
        raise NotImplementedError

    def retrieve(self, question: str, *, filters: Filters | None = None, k: int = 10,
                 conversation: Conversation | None = None) -> list[Hit]:
        """The fused ranking of chunks, best first (what `ask` composes from)."""
        raise NotImplementedError

    def passage(self, hit: Hit, max_tokens: int = 256) -> str:
        """The text around a hit, widened to at most `max_tokens` tokens of the model's tokenizer."""
        raise NotImplementedError

    def article(self, article_id: str) -> Article:
        raise NotImplementedError

    def info(self) -> IndexInfo:
        raise NotImplementedError

    def outlets(self) -> list[str]:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError
