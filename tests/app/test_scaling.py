"""At 150% and 200% scale no screen needs more than a 1920×1080 screen (measured in a child
process started with QT_SCALE_FACTOR, as a user's desktop setting would)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


def smallest_windows(scale: str, tmp_path) -> dict:
    env = dict(os.environ, QT_SCALE_FACTOR=scale, QT_QPA_PLATFORM="offscreen",
               CAMPAIGN_STUDIO_DATA_DIR=str(tmp_path))  # fmt: skip
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "app" / "scale_probe.py")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("scale", ["1.5", "2"])
def test_every_screen_fits_a_1920_by_1080_screen(scale, tmp_path):
    measured = smallest_windows(scale, tmp_path)
    assert measured["ratio"] == pytest.approx(float(scale))
    assert len(measured["sizes"]) == 6
    too_big = {k: v for k, v in measured["sizes"].items() if v[0] > 1920 or v[1] > 1080}
    assert too_big == {}
