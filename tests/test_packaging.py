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


def load_manpage_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_manpage", ROOT / "packaging" / "make_manpage.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_manpage_has_every_command_and_its_help() -> None:
    from engine.cli import COMMANDS, build_parser

    make_manpage = load_manpage_module()
    page = make_manpage.manpage(build_parser(), "9.9", "2026-01-02")
    assert page.startswith('.TH CAMPAIGN\\-STUDIO 1 "2026-01-02" "campaign\\-studio 9.9"')
    sections = re.findall(r"^\.SS (.+)$", page, re.MULTILINE)
    assert sections == [name.replace("-", "\\-") for name in COMMANDS]
    # each command's own --help text, options included
    assert "usage: campaign\\-studio validate" in page
    assert "\\-\\-json" in page
    # no line may start a troff request by accident
    body = page.split(".SH OPTIONS", 1)[1]
    for line in body.splitlines():
        if line.startswith((".", "'")):
            assert re.match(r"^\.(SH|SS|nf|fi|nh|hy|TP|I|B|BR|PP|br)\b", line), line


def test_manpage_escapes_troff(tmp_path: Path) -> None:
    make_manpage = load_manpage_module()
    assert make_manpage.escape(".start\n'quote\na-b c\\d") == "\\&.start\n\\&'quote\na\\-b c\\ed"


def spec_function(name: str):
    """One helper function of the spec, run outside PyInstaller."""
    tree = ast.parse(SPEC.read_text())
    node = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name)
    namespace = {"ROOT": ROOT, "re": re}
    exec(compile(ast.Module([node], []), str(SPEC), "exec"), namespace)
    return namespace[name]


def test_spec_collects_every_dependency_of_pyproject() -> None:
    import tomllib

    listed = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    found = spec_function("project_dependencies")()
    assert len(found) == len(listed)
    assert "PySide6-Essentials" in found and "pyqtgraph" in found
    assert all(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name) for name in found)


def test_spec_finds_import_names() -> None:
    import_names = spec_function("import_names")
    assert import_names("python-dateutil") == ["dateutil"]
    assert import_names("keyring") == ["keyring"]
    assert "pyqtgraph" in import_names("pyqtgraph")


def test_spec_keeps_what_pyqtgraph_and_the_keyring_need() -> None:
    text = SPEC.read_text()
    assert {"QtOpenGL", "QtOpenGLWidgets"} <= bundled_qt_modules()
    excludes = text.split("excludes = [", 1)[1].split("]\n", 1)[0]
    assert '"pydoc"' not in excludes  # pyqtgraph.parametertree imports it
    assert 'e[2] == "EXTENSION"' in text  # _cffi_backend survives drop_orphans
    assert "strip=True" not in text
