"""The core stays a plain library: no module under gongkai.core imports Django or the apps."""

import ast
from pathlib import Path

import gongkai.core

CORE = Path(gongkai.core.__file__).parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_core_imports_neither_django_nor_the_apps():
    offenders = {}
    for path in sorted(CORE.rglob("*.py")):
        bad = {
            m
            for m in imported_modules(path)
            if m.split(".")[0] in {"django", "ninja"}
            or (m.startswith("gongkai.") and not m.startswith("gongkai.core"))
        }
        if bad:
            offenders[str(path.relative_to(CORE))] = sorted(bad)
    assert offenders == {}
