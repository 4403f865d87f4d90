"""Calls go one way: tui, cli and eval use qa; qa uses index; nothing calls back up."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "index": {"qa", "tui", "eval", "cli"},
    "qa": {"tui", "eval", "cli"},
    "tui": {"index", "eval", "cli"},
    "eval": {"index", "tui", "cli"},
    "cli": {"index"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_no_package_imports_against_the_direction_of_calls():
    offences = []
    for package, banned in FORBIDDEN.items():
        for file in (ROOT / package).rglob("*.py"):
            bad = _imports(file) & banned
            if bad:
                offences.append(f"{file.relative_to(ROOT)} imports {sorted(bad)}")
    assert offences == []
