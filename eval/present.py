"""Rich rendering for `byline eval`: the summary table and the comparison. Text from reports is
always wrapped in `rich.text.Text`, never read as markup."""

from __future__ import annotations

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from eval.definitions import LEAD_METRICS

HEADLINE = (*LEAD_METRICS, "hit@1", "hit@5", "mrr@10", "ndcg@10", "evidence_recall@10", "mh_hits@4", "mh_hits@10",
            "mh_mrr@10", "answer_correct", "answer_f1", "citation_precision", "citation_recall", "abstain_f1",
            "wrong_abstain_rate", "latency_wall_p50_ms", "latency_wall_p95_ms", "qps")


def fmt(v, name: str = "") -> str:
    if v is None:
        return "–"
    if name.endswith("_ms"):
        return f"{v:.1f}"
    if name == "qps":
        return f"{v:.2f}"
    if name == "errors":
        return f"{v:.0f}"
    return f"{v:.3f}"


def summary_table(report: dict) -> Table:
    """Headline metrics (rows) overall and for each question type (columns)."""
    types = list(report.get("by_type", {}))
    c = report["counts"]
    table = Table(title=f"Byline eval: {c['questions']} questions ({c['answerable']} answerable), "
                        f"errors {c['errors']}", title_justify="left")
    table.add_column("metric", no_wrap=True)
    table.add_column(Text(f"all ({c['questions']})"), justify="right", style="bold")
    for t in types:
        table.add_column(Text(f"{t} ({report['type_counts'].get(t, 0)})"), justify="right")
    for name in HEADLINE:
        if name not in report["metrics"]:
            continue
        table.add_row(Text(name), fmt(report["metrics"][name], name),
                      *[fmt(report["by_type"][t].get(name), name) for t in types])
    return table


def run_summary(report: dict, paths: dict | None) -> Group:
    parts = [summary_table(report)]
    metrics = report["metrics"]
    if metrics.get("verified_rate") is not None:  # byline eval --llm
        drops = ", ".join(f"{k[len('dropped_'):]} {v:.3f}" for k, v in metrics.items()
                          if k.startswith("dropped_") and v)
        ttft = metrics.get("latency_llm_ttft_p50_ms")
        parts.append(Text(f"llm: verified_rate {metrics['verified_rate']:.3f}; dropped (share of sentences): "
                          f"{drops or 'none'}; time to first token p50 {fmt(ttft, '_ms')} ms"))
    if report["counts"].get("unlocated_quotes"):
        parts.append(Text(f"note: {report['counts']['unlocated_quotes']} gold quotes not found verbatim in the "
                          "indexed text; matched on normalised text", style="yellow"))
    missing = report.get("config", {}).get("missing_articles") or []
    if missing:
        parts.append(Text(f"warning: {len(missing)} gold articles are not in the index "
                          f"(e.g. {missing[0]}): wrong --corpus or --index?", style="yellow"))
    if paths:
        parts.append(Text(f"report: {paths['md']}  ({paths['json'].name} beside it)"))
    return Group(*parts)


def compare_view(result: dict) -> Group:
    table = Table(title="Metrics: A → B", title_justify="left")
    for col, just in (("metric", "left"), ("A", "right"), ("B", "right"), ("Δ", "right"), ("", "left")):
        table.add_column(col, justify=just)
    for r in result["metrics"]:
        delta = "–" if r["delta"] is None else f"{r['delta']:+.3f}" if not r["metric"].endswith("_ms") \
            else f"{r['delta']:+.1f}"
        style = {"REGRESSION": "bold red", "better": "green"}.get(r["status"], "")
        table.add_row(Text(r["metric"]), fmt(r["a"], r["metric"]), fmt(r["b"], r["metric"]), delta,
                      Text("" if r["status"] == "same" else r["status"], style=style))
    parts = [Text(f"A: {result['a']['created']} ({result['a']['questions']} questions)   "
                  f"B: {result['b']['created']} ({result['b']['questions']} questions)")]
    if not result["same_questions"]:
        parts.append(Text("warning: the two runs used different question sets", style="yellow"))
    parts.append(table)
    fl = result["flips"]
    if fl["regressed"]:
        t = Table(title=f"Was right, now wrong ({len(fl['regressed'])})", title_justify="left")
        for col in ("id", "type", "check", "question", "answer now"):
            t.add_column(col, overflow="fold")
        for r in fl["regressed"]:
            t.add_row(Text(r["id"]), Text(r["type"] or ""), Text(r["check"]), Text(r["question"] or ""),
                      Text((r["answer_b"] or "")[:160]))
        parts.append(t)
    parts.append(Text(f"{len(fl['regressed'])} checks regressed, {len(fl['fixed'])} fixed"
                      + (f"; {len(fl['only_in_a'])} questions only in A" if fl["only_in_a"] else "")
                      + (f"; {len(fl['only_in_b'])} only in B" if fl["only_in_b"] else "")))
    return Group(*parts)


def print_floor_failures(out: Console, failures: list[str]) -> None:
    """One unwrapped line per floor not met, so scripts can grep them."""
    for f in failures:
        out.print(Text(f"floor failed: {f}", style="bold red"), soft_wrap=True)


def console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False)
