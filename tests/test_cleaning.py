"""Cleaning drops page furniture from the seed articles and never a sentence of the story."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import index.corpus
from index.ingest.cleaning import clean_text, sanitize

CORPUS = Path(index.corpus.__file__).parent
QUESTION_FILES = [Path(__file__).resolve().parents[1] / "eval" / name
                  for name in ("seed_questions.jsonl", "new_user_questions.jsonl", "new_user_questions_2.jsonl",
                               "new_user_questions_3.jsonl", "new_user_questions_4.jsonl", "new_user_questions_5.jsonl",
                               "new_user_questions_6.jsonl", "new_user_questions_7.jsonl", "new_user_questions_8.jsonl",
                               "new_user_questions_9.jsonl", "new_user_questions_10.jsonl",
                               "new_user_questions_11.jsonl", "new_user_questions_12.jsonl",
                               "new_user_questions_13.jsonl", "new_user_questions_14.jsonl",
                               "new_user_questions_15.jsonl", "new_user_questions_16.jsonl",
                               "new_user_questions_17.jsonl", "new_user_questions_18.jsonl")]
SEEDS = sorted(path.stem for path in CORPUS.glob("*.txt"))

# Every piece of page furniture in the seeds, by article.
BOILERPLATE = {
    "000_0b5f9bdb6e6698e2": [
        "You have 55.04% of this article to read.",
        "The rest is for subscribers only.",
    ],
    "001_1797f815085c3a86": [
        "The Limited Times",
        "Now you can see non-English news...",
        "2022-01-09T18:38:59.130Z",
        "See also",
        "Ukraine fractured between nostalgia for the former Soviet world and the desire for independence",
        'Faced with Russia, Westerners haunted by the "Munich syndrome"',
        "To read also",
        "Volodymyr Zelensky: “Russia threatens Ukraine to blackmail the West.",
        'Let us join NATO "',
        "Source: lefigaro",
        "All news articles on 2022-01-09",
        "You may like",
        "News/Politics 2024-03-07T02:56:34.373Z",
        "Trends 24h",
        "\nLatest",
        "© Communities 2019 - Privacy",
        "The information on this site is from external sources",
        "The inclusion of any links does not necessarily",
    ],
    "002_ddcd5238461ea3fa": ["Analyses"],
    "003_a9f123cecce3c2d4": ["Source link"],
    "004_2c58ce0929758757": ["Status: 07.12.2021", "source site"],
}


def seed_text(stem: str) -> str:
    return (CORPUS / f"{stem}.txt").read_text(encoding="utf-8")


def cleaned(stem: str) -> str:
    return clean_text(seed_text(stem))


def evidence_quotes() -> list[tuple[str, str, str]]:
    rows = []
    for path in QUESTION_FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            question = json.loads(line)
            for evidence in question["evidence"]:
                rows.append((question["id"], evidence["article_id"], evidence["quote"]))
    return rows


@pytest.mark.parametrize(("stem", "boilerplate"), [(s, b) for s, items in BOILERPLATE.items() for b in items])
def test_page_furniture_is_gone_from_the_cleaned_text(stem: str, boilerplate: str) -> None:
    assert boilerplate in seed_text(stem)  # the test would catch it if it were there
    assert boilerplate not in cleaned(stem)


@pytest.mark.parametrize(("question_id", "article_id", "quote"), evidence_quotes())
def test_every_evidence_quote_survives_cleaning(question_id: str, article_id: str, quote: str) -> None:
    assert quote in cleaned(article_id), f"{question_id}: evidence lost from {article_id}"


@pytest.mark.parametrize("stem", SEEDS)
def test_no_long_line_of_the_story_is_lost(stem: str) -> None:
    text = cleaned(stem)
    furniture = BOILERPLATE[stem]
    story_lines = [
        line.strip()
        for line in seed_text(stem).splitlines()
        if len(line.strip()) > 60 and not any(b.strip() in line for b in furniture)
    ]
    assert story_lines
    lost = [line for line in story_lines if line not in text]
    assert lost == []


def test_all_seed_quotes_were_checked() -> None:
    assert {article for _, article, _ in evidence_quotes()} == set(SEEDS)


@pytest.mark.parametrize(
    ("stem", "first_line"),
    [
        ("000_0b5f9bdb6e6698e2", "“No accusing fingers”, according to Washington."),
        ("001_1797f815085c3a86", "Putin-Biden: how to avoid war in Ukraine"),
        ("002_ddcd5238461ea3fa", "The Biden-Putin video conference: dialogue, but no breakthrough"),
        ("003_a9f123cecce3c2d4", "US, Russia face deep differences ahead of talks with Ukraine"),
        ("004_2c58ce0929758757", "Video summit on the Ukraine conflict: dialogue without concessions"),
    ],
)
def test_the_headline_stays_as_the_first_line(stem: str, first_line: str) -> None:
    assert cleaned(stem).startswith(first_line)


def test_a_short_story_sentence_after_a_see_also_link_is_kept() -> None:
    text = cleaned("001_1797f815085c3a86")
    assert "A series of talks with Russia are taking place this week." in text
    assert "No concessions\n\nBut hopes of reaching an agreement are slim." in text


def test_quotes_split_over_lines_are_left_as_they_are() -> None:
    assert '"I don\'t think we are going to see any breakthrough in the coming week,"\n\nadmitted' in cleaned(
        "001_1797f815085c3a86"
    )


def test_broadcaster_credit_lines_are_kept() -> None:
    text = cleaned("004_2c58ce0929758757")
    assert "Demian von Osten, ARD Moscow, daily topics 10:15 p.m., December 7th, 2021" in text
    assert "Verena Bünten, ARD Washington, with assessments of the video summit" in text


def test_footer_is_gone_and_the_story_ends_where_it_ended() -> None:
    assert cleaned("001_1797f815085c3a86").endswith("taken up with partners and allies later in the week. ”")


def test_paragraphs_are_kept_with_one_blank_line_between() -> None:
    text = cleaned("001_1797f815085c3a86")
    assert "\n\n\n" not in text
    assert "Washington correspondent\n\nInstead of the strategic realignment" in text


@pytest.mark.parametrize("stem", SEEDS)
def test_cleaning_twice_changes_nothing(stem: str) -> None:
    assert clean_text(cleaned(stem)) == cleaned(stem)


def test_a_paragraph_right_after_a_link_label_is_kept() -> None:
    paragraph = (
        "Manchester United will have to find a way back to winning after two major defeats. They were on a "
        "three-match winning run in all competitions when they faced Manchester City in the league."
    )
    assert clean_text(f"The match starts at 3pm.\n\nAlso Read\n\n{paragraph}\n") == f"The match starts at 3pm.\n\n{paragraph}"


def test_inline_read_also_link_is_dropped_but_the_story_around_it_kept() -> None:
    raw = (
        "India reached the semi-final for the seventh time.\n\n"
        "Also Read: ICC World Cup 2023: List of centuries; Most tons so far\n\n"
        "India first reached the semi-final in 1983.\n"
    )
    assert clean_text(raw) == "India reached the semi-final for the seventh time.\n\nIndia first reached the semi-final in 1983."


def test_citations_of_several_sources_are_kept() -> None:
    raw = "The Mets talk to a pitcher.\nSource: Jeff Passan, ESPN\n\nThe Cubs want a catcher.\nSource: MLB\n"
    assert clean_text(raw) == raw.strip()


def test_rich_markup_is_kept_as_text_and_terminal_escapes_are_removed() -> None:
    raw = "Headline with [bold red]markup[/] inside\r\n\x1b[31mRed\x1b[0m text\x07 and a\ttab.\x1b]0;title\x07\r\n"
    assert sanitize(raw) == "Headline with [bold red]markup[/] inside\nRed text and a\ttab.\n"
    assert clean_text(raw) == "Headline with [bold red]markup[/] inside\nRed text and a\ttab."


def test_every_control_character_but_newline_and_tab_is_removed() -> None:
    controls = "".join(chr(c) for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)] if chr(c) not in "\n\t\r")
    assert sanitize(f"a{controls}b\r\nc\rd") == "ab\nc\nd"
    assert sanitize("\ufeffByte order mark first") == "Byte order mark first"
