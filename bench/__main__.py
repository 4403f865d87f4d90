"""python -m bench [encoder|indexing|query|coldstart|peer|integrity|sentences|loading|compact|scale|keyword|capacity|timings|verify ...] [--quick] [--out FILE] [--articles N]"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import sys
import time
from pathlib import Path

import bench  # noqa: F401 - sets the offline environment first

PARTS = ("encoder", "indexing", "query", "coldstart", "peer", "integrity", "sentences", "loading", "compact", "scale",
         "keyword", "capacity", "timings", "verify")

ON_REQUEST = ("compact", "scale", "keyword", "capacity", "verify")  # need inputs or long runs: only when named


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
    p.add_argument("--from-index", help="compact: a format-2 index to read real float32 vectors from (read only)")
    p.add_argument("--to-index", help="compact: where to write its format-3 conversion (default: a temporary folder)")
    p.add_argument("--stand-in-vectors", metavar="DIR",
                   help="scale: take vectors from this index's real ones plus noise instead of the encoder")
    p.add_argument("--stand-in-preparation", action="store_true",
                   help="scale: map each source article's real sentences and entities onto its variants "
                        "(bench/scale_prepare.py) instead of running pysbd and spaCy on every article")
    p.add_argument("--keep-index", metavar="DIR", help="scale: move the built index here instead of deleting it")
    p.add_argument("--commit-windows", type=int, metavar="N",
                   help="scale: the build commits every N windows (default: index.embedded.writer.COMMIT_WINDOWS)")
    p.add_argument("--workers", help="indexing: also build with each of these worker counts, e.g. 1,2")
    p.add_argument("--probes", help="integrity: only these of partial,kills,corruption,concurrency")
    p.add_argument("--report", action="store_true", help="only print the tables from --out, run nothing")
    args = p.parse_args(argv)
    for part in args.parts:
        if part not in PARTS:
            p.error(f"unknown part {part!r}")
    parts = args.parts or [p_ for p_ in PARTS if p_ not in ON_REQUEST]
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
