"""Every CSV the program writes is formula-safe (issue 16, item 11): node names, ports,
contact fields and rejected rows that look like formulas come out as text."""

from __future__ import annotations

import csv
import io

from sqlalchemy import update

from engine.cli import main
from engine.db.schema import contacts
from tests.engine.runner_helpers import START, diagram, launch, make_db

FORMULAS = ('=HYPERLINK("http://evil.example","x")', "+cmd", "-2+3", "@SUM(A1)")


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _assert_safe(cells: list[str]) -> None:
    risky = [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")
             or (c[:1] == "-" and not c[1:].replace(".", "").isdigit())]  # fmt: skip
    assert not risky, risky


def test_stats_csv_escapes_formula_names_and_ports(tmp_path, capsys):
    engine = make_db(tmp_path, 4)
    d = diagram(
        [
            ("t", "trigger.manual", {"filter": {"all": []}}),
            ("=HYPERLINK(1)", "condition.split",
             {"branches": [{"port": "=A1", "percent": 50}, {"port": "@B", "percent": 50}]}),
            ("+cmd", "exit", {}),
            ("-2+3", "exit", {}),
        ],
        [("t", "=HYPERLINK(1)"), ("=HYPERLINK(1)", "=A1", "+cmd"), ("=HYPERLINK(1)", "@B", "-2+3")],
    )  # fmt: skip
    d.nodes["t"].label = FORMULAS[0]
    campaign_id, runner, _clock = launch(engine, d, mode="live")
    runner.tick(START)
    assert main(["--db", str(tmp_path / "test.db"), "stats", str(campaign_id), "--csv"]) == 0
    out = capsys.readouterr().out
    cells = _cells(out)
    assert "'" + FORMULAS[0] in cells and "'+cmd" in cells and "'=A1" in cells
    _assert_safe(cells)


def test_contacts_export_escapes_formula_fields(tmp_path, capsys):
    engine = make_db(tmp_path, 4)
    with engine.begin() as conn:
        for i, text in enumerate(FORMULAS, start=1):
            conn.execute(
                update(contacts).where(contacts.c.id == i).values(first_name=text,
                                                                  attributes={"note": text})
            )  # fmt: skip
    target = tmp_path / "out.csv"
    assert main(["--db", str(tmp_path / "test.db"), "contacts", "export", "-o", str(target)]) == 0
    cells = _cells(target.read_text(encoding="utf-8-sig"))
    assert cells.count("'" + FORMULAS[0]) == 2
    _assert_safe(cells)
