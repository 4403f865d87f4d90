"""Untrusted names are harmless: ids, titles, outlets, authors, URLs and file names holding terminal
escape sequences (ESC, BEL, C1, OSC 52 clipboard writes, OSC 8 links) never reach a terminal raw, in
the CLI, the chat app or an export, while `--json` keeps their exact values; a question loses its
escape sequences whole. 1,000 generated cases through the presenters, then a real index end to end."""

from __future__ import annotations

import asyncio
import io
import json
import re
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console
from typer.testing import CliRunner

from cli.main import app
from cli.render import fail, print_json, source_line, table
from qa import Source
from qa.archive.untrusted import without_escapes
from qa.question.query import check_question
from tui.export import quote_markdown, source_markdown
from tui.render import source_heading, source_label

RAW = re.compile(r"[\x07\x1b\x80-\x9f]")  # BEL, ESC and the C1 controls
SEQUENCES = [
    "\x1b[31m", "\x1b[0m", "\x1b[2J", "\x1b]52;c;ZXZpbCBjbGlwYm9hcmQ=\x07", "\x1b]8;;https://evil.example\x1b\\",
    "\x1b]8;;\x1b\\", "\x1b]0;pwned\x07", "\x9b31m", "\x9d8;;https://evil.example\x9c", "\x1bPq#0;2;0;0;0\x1b\\",
    "\x1bc", "\x07", "\x85", "\x9b", "\x1b", "\x7f", "\r", "\x08",
]
HOSTILE = st.lists(st.one_of(st.sampled_from(SEQUENCES), st.text(max_size=6),
                             st.characters(min_codepoint=0, max_codepoint=0x9f)), max_size=8).map("".join)
SAFE_WORDS = st.text(alphabet="abcdefghij KLMNO?", min_size=1, max_size=12)
CSI_OR_OSC = st.sampled_from([s for s in SEQUENCES if len(s) > 2])


def _rendered(*renderables) -> str:
    out = io.StringIO()
    console = Console(file=out, width=100, color_system=None, highlight=False, soft_wrap=False)
    for r in renderables:
        console.print(r)
    return out.getvalue()


def _source(article_id: str, title: str, outlet: str) -> Source:
    return Source(1, article_id, title, outlet, "2021-12-07", "https://x.example/" + title, "A quote " + title, 0, 8)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(article_id=HOSTILE, title=HOSTILE, outlet=HOSTILE)
def test_generated_escape_sequences_never_reach_the_terminal_and_json_keeps_them(article_id, title, outlet):
    source = _source(article_id, title, outlet)
    cli = _rendered(table("Articles", ["id", "title", "outlet", "date"], [[article_id, title, outlet, "2021-12-07"]]),
                    source_line(source))
    err = io.StringIO()
    with redirect_stderr(err), pytest.raises(BaseException):
        fail(f"No article with id or path {article_id!r}")
    chat = source_label(source, number="bold", quote="", meta="dim").plain + source_heading(source)
    export = source_markdown(source) + quote_markdown(source)
    for shown in (cli, err.getvalue(), chat, export):
        assert RAW.search(shown) is None
    out = io.StringIO()
    with redirect_stdout(out):
        print_json({"id": article_id, "title": title, "outlet": outlet})
    assert RAW.search(out.getvalue()) is None
    assert json.loads(out.getvalue()) == {"id": article_id, "title": title, "outlet": outlet}


@settings(max_examples=300, deadline=None)
@given(before=SAFE_WORDS, sequence=CSI_OR_OSC, after=SAFE_WORDS)
def test_a_question_loses_escape_sequences_whole(before, sequence, after):
    assert without_escapes(before + sequence + after) == before + after


def test_the_reported_question_fragment_is_gone():
    question, _ = check_question("Wh\x1b[31mo met?", 500)
    assert question == "Who met?"


QUESTION = "When did Biden and Putin hold a video call?"
HOSTILE_ARTICLES = [
    {"id": "evil\x1b]52;c;ZXZpbA==\x07id", "title": "Title \x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\ here",
     "source": "Outlet\x9b31m\x07", "author": "Ann\x1b[2J Lee", "url": "https://x.example/\x1b[31ma",
     "tags": ["sum\x07mit"],
     "text": "Biden and Putin held a video call on Tuesday, December 7, 2021, officials said. "
             "The talks covered troops near the border and sanctions."},
    {"id": "plain-1", "title": "Summit talks", "source": "Reuters",
     "text": "The summit in Geneva lasted two hours, and the presidents agreed to keep talking."},
]


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    feed = folder / "feed\x1b[31m.jsonl"
    feed.write_text("\n".join(json.dumps(a) for a in HOSTILE_ARTICLES) + "\n", encoding="utf-8")
    location = folder / "idx"
    built = CliRunner().invoke(app, ["index", "build", str(folder), "--index", str(location)])
    assert built.exit_code == 0 and RAW.search(built.output) is None, built.output
    return location


def test_a_real_index_lists_answers_and_errs_without_raw_escapes(hostile_index):
    runner = CliRunner()
    listed = runner.invoke(app, ["index", "list", "--index", str(hostile_index)])
    assert listed.exit_code == 0 and RAW.search(listed.output) is None and "evil␛]52;c;ZXZpbA==␇id" in listed.output
    as_json = runner.invoke(app, ["index", "list", "--index", str(hostile_index), "--json"])
    assert RAW.search(as_json.stdout) is None
    assert {row["id"] for row in json.loads(as_json.stdout)} == {a["id"] for a in HOSTILE_ARTICLES}
    asked = runner.invoke(app, ["ask", QUESTION, "--index", str(hostile_index)])
    assert asked.exit_code == 0 and RAW.search(asked.output) is None
    assert "[1] Outlet · Title click here" in asked.output  # the Sources line: stored without the escapes
    assert "feed␛[31m.jsonl:1)" in asked.output  # the file name as it is, its controls made visible
    missing = runner.invoke(app, ["index", "remove", "gone\x1b]52;c;eA==\x07", "--index", str(hostile_index)])
    assert missing.exit_code == 1 and RAW.search(missing.output) is None
    assert len(missing.stderr.strip().splitlines()) == 1


def test_the_chat_app_and_its_export_show_hostile_names_literally(hostile_index, tmp_path):
    from qa import Assistant
    from tui.app import BylineApp
    from tui.screens.article import ArticleScreen
    from tui.widgets.question_input import QuestionInput

    assistant = Assistant.open(hostile_index, build_default=False)

    async def story():
        chat = BylineApp(assistant=assistant, history=tmp_path / "history.sqlite", export_dir=tmp_path / "exports")
        async with chat.run_test(size=(100, 32)) as pilot:
            for _ in range(600):
                if chat.chat.overview is not None:
                    break
                await pilot.pause(0.05)
            shown = chat.answers_shown
            chat.chat.query_one(QuestionInput).value = QUESTION
            chat.chat.query_one(QuestionInput).focus()
            await pilot.press("enter")
            for _ in range(600):
                if chat.answers_shown > shown:
                    break
                await pilot.pause(0.05)
            await pilot.pause()
            screen = "\n".join(strip.text for strip in chat.screen._compositor.render_strips())
            await pilot.press("tab", "tab", "enter")
            for _ in range(200):
                if isinstance(chat.screen, ArticleScreen):
                    break
                await pilot.pause(0.05)
            await pilot.pause()
            viewer = "\n".join(strip.text for strip in chat.screen._compositor.render_strips())
            await pilot.press("escape")
            await pilot.press("ctrl+e")
            for _ in range(200):
                if chat.chat.last_export is not None:
                    break
                await pilot.pause(0.05)
            exported = Path(chat.chat.last_export).read_text(encoding="utf-8")
            return screen, viewer, exported

    try:
        screen, viewer, exported = asyncio.run(story())
    finally:
        assistant.close()
    assert "Outlet" in screen and "Title" in viewer
    assert "by Ann Lee" in viewer and "tags: summit" in viewer  # author and tags kept, stored without escapes
    for shown in (screen, viewer, exported):
        assert RAW.search(shown) is None


def test_author_and_tags_are_stored_and_go_with_their_article(hostile_index, tmp_path):
    import shutil

    from index.api import Index

    copy = Path(shutil.copytree(hostile_index, tmp_path / "idx"))
    index = Index.open(copy)
    evil = HOSTILE_ARTICLES[0]["id"]
    row = index.article(evil)
    assert (row.author, row.tags, row.url) == ("Ann Lee", ("summit",), "https://x.example/a")
    assert (index.article("plain-1").author, index.article("plain-1").tags) == (None, ())
    assert index.remove([evil]) == [evil] and index.verify() == []
    index.close()
