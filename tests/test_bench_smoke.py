"""Smoke test of the benchmark harness: the cheapest part (query --quick on the seeds) runs and
writes its JSON. It checks shape, never speed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

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
