"""eval/ reaches the index only through qa: it imports qa, the standard library, numpy,
matplotlib, rich and itself; never index, tui or cli."""

import ast
import sys
from pathlib import Path

EVAL = Path(__file__).resolve().parents[1] / "eval"
ALLOWED = {"qa", "eval", "numpy", "matplotlib", "rich"}


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]


def test_eval_imports_only_qa_and_allowed_libraries():
    bad = {}
    for path in sorted(EVAL.glob("*.py")):
        names = {n for n in _imports(path) if n not in ALLOWED and n not in sys.stdlib_module_names}
        if names:
            bad[path.name] = sorted(names)
    assert bad == {}


def test_eval_modules_stay_small():
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in EVAL.glob("*.py")}
    assert max(sizes.values()) < 400, sizes


def test_metrics_doc_is_generated_from_the_catalogue():
    from eval.definitions import markdown
    assert (EVAL / "METRICS.md").read_text(encoding="utf-8") == markdown()
