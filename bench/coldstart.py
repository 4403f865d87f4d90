"""Part 4: one-shot CLI wall time (`byline ask`, `byline --help`), where a cold start's time goes,
and the TUI under `App.run_test()`: time to first paint, and Enter -> answer on screen (median of
three questions per run), with the model loaded in the app's worker and with one handed in."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import ROOT, summary

SPLIT = r"""
import json, time
t0 = time.perf_counter(); r = {}
def lap(name):
    global t0
    t = time.perf_counter(); r[name] = (t - t0) * 1000; t0 = t
import numpy; lap("import numpy")
import tokenizers; lap("import tokenizers")
import onnxruntime; lap("import onnxruntime")
import faiss; lap("import faiss")
import index.api; lap("import index")
import qa; lap("import qa")
import sys
from index.api import Index
ix = Index.open(sys.argv[1]); lap("index open (SQLite)")
ix.encoder; lap("model load")
ix.vectors; lap("vectors load")
ix.close()
a = qa.Assistant.open(sys.argv[1], build_default=False); lap("Assistant.open (again, warm imports)")
a.ask("What did the Kremlin say about the call?"); lap("first ask")
a.ask("Who attended the summit?"); lap("second ask")
print("RESULT" + json.dumps(r))
"""


def _byline() -> list[str]:
    exe = Path(sys.executable).with_name("byline")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "cli.main"]


def _wall(cmd, repeats: int, env) -> dict:
    times = []
    subprocess.run(cmd, capture_output=True, env=env, cwd=ROOT)  # warm the OS file cache
    for _ in range(repeats):
        t = time.perf_counter()
        r = subprocess.run(cmd, capture_output=True, env=env, cwd=ROOT, text=True)
        times.append(time.perf_counter() - t)
        if r.returncode:
            return {"error": r.stderr[-500:]}
    return summary(times)


TUI_QUESTIONS = ("What did the Kremlin say about the call?", "Who attended the summit?",
                 "How long did Biden and Putin talk?")


async def _tui(index_dir: Path | None, assistant, history: Path, export: Path) -> dict:
    """First paint, then Enter -> answer painted for each of TUI_QUESTIONS (the app's own
    `last_answer_ms`: from the Enter key to the refresh that shows the answer)."""
    from tui.app import BylineApp
    from tui.widgets.question_input import QuestionInput

    t = time.perf_counter()
    app = BylineApp(index_dir=index_dir, assistant=assistant, history=history, export_dir=export)
    answers = []
    async with app.run_test() as pilot:
        while app.first_paint_ms is None and time.perf_counter() - t < 60:
            await pilot.pause(0.005)
        paint = (time.perf_counter() - t) * 1000
        while (app.assistant is None or app.chat.overview is None) and time.perf_counter() - t < 120:
            await pilot.pause(0.02)
        ready = (time.perf_counter() - t) * 1000
        for question in TUI_QUESTIONS:
            shown = app.answers_shown
            app.chat.query_one(QuestionInput).value = question
            await pilot.press("enter")
            while app.answers_shown == shown and time.perf_counter() - t < 120:
                await pilot.pause(0.002)
            answers.append(app.last_answer_ms)
    return {"first_paint_ms_app": app.first_paint_ms, "first_paint_ms_outside": paint, "assistant_ready_ms": ready,
            "enter_to_answer_ms": sorted(answers)[len(answers) // 2]}


def run(args) -> dict:
    from index.api import default_corpus_paths
    from qa import Assistant, build_index

    repeats = 1 if args.quick else args.repeats
    tmp = Path(tempfile.mkdtemp(prefix="bybench-cold-"))
    d = tmp / "seed-index"
    build_index(default_corpus_paths(), d)
    env = dict(os.environ)
    out: dict = {"repeats": repeats}
    out["ask_s"] = _wall(_byline() + ["ask", "What did the Kremlin say about the call?", "--index", str(d)], repeats, env)
    out["help_s"] = _wall(_byline() + ["--help"], repeats, env)
    splits = []
    for _ in range(repeats):
        r = subprocess.run([sys.executable, "-c", SPLIT, str(d)], capture_output=True, text=True, cwd=ROOT, env=env)
        line = [x for x in r.stdout.splitlines() if x.startswith("RESULT")]
        if line:
            splits.append(json.loads(line[-1][6:]))
    out["split_ms"] = {k: summary([s[k] for s in splits]) for k in (splits[0] if splits else {})}
    try:
        tui = []
        for _ in range(repeats):
            tui.append(asyncio.run(_tui(d, None, tmp / "h.sqlite", tmp / "exports")))
        a = Assistant.open(d, build_default=False)
        given = [asyncio.run(_tui(None, a, tmp / "h2.sqlite", tmp / "exports")) for _ in range(repeats)]
        a.close()
        out["tui"] = {"cold_loading_in_worker": {k: summary([x[k] for x in tui]) for k in tui[0]},
                      "given_assistant": {k: summary([x[k] for x in given]) for k in given[0]}}
    except Exception as e:  # the TUI is someone else's moving target: report, don't fail
        out["tui"] = {"error": f"{type(e).__name__}: {e}"}
    shutil.rmtree(tmp, ignore_errors=True)
    return out


def table(res: dict):
    from rich.table import Table

    from bench import fmt_s

    t = Table(title=f"4. cold start (median (min–max) of {res['repeats']}; ms unless marked)")
    t.add_column("what")
    t.add_column("time")
    t.add_row("byline ask … --index SEEDS (wall, s)", fmt_s(res["ask_s"], nd=2) if "error" not in res["ask_s"] else res["ask_s"]["error"])
    t.add_row("byline --help (wall, s)", fmt_s(res["help_s"], nd=2) if "error" not in res["help_s"] else res["help_s"]["error"])
    for k, v in res["split_ms"].items():
        t.add_row(f"  split: {k}", fmt_s(v))
    tui = res.get("tui", {})
    if "error" in tui:
        t.add_row("TUI", tui["error"])
    for mode, vals in tui.items():
        if isinstance(vals, dict) and mode != "error":
            for k, v in vals.items():
                t.add_row(f"TUI {mode}: {k}", fmt_s(v))
    return [t]
