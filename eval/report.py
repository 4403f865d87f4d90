"""The run's report: `report.json` (everything, for scripts and `compare`) and `report.md`
(readable on its own, with the PNG plots beside it)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

from eval import aggregate, plots
from eval.definitions import PASS_CHECKS, lead_first, lookup
from eval.runner import Outcome

FORMAT = "byline-eval/1"
MD_FAILURES = 40  # failing questions listed in report.md (all are in report.json)


class ReportError(Exception):
    """A report file cannot be read."""


def build(outcomes: Sequence[Outcome], config: dict) -> dict:
    return {
        "format": FORMAT,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "config": config,
        "counts": aggregate.counts(outcomes),
        "type_counts": dict(Counter(o.type for o in outcomes)),
        "metrics": aggregate.summarize(outcomes),
        "by_type": aggregate.by_type(outcomes),
        "pass_rates": aggregate.pass_rates(outcomes),
        "latency": aggregate.latency([o for o in outcomes if o.error is None]),
        "questions": [o.to_dict() for o in outcomes],
    }


def load(path: str | Path) -> dict:
    """A report.json, given its path or its directory."""
    p = Path(path)
    if p.is_dir():
        p = p / "report.json"
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise ReportError(f"{p}: no such report") from e
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ReportError(f"{p}: not a readable report.json ({e})") from e
    if not isinstance(data, dict) or data.get("format") != FORMAT or "metrics" not in data:
        raise ReportError(f"{p}: not a Byline eval report (expected format {FORMAT})")
    return data


def _fmt(v, name: str = "") -> str:
    if v is None:
        return "–"
    if name.endswith("_ms"):
        return f"{v:.1f}"
    if name in ("errors",):
        return f"{v:.0f}"
    if name == "qps":
        return f"{v:.2f}"
    return f"{v:.3f}"


def _cell(text: str | None, limit: int = 120) -> str:
    t = " ".join((text or "").split())
    t = t if len(t) <= limit else t[: limit - 1] + "…"
    return t.replace("|", "\\|")


def markdown(report: dict, images: dict[str, str]) -> str:
    cfg = report.get("config", {})
    env = cfg.get("environment", {})
    idx = (cfg.get("assistant") or {}).get("index") or {}
    c = report["counts"]
    lines = [
        "# Byline eval report", "",
        f"- Run: {report['created']}, Byline {env.get('byline_version') or '?'}, "
        f"commit `{(env.get('git_commit') or 'unknown')[:12]}`",
        f"- Questions: {c['questions']} from `{cfg.get('questions_file')}`"
        + (f" (types {', '.join(cfg['types'])})" if cfg.get("types") else "")
        + (f" (first {cfg['limit']})" if cfg.get("limit") else "")
        + f"; {c['answerable']} answerable, {c['unanswerable']} unanswerable; "
        f"abstained on {c['abstained']}; errors {c['errors']}",
        f"- Index: `{idx.get('path')}`: {idx.get('articles')} articles, {idx.get('chunks')} chunks; "
        f"model `{idx.get('model')}`, backend {idx.get('backend')}, dimension {idx.get('dimension')}"
        + (f"; corpus `{cfg['corpus']}`" if cfg.get("corpus") else ""),
    ]
    if c.get("unlocated_quotes"):
        lines.append(f"- Note: {c['unlocated_quotes']} gold quotes were not found in the indexed article text; "
                     "they are matched on normalised text instead of spans.")
    if cfg.get("missing_articles"):
        lines.append(f"- Warning: {len(cfg['missing_articles'])} gold articles are not in the index.")
    lines += ["", "## Summary", "", "| metric | value | definition |", "|---|---:|---|"]
    for name in lead_first(report["metrics"]):
        v, d = report["metrics"][name], lookup(name)
        lines.append(f"| {name} | {_fmt(v, name)} | {_cell(d.definition if d else '', 160)} |")
    pr = report.get("pass_rates") or {}
    if pr:
        lines += ["", "Per-question checks (share passing, where applicable): "
                  + ", ".join(f"{k} {_fmt(v)}" for k, v in pr.items()) + "."]

    types = list(report.get("by_type", {}))
    lines += ["", "## By question type", "",
              "| metric | all | " + " | ".join(f"{t} ({report['type_counts'].get(t, 0)})" for t in types) + " |",
              "|---|" + "---:|" * (len(types) + 1)]
    for name in lead_first(report["metrics"]):
        v = report["metrics"][name]
        if name.startswith("latency_") and "_total_" not in name and "_wall_" not in name:
            continue
        row = [_fmt(report["by_type"][t].get(name), name) for t in types]
        lines.append(f"| {name} | {_fmt(v, name)} | " + " | ".join(row) + " |")
    if images.get("by_type"):
        lines += ["", f"![Metrics by question type]({images['by_type']})"]

    lines += ["", "## Latency", "", "| stage | p50 ms | p95 ms | mean ms | questions |", "|---|---:|---:|---:|---:|"]
    for stage, st in report.get("latency", {}).items():
        lines.append(f"| {stage} | {_fmt(st['p50'], '_ms')} | {_fmt(st['p95'], '_ms')} | "
                     f"{_fmt(st['mean'], '_ms')} | {st['n']} |")
    lines += ["", f"Questions per second through ask(): {_fmt(report['metrics'].get('qps'), 'qps')}. "
              "'wall' is the clock time around ask(); other stages are what ask() reports."]
    if images.get("latency"):
        lines += ["", f"![Latency histogram]({images['latency']})"]

    lines += _questions_table(
        "Failing questions", [q for q in report["questions"] if q.get("error") or q["passed"].get("lead") is False
                              and not q["abstained"]],
        "An answerable question is listed when its lead does not give the gold answer (lead_correct), or when it "
        "raised an error; the other per-question checks are shown beside it: "
        + " ".join(f"{k}: {v}" for k, v in PASS_CHECKS.items()))
    lines += _questions_table(
        "Abstention mistakes", [q for q in report["questions"] if not q.get("error") and q["passed"].get("abstention")
                                is False],
        "Abstained on an answerable question, or answered one whose gold answer is null.")
    lines += ["", "## Configuration", "", "```json",
              json.dumps({k: v for k, v in cfg.items() if k != "missing_articles"}, indent=2, ensure_ascii=False,
                         default=str), "```", ""]
    return "\n".join(lines)


def _questions_table(title: str, rows: list[dict], why: str) -> list[str]:
    lines = ["", f"## {title} ({len(rows)})", "", why, "",
             "| id | type | failed | question | gold | answer | top articles |", "|---|---|---|---|---|---|---|"]
    for q in rows[:MD_FAILURES]:
        failed = ", ".join(k for k, v in q["passed"].items() if v is False) or "error"
        ans = q.get("error") or ("(abstained) " + (q.get("reason") or "") if q["abstained"] else q["answer"])
        lines.append(f"| {q['id']} | {q['type']} | {failed} | {_cell(q['question'], 90)} | "
                     f"{_cell(q['gold_answer'] or '(none)', 50)} | {_cell(ans, 110)} | "
                     f"{_cell(', '.join(q['retrieved_articles'][:3]), 70)} |")
    if len(rows) > MD_FAILURES:
        lines.append(f"\n… {len(rows) - MD_FAILURES} more in report.json.")
    return lines


def write(report: dict, out_dir: str | Path) -> dict[str, Path]:
    """Write report.json, report.md and the plots into `out_dir` (created); return the paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"json": out / "report.json", "md": out / "report.md"}
    paths["json"].write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    images: dict[str, str] = {}
    by_type = plots.metrics_by_type(report, out / "metrics_by_type.png")
    if by_type:
        paths["by_type"] = by_type
        images["by_type"] = by_type.name
    lat = plots.latency_histogram(report, out / "latency.png")
    if lat:
        paths["latency"] = lat
        images["latency"] = lat.name
    paths["md"].write_text(markdown(report, images), encoding="utf-8")
    return paths
