"""The report's PNG plots (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

from pathlib import Path

from eval.definitions import LEAD_METRICS

BY_TYPE_METRICS = (*LEAD_METRICS, "hit@5", "mrr@10", "evidence_recall@10", "mh_hits@10", "answer_correct",
                   "citation_precision", "citation_recall", "abstain_f1")


def _pyplot():
    import matplotlib
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt
    return plt


def metrics_by_type(report: dict, path: str | Path) -> Path | None:
    """Grouped bars: a few headline metrics (x) for each question type (one bar colour each)."""
    by_type = report.get("by_type") or {}
    if not by_type:
        return None
    plt = _pyplot()
    import numpy as np

    names = [n for n in BY_TYPE_METRICS
             if any(v.get(n) is not None for v in by_type.values()) or report["metrics"].get(n) is not None]
    groups = {"all": report["metrics"], **by_type}
    x = np.arange(len(names))
    width = 0.8 / len(groups)
    fig, ax = plt.subplots(figsize=(max(7.0, 1.3 * len(names)), 4.2), dpi=110)
    for i, (label, vals) in enumerate(groups.items()):
        ys = [vals.get(n) if vals.get(n) is not None else 0.0 for n in names]
        count = (report.get("type_counts") or {}).get(label, report["counts"]["questions"] if label == "all" else "")
        ax.bar(x + (i - (len(groups) - 1) / 2) * width, ys, width, label=f"{label} ({count})")
    ax.set_xticks(x, names, rotation=25, ha="right")
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("score (0-1)")
    ax.set_title("Metrics by question type (missing bars: not applicable)")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8, ncols=min(len(groups), 5), loc="upper center", bbox_to_anchor=(0.5, -0.28))
    fig.tight_layout()
    out = Path(path)
    fig.savefig(out)
    plt.close(fig)
    return out


def latency_histogram(report: dict, path: str | Path) -> Path | None:
    """Histogram of the per-question time inside ask() ('wall'), p50 and p95 marked."""
    xs = [q["timings"]["wall"] for q in report.get("questions", []) if "wall" in q.get("timings", {})]
    if not xs:
        return None
    plt = _pyplot()
    lat = report.get("latency", {}).get("wall", {})
    fig, ax = plt.subplots(figsize=(7.0, 3.6), dpi=110)
    ax.hist(xs, bins=min(40, max(5, len(xs) // 3)), color="#4477aa")
    for key, style in (("p50", "--"), ("p95", ":")):
        if lat.get(key) is not None:
            ax.axvline(lat[key], color="black", linestyle=style, label=f"{key} {lat[key]:.0f} ms")
    ax.set_xlabel("ms per question inside ask()")
    ax.set_ylabel("questions")
    ax.set_title(f"Answer latency ({len(xs)} questions)")
    ax.legend()
    fig.tight_layout()
    out = Path(path)
    fig.savefig(out)
    plt.close(fig)
    return out
