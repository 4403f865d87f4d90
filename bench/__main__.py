"""python -m bench [encoder|indexing|query|coldstart|peer|integrity|sentences ...] [--quick] [--out FILE] [--articles N]"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import sys
import time
from pathlib import Path

import bench  # noqa: F401 - sets the offline environment first

PARTS = ("encoder", "indexing", "query", "coldstart", "peer", "integrity", "sentences")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("parts", nargs="*", metavar="part",
                   help=f"any of {', '.join(PARTS)} (default: all)")
    p.add_argument("--out", default="bench/results.json", help="JSON results file (merged by part)")
    p.add_argument("--quick", action="store_true", help="small sizes, few repeats (the smoke test)")
    p.add_argument("--articles", type=int, default=60, help="MultiHop-RAG articles to index (first N)")
    p.add_argument("--repeats", type=int, default=3, help="timed runs after the warm-up")
    p.add_argument("--encode-texts", type=int, default=512, help="chunk texts for the encoder part")
    p.add_argument("--sizes", default="1000,10000,100000,1000000", help="synthetic chunk counts for query")
    p.add_argument("--report", action="store_true", help="only print the tables from --out, run nothing")
    args = p.parse_args(argv)
    for part in args.parts:
        if part not in PARTS:
            p.error(f"unknown part {part!r}")
    parts = args.parts or list(PARTS)
    out = Path(args.out)
    results = json.loads(out.read_text()) if out.exists() else {}
    results["machine"] = {"python": platform.python_version(), "cpus": __import__("os").cpu_count(),
                          "platform": platform.platform()}
    from rich.console import Console

    console = Console(width=200)
    if args.report:
        for part in parts:
            if part in results:
                for t_ in importlib.import_module(f"bench.{part}").table(results[part]):
                    console.print(t_)
        return 0
    for part in parts:
        mod = importlib.import_module(f"bench.{part}")
        t = time.perf_counter()
        console.print(f"[bold]running {part}…[/]")
        res = mod.run(args)
        res["wall_s"] = time.perf_counter() - t
        res["quick"] = args.quick
        results[part] = res
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=1, default=str))
        for t_ in mod.table(res):
            console.print(t_)
    console.print(f"results: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
