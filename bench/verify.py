"""python -m bench verify: the LLM-answer verifier (`qa.answer.generate.verify`) on its own, and the fit of
its two numbers (support threshold, coverage weight).

Data: every evidence quote of the 70 seed questions and of the MultiHop dev questions (every 3rd),
each with its article's neighbouring sentences as the cited passage. Supported sentences: the quote
lightly paraphrased by rules (attribution dropped, a synonym, "said" → "stated", a clause moved, or
only its longest clause kept). Unsupported ones made from it: a swapped name (same entity type, from another article), a
changed figure, a changed date (month, weekday or year), a negation, and a claim from another
article (that article's paraphrased quote, against this passage). The quotes are split in two
halves by CRC-32 (tune / test): the numbers are fitted on tune and reported on test.
"""

from __future__ import annotations

import json
import random
import re
import zlib

from bench import MH_QUESTIONS, SEED_QUESTIONS, ARTICLES

MAX_FALSE_REMOVAL = 0.05  # the bound: at most 5% of supported sentences removed
WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)
_SPLIT = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’]))\s+(?=[A-Z“\"])")
SYNONYMS = {"said": "stated", "says": "states", "about": "around", "big": "large", "start": "begin",
            "started": "began", "help": "assist", "buy": "purchase", "also": "additionally", "but": "however",
            "told": "informed", "show": "indicate", "shows": "indicates", "announced": "said", "because": "since",
            "major": "significant", "after": "following", "more than": "over"}
AUX = re.compile(r"\b(is|was|are|were|has|have|had|will|can|would|could|should|does|did|do|may|might|must)\b")
MONTHS = "January February March April May June July August September October November December".split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()


def _quotes(limit_mh: int | None) -> list[dict]:
    texts = {}
    out = []
    from qa.assistant import Assistant

    assistant = Assistant.open()
    for line in SEED_QUESTIONS.read_text().splitlines():
        q = json.loads(line)
        for e in q.get("evidence") or []:
            row = assistant.index.article(e["article_id"])
            if row is not None:
                out.append({"article": e["article_id"], "quote": e["quote"], "text": row.text, "set": "seed"})
    if MH_QUESTIONS.exists():
        for line in ARTICLES.read_text().splitlines():
            a = json.loads(line)
            texts[a["id"]] = a.get("text") or a.get("body") or ""
        for i, line in enumerate(MH_QUESTIONS.read_text().splitlines()):
            if i % 3:
                continue
            q = json.loads(line)
            for e in q.get("evidence") or []:
                if e["article_id"] in texts:
                    out.append({"article": e["article_id"], "quote": e["quote"], "text": texts[e["article_id"]],
                                "set": "multihop"})
            if limit_mh and sum(o["set"] == "multihop" for o in out) >= limit_mh:
                break
    seen, unique = set(), []
    for o in out:
        if o["quote"] not in seen and len(o["quote"].split()) >= 6:
            seen.add(o["quote"])
            unique.append(o)
    return unique, assistant


def _passage(text: str, quote: str) -> list[str]:
    at = text.find(quote)
    if at < 0:
        return [quote]
    before = _SPLIT.split(text[max(0, at - 600):at].strip())
    after = _SPLIT.split(text[at + len(quote):at + len(quote) + 600].strip())
    return [s for s in (before[-1:] if before and before[-1] else []) + [quote] + (after[:1] if after and after[0] else [])
            if s.strip()]


def paraphrase(quote: str, rng: random.Random) -> str:
    """A light paraphrase, as a model restates a quote: attribution and quotation marks dropped, one
    synonym, a leading phrase moved to the end, and half the time only the longest clause kept (a
    model's sentence is usually shorter than the article's)."""
    s = quote.strip()
    clauses = [c.strip() for c in re.split(r",\s+|;\s+|\s+[–—-]\s+", s)]
    longest = max(clauses, key=lambda c: len(c.split()))
    if len(clauses) > 1 and len(longest.split()) >= 6 and rng.random() < 0.5:
        s = longest[0].upper() + longest[1:]
    s = re.sub(r",?\s+(?:according to [^,.]+|[A-Z][\w.’' -]{2,40} said)(?=[.”\"]?$)", "", s.rstrip(".")) + "."
    s = s.replace("“", "").replace("”", "").replace('"', "")
    words = list(SYNONYMS)
    rng.shuffle(words)
    for w in words[:6]:
        new = re.sub(rf"\b{w}\b", SYNONYMS[w], s, count=1)
        if new != s:
            s = new
            break
    lead = re.match(r"^((?:In|On|At|After|During|Last|This) [^,]{3,40}), (.+?)\.?$", s)
    if lead and rng.random() < 0.7:
        s = lead.group(2)[0].upper() + lead.group(2)[1:] + " " + lead.group(1)[0].lower() + lead.group(1)[1:] + "."
    return s


def _ents(text: str):
    from qa.question.parse import parse

    return [(e.text, e.label_) for e in parse(text).ents]


def negatives(item: dict, pos: str, others: list[dict], rng: random.Random) -> dict[str, str]:
    out = {}
    ents = _ents(pos)
    passage = " ".join(item["passage"])
    for text, label in ents:
        if label in ("PERSON", "ORG", "GPE", "NORP"):
            pool = [t for o in others for t, lab in o["ents"] if lab == label and t not in passage
                    and t.split()[-1] not in passage]
            if pool:
                out["name"] = pos.replace(text, rng.choice(pool), 1)
                break
    nums = [m for m in re.finditer(r"\d+(?:,\d{3})*(?:\.\d+)?", pos)]
    nums = [m for m in nums if not re.fullmatch(r"(19|20)\d\d", m.group())] or nums
    if nums:
        m = rng.choice(nums)
        value = float(m.group().replace(",", ""))
        new = value * rng.choice((2, 3)) + rng.choice((0, 1)) if value < 1900 or value > 2100 else value + rng.choice((-2, -1, 1))
        text = f"{new:,.0f}" if "," in m.group() else (f"{new:g}")
        out["figure"] = pos[:m.start()] + text + pos[m.end():]
    for names in (MONTHS, WEEKDAYS):
        found = [n for n in names if re.search(rf"\b{n}\b", pos)]
        if found:
            other = [n for n in names if n not in passage]
            out["date"] = re.sub(rf"\b{found[0]}\b", rng.choice(other), pos, count=1)
            break
    else:
        year = re.search(r"\b(19|20)\d\d\b", pos)
        if year:
            out["date"] = pos[:year.start()] + str(int(year.group()) + rng.choice((-1, 1))) + pos[year.end():]
    aux = AUX.search(pos)
    if aux and not re.search(r"\bnot\b|n['’]t\b", pos):
        out["negation"] = pos[:aux.end()] + " not" + pos[aux.end():]
    else:
        out["negation"] = "It is not true that " + pos[0].lower() + pos[1:]
    far = [o for o in others if o["article"] != item["article"]]
    if far:
        out["other_article"] = rng.choice(far)["positive"]
    return out


def run(args) -> dict:
    from qa.answer.generate.verify import Verifier, VerifySettings

    rng = random.Random(26)
    items, assistant = _quotes(None if not args.quick else 60)
    for it in items:
        it["passage"] = _passage(it["text"], it["quote"])
        it["positive"] = paraphrase(it["quote"], rng)
        it["ents"] = _ents(it["quote"])
        it["half"] = "tune" if zlib.crc32(it["quote"].encode()) % 2 == 0 else "test"
    samples = []
    for it in items:
        samples.append((it, "supported", it["positive"]))
        for kind, text in negatives(it, it["positive"], items, rng).items():
            samples.append((it, kind, text))
    verifier = Verifier(assistant.index.encoder, VerifySettings())
    rows = []
    for it, kind, text in samples:
        units = verifier.units(text, it["passage"])
        rows.append({"half": it["half"], "kind": kind, "set": it["set"], "units": units, "text": text,
                     "evidence": it["passage"]})

    def decide(row, w, t):
        unit, cos, cov = max(row["units"], key=lambda u: u[1] + w * u[2])
        if (row.get("_fact", {}).get(unit, "?")) == "?":
            row.setdefault("_fact", {})[unit] = verifier.fact_check(row["text"], row["evidence"], unit)
        if row["_fact"][unit]:
            return False, row["_fact"][unit][0]
        return cos + w * cov >= t, "unsupported"

    def rates(part, w, t):
        pos = [r for r in part if r["kind"] == "supported"]
        neg = [r for r in part if r["kind"] != "supported"]
        removed = sum(not decide(r, w, t)[0] for r in pos) / len(pos)
        caught = sum(not decide(r, w, t)[0] for r in neg) / len(neg)
        return removed, caught

    tune = [r for r in rows if r["half"] == "tune"]
    test = [r for r in rows if r["half"] == "test"]
    grid = []
    for w in WEIGHTS:
        scores = sorted(max(u[1] + w * u[2] for u in r["units"]) for r in tune if r["kind"] == "supported")
        ts = [s - 1e-6 for s in scores[: len(scores) // 5]] + [0.3 + 0.05 * i for i in range(int((scores[0] - 0.3) / 0.05) + 1)]
        for t in ts:  # thresholds from well under the supported scores up to their low tail
            removed, caught = rates(tune, w, t)
            if removed <= MAX_FALSE_REMOVAL - 0.01:
                grid.append((w, t, caught, removed))
    # the most unsupported sentences caught with at most 4% of the supported removed on tune (a point
    # under the 5%); on a tie the fewest removed
    best = max(grid, key=lambda g: (g[2], -g[3]))
    w, t = best[0], best[1]
    per_kind = {}
    for kind in sorted({r["kind"] for r in test}):
        part = [r for r in test if r["kind"] == kind]
        per_kind[kind] = {"n": len(part), "flagged": round(sum(not decide(r, w, t)[0] for r in part) / len(part), 4)}
    removed, caught = rates(test, w, t)
    reasons, wrongly = {}, {}
    for r in test:
        ok, why = decide(r, w, t)
        if not ok:
            into = wrongly if r["kind"] == "supported" else reasons
            into[why] = into.get(why, 0) + 1
    return {"quotes": len(items), "samples": len(rows), "tune_samples": len(tune), "test_samples": len(test),
            "fitted": {"coverage_weight": w, "support_threshold": round(t, 4), "tune_caught": round(best[2], 4),
                       "tune_removed": round(best[3], 4)},
            "test": {"unsupported_caught": round(caught, 4), "supported_removed": round(removed, 4),
                     "per_kind": per_kind, "caught_by": reasons,
                     "supported_removed_by": wrongly}}


def table(res: dict):
    from rich.table import Table

    t = Table(title=f"verifier ({res['quotes']} quotes, {res['samples']} sentences; fitted on tune: "
                    f"weight {res['fitted']['coverage_weight']}, threshold {res['fitted']['support_threshold']})")
    for c in ("held-out test half", "n", "flagged as unsupported"):
        t.add_column(c)
    for kind, v in res["test"]["per_kind"].items():
        t.add_row(kind, str(v["n"]), f"{v['flagged']:.3f}")
    t.add_row("all unsupported: caught", "", f"{res['test']['unsupported_caught']:.3f}")
    t.add_row("supported: wrongly removed", "", f"{res['test']['supported_removed']:.3f}")
    return [t]
