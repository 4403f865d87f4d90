"""Bad input is said once and precisely: damaged UTF-8, JSON metadata of the wrong type, filters
naming what the index does not hold, dates in the forms people type; errors are one line, and a
JSON object with `--json` (issue 11, point 12; the one date module of issue 10, point 8)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from cli.main import app
from index.ingest.dates import find_dates, parse_date
from index.ingest.loading import load_paths
from qa.archive.dates import parse_user_date

runner = CliRunner()
FRENCH = ("Le président a déclaré que les négociations étaient « très sérieuses » et qu'un accord "
          "était possible avant l'été. ") * 20


def test_utf8_with_a_few_invalid_bytes_keeps_its_accents_and_says_how_many_were_replaced(tmp_path):
    data = bytearray(FRENCH.encode("utf-8"))
    ascii_at = [i for i in range(100, len(data), 150) if data[i] < 0x80][:7]
    for i in ascii_at:
        data[i] = 0xFF  # seven bytes that are never valid UTF-8, each in place of an ASCII letter
    path = tmp_path / "figaro.txt"
    path.write_bytes(bytes(data))
    (doc,), (issue,) = load_paths([path])
    assert "président" in doc.text and "négociations" in doc.text and "Ã©" not in doc.text
    assert doc.text.count("\ufffd") == 7
    assert issue.message.startswith("7 byte(s) are not valid UTF-8")


def test_a_cp1252_file_is_still_read_as_cp1252(tmp_path):
    path = tmp_path / "old.txt"
    path.write_bytes(FRENCH.encode("cp1252"))
    (doc,), (issue,) = load_paths([path])
    assert "président" in doc.text and issue.message == "not valid UTF-8, decoded as cp1252"


def test_jsonl_metadata_of_the_wrong_type_is_reported_with_its_line_and_epochs_are_dates(tmp_path):
    text = "The talks in Geneva went on for two hours and ended without a deal on Tuesday."
    rows = [{"id": "a", "text": text, "published_at": "not a date"},
            {"id": "b", "text": text, "published_at": 1700000000},
            {"id": "c", "text": text, "source": ["a"], "title": 42},
            {"id": "d", "text": text, "date": 1700000000123}]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    docs, issues = load_paths([path])
    assert [d.published_at for d in docs] == [None, "2023-11-14T22:13:20", None, "2023-11-14T22:13:20"]
    assert docs[2].source is None and docs[2].title is None
    assert [(i.line, i.message) for i in issues] == [
        (1, "\"published_at\" 'not a date' is not a date; dropped"),
        (3, '"title" is a number, not text; dropped'),
        (3, '"source" is a list, not text; dropped'),
    ]


@pytest.mark.parametrize(("typed", "end", "expected"), [
    ("2021-12-07", False, date(2021, 12, 7)),
    ("2021-12", False, date(2021, 12, 1)),
    ("2021-12", True, date(2021, 12, 31)),
    ("2021", True, date(2021, 12, 31)),
    ("2021/12/07", False, date(2021, 12, 7)),
    ("20211207", False, date(2021, 12, 7)),
    ("2021-12-07T23:30:00Z", False, date(2021, 12, 7)),
    ("2021-12-07 10:00", False, date(2021, 12, 7)),
    ("7 Dec 2021", False, date(2021, 12, 7)),
    ("Dec. 7, 2021", False, date(2021, 12, 7)),
    ("December 2021", True, date(2021, 12, 31)),
    ("07.12.2021", False, date(2021, 12, 7)),
])
def test_dates_are_accepted_in_the_forms_people_type(typed, end, expected):
    assert parse_user_date(typed, end=end) == expected


@pytest.mark.parametrize("typed", ["", "  ", "last tuesday", "2021-13-01", "2021-02-30", "12/07/2021"])
def test_anything_else_is_refused_saying_what_to_type(typed):
    with pytest.raises(ValueError, match="YYYY-MM-DD|empty"):
        parse_user_date(typed, label="--since")


@pytest.mark.parametrize(("question", "expected"), [
    ("What did Biden say on Dec. 7, 2021?", ("2021-12-07", "2021-12-07")),
    ("What happened on 7 Dec 2021?", ("2021-12-07", "2021-12-07")),
    ("What happened in December 2021?", ("2021-12-01", "2021-12-31")),
    ("Who spoke after December 7, 2021?", ("2021-12-07", None)),
    ("What happened on 2021-12-07?", ("2021-12-07", "2021-12-07")),
    ("What happened in 2021?", ("2021-01-01", "2021-12-31")),
    ("Who met in December?", None),
    ("Did the sanctions mar the talks?", None),
])
def test_the_dates_a_question_names(question, expected):
    assert find_dates(question) == expected


def test_one_date_parser_for_text_questions_and_filters():
    assert parse_date("Published: Dec. 7, 2021") == "2021-12-07"
    import qa.question.query
    import tui.screens.filters

    assert qa.question.query.find_dates is find_dates
    assert tui.screens.filters.parse_date("Until", "2021-12") == date(2021, 12, 31)


def test_an_inverted_date_range_is_refused(seed_index_dir):
    result = runner.invoke(app, ["ask", "sanctions", "--since", "2021-12-08", "--until", "2021-12-01",
                                 "--index", str(seed_index_dir)])
    assert result.exit_code == 1 and "inverted" in result.output and "swap" in result.output


def test_an_unknown_outlet_lists_the_outlets_and_suggests_the_nearest(seed_index_dir):
    result = runner.invoke(app, ["ask", "sanctions", "--source", "Le Fig", "--index", str(seed_index_dir)])
    assert result.exit_code == 1
    line = result.output.strip()
    assert "\n" not in line and "No outlet 'Le Fig'" in line and "did you mean 'Le Figaro'?" in line
    assert "ARD" in line  # the outlets that are there


def test_an_empty_date_option_is_refused_not_ignored(seed_index_dir):
    result = runner.invoke(app, ["ask", "sanctions", "--since", "", "--index", str(seed_index_dir)])
    assert result.exit_code == 1 and "--since is empty" in result.output


def test_errors_are_one_line_at_any_width_and_json_with_json(tmp_path):
    missing = tmp_path / ("a-very-long-folder-name-" * 6) / "index"
    result = runner.invoke(app, ["index", "stats", "--index", str(missing)])
    assert result.exit_code == 1 and len(result.output.strip()) > 160 and result.output.count("\n") == 1
    result = runner.invoke(app, ["index", "stats", "--index", str(missing), "--json"])
    assert result.exit_code == 1
    error = json.loads(result.stdout)
    assert error["code"] == "index_missing" and error["error"].startswith("No index at")
    result = runner.invoke(app, ["ask", "x", "--since", "soon", "--json", "--index", str(missing)])
    assert json.loads(result.stdout)["code"] == "bad_option"


def test_an_outlet_is_matched_by_its_display_name_or_slug_however_spaced(seed_index_dir):
    for spelt in ("Le Figaro", "lefigaro", "LE FIGARO"):
        result = runner.invoke(app, ["ask", "When are the Geneva talks?", "--source", spelt, "--json",
                                     "--index", str(seed_index_dir)])
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        assert data["sources"] and {s["outlet"] for s in data["sources"]} == {"Le Figaro"}
        assert data["filters"]["outlets"] == ["Le Figaro"]
