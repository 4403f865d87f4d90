"""Dependencies that log only what the user needs: a build through Ray leaves Byline's own lines on stderr
(progress, the report, one line naming Ray's log file) and every line of Ray's in that file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("ray.data")
pytest.importorskip("qdrant_client")

pytestmark = [pytest.mark.cluster, pytest.mark.slow]  # starts a one-node Ray cluster: about a minute


def test_a_ray_build_keeps_rays_log_lines_in_a_file_it_names(tmp_path, seed_corpus):
    env = {k: v for k, v in os.environ.items() if k != "BYLINE_FAULT"}  # the tests' cache: the model exported once
    done = subprocess.run([sys.executable, "-m", "cli.main", "index", "build", str(seed_corpus), "--qdrant",
                           str(tmp_path / "q"), "--ray", "local"], env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("built: 5 new")
    log = Path(os.environ["BYLINE_CACHE"]) / "logs" / "ray.log"
    lines = done.stderr.splitlines()
    assert lines[-1] == f"note: Ray's own log lines are in {log}"
    assert all(line.startswith("storing") for line in lines[:-1]), lines  # Byline's progress, nothing else
    assert "Started a local Ray instance" in log.read_text(encoding="utf-8")
