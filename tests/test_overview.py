"""qa.archive.overview on the real seed index: what the first screen says, what a filter leaves, and the
"no outlet" / "no date" filters applied inside the searches."""

from __future__ import annotations

import re
from datetime import date

import pytest

from qa import Filters

FILTERS = [
    Filters(outlets=("ARD",)),
    Filters(outlets=("ard", "LeFigaro")),
    Filters(no_outlet=True),
    Filters(outlets=("ARD",), no_outlet=True),
    Filters(since=date(2022, 1, 1)),
    Filters(since=date(2022, 1, 1), no_date=True),
    Filters(no_date=True),
    Filters(outlets=("lefigaro",), until=date(2021, 12, 31)),
]


@pytest.fixture(scope="module")
def overview(assistant):
    return assistant.overview()


def test_overview_says_what_the_seeds_hold(overview):
    assert overview.articles == 5
    assert overview.outlets == [("ARD", 1), ("Le Figaro", 1)]
    assert (overview.no_outlet, overview.undated) == (3, 3)
    assert overview.date_range == ("2021-12-07", "2022-01-09")
    untitled = [e for e in overview.entries if not e.titled]
    assert [e.title for e in untitled] == ["“No accusing fingers”, according to Washington…"]


def test_example_questions_come_from_the_index(overview, assistant):
    examples = overview.examples
    assert len(examples) == 3 and len(set(examples)) == 3
    texts = " ".join(assistant.article(e.id).text for e in overview.entries)
    for question in examples:
        assert question.endswith("?") and len(question) <= 70
        names = re.findall(r"[A-Z][a-z]+(?: [A-Z][a-z]+)*", question[5:])  # after "What "
        assert names and all(name in texts for name in names)
        answer = assistant.ask(question)  # each example gets a short answer, not words of the question
        assert not answer.abstained and answer.short_answer is not None
        assert answer.short_answer.text.strip().casefold() not in question.casefold()


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: f.describe())
def test_the_count_a_filter_leaves_matches_the_search_filter(filters, overview, assistant):
    chunk_ids = assistant.index.filter_ids(filters.outlets, filters.since and filters.since.isoformat(),
                                           filters.until and filters.until.isoformat(),
                                           filters.no_outlet, filters.no_date)
    articles = {row.article_id for row in assistant.index.chunks([int(i) for i in chunk_ids]).values()}
    assert overview.count(filters) == len(articles)


def test_no_date_filter_answers_from_undated_articles_only(assistant, overview):
    answer = assistant.ask("What did Biden and Putin discuss?", filters=Filters(no_date=True))
    shown = answer.closest if answer.abstained else answer.sources
    undated = {e.id for e in overview.entries if e.day is None}
    assert shown and {s.article_id for s in shown} <= undated
    assert answer.filters == Filters(no_date=True)


def test_title_search_finds_titles_and_first_words(overview):
    assert [e.title for e in overview.find_titles("video")] == [
        "Video summit on the Ukraine conflict: dialogue without concessions",
        "The Biden-Putin video conference: dialogue, but no breakthrough"]
    assert [e.id for e in overview.find_titles("accusing")] == ["000_0b5f9bdb6e6698e2"]
