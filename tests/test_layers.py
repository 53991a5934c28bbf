"""The layer rule: nothing under engine/ imports Qt, and importing engine needs no Qt."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]

BLOCK_QT = """
import importlib, pkgutil, sys

class BlockQt:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6", "qtpy", "Qt",
                                  "pyqtgraph"):
            raise ImportError(f"engine must not import Qt ({name})")
        return None

sys.meta_path.insert(0, BlockQt())
import engine
# Alembic's env.py and revision scripts run only inside alembic; their text is still
# checked for Qt by test_no_engine_source_mentions_qt.
names = [m.name for m in pkgutil.walk_packages(engine.__path__, "engine.")
         if not m.name.startswith("engine.db.migrations.")]
for name in names:
    importlib.import_module(name)
print(len(names))
"""


def test_every_engine_module_imports_with_qt_made_unimportable():
    result = subprocess.run(
        [sys.executable, "-c", BLOCK_QT], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert int(result.stdout.split()[-1]) >= 10


def test_no_engine_source_mentions_qt():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "engine").rglob("*.py")
        if any(word in path.read_text(encoding="utf-8") for word in ("PySide6", "from Qt", "PyQt"))
    ]
    assert offenders == []


def test_designer_does_not_import_app():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "designer").rglob("*.py")
        if "from app" in path.read_text(encoding="utf-8")
        or "import app" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


SQL_IMPORT = re.compile(r"^\s*(from|import)\s+(sqlalchemy|engine\.db\.schema)\b", re.MULTILINE)
# A query built in a screen: select(...) / text(...) called bare (not a method such as .select).
SQL_CALL = re.compile(r"(?<![\w.])(select|text)\((?!self)")


def test_app_and_designer_hold_no_sql():
    """Screens arrange widgets around engine functions: no sqlalchemy, no table objects, no
    query (the command line and the engine tests reach everything a screen shows)."""
    offenders = []
    for folder in ("app", "designer"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            source = path.read_text(encoding="utf-8")
            for pattern in (SQL_IMPORT, SQL_CALL):
                for match in pattern.finditer(source):
                    line = source.count("\n", 0, match.start()) + 1
                    offenders.append(f"{path.relative_to(ROOT)}:{line}: {match.group(0).strip()}")
    assert offenders == []


def test_the_sql_check_finds_what_it_is_for():
    samples = ["from sqlalchemy import select\n", "    import sqlalchemy\n",
               "from engine.db.schema import contacts\n", "rows = conn.execute(select(t))\n",
               "conn.execute(text('DELETE'))\n"]  # fmt: skip
    assert all(SQL_IMPORT.search(s) or SQL_CALL.search(s) for s in samples)
    harmless = ["def select(self, campaign_id):\n", "label.setText(x)\n", "item.text()\n",
                "from engine.db import Engine\n", "self._select(item)\n"]  # fmt: skip
    assert not any(SQL_IMPORT.search(s) or SQL_CALL.search(s) for s in harmless)


def test_every_undo_command_lives_in_designer_commands():
    """One place for undo commands and their merge ids (STYLE.md: one table per concern)."""
    bases = r"QUndoCommand|DiagramCommand|Set\w+|Edit\w+|Move\w+|Add\w+|Remove\w+|Connect|Paste"
    pattern = re.compile(rf"^class \w+\(({bases})\)", re.MULTILINE)
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("app", "designer")
        for path in (ROOT / folder).rglob("*.py")
        if path.name != "commands.py" and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def _imports(path: Path, package: str) -> set[str]:
    """The `package.*` modules a file imports, at module level or inside functions."""
    import ast

    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.split(".")[0] == package}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_import_circle_among_app_modules():
    """A circle (even through an import tucked inside a function) is what makes imports land
    at the bottom of a file or inside functions; app/contacts, contact_page and journey had
    one. The window's modules form none."""
    graph = {_module_name(path): _imports(path, "app") for path in (ROOT / "app").rglob("*.py")}
    seen: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, trail: list[str]) -> None:
        seen[module] = 1
        for target in sorted(graph.get(module, ())):
            if seen.get(target) == 1:
                raise AssertionError(" -> ".join([*trail, module, target]))
            if target in graph and target not in seen:
                visit(target, [*trail, module])
        seen[module] = 2

    for module in sorted(graph):
        if module not in seen:
            visit(module, [])
