"""The TUI's pure parts: history store, Markdown export, filters form, literal text, import graph.

These need no model and no index; the journeys through the app are in test_tui.py.
"""

from __future__ import annotations

import ast
import json
from datetime import date, datetime
from pathlib import Path

import pytest
from rich.style import Style

from qa import Answer, Conversation, Filters, Sentence, Source
from qa.conversation.history import HistoryStore, answer_from_dict
from qa.archive.overview import ArticleEntry, Overview, first_words
from qa.types import ShortAnswer
from tui.export import answer_markdown, conversation_markdown, default_export_dir, export_conversation, \
    quote_markdown
from tui.render import answer_body, literal
from tui.screens.article import find_span
from tui.screens.filters import build_filters

TUI = Path(__file__).resolve().parents[1] / "tui"


def make_answer(question: str = "Who met?", abstained: bool = False) -> Answer:
    source = Source(number=1, article_id="a1", title="Video summit", outlet="ARD",
                    published_at="2021-12-07T23:54:00", url="https://example.org/a1",
                    quote="Biden and Putin talked for two hours.", start=10, end=47, score=0.5)
    if abstained:
        return Answer(question=question, text="", sentences=[], sources=[], abstained=True,
                      reason="no passage says so", closest=[source])
    return Answer(question=question, text="Biden and Putin talked.[1]",
                  sentences=[Sentence("Biden and Putin talked.", (1,), speaker=None)],
                  sources=[source], notes=["a note"], timings={"total": 12.0})


def test_answer_round_trips_through_a_dict():
    answer = make_answer()
    again = answer_from_dict(answer.to_dict() | {"unknown_key": 1})
    assert again == answer
    assert again.sentences[0].citations == (1,)
    assert again.source(1).quote == "Biden and Putin talked for two hours."


def test_history_store_saves_lists_loads_and_deletes(tmp_path):
    path = tmp_path / "nested" / "history.sqlite"
    conv = Conversation()
    with HistoryStore(path) as store:
        store.save_turn(conv, "Who met?", make_answer())
        store.save_turn(conv, "How many troops?", make_answer("How many troops?", abstained=True))
        other = Conversation()
        store.save_turn(other, "Another chat", make_answer("Another chat"))
        assert conv.id is not None and conv.title == "Who met?"
    with HistoryStore(path) as store:  # reopened from disk
        listed = store.list()
        assert [c.title for c in listed] == ["Another chat", "Who met?"]
        assert {c.title: c.turns for c in listed} == {"Another chat": 1, "Who met?": 2}
        loaded = store.load(conv.id)
        assert [t.question for t in loaded.turns] == ["Who met?", "How many troops?"]
        assert loaded.turns[0].answer == make_answer()
        assert loaded.turns[1].answer.abstained and loaded.turns[1].answer.closest
        assert store.delete(conv.id) and not store.delete(conv.id)
        assert [c.title for c in store.list()] == ["Another chat"]
        with pytest.raises(KeyError):
            store.load(conv.id)


def test_history_path_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("BYLINE_HISTORY", str(tmp_path / "env.sqlite"))
    with HistoryStore() as store:
        assert store.path == tmp_path / "env.sqlite"
    assert (tmp_path / "env.sqlite").exists()


def test_save_stores_only_the_new_turns(tmp_path):
    conv = Conversation()
    conv.add("One?", make_answer("One?"))
    with HistoryStore(tmp_path / "h.sqlite") as store:
        store.save(conv)
        conv.add("Two?", make_answer("Two?"))
        store.save(conv)
        assert store.list()[0].turns == 2


def test_markdown_export_holds_questions_answers_and_sources(tmp_path):
    conv = Conversation()
    conv.add("Who met?", make_answer())
    conv.add("How many troops?", make_answer("How many troops?", abstained=True))
    md = conversation_markdown(conv)
    assert "## 1. Who met?" in md and "Biden and Putin talked.[1]" in md
    assert "[1] ARD · Video summit · 2021-12-07 <https://example.org/a1>" in md
    assert "> Biden and Putin talked for two hours." in md
    assert ("## 2. How many troops?\n\n*no passage says so The closest passage, which does not answer it, "
            "is listed below.*\n\n- [1] ARD · Video summit") in md
    path = export_conversation(conv, tmp_path / "out", now=datetime(2024, 1, 2, 3, 4, 5))
    assert path.name == "byline-20240102-030405.md" and path.read_text(encoding="utf-8") == md
    second = export_conversation(conv, tmp_path / "out", now=datetime(2024, 1, 2, 3, 4, 5))
    assert second != path and second.exists()


def test_short_answer_comes_first_in_bold_with_its_citation_and_read_as_above():
    answer = make_answer()
    answer.short_answer = ShortAnswer("two hours", 1, 30, 39, "duration")
    answer.resolved_question = "How long did Biden and Putin talk?"
    answer.question = "How long did they talk?"
    bold, plain = Style(bold=True), Style()
    text = answer_body(answer, citation=plain, muted=plain, warning=plain, strong=bold)
    assert text.plain.splitlines()[:3] == ["read as: How long did Biden and Putin talk?", "two hours [1]",
                                           "Biden and Putin talked. [1]"]
    start = text.plain.index("two hours")
    assert any(s.start <= start and s.end >= start + 9 and s.style == bold for s in text.spans)
    md = answer_markdown(answer)
    assert md.startswith("*Read as: How long did Biden and Putin talk?*\n\n**two hours** [1]\n\nBiden and Putin")


def test_an_abstention_is_said_once():
    answer = make_answer(abstained=True)
    plain = Style()
    text = answer_body(answer, citation=plain, muted=plain, warning=plain, strong=plain).plain
    assert text == "no passage says so The closest passage, which does not answer it, is under Sources."


def test_quote_copies_with_outlet_title_date_and_url():
    source = make_answer().sources[0]
    assert quote_markdown(source) == ("> Biden and Putin talked for two hours.\n\n"
                                      "— ARD, “Video summit”, 2021-12-07\nhttps://example.org/a1\n")
    untitled = Source(2, "000_x", None, None, None, None, "A quote.", 0, 8)
    assert quote_markdown(untitled, lambda _: "First words of it…") == (
        "> A quote.\n\n— outlet not stated, “First words of it…”\n")


def test_export_keeps_filters_and_read_as(tmp_path):
    conv = Conversation()
    answer = make_answer("What did he say?")
    answer.filters = Filters(("ARD",), date(2021, 12, 1), None, no_date=True)
    answer.resolved_question = "What did Putin say?"
    conv.add("What did he say?", answer)
    md = conversation_markdown(conv)
    assert ("## 1. What did he say?\n\n*Filters: outlet: ARD; since 2021-12-01; or no date stated*\n"
            "*Read as: What did Putin say?*\n") in md
    again = answer_from_dict(json.loads(answer.to_json()))
    assert again.filters == answer.filters and again.resolved_question == "What did Putin say?"


def test_default_export_folder_is_documents_or_data_never_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("BYLINE_EXPORT_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    folder = default_export_dir()
    assert folder.name in ("Byline", "exports") and folder != tmp_path
    monkeypatch.setenv("BYLINE_EXPORT_DIR", str(tmp_path / "mine"))
    assert default_export_dir() == tmp_path / "mine"


def test_history_is_per_index_and_old_files_are_migrated(tmp_path):
    import sqlite3

    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)  # a history file from before per-index history
    db.executescript("CREATE TABLE conversations (id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL, "
                     "created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
                     "INSERT INTO conversations (title, created_at, updated_at) VALUES ('old', '2026', '2026');")
    db.close()
    with HistoryStore(path) as store:
        store.save_turn(Conversation(), "On A?", make_answer(), index="/idx/a")
        store.save_turn(Conversation(), "On B?", make_answer(), index="/idx/b")
        assert [c.title for c in store.list("/idx/a")] == ["On A?"]
        assert [c.title for c in store.list("/idx/a", unrecorded=True)] == ["On A?", "old"]
        assert {c.title: c.index for c in store.list()} == {"On A?": "/idx/a", "On B?": "/idx/b", "old": None}


def test_overview_counts_what_a_filter_leaves_and_finds_titles():
    entries = (ArticleEntry("1", "Video summit on Ukraine", True, "ARD", "2021-12-07"),
               ArticleEntry("2", "Talks in Geneva", True, None, "2022-01-10"),
               ArticleEntry("3", "“No accusing fingers”…", False, None, None),
               ArticleEntry("4", "Putin-Biden: how to avoid war", True, "lefigaro", None))
    ov = Overview(entries)
    assert (ov.articles, ov.outlets, ov.no_outlet, ov.undated) == (4, [("ARD", 1), ("lefigaro", 1)], 2, 2)
    assert ov.date_range == ("2021-12-07", "2022-01-10")
    assert ov.count(Filters(("ard",))) == 1
    assert ov.count(Filters(("ARD",), no_outlet=True)) == 3
    assert ov.count(Filters(no_outlet=True)) == 2
    assert ov.count(Filters(since=date(2022, 1, 1))) == 1
    assert ov.count(Filters(since=date(2022, 1, 1), no_date=True)) == 3
    assert ov.count(Filters(no_date=True)) == 2
    assert [e.id for e in ov.find_titles("avoid w")] == ["4"]
    assert [e.id for e in ov.find_titles("geneva talks")] == ["2"]
    assert ov.find_titles("xyz") == []


def test_first_words_stand_in_for_a_missing_title():
    assert first_words("“No accusing fingers”, according to Washington. “There was room”") == (
        "“No accusing fingers”, according to Washington…")
    assert first_words("one two three four five six seven eight nine ten") == "one two three four five six seven eight…"


def test_filters_form_validates_dates():
    assert build_filters(["ARD"], "2021-12-01", "") == Filters(("ARD",), date(2021, 12, 1), None)
    assert build_filters([], " ", "") == Filters()
    with pytest.raises(ValueError, match="Since: “2021-13-01” is not a date"):
        build_filters([], "2021-13-01", "")
    with pytest.raises(ValueError, match="after until"):
        build_filters([], "2022-01-01", "2021-12-01")


def test_control_characters_become_visible_and_keep_offsets():
    raw = "a\x1b[31mb\x07c\x9bd\te\nf"
    shown = literal(raw)
    assert len(shown) == len(raw)
    assert shown == "a␛[31mb␇c\ufffdd\te\nf"
    assert "\x1b" not in shown and "\x9b" not in shown


def test_cited_span_falls_back_to_the_quote():
    text = "First sentence. The quoted one. Last."
    good = Source(1, "a", None, None, None, None, "The quoted one.", 16, 31)
    assert find_span(text, good) == (16, 31)
    moved = Source(1, "a", None, None, None, None, "The quoted one.", 0, 5)
    assert find_span(text, moved) == (16, 31)
    lost = Source(1, "a", None, None, None, None, "Not there.", 500, 510)
    assert find_span(text, lost) is None


def test_tui_imports_only_qa():
    """tui/ talks to qa/ only: never to index/, faiss or sqlite directly."""
    banned = ("index", "faiss", "sqlite3")
    for path in TUI.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in banned, f"{path.name} imports {name}"


def test_tui_modules_stay_small():
    for path in TUI.rglob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) < 400, path.name
