"""Guard against PySide6 6.12's none_dealloc abort: many Qt calls that return None.

PySide6 6.12 crashed the interpreter after enough calls returning None (Py_None's refcount
was decremented on each); the canvas makes such calls by the thousand (setPos, setZValue).
If this test aborts, check the PySide6 version pin (<6.12) in pyproject.toml.
"""

from __future__ import annotations

import PySide6
from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsScene


def test_twenty_thousand_calls_returning_none(qtbot):
    scene = QGraphicsScene()
    item = QGraphicsRectItem(0, 0, 10, 10)
    scene.addItem(item)
    results = []
    for i in range(10_000):
        results.append(item.setPos(i % 100, i % 37))
        results.append(item.setZValue(i % 7))
    assert len(results) == 20_000
    assert all(r is None for r in results)
    assert item.pos().x() == 99 and item.zValue() == 9_999 % 7


def test_pyside_is_below_6_12():
    major, minor = (int(p) for p in PySide6.__version__.split(".")[:2])
    assert (major, minor) < (6, 12), PySide6.__version__
