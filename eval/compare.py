"""Compare two reports: metric deltas side by side, regressions marked, per-question flips."""

from __future__ import annotations

from eval.definitions import higher_is_better, order_key

RATE_TOLERANCE = 0.005  # a 0-1 metric must move by more than this to count as changed
LATENCY_TOLERANCE = 0.10  # latency and qps: relative change


def _changed(name: str, a: float, b: float) -> int:
    """+1 better, -1 worse, 0 within tolerance."""
    delta = b - a
    if name.endswith("_ms") or name == "qps":
        if a == 0 or abs(delta) / abs(a) <= LATENCY_TOLERANCE:
            return 0
    elif name == "errors":
        if delta == 0:
            return 0
    elif abs(delta) <= RATE_TOLERANCE:
        return 0
    better = delta > 0 if higher_is_better(name) else delta < 0
    return 1 if better else -1


def metric_rows(a: dict, b: dict) -> list[dict]:
    names = sorted(set(a) | set(b), key=order_key)
    rows = []
    for n in names:
        va, vb = a.get(n), b.get(n)
        delta = vb - va if va is not None and vb is not None else None
        change = _changed(n, va, vb) if delta is not None else 0
        rows.append({"metric": n, "a": va, "b": vb, "delta": delta,
                     "status": {1: "better", -1: "REGRESSION", 0: "same"}[change]})
    return rows


def flips(a: dict, b: dict) -> dict[str, list[dict]]:
    """Per question and per check: was right, now wrong ('regressed') and the reverse ('fixed')."""
    qa = {q["id"]: q for q in a.get("questions", [])}
    qb = {q["id"]: q for q in b.get("questions", [])}
    regressed, fixed = [], []
    for qid in qa.keys() & qb.keys():
        pa, pb = qa[qid].get("passed", {}), qb[qid].get("passed", {})
        for check in pa.keys() & pb.keys():
            was, now = pa[check], pb[check]
            if was is None or now is None or was == now:
                continue
            row = {"id": qid, "type": qb[qid].get("type"), "check": check, "question": qb[qid].get("question"),
                   "answer_a": qa[qid].get("answer"), "answer_b": qb[qid].get("answer")}
            (regressed if was else fixed).append(row)
    order = {q["id"]: i for i, q in enumerate(b.get("questions", []))}
    regressed.sort(key=lambda r: (order.get(r["id"], 0), r["check"]))
    fixed.sort(key=lambda r: (order.get(r["id"], 0), r["check"]))
    return {"regressed": regressed, "fixed": fixed,
            "only_in_a": sorted(qa.keys() - qb.keys()), "only_in_b": sorted(qb.keys() - qa.keys())}


def compare(a: dict, b: dict) -> dict:
    rows = metric_rows(a["metrics"], b["metrics"])
    by_type = {}
    for t in sorted(set(a.get("by_type", {})) & set(b.get("by_type", {}))):
        by_type[t] = [r for r in metric_rows(a["by_type"][t], b["by_type"][t]) if r["status"] != "same"]
    cfg_a, cfg_b = a.get("config", {}), b.get("config", {})
    return {
        "a": {"created": a.get("created"), "questions": a["counts"]["questions"],
              "commit": (cfg_a.get("environment") or {}).get("git_commit")},
        "b": {"created": b.get("created"), "questions": b["counts"]["questions"],
              "commit": (cfg_b.get("environment") or {}).get("git_commit")},
        "same_questions": cfg_a.get("questions_sha256") == cfg_b.get("questions_sha256")
        and a["counts"]["questions"] == b["counts"]["questions"],
        "metrics": rows,
        "regressions": [r["metric"] for r in rows if r["status"] == "REGRESSION"],
        "by_type_changes": by_type,
        "flips": flips(a, b),
    }
