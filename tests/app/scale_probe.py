"""Run in a child process with QT_SCALE_FACTOR set: prints each screen's smallest window size
in device pixels as JSON (tests/app/test_scaling.py)."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    folder = Path(tempfile.mkdtemp())
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    app = QApplication(sys.argv)
    from shell_helpers import workspace

    from app.main_window import SCREENS, MainWindow
    from app.style import apply_style
    from engine.clock import VirtualClock
    from engine.paths import resource

    apply_style(app, "light")
    window = MainWindow(workspace(folder, clock=VirtualClock()), start_engine=False)
    window.show()
    app.processEvents()
    ratio = window.devicePixelRatioF()
    sizes = {}
    for spec in SCREENS:
        window.show_screen(spec.key)
        app.processEvents()
        hint = window.minimumSizeHint()
        sizes[spec.key] = [round(hint.width() * ratio), round(hint.height() * ratio)]
    window.show_screen("campaigns")
    window.campaigns.create("Welcome", resource("campaigns", "welcome_series.campaign.json"))
    app.processEvents()
    assert window.campaign_page is not None
    hint = window.minimumSizeHint()
    sizes["campaign canvas"] = [round(hint.width() * ratio), round(hint.height() * ratio)]
    if len(sys.argv) > 1:  # a screenshot of the canvas on a 1920×1080 screen
        window.resize(round(1920 / ratio), round(1040 / ratio))
        app.processEvents()
        window.grab().save(sys.argv[1])
    print(json.dumps({"ratio": ratio, "sizes": sizes}))
    window.close()


if __name__ == "__main__":
    main()
