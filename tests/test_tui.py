"""The terminal UI, driven with Pilot on a real index of the seed articles.

One Assistant is opened for the whole session and handed to each app (`assistant=`), so every
test starts at "ready" without reloading the model.
"""

from __future__ import annotations

import asyncio
import functools
import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import pytest  # noqa: E402

from qa import Assistant  # noqa: E402
from qa.history import HistoryStore  # noqa: E402
from tui.app import BylineApp  # noqa: E402
from tui.screens.article import ArticleScreen  # noqa: E402
from tui.screens.filters import FiltersScreen  # noqa: E402
from tui.screens.help import HelpScreen  # noqa: E402
from tui.screens.history import HistoryScreen  # noqa: E402
from tui.widgets.conversation_view import ConversationView  # noqa: E402
from tui.widgets.filter_bar import FilterBar  # noqa: E402
from tui.widgets.question_input import QuestionInput  # noqa: E402
from tui.widgets.sources_pane import SourcesPane  # noqa: E402

SIZE = (100, 32)
FIRST = "When did Biden and Putin hold their video call?"
FOLLOW_UP = "What did Putin ask for?"
ABSTAIN = "Who won the 2018 World Cup?"  # the seeds are about the Dec. 2021 Biden-Putin call
MARKUP = "[bold red]ALERT[/bold red]"


@pytest.fixture(scope="session")
def tui_index_dir(request, tmp_path_factory):
    """The shared seed index when conftest provides one, else one built here once."""
    try:
        return request.getfixturevalue("seed_index_dir")
    except pytest.FixtureLookupError:
        path = tmp_path_factory.mktemp("tui-idx")
        Assistant.open(path).close()
        return path


@pytest.fixture(scope="session")
def tui_assistant(request, tui_index_dir):
    """The session's shared Assistant when conftest provides one, else one opened here."""
    try:
        shared = request.getfixturevalue("assistant")
    except pytest.FixtureLookupError:
        shared = None
    if shared is not None:
        yield shared
        return
    assistant = Assistant.open(tui_index_dir)
    yield assistant
    assistant.close()


@pytest.fixture
def make_app(tui_assistant, tmp_path):
    def make(assistant=tui_assistant, **kw) -> BylineApp:
        return BylineApp(assistant=assistant, history=tmp_path / "history.sqlite",
                         export_dir=tmp_path / "exports", **kw)
    return make


def journey(test):
    """Run an async Pilot story as a plain pytest test (no asyncio plugin needed)."""
    @functools.wraps(test)
    def run(*args, **kwargs):
        asyncio.run(test(*args, **kwargs))
    return run


def screen_text(app) -> str:
    """What the terminal shows right now, as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def wait_for(pilot, condition, timeout: float = 30.0) -> None:
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("timed out waiting for the app")


async def ask(pilot, question: str, *, type_it: bool = False):
    """Ask as a user does (Enter in the question line) and wait until the answer is on screen."""
    app = pilot.app
    shown = app.answers_shown
    field = app.chat.query_one(QuestionInput)
    field.focus()
    if type_it:
        await pilot.press(*question)
    else:
        field.value = question
    await pilot.press("enter")
    await wait_for(pilot, lambda: app.answers_shown > shown)
    await pilot.pause()
    return app.chat.conversation.turns[-1].answer


@journey
async def test_ask_open_source_follow_up_and_export(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "ready" in screen_text(app) and "articles" in screen_text(app)
        answer = await ask(pilot, FIRST, type_it=True)
        assert not answer.abstained and answer.sources
        text = screen_text(app)
        assert FIRST in text and "[1]" in text
        assert f"Sources ({len(answer.sources)})" in text
        assert app.last_answer_ms is not None and app.last_answer_ms > 0

        await pilot.press("tab", "tab")  # question line -> conversation -> sources
        assert isinstance(app.focused, SourcesPane)
        source = answer.sources[0]
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ArticleScreen))
        await pilot.pause()
        viewer = app.screen
        start, end = viewer.span
        assert viewer.article.text[start:end].strip() == source.quote.strip()
        body = viewer.body
        cited = viewer.get_component_rich_style("article--cited")
        assert any(s.start <= start and s.end >= end and s.style == cited for s in body.spans)
        scroll = viewer.query_one("#article-scroll")
        assert scroll.scroll_y <= viewer.span_line < scroll.scroll_y + scroll.size.height
        assert (source.title or source.outlet or "")[:20] in screen_text(app)

        await pilot.press("escape")
        assert app.screen is app.chat
        assert len(app.chat.query_one(ConversationView).turns) == 1

        follow = await ask(pilot, FOLLOW_UP)
        assert len(app.chat.conversation) == 2 and follow.question == FOLLOW_UP
        assert len(app.chat.query_one(ConversationView).turns) == 2

        await pilot.press("ctrl+e")
        await pilot.pause()
        exported = app.chat.last_export
        assert exported and os.path.exists(exported)
        assert str(tmp_path / "exports") in exported
        md = open(exported, encoding="utf-8").read()
        assert FIRST in md and FOLLOW_UP in md
        assert f"> {' '.join(source.quote.split())}" in md
        assert any(exported in n.message for n in app._notifications)  # the path is shown

    with HistoryStore(tmp_path / "history.sqlite") as store:
        assert [c.turns for c in store.list()] == [2]


@journey
async def test_abstention_shows_reason_and_closest_passages(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        answer = await ask(pilot, ABSTAIN)
        assert answer.abstained
        text = screen_text(app)
        assert "No answer in the archive" in text
        if answer.closest:
            assert "Closest passages" in text
            assert len(app.chat.query_one(SourcesPane).sources) == len(answer.closest)


@journey
async def test_outlet_filter_is_visible_and_applies(make_app, tui_assistant):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: isinstance(app.screen, FiltersScreen))
        dialog = app.screen
        outlet = dialog.outlets[0]
        await pilot.click("#filters-since")
        await pilot.press(*"2021-99-01", "enter")
        assert isinstance(app.screen, FiltersScreen)
        assert "is not a date" in screen_text(app)
        dialog.query_one("#filters-since").value = ""
        dialog.query_one("#filters-outlets").focus()
        await pilot.press("space")  # choose the first outlet
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is app.chat)
        assert app.chat.filters.sources == (outlet,)
        assert app.chat.query_one(FilterBar).display
        assert f"Filters: outlet: {outlet}" in screen_text(app)

        answer = await ask(pilot, "What did Biden and Putin discuss?")
        shown = answer.sources or answer.closest
        assert all((s.outlet or "").lower() == outlet.lower() for s in shown)
        assert "filtered: outlet:" in screen_text(app)


@journey
async def test_markup_and_escapes_are_shown_literally(make_app, tmp_path_factory):
    from qa import build_index

    folder = tmp_path_factory.mktemp("markup-src")
    article = folder / "alert.txt"
    article.write_text(
        "Markup test article\n\n"
        f"The council published a notice that read {MARKUP} in its headline on Monday. "
        "The notice also carried a stray \x1b[31m escape sequence from an old terminal.\n\n"
        "The council said the alert was a test and nobody needed to act.\n",
        encoding="utf-8")
    index_dir = tmp_path_factory.mktemp("markup-idx")
    build_index([article], index_dir)
    assistant = Assistant.open(index_dir, build_default=False)
    try:
        app = make_app(assistant=assistant)
        async with app.run_test(size=SIZE) as pilot:
            question = f"What did the notice {MARKUP} say?"
            await ask(pilot, question)
            text = screen_text(app)
            assert question in text  # the question itself, not styled
            pane = app.chat.query_one(SourcesPane)
            assert pane.sources, "the article should be cited or shown as closest"
            pane.focus()
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, ArticleScreen))
            await pilot.pause()
            text = screen_text(app)
            assert MARKUP in text
            assert "\x1b" not in text
            if "\x1b" in app.screen.article.text:
                assert "␛[31m" in text
            body = app.screen.body
            assert MARKUP in body.plain and not any("red" in str(s.style) for s in body.spans)
    finally:
        assistant.close()


@journey
async def test_empty_and_punctuation_questions(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")  # nothing typed: nothing asked
        assert not app.chat.query_one(ConversationView).turns
        app.chat.query_one(QuestionInput).value = "?!?"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.chat.state == "ready"
                       and not app.chat.query_one(ConversationView).turns)
        assert any(n.severity == "warning" for n in app._notifications)
        assert "Traceback" not in screen_text(app)


@journey
async def test_question_asked_while_loading_is_answered(tui_index_dir, tmp_path):
    app = BylineApp(index_dir=tui_index_dir, history=tmp_path / "h.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.first_paint_ms is not None
        app.chat.query_one(QuestionInput).value = FIRST
        await pilot.press("enter")
        if app.assistant is None:
            assert "waiting for the model" in screen_text(app)
        await wait_for(pilot, lambda: app.answers_shown == 1, timeout=60)
        assert app.chat.conversation.turns[0].question == FIRST
        assert "ready" in screen_text(app)


@journey
async def test_history_reopen_new_and_delete(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ask(pilot, FIRST)
        await pilot.press("ctrl+n")
        assert not app.chat.query_one(ConversationView).turns
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        assert FIRST in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is app.chat)
        await pilot.pause()
        assert [t.question for t in app.chat.conversation.turns] == [FIRST]
        assert "[1]" in screen_text(app)
        await pilot.press("up")  # the reopened question is in the input history
        assert app.chat.query_one(QuestionInput).value == FIRST
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.press("delete")
        await pilot.pause()
        assert "No stored conversations yet." in screen_text(app)
        await pilot.press("escape")


@journey
async def test_help_opens_and_closes(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        assert "Ctrl+E" in screen_text(app)
        await pilot.press("escape")
        assert app.screen is app.chat
        await pilot.press(*"why?")  # "?" in the question line is typed, not a shortcut
        assert app.screen is app.chat
        assert app.chat.query_one(QuestionInput).value == "why?"


# --- snapshots (pytest --snapshot-update to accept changes) ------------------------------------

def test_snapshot_chat_with_answer(snap_compare, make_app):
    async def run_before(pilot):
        await ask(pilot, FIRST)
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_snapshot_article_viewer(snap_compare, make_app):
    async def run_before(pilot):
        await ask(pilot, FIRST)
        pilot.app.chat.query_one(SourcesPane).focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ArticleScreen))
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_snapshot_help(snap_compare, make_app):
    async def run_before(pilot):
        await pilot.press("f1")
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
