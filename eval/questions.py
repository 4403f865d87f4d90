"""Question sets: load a JSONL file, validate every line, report the bad ones by number.

One object a line: `id`, `question`, `answer` (null when the articles don't answer it),
`evidence` (list of `{article_id, quote}`), `type`, and for follow-ups `context`
(earlier turns as `{question, answer}`). Blank lines are skipped; unknown fields are kept aside.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

MAX_REPORTED = 10  # bad lines named in the one error message


class QuestionFileError(Exception):
    """The question file cannot be used; the message names the file and every bad line."""


@dataclass(frozen=True)
class Evidence:
    article_id: str
    quote: str


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    answer: str | None
    evidence: tuple[Evidence, ...]
    type: str
    context: tuple[dict, ...] = ()
    line: int = 0
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def answerable(self) -> bool:
        return self.answer is not None

    @property
    def gold_articles(self) -> list[str]:
        """The evidence articles, in order of first mention, without repeats."""
        return list(dict.fromkeys(e.article_id for e in self.evidence))


def default_path() -> Path:
    """The bundled seed question set."""
    return Path(__file__).with_name("seed_questions.jsonl")


def _is_str(v) -> bool:
    return isinstance(v, str) and v.strip() != ""


def _check(obj) -> str | None:
    """The first problem with one parsed line, or None."""
    if not isinstance(obj, dict):
        return "not a JSON object"
    for key in ("id", "question", "type"):
        if key not in obj:
            return f"missing '{key}'"
        if not _is_str(obj[key]):
            return f"'{key}' must be a non-empty string"
    if "answer" not in obj:
        return "missing 'answer' (use null for an unanswerable question)"
    if obj["answer"] is not None and not _is_str(obj["answer"]):
        return "'answer' must be a non-empty string or null"
    evidence = obj.get("evidence", [])
    if not isinstance(evidence, list):
        return "'evidence' must be a list"
    for n, ev in enumerate(evidence, 1):
        if not isinstance(ev, dict) or not _is_str(ev.get("article_id")) or not _is_str(ev.get("quote")):
            return f"evidence item {n} must be {{\"article_id\": str, \"quote\": non-empty str}}"
    if obj["answer"] is not None and not evidence:
        return "an answerable question needs at least one evidence item"
    context = obj.get("context", [])
    if context is None:
        context = []
    if not isinstance(context, list):
        return "'context' must be a list of {question, answer}"
    for n, turn in enumerate(context, 1):
        if not isinstance(turn, dict) or not _is_str(turn.get("question")):
            return f"context turn {n} must have a non-empty 'question'"
        if turn.get("answer") is not None and not isinstance(turn.get("answer"), str):
            return f"context turn {n}: 'answer' must be a string or null"
    return None


_KNOWN = {"id", "question", "answer", "evidence", "type", "context"}


def _build(obj: dict, line: int) -> Question:
    return Question(
        id=obj["id"].strip(),
        question=obj["question"],
        answer=obj["answer"],
        evidence=tuple(Evidence(e["article_id"], e["quote"]) for e in obj.get("evidence") or []),
        type=obj["type"].strip(),
        context=tuple({"question": t["question"], "answer": t.get("answer")} for t in obj.get("context") or []),
        line=line,
        extra={k: v for k, v in obj.items() if k not in _KNOWN},
    )


def parse_lines(lines: Iterable[str], name: str = "<questions>") -> list[Question]:
    """Parse and validate; raise one QuestionFileError naming every bad line (up to MAX_REPORTED)."""
    questions: list[Question] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as e:
            problems.append(f"line {number}: not valid JSON ({e.msg}, column {e.colno})")
            continue
        problem = _check(obj)
        if problem is None and obj["id"].strip() in seen:
            problem = f"duplicate id '{obj['id'].strip()}' (first on line {seen[obj['id'].strip()]})"
        if problem:
            problems.append(f"line {number}: {problem}")
            continue
        seen[obj["id"].strip()] = number
        questions.append(_build(obj, number))
    if problems:
        shown = problems[:MAX_REPORTED]
        more = len(problems) - len(shown)
        tail = f"\n  ... and {more} more" if more else ""
        raise QuestionFileError(
            f"{name}: {len(problems)} bad line{'s' if len(problems) != 1 else ''}:\n  "
            + "\n  ".join(shown) + tail)
    if not questions:
        raise QuestionFileError(f"{name}: no questions in the file")
    return questions


def load_questions(path: str | Path | None = None) -> list[Question]:
    """Load and validate a question file (the bundled seed set when `path` is None)."""
    p = Path(path) if path is not None else default_path()
    if not p.is_file():
        raise QuestionFileError(f"{p}: no such question file")
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise QuestionFileError(f"{p}: cannot read ({e})") from e
    return parse_lines(text.splitlines(), name=str(p))


def select(questions: list[Question], types: Iterable[str] | None = None,
           limit: int | None = None, *, every: int | None = None, half: str | None = None) -> list[Question]:
    """Keep every `every`-th question of the file (MultiHop dev: every 3rd), then one half of the
    tuning/test split (`eval.splits`), then the given types (all when empty), then the first `limit`."""
    if every is not None:
        if every < 1:
            raise QuestionFileError("--every must be at least 1")
        questions = questions[::every]
    if half is not None:
        from eval.splits import HALVES, in_half
        if half not in HALVES:
            raise QuestionFileError(f"--half must be one of {', '.join(HALVES)}")
        questions = in_half(questions, half)
    wanted = {t.strip() for t in (types or ()) if t.strip()}
    if wanted:
        known = {q.type for q in questions}
        unknown = sorted(wanted - known)
        if unknown:
            raise QuestionFileError(
                f"unknown question type{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}; "
                f"the file has: {', '.join(sorted(known))}")
        questions = [q for q in questions if q.type in wanted]
    if limit is not None:
        if limit < 1:
            raise QuestionFileError("--limit must be at least 1")
        questions = questions[:limit]
    return questions
