"""A citation as a reader uses it: the article named the same way in the CLI and in the chat app (its title,
else its first words), and `path:line` where the quoted passage is in the user's own file."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from cli.main import app
from cli.render import source_line
from qa.archive.naming import shown_location
from tui.render import source_heading, source_label

runner = CliRunner()


def _line_of(path: str, quote: str) -> int:
    text = open(path, encoding="utf-8").read()
    return text[: text.index(quote[:40])].count("\n") + 1


def test_an_untitled_article_is_named_by_its_first_words_in_the_cli_and_the_chat_app(assistant):
    answer = assistant.ask("Was there room for jokes during the video summit?")
    source = answer.sources[0]
    assert source.article_id.startswith("000_") and source.title is None
    assert source.name == "“No accusing fingers”, according to Washington…"
    assert source_line(source).plain == "[1] outlet not stated · “No accusing fingers”, according to Washington…"
    assert source_line(source).plain == f"[1] {source_heading(source)}"


def test_a_citation_says_path_and_line_in_the_original_file(seed_index_dir, seed_corpus):
    result = runner.invoke(app, ["ask", "When are the Geneva talks?", "--source", "Le Figaro", "--json",
                                 "--index", str(seed_index_dir)])
    assert result.exit_code == 0, result.output
    source = json.loads(result.stdout)["sources"][0]
    path = str(seed_corpus / "001_1797f815085c3a86.txt")
    assert source["location"] == f"{path}:{_line_of(path, source['quote'])}"
    assert source["start"] > 0 and _line_of(path, source["quote"]) > 1  # the file's line, not the cleaned text's
    shown = runner.invoke(app, ["ask", "When are the Geneva talks?", "--source", "Le Figaro",
                                "--index", str(seed_index_dir)])
    where = shown_location(source["location"])
    assert f"({where})" in "".join(shown.stdout.split())
    # the chat app's sources pane gives the same place under the quote
    from rich.style import Style

    from qa.types import Source
    label = source_label(Source(**{k: source[k] for k in Source.__dataclass_fields__ if k in source}),
                         number=Style(), quote=Style(), meta=Style())
    assert label.plain.splitlines()[-1] == where


def test_a_passage_the_file_no_longer_holds_has_no_location(tmp_path):
    from qa.archive.location import passage_location

    story = tmp_path / "story.txt"
    story.write_text("Headline\n\nThe talks\n   ended without a deal on Monday.\n", encoding="utf-8")
    assert passage_location(str(story), "The talks ended without a deal on Monday.") == f"{story}:3"
    assert passage_location(str(story), "Nothing like this is in the file.") is None
    assert passage_location(str(tmp_path / "gone.txt"), "The talks ended.") is None
    assert passage_location("news.jsonl:12", "Any quote.") == "news.jsonl:12"  # a JSON Lines article is its line


def test_a_quote_with_its_own_quote_marks_is_not_wrapped_again(seed_index_dir):
    shown = runner.invoke(app, ["ask", "Was there room for jokes during the video summit?", "--index",
                                str(seed_index_dir)])
    assert shown.exit_code == 0, shown.output
    assert "“There was room for jokes" in shown.stdout and "““" not in shown.stdout
