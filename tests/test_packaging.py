"""The installer bundle keeps only some Qt modules: the program must import nothing else (an
import outside the list works from source but crashes the installed copy)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "campaign_studio.spec"


def bundled_qt_modules() -> set[str]:
    match = re.search(r"^QT_MODULES = \[(.*?)\]", SPEC.read_text(), re.MULTILINE | re.DOTALL)
    assert match, "QT_MODULES not found in the spec"
    return set(re.findall(r'"(Qt\w+)"', match.group(1)))


def imported_qt_modules(folder: Path, root: Path = ROOT) -> dict[str, list[str]]:
    """{Qt module: [file:line, ...]} for every PySide6 import under folder."""
    found: dict[str, list[str]] = {}
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module == "PySide6":
                    names = [alias.name for alias in node.names]
                elif node.module.startswith("PySide6."):
                    names = [node.module.split(".")[1]]
            elif isinstance(node, ast.Import):
                names = [a.name.split(".")[1] for a in node.names if a.name.startswith("PySide6.")]
            for name in names:
                where = f"{path.relative_to(root)}:{node.lineno}"
                found.setdefault(name, []).append(where)
    return found


def test_spec_lists_the_basics() -> None:
    assert {"QtCore", "QtGui", "QtWidgets", "QtSvg"} <= bundled_qt_modules()


def test_program_imports_only_bundled_qt_modules() -> None:
    allowed = bundled_qt_modules()
    used: dict[str, list[str]] = {}
    for package in ("app", "designer", "engine"):
        if (ROOT / package).is_dir():
            for name, places in imported_qt_modules(ROOT / package).items():
                used.setdefault(name, []).extend(places)
    outside = {name: places for name, places in used.items() if name not in allowed}
    assert not outside, (
        f"Qt modules used but left out of the installer (add them to QT_MODULES in {SPEC.name}"
        f" and remove them from QT_UNUSED): {outside}"
    )
    assert "QtWidgets" in used  # the scan really saw the program


def test_scan_finds_every_import_form(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(
        "from PySide6 import QtCore, QtNetwork\n"
        "from PySide6.QtMultimedia import QSoundEffect\n"
        "import PySide6.QtPdf\n"
    )
    found = imported_qt_modules(tmp_path, root=tmp_path)
    assert set(found) == {"QtCore", "QtNetwork", "QtMultimedia", "QtPdf"}
    assert found["QtPdf"] == ["a.py:3"]
