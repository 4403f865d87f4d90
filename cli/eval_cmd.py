"""`byline eval`: score the assistant against a question set; `byline eval compare A B`.

Thin: parse options, call `eval/`, render with rich (eval.present) or print `--json`.
Exit codes: 0 ok; 1 a --min/--max floor failed (or, for compare --fail-on-regression, a
regression); 2 bad input (question file, floor, corpus, index, report).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="Score the assistant against a question set: retrieval, answers, citations, abstention, latency.",
    no_args_is_help=False,
    add_completion=False,
)

EXIT_FLOOR = 1
EXIT_INPUT = 2


def _fail(message: str, code: int = EXIT_INPUT) -> typer.Exit:
    from rich.console import Console
    from rich.text import Text
    Console(stderr=True, highlight=False).print(Text(f"error: {message}", style="bold red"), soft_wrap=True)
    return typer.Exit(code)


def _llm(url: str | None, model: str | None):
    """The `--llm` model, else the config's `[llm]`, else None (nothing of it imported)."""
    from qa.archive.admin import llm_configured
    from qa.errors import BylineError

    try:
        if url is None and model is None and not llm_configured():
            return None
        from qa.answer.generate.settings import resolve

        return resolve(url, model)
    except BylineError as e:
        raise _fail(str(e)) from None


def _cache_root(cache_dir: Path | None) -> Path:
    if cache_dir is not None:
        return cache_dir
    from platformdirs import user_cache_dir
    return Path(user_cache_dir("byline", appauthor=False))


@app.callback(invoke_without_command=True)
def run(
    ctx: typer.Context,
    questions: Annotated[Path | None, typer.Option("--questions", "-q", help="Question set (JSONL). Default: the bundled seed questions.")] = None,
    suite: Annotated[str | None, typer.Option("--suite", help="A question set bundled with Byline, with its articles: multihop (MultiHop-RAG dev, 569 questions, 609 articles).")] = None,
    corpus: Annotated[Path | None, typer.Option("--corpus", help="Articles (a directory or a file) to index for this run; reused by content hash next time.")] = None,
    index: Annotated[str | None, typer.Option("--index", help="Use this index: a folder or qdrant+URL / qdrant+PATH (with --corpus: build it here).")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write report.json, report.md and plots into this directory.")] = None,
    limit: Annotated[int | None, typer.Option("--limit", "-n", help="Only the first N questions (after --types).")] = None,
    types: Annotated[str | None, typer.Option("--types", help="Only these question types, comma-separated.")] = None,
    every: Annotated[int | None, typer.Option("--every", help="Only every N-th question of the file (MultiHop dev: --every 3).")] = None,
    half: Annotated[str | None, typer.Option("--half", help="Only the 'tune' or the 'test' half of the split (eval/splits.py).")] = None,
    floor_min: Annotated[list[str] | None, typer.Option("--min", help="Fail (exit 1) when METRIC < VALUE, e.g. --min hit@5=0.9. Repeatable.")] = None,
    floor_max: Annotated[list[str] | None, typer.Option("--max", help="Fail (exit 1) when METRIC > VALUE, e.g. --max latency_wall_p95_ms=500.")] = None,
    llm: Annotated[str | None, typer.Option("--llm", help="An OpenAI-compatible endpoint (http://HOST:PORT/v1) whose model writes the answers, verified (default: the config's [llm] table).")] = None,
    llm_model: Annotated[str | None, typer.Option("--llm-model", help="The model to ask for at --llm.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the metrics as JSON on stdout (progress goes to stderr).")] = False,
    cache_dir: Annotated[Path | None, typer.Option("--cache-dir", envvar="BYLINE_CACHE", help="Where corpus indexes are cached (default: $BYLINE_CACHE or the user cache dir).", hidden=True)] = None,
) -> None:
    """Run the question set (default command)."""
    if ctx.invoked_subcommand is not None:
        return
    import time

    from cli.progress import stage_progress
    from qa.errors import BylineError

    from eval import floors as fl
    from eval import present
    from eval import report as rep
    from eval.provenance import assistant_config, environment, file_sha256
    from eval.questions import QuestionFileError, default_path, load_questions, select
    from eval.runner import PASSAGE_TOKENS, RETRIEVE_DEPTH, Runner
    from eval.session import SetupError, open_assistant

    try:
        floors = fl.parse_all(floor_min, floor_max)
    except fl.FloorError as e:
        raise _fail(str(e)) from None
    if suite is not None:
        if questions is not None or corpus is not None or index is not None:
            raise _fail("--suite brings its own questions and articles; leave out --questions, --corpus and --index")
        from eval.suites import SuiteError, suite_files

        try:
            questions, corpus = suite_files(suite, _cache_root(cache_dir))
        except (SuiteError, OSError) as e:
            raise _fail(str(e)) from None
    qpath = questions if questions is not None else default_path()
    type_list = [t for t in (types or "").split(",") if t.strip()]
    try:
        chosen = select(load_questions(qpath), type_list, limit, every=every, half=half)
    except QuestionFileError as e:
        raise _fail(str(e)) from None

    err = present.console(stderr=True)
    started = time.perf_counter()
    with stage_progress() as stage:  # bars on a terminal; plain lines every few seconds when piped
        try:
            assistant, index_dir = open_assistant(corpus=corpus, index=index, cache_root=_cache_root(cache_dir),
                                                  progress=stage)
        except (SetupError, BylineError) as e:  # one clear line: missing, corrupt, other model, bad path
            raise _fail(str(e)) from None
        try:
            model = _llm(llm, llm_model)
            if model is not None:  # the model writes, every sentence verified; the same Runner scores it
                from qa.answer.generate.writer import Writer

                assistant = Writer(assistant, model)
            runner = Runner(assistant)
            missing = runner.missing_articles(chosen)
            outcomes = runner.run(chosen, on_result=lambda i, n, o: stage(f"asking {n} questions", i, n))
            config = {
                "suite": suite,
                "questions_file": str(qpath),
                "questions_sha256": file_sha256(qpath),
                "types": type_list or None,
                "limit": limit,
                "every": every,
                "half": half,
                "corpus": str(corpus) if corpus else None,
                "index_dir": str(index_dir),
                "retrieve_depth": RETRIEVE_DEPTH,
                "passage_tokens": PASSAGE_TOKENS,
                "judge": None,
                "llm": model.public() if model is not None else None,
                "assistant": assistant_config(assistant),
                "environment": environment(),
                "run_seconds": round(time.perf_counter() - started, 2),
                "missing_articles": missing,
            }
        finally:
            close = getattr(assistant, "close", None)
            if callable(close):
                close()

    report = rep.build(outcomes, config)
    paths = rep.write(report, out) if out is not None else None
    failed = fl.failures(report["metrics"], floors)
    if as_json:
        data = {k: v for k, v in report.items() if k != "questions"}
        data["floor_failures"] = failed
        data["report"] = str(paths["json"]) if paths else None
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
        present.print_floor_failures(err, failed)
    else:
        out_console = present.console()
        out_console.print(present.run_summary(report, paths))
        present.print_floor_failures(out_console, failed)
    if failed:
        raise typer.Exit(EXIT_FLOOR)


@app.command("compare")
def compare_cmd(
    a: Annotated[Path, typer.Argument(help="The earlier report.json (or its directory).")],
    b: Annotated[Path, typer.Argument(help="The later report.json (or its directory).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the comparison as JSON on stdout.")] = False,
    floor_min: Annotated[list[str] | None, typer.Option("--min", help="Fail (exit 1) when B's METRIC < VALUE.")] = None,
    floor_max: Annotated[list[str] | None, typer.Option("--max", help="Fail (exit 1) when B's METRIC > VALUE.")] = None,
    fail_on_regression: Annotated[bool, typer.Option("--fail-on-regression", help="Exit 1 when any metric regressed.")] = False,
) -> None:
    """Compare two runs: metric deltas, regressions marked, questions that flipped."""
    from eval import floors as fl
    from eval import present
    from eval import report as rep
    from eval.compare import compare

    try:
        floors = fl.parse_all(floor_min, floor_max)
        ra, rb = rep.load(a), rep.load(b)
    except (fl.FloorError, rep.ReportError) as e:
        raise _fail(str(e)) from None
    result = compare(ra, rb)
    failed = fl.failures(rb["metrics"], floors)
    if fail_on_regression and result["regressions"]:
        failed.append("regressed: " + ", ".join(result["regressions"]))
    if as_json:
        result["floor_failures"] = failed
        sys.stdout.write(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n")
    else:
        out_console = present.console()
        out_console.print(present.compare_view(result))
        present.print_floor_failures(out_console, failed)
    if failed:
        raise typer.Exit(EXIT_FLOOR)
