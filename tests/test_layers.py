"""The layer rule: nothing under engine/ imports Qt, and importing engine needs no Qt."""

from __future__ import annotations

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
