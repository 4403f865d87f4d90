"""Yes/no figures of an eval report, by half and type: lead_correct, balanced accuracy over the Yes and No
gold answers (the mean of the share of Yes answered Yes and of No answered No; a constant answer scores
0.5), the share answered "the articles don't say", abstain recall on unanswerable questions and wrong
abstentions on answerable ones.

    python -m eval.yes_no out/report.json [--every 3]
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict

from eval.metrics import gold_polarity, verdict_of
from eval.splits import half_of


def figures(questions: list[dict]) -> dict:
    answerable = [q for q in questions if q["answerable"]]
    null = [q for q in questions if not q["answerable"]]
    out: dict = {"n": len(questions)}
    if answerable:
        out["lead_correct"] = round(sum(q["scores"].get("lead_correct") or 0 for q in answerable) / len(answerable), 3)
        out["wrong_abstain"] = round(sum(q["abstained"] for q in answerable) / len(answerable), 3)
    if null:
        out["abstain_recall"] = round(sum(q["abstained"] for q in null) / len(null), 3)
    polar = [q for q in answerable if gold_polarity(q["gold_answer"])]
    if polar:
        said = [(gold_polarity(q["gold_answer"]), None if q["abstained"] else verdict_of(q["answer"].split("\n")[0]))
                for q in polar]
        rates = [sum(s == g for g, s in said if g == c) / n for c in ("yes", "no")
                 if (n := sum(g == c for g, _ in said))]
        out["yes_no"] = len(polar)
        out["balanced"] = round(sum(rates) / len(rates), 3)
        out["unsaid"] = round(sum(s is None for _, s in said) / len(said), 3)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("report")
    args = ap.parse_args(argv)
    questions = json.load(open(args.report, encoding="utf-8"))["questions"]
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for q in questions:
        for half in (half_of(q["id"]), "all"):
            for kind in (q["type"], "all"):
                groups[(half, kind)].append(q)
    for (half, kind), qs in sorted(groups.items()):
        print(f"{half:5s} {kind:13s} {json.dumps(figures(qs))}")


if __name__ == "__main__":
    main()
