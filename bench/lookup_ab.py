"""Leads with and without the fitted answer scorer, on the same questions and the same index:
each question is asked twice by one assistant, once with the hand rules alone choosing the short
answer (`Composer.scorer = None`) and once with the shipped scorer (`qa/answer/answer_scorer.json`,
`QASettings.short_answer_gate` on), and
scored as `byline eval` scores leads (`eval.metrics.lead_correct`, `wrong_lead`), per half of the
split (`eval.splits`).

    python -m bench.lookup_ab --questions FILE --index DIR [--types T] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def _lead(answer) -> tuple[str | None, str | None]:
    if answer.abstained:
        return None, None
    short = answer.short_answer.text if answer.short_answer else None
    return short, answer.sentences[0].text if answer.sentences else None


def main(argv=None) -> int:
    from eval import metrics as m
    from eval.questions import load_questions
    from eval.splits import half_of
    from qa import Assistant
    from qa.answer.scorer import load
    from qa.settings import QASettings

    p = argparse.ArgumentParser(prog="python -m bench.lookup_ab", description=__doc__.split("\n\n")[0])
    p.add_argument("--questions", required=True)
    p.add_argument("--index", required=True)
    p.add_argument("--types")
    p.add_argument("--out")
    args = p.parse_args(argv)
    questions = [q for q in load_questions(Path(args.questions)) if not q.context]
    if args.types:
        questions = [q for q in questions if q.type in set(args.types.split(","))]
    assistant = Assistant.open(args.index, build_default=False, settings=QASettings(short_answer_gate=True))
    fitted = load()
    rows = []
    for q in questions:
        row = {"id": q.id, "half": half_of(q.id), "answerable": q.answerable}
        for name, scorer in (("rules", None), ("scorer", fitted)):
            assistant.composer.scorer = scorer
            answer = assistant.ask(q.question)
            short, first = _lead(answer)
            row[name] = {"abstained": answer.abstained, "short": short,
                         "lead_correct": q.answerable and m.lead_correct(short, first, q.answer),
                         "wrong_lead": q.answerable and not answer.abstained and m.wrong_lead(short, first, q.answer)}
        rows.append(row)
    report = {}
    for half in ("tune", "test", "all"):
        sel = [r for r in rows if half == "all" or r["half"] == half]
        ans = [r for r in sel if r["answerable"]]
        null = [r for r in sel if not r["answerable"]]
        report[half] = {"answerable": len(ans), "null": len(null), **{
            name: {"lead_correct": round(sum(r[name]["lead_correct"] for r in ans) / max(1, len(ans)), 3),
                   "wrong_lead": round(sum(r[name]["wrong_lead"] for r in ans) / max(1, len(ans)), 3),
                   "wrong_abstain": round(sum(r[name]["abstained"] for r in ans) / max(1, len(ans)), 3),
                   "abstain_recall": round(sum(r[name]["abstained"] for r in null) / max(1, len(null)), 3)}
            for name in ("rules", "scorer")}}
    print(json.dumps(report, indent=1))
    if args.out:
        Path(args.out).write_text(json.dumps({"report": report, "questions": rows}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
