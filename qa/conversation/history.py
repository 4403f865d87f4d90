"""Past conversations, kept in SQLite: each turn stored as its question and its answer as JSON.

The store is small on purpose: `save_turn`, `list`, `load`, `delete`. Answers come back as real
`Answer` objects (rebuilt by `answer_from_dict`), so a reopened chat shows its citations and its
follow-ups resolve against the earlier turns.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass, fields
from datetime import datetime, timezone
from pathlib import Path

from qa.conversation.turns import Conversation
from qa.types import Answer, Filters, Hit, Sentence, ShortAnswer, Source

HISTORY_ENV = "BYLINE_HISTORY"
TITLE_CHARS = 80

SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    index_path TEXT
);
CREATE TABLE IF NOT EXISTS turns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    question TEXT NOT NULL,
    answer_json TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS turns_by_conversation ON turns(conversation_id, position);
"""

INSERT_CONVERSATION = "INSERT INTO conversations (title, created_at, updated_at, index_path) VALUES (?, ?, ?, ?)"
CONVERSATION_COLUMNS = "PRAGMA table_info(conversations)"
ADD_INDEX_COLUMN = "ALTER TABLE conversations ADD COLUMN index_path TEXT"
TOUCH_CONVERSATION = "UPDATE conversations SET updated_at = ? WHERE id = ?"
INSERT_TURN = (
    "INSERT INTO turns (conversation_id, position, question, answer_json, created_at) "
    "VALUES (?, ?, ?, ?, ?)"
)
COUNT_TURNS = "SELECT COUNT(*) FROM turns WHERE conversation_id = ?"
LIST_CONVERSATIONS = """
SELECT c.id, c.title, c.created_at, c.updated_at, COUNT(t.id), c.index_path
FROM conversations c LEFT JOIN turns t ON t.conversation_id = c.id
{where} GROUP BY c.id ORDER BY c.updated_at DESC, c.id DESC
"""
GET_CONVERSATION = "SELECT id, title FROM conversations WHERE id = ?"
GET_TURNS = "SELECT question, answer_json FROM turns WHERE conversation_id = ? ORDER BY position, id"
DELETE_TURNS = "DELETE FROM turns WHERE conversation_id = ?"
DELETE_CONVERSATION = "DELETE FROM conversations WHERE id = ?"


def default_history_path() -> Path:
    """`$BYLINE_HISTORY`, else `history.sqlite` in the user's data directory."""
    env = os.environ.get(HISTORY_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("byline")) / "history.sqlite"


@dataclass(frozen=True)
class StoredConversation:
    """One line of the history list."""

    id: int
    title: str
    created_at: str
    updated_at: str
    turns: int
    index: str | None = None  # the index the questions were asked of (None: stored before 2026-11)


def _pick(cls, data: dict) -> dict:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def _source(data: dict) -> Source:
    return Source(**_pick(Source, data))


def answer_from_dict(data: dict) -> Answer:
    """Rebuild an `Answer` from `Answer.to_dict()` output (unknown keys are ignored)."""
    sentences = [
        Sentence(text=s.get("text", ""), citations=tuple(s.get("citations") or ()),
                 speaker=s.get("speaker"))
        for s in data.get("sentences") or []
    ]
    return Answer(
        question=data.get("question", ""),
        text=data.get("text", ""),
        sentences=sentences,
        sources=[_source(s) for s in data.get("sources") or []],
        abstained=bool(data.get("abstained", False)),
        reason=data.get("reason"),
        closest=[_source(s) for s in data.get("closest") or []],
        hits=[Hit(**_pick(Hit, h)) for h in data.get("hits") or []],
        notes=list(data.get("notes") or []),
        resolved_question=data.get("resolved_question"),
        timings=dict(data.get("timings") or {}),
        short_answer=ShortAnswer(**_pick(ShortAnswer, data["short_answer"])) if data.get("short_answer") else None,
        filters=Filters.from_dict(data["filters"]) if data.get("filters") else None,
        generated_by=data.get("generated_by"),  # which model wrote it (qa.answer.generate); the key is never stored
    )


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _title(question: str) -> str:
    line = " ".join(question.split())
    return line if len(line) <= TITLE_CHARS else line[: TITLE_CHARS - 1] + "…"


class HistoryStore:
    """Conversations in one SQLite file. Pass `path` (or set $BYLINE_HISTORY) to choose it.

    Each conversation remembers the index it was asked of (`index=` of `save_turn`), and `list`
    can show one index's conversations only."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path).expanduser() if path is not None else default_history_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(self.path), check_same_thread=False)
        self._db.execute("PRAGMA foreign_keys = ON")
        with self._db:
            self._db.executescript(SCHEMA)
            if "index_path" not in {row[1] for row in self._db.execute(CONVERSATION_COLUMNS)}:
                self._db.execute(ADD_INDEX_COLUMN)  # a history file from before per-index history

    def save_turn(self, conversation: Conversation, question: str, answer: Answer | None,
                  index: str | None = None) -> int:
        """Append one turn; creates the stored conversation (of `index`) on its first turn. Returns its id."""
        now = _now()
        answer_json = json.dumps(answer.to_dict(), ensure_ascii=False, default=str) if answer else None
        with self._db:
            if conversation.id is None or not self._exists(conversation.id):
                title = conversation.title or _title(question)
                cur = self._db.execute(INSERT_CONVERSATION, (title, now, now, index))
                conversation.id = int(cur.lastrowid)
                conversation.title = title
            (position,) = self._db.execute(COUNT_TURNS, (conversation.id,)).fetchone()
            self._db.execute(INSERT_TURN, (conversation.id, position, question, answer_json, now))
            self._db.execute(TOUCH_CONVERSATION, (now, conversation.id))
        return conversation.id

    def save(self, conversation: Conversation, index: str | None = None) -> int | None:
        """Store every turn of a conversation not stored yet (replaces nothing). Returns its id."""
        stored = 0
        if conversation.id is not None and self._exists(conversation.id):
            (stored,) = self._db.execute(COUNT_TURNS, (conversation.id,)).fetchone()
        for turn in conversation.turns[stored:]:
            self.save_turn(conversation, turn.question, turn.answer, index)
        return conversation.id

    def list(self, index: str | None = None, *, unrecorded: bool = False) -> list[StoredConversation]:
        """Stored conversations, most recently updated first; with `index`, only that index's (and,
        with `unrecorded`, those stored before the index was recorded)."""
        if index is None:
            rows = self._db.execute(LIST_CONVERSATIONS.format(where="")).fetchall()
        else:
            where = "WHERE c.index_path = ?" + (" OR c.index_path IS NULL" if unrecorded else "")
            rows = self._db.execute(LIST_CONVERSATIONS.format(where=where), (index,)).fetchall()
        return [StoredConversation(int(r[0]), r[1], r[2], r[3], int(r[4]), r[5]) for r in rows]

    def load(self, conversation_id: int) -> Conversation:
        """The stored conversation with its answers rebuilt. Raises KeyError when unknown."""
        row = self._db.execute(GET_CONVERSATION, (conversation_id,)).fetchone()
        if row is None:
            raise KeyError(f"no stored conversation {conversation_id}")
        conv = Conversation(id=int(row[0]), title=row[1])
        for question, answer_json in self._db.execute(GET_TURNS, (conversation_id,)):
            answer = answer_from_dict(json.loads(answer_json)) if answer_json else None
            conv.add(question, answer)
        return conv

    def last(self, index: str) -> Conversation:
        """The conversation last asked of `index` (`byline ask --continue`), or a new, empty one."""
        stored = self.list(index)
        return self.load(stored[0].id) if stored else Conversation()

    def delete(self, conversation_id: int) -> bool:
        """Forget a conversation and its turns. Returns whether it existed."""
        with self._db:
            self._db.execute(DELETE_TURNS, (conversation_id,))
            cur = self._db.execute(DELETE_CONVERSATION, (conversation_id,))
        return cur.rowcount > 0

    def close(self) -> None:
        self._db.close()

    def _exists(self, conversation_id: int) -> bool:
        return self._db.execute(GET_CONVERSATION, (conversation_id,)).fetchone() is not None

    def __enter__(self) -> "HistoryStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
