"""Headline, outlet and date are read from the article text, and never guessed."""

from __future__ import annotations

from pathlib import Path

import pytest

import index.corpus
from index.ingest.metadata import extract_metadata, parse_date

CORPUS = Path(index.corpus.__file__).parent


def seed_text(stem: str) -> str:
    return (CORPUS / f"{stem}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("stem", "title", "source", "published_at"),
    [
        # Opens straight with a 200-character body sentence: there is no headline line.
        ("000_0b5f9bdb6e6698e2", None, None, None),
        ("001_1797f815085c3a86", "Putin-Biden: how to avoid war in Ukraine", "lefigaro", "2022-01-09T18:38:59"),
        # "Analyses" is a section label above the headline; dates in the text have no year.
        ("002_ddcd5238461ea3fa", "The Biden-Putin video conference: dialogue, but no breakthrough", None, None),
        # Ends with "Source link" but names no outlet; "Jan. 9-10" has no year.
        ("003_a9f123cecce3c2d4", "US, Russia face deep differences ahead of talks with Ukraine", None, None),
        # "Status: 07.12.2021 11:54 p.m." is German day.month; ARD from "Demian von Osten, ARD Moscow, ..."
        ("004_2c58ce0929758757", "Video summit on the Ukraine conflict: dialogue without concessions", "ARD", "2021-12-07"),
    ],
)
def test_seed_article_metadata(
    stem: str, title: str | None, source: str | None, published_at: str | None
) -> None:
    expected = {"title": title, "source": source, "published_at": published_at}
    assert extract_metadata(seed_text(stem)) == expected


def test_footer_date_of_another_article_is_not_the_publication_date() -> None:
    text = (
        "Talks in Geneva end without a deal\n\n"
        "The delegations left Geneva on Monday after seven hours of talks.\n\n"
        "You may like\n\nNews/Politics 2024-03-07T02:56:34.373Z\n\nTrends 24h\n"
    )
    assert extract_metadata(text)["published_at"] is None


def test_date_line_far_below_the_headline_is_not_the_publication_date() -> None:
    paragraphs = "\n\n".join(f"Paragraph {n} of the story, about the talks." for n in range(1, 10))
    text = f"Talks in Geneva end without a deal\n\n{paragraphs}\n\n2024-03-07T02:56:34.373Z\n"
    assert extract_metadata(text)["published_at"] is None


def test_date_inside_a_sentence_is_not_taken() -> None:
    text = "Summit ends without a deal\nOn December 7th, 2021 the presidents spoke by video for two hours.\n"
    assert extract_metadata(text)["published_at"] is None


def test_labelled_date_line_under_the_headline_is_taken() -> None:
    text = "Summit ends without a deal\nPublished: Dec. 7, 2021 at 10:15 GMT\nThe presidents spoke by video.\n"
    assert extract_metadata(text)["published_at"] == "2021-12-07"


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("2022-01-09T18:38:59.130Z", "2022-01-09T18:38:59"),
        ("2023-11-27 08:45:59.000000000Z", "2023-11-27T08:45:59"),
        ("2021-12-07", "2021-12-07"),
        ("Status: 07.12.2021 11:54 p.m.", "2021-12-07"),
        ("December 7th, 2021", "2021-12-07"),
        ("7 December 2021", "2021-12-07"),
        ("Dec. 7, 2021", "2021-12-07"),
        ("Tue, 07 Dec 2021 23:54:00 GMT", "2021-12-07"),
        ("Sept. 1, 2023", "2023-09-01"),
    ],
)
def test_date_formats_are_normalised_to_iso(written: str, iso: str) -> None:
    assert parse_date(written) == iso


@pytest.mark.parametrize("written", ["31.02.2021", "December 7", "2021-13-01", "yesterday", ""])
def test_impossible_or_incomplete_dates_stay_unknown(written: str) -> None:
    assert parse_date(written) is None


def test_markdown_heading_is_the_title_without_its_marks() -> None:
    assert extract_metadata("# Talks in Geneva end without a deal\n\nBody text.\n")["title"] == (
        "Talks in Geneva end without a deal"
    )


def test_first_line_ending_with_a_full_stop_is_body_not_title() -> None:
    assert extract_metadata("The talks ended without a deal on Monday.\nMore text here.\n")["title"] is None


def test_several_source_lines_are_citations_not_the_outlet() -> None:
    text = (
        "Trade rumours roundup\n\nThe Mets are in talks with a pitcher.\nSource: Jeff Passan, ESPN\n\n"
        "The Cubs want a catcher.\nSource: MLB\n\nThe Cubs signed him.\nSource: ESPN\n"
    )
    assert extract_metadata(text)["source"] is None


def test_masthead_names_the_site_when_no_source_line_does() -> None:
    text = "The Limited Times\n\nTalks in Geneva end without a deal\n\nBody text of the story.\n"
    assert extract_metadata(text) == {
        "title": "Talks in Geneva end without a deal",
        "source": "The Limited Times",
        "published_at": None,
    }


def test_outlets_have_display_names_from_the_data_file_whatever_the_spelling():
    from index.ingest.outlets import display_name, outlet_key

    for given in ("lefigaro", "Le Figaro", "LE-FIGARO", "le  figaro"):
        assert display_name(given) == "Le Figaro"
    assert outlet_key("The Guardian") == outlet_key("guardian")
    assert display_name("tagesschau") == "ARD"  # an alias of the data file
    assert display_name("The Roar | Sports Writers Blog") == "The Roar | Sports Writers Blog"  # unknown: as given
    assert display_name(None, "https://www.lefigaro.fr/international/x") == "Le Figaro"  # from the web address
    assert display_name(None, "https://example.com/x") is None


def test_day_first_dotted_and_unambiguous_slashed_datelines_are_dates():
    story = "\n\nThe two delegations met for seven hours on Monday and agreed to meet again.\n"
    for line, day in (("21.01.2022", "2022-01-21"), ("Paris, 21.01.2022", "2022-01-21"),
                      ("BERLIN – 07.12.2021 11:54", "2021-12-07"), ("21/01/2022", "2022-01-21"),
                      ("Published: 01/21/2022 10:32", "2022-01-21")):
        meta = extract_metadata("Talks in Geneva end without a deal\n\n" + line + story)
        assert meta["published_at"] == day, line
    assert extract_metadata("Talks in Geneva end without a deal\n\n01/02/2022" + story)["published_at"] is None
