"""App tests: Python's cyclic garbage collector runs only on the GUI thread, as in the
program (app.gui_gc); otherwise a collection in the engine's or the task pool's thread can
free a Qt object there and crash Qt's timers on the GUI thread."""

from __future__ import annotations

import gc

import pytest


@pytest.fixture(autouse=True)
def collect_garbage_on_the_gui_thread(qapp):
    gc.disable()
    style, sheet = qapp.style().name(), qapp.styleSheet()
    palette, font = qapp.palette(), qapp.font()
    theme = qapp.property("campaignStudioTheme")
    yield
    qapp.setProperty("campaignStudioTheme", theme)  # current_theme() reads it
    # The app's style (app.style.apply_style) is global: give the next test what it had.
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)
    qapp.setFont(font)
    qapp.setStyle(style)
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone(10_000)
    qapp.processEvents()
    gc.collect()
    gc.enable()
