"""Regenerate the shell's screenshots in docs/ from a demo workspace that has run for a while.

    QT_QPA_PLATFORM=offscreen python -m app.screenshots [--out docs] [--contacts 1500]

Builds a demo database, starts its campaigns on a virtual clock, runs the engine over
simulated days, then grabs the campaigns list, a canvas with live figures, a dashboard, the
contacts and one contact's page.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

SHOTS = ("campaigns.png", "canvas-live.png", "dashboard.png", "contacts.png", "contact-page.png",
         *(f"{name}-{size}.png" for size in ("1024x700", "1366x768")
           for name in ("campaigns", "editor", "canvas-live", "dashboard")))  # fmt: skip


def run_demo_days(db: str, clock, days: int = 14, step_hours: int = 6) -> None:
    """Start every draft campaign that can start, then let the engine work `days` days."""
    from engine.campaigns import allowed_actions, list_campaigns, start
    from engine.db import open_database
    from engine.service import EngineService

    engine = open_database(db)
    for row in list_campaigns(engine):
        if "start" in allowed_actions(row["status"]):
            try:
                start(engine, row["id"], clock.now())
            except Exception as exc:  # a demo campaign that cannot start stays a draft
                print(f"not started: {row['name']}: {exc}", file=sys.stderr)
    service = EngineService(db, clock=clock)
    for _ in range(days * 24 // step_hours):
        service.run_once()
        clock.advance(timedelta(hours=step_hours))
    service.run_once()


def add_showcase_campaigns(db: str, clock) -> None:
    """A fuller list for the pictures: a child wave, a scheduled and a paused campaign."""
    from engine.campaigns import load_diagram, pause, save_campaign, schedule, start
    from engine.db import open_database

    engine = open_database(db)
    wave = load_diagram(engine, "Welcome series")
    wave.name = "Welcome series — partner wave"
    wave.settings["parent"] = "Welcome series"
    wave_id = save_campaign(engine, wave, note="child wave")
    start(engine, wave_id, clock.now())
    spring = load_diagram(engine, "Win back inactive customers")
    spring.name = "Win back — spring"
    spring_id = save_campaign(engine, spring)
    schedule(engine, spring_id, clock.now() + timedelta(days=12), clock.now() + timedelta(days=40))
    vip = load_diagram(engine, "Birthday greetings")
    vip.name = "Birthday greetings — VIP"
    vip_id = save_campaign(engine, vip)
    start(engine, vip_id, clock.now())
    pause(engine, vip_id, clock.now())
    from engine.service import EngineService

    service = EngineService(engine, clock=clock)
    for _ in range(8):
        clock.advance(timedelta(hours=3))
        service.run_once()
    service.shutdown()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs", help="folder for the PNG files")
    parser.add_argument("--contacts", type=int, default=1500)
    parser.add_argument(
        "--days",
        type=int,
        default=0,
        help="extra days to run after the demo's own weeks of history",
    )
    parser.add_argument("--db", help="use this database instead of a fresh demo one")
    parser.add_argument("--campaign", default="Welcome series", help="campaign for the canvas")
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication

    from app.main_window import MainWindow, open_workspace
    from app.style import apply_style
    from engine.clock import VirtualClock, utcnow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_style(app, "light")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    clock = VirtualClock(utcnow().replace(microsecond=0))
    if args.db:
        db = args.db
    else:
        from engine.db import open_database
        from engine.demo import build_demo

        db = str(Path(tempfile.mkdtemp(prefix="cs-shots-")) / "demo.db")
        build_demo(open_database(db), contacts=args.contacts, now=clock.now())
        add_showcase_campaigns(db, clock)
        if args.days:
            run_demo_days(db, clock, args.days)

    workspace = open_workspace(db, clock=clock)
    window = MainWindow(workspace, start_engine=True)
    window.resize(1440, 900)
    window.show()
    app.processEvents()

    screen = window.campaigns
    screen.refresh()
    screen.select(_campaign_id(screen, args.campaign))
    app.processEvents()
    _save(window, out / "campaigns.png")

    campaign_id = _campaign_id(screen, args.campaign)
    page = window.open_campaign(campaign_id)
    page.stats_toggle.setChecked(True)
    app.processEvents()
    view = getattr(page.editor, "view", None)
    if view is not None and hasattr(view, "zoom_to_fit_readable"):
        view.zoom_to_fit_readable()  # below the readable zoom the cards carry no text
    app.processEvents()
    _save(window, out / "canvas-live.png")

    window.open_dashboard(campaign_id)
    app.processEvents()
    _save(window, out / "dashboard.png")

    contacts = window.show_screen("contacts")
    _save(window, out / "contacts.png")
    contacts.open_contact(_contact_with_a_journey(workspace.engine))
    _save(window, out / "contact-page.png")
    for width, height in SIZES:  # the small screens a laptop or a projector gives
        shoot_at_size(window, campaign_id, width, height, out)
    page.close_page()
    workspace.service.shutdown()
    return 0


SIZES = ((1024, 700), (1366, 768))


def shoot_at_size(window, campaign_id: int, width: int, height: int, out: Path) -> None:
    """campaigns, editor (a node in the inspector), live canvas with figures and dashboard,
    as `<name>-<width>x<height>.png`."""
    window.resize(width, height)
    suffix = f"-{width}x{height}.png"
    window.show_screen("campaigns")
    _save(window, out / f"campaigns{suffix}")
    page = window.open_campaign(campaign_id)
    page.stats_toggle.setChecked(False)
    first = next(iter(page.diagram.nodes))
    page.editor.scene.select_nodes([first])
    page.editor.view.zoom_to_fit_readable()  # names readable, scrolled to the start
    _save(window, out / f"editor{suffix}")
    page.stats_toggle.setChecked(True)
    waiting = max(page.editor.scene.node_figures.items(), default=(first, {}),
                  key=lambda kv: kv[1].get("waiting") or 0)[0]  # fmt: skip
    page.editor.scene.select_nodes([waiting])
    page.editor.view.zoom_to_fit_readable()
    _save(window, out / f"canvas-live{suffix}")
    window.open_dashboard(campaign_id)
    _save(window, out / f"dashboard{suffix}")


def _contact_with_a_journey(engine) -> int:
    """A contact that several campaigns' messages reached (a page with a story to tell)."""
    from engine.contact_activity import most_travelled_contact

    with engine.connect() as conn:
        found = most_travelled_contact(conn)
    return int(found) if found is not None else 1


def _campaign_id(screen, name: str) -> int:
    for row in screen.model.rows:
        if row["name"] == name:
            return int(row["id"])
    return int(screen.model.rows[0]["id"])


def _save(window, path: Path) -> None:
    from PySide6.QtWidgets import QApplication

    for _ in range(3):
        QApplication.processEvents()
    if not window.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    print(path)


if __name__ == "__main__":
    sys.exit(main())
