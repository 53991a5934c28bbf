"""Node detail shows a send node's bounces and complaints and its clicks per link."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from sqlalchemy import insert

from app.node_detail import NodeDetailDialog
from engine import campaigns
from engine.db import open_database
from engine.db.schema import contacts, events
from engine.diagram import Diagram, Edge, Node

T0 = dt.datetime(2026, 3, 2, 10, 0)


def test_node_detail_lists_clicks_per_link(qtbot, tmp_path):
    engine = open_database(tmp_path / "db.sqlite")
    d = Diagram("Sale", {})
    audience = {"filter": {"field": "email", "op": "is_set"}}
    d.nodes["start"] = Node("start", "trigger.manual", audience)
    d.nodes["hello"] = Node("hello", "action.send_email", {"subject": "Hi", "body": "x"})
    d.edges.append(Edge("start", "hello", "out"))
    campaign_id = campaigns.save_campaign(engine, d)
    with engine.begin() as conn:
        conn.execute(insert(contacts), [
            {"id": i, "email": f"u{i}@example.com", "created_at": T0, "attributes": {}}
            for i in (1, 2)])  # fmt: skip
        base = {"campaign_id": campaign_id, "node_id": "hello", "occurred_at": T0}
        conn.execute(insert(events), [
            {**base, "contact_id": 1, "name": "email_clicked",
             "properties": {"url": "https://shop.example/a"}},
            {**base, "contact_id": 1, "name": "email_clicked",
             "properties": {"url": "https://shop.example/a"}},
            {**base, "contact_id": 2, "name": "email_clicked",
             "properties": {"url": "https://shop.example/a"}},
            {**base, "contact_id": 2, "name": "complained", "properties": {}},
        ])  # fmt: skip
    dialog = NodeDetailDialog(SimpleNamespace(engine=engine), campaign_id, "hello", d)
    qtbot.addWidget(dialog)
    dialog.refresh()
    text = dialog.figures.text()
    assert "1 complained" in text
    assert "https://shop.example/a (2 people, 3 clicks)" in text
