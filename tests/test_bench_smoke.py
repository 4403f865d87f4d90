"""Smoke test of the benchmark harness: the cheapest part (query --quick on the seeds) runs and
writes its JSON, and the scale part's generated archive is what it claims. Shape, never speed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_bench_query_quick_writes_json(tmp_path):
    out = tmp_path / "bench.json"
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    r = subprocess.run([sys.executable, "-m", "bench", "query", "--quick", "--out", str(out)],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
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
    from index.loading import load_paths

    documents, issues = load_paths([generate(1300, tmp_path)])
    assert issues == [] and len(documents) == 1300
    assert len({d.text for d in documents}) == 1300 and len({d.id for d in documents}) == 1300
    outlets = {json.loads(line)["source"] for line in MULTIHOP.read_text(encoding="utf-8").splitlines() if line}
    assert {d.source for d in documents} <= outlets and len({d.source for d in documents}) > 20
    assert all("2015-01-01" <= d.published_at[:10] <= "2024-12-31" for d in documents)
