"""The demo templates and the new-template starter read well on a phone (375 px) and a
desktop mail client (600 px), checked in a real browser (headless Chromium): no sideways
scrolling, nothing cut, body text at a readable size, no "None" for a missing name."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

from engine.templating import render

TEMPLATES = Path("resources/templates")
WIDTHS = (375, 600)
# Each template in an iframe of each width; a script measures what overflows.
MEASURE = """
<script>
window.addEventListener("load", () => {
  const out = [];
  for (const frame of document.querySelectorAll("iframe")) {
    const doc = frame.contentDocument, root = doc.documentElement;
    const wide = [...doc.body.querySelectorAll("*")].filter(
      e => e.getBoundingClientRect().right > root.clientWidth + 1).map(e => e.tagName);
    const p = doc.querySelector("p");
    out.push({name: frame.dataset.name, width: frame.width, scroll: root.scrollWidth,
              client: root.clientWidth, wide: wide.slice(0, 5),
              font: p ? parseFloat(getComputedStyle(p).fontSize) : 0});
  }
  document.getElementById("out").textContent = JSON.stringify(out);
});
</script>
"""


def _pages() -> dict[str, str]:
    listed = json.loads((TEMPLATES / "templates.json").read_text(encoding="utf-8"))
    files = {t["name"]: t["html_file"] for t in listed if t.get("html_file")}
    files["starter"] = "starter.html"
    context = {"contact": {"first_name": None, "email": "ann@example.com"},
               "campaign": {"name": "Test", "utm_campaign": None},
               "unsubscribe_url": "https://example.com/u/" + "x" * 60}  # fmt: skip
    return {
        name: render((TEMPLATES / file).read_text(encoding="utf-8"), context, html=True)
        for name, file in files.items()
    }


def test_every_template_fits_375_and_600_pixels_in_chromium(tmp_path):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    assert browser, "Chromium is missing: run scripts/install-system-deps.sh"
    pages = _pages()
    assert len(pages) >= 8
    for name, text in pages.items():
        assert "None" not in re.sub(r"<[^>]+>", "", text), name
    frames = "".join(
        f'<iframe data-name="{name}" width="{w}" height="900" srcdoc="{html.escape(text)}">'
        "</iframe>"
        for name, text in pages.items() for w in WIDTHS
    )  # fmt: skip
    host = tmp_path / "host.html"
    host.write_text(f"<!DOCTYPE html><html><body><pre id='out'></pre>{frames}{MEASURE}"
                    "</body></html>", encoding="utf-8")  # fmt: skip
    result = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=10000",
         "--dump-dom", host.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    found = re.search(r"<pre id=\"out\">(.*?)</pre>", result.stdout, re.S)
    assert found and found.group(1), result.stderr[-2000:]
    measured = json.loads(html.unescape(found.group(1)))
    assert len(measured) == len(pages) * len(WIDTHS)
    for item in measured:
        where = f"{item['name']} at {item['width']} px"
        assert item["scroll"] <= item["client"], f"{where} scrolls sideways: {item}"
        assert item["wide"] == [], f"{where}: cut off {item['wide']}"
        assert item["font"] >= 14, f"{where}: body text {item['font']} px"
