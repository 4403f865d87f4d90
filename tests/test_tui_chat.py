"""The chat app without rough edges (issue 25, point 4), driven with Pilot on the real seed index:
examples that get a short answer, a filter dialog that stays open when cleared, Byline's commands
first in the palette, copy messages that say what was copied, the 80×24 layout, keys typed while
the app starts, spaced citation markers, quotes never doubled, and a footer in one order."""

from __future__ import annotations

import os
from datetime import date

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from textual import events  # noqa: E402
from textual.command import CommandList, CommandPalette  # noqa: E402

from qa import Answer, Assistant, Conversation, Filters, Source  # noqa: E402
from qa.conversation.history import HistoryStore  # noqa: E402
from tests.test_tui import (FIRST, SIZE, ask, journey, make_app, ready, screen_text, tui_assistant,  # noqa: E402,F401
                            tui_index_dir, wait_for)
from tui.app import BylineApp  # noqa: E402
from tui.screens.filters import FiltersScreen  # noqa: E402
from tui.widgets.conversation_view import ConversationView  # noqa: E402
from tui.widgets.question_input import QuestionInput  # noqa: E402
from tui.widgets.sources_pane import SourcesPane  # noqa: E402
from tui.widgets.sources_strip import SourcesStrip  # noqa: E402

KREMLIN = "“There was room for jokes and an exchange of compliments”, assures the Kremlin."


def listed(app) -> list[str]:
    """The palette's commands, in order (their first line)."""
    options = app.screen.query_one(CommandList)
    return [str(options.get_option_at_index(i).prompt).split("\n")[0] for i in range(options.option_count)]


async def palette(pilot, query: str, expected: str, last: str | None = None) -> list[str]:
    """Open the palette, type `query`, wait for `expected` (and `last`, when the palette adds its hits
    in batches); the listed commands, in order."""
    app = pilot.app
    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
    await pilot.press(*query)
    await wait_for(pilot, lambda: expected in screen_text(app))
    await wait_for(pilot, lambda: any(name.startswith(last or expected) for name in listed(app)))
    return listed(app)


@journey
async def test_every_welcome_example_gets_a_short_answer(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        examples = app.chat.overview.examples
        assert len(examples) == 3
        assert not any("discuss" in q for q in examples)
        for number, question in enumerate(examples, 1):
            assert f" {number}  {question}" in screen_text(app)
        for number, question in enumerate(examples, 1):
            await pilot.press("ctrl+n", str(number))
            await wait_for(pilot, lambda: app.answers_shown == number)
            await pilot.pause()
            answer = app.chat.conversation.turns[-1].answer
            assert answer.question == question and not answer.abstained
            assert answer.short_answer is not None and answer.short_answer.text.strip()
            shown = app.chat.query_one(ConversationView).turns[-1].render().plain.splitlines()
            assert shown[1] == f"{answer.short_answer.text} [{answer.short_answer.citation}]"


@journey
async def test_clear_all_clears_the_form_and_keeps_the_filter_dialog_open(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: isinstance(app.screen, FiltersScreen))
        dialog = app.screen
        await pilot.press("space")  # the first outlet
        dialog.query_one("#filters-until").value = "2021-12-31"
        dialog.query_one("#filters-no-date").value = True
        await pilot.pause()
        assert "These filters leave" in screen_text(app)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert app.screen is dialog
        assert list(dialog.query_one("#filters-outlets").selected) == []
        assert dialog.query_one("#filters-until").value == "" and not dialog.query_one("#filters-no-date").value
        assert "No filter: all 5 articles." in screen_text(app)
        dialog.query_one("#filters-since").focus()
        await pilot.press(*"2021-12")  # typed after clearing: lands in the dialog, not the question line
        assert dialog.query_one("#filters-since").value == "2021-12"
        assert app.chat.query_one(QuestionInput).value == ""
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is app.chat)
        assert app.chat.filters == Filters(since=date(2021, 12, 1))


@journey
async def test_palette_lists_byline_first_and_offers_the_new_commands(make_app, tmp_path, seed_corpus):
    from qa import build_index

    other = tmp_path / "other-index"
    build_index(sorted(seed_corpus.glob("*.txt"))[:2], other)
    with HistoryStore(tmp_path / "history.sqlite") as store:  # a chat on another index, earlier
        store.save_turn(Conversation(), "A question about the other archive", None, index=str(other))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        names = await palette(pilot, "", "Ask again", last="Screenshot")
        assert names[0] == "Ask again"
        textual = [i for i, name in enumerate(names) if name in ("Quit", "Theme", "Keys", "Screenshot")]
        byline = [i for i, name in enumerate(names) if name in ("Clear filters", "Delete conversation",
                                                                "Copy short answer", "Help")]
        assert len(textual) >= 3 and len(byline) == 4 and max(byline) < min(textual)
        await pilot.press("escape")

        app.chat.set_filters(Filters(outlets=("ARD",)))
        names = await palette(pilot, "clear", "Clear filters")
        assert names[0] == "Clear filters"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is app.chat)
        assert app.chat.filters == Filters()

        answer = await ask(pilot, "How long did Vladimir Putin and Joe Biden talk?")
        await palette(pilot, "copy short", "Copy short answer")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.clipboard == answer.short_answer.text)
        assert any(n.message == f"Copied the short answer: {answer.short_answer.text}" for n in app._notifications)

        await wait_for(pilot, lambda: len(app.history.list(app.chat.info.path)) == 1)
        await palette(pilot, "delete conv", "Delete conversation")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.history.list(app.chat.info.path) == [])
        assert not app.chat.query_one(ConversationView).turns and "Try one" in screen_text(app)

        await palette(pilot, "switch", "Switch index:")
        assert f"Switch index: {other.parent.name}/{other.name}" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.chat.info is not None and app.chat.info.path == str(other), timeout=60)
        await wait_for(pilot, lambda: app.chat.overview is not None)
        assert app.chat.overview.articles == 2 and "2 articles ·" in screen_text(app)
        second = await ask(pilot, FIRST)
        assert {s.article_id for s in second.sources + second.closest} <= {e.id for e in app.chat.overview.entries}


@journey
async def test_copy_messages_say_what_was_copied(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        untitled = "000_0b5f9bdb6e6698e2"  # no title, outlet, date or link in the file
        pane = app.chat.query_one(SourcesPane)
        pane.show(Answer("q", "a [1]", [], [Source(1, untitled, None, None, None, None, KREMLIN, 0, 10)]))
        pane.focus()
        await pilot.press("y")
        assert app._notifications
        message = list(app._notifications)[-1].message
        assert message == "Copied quote [1]; no outlet, title, date or link stated."
        assert "outlet, title, date and link" not in message


@journey
async def test_at_80x24_the_conversation_keeps_the_height_and_f2_opens_the_sources(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        answer = await ask(pilot, FIRST)
        chat = app.chat
        conversation, strip, pane = (chat.query_one(ConversationView), chat.query_one(SourcesStrip),
                                     chat.query_one(SourcesPane))
        assert conversation.outer_size.height >= 12
        assert strip.display and strip.outer_size.height == 1 and not pane.display
        strip_line = next(line for line in screen_text(app).splitlines() if "F2 open" in line)
        assert strip_line.strip().startswith(f"Sources ({len(answer.sources)}) · [1] ")
        footer = screen_text(app).splitlines()[-1]

        await pilot.press("f2")
        assert chat.maximized is pane and pane.display and app.focused is pane
        assert pane.outer_size.height >= 20
        assert screen_text(app).splitlines()[-1] == footer  # the same footer, in the same order
        await pilot.press("f2")
        assert chat.maximized is None and not pane.display and isinstance(app.focused, QuestionInput)
        await pilot.press("tab")
        assert app.focused is conversation
        assert screen_text(app).splitlines()[-1] == footer

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:  # wide: the sources pane beside, no strip
        await ready(pilot)
        await ask(pilot, FIRST)
        assert app.chat.query_one(SourcesPane).display and not app.chat.query_one(SourcesStrip).display


@journey
async def test_keys_typed_while_the_app_starts_reach_the_question_line(tui_index_dir, tmp_path):
    app = BylineApp(index_dir=tui_index_dir, history=tmp_path / "h.sqlite")
    for character in FIRST:  # queued before the app runs: they arrive before the question line exists
        app.post_message(events.Key("space" if character == " " else character, character))
    app.post_message(events.Key("ctrl+j", "\n"))  # a line typed before the terminal left cooked mode
    for character in "Why?":
        app.post_message(events.Key(character, character))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.chat.keys_ready)
        await pilot.pause()
        assert [t.question for t in app.chat.query_one(ConversationView).turns] == [FIRST]
        assert app.chat.query_one(QuestionInput).value == "Why?"
        await wait_for(pilot, lambda: app.answers_shown == 1, timeout=60)
        assert app.chat.conversation.turns[0].question == FIRST


@journey
async def test_citation_markers_are_spaced_and_quote_marks_never_doubled(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        answer = await ask(pilot, FIRST)
        shown = app.chat.query_one(ConversationView).turns[-1].render().plain
        assert answer.sentences and all(f"{s.text.rstrip()} [" in shown for s in answer.sentences)
        assert ".[" not in shown and ".[1]" not in screen_text(app)

        pane = app.chat.query_one(SourcesPane)
        source = Source(1, "000_0b5f9bdb6e6698e2", None, None, None, None, KREMLIN, 0, 10)
        pane.show(Answer("q", "a [1]", [], [source]))
        await pilot.pause()
        label = pane.get_option_at_index(0).prompt.plain
        assert label.splitlines()[-1] == KREMLIN and "““" not in label and "””" not in label
        assert source.quote == KREMLIN  # only the display changes
        app.chat.open_article(source.article_id, source)
        await wait_for(pilot, lambda: app.screen is not app.chat)
        await pilot.pause()
        heading = str(app.screen.query_one("#article-meta").render())
        assert "““" not in screen_text(app) and f"Cited as [1]: {KREMLIN}" in heading
