"""From per-question outcomes to the run's metrics, overall and by question type."""

from __future__ import annotations

from collections.abc import Sequence

from eval import metrics as m
from eval.definitions import CATALOGUE, order_key
from eval.runner import Outcome

PER_QUESTION = [x.name for x in CATALOGUE if x.group in ("retrieval", "multihop", "answer", "citations", "llm")]


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def latency(outcomes: Sequence[Outcome]) -> dict[str, dict[str, float | None]]:
    """p50, p95 and mean ms for every stage any answer reported, plus 'wall'."""
    stages = sorted({k for o in outcomes for k in o.timings})
    out = {}
    for stage in stages:
        xs = [o.timings[stage] for o in outcomes if stage in o.timings]
        out[stage] = {"p50": m.percentile(xs, 50), "p95": m.percentile(xs, 95), "mean": _mean(xs), "n": len(xs)}
    return out


def summarize(outcomes: Sequence[Outcome]) -> dict[str, float | None]:
    """Every metric of the catalogue for these outcomes (None where it has no questions)."""
    res: dict[str, float | None] = {}
    for name in PER_QUESTION:
        vals = [o.scores[name] for o in outcomes if o.scores.get(name) is not None]
        res[name] = _mean(vals)
    ok = [o for o in outcomes if o.error is None]
    res.update(m.abstention_scores([not o.answerable for o in ok], [o.abstained for o in ok]))
    ask_ms = sum(o.timings.get("wall", 0.0) for o in ok)
    res["qps"] = len(ok) / (ask_ms / 1000.0) if ask_ms > 0 else None
    res["errors"] = float(len(outcomes) - len(ok))
    for stage, st in latency(ok).items():
        res[f"latency_{stage}_p50_ms"] = st["p50"]
        res[f"latency_{stage}_p95_ms"] = st["p95"]
    return dict(sorted(res.items(), key=lambda kv: order_key(kv[0])))


def counts(outcomes: Sequence[Outcome]) -> dict[str, int]:
    return {
        "questions": len(outcomes),
        "answerable": sum(o.answerable for o in outcomes),
        "unanswerable": sum(not o.answerable for o in outcomes),
        "abstained": sum(o.abstained for o in outcomes),
        "errors": sum(o.error is not None for o in outcomes),
        "unlocated_quotes": sum(len(o.unlocated_quotes) for o in outcomes),
    }


def by_type(outcomes: Sequence[Outcome]) -> dict[str, dict[str, float | None]]:
    types = list(dict.fromkeys(o.type for o in outcomes))
    return {t: summarize([o for o in outcomes if o.type == t]) for t in types}


def pass_rates(outcomes: Sequence[Outcome]) -> dict[str, float | None]:
    """Share of questions passing each per-question check, over those where it applies."""
    flags = list(dict.fromkeys(k for o in outcomes for k in o.passed))
    out = {}
    for f in flags:
        vals = [o.passed[f] for o in outcomes if o.passed.get(f) is not None]
        out[f] = _mean([float(v) for v in vals])
    return out
