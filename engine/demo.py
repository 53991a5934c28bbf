"""The demo workspace: a few thousand believable contacts across countries and time zones,
their events, segments, templates, the sample campaigns, and a few weeks of campaign
history so that statistics are not empty. Deterministic: the same seed gives the same data
(dates are relative to `now`)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select

from engine.db import open_database, schema
from engine.paths import resource
from engine.progress import Progress, stages

SAMPLES = ("welcome_series.campaign.json", "win_back.campaign.json", "birthday.campaign.json")
# campaign name -> days of history to run before now (the others stay drafts)
HISTORY = {"Welcome series": 21, "Win back inactive customers": 10}
ASSUME = {"opened": 0.42, "clicked": 0.11}
STEP = dt.timedelta(hours=3)


class DemoError(ValueError):
    """The demo cannot be built here (the database already holds a workspace)."""


@dataclass(frozen=True)
class Country:
    code: str
    zones: tuple[str, ...]
    cities: tuple[str, ...]
    phone: str  # country calling code
    first: tuple[str, ...]
    last: tuple[str, ...]
    weight: int


COUNTRIES = (
    Country("DE", ("Europe/Berlin",), ("Berlin", "Hamburg", "Munich", "Cologne", "Leipzig"), "49",
            ("Anna", "Lukas", "Mia", "Leon", "Hannah", "Finn", "Lea", "Jonas", "Emma", "Paul"),
            ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Wagner", "Becker"), 18),
    Country("AT", ("Europe/Vienna",), ("Vienna", "Graz", "Salzburg"), "43",
            ("Lena", "Tobias", "Sophie", "Felix"), ("Gruber", "Huber", "Bauer", "Wagner"), 3),
    Country("CH", ("Europe/Zurich",), ("Zurich", "Geneva", "Basel", "Bern"), "41",
            ("Noah", "Laura", "Luca", "Elena"), ("Meier", "Keller", "Brunner", "Frei"), 3),
    Country("FR", ("Europe/Paris",), ("Paris", "Lyon", "Marseille", "Toulouse", "Nantes"), "33",
            ("Chloé", "Louis", "Camille", "Hugo", "Léa", "Arthur", "Manon", "Jules"),
            ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Petit", "Durand"), 12),
    Country("GB", ("Europe/London",), ("London", "Manchester", "Bristol", "Leeds", "Glasgow"), "44",
            ("Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Grace"),
            ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans"), 12),
    Country("US", ("America/New_York", "America/Chicago", "America/Denver",
                   "America/Los_Angeles"),
            ("New York", "Chicago", "Austin", "Denver", "Seattle", "Boston", "San Diego"), "1",
            ("Emma", "Liam", "Olivia", "Noah", "Sophia", "James", "Ava", "Ethan", "Mia"),
            ("Johnson", "Miller", "Davis", "Garcia", "Rodriguez", "Lee", "Walker"), 20),
    Country("CA", ("America/Toronto", "America/Vancouver"), ("Toronto", "Vancouver", "Montreal"),
            "1", ("Liam", "Charlotte", "Benjamin", "Chloe"), ("Tremblay", "Roy", "Campbell"), 4),
    Country("ES", ("Europe/Madrid",), ("Madrid", "Barcelona", "Valencia", "Seville"), "34",
            ("Lucía", "Hugo", "Martina", "Pablo", "Sofía", "Daniel"),
            ("García", "Fernández", "López", "Martínez", "Sánchez"), 6),
    Country("IT", ("Europe/Rome",), ("Rome", "Milan", "Turin", "Bologna", "Naples"), "39",
            ("Giulia", "Leonardo", "Sofia", "Francesco", "Aurora", "Alessandro"),
            ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano"), 6),
    Country("NL", ("Europe/Amsterdam",), ("Amsterdam", "Rotterdam", "Utrecht"), "31",
            ("Daan", "Emma", "Sem", "Julia", "Lucas"), ("de Jong", "Jansen", "de Vries", "Bakker"),
            4),
    Country("SE", ("Europe/Stockholm",), ("Stockholm", "Gothenburg", "Malmö"), "46",
            ("Alice", "William", "Maja", "Elias"), ("Andersson", "Johansson", "Karlsson"), 3),
    Country("PL", ("Europe/Warsaw",), ("Warsaw", "Kraków", "Gdańsk", "Wrocław"), "48",
            ("Zuzanna", "Jakub", "Julia", "Antoni"), ("Nowak", "Kowalski", "Wiśniewski"), 3),
    Country("JP", ("Asia/Tokyo",), ("Tokyo", "Osaka", "Kyoto", "Yokohama"), "81",
            ("Haruto", "Yui", "Sota", "Hina", "Ren"), ("Sato", "Suzuki", "Takahashi", "Tanaka"),
            3),
    Country("AU", ("Australia/Sydney", "Australia/Melbourne", "Australia/Perth"),
            ("Sydney", "Melbourne", "Brisbane", "Perth"), "61",
            ("Charlotte", "Oliver", "Amelia", "Jack"), ("Smith", "Nguyen", "Kelly", "Brown"), 3),
    Country("BR", ("America/Sao_Paulo",), ("São Paulo", "Rio de Janeiro", "Curitiba"), "55",
            ("Miguel", "Helena", "Arthur", "Alice", "Davi"), ("Silva", "Santos", "Oliveira"), 3),
    Country("IN", ("Asia/Kolkata",), ("Bengaluru", "Mumbai", "Delhi", "Pune"), "91",
            ("Aarav", "Diya", "Vihaan", "Ananya", "Arjun"), ("Sharma", "Patel", "Gupta", "Iyer"),
            3),
)  # fmt: skip
PLANS = (("free", 55), ("starter", 25), ("pro", 15), ("enterprise", 5))
DOMAINS = ("example.com", "example.org", "example.net", "mail.example", "post.example")
PAGES = ("/", "/new", "/sale", "/women", "/men", "/kids", "/gifts", "/account", "/help")
PRODUCTS = (("wool scarf", 39), ("rain jacket", 129), ("sneakers", 89), ("backpack", 69),
            ("beanie", 19), ("chinos", 59), ("merino sweater", 99), ("gift card", 50))  # fmt: skip


def build_demo(
    engine_or_db: Engine | str | Path,
    contacts: int = 3000,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
    seed: int = 7,
    history: bool = True,
) -> dict[str, Any]:
    """Fill a database with the demo workspace; returns counts of what was made.

    `now` (naive UTC, default the current time) anchors every date; with `history` the
    Welcome and Win-back samples run in simulate mode over the last weeks (VirtualClock).
    """
    from engine.importer import import_segments, import_templates

    engine = engine_or_db if isinstance(engine_or_db, Engine) else open_database(engine_or_db)
    now = (now or dt.datetime.now(dt.UTC).replace(tzinfo=None)).replace(microsecond=0)
    rng = random.Random(seed)
    make_contacts, make_events, make_rest, run_history = stages(progress, [3, 4, 1, 8])
    with engine.begin() as conn:
        for table, what in ((schema.contacts, "contacts"), (schema.campaigns, "campaigns")):
            if conn.scalar(select(func.count()).select_from(table)):
                raise DemoError(f"this database already has {what}; build the demo in a new one")
        people = [_person(rng, i, now) for i in range(contacts)]
        for start in range(0, len(people), 1000):
            chunk = people[start : start + 1000]
            conn.execute(insert(schema.contacts), [p["row"] for p in chunk])
            make_contacts(start + len(chunk), len(people))
        ids = _ids_by_email(conn, [p["row"]["email"] for p in people])
        tag_rows = [{"contact_id": ids[p["row"]["email"]], "tag": t} for p in people
                    for t in p["tags"]]  # fmt: skip
        conn.execute(insert(schema.contact_tags), tag_rows)
        event_count = 0
        for start in range(0, len(people), 500):
            chunk = people[start : start + 500]
            rows = [row for p in chunk for row in _events(rng, ids[p["row"]["email"]], p, now)]
            if rows:
                conn.execute(insert(schema.events), rows)
            event_count += len(rows)
            make_events(start + len(chunk), len(people))
        segments_report = import_segments(conn, resource("demo", "segments.json"))
        templates_report = import_templates(conn, resource("templates", "templates.json"))
        from engine import store

        press = [ids[p["row"]["email"]] for p in people if "b2b" in p["tags"]][:15]
        store.save_segment(conn, "press-list", kind="static", members=press,
                           description="Journalists and partners, picked by hand")  # fmt: skip
        make_rest(1, 1)
    campaign_ids = _save_samples(engine)
    started = _run_history(engine, campaign_ids, now, run_history) if history else []
    run_history(1, 1)
    return {
        "contacts": len(people),
        "events": event_count,
        "segments": segments_report.inserted + segments_report.updated,
        "templates": templates_report.inserted + templates_report.updated,
        "campaigns": len(campaign_ids),
        "history": started,
    }


def _person(rng: random.Random, index: int, now: dt.datetime) -> dict[str, Any]:
    country = rng.choices(COUNTRIES, weights=[c.weight for c in COUNTRIES])[0]
    first, last = rng.choice(country.first), rng.choice(country.last)
    local = _ascii(f"{first}.{last}").lower().replace(" ", "")
    email = f"{local}{index + 1}@{rng.choice(DOMAINS)}"
    # Sign-ups over two years, more of them recently (the shop is growing).
    age_days = min(730.0, rng.expovariate(1 / 240))
    created = now - dt.timedelta(days=age_days, seconds=rng.randint(0, 86399))
    plan = rng.choices([p for p, _ in PLANS], weights=[w for _, w in PLANS])[0]
    spend_scale = {"free": 60, "starter": 150, "pro": 400, "enterprise": 1200}[plan]
    ordered = rng.random() < (0.85 if age_days > 30 else 0.3)
    last_order = int(min(age_days, rng.expovariate(1 / 70))) if ordered else None
    lifetime = round(rng.expovariate(1 / spend_scale) * (1 + age_days / 365), 2) if ordered else 0
    newsletter = rng.random() < 0.6
    birthday = dt.date(rng.randint(1955, 2005), rng.randint(1, 12), rng.randint(1, 28))
    tags = set()
    if lifetime >= 900 or (plan == "enterprise" and rng.random() < 0.5):
        tags.add("vip")
    if newsletter:
        tags.add("newsletter")
    if last_order is not None and last_order >= 120:
        tags.add("churn-risk")
    if plan in ("pro", "enterprise") and rng.random() < 0.4:
        tags.add("b2b")
    if rng.random() < 0.05:
        tags.add("beta")
    attributes: dict[str, Any] = {
        "country": country.code,
        "city": rng.choice(country.cities),
        "plan": plan,
        "birthday": birthday.isoformat(),
        "signup_date": created.date().isoformat(),
        "lifetime_value": lifetime,
        "newsletter": newsletter,
    }
    if last_order is not None:
        attributes["last_order_days"] = last_order
    phone = None
    if rng.random() < 0.55:
        phone = f"+{country.phone}{rng.randint(150, 179)}{rng.randint(1000000, 9999999)}"
    row = {
        "email": email, "phone": phone, "first_name": first, "last_name": last,
        "timezone": rng.choice(country.zones) if rng.random() < 0.93 else None,
        "created_at": created, "updated_at": created,
        "unsubscribed": rng.random() < 0.03, "bounced": rng.random() < 0.01,
        "score": rng.randint(0, 40) + (30 if "vip" in tags else 0), "attributes": attributes,
    }  # fmt: skip
    return {"row": row, "tags": sorted(tags), "last_order": last_order, "age_days": age_days}


def _ascii(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text) if c.isascii())


def _ids_by_email(conn, emails: list[str]) -> dict[str, int]:
    ids: dict[str, int] = {}
    for start in range(0, len(emails), 2000):
        chunk = emails[start : start + 2000]
        query = select(schema.contacts.c.email, schema.contacts.c.id).where(
            schema.contacts.c.email.in_(chunk)
        )
        ids.update({email: contact_id for email, contact_id in conn.execute(query)})
    return ids


def _events(rng: random.Random, contact_id: int, person: dict, now: dt.datetime) -> list[dict]:
    """Sign-up, purchases matching last_order_days, page views over the last 90 days."""
    created = person["row"]["created_at"]
    out = [_event(contact_id, "signup", created, {"source": rng.choice(
        ["organic", "instagram", "newsletter", "friend", "search"])})]  # fmt: skip
    last_order = person["last_order"]
    if last_order is not None:
        last = now - dt.timedelta(days=last_order, hours=rng.randint(0, 23))
        last = max(last, created + dt.timedelta(hours=1))
        moments = [last]
        for _ in range(rng.randint(0, 4)):
            earlier = last - dt.timedelta(days=rng.randint(20, 300))
            if earlier > created:
                moments.append(earlier)
        for at in moments:
            if at <= now:
                product, price = rng.choice(PRODUCTS)
                out.append(_event(contact_id, "purchase", at, {"product": product,
                                                               "amount": price}))  # fmt: skip
    if last_order is not None and last_order >= 90 and rng.random() < 0.07:
        # Some lapsed customers come back during the win-back campaign.
        at = now - dt.timedelta(days=rng.uniform(0.2, 8))
        product, price = rng.choice(PRODUCTS)
        out.append(_event(contact_id, "purchase", at.replace(microsecond=0),
                          {"product": product, "amount": price, "code": "COMEBACK10"}))  # fmt: skip
    horizon = min(90.0, person["age_days"])
    for _ in range(int(rng.expovariate(1 / 6))):
        at = now - dt.timedelta(days=rng.uniform(0, horizon))
        out.append(_event(contact_id, "page_view", at.replace(microsecond=0),
                          {"page": rng.choice(PAGES)}))  # fmt: skip
    return out


def _event(contact_id: int, name: str, at: dt.datetime, properties: dict) -> dict:
    return {"contact_id": contact_id, "name": name, "occurred_at": at, "properties": properties,
            "campaign_id": None, "node_id": None}  # fmt: skip


def _save_samples(engine: Engine) -> dict[str, int]:
    """The sample campaigns, saved as drafts (names → ids)."""
    from engine.campaigns import save_campaign
    from engine.fileformat import load

    saved = {}
    for file_name in SAMPLES:
        diagram, _problems = load(resource("campaigns", file_name))
        saved[diagram.name] = save_campaign(engine, diagram, note="sample campaign")
    return saved


def _run_history(
    engine: Engine, campaign_ids: dict[str, int], now: dt.datetime, progress: Progress
) -> list[str]:
    """Start some samples in the past and let the engine run them up to now, in simulate
    mode (no message leaves the machine) with assumed opens and clicks."""
    from engine.campaigns import start
    from engine.clock import VirtualClock
    from engine.runner import Runner

    chosen = {name: days for name, days in HISTORY.items() if name in campaign_ids}
    if not chosen:
        return []
    begin = now - dt.timedelta(days=max(chosen.values()))
    clock = VirtualClock(begin)
    runner = Runner(engine, clock, mode="simulate", assume=ASSUME)
    runner.segment_check_every = STEP
    pending = dict(sorted(chosen.items(), key=lambda item: -item[1]))
    total = int((now - begin).total_seconds())
    while clock.now() <= now:
        for name, days in list(pending.items()):
            if clock.now() >= now - dt.timedelta(days=days):
                start(engine, campaign_ids[name], clock.now())
                del pending[name]
        runner.tick(clock.now())
        progress(int((clock.now() - begin).total_seconds()), total)
        if clock.now() >= now:
            break
        clock.set(min(now, clock.now() + STEP))
    with engine.begin() as conn:
        # Opens and clicks the simulation assumed for after `now` have not happened yet.
        conn.execute(
            delete(schema.events).where(
                schema.events.c.occurred_at > now, schema.events.c.campaign_id.is_not(None)
            )
        )
    return list(chosen)
