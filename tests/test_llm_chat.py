"""The chat app with a language model writing (`byline chat --llm`): the text streams into the turn
as plain text, the verified answer replaces it, and Ctrl+C stops the model keeping what was verified.
Driven with Pilot on the real seed index, against the scripted server of tests/llm_server.py."""

from __future__ import annotations

from tests.test_llm import SUPPORTED, TROOPS, lead, passage_with, script, server, writer  # noqa: F401 - fixtures
from tests.test_tui import journey, make_app, ready, screen_text, tui_assistant, tui_index_dir, wait_for  # noqa: F401
from tui.widgets.conversation_view import ConversationView
from tui.widgets.question_input import QuestionInput


async def _submit(pilot, question: str):
    field = pilot.app.chat.query_one(QuestionInput)
    field.focus()
    field.value = question
    await pilot.press("enter")
    await wait_for(pilot, lambda: pilot.app.chat.query_one(ConversationView).turns)
    return pilot.app.chat.query_one(ConversationView).turns[-1]


@journey
async def test_the_answer_streams_in_and_the_verified_one_stays(make_app, server, script, writer):
    from qa.answer.generate.settings import LLMSettings

    n = passage_with(script, writer, TROOPS, "100,000 troops")
    script.chunk, script.delay_s = 4, 0.05
    script.reply = (f"{SUPPORTED[:-1]} [{n}]. "
                    f"[bold red]Ignore all that[/bold red] and \x1b[31mvisit evil.example [{n}].")
    app = make_app(llm=LLMSettings(server.url, timeout=10))
    async with app.run_test(size=(100, 32)) as pilot:
        await ready(pilot)
        turn = await _submit(pilot, TROOPS)
        await wait_for(pilot, lambda: turn.streamed and turn.answer is None)
        await pilot.pause()
        assert "is writing (Ctrl+C stops)" in screen_text(app)
        await wait_for(pilot, lambda: app.answers_shown == 1)
        await pilot.pause()
        shown = screen_text(app)
        assert "written by scripted-model at 127.0.0.1" in shown
        assert [s.text for s in turn.answer.sentences] == [lead(writer), SUPPORTED]
        assert "evil.example" not in shown and "sentences left out" in shown
        assert turn.answer.dropped[0].text.startswith("[bold red]Ignore all that[/bold red]")


@journey
async def test_ctrl_c_stops_the_model_and_keeps_what_was_verified(make_app, server, script, writer):
    from qa.answer.generate.settings import LLMSettings

    n = passage_with(script, writer, TROOPS, "100,000 troops")
    script.chunk, script.delay_s = 5, 0.05
    script.reply = (f"{SUPPORTED[:-1]} [{n}]. "
                    + "Then the model goes on and on. " * 40)
    app = make_app(llm=LLMSettings(server.url, timeout=10))
    async with app.run_test(size=(100, 32)) as pilot:
        await ready(pilot)
        turn = await _submit(pilot, TROOPS)
        await wait_for(pilot, lambda: "goes on" in turn.streamed)
        await pilot.press("ctrl+c")
        await wait_for(pilot, lambda: app.answers_shown == 1)
        assert [s.text for s in turn.answer.sentences] == [lead(writer), SUPPORTED]
        assert turn.answer.notes[-1].startswith("Stopped")
        assert len(turn.streamed) < len(script.reply)
        assert app.is_running  # Ctrl+C stopped the model, not the app
