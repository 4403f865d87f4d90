"""How many hand-written English rules `qa/` holds: regex patterns, their alternatives, word lists
and the words they list (issue 22's size-of-the-rules figure).

Read from the source with `ast`, nothing imported:
- a **pattern** is a string literal (or a `+`/f-string join of them) given as the pattern of a call
  to `re.compile`, `re.search`, `re.match`, `re.fullmatch`, `re.sub`, `re.subn`, `re.split`,
  `re.findall` or `re.finditer`, or a string assigned to a name that such a call uses
  (`_SPEECH = r"(?:say|tell|…)"` counts once, where it is written), or any other string literal
  written as a regex (holding `\\b`, `\\s`, `\\d`, `\\w` or `(?:`), such as a table of patterns compiled in
  a loop;
- its **alternatives** are its `|` branches (each `|` adds one);
- a **word list** is a set, frozenset, list or tuple literal of 3+ strings of letters, or
  `"…".split()` of 3+ words; its **words** are those strings (dict keys and values count when the
  dict maps 3+ words).

    python -m bench.rules [--root qa] [--json]
"""

from __future__ import annotations

import argparse
import ast
import json
import re
from pathlib import Path

RE_CALLS = frozenset("compile search match fullmatch sub subn split findall finditer".split())
MIN_WORDS = 3  # a literal of fewer strings is a pair of options, not a list
_REGEX_MARK = re.compile(r"\\[bsdw]|\(\?[:=!]")  # a string written as a regex, compiled elsewhere
_WORD = re.compile(r"^[A-Za-zÀ-ÿ’'\-. ]+$")


def _literal(node: ast.AST, consts: dict[str, str]) -> str | None:
    """The text of a string expression: a constant, a `+` of them, an f-string's constant parts, or
    a module constant it names."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        a, b = _literal(node.left, consts), _literal(node.right, consts)
        return None if a is None and b is None else (a or "") + (b or "")
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    if isinstance(node, ast.Name) and node.id in consts:
        return ""  # counted where it is written
    return None


def _words(node: ast.AST) -> list[str] | None:
    """The words of a word-list literal, or None."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "split" \
            and not node.args and isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str):
        words = node.func.value.value.split()
        return words if len(words) >= MIN_WORDS else None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("frozenset", "set") \
            and node.args:
        return _words(node.args[0])
    if isinstance(node, (ast.Set, ast.List, ast.Tuple)):
        vals = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
        if len(vals) >= MIN_WORDS and len(vals) == len(node.elts) and all(_WORD.match(v) for v in vals):
            return vals
    if isinstance(node, ast.Dict):
        vals = [e.value for e in [*node.keys, *node.values]
                if isinstance(e, ast.Constant) and isinstance(e.value, str) and _WORD.match(e.value)]
        if len(node.keys) >= MIN_WORDS and len(vals) >= MIN_WORDS:
            return vals
    return None


def count_file(path: Path) -> dict:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    consts = {t.id: node.value.value for node in ast.walk(tree) if isinstance(node, ast.Assign)
              and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
              for t in node.targets if isinstance(t, ast.Name)}
    used: set[str] = set()
    patterns: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in RE_CALLS \
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "re" and node.args:
            for sub in ast.walk(node.args[0]):
                if isinstance(sub, ast.Name) and sub.id in consts:
                    used.add(sub.id)
            text = _literal(node.args[0], consts)
            if text:
                patterns.append(text)
    patterns += [consts[name] for name in sorted(used)]
    counted = {id(n) for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
               and n.func.attr in RE_CALLS for n in ast.walk(n.args[0] if n.args else n)}
    written = {id(n) for n in ast.walk(tree) if isinstance(n, ast.Assign) for t in n.targets
               if isinstance(t, ast.Name) and t.id in used for n in ast.walk(n.value)}
    patterns += [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
                 and id(n) not in counted and id(n) not in written and _REGEX_MARK.search(n.value)]
    lists: list[list[str]] = []
    seen: set[int] = set()
    for node in ast.walk(tree):
        if id(node) in seen:
            continue
        words = _words(node)
        if words is not None:
            lists.append(words)
            seen.update(id(n) for n in ast.walk(node))
    return {"patterns": len(patterns), "alternatives": sum(p.count("|") + 1 for p in patterns),
            "word_lists": len(lists), "words": sum(len(w) for w in lists)}


def count(root: Path) -> dict:
    files = {str(p.relative_to(root.parent)): count_file(p) for p in sorted(root.rglob("*.py"))}
    total = {k: sum(f[k] for f in files.values()) for k in ("patterns", "alternatives", "word_lists", "words")}
    return {"total": total, "files": files}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.rules", description=__doc__.split("\n\n")[0])
    p.add_argument("--root", default=str(Path(__file__).resolve().parent.parent / "qa"))
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    result = count(Path(args.root))
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    print(f"{'file':28} {'patterns':>8} {'alts':>6} {'lists':>6} {'words':>6}")
    for name, f in result["files"].items():
        if any(f.values()):
            print(f"{name:28} {f['patterns']:8} {f['alternatives']:6} {f['word_lists']:6} {f['words']:6}")
    t = result["total"]
    print(f"{'total':28} {t['patterns']:8} {t['alternatives']:6} {t['word_lists']:6} {t['words']:6}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
