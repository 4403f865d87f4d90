"""FTS5 against tantivy on one index, with the keyword searches `qa` sends (issue 13).

    python -m bench.keyword_engines INDEX_DIR QUESTIONS.jsonl [--limit 100]

Builds the index's tantivy keyword directory when it has none (`index.embedded.tantivy_keywords.build`, what
a write does past `keyword_index_above`), asks each question once to record the searches the
retriever sends, then times each search on both engines (a warm-up round, then a timed one) and
prints p50 / p95 ms and how much of FTS5's top 60 and top 10 tantivy returns (ties with FTS5's n-th
included); then the search the index runs, tantivy's best ranked by FTS5's own bm25
(`index.embedded.reader.Reader._bm25`, each search's windows tokenized anew), and how often its list is
FTS5's to the last window and score.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from bench import pct


def record(index_dir: Path, questions: list[str]) -> list[tuple[str, int, tuple]]:
    from qa import Assistant

    assistant = Assistant.open(index_dir, build_default=False)
    index, seen = assistant.retriever.index, []
    send = index.search_keyword

    def recorded(match, k, *filters):
        seen.append((match, k, filters))
        return send(match, k, *filters)

    index.search_keyword = recorded
    for q in questions:
        assistant.ask(q)
    assistant.close()
    return seen


def _reach(hits: list[tuple[int, float]], n: int) -> set[int]:
    """FTS5's top `n` with every window tied with the n-th (near-copies of one text score alike, in
    no set order: at 10,000 generated articles a top 10 is often one tie)."""
    floor = hits[min(n, len(hits)) - 1][1] * (1 - 1e-6)
    return {i for i, s in hits if s >= floor}


def compare(index_dir: Path, searches) -> dict:
    from index.embedded import tantivy_keywords
    from index.api import Index
    from index.embedded.store import Store

    index = Index.open(index_dir)
    reader = index.reader
    if not reader._keywords.current(reader.version()):
        tantivy_keywords.build(index_dir, tantivy_keywords.window_texts(reader.store), reader.version())
        assert reader._keywords.current(reader.version())
    times: dict[str, list[float]] = {"fts5": [], "tantivy": [], "exact": []}
    top60, top10, first, same, same10 = [], [], 0, 0, 0
    for timed in (False, True):
        for match, k, filters in searches:
            where, params = Store.filter_sql(*filters)
            t0 = time.perf_counter()
            fts5 = reader.store.keyword_search(match, k, where, params)
            t1 = time.perf_counter()
            ours = reader._keywords.search(match, k, *filters)
            t2 = time.perf_counter()
            reader.store._tokens.clear()  # each search tokenizes its windows, as a new question's does
            t3 = time.perf_counter()
            exact = index.search_keyword(match, k, *filters)  # tantivy's best, ranked by FTS5's bm25
            t4 = time.perf_counter()
            if not timed or not fts5:
                continue
            times["fts5"].append((t1 - t0) * 1000)
            times["tantivy"].append((t2 - t1) * 1000)
            times["exact"].append((t4 - t3) * 1000)
            mine = [i for i, _ in ours]
            top60.append(len(_reach(fts5, len(fts5)) & set(mine)) / len(fts5))
            top10.append(len(_reach(fts5, 10) & set(mine[:10])) / min(10, len(fts5)))
            first += bool(mine) and mine[0] in _reach(fts5, 1)
            same += exact == fts5
            same10 += exact[:10] == fts5[:10]
    index.close()
    out = {name: {"p50": pct(v, 50), "p95": pct(v, 95)} for name, v in times.items()}
    out.update(searches=len(top60), top60_shared=statistics.mean(top60), top10_shared=statistics.mean(top10),
               same_first=first, exact_same_list=same, exact_same_top10=same10)
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("index", type=Path)
    p.add_argument("questions", type=Path)
    p.add_argument("--limit", type=int, default=100)
    args = p.parse_args()
    with args.questions.open(encoding="utf-8") as f:
        questions = [json.loads(line)["question"] for line in f if line.strip()][: args.limit]
    res = compare(args.index, record(args.index, questions))
    print(json.dumps(res, indent=1))
    print(f"{res['searches']} searches: FTS5 p50 {res['fts5']['p50']:.1f} / p95 {res['fts5']['p95']:.1f} ms, "
          f"tantivy {res['tantivy']['p50']:.1f} / {res['tantivy']['p95']:.1f} ms; of FTS5's top 60 "
          f"{res['top60_shared']:.3f} shared, top 10 {res['top10_shared']:.3f}, same first {res['same_first']}; "
          f"tantivy ranked by FTS5's bm25 {res['exact']['p50']:.1f} / {res['exact']['p95']:.1f} ms, FTS5's very list "
          f"{res['exact_same_list']} times, its top 10 {res['exact_same_top10']}")


if __name__ == "__main__":
    main()
