"""Fixture data for the data-screen tests: a real SQLite file filled with Core executemany."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, insert

from engine.db import open_database
from engine.db.schema import (
    campaigns,
    contact_tags,
    contacts,
    enrollments,
    events,
    messages,
    steps,
    templates,
)

FIRST = ["Anna", "Ben", "Chloé", "Dmitri", "Elif", "Farid", "Grace", "Hiro", "Ines", "Jonas"]
LAST = ["Schmidt", "Martin", "Rossi", "Nowak", "Yilmaz", "Silva", "Kim", "Dubois", "Berg"]
COUNTRIES = [("DE", "Europe/Berlin"), ("FR", "Europe/Paris"), ("US", "America/New_York"),
             ("GB", "Europe/London"), ("JP", "Asia/Tokyo")]  # fmt: skip
TAGS = ["vip", "newsletter", "trial", "churn-risk", "b2b"]
START = datetime(2026, 1, 1, 9, 0)


def contact_rows(n: int) -> list[dict]:
    rows = []
    for i in range(n):
        country, zone = COUNTRIES[i % len(COUNTRIES)]
        rows.append(
            {
                "id": i + 1,
                "email": f"person{i + 1:06d}@example.com",
                "phone": f"+4915{i:08d}" if i % 3 else None,
                "first_name": FIRST[i % len(FIRST)],
                "last_name": LAST[(i // 7) % len(LAST)],
                "timezone": zone,
                "created_at": START + timedelta(minutes=i),
                "unsubscribed": i % 17 == 0,
                "bounced": False,
                "score": (i * 37) % 100,
                "attributes": {"country": country, "plan": ["free", "pro", "team"][i % 3]},
            }
        )
    return rows


def make_database(path: Path, n: int = 500) -> Engine:
    """Contacts 1..n (every 5th tagged), a campaign, and a journey for contact 1."""
    engine = open_database(path)
    with engine.begin() as conn:
        rows = contact_rows(n)
        for start in range(0, n, 20000):
            conn.execute(insert(contacts), rows[start : start + 20000])
        conn.execute(
            insert(contact_tags),
            [{"contact_id": i, "tag": TAGS[(i // 3) % len(TAGS)]} for i in range(1, n + 1, 3)]
            + [{"contact_id": i, "tag": "newsletter"} for i in range(2, n + 1, 10)],
        )
        conn.execute(
            insert(templates),
            [
                {
                    "name": "welcome",
                    "channel": "email",
                    "subject": "Welcome, {{ contact.first_name }}!",
                    "html": "<h1>Hello {{ contact.first_name }}</h1>\n<p>Your plan: "
                    "{{ contact.attributes.plan }}</p>\n"
                    '<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
                    "text": "Hello {{ contact.first_name }}",
                    "created_at": START,
                },
                {
                    "name": "reminder-sms",
                    "channel": "sms",
                    "subject": "",
                    "html": "",
                    "text": "Hi {{ contact.first_name }}, your cart is waiting.",
                    "created_at": START,
                },
            ],
        )
        campaign_id = conn.execute(
            insert(campaigns).values(
                name="Welcome series",
                status="live",
                definition={"format": "campaign-studio/1", "name": "Welcome series"},
                created_at=START,
            )
        ).inserted_primary_key[0]
        enrollment_id = conn.execute(
            insert(enrollments).values(
                campaign_id=campaign_id,
                contact_id=1,
                node_id="pause",
                status="active",
                arrived_at=START + timedelta(days=1),
                entered_at=START,
            )
        ).inserted_primary_key[0]
        conn.execute(
            insert(steps),
            [
                {
                    "enrollment_id": enrollment_id,
                    "campaign_id": campaign_id,
                    "contact_id": 1,
                    "node_id": "start",
                    "port": "out",
                    "at": START,
                },
                {
                    "enrollment_id": enrollment_id,
                    "campaign_id": campaign_id,
                    "contact_id": 1,
                    "node_id": "hello",
                    "port": "out",
                    "at": START,
                    "outcome": "sent",
                },
            ],
        )
        conn.execute(
            insert(messages).values(
                key=f"{enrollment_id}:hello:1",
                enrollment_id=enrollment_id,
                campaign_id=campaign_id,
                node_id="hello",
                contact_id=1,
                channel="email",
                to_address="person000001@example.com",
                subject="Welcome, Anna!",
                status="sent",
                created_at=START,
                sent_at=START + timedelta(minutes=1),
            )
        )
        conn.execute(
            insert(events),
            [
                {
                    "contact_id": 1,
                    "name": "signup",
                    "occurred_at": START - timedelta(days=1),
                    "properties": {"source": "website"},
                    "campaign_id": None,
                    "node_id": None,
                },
                {
                    "contact_id": 1,
                    "name": "email_opened",
                    "occurred_at": START + timedelta(hours=3),
                    "properties": {},
                    "campaign_id": campaign_id,
                    "node_id": "hello",
                },
                {
                    "contact_id": 1,
                    "name": "purchase",
                    "occurred_at": START + timedelta(days=2),
                    "properties": {"amount": 49},
                    "campaign_id": None,
                    "node_id": None,
                },
            ],
        )
    return engine
