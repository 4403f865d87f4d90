"""Part `integrity`: the acceptance probes of issues 11 and 24, on copies of a seed index
(`--probes partial,kills,corruption,concurrency` picks some).

- kills: `byline index add` of 10 new articles killed with SIGKILL after a seeded random delay
  (uniform from 30% to 105% of the measured length of the whole add: past the start-up), N trials; plus one injected fault at each
  named point (`index.faults.POINTS`). Counted: indexes failing `verify --full`, half-present articles.
- corruption: random bytes over the vector file's data, and over one in-use SQLite page (seeded),
  T trials each. Counted: caught by verify, by the next ask (before any answer), by the next add
  (before any write: the files are byte-identical after); vector damage repaired to a `verify --full`
  pass without loading the model.
- partial (issue 24, `bench.partial_damage`): 8-64 random bytes in random pages of the database,
  20 seeded trials: caught by verify, refused by ask and add, and what repair made of it.
- concurrency: asks (one long-lived assistant) and verifies (fresh opens) beside a writer process
  doing add/remove cycles (at least the number asked, and on until the last read). Counted: false damage reports, wrong citations; and how many questions an
  open assistant needs to cite an article another process has just added.
"""

from __future__ import annotations

import hashlib
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench import ROOT

SEED = 20261129
PROBES = ("partial", "kills", "corruption", "concurrency")  # --probes picks some (default: all)


def _tools():
    sys.path.insert(0, str(ROOT))
    import tests.integrity_tools as tools

    return tools


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _check(index_dir: Path, allowed_articles: set[int]) -> dict:
    from index.api import Index

    tools = _tools()
    index = Index.open(index_dir)
    try:
        problems = index.verify(full=True)
        articles = index.stats().articles
    finally:
        index.close()
    return {"verify_failed": bool(problems), "problems": problems, "half_present": tools.half_present(index_dir),
            "articles": articles, "all_or_nothing": articles in allowed_articles}


def kills(base: Path, work: Path, trials: int) -> dict:
    tools = _tools()
    new = tools.write_articles(work / "kill-articles", ROOT / "index" / "corpus", 10, seed=3)
    before = _check(base, {5})["articles"]
    after = before + len(new)
    cmd = [sys.executable, "-m", "cli.main", "index", "add", *map(str, new), "--index"]
    probe = work / "kill-probe"
    shutil.copytree(base, probe)
    t = time.perf_counter()
    subprocess.run([*cmd, str(probe)], cwd=ROOT, capture_output=True, check=True)
    full = time.perf_counter() - t
    rng = np.random.default_rng(SEED)
    out = {"full_add_s": round(full, 2), "trials": [], "faults": {}}
    for i in range(trials):
        target = work / f"kill-{i}"
        shutil.copytree(base, target)
        delay = float(rng.uniform(0.3 * full, 1.05 * full))  # past start-up, up to just after the end
        proc = subprocess.Popen([*cmd, str(target)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        alive = proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        result = _check(target, {before, after})
        out["trials"].append({"delay_s": round(delay, 3), "killed_mid_run": alive, **result})
        shutil.rmtree(target)
    from index.faults import POINTS

    for point in POINTS:
        target = work / f"fault-{point}"
        shutil.copytree(base, target)
        if point == "during_swap":
            done = tools.byline("index", "build", "--rebuild", "--index", str(target), fault=point)
            allowed = {before}
        else:
            done = tools.byline("index", "add", *map(str, new), "--index", str(target), fault=point)
            allowed = {before, after}
        out["faults"][point] = {"killed": done.returncode == -9, **_check(target, allowed)}
        shutil.rmtree(target)
    t = out["trials"]
    out["summary"] = {
        "trials": len(t), "killed_mid_run": sum(x["killed_mid_run"] for x in t),
        "landed_before_commit": sum(x["articles"] == before for x in t),
        "landed_after_commit": sum(x["articles"] == after for x in t),
        "failing_verify": sum(x["verify_failed"] for x in t) + sum(f["verify_failed"] for f in out["faults"].values()),
        "half_present_articles": sum(x["half_present"] for x in t) + sum(f["half_present"] for f in out["faults"].values()),
        "not_all_or_nothing": sum(not x["all_or_nothing"] for x in t) + sum(
            not f["all_or_nothing"] for f in out["faults"].values()),
        "fault_points_killed": sum(f["killed"] for f in out["faults"].values()),
        "fault_points": len(out["faults"]),
    }
    return out


def _reader_catches(target: Path) -> tuple[bool, bool]:
    """(the next ask refuses before answering, the next add refuses and writes nothing)."""
    from index.api import Index
    from qa import Assistant
    from qa.errors import BylineError

    tools = _tools()
    try:
        assistant = Assistant.open(target, build_default=False)
        assistant.ask("How many soldiers had Russia gathered near the Ukrainian border?")
        assistant.close()
        ask_caught = False
    except BylineError:
        ask_caught = True
    def state() -> dict:  # the database and vector files (not SQLite's -wal/-shm working files)
        return {f.name: _digest(f) for f in target.iterdir() if f.name == "byline.sqlite" or f.suffix == ".faiss"}

    files = state()
    extra = tools.write_articles(target.parent / (target.name + "-new"), ROOT / "index" / "corpus", 1, seed=9)
    try:
        index = Index.open(target)
        index.add_paths(extra)
        index.close()
        add_caught = False
    except BylineError:
        add_caught = files == state()
    return ask_caught, add_caught


def corruption(base: Path, work: Path, trials: int) -> dict:
    from index.api import Index

    tools = _tools()
    out = {}
    for kind in ("vector_bytes", "sqlite_page"):
        rows = []
        for i in range(trials):
            target = work / f"{kind}-{i}"
            shutil.copytree(base, target)
            rng = np.random.default_rng(SEED + i)
            if kind == "vector_bytes":
                tools.damage_vectors(target, rng)
            else:
                tools.damage_page(target, rng)
            try:
                index = Index.open(target)
                verify_caught = bool(index.verify())
                index.close()
            except Exception as exc:  # noqa: BLE001 - a one-line BylineError on open counts as caught
                verify_caught = type(exc).__name__.endswith("Error") and "\n" not in str(exc)
            ask_caught, add_caught = _reader_catches(target)
            row = {"verify": verify_caught, "ask": ask_caught, "add": add_caught}
            if kind == "vector_bytes":
                index = Index.open(target)
                index.repair()
                row["repair_without_model"] = index.reader._encoder is None
                index.close()
                index = Index.open(target)
                row["verify_full_after_repair"] = index.verify(full=True) == []
                index.close()
            rows.append(row)
            shutil.rmtree(target)
        out[kind] = {"trials": rows, "summary": {k: sum(r[k] for r in rows) for k in rows[0]} | {"of": len(rows)}}
    return out


def concurrency(base: Path, work: Path, cycles: int, asks: int, verifies: int, name: str = "concurrency") -> dict:
    """One article added and removed per cycle (the fastest commits: the most chances to catch a
    reader between two of them). The pre-fix code gave 12 false damage reports in 400 verifies
    beside 300 such cycles (see the note of issue 11)."""
    tools = _tools()
    target = work / name / "idx"
    target.parent.mkdir()
    shutil.copytree(base, target)
    extra = tools.write_articles(work / f"{name}-articles", ROOT / "index" / "corpus", 1, seed=21)
    t = time.perf_counter()
    result = tools.concurrency_probe(target, extra, cycles, asks, verifies)
    result["wall_s"] = round(time.perf_counter() - t, 1)
    result["false_damage_reports"] = len(result["false_damage"])
    return result


def _new_article_latency(base: Path, work: Path, trials: int = 5) -> list[int]:
    """Questions an open assistant needs before it cites an article committed by another process."""
    from qa import Assistant

    tools = _tools()
    target = work / "latency"
    shutil.copytree(base, target)
    assistant = Assistant.open(target, build_default=False)
    seen = []
    for i in range(trials):
        story = work / f"zeppelin{i}.txt"
        story.write_text(f"Zeppelin number {i} lands in Moscow\n\nA bright orange zeppelin numbered {i} landed on the "
                         "Kremlin roof on Wednesday, witnesses said.\n", encoding="utf-8")
        assert tools.byline("index", "add", str(story), "--index", str(target)).returncode == 0
        for n in range(1, 4):
            answer = assistant.ask(f"Where did zeppelin number {i} land?")
            if any(s.article_id == story.stem for s in answer.sources):
                break
        else:
            n = -1
        seen.append(n)
    assistant.close()
    return seen


def run(args) -> dict:
    quick = args.quick
    with tempfile.TemporaryDirectory(prefix="byline-integrity-") as tmp:
        work = Path(tmp)
        base = work / "base"
        from qa import build_index
        from index.api import default_corpus_paths

        build_index(default_corpus_paths(), base)
        probes = set((args.probes or ",".join(PROBES)).split(","))
        out = {}
        if "partial" in probes:
            from bench.partial_damage import probe

            out["partial_damage"] = probe(base, work, 6 if quick else 20)
        if "kills" in probes:
            out["kills"] = kills(base, work, 3 if quick else 50)
        if "corruption" in probes:
            out["corruption"] = corruption(base, work, 2 if quick else 10)
        if "concurrency" in probes:
            out["concurrency"] = concurrency(base, work, *((10, 40, 10) if quick else (100, 500, 100)))
            out["concurrency_stress"] = concurrency(base, work, *((20, 10, 40) if quick else (300, 100, 400)),
                                                    name="stress")
            out["concurrency"]["seen_within"] = _new_article_latency(base, work)
    return out


def table(res: dict):
    from rich.table import Table

    t = Table(title="integrity (issue 11 and 24 acceptance probes)")
    t.add_column("probe")
    t.add_column("result")
    if "partial_damage" in res:
        p = res["partial_damage"]["summary"]
        t.add_row("partial damage", f"{p['trials']} trials of 8-64 random bytes in a random page, {p['changed']} changed "
                  f"a stored value: verify caught {p['caught_by_verify']}, --full {p['caught_by_verify_full']}; "
                  f"{p['refused_reading_them']}/{p['changed_rows_answers_read']} refused when their rows are read, "
                  f"ask refused {p['ask_refused']}, add refused {p['add_refused']}; repair: {p['repair_equal']} equal "
                  f"to a clean build, {p['repair_named']} named the articles to re-add (then equal), "
                  f"{p['repair_refused']} refused (unreadable), {p['repair_permanent']} made damage permanent")
    if "kills" not in res:
        return [t]
    k = res["kills"]["summary"]
    t.add_row("kills", f"{k['trials']} seeded SIGKILLs ({k['killed_mid_run']} mid-run; {k['landed_before_commit']} "
                       f"before / {k['landed_after_commit']} after the commit) + {k['fault_points_killed']}/"
                       f"{k['fault_points']} named faults: {k['failing_verify']} failing verify, "
                       f"{k['half_present_articles']} half-present, {k['not_all_or_nothing']} not all-or-nothing")
    for kind, v in res.get("corruption", {}).items():
        s = v["summary"]
        t.add_row(f"corruption: {kind}", ", ".join(f"{key} {n}/{s['of']}" for key, n in s.items() if key != "of"))
    for name in ("concurrency", "concurrency_stress"):
        if name not in res:
            continue
        c = res[name]
        seen = f"; new article cited after {c['seen_within']} question(s)" if "seen_within" in c else ""
        t.add_row(name, f"{c['asks']} asks, {c['verifies']} verifies beside {c['cycles']} add/remove cycles: "
                        f"{c['false_damage_reports']} false damage reports, {c['wrong_citations']} wrong citations "
                        f"of {c['citations']}{seen}")
    return [t]
