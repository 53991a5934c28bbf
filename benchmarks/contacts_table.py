"""Contacts table on 100,000 contacts: opening it and jumping to the last contact, against
the floor of reading every contact once (what any table that loads everything must pay).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/contacts_table.py [--contacts N]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "app"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication
    from screen_data import make_database

    from app.contacts import EMAIL, ContactsScreen
    from engine import store

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        engine = make_database(Path(folder) / "bench.db", n=args.contacts)

        def settle() -> None:
            for _ in range(5):
                app.processEvents()

        # Floor: every contact read once, as a table that loads everything would.
        started = time.perf_counter()
        with engine.connect() as conn:
            everyone = store.list_contacts(conn, limit=args.contacts)
        floor = time.perf_counter() - started
        assert len(everyone) == args.contacts

        # The screen: open, paint, jump to the end (Ctrl+End), paint the last page.
        started = time.perf_counter()
        screen = ContactsScreen(engine)
        screen.model.background = False  # measure the reads themselves, not thread hops
        screen.resize(1280, 800)
        screen.show()
        settle()
        screen.view.scrollToBottom()
        settle()
        last = screen.model.index(args.contacts - 1, EMAIL).data()
        table = time.perf_counter() - started
        assert last == f"person{args.contacts:06d}@example.com", last

        # The same jump sorted by an unindexed column (score), the slowest page there is.
        started = time.perf_counter()
        screen.model.sort(5)
        screen.view.scrollToBottom()
        settle()
        screen.model.index(args.contacts - 1, EMAIL).data()
        sorted_jump = time.perf_counter() - started

        print(f"contacts: {args.contacts:,}")
        print(f"floor, read every contact once:   {floor * 1000:8.1f} ms")
        print(f"open table + jump to the end:     {table * 1000:8.1f} ms  "
              f"(ratio {table / floor:.3f} of the floor)")  # fmt: skip
        print(f"same, sorted by score (no index): {sorted_jump * 1000:8.1f} ms")
        print(f"queries: {screen.model.queries}, rows read: {screen.model.rows_fetched:,} "
              f"of {args.contacts:,}")  # fmt: skip
        screen.close()
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
