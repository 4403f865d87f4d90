"""Every bad option value is one line naming the option and what it takes, never a traceback: typer's
own checks (types, ranges, unknown options, missing arguments) and Byline's (--backend, --chunk-stride
beyond --chunk-words, --workers), in-process through typer's CliRunner. `--help` stays typer's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cli.main import app

NOWHERE = "/nonexistent/byline-index"
NOT_INT = st.text(alphabet="abcxyz.,!-+ é", max_size=6).filter(lambda s: not s.strip().lstrip("+-").isdigit())


def _outside(low: int, high: int):
    return st.one_of(st.integers(max_value=low - 1), st.integers(min_value=high + 1)).map(str) | NOT_INT


BAD = st.one_of(
    st.tuples(st.just(["index", "build"]), st.just("--chunk-words"), _outside(4, 512)),
    st.tuples(st.just(["index", "build"]), st.just("--chunk-stride"), _outside(1, 24)),
    st.tuples(st.just(["index", "build"]), st.just("--backend"),
              st.text(max_size=12).filter(lambda s: s not in ("onnx-int8", "onnx", "torch"))),
    st.tuples(st.sampled_from([["index", "build"], ["index", "add", "."]]), st.just("--workers"), _outside(1, 64)),
    st.tuples(st.just(["ask", "Who met?"]), st.just("-k"), _outside(1, 100)),
    st.tuples(st.just(["ask", "Who met?"]), st.sampled_from(["--since", "--until"]),
              st.text(alphabet="xyz!?# ", max_size=8)),
    st.tuples(st.sampled_from([["ask", "Who met?"], ["index", "list"], ["index", "build"]]),
              st.text(alphabet="abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=10).map(lambda s: "--zz" + s),
              st.text(max_size=4)),
)


def _one_line(result) -> str:
    assert result.exit_code not in (0, None)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output and "╭" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    return lines[0]


@settings(max_examples=2000, deadline=None)
@given(case=BAD)
def test_generated_bad_option_values_are_one_line_never_a_traceback(case):
    command, option, value = case
    result = CliRunner().invoke(app, [*command, f"{option}={value}", "--index", NOWHERE])
    _one_line(result)


@pytest.mark.parametrize("args, says", [
    (["--chunk-words", "0"], "'--chunk-words': Input should be greater than or equal to 4 (it takes 4 to 512)"),
    (["--chunk-stride", "0"], "'--chunk-stride': Input should be greater than or equal to 1 (it takes 1 to 512)"),
    (["--chunk-words", "-3"], "'--chunk-words': Input should be greater than or equal to 4 (it takes 4 to 512)"),
    (["--backend", "nope"], "--backend must be one of onnx-int8, onnx, torch"),
    (["--chunk-stride", "30"], "--chunk-stride must be 1 to --chunk-words (24), not 30"),
])
def test_the_reported_bad_values_name_their_option_and_range(args, says):
    line = _one_line(CliRunner().invoke(app, ["index", "build", *args, "--index", NOWHERE]))
    assert says in line


def test_usage_errors_are_one_line_and_json_with_json():
    line = _one_line(CliRunner().invoke(app, ["ask"]))
    assert line == "error: Missing argument 'question'; see byline ask --help"
    result = CliRunner().invoke(app, ["index", "list", "--bogus", "--json"])
    assert json.loads(result.stdout) == {"error": "No such option: --bogus; see byline index list --help",
                                         "code": "bad_option"}
    assert result.exit_code == 2


def test_help_is_unchanged():
    result = CliRunner().invoke(app, ["index", "build", "--help"])
    assert result.exit_code == 0 and "--chunk-words" in result.output and "Follow symlinks" in result.output
    assert "Usage: " in result.output and "╭" in result.output  # typer's help, boxes and all


def test_a_failed_rebuild_leaves_nothing_beside_the_index(seed_index_dir, tmp_path):
    import shutil

    target = Path(shutil.copytree(seed_index_dir, tmp_path / "idx"))
    result = CliRunner().invoke(app, ["index", "build", "--rebuild", "--model", str(tmp_path / "no-model"),
                                      "--index", str(target), "--json"])
    assert "is neither a local folder nor in the local cache" in _one_line(result)
    assert json.loads(result.stdout)["code"] == "bad_input"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["idx", "idx.lock"]  # the index's own lock file stays
    # (as after any write); nothing of the rebuild: no idx.rebuild/, no idx.rebuild.lock
