"""Smoke test of the benchmark harness: the cheapest part (query --quick on the seeds) runs and
writes its JSON, and the scale part's generated archive is what it claims. Shape, never speed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_bench_query_quick_writes_json(tmp_path, capsys):
    """`python -m bench query --quick`, through its `main` in this process (what is smoke-tested is the
    harness, not a process: no second interpreter loading the model)."""
    from bench.__main__ import main

    out = tmp_path / "bench.json"
    assert main(["query", "--quick", "--out", str(out)]) == 0, capsys.readouterr().err[-2000:]
    res = json.loads(out.read_text())
    q = res["query"]
    assert q["quick"] is True
    assert set(q["seeds"]["stages"]) == {"embed", "dense", "keyword", "fuse", "compose", "total"}
    for stage in q["seeds"]["stages"].values():
        assert {"p50", "p95", "min", "max"} <= set(stage)
    row = q["sizes"]["1000"]
    assert {"dense", "keyword", "est_ask_p95_ms"} <= set(row)
    assert "exact_ms" in row["dense"] and "ms" in row["keyword"]


MULTIHOP = ROOT.parent / "shared" / "eval" / "multihop_rag" / "articles.jsonl"


@pytest.mark.skipif(not MULTIHOP.exists(), reason="shared eval data not present")
def test_the_scale_archive_has_no_exact_duplicate_and_loads_with_real_outlets_and_dates(tmp_path):
    """`python -m bench scale` builds from this: 1,300 articles are two or three copies of each of the
    609 MultiHop articles, and still no two texts are the same."""
    from bench.scale import generate
    from index.ingest.loading import load_paths

    documents, issues = load_paths([generate(1300, tmp_path)])
    assert issues == [] and len(documents) == 1300
    assert len({d.text for d in documents}) == 1300 and len({d.id for d in documents}) == 1300
    outlets = {json.loads(line)["source"] for line in MULTIHOP.read_text(encoding="utf-8").splitlines() if line}
    assert {d.source for d in documents} <= outlets and len({d.source for d in documents}) > 20
    assert all("2015-01-01" <= d.published_at[:10] <= "2024-12-31" for d in documents)


@pytest.mark.skipif(not MULTIHOP.exists(), reason="shared eval data not present")
def test_stand_in_preparation_maps_the_sources_real_work_onto_each_variant(tmp_path):
    """`--stand-in-preparation`: a variant gets its source's real sentences and entities moved to
    where that text now sits, the same windows as a real preparation, and says what it did."""
    from bench.scale import generate
    from bench.scale_prepare import StandInPreparation
    from index.ingest.loading import load_paths
    from index.ingest.prepare import prepare
    from index.settings import IndexSettings

    settings = IndexSettings()
    documents, _ = load_paths([generate(6, tmp_path, first=609 * 2)])
    stand_in = StandInPreparation()
    mapped = list(stand_in(documents, settings))
    real = [prepare(d, settings) for d in documents]
    assert stand_in.report()["mapped"] == 6 and stand_in.report()["fallback"] == 0
    assert "stand-in" in stand_in.report()["method"]
    source = {a["id"]: a["text"] for a in stand_in.base}
    for m, r in zip(mapped, real):
        assert [c.text for c in m.chunks] == [c.text for c in r.chunks] and m.simhash == r.simhash
        assert m.entities and m.sentences[0][0] == 0
        names = {source[m.doc.id.rpartition("-")[0]][e.start:e.end] for e in stand_in._source(
            stand_in.number[m.doc.id.rpartition("-")[0]])[1]}
        words = [m.doc.text[e.start:e.end] for e in m.entities if not any(ch.isdigit() for ch in m.doc.text[e.start:e.end])]
        assert words and all(w in names for w in words)
        real_entities = {(e.start, e.end, e.label) for e in r.entities}
        shared = real_entities & {(e.start, e.end, e.label) for e in m.entities}
        assert len(shared) >= 0.8 * len(real_entities)  # 40 variants measured: entity Jaccard 0.87-1 (median 0.94)
