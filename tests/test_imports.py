"""Calls go one way: tui, cli and eval use qa; qa uses index; nothing calls back up. Inside index, the
ingest and embedding parts feed the stores (embedded, qdrant) and never import them. Inside qa, a stage
never imports a later one."""

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


STORES = {"index.embedded", "index.qdrant"}
QA_LATER = {  # a question flows question -> retrieval -> answer; the lexicon under all of them
    "qa/lexicon": {"qa.question", "qa.retrieval", "qa.answer", "qa.conversation", "qa.archive"},
    "qa/question": {"qa.retrieval", "qa.answer"},
    "qa/retrieval": {"qa.answer", "qa.conversation"},
    "qa/answer": {"qa.conversation"},
}
INSIDE_INDEX = {  # index's parts that come before any store: files in, vectors out
    "index/ingest": STORES,
    "index/embedding": STORES,
}


def _modules(path: Path) -> set[str]:
    """Every module the file names in an import, whole (`from index.embedded import store` gives
    `index.embedded` and `index.embedded.store`), imports inside functions included."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


def _imports(path: Path) -> set[str]:
    return {name.split(".")[0] for name in _modules(path)}


def _under(name: str, packages: set[str]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def test_no_package_imports_against_the_direction_of_calls():
    offences = []
    for package, banned in FORBIDDEN.items():
        for file in (ROOT / package).rglob("*.py"):
            bad = _imports(file) & banned
            if bad:
                offences.append(f"{file.relative_to(ROOT)} imports {sorted(bad)}")
    assert offences == []


def _offences(rules: dict[str, set[str]]) -> list[str]:
    """Each file under a rule's folder that imports one of its banned modules, with what it imports."""
    offences = []
    for folder, banned in rules.items():
        files = list((ROOT / folder).rglob("*.py"))
        assert files, f"{folder} is gone: update the rules"
        for file in files:
            bad = sorted(name for name in _modules(file) if _under(name, banned))
            if bad:
                offences.append(f"{file.relative_to(ROOT)} imports {bad}")
    return offences


def test_ingest_and_embedding_never_import_a_store():
    assert _offences(INSIDE_INDEX) == []


def test_qa_stages_never_import_a_later_stage():
    assert _offences(QA_LATER) == []


def test_the_rule_sees_a_store_import_inside_a_function(tmp_path):
    file = tmp_path / "late.py"
    file.write_text("def f():\n    from index.embedded import store\n    import index.qdrant.write\n")
    assert {n for n in _modules(file) if _under(n, STORES)} == {
        "index.embedded", "index.embedded.store", "index.qdrant.write"}
    file.write_text("from index import embedded\n")
    assert {n for n in _modules(file) if _under(n, STORES)} == {"index.embedded"}
