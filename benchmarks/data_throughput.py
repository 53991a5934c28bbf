"""Data-side speed: contacts CSV import, rule counts and contact search on N contacts
(default 100,000), and the demo build. Each figure comes with a floor measured in the same
run on the same machine (raw sqlite3), so the ratio means something on any machine.

    .venv/bin/python benchmarks/data_throughput.py [--contacts 100000] [--no-demo]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import sqlite3
import tempfile
import time
from pathlib import Path

NOW = dt.datetime(2026, 6, 1, 12, 0)
RULES = {
    "country eq DE": {"field": "country", "op": "eq", "value": "DE"},
    "last_order_days ge 90": {"field": "last_order_days", "op": "ge", "value": 90},
    "tag vip": {"tag": "vip"},
    "birthday before 1980": {"field": "birthday", "op": "lt", "value": "1980-01-01"},
    "purchase within 30 days": {"event": "purchase", "within": "P30D"},
    "win-back (all/not)": {
        "all": [{"field": "last_order_days", "op": "ge", "value": 90}, {"not": {"tag": "vip"}}]
    },
    "any of three": {
        "any": [
            {"tag": "vip"},
            {"field": "plan", "op": "eq", "value": "pro"},
            {"field": "lifetime_value", "op": "gt", "value": 900},
        ]
    },
}
HEADER = ["email", "first_name", "last_name", "phone", "timezone", "tags", "country", "plan",
          "last_order_days", "lifetime_value", "birthday", "newsletter"]  # fmt: skip


def write_csv(path: Path, n: int) -> None:
    rng = random.Random(3)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for i in range(n):
            out.writerow([
                f"person{i:07d}@example.com", rng.choice(["Anna", "Ben", "Chloé", "Dmitri"]),
                rng.choice(["Lee", "Kim", "Müller", "Rossi"]),
                f"+4915{i:08d}" if i % 3 else "", rng.choice(["Europe/Berlin", "Asia/Tokyo"]),
                rng.choice(["vip", "newsletter;vip", "", "", "newsletter"]),
                rng.choice(["DE", "FR", "US", "GB"]), rng.choice(["free", "pro", "starter"]),
                rng.randint(0, 500), round(rng.random() * 1000, 2),
                f"19{rng.randint(50, 99)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                rng.choice(["yes", "no"]),
            ])  # fmt: skip


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def import_floor(csv_path: Path, db_path: Path) -> float:
    """Parse the CSV and insert the same rows with raw sqlite3 executemany."""
    start = time.perf_counter()
    con = sqlite3.connect(db_path)
    con.execute("CREATE TABLE c (id INTEGER PRIMARY KEY, email TEXT UNIQUE, first_name TEXT, "
                "last_name TEXT, phone TEXT, timezone TEXT, attributes TEXT)")  # fmt: skip
    with csv_path.open(newline="", encoding="utf-8") as handle:
        rows = csv.reader(handle)
        next(rows)
        con.executemany(
            "INSERT INTO c (email, first_name, last_name, phone, timezone, attributes) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            ((r[0], r[1], r[2], r[3], r[4], json.dumps(dict(zip(HEADER[6:], r[6:], strict=True))))
             for r in rows),
        )  # fmt: skip
    con.commit()
    con.close()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--no-demo", action="store_true")
    args = parser.parse_args()
    n = args.contacts

    from engine import store
    from engine.db import open_database
    from engine.importer import import_contacts, import_events
    from engine.rule_sql import count_matching

    folder = Path(tempfile.mkdtemp(prefix="cs-bench-"))
    csv_path = folder / "contacts.csv"
    write_csv(csv_path, n)
    floor = import_floor(csv_path, folder / "floor.db")
    engine = open_database(folder / "bench.db")
    report, seconds = timed(import_contacts, engine, csv_path)
    assert report.inserted == n, report.summary()
    print(f"contacts import: {n:,} rows in {seconds:.1f} s = {n / seconds:,.0f} rows/s; "
          f"floor (csv + raw sqlite3 executemany) {n / floor:,.0f} rows/s; "
          f"ratio {floor / seconds:.2f}")  # fmt: skip
    _, update_seconds = timed(import_contacts, engine, csv_path)
    print(f"contacts re-import (all updates): {n / update_seconds:,.0f} rows/s")
    events_path = folder / "events.csv"
    rng = random.Random(9)
    with events_path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["email", "event", "occurred_at", "amount", "product"])
        for _ in range(n):
            at = NOW - dt.timedelta(days=rng.uniform(0, 120))
            email = f"person{rng.randrange(n):07d}@example.com"
            name = rng.choice(["purchase", "page_view"])
            out.writerow([email, name, at.isoformat(timespec="seconds"), rng.randint(5, 300), "x"])
    events_report, seconds = timed(import_events, engine, events_path)
    print(f"events import: {events_report.inserted:,} rows in {seconds:.1f} s = "
          f"{n / seconds:,.0f} rows/s")  # fmt: skip

    raw = sqlite3.connect(folder / "bench.db")
    _, scan = timed(lambda: raw.execute(
        "SELECT count(*) FROM contacts WHERE json_extract(attributes, '$.country') = 'DE'"
    ).fetchone())  # fmt: skip
    print(f"\nrule counts on {n:,} contacts (floor: raw json_extract scan {scan * 1000:.0f} ms)")
    with engine.connect() as conn:
        for name, rule in RULES.items():
            count, seconds = timed(count_matching, conn, rule, NOW)
            print(f"  {name:26} {count:>8,}  {seconds * 1000:7.0f} ms  "
                  f"({seconds / scan:.1f}× the scan)")  # fmt: skip
        print(f"\ncontacts screen on {n:,} contacts")
        for search in ("", "person00012", "anna", "+491500001"):
            total, count_s = timed(store.count_contacts, conn, search)
            _, page_s = timed(store.list_contacts, conn, search, 0, 200, "-last_name")
            _, deep_s = timed(store.list_contacts, conn, search, n // 2, 200, "id")
            print(
                f"  search {search!r:15} {total:>8,} found  count {count_s * 1000:5.0f} ms  "
                f"first page {page_s * 1000:5.0f} ms  middle page {deep_s * 1000:5.0f} ms"
            )
    engine.dispose()

    if not args.no_demo:
        from engine.demo import build_demo

        made, seconds = timed(build_demo, folder / "demo.db")
        _, bare = timed(build_demo, folder / "demo-bare.db", history=False)
        print(
            f"\ndemo: {made['contacts']:,} contacts, {made['events']:,} events, history "
            f"{', '.join(made['history'])}: {seconds:.1f} s ({bare:.1f} s without history)"
        )


if __name__ == "__main__":
    main()
