"""Imports point one way: web → actions/queries → models; pure rules do no I/O."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).parent.parent / "src" / "tend"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def _modules(pattern: str) -> list[Path]:
    return sorted(SRC.glob(pattern))


def test_only_the_web_layer_imports_the_web_layer() -> None:
    offenders = [str(p.relative_to(SRC)) for p in SRC.rglob("*.py")
                 if "web" not in p.relative_to(SRC).parts[:1] and p.name != "cli.py"
                 and any(m == "tend.web" or m.startswith("tend.web.") for m in _imports(p))]
    assert not offenders, f"these import tend.web: {offenders}"


def test_models_import_no_actions_or_queries() -> None:
    offenders = [str(p.relative_to(SRC)) for p in _modules("*/models.py")
                 if any(m.endswith((".actions", ".queries")) for m in _imports(p))]
    assert not offenders


def test_pure_rules_do_no_io() -> None:
    forbidden = ("sqlalchemy", "tend.db", "httpx", "socket", "requests", "fastapi", "starlette")
    for path in _modules("*/rules.py"):
        bad = [m for m in _imports(path) if m.startswith(forbidden)]
        assert not bad, f"{path.relative_to(SRC)} imports {bad}"


def test_no_utils_grab_bag() -> None:
    assert not list(SRC.rglob("utils.py")) and not list(SRC.rglob("helpers.py"))
